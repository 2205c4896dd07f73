"""One pipeline for the CLI, the browser chat and the evaluator: notes in, verified answers out.

    notes -> sections -> chunks -> vectors (store/sync.py) ; question -> passages -> draft -> verified Answer

`Pipeline.stream(question, history)` yields a `Draft` for each piece of text as the model writes it,
then one `Final` whose answer holds only sentences the notes back (grounding.py). `ask()` returns the
Answer alone. Models load lazily and once (rag.generators, rag.embedders); `prepare()` opens the
vector store (rag.store) and brings it up to date with the notes, saying why when it changes.
Generation is serialised by a lock: the model is shared.
"""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

from rag import prompts
from rag.answer import MODE_ABSTAINED, MODE_EMPTY_SECTION, MODE_EXTRACTIVE, MODE_GENERATED, Answer, Draft, Final
from rag.chunking import chunk_notes
from rag.config import Config
from rag.coverage import EmptySectionFinder
from rag.errors import QuestionError
from rag.grounding import ground, missing_answer_type, quote_answer, rank_quotes
from rag.support import SupportChecker
from rag.notes import empty_sections, read_notes
from rag.retrieval import Retriever, content_words, contextual_query, fit_context, word_coverage
from rag.store import open_store
from rag.store.sync import sync


@dataclass
class IndexReport:
    files: int
    sections: int
    empty_sections: int
    chunks: int
    embedded: int  # chunks embedded now; the rest reused their stored vectors
    seconds: float
    rebuilt: bool
    reason: str  # why it was (re)built, or "up to date"
    skipped: list = field(default_factory=list)  # notes.SkippedFile: files left out, each with its reason
    remarks: list = field(default_factory=list)  # (file, remark): files read, but not quite as written


@dataclass
class Assessment:
    query: str
    passages: list  # all retrieved, best first
    context: list  # what the model may see: relevant passages, merged, within the budget
    quotes: list  # note sentences ranked by how well they answer (grounding.Support)
    empty_sections: list
    reason: str | None  # why the notes cannot answer; None when they can
    support: float  # score of the best note sentence
    retrieve_s: float


