"""Vector stores by name: the registry, and `open_store(config, notes_dir)` for the configured one.

Each store is one module with a `load(config, notes_dir)` function returning a `VectorStore`
(base.py); adding one is a new module plus one line in BACKENDS. What goes into a store, and when,
is decided by sync.py alone.
"""
from __future__ import annotations

from pathlib import Path

from rag.config import Config
from rag.errors import IndexStoreError
from rag.registry import resolve
from rag.store.base import VectorStore

BACKENDS = {
    "faiss": "rag.store.faiss_store:load",
    "qdrant": "rag.store.qdrant_store:load",
}


def names() -> list[str]:
    """What `vector_store` (RAG_VECTOR_STORE) accepts."""
    return list(BACKENDS)


def open_store(config: Config, notes_dir: Path) -> VectorStore:
    """The configured store of this notes folder, as saved (possibly empty: sync.py fills it)."""
    return resolve(BACKENDS, config.vector_store, "vector store", IndexStoreError)(config, Path(notes_dir))


def index_folder(config: Config, notes_dir: Path) -> Path:
    """The folder beside which a notes folder's index keeps its own files (one per notes folder)."""
    from rag.store.faiss_store import notes_key

    return Path(config.index_dir) / notes_key(Path(notes_dir))


def unanswered_path(config: Config) -> Path:
    """Where unanswered questions are kept when `keep_unanswered` is on: beside the index."""
    from rag.unanswered import FILE_NAME

    return index_folder(config, config.notes_dir) / FILE_NAME
