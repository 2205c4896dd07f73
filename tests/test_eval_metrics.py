"""Each metric on the hand-worked example of eval/README.md (the numbers there are the numbers here)."""
from __future__ import annotations

import numpy as np
import pytest

from eval import metrics as m
from eval.report import summarize


def row(id="q", answerable=True, expected=(), retrieved=(), cited=(), answer="An answer.", abstained=False, error=None,
        facts=(), reference=None, timings=None):
    return {
        "id": id, "question": "?", "answerable": answerable, "expected_sections": list(expected), "key_facts": list(facts),
        "reference_answer": reference, "answer": answer, "abstained": abstained, "error": error,
        "retrieved": [{"file": "n.md", "section": ["Notes", s], "score": 0.5} for s in retrieved],
        "citations": [{"file": "n.md", "section": ["Notes", s], "text": "..."} for s in cited],
        "timings": timings or {},
    }


RETRIEVAL_EXAMPLE = [
    row("A", expected=["History"], retrieved=["History", "Uses", "Definition"]),
    row("B", expected=["uses"], retrieved=["Definition", "History", "Uses", "Uses", "History"]),
    row("C", expected=["**Definition**"], retrieved=["History", "Uses", "History", "Uses", "Definition"]),
    row("D", answerable=False, retrieved=["Uses"]),
]


def test_matching_ignores_case_emphasis_and_parents():
    # a passage's path is read as shown already (notes.clean_heading); the question file's names as written or as seen
    assert m.section_matches(["Introduction", "Brief History and Evolution"], ["brief history and evolution", "**Other**"])
    assert m.section_matches(["Intro", "Brief  History"], ["*Brief* History"])
    # code in a heading is read once: '`__init__`' is shown '__init__', which read again would be emphasis
    for name in ["`__init__`", "__init__"]:
        assert m.section_matches(["Globals", "__init__"], [name])
    assert m.section_matches(["Options", "manylinux-*-image, musllinux-*-image"], ["`manylinux-*-image`, `musllinux-*-image`"])
    assert not m.section_matches(["Brief History", "Details"], ["Brief History"])  # only the last heading counts
    assert not m.section_matches([], ["Brief History"])


def test_hit_at_k_and_mrr_readme_example():
    ranks = m.retrieval_ranks(RETRIEVAL_EXAMPLE)
    assert ranks == [1, 3, 5]
    assert m.hit_at_k(ranks, 1) == pytest.approx(1 / 3)
    assert m.hit_at_k(ranks, 3) == pytest.approx(2 / 3)
    assert m.hit_at_k(ranks, 5) == pytest.approx(1.0)
    assert m.mean_reciprocal_rank(ranks) == pytest.approx(0.511, abs=1e-3)
    assert m.hit_at_k([], 3) is None  # nothing to measure is None, not 0


CITATION_EXAMPLE = [
    row("A", expected=["History"], cited=["History", "History"]),
    row("B", expected=["Uses"], cited=["Definition", "Uses"]),
    row("C", expected=["Definition"], abstained=True),
    row("D", answerable=False, cited=["Uses"]),
]


def test_citation_precision_and_recall_readme_example():
    assert m.citation_precision(CITATION_EXAMPLE) == pytest.approx(0.75)
    assert m.citation_recall(CITATION_EXAMPLE) == pytest.approx(2 / 3)


def test_abstention_accuracy_and_false_abstention_readme_example():
    rows = [
        row("U1", answerable=False, abstained=True), row("U2", answerable=False),
        row("U3", answerable=False, abstained=True), row("U4", answerable=False, error="boom"),
        row("A1", abstained=True), row("A2"), row("A3"), row("A4"),
    ]
    assert m.abstention_accuracy(rows) == pytest.approx(0.5)
    assert m.false_abstention_rate(rows) == pytest.approx(0.25)


