"""Bring a vector store up to date with the notes: the one place that decides what to (re)embed.

`sync` compares what the store's manifest says it was built from (embedding model and dimension,
chunking settings, sha256 of every notes file) with the notes and settings now. When they differ it
says why (`log`), chunks the notes, reuses the stored vector of every chunk whose embedded text is
unchanged (by content hash, across files and renames), embeds the rest, deletes the chunks that are
gone, upserts the new ones and commits. Vectors of another embedding model are never mixed in. When
nothing differs it reads nothing else and embeds nothing.

What the person should hear about goes in `SyncReport.notice`, one line: a saved index that was
damaged (and rebuilt), or one that could not be saved (a read-only folder, a full disk): the store
then serves from memory and the index is built again on the next start.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from rag.chunking import Chunk
from rag.store.base import VectorStore, payload


@dataclass
class SyncReport:
    chunks: int  # stored now
    embedded: int  # chunks embedded now; the rest reused their stored vectors
    upserted: int
    deleted: int
    rebuilt: bool
    reason: str  # why the store changed, or "up to date"
    notice: str | None = None  # one line for the person: the saved index was repaired, or could not be saved


def stale_reason(manifest: dict, expected: dict) -> str | None:
    """Why an index built with `manifest` cannot serve notes and settings `expected`; None if it can."""
    if not manifest:
        return "no index has been built yet"
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


def sync(
    chunks: Sequence[Chunk] | Callable[[], Sequence[Chunk]],
    store: VectorStore,
    embedder,
    *,
    files: dict[str, str],
    settings: dict,
    counts: dict | None = None,
    rebuild: bool = False,
    progress: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> SyncReport:
    """Make `store` hold exactly `chunks` (a list, or a function giving it: called only when needed).

    `files` maps each notes file to its sha256 and `settings` are the chunking settings: with the
    embedder's name and dimension they make the manifest. A store that could not read its saved
    index says why in `store.problem`; that is the reason given for rebuilding it.
    """
    expected = {"embedding_model": embedder.name, "embedding_dim": embedder.dim, "settings": settings, "files": files}
    manifest = store.get_manifest()
    reason = "forced rebuild" if rebuild else getattr(store, "problem", None) or stale_reason(manifest, expected)
    if not reason:
        return SyncReport(len(store), 0, 0, 0, False, "up to date")
    log(f"Building the index: {reason}")
    repaired = f"{reason.rstrip('.')}; it was rebuilt from your notes." if not rebuild and getattr(store, "damaged", False) else None
    wanted = {c.id: c for c in (chunks() if callable(chunks) else chunks)}
    stored = store.payloads()
    if (manifest.get("embedding_model"), manifest.get("embedding_dim")) != (embedder.name, embedder.dim):
        store.delete(list(stored))  # another model's vectors: nothing is reused
        stored = {}
    new = [c for id, c in wanted.items() if id not in stored]
    by_hash = {p["content_hash"]: id for id, p in stored.items()}
    reused_ids = list(dict.fromkeys(by_hash[c.content_hash] for c in new if c.content_hash in by_hash))
    vectors = dict(zip((stored[id]["content_hash"] for id in reused_ids), store.vectors(reused_ids))) if reused_ids else {}
    missing = [c for c in new if c.content_hash not in vectors]
    if missing:
        vectors.update(zip((c.content_hash for c in missing), embedder.encode([c.embed_text for c in missing], progress=progress)))
    gone = [id for id in stored if id not in wanted]
    store.delete(gone)
    if new:
        store.upsert([c.id for c in new], [vectors[c.content_hash] for c in new], [payload(c) for c in new])
    store.set_manifest({**expected, "counts": dict(counts or {})})
    try:
        store.commit()
    except OSError as error:  # a read-only folder, a full disk: what was built still serves, from memory
        unsaved = (
            f"The index could not be saved in {getattr(store, 'root', 'its folder')} ({error.strerror or error}); "
            "answering from memory, and it is built again on the next start."
        )
        log(unsaved)
        repaired = f"{repaired} {unsaved}" if repaired else unsaved
    return SyncReport(len(store), len(missing), len(new), len(gone), True, reason, repaired)
