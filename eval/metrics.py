"""The evaluation's metrics: pure functions over result rows, each defined (with a worked example) in eval/README.md.

A row is one line of results.jsonl: the question's fields (`answerable`, `expected_sections`,
`key_facts`, `reference_answer`) and what the pipeline did (`answer`, `abstained`, `citations`,
`retrieved`, `timings`, `error`). A question that failed (`error` set) stays in every quality
metric it belongs to and scores zero there: it retrieved, cited and answered nothing. Latency and
speed only use questions that finished. A metric with no question to measure is None, never 0.
"""
from __future__ import annotations

import math
import re
import string
from collections import Counter
from statistics import mean, median

from rag.notes import clean_heading

CITATION_MARK = re.compile(r"\[\d+\]")
ARTICLES = re.compile(r"\b(a|an|the)\b")


def shown_key(heading: str) -> str:
    """A heading as a passage's path holds it, read as shown already (notes.clean_heading): spaces
    collapsed, case folded. Reading it again would read its code as markup ("__init__", shown from
    "`__init__`", would be emphasis)."""
    return " ".join(heading.split()).casefold()


def heading_keys(name: str) -> set[str]:
    """The keys of a heading a question file names: as the notes' markdown would write it
    ('**Brief History**', '`__init__`': read as shown) or as a reader sees it ('__init__': taken as
    it is)."""
    return {clean_heading(name).casefold(), shown_key(name)}


def section_matches(section: list[str], expected: list[str]) -> bool:
    """A passage matches when the last heading of its path equals one of the expected headings."""
    return bool(section) and shown_key(section[-1]) in {k for e in expected for k in heading_keys(e)}


def first_hit_rank(sections: list[list[str]], expected: list[str]) -> int | None:
    """1-based rank of the first retrieved section that matches, None when none does."""
    return next((rank for rank, section in enumerate(sections, 1) if section_matches(section, expected)), None)


def mean_or_none(values) -> float | None:
    """Mean of booleans or numbers; None for none."""
    values = list(values)
    return sum(values) / len(values) if values else None


def row_rank(row: dict) -> int | None:
    """The first-hit rank of one result row's retrieved passages."""
    return first_hit_rank([p["section"] for p in row["retrieved"]], row["expected_sections"])


def retrieval_ranks(rows: list[dict]) -> list[int | None]:
    """First-hit rank of each answerable question that names expected sections."""
    return [row_rank(r) for r in rows if r["answerable"] and r["expected_sections"]]


def hit_at_k(ranks: list[int | None], k: int) -> float | None:
    """Share of questions whose first matching passage is within the top k."""
    return mean_or_none(rank is not None and rank <= k for rank in ranks)


def mean_reciprocal_rank(ranks: list[int | None]) -> float | None:
    """Mean of 1/rank of the first matching passage (0 when none matches)."""
    return mean_or_none(1 / rank if rank else 0.0 for rank in ranks)


def _cited(rows: list[dict]) -> list[list[bool]]:
    """For each answerable question with expected sections: does each of its citations match?"""
    return [[section_matches(c["section"], r["expected_sections"]) for c in r["citations"]] for r in rows if r["answerable"] and r["expected_sections"]]


def citation_precision(rows: list[dict]) -> float | None:
    """Of all citations shown for answerable questions, the share that point at an expected section."""
    return mean_or_none(match for question in _cited(rows) for match in question)


def citation_recall(rows: list[dict]) -> float | None:
    """Share of answerable questions with at least one citation of an expected section."""
    return mean_or_none(any(question) for question in _cited(rows))


def abstention_accuracy(rows: list[dict]) -> float | None:
    """Share of unanswerable questions the bot declined to answer (a failed question did not)."""
    return mean_or_none(bool(r["abstained"]) and not r["error"] for r in rows if not r["answerable"])


def false_abstention_rate(rows: list[dict]) -> float | None:
    """Share of answerable questions the bot declined to answer although the notes hold the answer."""
    return mean_or_none(bool(r["abstained"]) for r in rows if r["answerable"])


