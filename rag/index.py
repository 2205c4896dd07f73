"""The FAISS index on disk: build, save atomically, load, and tell whether it is still fresh.

An index lives in `<index_dir>/<notes-folder-key>/` as numbered builds plus a `CURRENT` file naming
the live one. A build is written completely into its own folder and only then made live by an
atomic `os.replace` of `CURRENT`, so a crash at any point leaves the previous index loadable.
Each build holds `manifest.json` (format version, embedding model and dimension, chunking settings,
sha256 of every notes file, counts), `chunks.jsonl` (one record per vector, in vector order) and
`vectors.faiss`. Re-indexing reuses the vectors of chunks whose text did not change.

It does not parse notes or run models: callers pass chunks and an embedder.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from rag.chunking import Chunk
from rag.errors import IndexStoreError

FORMAT_VERSION = 1
# Exact search costs ~0.25 ms per 1,000 vectors on two shared cores (12 ms at 50k, 25 ms at 100k),
# next to 6-19 ms to embed the question; above 50k HNSW answers in under 1 ms with recall@10 0.98
# against exact search, on 100k near-duplicate chunks (python -m eval.scale; README "Speed").
APPROXIMATE_ABOVE = 50_000
# HNSW settings, measured at 100k chunks of notes with near-duplicate variations (the hard case: close
# scores): efConstruction 80 / efSearch 128 reached only recall@10 0.80; 200 / 256 reaches 0.96 and
# 200 / 512 0.98 at 0.7 ms a query. Building costs ~35 s per 100k vectors (embedding them, ~1 h).
HNSW_LINKS = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 512


@dataclass
class StoredIndex:
    manifest: dict
    chunks: list[Chunk]
    vectors: np.ndarray  # (n, dim) float32, normalized
    faiss_index: faiss.Index

    def search(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(self.chunks))
        if k == 0:
            return np.zeros((len(query_vectors), 0), np.float32), np.zeros((len(query_vectors), 0), np.int64)
        return self.faiss_index.search(np.ascontiguousarray(query_vectors, dtype=np.float32), k)


def notes_key(notes_dir: Path) -> str:
    """One index per notes folder, so switching --notes back and forth never rebuilds needlessly."""
    resolved = Path(notes_dir).resolve()
    return f"{resolved.name or 'notes'}-{hashlib.sha1(str(resolved).encode()).hexdigest()[:8]}"


def make_faiss_index(vectors: np.ndarray, approximate_above: int = APPROXIMATE_ABOVE) -> faiss.Index:
    dim = vectors.shape[1]
    if len(vectors) > approximate_above:
        index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION  # build cost vs graph quality
        index.hnsw.efSearch = HNSW_EF_SEARCH  # saved with the index by faiss.write_index
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def build_index(chunks: list[Chunk], embedder, manifest: dict, previous: StoredIndex | None = None, progress: bool = False) -> tuple[StoredIndex, int]:
    """Embed the chunks (reusing `previous` vectors of unchanged text) and return (index, number embedded)."""
    reusable = {}
    if previous is not None and previous.manifest.get("embedding_model") == manifest["embedding_model"]:
        reusable = {c.content_hash: previous.vectors[i] for i, c in enumerate(previous.chunks)}
    missing = [c for c in chunks if c.content_hash not in reusable]
    fresh = embedder.encode([c.embed_text for c in missing], progress=progress) if missing else None
    by_hash = dict(reusable)
    for i, c in enumerate(missing):
        by_hash[c.content_hash] = fresh[i]
    dim = manifest["embedding_dim"]
    vectors = np.stack([by_hash[c.content_hash] for c in chunks]).astype(np.float32) if chunks else np.zeros((0, dim), np.float32)
    manifest = {**manifest, "format_version": FORMAT_VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
    faiss_index = make_faiss_index(vectors)
    manifest["faiss"] = "hnsw" if isinstance(faiss_index, faiss.IndexHNSWFlat) else "flat"
    manifest.setdefault("counts", {})["chunks"] = len(chunks)
    return StoredIndex(manifest, chunks, vectors, faiss_index), len(missing)


def save_index(stored: StoredIndex, root: Path) -> Path:
    """Write a new build folder, then switch CURRENT to it atomically; older builds are removed."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    build = root / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    partial = build.with_name(build.name + ".partial")
    partial.mkdir()
    with open(partial / "chunks.jsonl", "w", encoding="utf-8") as out:
        for chunk in stored.chunks:
            out.write(json.dumps(chunk.to_record(), ensure_ascii=False) + "\n")
    faiss.write_index(stored.faiss_index, str(partial / "vectors.faiss"))
    np.save(partial / "vectors.npy", stored.vectors)
    (partial / "manifest.json").write_text(json.dumps(stored.manifest, indent=2, ensure_ascii=False))
    os.replace(partial, build)
    _point_current(root, build.name)
    for old in root.iterdir():
        if old.is_dir() and old.name != build.name:
            shutil.rmtree(old, ignore_errors=True)
    return build


