"""rag.retrieval: the real embedder finds the right section of the default notes; follow-ups and context fitting."""
from __future__ import annotations

import pytest

from conftest import DEFAULT_NOTES, FakeGenerator
from rag.answer import Passage
from rag.config import Config
from rag.retrieval import contextual_query, fit_context, passage
from rag.store.base import Hit

HISTORY = "Brief History and Evolution"
APPLICATIONS = "Main Application Areas"
DEFINITION = "Definition of Generative AI"


@pytest.fixture(scope="module", params=["faiss", "qdrant"])
def pipeline(request, real_embedder, tmp_path_factory):
    """Default notes and the real embedder, in each vector store; retrieval never calls the generator, so a fake stands in."""
    from rag.pipeline import Pipeline

    config = Config(notes_dir=DEFAULT_NOTES, index_dir=tmp_path_factory.mktemp("index"), vector_store=request.param)
    pipeline = Pipeline(config, embedder=real_embedder, generator=FakeGenerator(), log=lambda message: None)
    pipeline.prepare()
    yield pipeline
    pipeline.close()


ON_TOPIC = [
    ("When did GANs come out?", HISTORY),
    ("what can generative AI be used for", APPLICATIONS),
    ("define generative ai", DEFINITION),
    ("which year did the transformer architecture show up", HISTORY),
    # paraphrases that share (almost) no words with the section that answers them
    ("What jobs can these creative systems help with?", APPLICATIONS),
    ("What came before deep learning image generators?", HISTORY),
    ("what does it mean for a computer to imagine something original", DEFINITION),
]


@pytest.mark.parametrize("question,section", ON_TOPIC)
def test_the_right_section_comes_first(pipeline, question, section):
    passages = pipeline.retrieve(question)
    assert passages[0].section[-1] == section, [(p.section[-1], p.score) for p in passages]
    assert passages[0].score >= pipeline.config.min_relevance  # not filtered out before the prompt


def test_an_off_topic_question_scores_below_every_on_topic_one(pipeline):
    off_topic = pipeline.retrieve("What is the capital of Australia?")[0].score
    weakest_on_topic = min(pipeline.retrieve(question)[0].score for question, _ in ON_TOPIC)
    assert off_topic < weakest_on_topic - 0.1, (off_topic, weakest_on_topic)


def test_passages_are_ranked_and_quote_the_notes(pipeline):
    passages = pipeline.retrieve("When did GANs come out?", top_k=5)
    assert len(passages) == 5
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    lines = (DEFAULT_NOTES / "generative-ai-notes.md").read_text(encoding="utf-8").split("\n")
    for p in passages:
        assert p.text in "\n".join(line.rstrip() for line in lines[p.line_start - 1 : p.line_end])
        assert " > ".join(p.section) not in p.text  # the heading prefix is for embedding only


# --- follow-up questions


GAN_TURN = [{"role": "user", "content": "What does the adversarial part of a GAN mean?"}, {"role": "assistant", "content": "Two networks compete."}]


def test_a_follow_up_carries_over_the_previous_topic():
    query = contextual_query("and when did they appear?", GAN_TURN)
    assert "gan" in query.lower().split()
    assert query.endswith("and when did they appear?")


def test_the_carried_topic_finds_the_section(pipeline):
    query = contextual_query("and when did they appear?", GAN_TURN)
    assert pipeline.retrieve(query)[0].section[-1] == HISTORY


@pytest.mark.parametrize("question", ["What is a VAE?", "Which tools generate images?", "How do transformers work?"])
def test_a_standalone_question_is_unchanged(question):
    assert contextual_query(question, GAN_TURN) == question


def test_no_history_no_change():
    assert contextual_query("and when did they appear?", None) == "and when did they appear?"
    assert contextual_query("and when did they appear?", [{"role": "assistant", "content": "Hello"}]) == "and when did they appear?"


# --- fitting passages into the prompt


@pytest.fixture(scope="module")
def history_passages(pipeline):
    """The history section's chunks as retrieved passages, in file order (the section is split in several)."""
    ids = [i for i, p in pipeline.store.payloads().items() if p["section"][-1] == HISTORY]
    assert len(ids) >= 2
    return [passage(Hit(i, 0.5 - 0.01 * n, pipeline.store.payloads()[i])) for n, i in enumerate(ids)]


def touching(a: Passage, b: Passage) -> bool:
    return a.line_start <= b.line_end + 1 and b.line_start <= a.line_end + 1


def test_overlapping_chunks_of_one_section_are_merged(pipeline, history_passages):
    first, second = history_passages[:2]
    assert touching(first, second)
    merged = fit_context([second, first], budget_chars=5000)  # rank order need not be file order
    assert len(merged) == 1
    section_text = next(s.text for s in pipeline.sections if s.path and s.path[-1] == HISTORY)
    assert merged[0].text in section_text  # one verbatim span: the overlap is not repeated
    assert first.text in merged[0].text and second.text in merged[0].text
    assert (merged[0].line_start, merged[0].line_end) == (first.line_start, second.line_end)
    assert merged[0].score == max(first.score, second.score)


def test_chunks_of_other_sections_are_not_merged(pipeline, history_passages):
    other = pipeline.retrieve("define generative ai", top_k=1)[0]
    context = fit_context([history_passages[0], other], budget_chars=5000)
    assert [p.section for p in context] == [history_passages[0].section, other.section]


def test_duplicates_are_dropped(history_passages):
    p = history_passages[0]
    assert fit_context([p, p], budget_chars=5000) == [p]


@pytest.mark.parametrize("budget", [300, 700, 1200, 2400])
def test_context_respects_the_budget(pipeline, budget):
    passages = pipeline.retrieve("what can generative AI be used for", top_k=7)
    context = fit_context(passages, budget)
    assert context and sum(len(p.text) for p in context) <= budget
    assert context[0].text in passages[0].text or passages[0].text in context[0].text  # the best passage always goes in
    assert len(fit_context(passages, 100_000)) >= len(context)
