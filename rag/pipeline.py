"""One pipeline for the CLI, the browser chat and the evaluator: notes in, verified answers out.

    notes -> sections -> chunks -> vectors (store/sync.py) ; question -> passages -> draft -> verified Answer

`Pipeline.stream(question, history)` yields a `Draft` for each piece of text as the model writes it,
then one `Final` whose answer holds only sentences the notes back (grounding.py). `ask()` returns the
Answer alone. Models load lazily and once (rag.generators, rag.embedders); `prepare()` opens the
vector store (rag.store) and brings it up to date with the notes, saying why when it changes.
A model computed in this process's threads answers one question at a time; a server backend (llama.cpp
in process, an OpenAI-compatible server) as many as it has slots (`generator.slots`), so sessions
answer in parallel. The embedder is shared by all of them, one call at a time.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from rag import prompts
from rag.answer import MODE_ABSTAINED, MODE_EMPTY_SECTION, MODE_EXTRACTIVE, MODE_GENERATED, Answer, Draft, Final
from rag.chunking import chunk_notes
from rag.config import Config
from rag.coverage import EmptySectionFinder, names_heading
from rag.errors import IndexStoreError, QuestionError
from rag.decide import LATEST_ASKED, ONE_THING, USE_ASKED, Decider, asks_for_code, Decision, Vocabulary, calibrate, every_item_asked, left_out, second_ask
from rag.grounding import chosen_evidence, evidence_answer, evidence_context, ground, rank_quotes, second_ask_answer
from rag.support import SupportChecker, note_sentences
from rag.notes import empty_sections, read_notes, read_one
from rag.questions import check_question, clean_text
from rag.retrieval import Retriever, content_words, contextual_query, last_asked, fit_context, heading_asked, section_first, word_coverage
from rag.store import open_store, unanswered_path
from rag.store.sync import SyncReport, sync, sync_files
from rag.unanswered import Unanswered

# A follow-up is also searched in the section its previous question finds first (Pipeline._topic_passages):
# this many of that section's chunks at most, the ones that fit the follow-up best.
TOPIC_CHUNKS = 2
# An answer asked for a way reads this many more chunks of its section at most, those holding code,
# when none it was given does (Pipeline._with_section_code).
SECTION_CODE_CHUNKS = 2


def shows_code(passage) -> bool:
    """Whether a passage holds a line of code (a fenced or indented block, as note_sentences reads it)."""
    return any(s.code for s in note_sentences([passage]))


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
    notice: str | None = None  # one line for the person: the saved index was repaired, or could not be saved


@dataclass
class Assessment:
    query: str
    passages: list  # all retrieved, best first
    context: list  # what the model may see: relevant passages, merged, within the budget
    quotes: list  # note sentences ranked by how well they answer (grounding.Support)
    empty_sections: list
    reason: str | None  # why the notes cannot answer; None when they can
    support: float  # evidence score of the best note sentence (decide.Evidence.score)
    retrieve_s: float
    decision: Decision | None = None


class OneAtATime:
    """The embedder as the parallel answers share it: one call at a time (its tokenizer and memo are not
    safe to call from two threads at once); a question's embedding work is ~15 ms, so nobody waits long."""

    def __init__(self, embedder):
        self.impl = embedder
        self._lock = threading.Lock()

    @classmethod
    def around(cls, embedder) -> "OneAtATime":
        """The embedder made safe to share; one already shared keeps its lock (pipelines sharing an embedder share it)."""
        return embedder if isinstance(embedder, cls) else cls(embedder)

    def encode(self, *args, **kwargs):
        with self._lock:
            return self.impl.encode(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.impl, name)


