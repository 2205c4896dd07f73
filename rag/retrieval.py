"""Find the passages of the notes that answer a question.

`contextual_query` turns a follow-up ("and when did they appear?") into a query that stands alone by
carrying over the key terms of the previous question. `Retriever.search` embeds the query and asks
the vector store (rag/store) for the top-k chunks, as `Passage`s with cosine scores, best first.
`fit_context` chooses what goes into the prompt: adjacent chunks of one section merged, duplicates
dropped, within a budget.
It does not decide whether the passages are good enough (pipeline.py and support.py do).
"""
from __future__ import annotations

import dataclasses
import os
import re
import threading
import unicodedata

import numpy as np

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
    like get got make made use used using one ones notes note work works whats goes
    someone somebody anyone anybody everyone everybody whoever whatever
    i'm i've i'd i'll you're you've you'd we're we've they're they've it's that's there's let's im ive youre theyre""".split()
)  # a pronoun run into its verb says no more than the two apart ("i'm debugging", typed "im using azure"), and an
# indefinite one says who, not what: "what happens if *someone* passes it two?" has a topic of two words
# A negation typed without its apostrophe is the same word ("why doesnt node ship yarn", "i dont want"):
# the notes write "doesn't", and "dont" alone would weigh as a word they never use.
APOSTROPHE_LESS = {
    w.replace("'", ""): w
    for w in "don't doesn't didn't can't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't hasn't haven't hadn't mustn't".split()
}
# Words that make a question lean on the one before it ("and when did *they* appear?", "can I use a
# different *one*?", "does the escaping work for nested folders *too*?").
ANAPHORA = frozenset("it its they them their this that these those he she his her there then and also too instead one ones".split())
# A question that opens by going on from the last answer ("so what was the default value anyway?",
# "but why?", "ok, and on linux?") leans on it as "and ..." does.
OPENS_ONWARD = re.compile(r"\s*(?:so|but|ok|okay)\b", re.I)
# Chat filler ("ok but why is that such a big deal for us?") says nothing of a topic of its own.
FILLER = frozenset("ok okay us actually anyway".split())


# "Why did I stop buying malt from Castlegate?" asks for a reason, which a section headed as one
# gives ("Why I left (Aug 2025)", "Reasons"): such a heading counts as a heading the question names
WHY_ASKED = re.compile(r"\s*(?:and\s+|so\s+)?why\b", re.I)
WHY_HEADING = re.compile(r"\W*(?:why|reasons?)\b", re.I)


def own_words(question: str) -> list[str]:
    """A follow-up's content words, less chat filler (FILLER)."""
    return [w for w in content_words(question) if w not in FILLER]


# The plural of an acronym: a capital and then "s" ("GPUs", "vCPUs", "APIs", "IDs"), which the rule of
# plurals below cannot fold ("-us" and "-is" end Latin singulars: status, basis; "ids" is too short).
ACRONYM_PLURAL = re.compile(r"(?<=[A-Z])s\b")  # (a look behind at each "s", not a scan of every word)


def singular_acronyms(text: str) -> str:
    """The text with each acronym's plural folded: "2 vCPUs per app" -> "2 vCPU per app"."""
    return ACRONYM_PLURAL.sub("", text)


# Typeset marks read as typed: "DALL·E" (a middle dot) and "DALL‑E" (a non-breaking hyphen) are "DALL-E".
TYPESET = str.maketrans({"’": "'", "·": "-", "‐": "-", "‑": "-"})
# Letters that no accent mark takes apart (NFKD leaves them whole), written as a keyboard without them types them.
UNMARKED = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i"})


def plain_letters(text: str) -> str:
    """The text with its letters' accents taken off ("Sítio" -> "Sitio", "Zürich" -> "Zurich"): a word
    is the same word typed with or without them, and an accented letter does not cut it in two ("S",
    "tio"; "Z", "rich": a word the question may use)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(UNMARKED)) if not unicodedata.combining(c))


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, accents taken off, plurals folded ('GANs' -> 'gan', 'tries' -> 'try', 'GPUs' -> 'gpu')."""
    words = []
    for word in WORD.findall(plain_letters(text.translate(TYPESET))):
        if word[-1] == "s" and len(word) > 1 and word[-2].isupper():  # an acronym's plural (ACRONYM_PLURAL)
            word = word[:-1]
        word = word.lower().removesuffix("'s")
        word = APOSTROPHE_LESS.get(word, word)
        if word in STOPWORDS:  # before folding plurals: "does" and "goes" are stopwords, "doe" and "goe" no words
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


