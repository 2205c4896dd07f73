"""The vectors in Qdrant: embedded in this process (a folder under the index folder) or on a server.

`RAG_QDRANT_URL` empty (the default) runs Qdrant's embedded local mode in
`<index_dir>/qdrant/<notes-folder-key>/`, one storage folder (and one collection) per notes folder, so
two notes folders never share a lock. With a URL every notes folder is one collection on that server.

- Ids: a chunk id (32 hex characters) is a UUID written without dashes, so each chunk is the point
  `UUID(hex=id)` and a hit's point id turns back into the chunk id with `.hex`; no extra payload key.
- Cosine distance (Qdrant normalises on upsert; our vectors already are, so scores equal FAISS's
  inner products). Keyword payload indexes on file, folders, tags and section, the fields `where`
  tests; `where` becomes the query's filter, so Qdrant ranks only matching points.
- Exact search up to faiss_store.APPROXIMATE_ABOVE points, the same rule and number as the FAISS
  store: the same notes give the same passages in either store. (The embedded mode always searches exactly.)
- The manifest lives in a second, one-point collection `<collection>-manifest` (its payload holds the
  manifest as JSON). One way for both modes: a server has no folder beside it for a JSON file, and a
  reserved point inside the chunks' collection would have to be kept out of every search, scroll and count.
  The first upsert or delete after a commit empties the stored manifest, and commit writes the new
  one, so a process stopped half-way leaves an index that reads as unbuilt, never as up to date.
- Embedded mode holds a file lock on its folder for as long as the store is open: a second store on
  the same folder, in this process or another, fails at once with IndexStoreError saying so. A
  server serves any number of processes.
"""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import numpy as np

from rag.config import Config
from rag.errors import IndexStoreError, missing_package
from rag.store.base import WHERE_KEYS, Hit
from rag.store.faiss_store import APPROXIMATE_ABOVE, _notes_order, notes_key

# Points per upsert request: bounded requests to a server (256 x 384 floats is ~0.5 MB of JSON) and
# few round trips; the embedded mode writes each point to SQLite either way.
UPSERT_BATCH = 256
# Points per scroll/retrieve page when reading payloads or vectors back.
READ_BATCH = 1024
# How long to wait for a Qdrant server before saying it cannot be reached.
SERVER_TIMEOUT_S = 10
MANIFEST_POINT = 0
MANIFEST_SUFFIX = "-manifest"


def point_id(chunk_id: str) -> str:
    """The point id of a chunk id (32 hex characters)."""
    try:
        return str(uuid.UUID(hex=chunk_id))
    except (ValueError, TypeError, AttributeError) as error:
        raise ValueError(f"A chunk id must be 32 hex characters, not {chunk_id!r}.") from error


def chunk_id(point: str) -> str:
    return uuid.UUID(str(point)).hex


