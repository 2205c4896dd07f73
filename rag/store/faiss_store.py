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

Damage is found at load: the manifest records the size and CRC-32 of every other file of the build
and of its own content, so a truncated or garbled vectors.faiss, vectors.npy, chunks.jsonl or
manifest.json is caught before it is used (0.1 s per 100 MB), as are a CURRENT that names no build
of this folder, counts that disagree and vectors of the wrong shape. A commit that cannot write (a read-only folder, a full disk) removes what it wrote,
leaves the live build as it was, and raises OSError; the store still holds everything in memory.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import time
import zlib
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
# What CURRENT may name: a build folder of this store, nothing else (never a path elsewhere).
BUILD_NAME = re.compile(r"build-[A-Za-z0-9_-]+")
# The files of a build that the manifest vouches for (size and CRC-32).
CHECKED_FILES = ("chunks.jsonl", "vectors.faiss", "vectors.npy")


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
        self.damaged = False  # a saved build was there but could not be used (not merely none yet)
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
        build = store.root
        try:
            name = current.read_text(encoding="utf-8").strip()
            if not BUILD_NAME.fullmatch(name):
                raise ValueError(f"CURRENT names {name[:60]!r}, not a build")
            build = store.root / name
            manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError(f"manifest.json holds a {type(manifest).__name__}, not an object")
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexStoreError(f"The index in {build} has format {manifest.get('format_version')}, this version reads {FORMAT_VERSION}.")
            if "manifest_crc32" in manifest and manifest["manifest_crc32"] != _manifest_crc(manifest):
                raise ValueError("manifest.json is garbled: its CRC-32 is not the one written")
            _check_files(build, manifest.get("checksums"))
            ids, payloads = [], []
            with open(build / "chunks.jsonl", encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        record = json.loads(line)
                        if not (isinstance(record["file"], str) and isinstance(record["line_start"], int)):
                            raise ValueError(f"chunk record {len(ids) + 1} has no file and line")
                        ids.append(str(record["id"]))
                        payloads.append({k: v for k, v in record.items() if k != "id"})
            faiss_index = faiss.read_index(str(build / "vectors.faiss"))
            vectors = np.load(build / "vectors.npy", mmap_mode="r")  # read only to reuse on re-index: keep it off the heap
        except IndexStoreError:
            raise
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:  # EOFError: an empty vectors.npy
            raise IndexStoreError(f"The index in {build} is damaged ({error.__class__.__name__}: {str(error)[:120]}).") from error
        if not (len(ids) == faiss_index.ntotal == len(vectors) == manifest.get("counts", {}).get("chunks")):
            raise IndexStoreError(
                f"The index in {build} is damaged: {len(ids)} chunk records, {faiss_index.ntotal} vectors in vectors.faiss, "
                f"{len(vectors)} in vectors.npy, {manifest.get('counts', {}).get('chunks')} in the manifest."
            )
        if faiss_index.d != manifest.get("embedding_dim"):
            raise IndexStoreError(f"The index in {build} is damaged: vectors of dimension {faiss_index.d}, manifest says {manifest.get('embedding_dim')}.")
        if vectors.ndim != 2 or vectors.shape[1] != faiss_index.d or vectors.dtype != np.float32:
            raise IndexStoreError(f"The index in {build} is damaged: vectors.npy holds {vectors.dtype} of shape {vectors.shape}, not {len(ids)} x {faiss_index.d} float32.")
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
        build = self.root / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        partial = build.with_name(build.name + ".partial")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            partial.mkdir()
            with open(partial / "chunks.jsonl", "w", encoding="utf-8") as out:
                for id, payload in zip(self._ids, self._payloads):
                    out.write(json.dumps({"id": id, **payload}, ensure_ascii=False) + "\n")
            try:
                faiss.write_index(index, str(partial / "vectors.faiss"))
            except RuntimeError as error:  # faiss reports a failed write (a full disk) this way
                raise OSError(f"could not write vectors.faiss: {str(error).strip().splitlines()[-1][:200]}") from error
            np.save(partial / "vectors.npy", vectors)
            manifest["checksums"] = {name: _checksum(partial / name) for name in CHECKED_FILES}
            manifest["manifest_crc32"] = _manifest_crc(manifest)
            (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, build)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # nothing half-written stays behind; the live build is untouched
            raise
        try:
            _point_current(self.root, build.name)
        except OSError:
            shutil.rmtree(build, ignore_errors=True)
            raise
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
    try:
        tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(tmp, root / "CURRENT")
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _checksum(path: Path) -> dict:
    """Size and CRC-32 of a file: enough to tell a truncated or garbled copy, fast enough for every load."""
    crc = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            crc = zlib.crc32(block, crc)
    return {"bytes": path.stat().st_size, "crc32": crc}


def _manifest_crc(manifest: dict) -> int:
    """CRC-32 of the manifest's content (not its layout), so a garbled value in it is found too."""
    content = {k: v for k, v in manifest.items() if k != "manifest_crc32"}
    return zlib.crc32(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def _check_files(build: Path, checksums) -> None:
    """ValueError naming the first file of `build` that is not as the manifest recorded it.
    A build written before checksums were recorded has none: its counts and shapes are still checked."""
    if checksums is None:
        return
    if not isinstance(checksums, dict) or set(checksums) != set(CHECKED_FILES):
        raise ValueError("the manifest's checksums are garbled")
    for name in CHECKED_FILES:
        expected, path = checksums[name], build / name
        size = path.stat().st_size
        if size != expected.get("bytes"):
            raise ValueError(f"{name} has {size:,} bytes, {expected.get('bytes'):,} were written")
        if _checksum(path) != expected:
            raise ValueError(f"{name} is garbled: its CRC-32 is not the one written")


def load(config: Config, notes_dir: Path) -> FaissStore:
    """The store of this notes folder: its live build, or an empty store that says why there is none."""
    root = config.index_dir / notes_key(notes_dir)
    try:
        return FaissStore.load(root)
    except IndexStoreError as error:
        store = FaissStore(root)
        store.problem = str(error)
        store.damaged = (root / "CURRENT").exists()  # a saved index that could not be used, not a first build
        return store
