"""A client that goes away mid-answer does not hold the one answer slot: the next client is answered promptly.

A gradio_client in a child process starts a long answer (a scripted model writing 200 words, 0.1 s
each: 20 s) through /ask or /chat, reads the first drafts, and is killed, as a closed browser tab
would close its connection. Gradio cancels the abandoned generator; the model stops writing for it,
the pipeline's lock is free again, and a second client's question is answered in a few seconds
instead of waiting out the 20 s. (Load and soak with many such sessions: eval/load.py.)
"""
from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time

import pytest

import app
from conftest import FakeGenerator, fake_pipeline

LONG_QUESTION = "How is sourdough bread made?"
SHORT_QUESTION = "When did the Shinkansen bullet train open?"
SHINKANSEN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."
PIECE_S = 0.1
LONG_WORDS = 200


class SlowGenerator(FakeGenerator):
    """Writes one word every PIECE_S; remembers when it wrote each word, and for which question."""

    def __init__(self):
        super().__init__(self.reply_for)
        self.written: list[tuple[float, str]] = []

    @staticmethod
    def reply_for(messages):
        prompt = messages[-1]["content"]
        if "Shinkansen" in prompt and "Sourdough" not in prompt:
            return SHINKANSEN
        return " ".join(["Sourdough bread needs a starter that is fed with flour and water every day."] * (LONG_WORDS // 14 + 1))

    def stream(self, messages, max_new_tokens, stop=None):
        topic = "long" if self.reply_for(messages) != SHINKANSEN else "short"
        for piece in super().stream(messages, max_new_tokens, stop):
            time.sleep(PIECE_S)
            self.written.append((time.monotonic(), topic))
            yield piece


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tiny_notes, tmp_path):
    generator = SlowGenerator()
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", max_new_tokens=256)
    pipeline._generator = generator
    demo = app.build_app(pipeline)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    yield demo, generator
    demo.close()


CLIENT = textwrap.dedent(
    """
    import sys
    from gradio_client import Client

    url, endpoint, question = sys.argv[1:4]
    client = Client(url, verbose=False)
    job = client.submit(question, api_name=endpoint)
    for update in job:
        print("update", flush=True)
    """
)


@pytest.mark.parametrize("endpoint", ["/ask", "/chat"])
def test_a_client_gone_mid_answer_does_not_stall_the_next_one(served, endpoint):
    from gradio_client import Client

    demo, generator = served
    child = subprocess.Popen([sys.executable, "-c", CLIENT, demo.local_url, endpoint, LONG_QUESTION], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(3):  # the answer is streaming to it
            assert child.stdout.readline().startswith("update"), "the first client got no drafts"
    finally:
        child.kill()
        child.wait(10)
    gone = time.monotonic()
    long_so_far = sum(1 for _, topic in generator.written if topic == "long")
    assert 0 < long_so_far < LONG_WORDS // 2

    started = time.monotonic()
    result = Client(demo.local_url, verbose=False).predict(SHORT_QUESTION, api_name=endpoint)
    waited = time.monotonic() - started
    assert "1964" in str(result)
    # the abandoned answer would have taken another ~15 s; the short one takes ~1.5 s of writing
    assert waited < 10, f"the second client waited {waited:.1f} s behind an answer nobody was reading"
    late = [t for t, topic in generator.written if topic == "long" and t > gone + 2]
    assert not late, f"the model kept writing {len(late)} words for a client that was gone"
    assert not demo.engine.pipeline._lock.locked()