def test_key_fact_recall_readme_example():
    rows = [
        row("A", facts=["2014", "discriminator"], answer="GANs appeared in 2014 [1]."),
        row("B", facts=["Drug discovery"], answer="It helps with drug discovery."),
        row("C", facts=["imagine"], answer="Your notes don't say; nearest: imagine", abstained=True),
    ]
    assert m.key_fact_recall(rows) == pytest.approx(0.5)


def test_token_f1_readme_example():
    assert m.tokens("GANs came out in 2014 [1].") == ["gans", "came", "out", "in", "2014"]
    assert m.token_f1("GANs came out in 2014 [1].", "Generative Adversarial Networks came out in 2014.") == pytest.approx(2 / 3)
    assert m.token_f1("", "anything") == 0.0
    rows = [row("A", answer="GANs came out in 2014 [1].", reference="Generative Adversarial Networks came out in 2014."),
            row("B", answer="Not in your notes.", abstained=True, reference="Anything.")]
    assert m.mean_token_f1(rows) == pytest.approx(1 / 3)  # (0.667 + 0) / 2: a declined answer scores 0


def test_answer_similarity_readme_example():
    vectors = {"Answer one.": [1.0, 1.0, 0.0], "Reference one.": [1.0, 0.0, 0.0], "Reference two.": [0.0, 1.0, 0.0]}
    rows = [
        row("A", answer="Answer one. [1]", reference="Reference one."),
        row("B", answer="Not in your notes.", abstained=True, reference="Reference two."),
    ]
    embedded = []

    def embed(texts):
        embedded.extend(texts)
        return np.array([vectors[t.strip()] for t in texts])

    scores = m.similarities(rows, embed)
    assert scores == pytest.approx({"A": 0.707, "B": 0.0}, abs=1e-3)
    assert "Not in your notes." not in embedded  # a declined answer is not embedded
    assert summarize(rows, scores)["answer_similarity"] == pytest.approx(0.354, abs=1e-3)


def test_latency_percentiles_readme_example():
    rows = [row(str(i), timings={"retrieve_s": t}) for i, t in enumerate([0.040, 0.010, 0.100, 0.030, 0.020])]
    assert m.latency(rows, "retrieve_s") == pytest.approx({"p50": 0.030, "p95": 0.088})
    assert m.percentile([], 50) is None
    assert m.percentile([3.0], 95) == 3.0


def test_tokens_per_second_readme_example():
    rows = [row(str(s), timings={"tokens_per_s": s}) for s in (20.0, 30.0, 25.0)] + [row("declined", abstained=True, timings={"tokens_per_s": None})]
    assert m.tokens_per_second(rows) == 25.0


def test_question_score_readme_example():
    example = row(expected=["History"], retrieved=["Uses", "History"], cited=["History"], facts=["2014", "discriminator"], answer="In 2014.")
    assert m.question_score(example, similarity=0.6) == pytest.approx(0.72)
    assert m.question_score(row(answerable=False, abstained=True)) == 1.0
    assert m.question_score(row(answerable=False)) == 0.0
    assert m.question_score({**example, "error": "boom"}) == 0.0
    assert m.question_score(example, retrieval_only=True) == 0.5
    assert m.question_score(row(answerable=False), retrieval_only=True) is None


def test_failed_questions_score_zero_but_stay_in_the_denominators():
    rows = [row("ok", expected=["History"], retrieved=["History"], cited=["History"], facts=["2014"], answer="2014", reference="2014"),
            row("failed", expected=["History"], answer=None, facts=["2014"], reference="2014", error="boom")]
    summary = summarize(rows, {"ok": 1.0, "failed": 0.0})
    assert summary["hit@1"] == summary["citation_recall"] == summary["key_fact_recall"] == summary["token_f1"] == pytest.approx(0.5)
    assert summary["false_abstention_rate"] == 0.0