# Endings that make another form of a word ("deploy" -> "deployment", "configure" -> "configuration");
# an ending of three letters or fewer always does ("-ed", "-ing", "-er", "3" of python3).
SUFFIXES = frozenset(
    """ment ments ation ations ition itions ication ications ization izations isation isations izer izers iser isers
    ness able ible ably ibly ally ical ically ance ances ence ences ency ancy ings ions ives ively ized izes izing
    ised ises ising ality ities ful fully less ship ously edly ingly ative atives ator ators ures ants ents ists isms
    ified ifies""".split()
)
# The endings of one verb's or noun's own forms (same_stem). Not "-er": a "helper" is no form of "help".
INFLECTIONS = frozenset({"", "e", "ed", "ing", "s", "es"})


def _an_ending(rest: str, stem: str) -> bool:
    """Whether `rest`, what follows `stem` in a longer word, is an ending and not another word: "ment" of
    "deployment" is, "port" of "reuseport" and "cript" of "typescript" are not ("embed" + "ding": a
    doubled consonant before "-ing")."""
    if len(rest) <= 3 or rest in SUFFIXES:
        return True
    return bool(stem) and rest[0] == stem[-1] and (len(rest) <= 4 or rest[1:] in SUFFIXES)


# Short forms of words, each with one meaning only ("temp", "min", "dev", "doc" and "auth"
# have two and are left out): "what env var do i set" asks what the notes call an environment variable.
SHORT_FORMS = {
    "var": "variable", "env": "environment", "repo": "repository", "dir": "directory", "config": "configuration",
    "arg": "argument", "param": "parameter", "db": "database", "app": "application", "info": "information",
    "msg": "message", "pkg": "package", "dep": "dependency", "lib": "library", "fn": "function", "func": "function",
    "num": "number", "str": "string", "impl": "implementation", "prod": "production", "cmd": "command",
    "ctx": "context", "req": "request", "img": "image", "perf": "performance", "max": "maximum",
    # and everyone's, in their own notes ("Y11 mocks: chem paper 1 avg 58%" gives the mock averages)
    "avg": "average", "approx": "approximate", "appt": "appointment", "dept": "department", "qty": "quantity",
    "amt": "amount", "addr": "address", "bday": "birthday", "yr": "year", "wk": "week", "hr": "hour",
    "mtg": "meeting", "mgmt": "management", "govt": "government",
    # a short form a note writes ("| What | Details | Ref |") or a chat types ("what hrs does greta work",
    # "when can new ppl go on call"); a plural one as typed, since it is no word's plural ("hrs", not "hr")
    "ref": "reference", "hrs": "hour", "yrs": "year", "wks": "week", "ppl": "people", "acct": "account", "mgr": "manager",
}


def same_word(a: str, b: str) -> bool:
    """Whether `b` says the word `a`: equal, one a form of the other ('deploy'/'deployment': a shared
    start of 5+ letters covering 3/4 of the shorter word, so not 'technology'/'technical'), one the
    short form of the other ('var'/'variable', SHORT_FORMS) or one typo apart ('translaton'). What `a`
    has beyond the shared start must be an ending: 'reuse' does not say 'reusePort' (another thing),
    while 'InterfaceConstructor' says 'interface' (one of its kind)."""
    if a == b or SHORT_FORMS.get(a) == b or SHORT_FORMS.get(b) == a:
        return True
    shared = len(os.path.commonprefix([a, b]))
    if shared >= 5 and shared >= 0.75 * min(len(a), len(b)) and _an_ending(a[shared:], a[:shared]):
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    # one substitution, insertion, deletion or swap of neighbours (Damerau distance 1)
    return a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])


def same_stem(a: str, b: str) -> bool:
    """Whether two words are forms of one word, each a stem of 4+ letters and an inflection
    ('trained'/'training', 'parse'/'parsing'), though neither is the other plus an ending (same_word)."""
    shared = len(os.path.commonprefix([a, b]))
    return shared >= 4 and a[shared:] in INFLECTIONS and b[shared:] in INFLECTIONS


def word_coverage(asked: list[str], available: set[str]) -> float:
    """Share of the asked words that the available words contain, allowing stems and typos."""
    if not asked:
        return 0.0
    return sum(1 for w in asked if w in available or any(same_word(w, x) for x in available)) / len(asked)