def _point_current(root: Path, name: str) -> None:
    tmp = root / f"CURRENT.{os.getpid()}.tmp"
    tmp.write_text(name + "\n")
    os.replace(tmp, root / "CURRENT")


def load_index(root: Path) -> StoredIndex:
    """The live build under `root`; IndexStoreError (with a user message) if missing or damaged."""
    root = Path(root)
    current = root / "CURRENT"
    if not current.exists():
        raise IndexStoreError(f"No index has been built in {root} yet.")
    build = root / current.read_text().strip()
    try:
        manifest = json.loads((build / "manifest.json").read_text())
        if not isinstance(manifest, dict):
            raise ValueError(f"manifest.json holds a {type(manifest).__name__}, not an object")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexStoreError(f"The index in {build} has format {manifest.get('format_version')}, this version reads {FORMAT_VERSION}.")
        with open(build / "chunks.jsonl", encoding="utf-8") as lines:
            chunks = [Chunk.from_record(json.loads(line)) for line in lines if line.strip()]
        faiss_index = faiss.read_index(str(build / "vectors.faiss"))
        vectors = np.load(build / "vectors.npy", mmap_mode="r")  # read only to reuse on re-index: keep it off the heap
    except IndexStoreError:
        raise
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:  # EOFError: an empty vectors.npy
        raise IndexStoreError(f"The index in {build} is damaged ({error.__class__.__name__}: {str(error)[:120]}).") from error
    if not (len(chunks) == faiss_index.ntotal == len(vectors) == manifest.get("counts", {}).get("chunks")):
        raise IndexStoreError(f"The index in {build} is damaged: {len(chunks)} chunk records for {faiss_index.ntotal} vectors.")
    if faiss_index.d != manifest.get("embedding_dim"):
        raise IndexStoreError(f"The index in {build} is damaged: vectors of dimension {faiss_index.d}, manifest says {manifest.get('embedding_dim')}.")
    return StoredIndex(manifest, chunks, vectors, faiss_index)


def stale_reason(manifest: dict, expected: dict) -> str | None:
    """Why an index built with `manifest` cannot serve notes and settings `expected`; None if it can."""
    if manifest.get("embedding_model") != expected["embedding_model"]:
        return f"it was built with the embedding model {manifest.get('embedding_model')}, not {expected['embedding_model']}"
    if manifest.get("embedding_dim") != expected["embedding_dim"]:
        return "its vectors have another dimension"
    if manifest.get("settings") != expected["settings"]:
        return "the chunking settings changed"
    old, new = manifest.get("files", {}), expected["files"]
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    changed = sorted(f for f in set(old) & set(new) if old[f] != new[f])
    parts = [f"{label} {', '.join(names[:3])}{' …' if len(names) > 3 else ''}" for label, names in (("new:", added), ("removed:", removed), ("changed:", changed)) if names]
    return "notes changed (" + "; ".join(parts) + ")" if parts else None
