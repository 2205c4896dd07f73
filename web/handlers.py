"""The browser chat's behaviour, without its layout (app.py) or its look (render.py, static/): start-up, answering, sources, the API.

`Engine` owns the one `Pipeline` every session shares and prepares it once, in the background, so
the page can show what it is doing (reading the notes, building the index, loading the model).
`ChatHandlers` holds the event handlers. A session's conversation lives only in its `gr.State`
(a list of turns: question + `Answer`, or question + error), never in a module or on the engine, so
one person's answers cannot show up in another's chat. The chat messages are re-rendered from those
turns on every update; the message -> turn map comes from the same rendering (render.render_chat).
"""
from __future__ import annotations

import sys
import threading
import time
import traceback
from typing import Iterator

import gradio as gr

from rag.answer import Draft, Final
from rag.errors import RagError
from web import inputs
from web import render as ui

# How often a waiting request or the status line looks at the start-up again.
POLL_S = 0.4


class Engine:
    """The shared pipeline and its one-time start-up (index + models), run on a background thread."""

    def __init__(self, pipeline, log=None, watch: bool = False):
        self.pipeline = pipeline
        self.watch = watch  # keep the index in step with the notes folder once ready (rag/watch.py)
        self.watcher = None
        self.last_change: str | None = None  # what the watcher last changed in the index, for the status line
        self.stage = "waiting to start"
        self.error: str | None = None
        self.status: dict | None = None
        self.report = None
        self.seconds: float | None = None
        self.process_started: float | None = None  # time.time() the process started, for the log
        self._log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        original = pipeline.log

        def log_stage(message: str) -> None:  # the pipeline says why it rebuilds the index: show it
            self.stage = message[:1].lower() + message[1:]
            original(message)

        pipeline.log = log_stage

        def progress(done: int, total: int) -> None:  # the status line counts files while the index is built
            if not self._done.is_set():
                self.stage = f"building the index: indexed {done}/{total} files…"

        pipeline.on_progress = progress

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self.error is None

    def start(self) -> "Engine":
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._warm_up, name="notes-warm-up", daemon=True)
                self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """True once the start-up has finished (successfully or not)."""
        return self._done.wait(timeout)

    def _warm_up(self) -> None:
        started = time.perf_counter()
        try:
            if self.pipeline.store is None:
                self.stage = "reading the notes and loading the index…"
                self._log(f"Preparing the index of {self.pipeline.config.notes_dir}…")
                self.report = self.pipeline.prepare()
                done = "built" if self.report.rebuilt else "up to date"
                self._log(f"Index {done}: {self.report.files} files, {self.report.chunks} chunks, {self.report.embedded} embedded now ({self.report.seconds:.1f} s)")
            else:
                self.report = self.pipeline.report
            self.stage = "loading the answer model (the very first start converts it once, about 30 s)…"
            self._log("Loading the answer model…")
            self.pipeline.generator  # noqa: B018 - loads it once; every session shares it
            self.status = self.pipeline.status()
            self.seconds = time.perf_counter() - started
            self.stage = "ready"
            since = f", {time.time() - self.process_started:.1f} s after the process started" if self.process_started else ""
            self._log(f"Ready in {self.seconds:.1f} s{since}: {self.status['generator_model']} ({self.status['generator_backend']}).")
            if self.watch:
                self.start_watching()
        except RagError as error:
            self.error = str(error)
            self._log(f"error: {error}")
        except Exception as error:  # a bug: keep the traceback for the log, tell the page something went wrong
            traceback.print_exc()
            self.error = f"The app could not start: {error.__class__.__name__}: {error}"
        finally:
            self._done.set()

    def start_watching(self) -> None:
        """Follow the notes folder on a background thread: each save updates the index (only the changed
        files' chunks), and questions asked meanwhile are answered from the old state until the swap."""
        from rag.watch import Watcher, describe

        def updated(report, seconds: float) -> None:
            self.report, self.status = self.pipeline.report, self.pipeline.status()
            # counts only: the status line is markdown, and file names are shown (escaped) in the Notes tab
            files = sum(len(v) for v in (report.changes or {}).values())
            self.last_change = f"at {time.strftime('%H:%M:%S')}: {files} file{'' if files == 1 else 's'}, {report.embedded} chunks embedded (see the Notes tab)"
            self._log(f"Notes changed: {describe(report)} ({seconds:.2f} s)")

        if self.watcher is None:
            self.watcher = Watcher(self.pipeline, on_update=updated, log=self._log).start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def status_markdown(self) -> str:
        if self.error:
            return f"❌ **Cannot answer yet.** {ui.md_text(self.error)}"
        if not self.ready:
            return f"⏳ Getting ready: {ui.md_text(self.stage)}"
        return ui.status_line(self.status, self.report, self.last_change)


def history_of(turns: list[dict]) -> list[dict]:
    """The conversation as the pipeline reads it (messages with string content), answered turns only."""
    history = []
    for turn in turns:
        if turn.get("answer") is not None:
            # the question as the pipeline read it (text, cleaned), whatever the caller sent
            history += [{"role": "user", "content": turn["answer"].question}, {"role": "assistant", "content": turn["answer"].text}]
    return history