# A name of code a question asks about: `performance.now()`, dgram.createSocket(), `new vm.Script()`.
CODE_MARK = re.compile(r"[._$(]")  # what a name of code has and a heading of words lacks (or a `span`)
CODE_NAME = re.compile(r"`([^`\n]+)`|(?<![\w.$])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?|[A-Za-z_$][\w$]*\(\))")


def code_name(text: str) -> str:
    """The name of code a heading (as notes.clean_heading keeps it, without backticks) or a question's
    code token gives, without its arguments, lower-cased: "assert.ifError(value)" -> "assert.iferror",
    "Class: net.Socket" -> "net.socket"; "" for a heading of words ("Subpath imports", "Class: Worker")."""
    if "`" not in text and not CODE_MARK.search(text):  # most headings are words: nothing to look for
        return ""
    spans = re.findall(r"`([^`]+)`", text)
    name = (spans[-1] if spans else re.sub(r"^[A-Za-z][A-Za-z ]*:\s+", "", text)).strip()
    name = re.split(r"[(\[]", name, maxsplit=1)[0].strip().lower()
    return name if re.fullmatch(r"(?:new )?[\w$.'\-:]+", name) and (spans or CODE_MARK.search(text)) else ""


def headed(payload: dict) -> str:
    """A chunk's heading path as the notes wrote it, "" for text above any heading: the file's name
    that names it (Chunk.named_by_file) is searched once, as the file's name."""
    return "" if payload.get("named_by_file") else " ".join(payload["section"])


def heading_asked(asked: list[str], heading: list[str]) -> float:
    """1.0 when the question (its content words `asked`) names every word of a section's own heading
    (its content words) ("Which tokenizer does Mistral NeMo use?" and "Mistral NeMo"), else 0.0."""
    # stops at the first heading word not asked: most candidates' headings fail on their first word
    return float(bool(heading) and all(w in asked or any(same_word(w, a) for a in asked) for w in heading))


def last_asked(history: list[dict] | None) -> int | None:
    """Where the last question of a chat history stands in it (its index), or None when it holds none."""
    asked = [k for k, m in enumerate(history or []) if m.get("role") == "user" and isinstance(m.get("content"), str)]
    return asked[-1] if asked else None


def contextual_query(question: str, history: list[dict] | None) -> str:
    """The question, plus the previous question's topic when this one leans on it.

    A question leans on the previous turn when it uses a pronoun or 'and …', or opens with 'so', 'but'
    or 'ok', and has at most three content words of its own (filler not counted): "and when did they
    appear?" after "What does the adversarial part of a GAN mean?" becomes "GAN adversarial part … and
    when did they appear?".
    """
    at = last_asked(history)
    if at is None:
        return question
    own = own_words(question)
    words = {w.lower() for w in WORD.findall(question)}
    if len(own) > 3 or not (words & ANAPHORA or OPENS_ONWARD.match(question)):
        return question
    previous = history[at]["content"]
    replaced = slot_filled(question, previous)
    carried = [w for w in dict.fromkeys(content_words(previous)) if w not in own and w not in replaced]
    return " ".join(carried + [question]) if carried else question


# "and in science?" after "Where is it used in business?": the same question of another thing, put
# where the earlier one put its own (the same preposition)
SAME_OF_ANOTHER = re.compile(r"^\s*(?:and|or|but|so|ok|okay)\b[\s,]*(?:what|how)?\s*(?:about\s+)?(in|with|for|on|at|to|from|by|of)\s+\w", re.I)


def slot_filled(question: str, previous: str) -> set[str]:
    """The content words that filled, in the previous question, the place a follow-up asks the same
    of another thing in: "business" for "and in science?" after "Where is it used in business?"; the
    follow-up's own words replace them, and carried over they would outweigh it."""
    m = SAME_OF_ANOTHER.match(question)
    if not m:
        return set()
    slot = re.search(rf"\b{m.group(1)}\s+([^?!.,;]+)", previous, re.I)
    return set(content_words(slot.group(1))) if slot else set()