def test_retrieval_only_summary_leaves_answer_metrics_empty():
    summary = summarize(RETRIEVAL_EXAMPLE, None, retrieval_only=True)
    assert summary["hit@3"] == pytest.approx(2 / 3)
    assert all(summary[k] is None for k in ("citation_precision", "abstention_accuracy", "key_fact_recall", "answer_similarity", "token_f1"))


def test_uncited_sentences_readme_example():
    rows = [
        row("a", answer="GANs came out in 2014 [1]. They were invented in Montreal."),
        row("b", answer="“In 2014, GANs came out.” [1]\n\nYour notes also have a section 'GAN' (under Types), but nothing is written there yet."),
        row("c", answer="Your notes don't cover this.", abstained=True),
    ]
    assert m.uncited_sentences(rows) == 1
    assert m.uncited_sentences([rows[2]]) is None
    # a quote may hold brackets of its own: a markdown link is part of the quote, not a sentence left uncited
    linked = row("d", answer="“This command is similar to [`npm install`](/commands/npm-install), except it is meant for CI.” [1] “See [SECURITY.md][].” [2]")
    assert m.uncited_sentences([linked]) == 0


QUOTE = "Cosine similarity is a measure of similarity between two vectors, you'll also hear this referred to as `nearest neighbor search`."


def quoted(id, answer, cited_text=None, abstained=False):
    r = row(id, expected=["What is cosine similarity?"], answer=answer, abstained=abstained, cited=["What is cosine similarity?"] if cited_text else ())
    for c in r["citations"]:
        c["text"] = cited_text
    r["supporting_quote"] = QUOTE
    return r


def test_answer_sentence_found_readme_example():
    rows = [
        # A: the quote itself, in other quotation marks and without the backticks: one contiguous run of its words
        quoted("A", "“Cosine similarity is a measure of similarity between two vectors, you’ll also hear this referred to as nearest neighbor search.” [1]"),
        # B: the answer paraphrases, its citation shows the note sentence
        quoted("B", "It compares two vectors [1].", cited_text=QUOTE),
        # C: one sentence holds 19 of the quote's 21 words (0.90 >= 0.8)
        quoted("C", "Cosine similarity is a measure of similarity between two vectors; you will also hear it referred to as nearest neighbor search [1]."),
        # D: the best sentence holds 14 of 21 (0.67 < 0.8)
        quoted("D", "Cosine similarity is a measure of similarity between two vectors, also called nearest neighbor search [1]."),
        # E: declined, although its text happens to hold the words
        quoted("E", QUOTE, abstained=True),
        row("F", answerable=False, answer=QUOTE),  # unanswerable: not counted
        row("G", answer="Anything."),  # no supporting_quote: not counted
    ]
    assert m.quote_words(QUOTE)[:3] == ["cosine", "similarity", "is"] and len(m.quote_words(QUOTE)) == 21
    assert m.sentence_match(QUOTE, [rows[2]["answer"]]) == pytest.approx(19 / 21)
    assert m.sentence_match(QUOTE, [rows[3]["answer"]]) == pytest.approx(14 / 21)
    assert [m.sentence_found(r) for r in rows[:5]] == [True, True, True, False, False]
    assert m.answer_sentence_found(rows) == pytest.approx(3 / 5)
    assert summarize(rows)["answer_sentence_found"] == pytest.approx(0.6)
    assert summarize(rows, retrieval_only=True)["answer_sentence_found"] is None
    assert m.answer_sentence_found([row("G")]) is None


def test_a_quote_split_over_two_citations_is_found_in_their_joined_text():
    two = "Fine-tuning retrains a model. It needs new data."
    r = row("A", answer="It retrains it [1]. With data [2].", cited=["S", "S"])
    r["citations"][0]["text"], r["citations"][1]["text"] = "Fine-tuning retrains a model.", "It needs new data."
    r["supporting_quote"] = two
    # neither citation alone holds the whole run, nor a single sentence 80% of it; the two joined do
    assert m.sentence_match(two, [c["text"] for c in r["citations"]]) < 0.8
    assert m.sentence_found(r)
