"""Converted models on disk: content hashes that key them, and publishing a finished conversion.

A conversion is written into a `<target>.<pid>.partial` folder and moved into place only when it is
complete, so a crash never leaves a half-written model where a later start would load it, and two
processes converting at once do not disturb each other. It does not convert anything itself.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path


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
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(partial, target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
