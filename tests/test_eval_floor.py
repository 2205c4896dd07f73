"""CI guard: a retrieval-only evaluation of eval/questions.jsonl over the default notes, with the real
embedder, must keep hit@3 above a floor, so a change that makes retrieval worse fails the build.

Runs in a few seconds (no answer model). When a change really improves retrieval, raise the floor.
"""
from __future__ import annotations

from rag.config import PROJECT_ROOT, Config
from rag.pipeline import Pipeline
from eval.questions import load_questions
from eval.run import run_eval
from tests.conftest import DEFAULT_NOTES

# Measured 1.00 (30 of 30 answerable questions have an expected section in the top 3; hit@1 0.87,
# MRR 0.92) with all-MiniLM-L6-v2 and the default chunking. 0.90 allows three misses: one question
# moves hit@3 by 0.033, and a tie between near-equal scores can flip on another CPU.
HIT_AT_3_FLOOR = 0.90


def test_retrieval_hit_at_3_stays_above_the_floor(real_embedder, tmp_path):
    config = Config(notes_dir=DEFAULT_NOTES, index_dir=tmp_path / "index")
    pipeline = Pipeline(config, embedder=real_embedder, log=lambda message: None)
    questions = load_questions(PROJECT_ROOT / "eval" / "questions.jsonl")
    report = run_eval(pipeline, questions, tmp_path / "run", retrieval_only=True, progress=False, log=lambda message: None)

    assert report["counts"]["errors"] == 0
    assert report["counts"]["retrieval_scored"] >= 25
    missed = [q["id"] for q in report["questions"] if q["answerable"] and (q["rank"] is None or q["rank"] > 3)]
    assert report["metrics"]["hit@3"] >= HIT_AT_3_FLOOR, f"hit@3 {report['metrics']['hit@3']:.2f} fell below {HIT_AT_3_FLOOR}; missed: {missed}"


def test_question_set_is_honest_and_covers_the_notes():
    """The shape the issue asks of eval/questions.jsonl, checked against the notes it was written from."""
    from rag.notes import load_notes
    from eval.metrics import heading_keys, shown_key

    questions = load_questions(PROJECT_ROOT / "eval" / "questions.jsonl")
    _, sections = load_notes(DEFAULT_NOTES)
    by_heading = {shown_key(s.path[-1]): s for s in sections if s.path}

    def heading_key(name):  # the key of the notes' heading the name matches
        return next((k for k in heading_keys(name) if k in by_heading), name)
    answerable = [q for q in questions if q["answerable"]]
    unanswerable = [q for q in questions if not q["answerable"]]
    assert len(questions) >= 40 and len(answerable) >= 25 and len(unanswerable) >= 15
    about_empty = [q for q in unanswerable if q["expected_sections"] and all(by_heading[heading_key(e)].empty for e in q["expected_sections"])]
    assert len(about_empty) >= 6
    for q in answerable:  # answerable from the text: every key fact is written in an expected section
        text = " ".join(by_heading[heading_key(e)].text for e in q["expected_sections"]).casefold()
        assert q["expected_sections"] and all(f.casefold() in text for f in q["key_facts"]), q["id"]
    covered = {heading_key(e) for q in answerable for e in q["expected_sections"]}
    assert {k for k, s in by_heading.items() if not s.empty} <= covered