def answered(row: dict) -> str:
    """The answer text a quality metric judges: '' for a failure or an abstention, [n] marks removed."""
    if row["error"] or row["abstained"] or not row["answer"]:
        return ""
    return CITATION_MARK.sub("", row["answer"])


def facts_found(answer: str, facts: list[str]) -> int:
    """How many key facts appear in the answer, case-insensitively."""
    text = answer.casefold()
    return sum(1 for fact in facts if fact.casefold() in text)


NOTICE = re.compile(r"^Your notes (also )?have a section .*$", re.M)
# a quote with its mark ("“... [`npm install`](/commands/npm-install) ...” [1]": the quote may hold
# brackets of its own), or a sentence of the model's with its mark
CITED_RUN = re.compile(r"“[^”]*”\s*\[\d+\]|[^\[\]]*\[\d+\]")


def uncited_sentences(rows: list[dict]) -> int | None:
    """Sentences shown as answers (not abstentions, not the fixed empty-section notice) that carry no
    [n] citation: text left once every run ending in a [n] mark is removed, counted by sentence."""
    shown = [r for r in rows if not r["error"] and not r["abstained"] and r["answer"]]
    if not shown:
        return None
    leftover = (CITED_RUN.sub("", NOTICE.sub("", r["answer"])) for r in shown)
    return sum(len([s for s in re.split(r"(?<=[.!?])\s+", text) if re.search(r"[A-Za-z0-9]", s)]) for text in leftover)


def key_fact_recall(rows: list[dict]) -> float | None:
    """Mean over answerable questions with key facts of (facts present in the answer / facts)."""
    return mean_or_none(facts_found(answered(r), r["key_facts"]) / len(r["key_facts"]) for r in rows if r["answerable"] and r["key_facts"])


WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# A sentence of the answer or of a citation that holds this share of the quote's words is the quote,
# trimmed or lightly reworded ("best-matching sentence"); below it, a sentence on the topic only.
SENTENCE_FOUND_SHARE = 0.8


def quote_words(text: str) -> list[str]:
    """Words for comparing quotes: [n] marks removed, case folded, runs of letters/digits only, so
    whitespace, punctuation, quotation marks and markdown (`code`, **bold**, '- ' bullets) do not count."""
    return WORD.findall(CITATION_MARK.sub(" ", text).casefold().replace("_", " "))


