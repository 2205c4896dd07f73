"""The notes' health at a glance: what `python -m rag status` prints and the chat's Notes tab shows.

`collect(...)` gathers, as one JSON-ready dict: how many files, sections and chunks; the empty
headings grouped by file (the notes' to-do list); the files skipped with their reasons and those read
with a remark; tags with how many files carry each; whether the index is up to date, when it was last
synced and what that sync changed; the models; the index's size on disk; and the questions the notes
could not answer, newest first. It reads no file itself and embeds nothing: the caller passes the
notes it read, the store it opened and the unanswered list.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from rag.notes import empty_sections
from rag.store.sync import file_changes, model_reason

# The packaged answer model's name when it has not been loaded (status does not load it).
DEFAULT_GENERATOR = "SmolLM2-135M-Instruct (packaged)"


def disk_bytes(folder: Path) -> int:
    """Bytes of every file under `folder` (the index's builds and what is kept beside them)."""
    folder = Path(folder)
    if not folder.exists():
        return 0
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:  # removed by a commit meanwhile
            continue
    return total


def empty_by_file(sections) -> list[dict]:
    """Empty headings grouped by file, files in name order, headings in line order."""
    grouped: dict[str, list[dict]] = {}
    for s in empty_sections(sections):
        grouped.setdefault(s.file, []).append({"section": list(s.path), "line": s.line_start})
    return [{"file": file, "headings": sorted(items, key=lambda h: h["line"])} for file, items in sorted(grouped.items())]


def tag_counts(sections) -> list[dict]:
    """Each tag with the number of files that carry it, most used first."""
    files_of: dict[str, set[str]] = {}
    for s in sections:
        for tag in getattr(s, "tags", ()):
            files_of.setdefault(tag, set()).add(s.file)
    counts = Counter({tag: len(files) for tag, files in files_of.items()})
    return [{"tag": tag, "files": n} for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def collect(config, notes, sections, skipped, store, index_folder: Path, *, embedding_model: str | None = None,
            generator_model: str | None = None, unanswered: list[dict] | None = None) -> dict:
    """Everything the Notes tab and `status` show (see the module docstring). `notes` are NoteFiles,
    `skipped` SkippedFiles; `embedding_model` is the loaded embedder's name, if one is loaded."""
    manifest = store.get_manifest() if store is not None else {}
    files = {n.name: n.sha256 for n in notes}
    model = embedding_model or manifest.get("embedding_model")
    problem = getattr(store, "problem", None)
    if problem or not manifest:
        up_to_date, reason = False, problem or "no index has been built yet"
    else:
        expected = {"embedding_model": model, "embedding_dim": manifest.get("embedding_dim"), "settings": config.index_settings(), "files": files}
        reason = model_reason(manifest, expected)
        if not reason:
            pending = file_changes(manifest.get("files", {}), files)
            if any(pending.values()):
                reason = "notes changed since the last sync: " + "; ".join(
                    f"{key} {len(value)}" for key, value in pending.items() if value
                )
        up_to_date = reason is None
    return {
        "notes_dir": str(config.notes_dir),
        "files": len(notes),
        "sections": len(sections),
        "empty_sections": len(empty_sections(sections)),
        "chunks": len(store) if store is not None else 0,
        "empty_headings": empty_by_file(sections),
        "skipped": [{"file": s.name, "reason": s.reason} for s in sorted(skipped, key=lambda s: s.name)],
        "remarks": [{"file": n.name, "remark": r} for n in sorted(notes, key=lambda n: n.name) for r in getattr(n, "remarks", ())],
        "tags": tag_counts(sections),
        "index": {
            "up_to_date": up_to_date,
            "reason": reason,
            "folder": str(index_folder),
            "size_bytes": disk_bytes(index_folder),
            "built": manifest.get("created"),
            "last_sync": manifest.get("last_sync"),
        },
        "models": {
            "embedding": model or "(no index yet)",
            "generator": generator_model or config.generator_model or DEFAULT_GENERATOR,
        },
        "unanswered": list(unanswered or []),
        "keep_unanswered": bool(config.keep_unanswered),
    }


def size_text(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


def last_sync_text(last: dict | None) -> str:
    """'2026-12-01T21:10:04: changed a.md; renamed b.md → c.md · 2 chunks embedded, 5 reused'."""
    if not last:
        return "never"
    parts = [f"{key} {', '.join(last[key][:5])}{' …' if len(last[key]) > 5 else ''}" for key in ("added", "changed", "removed") if last.get(key)]
    if last.get("renamed"):
        parts.append("renamed " + ", ".join(f"{old} → {new}" for old, new in last["renamed"][:5]))
    what = "; ".join(parts) or "no files changed"
    return f"{last.get('time')}: {what} · {last.get('embedded', 0)} chunks embedded, {last.get('reused', 0)} reused"
