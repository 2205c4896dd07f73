"""The one currency between stages and interfaces: `Passage`, `Citation` and `Answer`, and the
events of an answer being written: `Draft` (a piece of the model's text), then one `Final`.

Plain dataclasses with a `to_dict()` whose shape is what `--json`, the chat's API and the
evaluator's `results.jsonl` show. No behaviour lives here.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# How an answer was produced; the UI shows each differently.
MODE_GENERATED = "generated"  # the model's sentences, each verified against a passage
MODE_EXTRACTIVE = "extractive"  # too little of the draft was supported: sentences quoted from the notes
MODE_ABSTAINED = "abstained"  # nothing in the notes is relevant enough
MODE_EMPTY_SECTION = "empty_section"  # the notes have a heading for it but nothing under it


@dataclass
class Passage:
    """A retrieved chunk of the notes, with its cosine similarity to the query (`score`, higher is
    closer) and the score it was ranked by (`rank_score`: cosine plus word matching, rag/retrieval.py)."""

    chunk_id: str  # the chunk's id in the vector store
    file: str
    section: list[str]  # heading path, outermost first
    text: str  # exactly what the notes say (no heading prefix)
    line_start: int  # 1-based, inclusive
    line_end: int
    score: float
    rank_score: float | None = None  # None when it was not ranked by the hybrid search
    open_fences: str = ""  # the fences open where the text starts (Chunk.open_fences)
    tags: tuple[str, ...] = ()  # the note's tags (Chunk.tags): words its writer gave for what it is about
    about: str = ""  # the note's description of itself (Chunk.about), read as its tags are

    @property
    def section_label(self) -> str:
        return " › ".join([self.file, *self.section])


@dataclass
class Citation:
    """The note text that backs one or more sentences of the answer; `number` is the [n] in the text."""

    number: int
    file: str
    section: list[str]
    text: str  # the supporting sentence from the notes, not the whole chunk
    passage: str  # the whole chunk, for context around the supporting sentence
    line_start: int
    line_end: int
    score: float = 0.0  # support score of the best-backed sentence citing it

    @property
    def label(self) -> str:
        return f"[{self.number}] " + " › ".join([self.file, *self.section])


@dataclass
class EmptySection:
    """A heading in the notes with nothing written under it."""

    file: str
    section: list[str]
    line: int
    topic_words: list[str] = field(default_factory=list)  # the heading's words the question names

    def describe(self) -> str:
        name = self.section[-1]
        parent = f" (under {self.section[-2]})" if len(self.section) > 1 else ""
        return f"'{name}'{parent}"


@dataclass
class Answer:
    question: str
    query: str  # what retrieval searched for (the question, or it rewritten from the conversation)
    text: str  # what the user sees, with [n] markers
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # everything retrieved, in rank order (the section that answers first)
    abstained: bool = False
    abstain_reason: str = ""  # why the notes cannot answer, in words (shown folded away in the UI)
    mode: str = MODE_GENERATED
    draft: str = ""  # the model's own words before verification
    dropped: list[str] = field(default_factory=list)  # draft sentences no passage supports
    empty_sections: list[EmptySection] = field(default_factory=list)  # empty headings the question is about
    nearest: list[Passage] = field(default_factory=list)  # for an abstention: the closest sections
    timings: dict = field(default_factory=dict)  # retrieve_s, first_token_s, total_s, tokens, tokens_per_s
    model: dict = field(default_factory=dict)  # generator and embedder that produced it

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Draft:
    """A piece of the model's draft, as it writes it (not yet checked against the notes)."""

    text: str


@dataclass
class Final:
    """The verified answer; always the last event of Pipeline.stream."""

    answer: Answer
