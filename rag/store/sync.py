"""Bring a vector store up to date with the notes: the one place that decides what to (re)embed.

`sync` compares what the store's manifest says it was built from (embedding model and dimension,
chunking settings, sha256 of every notes file) with the notes and settings now. When they differ it
says why (`log`), chunks the notes, reuses the stored vector of every chunk whose embedded text is
unchanged (by content hash, across files and renames), embeds the rest, deletes the chunks that are
gone, upserts the new ones and commits. Vectors of another embedding model are never mixed in. When
nothing differs it reads nothing else and embeds nothing.

`sync_files` does the same for a few files only (what a folder watcher saw change): the chunks of
those files are replaced, every other stored chunk is left alone, and the folder is not read again.
A renamed file's chunks find their vectors by content hash, so a rename embeds nothing.

Both record in the manifest what the last sync changed (`last_sync`: when, files added, changed,
removed and renamed, chunks embedded and reused) and report embedding progress in files
(`on_progress(done, total)`), so a terminal or the chat can say "indexed 800/1871 files".

What the person should hear about goes in `SyncReport.notice`, one line: a saved index that was
damaged (and rebuilt), or one that could not be saved (a read-only folder, a full disk): the store
then serves from memory and the index is built again on the next start.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from rag.chunking import Chunk
from rag.store.base import VectorStore, payload

# Chunks embedded per call when progress is reported: ~40 notes of the TIL collection, a second or two
# on two cores, so the count moves often; larger batches gain nothing (the embedder batches by tokens).
PROGRESS_BATCH_CHUNKS = 256


@dataclass
class SyncReport:
    chunks: int  # stored now
    embedded: int  # chunks embedded now; the rest reused their stored vectors
    upserted: int
    deleted: int
    rebuilt: bool
    reason: str  # why the store changed, or "up to date"
    changes: dict = field(default_factory=dict)  # files "added", "changed", "removed", "renamed" ([old, new])
    notice: str | None = None  # one line for the person: the saved index was repaired, or could not be saved


def stale_reason(manifest: dict, expected: dict) -> str | None:
    """Why an index built with `manifest` cannot serve notes and settings `expected`; None if it can."""
    reason = model_reason(manifest, expected)
    if reason:
        return reason
    changes = file_changes(manifest.get("files", {}), expected["files"])
    parts = [
        f"{label} {', '.join(names[:3])}{' …' if len(names) > 3 else ''}"
        for label, names in (("new:", changes["added"]), ("removed:", changes["removed"]), ("changed:", changes["changed"]))
        if names
    ]
    if changes["renamed"]:
        renamed = [f"{old} → {new}" for old, new in changes["renamed"]]
        parts.append(f"renamed: {', '.join(renamed[:3])}{' …' if len(renamed) > 3 else ''}")
    return "notes changed (" + "; ".join(parts) + ")" if parts else None


def model_reason(manifest: dict, expected: dict) -> str | None:
    """Why the stored vectors cannot be kept at all (no index, another model or chunking); None if they can."""
    if not manifest:
        return "no index has been built yet"
    if manifest.get("embedding_model") != expected["embedding_model"]:
        return f"it was built with the embedding model {manifest.get('embedding_model')}, not {expected['embedding_model']}"
    if manifest.get("embedding_dim") != expected["embedding_dim"]:
        return "its vectors have another dimension"
    if manifest.get("settings") != expected["settings"]:
        return "the chunking settings changed"
    return None


def file_changes(old: dict[str, str], new: dict[str, str]) -> dict[str, list]:
    """Files added, changed, removed and renamed between two {file: sha256} maps (a rename: same bytes, new name)."""
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    changed = sorted(f for f in set(old) & set(new) if old[f] != new[f])
    by_sha = {}
    for name in removed:
        by_sha.setdefault(old[name], []).append(name)
    renamed = []
    for name in list(added):
        olds = by_sha.get(new[name])
        if olds:
            renamed.append([olds.pop(0), name])
            added.remove(name)
    moved = {old_name for old_name, _ in renamed}
    return {"added": added, "changed": changed, "removed": [n for n in removed if n not in moved], "renamed": renamed}


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
    on_progress: Callable[[int, int], None] | None = None,
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
    changes = file_changes(manifest.get("files", {}) if stored else {}, files)
    embedded, upserted, deleted = _replace(store, embedder, wanted, stored, stored, progress, on_progress)
    unsaved = _commit(store, {**expected, "counts": dict(counts or {})}, changes, embedded, upserted, log)
    notice = " ".join(n for n in (repaired, unsaved) if n) or None
    return SyncReport(len(store), embedded, upserted, deleted, True, reason, changes, notice)


def sync_files(
    chunks_by_file: dict[str, Sequence[Chunk]],
    store: VectorStore,
    embedder,
    *,
    files: dict[str, str],
    settings: dict,
    counts: dict | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Replace the stored chunks of the files in `chunks_by_file` (a file mapped to [] has none left,
    e.g. deleted) and commit; other files' chunks stay as they are and are not read.

    `files` is the whole folder's {file: sha256} after the change. The store must already hold an
    index of this embedder and these settings (else ValueError: run `sync` over the whole folder)."""
    expected = {"embedding_model": embedder.name, "embedding_dim": embedder.dim, "settings": settings, "files": files}
    manifest = store.get_manifest()
    problem = getattr(store, "problem", None) or model_reason(manifest, expected)
    if problem:
        raise ValueError(f"cannot update single files: {problem}")
    changes = file_changes(manifest.get("files", {}), files)
    if not any(changes.values()) and not chunks_by_file:
        return SyncReport(len(store), 0, 0, 0, False, "up to date", changes)
    stored = store.payloads()
    touched = set(chunks_by_file)
    in_scope = {id: p for id, p in stored.items() if p["file"] in touched}
    wanted = {c.id: c for chunks in chunks_by_file.values() for c in chunks}
    embedded, upserted, deleted = _replace(store, embedder, wanted, in_scope, stored, False, on_progress)
    if not (embedded or upserted or deleted or any(changes.values())):
        return SyncReport(len(store), 0, 0, 0, False, "up to date", changes)
    unsaved = _commit(store, {**manifest, **expected, "counts": {**manifest.get("counts", {}), **(counts or {})}}, changes, embedded, upserted)
    return SyncReport(len(store), embedded, upserted, deleted, True, "notes changed", changes, unsaved)


