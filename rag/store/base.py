"""What every vector store offers (the `VectorStore` protocol), what a search returns (`Hit`), what
each stored chunk carries (`payload`), and what a `where` filter means (`matches`, the reference).

A store keeps vectors with their payloads under str ids (`Chunk.id`) and one manifest (what the
vectors were made from; rag/store/sync.py reads and writes it). It does not chunk, embed or decide
what is stale: sync.py does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol

import numpy as np

from rag.chunking import Chunk

# `where` keys and the payload field each one tests: file == value; value in folders / tags / section.
WHERE_KEYS = {"file": "file", "folder": "folders", "tag": "tags", "heading": "section"}


@dataclass
class Hit:
    id: str
    score: float          # cosine, higher is closer
    payload: dict


class VectorStore(Protocol):
    def upsert(self, ids: list[str], vectors: np.ndarray, payloads: list[dict]) -> None: ...
    def delete(self, ids: list[str]) -> None: ...
    def search(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[Hit]: ...
    def payloads(self) -> dict[str, dict]: ...            # id -> payload, every stored chunk
    def vectors(self, ids: list[str]) -> np.ndarray: ...  # stored vectors, for reuse without re-embedding
    def get_manifest(self) -> dict: ...
    def set_manifest(self, manifest: dict) -> None: ...
    def commit(self) -> None: ...   # make upserts/deletes/manifest durable (FAISS: new build + atomic CURRENT swap;
                                    # Qdrant: no-op or manifest write). Readers never see a half-written state.
    def __len__(self) -> int: ...


def folders_of(file: str) -> list[str]:
    """Every ancestor folder of a notes file, outermost first: "git/tricks/a.md" -> ["git", "git/tricks"]."""
    parts = PurePosixPath(file).parts[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def payload(chunk: Chunk) -> dict:
    """What every store keeps beside a chunk's vector (exactly these keys)."""
    return {
        "file": chunk.file,
        "folders": folders_of(chunk.file),
        "section": list(chunk.section),
        "text": chunk.text,
        "embed_text": chunk.embed_text,
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "content_hash": chunk.content_hash,
        "tags": list(chunk.tags),
        "open_fences": chunk.open_fences,
        "about": chunk.about,
        "named_by_file": chunk.named_by_file,
    }


def matches(payload: dict, where: dict | None) -> bool:
    """Whether a stored chunk passes a `where` filter: every key must hold (no filter: all pass)."""
    for key, value in (where or {}).items():
        if key not in WHERE_KEYS:
            raise ValueError(f"Unknown filter '{key}': use {', '.join(WHERE_KEYS)}.")
        field = payload.get(WHERE_KEYS[key])
        if not (field == value if key == "file" else value in (field or [])):
            return False
    return True