class Retriever:
    """Hybrid search over a vector store: cosine similarity plus word matching (rag/lexical.py).

    A chunk's rank score is `cosine + lexical_weight x BM25 + coverage_weight x word coverage`
    (rag/config.py says how the weights were chosen). Candidates are the CANDIDATES best by cosine
    (the store's own search, `where` applied before ranking) and the CANDIDATES best by BM25 among the
    chunks `where` allows; the cosine of a BM25-only candidate is computed from its stored vector.
    Every returned Passage keeps its cosine as `score` and carries the rank score as `rank_score`.
    The lexical index is built from the store's chunks when the Retriever is made (pipeline.prepare,
    after every sync) and again if the store's contents change under it, so it always covers exactly
    the chunks the vectors do; it is not saved (rebuilding is fast: eval/README.md "Retrieval").
    """

    def __init__(self, store, embedder, config=None):
        from rag.config import Config

        self.store, self.embedder = store, embedder
        self.config = config or Config()
        self._lexical = None
        self._whole = False  # the embedder's whole-word test, looked up on the first search (anchors)
        self._state = None
        self._where_rows: dict = {}
        # The chat's folder watcher swaps in an updated store (`use`) while answers are being
        # searched: a search and a swap never overlap, so a search sees one store and its word index.
        self._switch = threading.RLock()
        self._words()  # now, while the index is being prepared, not on the first question

    def use(self, store) -> None:
        """Search `store` from now on; its word index is built before any search sees it."""
        with self._switch:
            self.store = store
            self._words()

    # --- the word index, kept in step with the store
    def _words(self):
        from rag.config import BM25_B, BM25_K1, LEXICAL_FIELDS
        from rag.lexical import LexicalIndex, file_words

        manifest = self.store.get_manifest()
        state = (len(self.store), manifest.get("created"), manifest.get("files"))
        if self._lexical is None or state != self._state:
            payloads = self.store.payloads()
            self._ids = list(payloads)
            self._payloads = [payloads[i] for i in self._ids]
            self._row = {id: row for row, id in enumerate(self._ids)}
            heading = [headed(p) for p in self._payloads]
            fields = {
                "text": [p["text"] for p in self._payloads],
                "heading": heading,
                "file": [file_words(p["file"]) + " " + p.get("about", "") for p in self._payloads],
            }
            self._lexical = LexicalIndex(fields, LEXICAL_FIELDS, BM25_K1, BM25_B)
            # each chunk's own heading, as words: asked of every question's best candidates (heading_asked)
            self._heading_words = [content_words(p["section"][-1]) if h else [] for p, h in zip(self._payloads, heading)]
            self._heading_names = [code_name(p["section"][-1]) if h else "" for p, h in zip(self._payloads, heading)]
            # each chunk's section headed as a reason ("Why I left (Aug 2025)"): asked of why-questions' candidates
            self._reason_headed = [bool(p["section"]) and WHY_HEADING.match(p["section"][-1]) is not None for p in self._payloads]
            in_order = sorted(range(len(self._ids)), key=lambda r: (self._payloads[r]["file"], self._payloads[r]["line_start"]))
            self._after = {
                self._ids[a]: self._ids[b] for a, b in zip(in_order, in_order[1:])
                if self._payloads[a]["file"] == self._payloads[b]["file"] and self._payloads[a]["section"] == self._payloads[b]["section"]
            }
            self._state, self._where_rows = state, {}
        return self._lexical

    def _allowed(self, where: dict | None) -> np.ndarray | None:
        """Rows a `where` filter lets rank (None: all), computed once per filter."""
        if not where:
            return None
        key = tuple(sorted(where.items()))
        if key not in self._where_rows:
            from rag.store.base import matches

            self._where_rows[key] = np.array([row for row, p in enumerate(self._payloads) if matches(p, where)], dtype=np.int64)
        return self._where_rows[key]

    # --- search
    def search(self, query: str, top_k: int, where: dict | None = None, own: str | None = None) -> list[Passage]:
        """The top_k chunks for the query, best first; `where` restricts which chunks may rank
        (rag.store.base.matches). `own` is a follow-up as typed when `query` carries words over from
        the previous question: both are searched and their rank scores mixed (followup_own_weight on
        the follow-up's own), and the chunk after the best one in its section comes second (a
        follow-up such as "what did it make possible?" is answered by what the notes say next).
        Passage.score is always the cosine to `query`."""
        with self._switch:
            return self._search(query, top_k, where, own)

    def _search(self, query: str, top_k: int, where: dict | None, own: str | None) -> list[Passage]:
        lexical = self._words()
        queries = [query] if own is None or own == query else [query, own]
        prepared = [(q, self.embedder.encode([q])[0], lexical.scores(q)) for q in queries]
        found = [dict(self._candidates(vector, words, where)) for _, vector, words in prepared]
        union = dict.fromkeys(id for ids in found for id in ids)
        nan = float("nan")
        scored = [self._score(q, vector, words, {id: known.get(id, nan) for id in union}) for (q, vector, words), known in zip(prepared, found)]
        ranked = scored[0]
        if len(scored) == 2:
            w = self.config.followup_own_weight if self._on_topic(own, scored[0], top_k) else 0.0
            ranked = {id: (cosine, w * scored[1][id][1] + (1 - w) * fused) for id, (cosine, fused) in ranked.items()}
        order = sorted(ranked, key=lambda id: -ranked[id][1])
        if len(scored) == 2 and order:
            after = self._after.get(order[0])
            if after is not None and after not in order[:top_k]:
                if after not in ranked:
                    ranked[after] = (self._cosines(prepared[0][1], [after])[0], ranked[order[0]][1])
                order = [order[0], after] + [id for id in order[1:] if id != after]
        return [self._passage(id, *ranked[id]) for id in order[:top_k]]

    def _on_topic(self, own: str, carried: dict, top_k: int) -> bool:
        """Whether a word of the follow-up's own is one the chunks the carried query ranks first use
        (text, heading path or file name). "how do I fix that?" after a question about Go's random
        numbers: no note on them says "fix", so its own search finds the notes that do (a Quick Fix
        window) and only pulls the answer away; "and in science?" names what the section it needs says."""
        best = sorted(carried, key=lambda id: -carried[id][1])[:top_k]
        seen = set()
        for id in best:
            p = self._payloads[self._row[id]]
            seen.update(content_words(" ".join([p["text"], *p["section"], p["file"]])))
        return word_coverage(own_words(own), seen) > 0

    def _candidates(self, vector: np.ndarray, words: np.ndarray, where: dict | None) -> list[tuple[str, float]]:
        """(id, nan) of the best CANDIDATES by BM25 and (id, cosine) of the best by cosine, within `where`."""
        from rag.config import CANDIDATES

        lexical = []
        if self.config.lexical_weight or self.config.coverage_weight:
            allowed = self._allowed(where)
            pool = words if allowed is None else words[allowed]
            best = np.argsort(-pool, kind="stable")[:CANDIDATES]
            lexical = [(self._ids[int(r)], float("nan")) for r in (best if allowed is None else allowed[best]) if words[r] > 0]
        # cosine hits last, so a chunk found both ways keeps its known cosine
        return lexical + [(hit.id, hit.score) for hit in self.store.search(vector, CANDIDATES, where)]

    def _score(self, query: str, vector: np.ndarray, words: np.ndarray, ids: dict[str, float]) -> dict[str, tuple[float, float]]:
        """id -> (cosine, rank score) for these ids (a nan cosine is computed from the stored vector)."""
        from rag.config import LEXICAL_POOL, RERANK_POOL

        missing = [id for id, cosine in ids.items() if cosine != cosine]
        cosines = {**ids, **dict(zip(missing, self._cosines(vector, missing)))}
        fused = {id: c + self.config.lexical_weight * float(words[self._row[id]]) for id, c in cosines.items()}
        pool = sorted(fused, key=lambda id: -fused[id])[:RERANK_POOL]
        pool += [id for id in sorted(fused, key=lambda id: -float(words[self._row[id]]))[:LEXICAL_POOL] if id not in pool]
        if self.config.coverage_weight:
            for id, share in zip(pool, self._lexical.coverage(query, [self._row[id] for id in pool])):
                fused[id] += self.config.coverage_weight * float(share)
        if self.config.anchor_weight:
            for row in self.anchors(query):
                if self._ids[row] in fused:
                    fused[self._ids[row]] += self.config.anchor_weight
        if self.config.heading_weight:
            asked = content_words(query)
            why = WHY_ASKED.match(query) is not None
            for id in pool:
                fused[id] += self.config.heading_weight * heading_asked(asked, self._heading_words[self._row[id]])
                if why and self._reason_headed[self._row[id]]:
                    fused[id] += self.config.heading_weight
        if self.config.code_heading_weight:
            names = {code_name(m.group(1) or m.group(2)) for m in CODE_NAME.finditer(query)} - {""}
            for id in pool:
                fused[id] += self.config.code_heading_weight * (self._heading_names[self._row[id]] in names)
        return {id: (cosines[id], fused[id]) for id in fused}

    def anchors(self, query: str) -> list[int]:
        """The rows of the chunks that alone hold a word of the query that the embedder's tokenizer cuts
        into pieces ("jollop", "lactulose", "reposition"): a word the notes write once and no everyday
        word. Empty over fewer than ANCHOR_MIN_CHUNKS chunks, or when the tokenizer cannot be reached."""
        from rag.config import ANCHOR_MIN_CHUNKS
        from rag.embedders.base import whole_word_test
        from rag.lexical import tokenize

        if self._whole is False:
            self._whole = whole_word_test(self.embedder)
        if self._whole is None or len(self._lexical) < ANCHOR_MIN_CHUNKS:
            return []
        return [self._lexical.only[t] for t in dict.fromkeys(tokenize(query))
                if t in self._lexical.only and t.isalpha() and len(t) >= 4 and not self._whole(t)]

    def _cosines(self, vector: np.ndarray, ids: list[str]) -> list[float]:
        return [float(s) for s in self.store.vectors(ids) @ vector] if ids else []

    def read_on(self, passages: list[Passage]) -> list[Passage]:
        """The passages, each that stops leading into what follows (on ":" or mid-clause: "The main
        differences between using `npm install` and `npm ci` are:") joined with the chunk after it in
        its section, where it stands: the list, code or sentence it leads into is its answer."""
        from rag.chunking import leads_on

        with self._switch:
            self._words()  # the chunks' order (self._after) is read with the word index
            have = {p.chunk_id for p in passages}
            out = []
            for p in passages:
                after = self._after.get(p.chunk_id)
                if after is not None and after not in have and leads_on(p.text.rstrip()):
                    p = _merge(p, self._passage(after, p.score, p.rank_score if p.rank_score is not None else p.score))
                    have.add(after)
                out.append(p)
            return out

    def _passage(self, id: str, cosine: float, rank_score: float) -> Passage:
        p = self._payloads[self._row[id]]
        return Passage(id, p["file"], list(p["section"]), p["text"], p["line_start"], p["line_end"], round(cosine, 4), round(rank_score, 4), p["open_fences"], tuple(p.get("tags", ())), p.get("about", ""))


