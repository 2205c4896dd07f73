"""Questions the notes could not answer: the notes' to-do list, shown in the Notes tab and `status`.

Kept in memory for the running process (newest first, at most `Config.unanswered_limit`). With
`Config.keep_unanswered` on they are also appended to `unanswered.jsonl` beside the index and read
back on start, so the list outlives a restart; off (the default), nothing about a question is written.
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

FILE_NAME = "unanswered.jsonl"


class Unanswered:
    def __init__(self, path: Path | None = None, limit: int = 200):
        self.path, self.limit = (Path(path) if path else None), limit
        self._items: list[dict] = []  # oldest first
        self._lock = threading.Lock()
        if self.path and self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash: the rest still counts
                if isinstance(item, dict) and isinstance(item.get("question"), str):
                    self._items.append(item)
            self._items = self._items[-limit:]

    def add(self, question: str, reason: str, mode: str = "abstained") -> dict:
        item = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "question": question, "reason": reason, "mode": mode}
        with self._lock:
            self._items = (self._items + [item])[-self.limit :]
            if self.path:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="utf-8") as out:
                    out.write(json.dumps(item, ensure_ascii=False) + "\n")
        return item

    def newest_first(self) -> list[dict]:
        with self._lock:
            return list(reversed(self._items))
