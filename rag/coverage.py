"""Which empty headings of the notes a question is about.

Notes in progress have headings with nothing under them yet ("Transformer Architecture"). A question
about one deserves "your notes have a section for that but nothing is written there yet", not a
made-up answer and not a bare "not covered". A question is about an empty heading when it names one
of the heading's distinctive words (or its acronym, or another form of it: "deploy" for
"Deployment", "trained" for "Training"): words that stand in no other heading, so "generative" or
"models", which head half the notes, decide nothing. Callers add a semantic check (pipeline.py)
against chance word matches.
It does not search the text of the notes (retrieval.py does).
"""
from __future__ import annotations

import re
from collections import Counter

from rag.answer import EmptySection
from rag.notes import Section
from rag.retrieval import content_words, same_stem, same_word

ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,6})\)")
# Headings' parenthesised examples ("(DALL·E, Stable Diffusion, etc.)") widen them; "etc" is no topic.
NOISE = frozenset({"etc", "introduction", "overview", "basic", "basics"})


def acronyms(title: str) -> set[str]:
    """The acronyms a heading writes in parentheses, lower-cased and singular: "(GANs)" -> "gan"."""
    return {a.lower().removesuffix("s") for a in ACRONYM.findall(title)}


def heading_words(title: str) -> set[str]:
    return (set(content_words(title)) - NOISE) | acronyms(title)


def names_heading(words: set[str], title: str) -> bool:
    """Whether a question whose topic words are `words` is about the heading as a whole: it says
    nothing but the heading's words, and its acronym or more than half of them. "What are GANs?"
    names 'Generative Adversarial Networks (GAN)', "what do my notes say about pasta?" 'Pasta'; "does
    it make music" names one word of 'Audio and Music Generation' and asks what a section that says
    "AI can compose music" answers."""
    named = heading_words(title)
    return bool(words) and words <= named and (bool(words & acronyms(title)) or 2 * len(words) > len(named))


class EmptySectionFinder:
    def __init__(self, sections: list[Section], empty: list[Section]):
        frequency = Counter(w for s in sections if s.path for w in heading_words(s.path[-1]))
        self.candidates = []
        for s in empty:
            distinctive = {w for w in heading_words(s.path[-1]) if frequency[w] <= 1}
            if distinctive:
                self.candidates.append((s, distinctive))

    def about(self, question: str, limit: int = 2) -> list[EmptySection]:
        asked = set(content_words(question))
        matches = []
        for section, words in self.candidates:
            hits = sorted(w for w in words if any(same_word(w, a) or same_stem(w, a) for a in asked))
            if hits:
                matches.append((len(hits) / len(words), hits, section))
        matches.sort(key=lambda m: (-m[0], -len(m[1]), m[2].line_start))
        return [EmptySection(s.file, list(s.path), s.line_start, hits) for _, hits, s in matches[:limit]]

