"""Find the passages of the notes that answer a question.

`contextual_query` turns a follow-up ("and when did they appear?") into a query that stands alone by
carrying over the key terms of the previous question. `Retriever.search` embeds the query and asks
the vector store (rag/store) for the top-k chunks, as `Passage`s with cosine scores, best first.
`fit_context` chooses what goes into the prompt: adjacent chunks of one section merged, duplicates
dropped, within a budget.
It does not decide whether the passages are good enough (pipeline.py and support.py do).
"""
from __future__ import annotations

import os
import re

from rag.answer import Passage

WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*|\d+")
# Function words and the chat filler that carries no topic ("tell me about ...").
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being below between both but by
    can could did do does doing done down during each few for from further had has have having he her here hers him his how
    i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your yours yourself tell explain
    describe please know give show say said says mean means meant thing things something anything kind sort really basically
    like get got make made use used using one ones notes note work works whats""".split()
)
# Words that make a question lean on the one before it.
ANAPHORA = frozenset("it its they them their this that these those he she his her there then and also".split())


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, plurals folded ('GANs' -> 'gan', 'tries' -> 'try')."""
    words = []
    for word in WORD.findall(text.lower().replace("’", "'")):
        word = word.removesuffix("'s")
        if word in STOPWORDS:  # before folding plurals: "does" is a stopword, "doe" is not
            continue
        word = _singular(word)
        if word in STOPWORDS or len(word) < 2 and not word.isdigit():
            continue
        words.append(word)
    return words


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def same_word(a: str, b: str) -> bool:
    """Equal, one a form of the other ('deploy'/'deployment': a shared start of 5+ letters covering
    3/4 of the shorter word, so not 'technology'/'technical'), or one typo apart ('translaton')."""
    if a == b:
        return True
    shared = len(os.path.commonprefix([a, b]))
    if shared >= 5 and shared >= 0.75 * min(len(a), len(b)):
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    # one substitution, insertion, deletion or swap of neighbours (Damerau distance 1)
    return a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])


def word_coverage(asked: list[str], available: set[str]) -> float:
    """Share of the asked words that the available words contain, allowing stems and typos."""
    if not asked:
        return 0.0
    return sum(1 for w in asked if w in available or any(same_word(w, x) for x in available)) / len(asked)


def contextual_query(question: str, history: list[dict] | None) -> str:
    """The question, plus the previous question's topic when this one leans on it.

    A question leans on the previous turn when it uses a pronoun or 'and …' and has at most three
    content words of its own: "and when did they appear?" after "What does the adversarial part of a
    GAN mean?" becomes "GAN adversarial part … and when did they appear?".
    """
    previous = [m["content"] for m in (history or []) if m.get("role") == "user" and isinstance(m.get("content"), str)]
    if not previous:
        return question
    own = content_words(question)
    words = {w.lower() for w in WORD.findall(question)}
    if len(own) > 3 or not (words & ANAPHORA):
        return question
    carried = [w for w in dict.fromkeys(content_words(previous[-1])) if w not in own]
    return " ".join(carried + [question]) if carried else question


class Retriever:
    """Dense search over a vector store with one embedder.

    When the notes change while the chat runs, the index is updated on another store object and
    handed over with `use(store)`: one reference assignment, so a search sees the old store or the
    new one, never a store half-way through an update."""

    def __init__(self, store, embedder):
        self.store, self.embedder = store, embedder

    def use(self, store) -> None:
        """Search `store` from now on (searches already running finish on the one they started with)."""
        self.store = store

    def search(self, query: str, top_k: int, where: dict | None = None) -> list[Passage]:
        """The top_k chunks closest to the query, best first; `where` restricts which chunks may rank (rag.store.base.matches)."""
        store = self.store  # one store for the whole search, whatever `use` does meanwhile
        vector = self.embedder.encode([query])[0]
        return [passage(hit) for hit in store.search(vector, top_k, where)]


def passage(hit) -> Passage:
    p = hit.payload
    return Passage(hit.id, p["file"], list(p["section"]), p["text"], p["line_start"], p["line_end"], round(hit.score, 4))


def fit_context(passages: list[Passage], budget_chars: int) -> list[Passage]:
    """Passages for the prompt: in rank order, overlapping chunks of one section merged into one,
    and stopping before the budget is exceeded (the best passage always goes in, cut if it must)."""
    chosen: list[Passage] = []
    for p in passages:
        twin = next((c for c in chosen if c.file == p.file and c.section == p.section and _touch(c, p)), None)
        if twin is not None:
            merged = _merge(twin, p)
            if _size(chosen) - len(twin.text) + len(merged.text) <= budget_chars:
                chosen[chosen.index(twin)] = merged
            continue
        if any(p.text in c.text for c in chosen):
            continue
        if chosen and _size(chosen) + len(p.text) > budget_chars:
            continue
        chosen.append(p)
    if chosen and len(chosen[0].text) > budget_chars:
        first = chosen[0]
        chosen[0] = Passage(first.chunk_id, first.file, first.section, first.text[:budget_chars], first.line_start, first.line_end, first.score)
    return chosen


def _size(passages) -> int:
    return sum(len(p.text) for p in passages)


def _touch(a: Passage, b: Passage) -> bool:
    return a.line_start <= b.line_end + 1 and b.line_start <= a.line_end + 1


def _merge(a: Passage, b: Passage) -> Passage:
    first, second = (a, b) if a.line_start <= b.line_start else (b, a)
    overlap = _overlap(first.text, second.text)
    text = first.text + ("\n" if not overlap else "") + second.text[overlap:]
    return Passage(first.chunk_id, a.file, a.section, text, first.line_start, max(a.line_end, b.line_end), max(a.score, b.score))


def _overlap(left: str, right: str) -> int:
    """Length of the longest suffix of `left` that is a prefix of `right` (the splitter's overlap)."""
    for size in range(min(len(left), len(right)), 0, -1):
        if left.endswith(right[:size]):
            return size
    return 0