class Pipeline:
    def __init__(self, config: Config | None = None, *, embedder=None, generator=None, log: Callable[[str], None] | None = None, progress: bool = False):
        self.config = config or Config.from_env()
        self._embedder, self._generator = (OneAtATime.around(embedder) if embedder is not None else None), generator
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.progress = progress
        self.store = None
        self.report: IndexReport | None = None
        self._lock = threading.Lock()
        self._gate: threading.BoundedSemaphore | None = None
        # One index change at a time (start-up, the folder watcher); answering never waits for it.
        self._index_lock = threading.RLock()
        self.retriever: Retriever | None = None
        self.checker: SupportChecker | None = None
        self.notes: dict = {}
        self.skipped: dict = {}
        self._sections_by_file: dict = {}
        self.last_sync: SyncReport | None = None  # what the last index change did
        self.on_progress: Callable[[int, int], None] | None = None  # (files embedded, files to embed) while indexing
        self.unanswered = Unanswered(unanswered_path(self.config) if self.config.keep_unanswered else None, self.config.unanswered_limit)

    # --- models, loaded once
    @property
    def embedder(self):
        if self._embedder is None:
            from rag.embedders import load_embedder

            embedder = load_embedder(self.config)
            if getattr(embedder, "notice", None):
                self.log(embedder.notice)
            self._embedder = OneAtATime(embedder)
        return self._embedder

    @property
    def generator(self):
        if self._generator is None:
            from rag.generators import load_generator

            self._generator = load_generator(self.config)
            if getattr(self._generator, "notice", None):  # a damaged converted model was converted again
                self.log(self._generator.notice)
        return self._generator

    # --- index
    def prepare(self, rebuild: bool = False) -> IndexReport:
        """Open the vector store of the configured notes, bringing it up to date when needed."""
        with self._index_lock:
            started = time.perf_counter()
            found = read_notes(self.config.notes_dir, self.config.note_suffixes, self.config.max_note_bytes)
            notes, sections = found.notes, found.sections
            empty = empty_sections(sections)
            self.close()  # an embedded Qdrant store is locked while open: let go of ours before reopening it
            store = open_store(self.config, self.config.notes_dir)
            synced = sync(
                lambda: self._chunks(sections),
                store,
                self.embedder,
                files={n.name: n.sha256 for n in notes},
                settings=self.config.index_settings(),
                counts={"files": len(notes), "sections": len(sections), "empty_sections": len(empty)},
                rebuild=rebuild,
                progress=self.progress and self.on_progress is None,
                on_progress=self.on_progress,
                log=self.log,
            )
            self._install(store, {n.name: n for n in notes}, sections, {s.name: s for s in found.skipped})
            self.last_sync = synced
            self.report = IndexReport(
                len(notes), len(sections), len(empty), synced.chunks, synced.embedded, round(time.perf_counter() - started, 3),
                synced.rebuilt, synced.reason, found.skipped, found.remarks, synced.notice,
            )
            return self.report

    def update(self, paths) -> SyncReport | None:
        """Bring the index up to date with these changed paths only (files or folders, absolute or
        relative to the notes folder; added, edited, deleted or renamed): their chunks are replaced,
        nothing else is read. The new store state is committed, then handed to the retriever in one
        step, so an answer being computed meanwhile uses the old state or the new one, never a mix.
        None when none of the paths is a note."""
        with self._index_lock:
            if self.store is None or not getattr(self, "notes", None):
                self.prepare()
                return self.last_sync
            started = time.perf_counter()
            names = self._note_names(paths)
            if not names:
                return None
            notes, by_file, skipped = dict(self.notes), dict(self._sections_by_file), dict(self.skipped)
            chunks_by_file = {}
            for name in names:
                for known in (notes, by_file, skipped):
                    known.pop(name, None)
                path = self.config.notes_dir / name
                if not (path.is_file() or path.is_symlink()):
                    chunks_by_file[name] = []  # deleted or renamed away: its passages go with it
                    continue
                note, sections, skip = read_one(path, self.config.notes_dir, self.config.max_note_bytes)
                if skip is not None:
                    skipped[name] = skip
                    chunks_by_file[name] = []
                    continue
                notes[name], by_file[name] = note, sections
                chunks_by_file[name] = self._chunks(sections)
            sections = [s for name in sorted(by_file, key=lambda n: PurePosixPath(n).parts) for s in by_file[name]]  # read_notes' order
            empty = empty_sections(sections)
            try:
                store = open_store(self.config, self.config.notes_dir)  # the committed state; answers keep using theirs
            except IndexStoreError:  # a store only one holder may open (embedded Qdrant): hand ours over
                self.close()
                store = open_store(self.config, self.config.notes_dir)
            try:
                synced = sync_files(
                    chunks_by_file,
                    store,
                    self.embedder,
                    files={name: n.sha256 for name, n in notes.items()},
                    settings=self.config.index_settings(),
                    counts={"files": len(notes), "sections": len(sections), "empty_sections": len(empty)},
                    on_progress=self.on_progress if len(names) > 1 else None,  # one saved note needs no progress count
                )
            except ValueError:  # the index on disk is not this one any more (another model, settings, damage)
                self.prepare()
                return self.last_sync
            self._install(store, notes, sections, skipped)
            self.last_sync = synced
            self.report = IndexReport(
                len(notes), len(sections), len(empty), synced.chunks, synced.embedded, round(time.perf_counter() - started, 3),
                synced.rebuilt, synced.reason, sorted(skipped.values(), key=lambda s: s.name),
                [(n.name, r) for n in sorted(notes.values(), key=lambda n: n.name) for r in n.remarks], synced.notice,
            )
            return synced

    def _chunks(self, sections):
        c = self.config
        return chunk_notes(sections, c.chunk_size, c.chunk_overlap, c.embed_heading_path, c.code_block_factor)

    def _note_names(self, paths) -> list[str]:
        """The notes files (relative names) that changed paths stand for: a note, or every note known or
        found under a folder that was added, removed or renamed. Hidden files and other types are ignored."""
        folder = self.config.notes_dir.resolve()
        roots = (folder, Path(os.path.abspath(self.config.notes_dir)))  # a gone path cannot be resolved through symlinks
        known = set(self.notes) | set(self.skipped)
        suffixes = tuple(x.lower() for x in self.config.note_suffixes)
        names = set()
        for raw in paths:
            path = Path(raw)
            path = path if path.is_absolute() else folder / path
            candidates = (path.resolve(),) if path.exists() else (Path(os.path.abspath(path)), Path(os.path.abspath(path)).parent.resolve() / path.name)
            rel = next((c.relative_to(root) for c in candidates for root in roots if c.is_relative_to(root)), None)
            if rel is None:
                continue  # outside the notes folder
            name = rel.as_posix()
            if not name or name == "." or any(part.startswith(".") for part in rel.parts):
                continue
            if name.lower().endswith(suffixes) and not (folder / rel).is_dir():
                names.add(name)
            names |= {k for k in known if k.startswith(name + "/")}
            if (folder / rel).is_dir():
                for root, dirs, files in os.walk(folder / rel):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]
                    names |= {Path(root, f).relative_to(folder).as_posix() for f in files if not f.startswith(".") and f.lower().endswith(suffixes)}
        return sorted(names)

    def _install(self, store, notes: dict, sections: list, skipped: dict) -> None:
        """Make a committed store state and the notes it came from the ones questions use."""
        by_file: dict[str, list] = {}
        for s in sections:
            by_file.setdefault(s.file, []).append(s)
        empty = empty_sections(sections)
        finder = EmptySectionFinder(sections, empty)
        if self.checker is None:
            self.checker = SupportChecker(self.embedder)
        if self.retriever is None:
            self.retriever = Retriever(store, self.embedder, self.config)
        else:
            self.retriever.use(store)
        self.notes, self._sections_by_file, self.skipped = notes, by_file, skipped
        self.sections, self.empty, self.empty_finder = sections, empty, finder
        self.store = store
        # Word rarity for deciding whether a sentence answers (rag/decide.py): over exactly what is indexed.
        payloads = list(store.payloads().values())
        self.vocabulary = Vocabulary([" ".join([p["text"], " ".join(p["section"]), p["file"], p.get("about", "")]) for p in payloads], [(p["file"], tuple(p["section"])) for p in payloads],
                                     self.embedder.encode, self.config.relative_cosine, self.config.common_name_share,
                                     self.config.subject_share, self.config.subject_min_chunks)
        self.decider = Decider(self.vocabulary, self.config.min_evidence, self.config.min_coverage, self.config.evidence_coverage_weight,
                               self.checker.whole_word, self.config.unheard_min_words, self.config.evidence_passage_weight,
                               self.config.tie_margin, {(s.file, tuple(s.path)): s.text for s in sections}, self.config.named_margin,
                               self.config.read_with_weight, self.embedder.encode, self.config.asked_clause_weight,
                               self.config.min_note_coverage, self.config.tie_share)
        self.calibration = None
        if self.config.calibrate:  # asks questions of the notes just installed
            self.calibration = calibrate(sections, self.evidence_score, self.vocabulary)
            if self.calibration.threshold is not None:
                self.decider.threshold = max(self.config.min_evidence, self.calibration.threshold)

    def close(self) -> None:
        """Release the vector store (embedded Qdrant's lock); prepare() opens it again."""
        close = getattr(self.store, "close", None)
        if close is not None:
            close()

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
            # one line each: what was found broken and repaired (the index, a converted model), or could not be saved
            "notices": [n for n in (self.report.notice, getattr(self._embedder, "notice", None), getattr(generator, "notice", None)) if n],
        }

    def health(self) -> dict:
        """The notes' health (rag/health.py) as the running process sees it: no file is read again."""
        from rag import health
        from rag.store import index_folder

        if self.store is None:
            self.prepare()
        generator = self._generator
        return health.collect(
            self.config, list(self.notes.values()), self.sections, list(self.skipped.values()), self.store,
            index_folder(self.config, self.config.notes_dir),
            embedding_model=self._embedder.name if self._embedder is not None else None,
            generator_model=generator.name if generator is not None else None,
            unanswered=self.unanswered.newest_first(),
        )

    # --- questions
    def retrieve(self, query: str, top_k: int | None = None, where: dict | None = None, own: str | None = None):
        """Passages for `query`; `own` is the follow-up as typed when `query` carries words over (Retriever.search)."""
        if self.store is None:
            self.prepare()
        return self.retriever.search(query, top_k or self.config.top_k, where, own=own)

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
        context = found.context
        if found.reason:
            yield Final(self._abstain(answer, started, found.reason))
            return
        focus = found.decision.focus
        part = second_ask(question)
        also = second_ask_answer(part, found.decision.evidence[0].support, found.quotes, context, self.checker) if part else None
        # a listing question that names the answering section's heading ("Name the main application
        # areas." under 'Main Application Areas') asks for the whole list, though one item scores best
        home = context[found.decision.evidence[0].support.note.passage].section
        names_list = focus.kind == "list" and bool(home) and heading_asked(content_words(found.query), content_words(home[-1])) == 1.0
        ranked = None
        if asks_for_code(found.query, focus):
            context, ranked = self._with_section_code(found, context, where)
        quoted = evidence_answer(found.decision.evidence, context, self.checker.t, listing=focus.kind in ("list", "todo"),
                                 ranked=ranked, also=also,
                                 left_out=left_out(found.query), every_item=every_item_asked(found.query) or names_list,
                                 latest=set(content_words(found.query)) if LATEST_ASKED.search(found.query) else None)
        pieces, first = [], None
        if self.config.generate:
            with self._answer_gate():  # released also when the reader goes away mid-answer (GeneratorExit)
                for piece in self.generator.stream(self.prompt_for(found), max_new_tokens or self.config.max_new_tokens):
                    if first is None:
                        first = time.perf_counter() - started
                    piece = clean_text(piece)  # a server's JSON may carry lone surrogates or control characters
                    pieces.append(piece)
                    yield Draft(piece)
        answer.draft = "".join(pieces).strip()
        generated_s = time.perf_counter() - started
        if self.config.generate:
            grounded = ground(answer.draft, found.query, context, self.checker, quoted)
        else:
            grounded = quoted
        answer.text, answer.citations, answer.dropped = grounded.text, grounded.citations, grounded.dropped
        answer.mode = MODE_EXTRACTIVE if grounded.extractive else MODE_GENERATED
        if answer.empty_sections:
            answer.text += "\n\n" + " ".join(prompts.EMPTY_SECTION_ALSO.format(section=e.describe()) for e in answer.empty_sections)
        tokens = self._count_tokens(answer.draft)
        decode_s = generated_s - (first or generated_s)
        timings.update(
            first_token_s=round(first or generated_s, 4) if self.config.generate else None,  # null: the model was not asked
            total_s=round(time.perf_counter() - started, 4),
            tokens=tokens,
            tokens_per_s=round((tokens - 1) / decode_s, 2) if tokens > 1 and decode_s > 0 else None,
        )
        yield Final(answer)

    def _with_section_code(self, found: "Assessment", context: list, where: dict | None) -> tuple[list, list]:
        """The context and its ranked note sentences for an answer that shows a way: when no retrieved
        chunk of the answering section holds code, its other chunks that do come after the context
        (SECTION_CODE_CHUNKS at most, the ones that fit the question best), so that the command the
        note shows reaches the answer. "pause a scheduled github actions workflow ..." finds the
        note's first chunk, which says what `gh workflow` does; `gh workflow disable` is two chunks on."""
        home = context[found.decision.evidence[0].support.note.passage]
        # the context's sentences are read already (found.quotes holds each, code or not)
        if any(s.note.code and (context[s.note.passage].file, context[s.note.passage].section) == (home.file, home.section) for s in found.quotes):
            return context, found.quotes
        have = {p.chunk_id for p in context}
        # three times as many chunks of the note as may be added: some are of its other sections or hold no code
        more = [p for p in self.retrieve(found.query, SECTION_CODE_CHUNKS * 3, dict(where or {}, file=home.file))
                if p.section == home.section and p.chunk_id not in have and shows_code(p)][:SECTION_CODE_CHUNKS]
        if not more:
            return context, found.quotes
        # the sentences of the chunks added, ranked alone (a sentence's fit to the question is its own)
        # and pointed at their place after the context
        added = [replace(s, note=replace(s.note, passage=s.note.passage + len(context))) for s in rank_quotes(found.query, more, self.checker)]
        return context + more, sorted(found.quotes + added, key=lambda s: -s.score)

    def _answer_gate(self) -> threading.BoundedSemaphore:
        """Answers the model computes at once: its slots for a server backend, else one."""
        with self._lock:
            if self._gate is None:
                self._gate = threading.BoundedSemaphore(max(1, int(getattr(self.generator, "slots", None) or 1)))
            return self._gate

    def assess(self, question: str, history: list[dict] | None = None, top_k: int | None = None, min_evidence: float | None = None, where: dict | None = None) -> "Assessment":
        """Retrieve and decide, before any model runs, whether the notes can answer the question."""
        started = time.perf_counter()
        if self.store is None:
            self.prepare()
        # a word typed one letter from the notes' own is searched and judged as they spell it
        question = self.vocabulary.respelled(question, self.checker.whole_word)
        query = contextual_query(question, history)
        if query != question:  # the words a follow-up carries over from the questions before it
            query = self.vocabulary.respelled(query, self.checker.whole_word)
        passages = self.retrieve(query, top_k, where, own=question)
        topic = self._topic(history, where) if query != question else None
        if topic is not None:
            passages += self._topic_passages(query, question, topic, passages, where)
        retrieve_s = round(time.perf_counter() - started, 4)
        # A follow-up ("and when did they appear?") is judged by the query that carries its topic.
        empty = self._empty_sections_about(query)
        context = fit_context(self.retriever.read_on([p for p in passages if p.score >= self.config.min_relevance]), self.config.context_budget_chars)
        # what a follow-up asks is what it typed: "how do I fix that?" orders the sentences of the note
        # on Go's random numbers by the fix, not by the question before it that the query carries
        quotes = rank_quotes(query, context, self.checker, asked_part=question if query != question else None)
        # eval.calibrate passes min_evidence to sweep the threshold with every other rule in place
        decision = self.decider.decide(query, context, quotes, threshold=min_evidence, topic=topic.file if topic is not None else None)
        reason = self._unanswerable(context, empty, decision, query)
        if reason is None and decision.evidence:  # the section whose sentence answers leads the ranking
            answers = context[decision.evidence[0].support.note.passage]
            passages = section_first(passages, answers.file, answers.section)
        best = decision.best.score if decision.best else 0.0
        return Assessment(query, passages, context, quotes, empty, reason, best, retrieve_s, decision)

    def _topic(self, history: list[dict], where: dict | None):
        """The passage the previous question finds first, searched as it was (its own follow-up query):
        what a follow-up leaning on it is about."""
        at = last_asked(history)
        previous = history[at]["content"]
        query = contextual_query(previous, history[:at])
        top = self.retrieve(query, 1, where, own=previous if query != previous else None)
        return top[0] if top else None

    def _topic_passages(self, query: str, question: str, topic, passages: list, where: dict | None) -> list:
        """The chunks of the `topic` passage's section, scored for the follow-up's `query`, when its
        own search left that section out: "can i make it handle two at a time?" after "what happens if
        i pipe stuff into xargs without giving it a command?" is asked of the note on xargs, though the
        words carried over ("pipe", "command") find notes on running a command several times first."""
        if any((p.file, p.section) == (topic.file, topic.section) for p in passages):
            return []
        scoped = dict(where or {}, file=topic.file)
        return [p for p in self.retrieve(query, TOPIC_CHUNKS + 1, scoped, own=question) if p.section == topic.section][:TOPIC_CHUNKS]

    def prompt_for(self, found: "Assessment") -> list[dict]:
        """The prompt for an answerable question: the question and the note sentences that answer it."""
        chosen = chosen_evidence(found.decision.evidence, found.context, self.checker.t)
        shown = evidence_context(chosen, found.context, self.config.prompt_budget_chars)
        return prompts.answer_messages(found.query, shown)

    def evidence_score(self, question: str) -> float:
        """The best evidence score any retrieved note sentence has for the question (0 when none
        covers its focus or holds the kind of answer asked for): what calibration compares."""
        found = self.assess(question, min_evidence=float("-inf"))
        return found.decision.evidence[0].score if found.decision and found.decision.evidence else 0.0

    def _unanswerable(self, context, empty, decision: Decision, question: str) -> str | None:
        """Why the notes cannot answer `question` (the query decided on), or None. Decided from the notes alone."""
        if not context:
            return "nothing in the notes is close to the question"
        context_words = set(content_words(" ".join(p.text for p in context)))
        if any(not word_coverage(e.topic_words, context_words) for e in empty):
            return "the question is about a heading with nothing written under it"
        if decision.answerable and empty:
            # one answering sentence (with its neighbours and heading) must say every word of an empty
            # heading the question names: "how are LLMs trained?" names the empty 'Training and
            # Fine-tuning', and no sentence that answers ("Around 2017, the Transformer architecture
            # arrived ...") says anything of training, though another passage says "training data" in
            # passing; "can AI generate video?" names the empty 'Video Generation', and "Video &
            # Animation: Generating short clips, ..." answers it
            said = [set(content_words(e.support.note.window + " " + " ".join(context[e.support.note.passage].section))) for e in decision.evidence]
            if any(all(word_coverage(e.topic_words, words) < 1 for words in said) for e in empty):
                return "the question is about a heading with nothing written under it"
        # "What do my notes say about pasta?" is about the empty 'Pasta' heading as a whole, even if
        # some sentence mentions pasta in passing ("a soup with beans and pasta"); each of its words
        # as the heading writes it: "the generator" of a GAN is no word of "Generative Adversarial Networks".
        # Not a question that asks one thing of it (a date, a number, a name) that a sentence elsewhere
        # gives: "when did gans show up?" is answered by the history's "In 2014, ... (GANs) came out";
        # nor one that asks what it is good for: "What are GANs good at?" by "a huge game-changer for
        # generating realistic images".
        asks_one_thing = decision.answerable and (decision.focus.kind in ONE_THING or bool(USE_ASKED.search(question)))
        if not asks_one_thing and any(names_heading(set(decision.focus.words), e.section[-1]) for e in empty):
            return "the question is about a heading with nothing written under it"
        return decision.reason

    def ask(self, question: str, history: list[dict] | None = None, **options) -> Answer:
        for event in self.stream(question, history, **options):
            if isinstance(event, Final):
                return event.answer
        raise RuntimeError("the pipeline ended without an answer")  # unreachable: stream always yields one

    # --- helpers
    def _check_question(self, question) -> str:
        return check_question(question, self.config.max_question_chars)

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
        self.unanswered.add(answer.question, reason, answer.mode)  # the notes' to-do list (Notes tab, `status`)
        return answer

    def _count_tokens(self, text: str) -> int:
        return self.generator.count_tokens(text)

    def _model_info(self) -> dict:
        return {"generator": self.generator.name, "backend": getattr(self.generator, "backend", None), "embedder": self.embedder.name}
