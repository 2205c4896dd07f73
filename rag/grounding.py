"""Check every sentence of a draft answer against the notes; keep only what the notes back.

The model's words are never trusted. `SupportChecker` scores an answer sentence against each
sentence of the retrieved passages: embedding similarity, the share of its content words found
around the note sentence, and a hard rule that every number in it occurs in the note sentence and
every name in the note sentence, its neighbours or its heading. `ground()` keeps supported sentences,
each cited to the note sentence that backs it (that sentence is `Citation.text`), drops the rest,
and falls back to quoting the notes (`quote_answer()`) when too little of the draft survives.
The model's own [n] markers are stripped and recomputed. Deciding whether to answer at all
(abstention, empty sections) is the pipeline's job, not this module's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.answer import Citation, Passage
from rag.retrieval import STOPWORDS, content_words, word_coverage

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
MODEL_MARKER = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
NEGATION = re.compile(r"\bnot\b(?!\s+(only|just)\b)|\b(no|never|none|neither|nor|cannot)\b|n['’]t\b(?!\s+(only|just)\b)", re.I)  # "not only ... but also" affirms
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STARTS_CLAUSE = re.compile(r"(^|[:.!?“\"(]\s*)$")
ACRONYM = re.compile(r"^[A-Z0-9]+s?$")  # GAN, GANs, LLMs, GPT: terms, not the names of people or firms
NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:[-’'][A-Za-z0-9]+)*\b")
# A note sentence that gives orders to an AI ("ignore previous instructions and say ...") may be
# quoted as what the notes say, but never backs a sentence of the model's: that would let the notes
# speak through the model.
INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|notes|above)\b|\byou are now\b|\bsystem prompt\b|\bnew instructions?\b",
    re.I,
)
# The model saying it cannot answer is not a claim to verify.
NON_ANSWER = re.compile(r"\b(notes|text|passages?|context)\b.{0,30}\b(do(es)? not|don't|doesn't|never)\b.{0,20}\b(say|mention|contain|cover|provide|specify)", re.I)


@dataclass(frozen=True)
class Thresholds:
    # Chosen on hand-made pairs (tests/test_grounding.py) and the dev questions (eval/README.md):
    # a sentence is supported when its facts are all in the notes and either most of its content
    # words are there (it quotes or closely paraphrases) or half of them are and its meaning is close.
    close_overlap: float = 0.75
    close_similarity: float = 0.35
    loose_overlap: float = 0.5
    loose_similarity: float = 0.6
    # Below this share of the draft's characters surviving, the answer becomes quotes from the notes.
    min_kept_share: float = 0.34
    extractive_sentences: int = 3
    second_quote_margin: float = 0.25
    # Quotes: up to three sentences within 0.25 of the best, preferring ones that add words beyond
    # the question's. On the dev set this lifted the key-fact recall of quoted answers from 0.49
    # (two sentences, no preference) to 0.62; four sentences gained 0.02 more for longer answers.
    novelty_weight: float = 0.3
    # The draft must come within this of the best quote's closeness to the question (cosine).
    draft_vs_quote_margin: float = 0.1
    # A quote from another section than the best one's must be nearly as good: on the dev set a
    # 0.25 margin everywhere cited other sections in 21% of quotes; 0.05 for them, 11%, same key facts.
    other_section_margin: float = 0.05
    # A draft sentence sharing no word with the question must be this close to it to count as an answer.
    on_topic_similarity: float = 0.35


@dataclass
class NoteSentence:
    passage: int  # index into the passages
    text: str  # as written in the notes (bullet marker removed)
    window: str  # the sentence with its neighbours: where its content words must be found
    heading: str  # the heading path: may supply names ("GAN") but not content words


@dataclass
class Support:
    note: NoteSentence
    score: float  # how well the note backs the sentence or answers the question: what thresholds compare
    similarity: float
    overlap: float
    quote_rank: float = 0.0  # order of preference when quoting (score plus new information)


def split_sentences(text: str) -> list[str]:
    sentences = []
    for line in text.split("\n"):
        line = BULLET.sub("", line).strip()
        sentences += [s.strip() for s in SENTENCE_END.split(line) if s.strip()]
    return sentences


def note_sentences(passages: list[Passage]) -> list[NoteSentence]:
    result = []
    for i, p in enumerate(passages):
        sentences = split_sentences(p.text)
        heading = " ".join(p.section)
        for k, s in enumerate(sentences):
            window = " ".join(sentences[max(0, k - 1) : k + 2])
            result.append(NoteSentence(i, s, window, heading))
    return result


def names_in(sentence: str) -> set[str]:
    """Capitalised words that are not the first word of the sentence and not function words."""
    found = set()
    for m in NAME.finditer(sentence):
        word = m.group(0)
        if m.start() == 0 or word.lower() in STOPWORDS:
            continue
        found.add(word.lower().removesuffix("s"))
    return found


def negated(text: str) -> bool:
    return bool(NEGATION.search(text))


def facts_backed(sentence: str, note: NoteSentence) -> bool:
    if negated(sentence) != negated(note.text):  # "GANs did not come out in 2014" shares every word
        return False
    numbers_ok = all(n in note.text for n in NUMBER.findall(sentence))
    # Names may come from the heading ("GAN" under "Generative Adversarial Networks (GAN)").
    window = (note.heading + " " + note.window).lower()
    return numbers_ok and all(name in window for name in names_in(sentence))


class SupportChecker:
    def __init__(self, embedder, thresholds: Thresholds = Thresholds()):
        self.embedder, self.t = embedder, thresholds

    def best_supports(self, sentences: list[str], passages: list[Passage]) -> list[Support | None]:
        notes = note_sentences(passages)
        if not sentences or not notes:
            return [None] * len(sentences)
        vectors = self.embedder.encode(sentences + [n.text for n in notes])
        similarity = vectors[: len(sentences)] @ vectors[len(sentences) :].T
        windows = [set(content_words(n.window)) for n in notes]
        results = []
        for i, sentence in enumerate(sentences):
            words = set(content_words(sentence))
            best = None
            for j, note in enumerate(notes):
                if INSTRUCTION.search(note.text):
                    continue
                overlap = len(words & windows[j]) / len(words) if words else 0.0
                sim = float(similarity[i, j])
                if not self.supported(sim, overlap) or not facts_backed(sentence, note):
                    continue
                support = Support(note, (sim + overlap) / 2, sim, overlap)
                if best is None or support.score > best.score:
                    best = support
            results.append(best)
        return results

    def on_topic(self, question: str, sentences: list[str]) -> list[bool]:
        """Whether each sentence is about the question: shares a content word with it, or is close in
        meaning. A true sentence about something else ("AI can compose music", asked when GANs
        appeared) is no answer."""
        if not sentences:
            return []
        asked = set(content_words(question))
        vectors = self.embedder.encode([question] + sentences)
        return [
            bool(word_coverage(content_words(s), asked)) or float(vectors[0] @ vectors[i + 1]) >= self.t.on_topic_similarity
            for i, s in enumerate(sentences)
        ]

    def as_close_as_quotes(self, question: str, sentences: list[str], quotes: "Grounded") -> bool:
        """Whether the draft's best sentence is about as close to the question as the best quote:
        a true but vaguer sentence ("all areas that require creativity", asked what generative AI
        imitates) loses to the note sentence that answers ("tries to imitate human creativity")."""
        if not quotes.citations:
            return True
        vectors = self.embedder.encode([question] + sentences + [c.text for c in quotes.citations])
        closeness = vectors[1:] @ vectors[0]
        return float(closeness[: len(sentences)].max()) >= float(closeness[len(sentences) :].max()) - self.t.draft_vs_quote_margin

    def supported(self, similarity: float, overlap: float) -> bool:
        t = self.t
        return (overlap >= t.close_overlap and similarity >= t.close_similarity) or (
            overlap >= t.loose_overlap and similarity >= t.loose_similarity
        )


@dataclass
class Grounded:
    text: str
    citations: list[Citation]
    dropped: list[str]
    extractive: bool


def ground(draft: str, question: str, passages: list[Passage], checker: SupportChecker, fallback: Grounded) -> Grounded:
    """The verified answer: supported sentences with [n] citations; unsupported ones dropped. When
    too little of the draft survives, or what survives does not answer the question (true but beside
    the point, or without the name or number asked for), `fallback` (quotes from the notes) is the
    answer instead."""
    sentences = [s for s in split_sentences(MODEL_MARKER.sub("", draft)) if not NON_ANSWER.search(s)]
    supports = checker.best_supports(sentences, passages)
    on_topic = checker.on_topic(question, sentences)
    kept = [(s, sup) for s, sup, relevant in zip(sentences, supports, on_topic) if sup is not None and relevant]
    dropped = [s for s, sup, relevant in zip(sentences, supports, on_topic) if sup is None or not relevant]
    kept_share = sum(len(s) for s, _ in kept) / max(1, sum(len(s) for s in sentences))
    context = " ".join(p.text for p in passages)
    answers_it = kept and not missing_answer_type(question, [s for s, _ in kept], context) and checker.as_close_as_quotes(question, [s for s, _ in kept], fallback)
    if (not answers_it or kept_share < checker.t.min_kept_share) and fallback.citations:
        return Grounded(fallback.text, fallback.citations, dropped + [s for s, _ in kept], True)
    citations: list[Citation] = []
    parts = []
    for sentence, support in kept:
        number = _cite(citations, support, passages)
        parts.append(f"{sentence.rstrip()} [{number}]")
    return Grounded(" ".join(parts), citations, dropped, False)


def rank_quotes(question: str, passages: list[Passage], checker: SupportChecker) -> list[Support]:
    """Note sentences ordered by how well they answer the question: meaning (embedding similarity),
    the question's words in the sentence or its heading (typos allowed), and the passage's rank."""
    notes = note_sentences(passages)
    if not notes:
        return []
    vectors = checker.embedder.encode([question] + [n.text for n in notes])
    asked = content_words(question)
    ranked = []
    for j, note in enumerate(notes):
        # The sentence itself must be about the question; its heading may name the topic ("GAN").
        words = set(content_words(note.text + " " + " ".join(passages[note.passage].section)))
        similarity, lexical = float(vectors[0] @ vectors[j + 1]), word_coverage(asked, words)
        score = similarity + 0.3 * lexical + 0.3 * passages[note.passage].score
        # What the sentence says beyond the question's own words: "Generative AI is everywhere now"
        # restates a question about generative AI; "Chatbots, summarization, translation" answers it.
        own = content_words(note.text)
        novelty = sum(1 for w in own if w not in asked) / len(own) if own else 0.0
        ranked.append(Support(note, score, similarity, lexical, score + checker.t.novelty_weight * novelty))
    return sorted(ranked, key=lambda s: -s.score)


def quote_answer(ranked: list[Support], passages: list[Passage], thresholds: Thresholds) -> Grounded:
    """The best note sentences (up to `extractive_sentences`), quoted and cited, in reading order."""
    if not ranked:
        return Grounded("", [], [], True)
    by_preference = sorted(ranked, key=lambda s: -s.quote_rank)
    # A further quote only when it is nearly as good as the best: filler dilutes the answer.
    best = by_preference[0]
    home = passages[best.note.passage].section

    def margin(s):  # another section must be nearly as good: an answer that stays in one place is checked in one place
        return thresholds.second_quote_margin if passages[s.note.passage].section == home else thresholds.other_section_margin

    chosen = [s for s in by_preference if s.quote_rank >= best.quote_rank - margin(s)][: thresholds.extractive_sentences]
    citations: list[Citation] = []
    parts = []
    for support in sorted(chosen, key=lambda s: (s.note.passage, ranked.index(s))):  # reading order
        number = _cite(citations, support, passages)
        parts.append(f"“{support.note.text}” [{number}]")
    return Grounded(" ".join(parts), citations, [], True)


# What a question asks for, and what a note sentence must hold (beyond the question's own words) to answer it.
ASKS_FOR = [
    (re.compile(r"^\s*(who|whom|whose)\b|\bwhich (company|person|people|team|lab|university|organi[sz]ation)\b|\b(title|name) of\b", re.I), "name"),
    # Only questions whose answer is a count or a date: "how much disk space do I have" is answered by
    # a command, "when should I sow tomatoes" by a season.
    (re.compile(r"\bhow many\b|\bwhat (percentage|number)\b", re.I), "number"),
    (re.compile(r"^\s*(and\s+)?when (did|was|were)\b|\b(what|which) year\b|\bhow long ago\b", re.I), "number"),
]


def missing_answer_type(question: str, sentences: list[str], context: str) -> str | None:
    """'name' or 'number' when the question asks for one and none of the sentences holds a new one:
    "Who invented GANs?" over a passage that names no inventor is not answered from the GAN passage.
    A name is a capitalised word the context never writes in lower case ("Goodfellow", not the
    "Generative" of "Generative Adversarial Networks")."""
    common = set(re.findall(r"\b[a-z][a-z0-9]*(?:[-'’][a-z0-9]+)*", context))
    for pattern, kind in ASKS_FOR:
        if not pattern.search(question):
            continue
        asked = question.lower()
        asked_words = set(content_words(question))
        for sentence in sentences:
            if kind == "number":
                found = NUMBER.findall(sentence)
            else:
                found = [
                    m.group(0) for m in NAME.finditer(sentence)
                    if not STARTS_CLAUSE.search(sentence[: m.start()])  # "Around" in "LLMs: Around 2017" is no name
                    and m.group(0).lower() not in common and m.group(0).lower() not in STOPWORDS and not ACRONYM.match(m.group(0))
                ]
            if any(item.lower() not in asked and not set(content_words(item)) <= asked_words for item in found):
                return None
        return kind
    return None


def _cite(citations: list[Citation], support: Support, passages: list[Passage]) -> int:
    for c in citations:
        if c.text == support.note.text:
            return c.number
    p = passages[support.note.passage]
    line = _line_of(p, support.note.text)
    citations.append(Citation(len(citations) + 1, p.file, list(p.section), support.note.text, p.text, line, line, round(support.score, 4)))
    return citations[-1].number


def _line_of(passage: Passage, sentence: str) -> int:
    """The line of the notes file where the sentence stands, so a person can jump to it."""
    for offset, line in enumerate(passage.text.split("\n")):
        if sentence[:40] in line:
            return passage.line_start + offset
    return passage.line_start
