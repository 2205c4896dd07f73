"""Answer models by backend: the registry, and `load_generator(config)` which picks one.

Each backend is one module with a `load(config) -> Generator` function (the protocol is in base.py);
adding one is a new module plus one line in BACKENDS. `config.generator_backend` names one of them,
or "auto": the server at `generator_url` when one is set; else CTranslate2 when it is installed and
the model converts; else transformers. llama.cpp in process (`llamacpp`) is faster (README, Speed)
but is chosen by name until its drafts pass one follow-up check that CTranslate2's do. `answer_slots(config)` says how many answers the chosen
backend computes at once, without loading it (the chat sizes its queue by it).
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
    if importlib.util.find_spec("ctranslate2") is not None:
        from rag.generators import base, ctranslate2

        name, source, cache = base.resolve_model(config)
        try:
            return ctranslate2.CTranslate2Generator(name, source, cache, config)
        except ModelError:
            pass  # an architecture CTranslate2 cannot convert: transformers runs it
    return resolve(BACKENDS, "transformers", "generator backend", ModelError)(config)


def answer_slots(config: Config) -> int:
    """How many answers the backend `load_generator(config)` picks computes at once, known without loading it:
    the configured or default slots of a server backend, 1 for a model computed in this process's own threads."""
    if config.generator_slots:
        return config.generator_slots
    backend = config.generator_backend
    if backend == "openai" or (backend == AUTO and config.generator_url):
        from rag.generators.openai_http import DEFAULT_SERVER_SLOTS

        return DEFAULT_SERVER_SLOTS
    if backend == "llamacpp":
        return max(1, config.llamacpp_slots)
    return 1
