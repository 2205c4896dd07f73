"""Converted models on disk: content hashes that key them, and publishing a finished conversion.

A conversion is written into a `<target>.<pid>.partial` folder and moved into place only when it is
complete, so a crash never leaves a half-written model where a later start would load it, and two
processes converting at once do not disturb each other. It does not convert anything itself.

A published folder records the size of every file it holds (`rag-files.json`). `load_cached` checks
those sizes before loading (a truncated model.bin costs one stat to find, not a crash), and converts
again, once, when a file is missing, of another size, or the folder fails to load; it says so in
one line (the `notice` it returns) so the person knows why this start took longer.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Callable, TypeVar

from rag.errors import ModelError

# The sizes of a published folder's files, written last into it by `publish`.
RECORD = "rag-files.json"
T = TypeVar("T")


def file_sha256(path: Path, cache_dir: Path) -> str:
    """sha256 of a large file, remembered by (path, size, mtime) so a warm start does not re-read 100 MB."""
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    memo_file = cache_dir / "file-hashes.json"
    try:
        memo = json.loads(memo_file.read_text())
    except (OSError, ValueError):
        memo = {}
    if key not in memo:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        memo[key] = digest.hexdigest()
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = memo_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(memo))
        os.replace(tmp, memo_file)
    return memo[key]


def partial_for(target: Path) -> Path:
    """An empty-to-be folder beside `target` for this process to write a conversion into."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    return partial


def publish(partial: Path, target: Path) -> None:
    """Move a finished conversion into place; if another process finished the same one first, keep theirs."""
    sizes = {p.relative_to(partial).as_posix(): p.stat().st_size for p in sorted(partial.rglob("*")) if p.is_file()}
    (partial / RECORD).write_text(json.dumps(sizes, indent=1))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(partial, target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


def damage(target: Path) -> str | None:
    """Why the published folder `target` cannot be used as written (a file missing or cut short), or None.
    A folder published before sizes were recorded has no record: only loading it can tell."""
    record = target / RECORD
    if not record.exists():
        return None
    try:
        sizes = json.loads(record.read_text())
        if not isinstance(sizes, dict):
            raise ValueError("not an object")
    except (OSError, ValueError) as error:
        return f"{RECORD} is unreadable: {error}"
    for name, size in sizes.items():
        path = target / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != size:
            return f"{name} has {path.stat().st_size:,} bytes, {size:,} were written"
    return None


def discard(target: Path) -> None:
    """Remove a damaged conversion: renamed aside first, so no other start loads it half-deleted."""
    aside = target.with_name(f"{target.name}.{os.getpid()}.damaged")
    try:
        os.replace(target, aside)
    except OSError:
        aside = target
    shutil.rmtree(aside, ignore_errors=True)


def load_cached(target: Path, marker: str, convert: Callable[[Path], None], load: Callable[[Path], T], what: str) -> tuple[T, str | None]:
    """Load the conversion in `target`, converting first when it is not there (its `marker` file missing).

    `convert(folder)` writes a conversion into an empty folder (raising ModelError if it cannot);
    `load(target)` reads it. A damaged conversion (see `damage`, or one whose load fails) is discarded
    and converted again, once. Returns (what `load` returned, a one-line notice if it was repaired).
    """
    problem = damage(target) if (target / marker).exists() else None
    if problem:
        discard(target)
    converted_now = False
    if not (target / marker).exists():
        _convert(target, convert)
        converted_now = True
    try:
        loaded = load(target)
    except Exception as error:
        if converted_now:
            raise ModelError(f"The {what} converted in {target} does not load: {str(error)[:200]}") from error
        problem = f"it does not load: {error.__class__.__name__}: {str(error)[:120]}"
        discard(target)
        _convert(target, convert)
        try:
            loaded = load(target)
        except Exception as again:
            raise ModelError(f"The {what} converted again in {target} does not load: {str(again)[:200]}") from again
    notice = f"The converted {what} in {target} was damaged ({problem}); it was converted again." if problem else None
    return loaded, notice


def _convert(target: Path, convert: Callable[[Path], None]) -> None:
    partial = partial_for(target)
    try:
        convert(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    publish(partial, target)
