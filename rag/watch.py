"""Keep the index in step with the notes folder while something runs (`python -m rag watch`, the chat).

`Watcher` watches the folder with watchfiles (inotify on Linux, polling elsewhere), groups the events
of one save (Config.watch_debounce_ms) and hands the changed paths to `Pipeline.update`, which
re-reads and re-chunks only those files, embeds only chunks whose text is new and commits (the store
swap is atomic, so a kill at any moment leaves a loadable index). Once the watch is set up it checks
the whole folder once (`Pipeline.prepare`: embeds nothing if nothing changed), so an edit made while
the process was starting is not missed. Errors are logged and watching goes on.
"""
from __future__ import annotations

import sys
import threading
import time
import traceback
from typing import Callable

from rag.errors import RagError
from rag.store.sync import SyncReport

# watchfiles groups events until this long passes without another (ms); Config.watch_debounce_ms caps the wait.
QUIET_STEP_MS = 50
# How often the watch loop wakes without events to see whether it should stop (ms).
WAKE_MS = 500


class Watcher:
    def __init__(self, pipeline, on_update: Callable[[SyncReport, float], None] | None = None, log: Callable[[str], None] | None = None):
        self.pipeline = pipeline
        self.on_update = on_update or (lambda report, seconds: None)
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.stop_event = threading.Event()
        self.ready = threading.Event()  # set once the folder is watched and the catch-up check is done
        self.updates = 0
        self._thread: threading.Thread | None = None

    def start(self) -> "Watcher":
        self._thread = threading.Thread(target=self.run, name="notes-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Watch until `stop()` (or Ctrl-C when run in the foreground)."""
        from watchfiles import watch

        folder = self.pipeline.config.notes_dir
        events = watch(
            folder,
            debounce=self.pipeline.config.watch_debounce_ms,
            step=QUIET_STEP_MS,
            stop_event=self.stop_event,
            rust_timeout=WAKE_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        first = True
        for changes in events:
            if first:  # the watch is set up: anything saved from now on is seen; catch up on what came before
                first = False
                self._apply(lambda: self.pipeline.prepare(), "checking the whole folder once")
                self.ready.set()
                if not changes:
                    continue
            if changes:
                paths = sorted({path for _, path in changes})
                self._apply(lambda: self.pipeline.update(paths), ", ".join(paths[:3]))

    def _apply(self, change: Callable, what: str) -> None:
        started = time.perf_counter()
        try:
            result = change()
        except RagError as error:
            self.log(f"error: {error}")
            return
        except Exception:  # a bug must not stop the watching; the traceback goes to the log
            traceback.print_exc()
            self.log(f"error: updating the index for {what} failed; still watching")
            return
        report = self.pipeline.last_sync if not isinstance(result, SyncReport) else result
        if report is not None and result is not None and report.rebuilt:
            self.updates += 1
            self.on_update(report, time.perf_counter() - started)


def describe(report: SyncReport) -> str:
    """'changed: a.md; renamed: b.md → c.md · 2 chunks embedded, 5 reused, 1 removed' for a log line."""
    changes = report.changes or {}
    parts = [f"{label}: {', '.join(changes[key][:5])}{' …' if len(changes[key]) > 5 else ''}" for key, label in (("added", "added"), ("changed", "changed"), ("removed", "removed")) if changes.get(key)]
    if changes.get("renamed"):
        parts.append("renamed: " + ", ".join(f"{old} → {new}" for old, new in changes["renamed"][:5]))
    what = "; ".join(parts) or ("up to date" if not report.rebuilt else report.reason)
    reused = max(report.upserted - report.embedded, 0)
    return f"{what} · {report.embedded} chunks embedded, {reused} reused, {report.deleted} removed · {report.chunks} chunks in the index"