class Pipeline:
    def __init__(self, config: Config | None = None, *, embedder=None, generator=None, log: Callable[[str], None] | None = None, progress: bool = False):
        self.config = config or Config.from_env()
        self._embedder, self._generator = embedder, generator
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.progress = progress
        self.store = None
        self.report: IndexReport | None = None
        self._lock = threading.Lock()

    # --- models, loaded once
    @property
    def embedder(self):
        if self._embedder is None:
            from rag.embedders import load_embedder

            self._embedder = load_embedder(self.config)
        return self._embedder

    @property
    def generator(self):
        if self._generator is None:
            from rag.generators import load_generator

            self._generator = load_generator(self.config)
        return self._generator

    # --- index
    def prepare(self, rebuild: bool = False) -> IndexReport:
        """Open the vector store of the configured notes, bringing it up to date when needed."""
        started = time.perf_counter()
        found = read_notes(self.config.notes_dir, self.config.note_suffixes, self.config.max_note_bytes)
        notes, sections = found.notes, found.sections
        empty = empty_sections(sections)
        store = open_store(self.config, self.config.notes_dir)
        synced = sync(
            lambda: chunk_notes(sections, self.config.chunk_size, self.config.chunk_overlap, self.config.embed_heading_path, self.config.code_block_factor),
            store,
            self.embedder,
            files={n.name: n.sha256 for n in notes},
            settings=self.config.index_settings(),
            counts={"files": len(notes), "sections": len(sections), "empty_sections": len(empty)},
            rebuild=rebuild,
            progress=self.progress,
            log=self.log,
        )
        self.store = store
        self.sections, self.empty = sections, empty
        self.retriever = Retriever(store, self.embedder)
        self.checker = SupportChecker(self.embedder)
        self.empty_finder = EmptySectionFinder(sections, empty)
        self.report = IndexReport(
            len(notes), len(sections), len(empty), synced.chunks, synced.embedded, round(time.perf_counter() - started, 3),
            synced.rebuilt, synced.reason, found.skipped, found.remarks,
        )
        return self.report

    def status(self) -> dict:
        if self.report is None:
            self.prepare()
        generator = self._generator
        return {
            "notes_dir": str(self.config.notes_dir),
            "files": self.report.files,
            "sections": self.report.sections,
            "empty_sections": self.report.empty_sections,
            "chunks": self.report.chunks,
            "embedding_model": self.embedder.name,
            "generator_model": generator.name if generator else (self.config.generator_model or "SmolLM2-135M-Instruct (not loaded yet)"),
            "generator_backend": getattr(generator, "backend", None),
        }

    # --- questions
    def retrieve(self, query: str, top_k: int | None = None, where: dict | None = None):
        if self.store is None:
            self.prepare()
        return self.retriever.search(query, top_k or self.config.top_k, where)

    def stream(self, question: str, history: list[dict] | None = None, top_k: int | None = None, max_new_tokens: int | None = None, where: dict | None = None) -> Iterator[Draft | Final]:
        """Yield a Draft for each piece the model writes, then one Final with the verified Answer.
        `where` restricts retrieval to matching chunks (rag.store.base.matches)."""
        question = self._check_question(question)
        model = self._model_info()  # loads the models on first use: not part of answering time
        started = time.perf_counter()
        found = self.assess(question, history, top_k, where=where)
        timings = {"retrieve_s": found.retrieve_s}
        answer = Answer(question=question, query=found.query, text="", passages=found.passages, timings=timings, model=model)
        answer.empty_sections = found.empty_sections
        context, quotes = found.context, found.quotes
        if found.reason:
            yield Final(self._abstain(answer, started, found.reason))
            return
        pieces, first = [], None
        with self._lock:
            for piece in self.generator.stream(prompts.answer_messages(found.query, context), max_new_tokens or self.config.max_new_tokens):
                if first is None:
                    first = time.perf_counter() - started
                pieces.append(piece)
                yield Draft(piece)
        answer.draft = "".join(pieces).strip()
        generated_s = time.perf_counter() - started
        fallback = quote_answer(quotes, context, self.checker.t)
        grounded = ground(answer.draft, found.query, context, self.checker, fallback)
        answer.text, answer.citations, answer.dropped = grounded.text, grounded.citations, grounded.dropped
        answer.mode = MODE_EXTRACTIVE if grounded.extractive else MODE_GENERATED
        if answer.empty_sections:
            answer.text += "\n\n" + " ".join(prompts.EMPTY_SECTION_ALSO.format(section=e.describe()) for e in answer.empty_sections)
        tokens = self._count_tokens(answer.draft)
        decode_s = generated_s - (first or generated_s)
        timings.update(
            first_token_s=round(first or generated_s, 4),
            total_s=round(time.perf_counter() - started, 4),
            tokens=tokens,
            tokens_per_s=round((tokens - 1) / decode_s, 2) if tokens > 1 and decode_s > 0 else None,
        )
        yield Final(answer)

    def assess(self, question: str, history: list[dict] | None = None, top_k: int | None = None, min_support: float | None = None, where: dict | None = None) -> "Assessment":
        """Retrieve and decide, before any model runs, whether the notes can answer the question."""
        started = time.perf_counter()
        query = contextual_query(question, history)
        passages = self.retrieve(query, top_k, where)
        retrieve_s = round(time.perf_counter() - started, 4)
        # A follow-up ("and when did they appear?") is judged by the query that carries its topic.
        empty = self._empty_sections_about(query)
        context = fit_context([p for p in passages if p.score >= self.config.min_relevance], self.config.context_budget_chars)
        quotes = rank_quotes(query, context, self.checker)
        threshold = self.config.min_support if min_support is None else min_support
        reason = self._unanswerable(query, context, quotes, empty, threshold)
        return Assessment(query, passages, context, quotes, empty, reason, quotes[0].score if quotes else 0.0, retrieve_s)

    def _unanswerable(self, question, context, quotes, empty, min_support) -> str | None:
        """Why the notes cannot answer, or None. Decided from the notes alone."""
        if not context or not quotes:
            return "nothing in the notes is close to the question"
        context_text = " ".join(p.text for p in context)
        context_words = set(content_words(context_text))
        if any(not word_coverage(e.topic_words, context_words) for e in empty):
            return "the question is about a heading with nothing written under it"
        if quotes[0].score < min_support:
            return f"the best note sentence supports it too weakly ({quotes[0].score:.2f} < {min_support})"
        kind = missing_answer_type(question, [q.note.text for q in quotes[:2]], context_text)
        if kind:
            return f"the question asks for a {kind} that the closest passages do not give"
        return None

    def ask(self, question: str, history: list[dict] | None = None, **options) -> Answer:
        for event in self.stream(question, history, **options):
            if isinstance(event, Final):
                return event.answer
        raise RuntimeError("the pipeline ended without an answer")  # unreachable: stream always yields one

    # --- helpers
    def _check_question(self, question) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("The question is empty. Type a question about your notes.")
        if len(question) > self.config.max_question_chars:
            raise QuestionError(
                f"The question is {len(question):,} characters long; the limit is {self.config.max_question_chars:,}. Ask about one thing at a time."
            )
        return question

    def _empty_sections_about(self, question: str):
        found = self.empty_finder.about(question)
        if not found:
            return []
        vectors = self.embedder.encode([question] + [" ".join(e.section) for e in found])
        return [e for e, sim in zip(found, vectors[1:] @ vectors[0]) if sim >= self.config.empty_heading_similarity]

    def _abstain(self, answer: Answer, started: float, reason: str) -> Answer:
        answer.abstained, answer.abstain_reason = True, reason
        nearest, seen = [], set()
        for p in answer.passages:
            if (p.file, tuple(p.section)) not in seen:
                seen.add((p.file, tuple(p.section)))
                nearest.append(p)
        answer.nearest = nearest[:3]
        if answer.empty_sections:
            answer.mode = MODE_EMPTY_SECTION
            answer.text = " ".join(prompts.EMPTY_SECTION.format(section=e.describe()) for e in answer.empty_sections)
        else:
            answer.mode = MODE_ABSTAINED
            listed = "\n".join(f"- {p.section_label}" for p in answer.nearest)
            answer.text = prompts.NOT_IN_NOTES.format(sections=listed) if listed else prompts.NOT_IN_NOTES_NOTHING
        answer.timings.update(first_token_s=None, total_s=round(time.perf_counter() - started, 4), tokens=0, tokens_per_s=None)
        return answer

    def _count_tokens(self, text: str) -> int:
        return self.generator.count_tokens(text)

    def _model_info(self) -> dict:
        return {"generator": self.generator.name, "backend": getattr(self.generator, "backend", None), "embedder": self.embedder.name}
