"""Answer models by backend: the registry, and `load_generator(config)` which picks one.

Each backend is one module with a `load(config) -> Generator` function (the protocol is in base.py);
adding one is a new module plus one line in BACKENDS. `config.generator_backend` names one of them,
or "auto": CTranslate2 when it is installed and the model converts, else transformers.
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
}


def names() -> list[str]:
    """What `generator_backend` (and the CLIs' --backend) accepts."""
    return [AUTO, *BACKENDS]


def load_generator(config: Config) -> Generator:
    """The configured model on the configured backend; "auto" is the fastest backend that can run it."""
    backend = config.generator_backend
    if backend != AUTO:
        return resolve(BACKENDS, backend, "generator backend", ModelError, extra=(AUTO,))(config)
    if importlib.util.find_spec("ctranslate2") is not None:
        from rag.generators import base, ctranslate2

        name, source, cache = base.resolve_model(config)
        try:
            return ctranslate2.CTranslate2Generator(name, source, cache, config)
        except ModelError:
            pass  # an architecture CTranslate2 cannot convert: transformers runs it
    return resolve(BACKENDS, "transformers", "generator backend", ModelError)(config)