def collection_name(key: str) -> str:
    """A collection name from a notes-folder key: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", key) or "notes"


def query_filter(where: dict | None):
    """The Qdrant filter meaning what rag.store.base.matches() means; None for no filter."""
    from qdrant_client import models

    conditions = []
    for key, value in (where or {}).items():
        if key not in WHERE_KEYS:
            raise ValueError(f"Unknown filter '{key}': use {', '.join(WHERE_KEYS)}.")
        # On a list field (folders, tags, section) MatchValue holds when any element equals the value.
        conditions.append(models.FieldCondition(key=WHERE_KEYS[key], match=models.MatchValue(value=value)))
    return models.Filter(must=conditions) if conditions else None


class QdrantStore:
    """A VectorStore (rag.store.base) on one Qdrant collection."""

    def __init__(self, client, collection: str, where: str, embedded: bool):
        self.client, self.collection, self.where, self.embedded = client, collection, where, embedded
        self.manifest_collection = collection + MANIFEST_SUFFIX
        self._manifest = self._read_manifest()  # what commit() writes; set_manifest() replaces it
        self._dirty = False  # changed since the last commit: the stored manifest has been emptied
        self._manifest_changed = False

    # --- writing
    def upsert(self, ids: list[str], vectors: np.ndarray, payloads: list[dict]) -> None:
        from qdrant_client import models

        vectors = np.asarray(vectors, dtype=np.float32)
        if not (len(ids) == len(vectors) == len(payloads)):
            raise ValueError(f"upsert needs as many vectors and payloads as ids ({len(ids)}, {len(vectors)}, {len(payloads)}).")
        if not ids:
            return
        self._ensure_collection(vectors.shape[1])
        self._begin_change()
        self._fast_commits()
        for start in range(0, len(ids), UPSERT_BATCH):
            points = [
                models.PointStruct(id=point_id(i), vector=v.tolist(), payload=p)
                for i, v, p in zip(ids[start : start + UPSERT_BATCH], vectors[start : start + UPSERT_BATCH], payloads[start : start + UPSERT_BATCH])
            ]
            self.client.upsert(self.collection, points=points, wait=True)

    def delete(self, ids: list[str]) -> None:
        from qdrant_client import models

        if not ids or not self._exists():
            return
        self._begin_change()
        self._fast_commits()
        for start in range(0, len(ids), UPSERT_BATCH):
            selector = models.PointIdsList(points=[point_id(i) for i in ids[start : start + UPSERT_BATCH]])
            self.client.delete(self.collection, points_selector=selector, wait=True)

    def get_manifest(self) -> dict:
        return json.loads(json.dumps(self._manifest))  # a copy: callers may change theirs

    def set_manifest(self, manifest: dict) -> None:
        self._manifest = json.loads(json.dumps(manifest))  # a copy, and a check that it is JSON
        self._manifest_changed = True

    def commit(self) -> None:
        """Upserts and deletes are already stored; write the manifest that describes them."""
        if self._dirty or self._manifest_changed:
            self._write_manifest(self._manifest)
        self._dirty = self._manifest_changed = False

    # --- reading
    def search(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[Hit]:
        from qdrant_client import models

        flt = query_filter(where)  # checks the keys even when there is nothing to search
        if k <= 0 or not self._exists():
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        # The embedded mode always searches exactly (and warns that search_params do nothing).
        params = None if self.embedded else models.SearchParams(exact=len(self) <= APPROXIMATE_ABOVE)
        result = self.client.query_points(self.collection, query=query.tolist(), query_filter=flt, limit=k, with_payload=True, search_params=params)
        return [Hit(chunk_id(p.id), float(p.score), p.payload) for p in result.points]

    def payloads(self) -> dict[str, dict]:
        """Every chunk, in notes order (file, then line) like the FAISS store, not in point-id order."""
        out: list[tuple[str, dict]] = []
        offset = None
        while self._exists():
            points, offset = self.client.scroll(self.collection, limit=READ_BATCH, offset=offset, with_payload=True, with_vectors=False)
            out.extend((chunk_id(p.id), p.payload) for p in points)
            if offset is None:
                break
        return dict(sorted(out, key=lambda item: _notes_order(item[1])))

    def vectors(self, ids: list[str]) -> np.ndarray:
        found: dict[str, list[float]] = {}
        if ids and self._exists():
            for start in range(0, len(ids), READ_BATCH):
                points = self.client.retrieve(self.collection, ids=[point_id(i) for i in ids[start : start + READ_BATCH]], with_vectors=True)
                found.update((chunk_id(p.id), p.vector) for p in points)
        missing = [i for i in ids if i not in found]
        if missing:
            raise KeyError(f"No stored vector for {len(missing)} id(s), e.g. {missing[0]}.")
        if not ids:
            return np.zeros((0, self._dim() or 0), np.float32)
        return np.asarray([found[i] for i in ids], dtype=np.float32)

    def __len__(self) -> int:
        if not self._exists():
            return 0
        return self.client.count(self.collection, exact=True).count

    def close(self) -> None:
        """Release the embedded mode's lock (a server connection just closes)."""
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- helpers
    def _exists(self) -> bool:
        return self.client.collection_exists(self.collection)

    def _dim(self) -> int | None:
        if not self._exists():
            return None
        return self.client.get_collection(self.collection).config.params.vectors.size

    def _ensure_collection(self, dim: int) -> None:
        from qdrant_client import models

        current = self._dim()
        if current == dim:
            return
        if current is not None:
            if len(self):
                raise IndexStoreError(
                    f"The Qdrant collection '{self.collection}' ({self.where}) holds vectors of dimension {current}, not {dim}; delete its points first."
                )
            self.client.delete_collection(self.collection)  # empty: made again for the new embedding model
        self.client.create_collection(self.collection, vectors_config=models.VectorParams(size=dim, distance=models.Distance.COSINE))
        if self.embedded:
            return  # the embedded mode filters by scanning payloads and warns that indexes do nothing
        for field in sorted(set(WHERE_KEYS.values())):
            self.client.create_payload_index(self.collection, field_name=field, field_schema=models.PayloadSchemaType.KEYWORD)

    def _fast_commits(self) -> None:
        """Embedded mode: SQLite in WAL mode with synchronous=NORMAL for the collections' storage.

        Qdrant's local mode commits one SQLite transaction per point; with the default journal each
        commit waits for the disk (42 ms a point on the shared development machine: 3,000 chunks took 92 s
        to store). WAL with synchronous=NORMAL still keeps the file consistent after a crash or power
        loss (the last commits may be lost, and the emptied manifest then makes the next sync redo them).
        """
        if not self.embedded:
            return
        local = getattr(self.client, "_client", None)
        for name in (self.collection, self.manifest_collection):
            storage = getattr(getattr(getattr(local, "collections", {}).get(name), "storage", None), "storage", None)
            if storage is not None:
                storage.execute("PRAGMA journal_mode=WAL")
                storage.execute("PRAGMA synchronous=NORMAL")

    def _begin_change(self) -> None:
        """Before the first change since a commit: empty the stored manifest (see the module doc)."""
        if not self._dirty:
            self._write_manifest({})
            self._dirty = True

    def _read_manifest(self) -> dict:
        if not self.client.collection_exists(self.manifest_collection):
            return {}
        found = self.client.retrieve(self.manifest_collection, ids=[MANIFEST_POINT], with_payload=True)
        return json.loads(found[0].payload["manifest"]) if found else {}

    def _write_manifest(self, manifest: dict) -> None:
        from qdrant_client import models

        if not self.client.collection_exists(self.manifest_collection):
            self.client.create_collection(self.manifest_collection, vectors_config=models.VectorParams(size=1, distance=models.Distance.DOT))
        self._fast_commits()
        point = models.PointStruct(id=MANIFEST_POINT, vector=[1.0], payload={"manifest": json.dumps(manifest, ensure_ascii=False)})
        self.client.upsert(self.manifest_collection, points=[point], wait=True)


