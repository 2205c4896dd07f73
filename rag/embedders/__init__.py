"""Embedding models by backend: the registry, and `load_embedder(config)` which picks one and memoises it.

Each backend is one module with a `load(config)` function returning an `Embedder` (base.py); adding
one is a new module plus one line in BACKENDS. `config.embedding_backend` names one of them, or
"auto": CTranslate2 when it is installed and reproduces the model exactly, else sentence-transformers.
"""
from __future__ import annotations

from rag.config import Config
from rag.embedders.base import MemoEmbedder
from rag.errors import ModelError
from rag.registry import AUTO, resolve

BACKENDS = {
    "ctranslate2": "rag.embedders.ctranslate2:load",
    "sentence-transformers": "rag.embedders.sentence_transformers:load",
}


def names() -> list[str]:
    """What `embedding_backend` (RAG_EMBEDDING_BACKEND) accepts."""
    return [AUTO, *BACKENDS]


def load_embedder(config: Config, memo: bool = True) -> MemoEmbedder:
    """The configured embedding model, behind the memo of small calls (`memo=False`: every call runs the model)."""
    backend = config.embedding_backend
    if backend != AUTO:
        return MemoEmbedder(resolve(BACKENDS, backend, "embedding backend", ModelError, extra=(AUTO,))(config), memo)
    try:
        impl = resolve(BACKENDS, "ctranslate2", "embedding backend", ModelError)(config)
    except (ModelError, OSError):  # not installed, a model it cannot reproduce, a cache folder that cannot be written
        impl = resolve(BACKENDS, "sentence-transformers", "embedding backend", ModelError)(config)
    return MemoEmbedder(impl, memo)
