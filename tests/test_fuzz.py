"""Any input on the question path gives an answer or a clear message, never a traceback.

Hypothesis throws strings of every kind (unicode, lone surrogates, control characters, huge, empty,
markup) and values of the wrong type (numbers, None, lists, dicts as history, top_k as a string)
at `Pipeline.ask` (real embedder, scripted generator), at the chat's handlers, and at the launched
app's /ask and /chat endpoints through gradio_client. Bounded: a fixed number of examples each, no
deadline (two shared cores).
"""
from __future__ import annotations

import socket

import gradio as gr
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app
from conftest import FakeEmbedder, FakeGenerator, write_notes
from rag.answer import Answer
from rag.config import Config
from rag.errors import RagError
from web.handlers import ChatHandlers, Engine

MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "![x](http://tracker.invalid/p.png)",
    "[x](javascript:alert(1))", "<http://tracker.invalid/a>", "&lt;b&gt;", "**bold**", "`code`", "$$x$$",
    "# heading", "> quote", "\\", "{{ template }}", "%s %d {0}", "\x00", "\u202e", "\ufeff", "\ud800", "\udfff",
]
# Any code point, lone surrogates and control characters included.
ANY_CHARACTER = st.characters(exclude_categories=())
TEXT = st.one_of(
    st.text(ANY_CHARACTER, max_size=80),
    st.text(st.sampled_from(" \t\r\n\x0b\x0c\x1c\x85\u2028\u3000"), max_size=20),  # only whitespace of every kind
    st.lists(st.sampled_from(MARKUP + ["bread", "Shinkansen", "train", "?"]), max_size=8).map(" ".join),
    st.builds(lambda piece, times: piece * times, st.text(ANY_CHARACTER, min_size=1, max_size=8), st.integers(200, 1500)),  # huge
)
WRONG = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.lists(st.integers(), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))
QUESTION = st.one_of(TEXT, WRONG)
HISTORY = st.one_of(
    st.none(), WRONG,
    st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system", 3]), "content": st.one_of(TEXT, WRONG)}), max_size=3),
    st.lists(st.tuples(TEXT, TEXT), max_size=2),
)
NUMBER = st.one_of(st.none(), st.integers(-10, 10_000), st.sampled_from(["3", "abc", "", " 4 ", "1e3", "nan", "-1"]), st.floats(allow_nan=True), WRONG)
# What JSON can carry (no lone surrogates, no NaN): for the HTTP endpoints.
JSON_TEXT = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=60), st.lists(st.sampled_from(MARKUP[:-2] + ["bread", "train"]), max_size=6).map(" ".join))
JSON_WRONG = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                       st.lists(st.integers(0, 9), max_size=3), st.dictionaries(st.text("abc", max_size=3), st.integers(0, 9), max_size=2))
JSON_QUESTION = st.one_of(JSON_TEXT, JSON_WRONG)
JSON_HISTORY = st.one_of(JSON_WRONG, st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system"]), "content": JSON_QUESTION}), max_size=3),
                         st.lists(st.tuples(JSON_TEXT, JSON_TEXT).map(list), max_size=2))
JSON_NUMBER = st.one_of(st.none(), st.integers(-10, 2000), st.sampled_from(["3", "abc", "", " 4 ", "1e3", "-1", "2.5"]), JSON_WRONG)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TRAIN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."


def scripted(messages):
    return TRAIN + " <img src=x onerror=alert(1)> \ud800 \x00"


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    return write_notes(tmp_path_factory.mktemp("notes"))


@pytest.fixture(scope="module")
def real_pipeline(notes, tmp_path_factory, real_embedder):
    from rag.pipeline import Pipeline

    config = Config(notes_dir=notes, index_dir=tmp_path_factory.mktemp("index"))
    pipeline = Pipeline(config, embedder=real_embedder, generator=FakeGenerator(scripted), log=lambda message: None)
    pipeline.prepare()
    return pipeline


@pytest.fixture(scope="module")
def handlers(notes, tmp_path_factory):
    from rag.pipeline import Pipeline

    config = Config(notes_dir=notes, index_dir=tmp_path_factory.mktemp("index"))
    pipeline = Pipeline(config, embedder=FakeEmbedder(), generator=FakeGenerator(scripted), log=lambda message: None)
    engine = Engine(pipeline, log=lambda message: None).start()
    engine.wait()
    return ChatHandlers(engine)


@given(question=TEXT)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_string_through_the_pipeline_gives_an_answer_or_a_message(real_pipeline, question):
    try:
        answer = real_pipeline.ask(question)
    except RagError as error:
        assert str(error).strip() and str(error)[0].isupper()  # a sentence for the person
        return
    assert isinstance(answer, Answer) and isinstance(answer.text, str) and answer.text.strip()


@given(question=QUESTION, history=HISTORY, top_k=NUMBER, max_new_tokens=NUMBER)
@FUZZ
def test_the_api_handler_answers_or_raises_a_message(handlers, capfd, question, history, top_k, max_new_tokens):
    try:
        events = list(handlers.ask(question, history, top_k, max_new_tokens))
    except gr.Error as error:
        assert error.message and "went wrong" not in error.message, error.message
    else:
        assert events and events[-1]["done"] is True and isinstance(events[-1]["text"], str)
        assert all(e["done"] is False for e in events[:-1])
    assert "Traceback" not in capfd.readouterr().err


@given(message=QUESTION, top_k=NUMBER, max_new_tokens=NUMBER, earlier=st.booleans())
@FUZZ
def test_the_chat_handler_always_ends_with_a_chat(handlers, capfd, message, top_k, max_new_tokens, earlier):
    turns = list(handlers.respond(1964, [], None, None))[-1][2] if earlier else []  # an answered question sent as a number
    updates = list(handlers.respond(message, turns, top_k, max_new_tokens))
    textbox, chat, new_turns, panel = updates[-1]
    assert textbox == "" and isinstance(panel, str) and len(new_turns) == len(turns) + 1
    assert chat[-1]["role"] == "assistant" and all(isinstance(m["content"], str) for m in chat)
    assert "went wrong" not in str(chat)
    assert "Traceback" not in capfd.readouterr().err


@given(turns=st.one_of(st.none(), st.lists(st.just({"question": "q", "error": "e"}), max_size=2)), index=st.one_of(NUMBER, st.lists(st.integers(-3, 5), max_size=3)))
@FUZZ
def test_selecting_any_message_index_never_fails(handlers, turns, index):
    shown = handlers.select(turns, index)
    assert isinstance(shown, str) or shown == gr.skip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def client(handlers):
    from gradio_client import Client

    demo = app.build_app(engine=handlers.engine)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    yield Client(demo.local_url, verbose=False)
    demo.close()


@given(question=JSON_QUESTION, history=JSON_HISTORY, top_k=JSON_NUMBER, max_new_tokens=JSON_NUMBER)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_http_api_answers_or_says_what_is_wrong(client, capfd, question, history, top_k, max_new_tokens):
    from gradio_client.exceptions import AppError

    for endpoint, args in (("/ask", (question, history, top_k, max_new_tokens)), ("/chat", (question, top_k, max_new_tokens))):
        try:
            result = client.predict(*args, api_name=endpoint)
        except AppError as error:
            assert "upstream Gradio app has raised an exception" not in str(error), f"{endpoint} {args!r}: {error}"
        else:
            assert result
    assert "Traceback" not in capfd.readouterr().err