def _replace(store, embedder, wanted: dict, in_scope: dict, reusable: dict, progress, on_progress) -> tuple[int, int, int]:
    """Make the `in_scope` stored chunks become `wanted`: vectors of unchanged text (by content hash,
    anywhere in `reusable`) are reused, the rest embedded. Returns (embedded, upserted, deleted)."""
    # New chunks, and kept ones whose payload changed without their text (a front-matter tag added)
    payloads = {id: payload(c) for id, c in wanted.items()}
    new = [c for id, c in wanted.items() if in_scope.get(id) != payloads[id]]
    by_hash = {p["content_hash"]: id for id, p in reusable.items()}
    reused_ids = list(dict.fromkeys(by_hash[c.content_hash] for c in new if c.content_hash in by_hash))
    vectors = dict(zip((reusable[id]["content_hash"] for id in reused_ids), store.vectors(reused_ids))) if reused_ids else {}
    missing = list({c.content_hash: c for c in new if c.content_hash not in vectors}.values())
    if missing:
        vectors.update(zip((c.content_hash for c in missing), _embed(missing, embedder, progress, on_progress)))
    gone = [id for id in in_scope if id not in wanted]
    store.delete(gone)
    if new:
        store.upsert([c.id for c in new], [vectors[c.content_hash] for c in new], [payloads[c.id] for c in new])
    return len(missing), len(new), len(gone)


def _embed(chunks: list[Chunk], embedder, progress: bool, on_progress) -> list:
    """Vectors of `chunks`, in order; with `on_progress`, a few files at a time, reporting files done."""
    if on_progress is None:
        return list(embedder.encode([c.embed_text for c in chunks], progress=progress))
    by_file: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_file.setdefault(c.file, []).append(c)
    vectors, batch, done = {}, [], 0
    on_progress(0, len(by_file))
    for n, file_chunks in enumerate(by_file.values(), 1):
        batch += file_chunks
        if len(batch) >= PROGRESS_BATCH_CHUNKS or n == len(by_file):
            vectors.update(zip((c.content_hash for c in batch), embedder.encode([c.embed_text for c in batch])))
            done, batch = n, []
            on_progress(done, len(by_file))
    return [vectors[c.content_hash] for c in chunks]


def _commit(store, manifest: dict, changes: dict, embedded: int, upserted: int, log=lambda message: None) -> str | None:
    """Write the manifest and commit; the one line to tell the person when it could not be saved."""
    last = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **changes, "embedded": embedded, "reused": upserted - embedded}
    store.set_manifest({**manifest, "last_sync": last})
    try:
        store.commit()
    except OSError as error:  # a read-only folder, a full disk: what was built still serves, from memory
        unsaved = (
            f"The index could not be saved in {getattr(store, 'root', 'its folder')} ({error.strerror or error}); "
            "answering from memory, and it is built again on the next start."
        )
        log(unsaved)
        return unsaved
    return None
