"""Several people at once: a bounded load test of a running chat on this machine.

    python -m eval.load --url http://127.0.0.1:7860/ [--sessions 20] [--seconds 120] [--disconnect 5] [--out FILE]

Each of N sessions is its own gradio_client Client (one browser tab) holding a two-turn conversation
through the chat's `/chat` endpoint: a question from eval/questions.jsonl (a different one per
session), then a follow-up that leans on it. When the conversation ends the session starts a new
one (a new Client), until T seconds have passed; a turn still waiting D seconds after that (--drain)
is cancelled and counted as unfinished, not as an error (with one answer at a time, a queue of 20
people does not drain in seconds).
K sessions disconnect in the middle of every first answer (they cancel the job once the draft has
started and drop the client), as a closed browser tab does.

Reported: answers completed, errors (an exception, or the chat showing an error instead of an
answer) among the sessions that stay, unfinished turns, cross-talk (the conversation the server returns to a session
must hold exactly that session's questions, and the sources panel the section its question is
about), p50/p95 wait from pressing Enter to the verified answer, answers per minute, and the resident
memory of the server's process at the start and the end (found by the port it listens on, or --pid).

Traffic goes only to the URL given, which must be on this machine (loopback): the script refuses
any other host. Every loop is bounded by --seconds and a per-turn timeout.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from rag.config import PROJECT_ROOT

FOLLOW_UP = "What else do my notes say about that?"
TURN_TIMEOUT_S = 600.0


def percentile(values, q):
    from eval.bench import percentile as p

    return p(values, q)


def first_questions(path: Path, count: int) -> list[dict]:
    """Distinct answerable questions with their expected sections, as many as sessions (cycled when fewer)."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [item for item in items if item.get("answerable", True) and item.get("expected_sections")]
    return [items[i % len(items)] for i in range(count)]


def server_pid(url: str, pid: int | None) -> int | None:
    import psutil

    if pid:
        return pid
    port = urlparse(url).port or 80
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port == port:
            return connection.pid
    return None


def rss_mb(pid: int | None) -> float | None:
    import psutil

    if pid is None:
        return None
    try:
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    except psutil.Error:
        return None


def _chat_and_panel(outputs) -> tuple[list, str]:
    """The chat messages and the sources panel's HTML among a /chat update's outputs."""
    chat = next((o for o in outputs if isinstance(o, list)), [])
    panel = next((o for o in outputs if isinstance(o, str) and "<" in o), "")
    return chat, panel


def _content(message) -> str:
    content = message.get("content") if isinstance(message, dict) else message
    if isinstance(content, list):
        return " ".join(str(part.get("text", part)) if isinstance(part, dict) else str(part) for part in content)
    return str(content or "")


def _user_questions(chat: list) -> list[str]:
    return [_content(m) for m in chat if isinstance(m, dict) and m.get("role") == "user"]


class Session(threading.Thread):
    def __init__(self, number: int, url: str, item: dict, deadline: float, drain: float, disconnects: bool, results: dict, lock: threading.Lock):
        super().__init__(daemon=True, name=f"session-{number}")
        self.number, self.url, self.item, self.deadline, self.disconnects = number, url, item, deadline, disconnects
        self.hard_stop = deadline + drain
        self.results, self.lock = results, lock

    def record(self, key: str, value=1) -> None:
        with self.lock:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and key not in ("waits", "first_drafts"):
                self.results[key] = self.results.get(key, 0) + value
            else:
                self.results.setdefault(key, []).append(value)

    def run(self) -> None:
        from gradio_client import Client

        while time.monotonic() < self.deadline:
            try:
                # The client's own read timeout must outlast a long wait in the queue.
                client = Client(self.url, verbose=False, httpx_kwargs={"timeout": TURN_TIMEOUT_S})
            except Exception as error:  # the app refused a new session
                self.record("errors")
                self.record("error_messages", f"connect: {error}"[:200])
                time.sleep(1)
                continue
            questions = [self.item["question"], FOLLOW_UP]
            for turn, question in enumerate(questions):
                if self.disconnects and turn == 0:
                    self.disconnect_mid_answer(client, question)
                    break  # the tab is gone; this session opens a new one
                if not self.ask(client, question, questions[: turn + 1]):
                    break
            try:
                client.close()
            except Exception:
                pass

    def disconnect_mid_answer(self, client, question: str) -> None:
        job = client.submit(question, api_name="/chat")
        started = time.monotonic()
        while time.monotonic() - started < TURN_TIMEOUT_S and time.monotonic() < self.hard_stop:
            outputs = job.outputs()
            if len(outputs) >= 3 or job.done():  # the draft has started (searching, then a draft update)
                break
            time.sleep(0.05)
        job.cancel()
        self.record("disconnected")

    def ask(self, client, question: str, asked: list[str]) -> bool:
        started = time.monotonic()
        first_draft = None
        try:
            job = client.submit(question, api_name="/chat")
            seen = 0
            while not job.done():
                if time.monotonic() > self.hard_stop:
                    job.cancel()
                    self.record("unfinished")
                    return False
                if time.monotonic() - started > TURN_TIMEOUT_S:
                    job.cancel()
                    raise TimeoutError(f"no answer in {TURN_TIMEOUT_S:g} s")
                outputs = job.outputs()
                if first_draft is None and len(outputs) > seen:
                    seen = len(outputs)
                    if len(outputs) >= 2:
                        first_draft = time.monotonic() - started
                time.sleep(0.02)
            final = job.result(timeout=TURN_TIMEOUT_S)
        except Exception as error:
            self.record("errors")
            self.record("error_messages", f"{question[:40]}: {error.__class__.__name__}: {error}"[:300])
            return False
        wait = time.monotonic() - started
        chat, panel = _chat_and_panel(final if isinstance(final, (list, tuple)) else [final])
        if "sources-empty error" in panel or not chat or not _content(chat[-1]).strip():
            self.record("errors")
            self.record("error_messages", f"{question[:40]}: the chat showed an error or no answer")
            return False
        self.record("answers")
        self.record("waits", wait)
        if first_draft is not None:
            self.record("first_drafts", first_draft)
        # Cross-talk: the conversation returned must be this session's, and the sources its topic's.
        if _user_questions(chat) != asked:
            self.record("cross_talk")
            self.record("cross_talk_examples", {"session": self.number, "asked": asked, "got": _user_questions(chat)})
        elif not any(section.lower() in panel.lower() for section in self.item["expected_sections"]):
            self.record("off_topic")
        return True