def load(config: Config, notes_dir: Path) -> QdrantStore:
    """The store of this notes folder: on the server at config.qdrant_url, or embedded under index_dir."""
    return open_qdrant(config.qdrant_url, config.index_dir, notes_key(notes_dir))


def open_qdrant(url: str, index_dir: Path, key: str) -> QdrantStore:
    """The store of one notes folder (`key`, faiss_store.notes_key): on the server at `url`, or embedded."""
    try:
        from qdrant_client import QdrantClient
    except ImportError as error:
        raise missing_package("qdrant-client", "Qdrant vector store") from error
    collection = collection_name(key)
    if url:
        client = QdrantClient(url=url, timeout=SERVER_TIMEOUT_S)
        try:
            client.get_collections()
        except Exception as error:  # connection refused, DNS, TLS, auth: all mean "cannot use it"
            client.close()
            raise IndexStoreError(f"Cannot reach the Qdrant server at {url} ({error.__class__.__name__}: {str(error)[:160]}). Start it, or unset RAG_QDRANT_URL for the embedded store.") from error
        return QdrantStore(client, collection, f"on {url}", embedded=False)
    path = Path(index_dir) / "qdrant" / key
    try:
        client = QdrantClient(path=str(path))
    except RuntimeError as error:
        if "already accessed" not in str(error):
            raise
        raise IndexStoreError(
            f"The Qdrant index in {path} is already open in another pipeline or process; embedded Qdrant allows one at a time. "
            "Close the other one, or run a Qdrant server and set RAG_QDRANT_URL."
        ) from error
    return QdrantStore(client, collection, f"in {path}", embedded=True)
