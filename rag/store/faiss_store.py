"""The FAISS vector store: a folder of numbered builds, the live one named by `CURRENT`.

An index lives in `<index_dir>/<notes-folder-key>/`. `commit()` writes a build completely into its
own folder and only then makes it live by an atomic `os.replace` of `CURRENT`, so a crash at any
point leaves the previous index loadable; older builds are then removed. Each build holds
`manifest.json` (format version, what sync.py records: embedding model and dimension, chunking
settings, sha256 of every notes file, counts), `chunks.jsonl` (id and payload of each vector, in
vector order), `vectors.faiss` and `vectors.npy` (the vectors again, read to reuse them on re-index).
Search is exact below 50k vectors and HNSW above; a `where` filter restricts the search to the
matching vectors before ranking. A build that cannot be read raises IndexStoreError (`load`), or
gives an empty store that says why (`problem`), which sync.py rebuilds.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import faiss
import numpy as np

from rag.config import Config
from rag.errors import IndexStoreError
from rag.store.base import Hit, matches

# 2: chunks.jsonl holds str ids and payloads (file, folders, section, text, ..., tags) instead of chunk records.
FORMAT_VERSION = 2
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


def _notes_order(payload: dict) -> tuple:
    # The order load_notes reads files in (sorted paths), then lines: a build is the same whatever
    # the history of edits that led to it (HNSW's graph and ties between equal scores depend on it).
    return payload["file"].split("/"), payload["line_start"]


class FaissStore:
    """Vectors, ids and payloads in memory (vectors memory-mapped once loaded), written on commit."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.problem: str | None = None  # why the saved build could not be read; sync.py says it when rebuilding
        self._ids: list[str] = []
        self._payloads: list[dict] = []
        self._vectors = np.zeros((0, 0), np.float32)
        self._manifest: dict = {}
        self._index: faiss.Index | None = None
        self._rows: dict[str, int] | None = None  # id -> row, for vectors()

    # --- reading a build
    @classmethod
    def load(cls, root: Path) -> "FaissStore":
        """The live build under `root`; IndexStoreError (with a user message) if missing or damaged."""
        store = cls(root)
        current = store.root / "CURRENT"
        if not current.exists():
            raise IndexStoreError(f"No index has been built in {store.root} yet.")
        build = store.root / current.read_text().strip()
        try:
            manifest = json.loads((build / "manifest.json").read_text())
            if not isinstance(manifest, dict):
                raise ValueError(f"manifest.json holds a {type(manifest).__name__}, not an object")
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexStoreError(f"The index in {build} has format {manifest.get('format_version')}, this version reads {FORMAT_VERSION}.")
            ids, payloads = [], []
            with open(build / "chunks.jsonl", encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        record = json.loads(line)
                        ids.append(str(record["id"]))
                        payloads.append({k: v for k, v in record.items() if k != "id"})
            faiss_index = faiss.read_index(str(build / "vectors.faiss"))
            vectors = np.load(build / "vectors.npy", mmap_mode="r")  # read only to reuse on re-index: keep it off the heap
        except IndexStoreError:
            raise
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:  # EOFError: an empty vectors.npy
            raise IndexStoreError(f"The index in {build} is damaged ({error.__class__.__name__}: {str(error)[:120]}).") from error
        if not (len(ids) == faiss_index.ntotal == len(vectors) == manifest.get("counts", {}).get("chunks")):
            raise IndexStoreError(f"The index in {build} is damaged: {len(ids)} chunk records for {faiss_index.ntotal} vectors.")
        if faiss_index.d != manifest.get("embedding_dim"):
            raise IndexStoreError(f"The index in {build} is damaged: vectors of dimension {faiss_index.d}, manifest says {manifest.get('embedding_dim')}.")
        store._ids, store._payloads, store._vectors, store._manifest, store._index = ids, payloads, vectors, manifest, faiss_index
        return store

    # --- the VectorStore protocol
    def __len__(self) -> int:
        return len(self._ids)

    def payloads(self) -> dict[str, dict]:
        return dict(zip(self._ids, self._payloads))

    def vectors(self, ids: list[str]) -> np.ndarray:
        if self._rows is None:  # built once per change, not per call: retrieval asks on every question
            self._rows = {id: row for row, id in enumerate(self._ids)}
        rows = self._rows
        return np.asarray(self._vectors[[rows[id] for id in ids]], dtype=np.float32).reshape(len(ids), -1)

    def get_manifest(self) -> dict:
        return copy.deepcopy(self._manifest)  # callers may change theirs (its "files" too)

    def set_manifest(self, manifest: dict) -> None:
        self._manifest = copy.deepcopy(manifest)

    def upsert(self, ids: list[str], vectors: np.ndarray, payloads: list[dict]) -> None:
        if not len(ids):
            return
        self.delete(ids)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        if self._ids and vectors.shape[1] != self._vectors.shape[1]:
            raise ValueError(f"vectors of dimension {vectors.shape[1]} cannot join an index of dimension {self._vectors.shape[1]}")
        self._vectors = np.concatenate([self._vectors, vectors]) if self._ids else vectors.copy()
        self._ids += [str(i) for i in ids]
        self._rows = None
        self._payloads += list(payloads)
        self._index = None  # it holds the old vectors; rebuilt when next needed (_keep does not when the order stays)
        order = sorted(range(len(self._ids)), key=lambda row: _notes_order(self._payloads[row]))
        self._keep(order)

    def delete(self, ids: list[str]) -> None:
        gone = set(ids)
        if gone.intersection(self._ids):
            self._keep([row for row, id in enumerate(self._ids) if id not in gone])

    def search(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[Hit]:
        query = np.ascontiguousarray(np.asarray(vector, dtype=np.float32).reshape(1, -1))
        if where:
            rows = np.array([row for row, p in enumerate(self._payloads) if matches(p, where)], dtype=np.int64)
            k = min(k, len(rows))
            # Only the matching vectors take part in the search: the k best of them, not the k best filtered.
            options = {"params": faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))} if k else {}
        else:
            k, options = min(k, len(self._ids)), {}
        if k <= 0:
            return []
        scores, found = self._faiss().search(query, k, **options)
        return [Hit(self._ids[row], float(score), self._payloads[row]) for score, row in zip(scores[0], found[0]) if row >= 0]

    def commit(self) -> None:
        """Write a new build folder, then switch CURRENT to it atomically; older builds are removed."""
        index = self._faiss()
        vectors = np.ascontiguousarray(self._vectors, dtype=np.float32).reshape(len(self._ids), index.d)
        manifest = {**self._manifest, "format_version": FORMAT_VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
        manifest["faiss"] = "hnsw" if isinstance(index, faiss.IndexHNSWFlat) else "flat"
        manifest["counts"] = {**manifest.get("counts", {}), "chunks": len(self._ids)}
        self.root.mkdir(parents=True, exist_ok=True)
        build = self.root / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        partial = build.with_name(build.name + ".partial")
        partial.mkdir()
        with open(partial / "chunks.jsonl", "w", encoding="utf-8") as out:
            for id, payload in zip(self._ids, self._payloads):
                out.write(json.dumps({"id": id, **payload}, ensure_ascii=False) + "\n")
        faiss.write_index(index, str(partial / "vectors.faiss"))
        np.save(partial / "vectors.npy", vectors)
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(partial, build)
        _point_current(self.root, build.name)
        for old in self.root.iterdir():
            if old.is_dir() and old.name != build.name:
                shutil.rmtree(old, ignore_errors=True)
        self._manifest, self.problem = manifest, None

    # --- helpers
    def _keep(self, rows: list[int]) -> None:
        """Keep these rows, in this order; the FAISS index is rebuilt when next needed."""
        if rows == list(range(len(self._ids))):
            return
        self._ids = [self._ids[r] for r in rows]
        self._rows = None
        self._payloads = [self._payloads[r] for r in rows]
        self._vectors = np.asarray(self._vectors[rows], dtype=np.float32).reshape(len(rows), self._vectors.shape[1])
        self._index = None

    def _faiss(self) -> faiss.Index:
        if self._index is None:
            dim = self._vectors.shape[1] if self._ids else int(self._manifest.get("embedding_dim") or 0)
            self._index = make_faiss_index(np.asarray(self._vectors, dtype=np.float32).reshape(len(self._ids), dim))
        return self._index


def _point_current(root: Path, name: str) -> None:
    tmp = root / f"CURRENT.{os.getpid()}.tmp"
    tmp.write_text(name + "\n")
    os.replace(tmp, root / "CURRENT")


def load(config: Config, notes_dir: Path) -> FaissStore:
    """The store of this notes folder: its live build, or an empty store that says why there is none."""
    root = config.index_dir / notes_key(notes_dir)
    try:
        return FaissStore.load(root)
    except IndexStoreError as error:
        store = FaissStore(root)
        store.problem = str(error)
        return store