def run(url: str, sessions: int, seconds: float, disconnect: int, questions: Path, pid: int | None, drain: float = 30.0) -> dict:
    host = urlparse(url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit(f"refusing to load {host}: this script only targets a chat on this machine (127.0.0.0/8, localhost)")
    server = server_pid(url, pid)
    # One answer first, so the memory at the start already holds the models' working buffers (the
    # first answer allocates them); growth after that is what sessions leave behind.
    from gradio_client import Client

    warm_started = time.monotonic()
    Client(url, verbose=False, httpx_kwargs={"timeout": TURN_TIMEOUT_S}).predict("What is generative AI?", api_name="/ask")
    warmup_s = time.monotonic() - warm_started
    rss_start = rss_mb(server)
    results: dict = {}
    lock = threading.Lock()
    items = first_questions(questions, sessions)
    started = time.monotonic()
    deadline = started + seconds
    threads = [Session(i, url, items[i], deadline, drain, i < disconnect, results, lock) for i in range(sessions)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)  # people do not all press Enter in the same millisecond
    for thread in threads:
        thread.join(max(1.0, deadline + drain + 60 - time.monotonic()))
    elapsed = time.monotonic() - started
    time.sleep(2)  # let the server release what the last requests held
    waits = results.get("waits", [])
    drafts = results.get("first_drafts", [])
    return {
        "url": url,
        "sessions": sessions,
        "disconnecting_sessions": disconnect,
        "seconds": round(elapsed, 1),
        "answers": results.get("answers", 0),
        "errors": results.get("errors", 0),
        "error_messages": results.get("error_messages", [])[:10],
        "disconnected": results.get("disconnected", 0),
        "unfinished": results.get("unfinished", 0),
        "cross_talk": results.get("cross_talk", 0),
        "cross_talk_examples": results.get("cross_talk_examples", [])[:3],
        "off_topic_sources": results.get("off_topic", 0),
        "wait_p50_s": _r(percentile(waits, 50)),
        "wait_p95_s": _r(percentile(waits, 95)),
        "first_draft_p50_s": _r(percentile(drafts, 50)),
        "answers_per_minute": round(results.get("answers", 0) / (elapsed / 60), 1),
        "warmup_answer_s": round(warmup_s, 1),
        "server_pid": server,
        "server_rss_start_mb": rss_start,
        "server_rss_end_mb": rss_mb(server),
        "stuck_sessions": sum(thread.is_alive() for thread in threads),
    }


def _r(value):
    return None if value is None else round(value, 2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.load", description="Bounded loopback load test of a running chat.")
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--disconnect", type=int, default=0, help="how many sessions close their tab in the middle of each first answer")
    parser.add_argument("--drain", type=float, default=30, help="seconds after --seconds that a waiting turn may still finish")
    parser.add_argument("--questions", default=str(PROJECT_ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--pid", type=int, help="the server's process id (default: the process listening on the URL's port)")
    parser.add_argument("--out", help="write the figures as JSON here too")
    args = parser.parse_args(argv)
    result = run(args.url, args.sessions, args.seconds, min(args.disconnect, args.sessions), Path(args.questions), args.pid, args.drain)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n")
    return 0 if result["errors"] == 0 and result["cross_talk"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
