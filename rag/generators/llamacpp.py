"""llama.cpp in this process (PyPI xllamacpp, a prebuilt CPU wheel) on a GGUF file.

xllamacpp runs llama.cpp's own server inside the Python process: `LlamaCppServer` starts it on
127.0.0.1 on a free port and stops it on close() or at exit; the answers stream through it with the
same HTTP client as any OpenAI-compatible server (openai_http.OpenAIClient), so there is one SSE
parser. The server has several slots (continuous batching): answers for different chat sessions run
at once instead of queueing behind each other.

The model is the packaged SmolLM2 GGUF, or the GGUF file named by RAG_GENERATOR_MODEL. llama.cpp
reads the GGUF as it is: no dequantizing, no conversion, no cache. Its chat template comes from the
GGUF too (the one the other backends apply). Token counts come from the server's /tokenize: exact.
"""
from __future__ import annotations

import atexit
import importlib.util
import threading
import weakref
from pathlib import Path

from rag.config import Config
from rag.errors import ModelError, missing_package
from rag.generators.base import DEFAULT_MODEL_NAME, default_gguf_path
from rag.generators.openai_http import OpenAIClient, OpenAIHTTPGenerator, server_extras

PACKAGE = "xllamacpp"


def gguf_for(config: Config) -> tuple[Path, str]:
    """(GGUF file, name for people): RAG_GENERATOR_MODEL when it names a .gguf file, else the packaged one."""
    model = config.generator_model
    if model and model.lower().endswith(".gguf"):
        path = Path(model).expanduser()
        if not path.is_file():
            raise ModelError(f"The answer model file {path} does not exist.")
        return path, path.name
    if model:
        raise ModelError(f"The llamacpp backend runs GGUF files; '{model}' is not one. Use the ctranslate2 or transformers backend for it.")
    return default_gguf_path(), DEFAULT_MODEL_NAME


class LlamaCppServer:
    """llama.cpp's HTTP server in this process, on 127.0.0.1 and a free port."""

    def __init__(self, gguf: Path, config: Config, api_keys: list[str] | None = None):
        if importlib.util.find_spec(PACKAGE) is None:
            raise missing_package(PACKAGE, "llamacpp answer model backend")
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(gguf)
        params.model_alias = {gguf.stem}
        params.hostnames = ["127.0.0.1"]  # loopback only: the answer model is not a public service
        params.port = 0  # the OS picks a free port
        params.verbosity = -1  # llama.cpp logs every request on stderr otherwise
        params.n_parallel = config.llamacpp_slots
        # One KV cache shared by the slots: a slot takes what its prompt needs, so one long
        # conversation still fits while the others are short.
        params.kv_unified = True
        params.n_ctx = config.llamacpp_context * config.llamacpp_slots
        params.n_batch = params.n_ubatch = config.llamacpp_ubatch
        params.cpuparams.n_threads = max(1, config.threads)
        params.cpuparams_batch.n_threads = max(1, config.threads)
        params.flash_attn_type = {"auto": xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_AUTO,
                                  "on": xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_ENABLED,
                                  "off": xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED}[config.llamacpp_flash_attn]
        # The system prompt and the start of every prompt are the same: a slot keeps its last prompt's
        # KV cache and only processes what differs (cache_prompt is also sent with each request).
        params.cache_prompt = True
        params.cache_ram_mib = config.llamacpp_cache_ram_mb
        params.sampling.penalty_repeat = config.llamacpp_repeat_penalty
        params.endpoint_metrics = True
        if api_keys:  # for serving it to other processes; in process, loopback needs none
            params.api_keys = list(api_keys)
        try:
            self._server = xllamacpp.Server(params)
        except Exception as error:
            raise ModelError(f"llama.cpp cannot load the model file {gguf}: {str(error)[:200]}") from error
        self.root = self._server.listening_address
        self.url = self.root + "/v1"
        self.slots = config.llamacpp_slots
        self._lock = threading.Lock()
        atexit.register(_close_if_alive, weakref.ref(self))

    @property
    def running(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        """Stop the server (its destructor stops the HTTP thread and frees the model)."""
        with self._lock:
            server, self._server = self._server, None
        del server


def _close_if_alive(ref) -> None:
    server = ref()
    if server is not None:
        server.close()


class LlamaCppGenerator(OpenAIHTTPGenerator):
    """The GGUF on llama.cpp in this process, streamed through its local HTTP server."""

    backend = "llamacpp"

    def __init__(self, config: Config):
        gguf, name = gguf_for(config)
        if config.llamacpp_quant:
            from rag.generators.gguf_quant import requantized

            gguf = requantized(gguf, config.llamacpp_quant, config.cache_dir)
            name = f"{name}, requantized to {config.llamacpp_quant.upper()}"
        self.server = LlamaCppServer(gguf, config)
        # Loopback: a refused connection means the server is gone, so one quick retry is enough.
        client = OpenAIClient(self.server.url, connect_timeout=config.generator_connect_timeout, read_timeout=config.generator_read_timeout,
                              retries=1, backoff_s=0.05, hint="the in-process llama.cpp server has stopped; restart the app")
        model = client.models()[0]["id"]
        super().__init__(client, model, config, name=name, extra=server_extras("llamacpp", config), slots=self.server.slots)
        self.gguf = gguf

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        response = self.client.http.post(self.server.root + "/tokenize", json={"content": text, "add_special": False})
        response.raise_for_status()
        return len(response.json().get("tokens", []))

    def close(self) -> None:
        self.client.close()
        self.server.close()


def load(config: Config) -> LlamaCppGenerator:
    return LlamaCppGenerator(config)