def passage(hit) -> Passage:
    p = hit.payload
    return Passage(hit.id, p["file"], list(p["section"]), p["text"], p["line_start"], p["line_end"], round(hit.score, 4), open_fences=p["open_fences"], tags=tuple(p.get("tags", ())), about=p.get("about", ""))


def section_first(passages: list[Passage], file: str, section: list[str]) -> list[Passage]:
    """The passages of one note section first, the others after them in their order: the second
    stage of the ranking, once a sentence of that section is found to answer (decide.py). Ranking
    passages is a guess made from the whole chunk; the answering sentence is the evidence ("What kinds
    of video can generative AI make?" ranks the definition of generative AI above the section that
    lists video among its applications)."""
    return sorted(passages, key=lambda p: not (p.file == file and p.section == section))


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
        chosen[0] = dataclasses.replace(first, text=first.text[:budget_chars])
    return chosen


def _size(passages) -> int:
    return sum(len(p.text) for p in passages)


def _touch(a: Passage, b: Passage) -> bool:
    return a.line_start <= b.line_end + 1 and b.line_start <= a.line_end + 1


def _merge(a: Passage, b: Passage) -> Passage:
    first, second = (a, b) if a.line_start <= b.line_start else (b, a)
    # chunks that share lines repeat the splitter's overlap; chunks that only touch share nothing, and a
    # table row ending in "|" must not run into the next chunk's row starting with "|"
    overlap = _overlap(first.text, second.text) if second.line_start <= first.line_end else 0
    # a blank line between them (Retriever.read_on joins the chunk after a lead-in) stays one
    between = "" if overlap else "\n\n" if second.line_start > first.line_end + 1 else "\n"
    text = first.text + between + second.text[overlap:]
    return Passage(first.chunk_id, a.file, a.section, text, first.line_start, max(a.line_end, b.line_end), max(a.score, b.score), _best(a.rank_score, b.rank_score), first.open_fences, a.tags, a.about)


def _best(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def _overlap(left: str, right: str) -> int:
    """Length of the longest suffix of `left` that is a prefix of `right` (the splitter's overlap)."""
    for size in range(min(len(left), len(right)), 0, -1):
        if left.endswith(right[:size]):
            return size
    return 0