class ChatHandlers:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- the chat (outputs: textbox, chatbot, state, sources panel)
    def respond(self, message: str, turns: list[dict] | None, top_k=None, max_new_tokens=None) -> Iterator[tuple]:
        """Stream one answer: the draft as the model writes it (marked as a draft), then the verified
        answer with its sources. Errors a user can fix become a message in the chat."""
        turns = list(turns or [])
        earlier, _ = ui.render_chat(turns)
        number = len(turns) + 1
        user = ui.user_message(message)

        def finish(turn: dict, panel: str):
            turns.append(turn)
            return "", ui.render_chat(turns)[0], turns, panel

        try:
            options = inputs.options(self.engine.pipeline.config, top_k, max_new_tokens)
        except RagError as error:
            yield finish({"question": message, "error": str(error)}, ui.panel_message(str(error), "error"))
            return
        self.engine.start()
        while not self.engine.wait(POLL_S):
            yield "", earlier + [user, ui.waiting_message(self.engine.stage)], gr.skip(), ui.panel_message("Getting ready: " + self.engine.stage)
        if self.engine.error:
            yield finish({"question": message, "error": self.engine.error}, ui.panel_message(self.engine.error, "error"))
            return

        yield "", earlier + [user, searching_message()], gr.skip(), ui.panel_message("Searching your notes…")
        stream = self.engine.pipeline.stream(message, history=history_of(turns), **options)
        draft, answer = "", None
        try:
            for event in stream:
                if isinstance(event, Final):
                    answer = event.answer
                elif isinstance(event, Draft):
                    panel = gr.skip() if draft else ui.panel_message(ui.PANEL_DRAFTING)
                    draft += event.text
                    yield "", earlier + [user, ui.draft_message(draft)], gr.skip(), panel
        except RagError as error:
            yield finish({"question": message, "error": str(error)}, ui.panel_message(str(error), "error"))
            return
        except Exception as error:  # a bug: the traceback goes to the log, the person gets a sentence
            traceback.print_exc()
            text = f"Something went wrong while answering ({error.__class__.__name__}); the details are in the server log."
            yield finish({"question": message, "error": text}, ui.panel_message(text, "error"))
            return
        finally:
            stream.close()  # releases the model's lock even if the browser went away mid-answer
        if answer is None:
            yield finish({"question": message, "error": "The pipeline ended without an answer."}, ui.PANEL_EMPTY)
            return
        yield finish({"question": message, "answer": answer}, ui.sources_panel(answer, number))

    def select(self, turns: list[dict] | None, index) -> str:
        """The sources panel for the answer the person clicked (any message of that turn)."""
        turns = turns or []
        if isinstance(index, (list, tuple)):
            index = index[0] if index else None
        _, owners = ui.render_chat(turns)
        if not isinstance(index, int) or not 0 <= index < len(owners):
            return gr.skip()
        turn = turns[owners[index]]
        if turn.get("answer") is None:
            return ui.panel_message(turn.get("error") or "No answer.", "error")
        return ui.sources_panel(turn["answer"], owners[index] + 1)

    def on_select(self, turns: list[dict] | None, event: gr.SelectData):
        return self.select(turns, event.index)

    @staticmethod
    def clear():
        return "", [], [], ui.PANEL_EMPTY

    def status_updates(self) -> Iterator[str]:
        """The status line: start-up progress until ready, then what is indexed and which models answer."""
        self.engine.start()
        shown = None
        while not self.engine.wait(POLL_S):
            text = self.engine.status_markdown()
            if text != shown:
                shown = text
                yield text
        yield self.engine.status_markdown()

    # --- the Notes tab
    def notes_tab(self) -> str:
        """The notes' health (rag/health.py) as HTML; while starting, what the start-up is doing."""
        self.engine.start()
        if self.engine.error:
            return ui.panel_message(self.engine.error, "error")
        if not self.engine.ready:
            return ui.panel_message("Getting ready: " + self.engine.stage)
        return ui.notes_tab_html(self.engine.pipeline.health())

    # --- the API
    def ask(self, question: str, history=None, top_k=None, max_new_tokens=None) -> Iterator[dict]:
        """Stateless API: yields {"done": False, "draft": ...} while the model writes, then the verified
        Answer as a dict with "done": True. Anything wrong is raised as gr.Error(a sentence): what the
        caller can fix (the question, a setting, the history), or that something broke (the log has it)."""
        try:
            options = inputs.options(self.engine.pipeline.config, top_k, max_new_tokens)
            messages = inputs.history(history)
        except RagError as error:
            raise user_error(str(error)) from error
        self.engine.start()
        self.engine.wait()
        if self.engine.error:
            raise user_error(self.engine.error)
        stream = self.engine.pipeline.stream(question, history=messages, **options)
        draft = ""
        try:
            for event in stream:
                if isinstance(event, Final):
                    yield {"done": True, **event.answer.to_dict()}
                    return
                draft += event.text
                yield {"done": False, "draft": draft}
        except RagError as error:
            raise user_error(str(error)) from error
        except Exception as error:  # a bug: the traceback goes to the log, the caller gets a sentence
            traceback.print_exc()
            raise gr.Error(f"Something went wrong while answering ({error.__class__.__name__}); the details are in the server log.") from error
        finally:
            stream.close()


def searching_message() -> dict:
    return {"role": "assistant", "content": "…", "metadata": {"title": "🔎 Searching your notes…", "status": "pending"}}


def user_error(message: str) -> gr.Error:
    """An error the caller can act on: its sentence goes to them, no traceback to the server log."""
    return gr.Error(message, print_exception=False)