def _contains_run(words: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(words[i:i + n] == run for i in range(len(words) - n + 1))


def sentence_match(quote: str, texts: list[str]) -> float:
    """How well the quote appears in some text: 1.0 when its words occur as one contiguous run in one
    of `texts`; otherwise the best share of the quote's words (counting repeats) found in a single
    sentence of those texts (the best-matching sentence)."""
    wanted = quote_words(quote)
    if not wanted:
        return 0.0
    if any(_contains_run(quote_words(text), wanted) for text in texts):
        return 1.0
    need, best = Counter(wanted), 0.0
    for text in texts:
        for sentence in SENTENCE_END.split(text):
            best = max(best, sum((need & Counter(quote_words(sentence))).values()) / len(wanted))
    return best


def sentence_found(row: dict) -> bool:
    """Is the answer's supporting sentence shown: in the answer text, in a citation's text or in all
    citations' texts joined in order, whole (any spacing, case, punctuation) or as one sentence holding
    SENTENCE_FOUND_SHARE of its words? A declined or failed question: no."""
    if not answered(row):
        return False
    cited = [c.get("text") or "" for c in row["citations"]]
    texts = [row["answer"], *cited, " ".join(cited)]  # the joined citations hold a quote that spans two of them
    return sentence_match(row["supporting_quote"], texts) >= SENTENCE_FOUND_SHARE


def answer_sentence_found(rows: list[dict]) -> float | None:
    """Share of answerable questions with a supporting_quote whose quote the answer shows (sentence_found)."""
    return mean_or_none(sentence_found(r) for r in rows if r["answerable"] and r.get("supporting_quote"))


def tokens(text: str) -> list[str]:
    """SQuAD normalisation: lower case; [n] marks, punctuation and a/an/the removed; split on spaces."""
    text = "".join(" " if ch in string.punctuation or ch in "“”‘’—–·…" else ch for ch in CITATION_MARK.sub(" ", text.lower()))
    return ARTICLES.sub(" ", text).split()


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall, counting shared tokens with multiplicity."""
    predicted, wanted = tokens(prediction), tokens(reference)
    shared = sum((Counter(predicted) & Counter(wanted)).values())
    if not shared:
        return 0.0
    precision, recall = shared / len(predicted), shared / len(wanted)
    return 2 * precision * recall / (precision + recall)


def mean_token_f1(rows: list[dict]) -> float | None:
    """Mean token F1 over answerable questions with a reference answer (declined or failed: 0)."""
    return mean_or_none(token_f1(answered(r), r["reference_answer"]) for r in rows if r["answerable"] and r.get("reference_answer"))


def cosine(a, b) -> float:
    """Cosine of the angle between two vectors (0 when either is all zeros)."""
    norm = math.hypot(*map(float, a)) * math.hypot(*map(float, b))
    return float(sum(x * y for x, y in zip(a, b))) / norm if norm else 0.0


def similarities(rows: list[dict], embed) -> dict[str, float]:
    """Per question id: cosine between the embeddings of the answer and the reference answer.

    `embed(texts)` returns one vector per text (pipeline.embedder.encode). A question without an
    answer (abstained, failed, empty) scores 0 without being embedded.
    """
    scored = [r for r in rows if r["answerable"] and r.get("reference_answer")]
    pairs = [r for r in scored if answered(r).strip()]
    result = {r["id"]: 0.0 for r in scored}
    if pairs:
        vectors = embed([answered(r) for r in pairs] + [r["reference_answer"] for r in pairs])
        for i, r in enumerate(pairs):
            result[r["id"]] = max(0.0, cosine(vectors[i], vectors[len(pairs) + i]))
    return result


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile with linear interpolation between the two nearest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency(rows: list[dict], key: str) -> dict[str, float | None]:
    """p50 and p95 of one timing (seconds) over the questions that recorded it."""
    values = [r["timings"][key] for r in rows if not r["error"] and r["timings"].get(key) is not None]
    return {"p50": percentile(values, 50), "p95": percentile(values, 95)}


def tokens_per_second(rows: list[dict]) -> float | None:
    """Median decoding speed (tokens after the first / seconds after the first) of the generated answers."""
    speeds = [r["timings"]["tokens_per_s"] for r in rows if not r["error"] and r["timings"].get("tokens_per_s")]
    return median(speeds) if speeds else None


def question_score(row: dict, similarity: float | None = None, retrieval_only: bool = False) -> float | None:
    """0..1, lower is worse; ranks the worst questions. Unanswerable: 1 if it abstained. Answerable:
    mean of answered (not abstained), 1/rank of the first matching passage, a matching citation,
    key-fact recall and answer similarity, over the parts the question defines. Retrieval-only:
    1/rank for answerable questions with expected sections, None (not scored) for the others."""
    if retrieval_only and not (row["answerable"] and row["expected_sections"]):
        return None
    if row["error"]:
        return 0.0
    rank = row_rank(row) if row["expected_sections"] else None
    if retrieval_only:
        return 1 / rank if rank else 0.0
    if not row["answerable"]:
        return 1.0 if row["abstained"] else 0.0
    parts = [0.0 if row["abstained"] else 1.0]
    if row["expected_sections"]:
        parts += [1 / rank if rank else 0.0, float(any(section_matches(c["section"], row["expected_sections"]) for c in row["citations"]))]
    if row["key_facts"]:
        parts.append(facts_found(answered(row), row["key_facts"]) / len(row["key_facts"]))
    if similarity is not None:
        parts.append(similarity)
    return mean(parts)

