"""The HTTP generators against real servers: llama.cpp's server (xllamacpp, started here on loopback
with the packaged GGUF) and, when RAG_TEST_OPENAI_URL names one, any other OpenAI-compatible server
(vLLM, TGI, Ollama: e.g. RAG_TEST_OPENAI_URL=http://127.0.0.1:8000/v1). Nothing here is faked."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT, Config
from rag.errors import ModelError

xllamacpp = pytest.importorskip("xllamacpp")

QUESTION = [{"role": "user", "content": "Notes:\n[1] History\nIn 2014, Generative Adversarial Networks (GANs) came out, "
             "which was a huge game-changer for generating realistic images.\n\nUsing only the notes above, answer briefly: When did GANs come out?"}]


def _packaged_gguf() -> Path:
    from rag.generators.base import default_gguf_path

    try:
        return default_gguf_path()
    except ModelError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def llama_server():
    """llama.cpp's server in this process on 127.0.0.1 (a free port), two slots; stopped at the end."""
    from rag.generators.llamacpp import LlamaCppServer

    server = LlamaCppServer(_packaged_gguf(), Config(llamacpp_slots=2, llamacpp_context=2048))
    yield server
    server.close()


@pytest.fixture(params=["llamacpp-server", "external"])
def server_url(request, llama_server) -> str:
    if request.param == "external":
        url = os.environ.get("RAG_TEST_OPENAI_URL")
        if not url:
            pytest.skip("RAG_TEST_OPENAI_URL is not set (an OpenAI-compatible server to test against)")
        return url
    return llama_server.url


@pytest.fixture
def generator(server_url):
    from rag.generators.openai_http import load

    generator = load(Config(generator_url=server_url))
    yield generator
    generator.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_stream_yields_text_and_fills_stats(generator):
    pieces = list(generator.stream(QUESTION, 24))
    assert len(pieces) > 1, "the answer should arrive in several pieces"
    text = "".join(pieces)
    assert text.strip()
    stats = generator.last_stats
    assert stats["new_tokens"] >= 1 and stats["prompt_tokens"] > 40
    assert 0 < stats["first_token_s"] <= stats["total_s"]


def test_stop_ends_the_answer_before_the_stop_text(generator):
    full = "".join(generator.stream(QUESTION, 32))
    words = full.split()
    assert len(words) >= 4, full
    stop = words[len(words) // 2]
    stopped = "".join(generator.stream(QUESTION, 32, stop=[stop]))
    assert stop not in stopped
    assert full.startswith(stopped.rstrip()), (full, stopped)  # greedy: the same answer, cut at the stop text
    assert len(stopped) < len(full)


def test_max_new_tokens_bounds_the_answer(generator):
    text = "".join(generator.stream(QUESTION, 5))
    assert generator.last_stats["new_tokens"] <= 5
    assert len(text.split()) <= 5


def test_count_tokens_is_close_to_the_servers_count(generator):
    list(generator.stream(QUESTION, 4))  # learns the server's tokens per word from its usage
    estimate = generator.count_tokens(QUESTION[0]["content"])
    assert abs(estimate - generator.last_stats["prompt_tokens"]) / generator.last_stats["prompt_tokens"] < 0.35


def test_server_down_gives_the_clear_message():
    from rag.generators.openai_http import load

    url = f"http://127.0.0.1:{closed_port()}/v1"
    started = time.perf_counter()
    with pytest.raises(ModelError) as caught:
        load(Config(generator_url=url, generator_retries=2))
    message = str(caught.value)
    assert f"cannot reach the answer model server at {url}" in message.lower()
    assert "unset RAG_GENERATOR_URL" in message
    assert time.perf_counter() - started >= 0.25 + 0.5 - 0.05, "two retries with backoff before giving up"


def test_server_gone_mid_session_is_a_model_error_not_a_traceback(llama_server):
    from rag.generators.openai_http import OpenAIClient, OpenAIHTTPGenerator

    url = f"http://127.0.0.1:{closed_port()}/v1"
    generator = OpenAIHTTPGenerator(OpenAIClient(url, retries=0), "any", Config())
    with pytest.raises(ModelError, match="start it or unset RAG_GENERATOR_URL"):
        list(generator.stream(QUESTION, 4))


def test_unknown_model_lists_the_servers_models(server_url):
    from rag.generators.openai_http import OpenAIClient, load

    served = [entry["id"] for entry in OpenAIClient(server_url).models()]
    with pytest.raises(ModelError) as caught:
        load(Config(generator_url=server_url, generator_api_model="no-such-model-here"))
    message = str(caught.value)
    assert "no-such-model-here" in message and served[0] in message


def test_api_key_comes_from_the_environment_and_is_never_shown(monkeypatch):
    from rag.generators.llamacpp import LlamaCppServer
    from rag.generators.openai_http import load

    server = LlamaCppServer(_packaged_gguf(), Config(llamacpp_slots=1, llamacpp_context=1024), api_keys=["right-key-1234"])
    try:
        monkeypatch.setenv("RAG_GENERATOR_API_KEY", "wrong-key-5678")
        with pytest.raises(ModelError) as caught:
            load(Config(generator_url=server.url))
        assert "RAG_GENERATOR_API_KEY" in str(caught.value) and "wrong-key-5678" not in str(caught.value)
        monkeypatch.setenv("RAG_GENERATOR_API_KEY", "right-key-1234")
        generator = load(Config(generator_url=server.url))
        assert "".join(generator.stream(QUESTION, 4)).strip()
        assert "right-key-1234" not in repr(Config.from_env())
        generator.close()
    finally:
        server.close()


def test_parallel_answers_do_not_cross_and_an_abandoned_one_frees_its_slot(llama_server):
    from rag.generators.openai_http import load

    generator = load(Config(generator_url=llama_server.url))
    assert generator.slots == 2  # read from the server's /props
    # An answer abandoned after two pieces: the connection closes and the server stops that request.
    abandoned = generator.stream(QUESTION, 96)
    next(abandoned), next(abandoned)
    abandoned.close()
    questions = {
        "gan": QUESTION,
        "capital": [{"role": "user", "content": "Notes:\n[1] Geography\nThe capital of France is Paris.\n\nUsing only the notes above, answer briefly: What is the capital of France?"}],
    }
    answers = {}

    def ask(key):
        answers[key] = "".join(generator.stream(questions[key], 24))

    threads = [threading.Thread(target=ask, args=(key,)) for key in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert "Paris" in answers["capital"] and "Paris" not in answers["gan"]
    assert "2014" in answers["gan"] or "GAN" in answers["gan"]
    generator.close()


def test_llamacpp_backend_starts_streams_and_stops_its_server():
    import httpx

    from rag.generators.llamacpp import LlamaCppGenerator

    _packaged_gguf()
    generator = LlamaCppGenerator(Config(llamacpp_slots=1, llamacpp_context=1024))
    assert generator.backend == "llamacpp" and generator.server.root.startswith("http://127.0.0.1:")
    assert generator.count_tokens("Hello world, how are you?") == 7  # the server's own tokenizer
    assert "".join(generator.stream(QUESTION, 8)).strip()
    root = generator.server.root
    generator.close()
    with pytest.raises(httpx.TransportError):
        httpx.get(root + "/health", timeout=2)


def test_ask_through_the_server_cites_the_history_section(server_url, tmp_path):
    env = dict(os.environ, RAG_GENERATOR_URL=server_url, RAG_INDEX_DIR=str(tmp_path / "index"), PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run([sys.executable, "-m", "rag", "ask", "When did GANs come out?"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Brief History and Evolution" in result.stdout
    assert "2014" in result.stdout
