"""Pipeline.stream's events: the model's pieces as Drafts, then exactly one Final with the verified Answer."""
from __future__ import annotations

from conftest import fake_pipeline
from rag.answer import Answer, Draft, Final

TRAIN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."


def test_drafts_then_one_final(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    events = list(pipeline.stream("When did the Shinkansen open?"))
    assert [type(e) for e in events] == [Draft] * (len(events) - 1) + [Final] and len(events) > 2
    answer = events[-1].answer
    assert isinstance(answer, Answer) and "".join(e.text for e in events[:-1]) == TRAIN == answer.draft
    assert "1964" in answer.text and answer.citations
    assert pipeline.ask("When did the Shinkansen open?").text == answer.text


def test_an_abstention_is_one_final_and_no_draft(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    events = list(pipeline.stream("What is the capital of Australia?"))
    assert len(events) == 1 and isinstance(events[0], Final)
    assert events[0].answer.abstained and pipeline.generator.prompts == []  # the model was never asked
