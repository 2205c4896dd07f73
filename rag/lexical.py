"""Word matching for retrieval: a tokeniser that keeps code tokens whole, and BM25 over a chunk's fields.

Dense vectors find paraphrases but blur exact names: `init.defaultBranch`, `--no-verify`, `:g/` or
`pg_stat_activity` are what a developer's note is about, and a question that names one should find
that note. `tokenize` keeps such a token whole (lower-cased) and also yields its words
(`init.defaultBranch` -> `init.defaultbranch`, `init`, `defaultbranch`, `default`, `branch`), so both
the exact flag and a question in plain words ("default branch") match. Plain words are lower-cased,
stop words dropped and plurals folded (`branches` -> `branch`).

`LexicalIndex` holds one BM25 index per field of a chunk (its text, its heading path, its file name:
a TIL note's file name says what it answers, `git/set-default-branch-name-for-new-repos.md`) and
gives, for a query, every chunk's field-weighted normalized BM25 score (`scores`) and the IDF-weighted
share of the query's words that the chunk contains anywhere (`coverage`). It is built from the
chunks' texts when a Retriever first searches (rag/retrieval.py) and never saved: rebuilding costs
well under a second at 5,000 chunks (eval/README.md "Retrieval"), and it cannot drift from the vectors.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain
from typing import Iterable, Sequence

import numpy as np

from rag.retrieval import STOPWORDS, _singular as singular, plain_letters

# A whitespace-free run, cut at quotes, brackets and sentence punctuation that never belongs to code.
RAW_TOKEN = re.compile(r"[^\s`'\"()\[\]{}<>,;!?*|]+")
# What makes a run a code token: punctuation between letters or digits (init.defaultBranch,
# pg_stat_activity, node@18, a/b), a leading flag or editor-command mark (--no-verify, :g/), camelCase
# (useState), or a trailing ++ or / (C++, :g/).
CODE_MARK = re.compile(r"[A-Za-z0-9][._/:@#+=\-][A-Za-z0-9]|^[-:]{1,2}[A-Za-z]|[a-z][A-Z]|\+\+$|/$")
# Sentence punctuation stuck to the end of a word is not part of it ("set init.defaultBranch.").
TRAILING = ".:"
ALNUM = re.compile(r"[A-Za-z0-9]+")
LOWER_UPPER = re.compile(r"[a-z][A-Z]")
CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def code_tokens(text: str) -> list[str]:
    """The tokens of `text` that look like code (flags, dotted names, paths, editor commands), lower-cased, in order."""
    found = []
    for raw in RAW_TOKEN.findall(text):
        token = raw.rstrip(TRAILING) or raw
        if _is_code(token):
            found.append(token.lower())
    return found


def tokenize(text: str) -> list[str]:
    """Code tokens whole, then every word (camelCase split, plural folded, accents taken off), stop words dropped."""
    return list(chain.from_iterable(map(_raw_tokens, RAW_TOKEN.findall(plain_letters(text)))))


def _is_code(token: str) -> bool:
    """camelCase alone is not: the word loop keeps 'useState' whole and split."""
    return len(token) >= 2 and not token.isalnum() and bool(CODE_MARK.search(token))


@lru_cache(maxsize=200_000)
def _raw_tokens(raw: str) -> tuple[str, ...]:
    """The tokens of one whitespace-free run; memoised, since notes repeat their words (5x faster)."""
    tokens: list[str] = []
    stripped = raw.rstrip(TRAILING) or raw
    if _is_code(stripped):
        whole = stripped.lower()
        tokens.append(whole)
        tokens.extend(_code_prefixes(whole))
    for piece in ALNUM.findall(stripped):
        words = CAMEL.findall(piece) if LOWER_UPPER.search(piece) else [piece]
        if len(words) > 1:
            tokens.append(piece.lower())  # 'defaultBranch' as written, then 'default', 'branch'
        for word in words:
            word = word.lower()
            if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            tokens.append(_fold(word))
    return tuple(tokens)


def _fold(word: str) -> str:
    """Plural to singular: 'branches' -> 'branch', 'tries' -> 'try', 'hooks' -> 'hook'."""
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    return singular(word)


def _code_prefixes(token: str) -> list[str]:
    """An editor command keeps its command too (':g/binding/d' also gives ':g/'), a flag its name
    ('--format=short' also gives '--format')."""
    if token.startswith(":") and "/" in token[2:]:
        head = token[: token.index("/", 1) + 1]
        return [head] if head != token else []
    if token.startswith("--") and "=" in token:
        return [token[: token.index("=")]]
    return []


def file_words(path: str) -> str:
    """'git/set-default-branch-name-for-new-repos.md' -> 'git set default branch name for new repos'."""
    name = path.rsplit("/", 1)[-1]
    stem = path[: len(path) - len(name)] + (name.rsplit(".", 1)[0] if "." in name else name)
    return re.sub(r"[/_\-.]+", " ", stem).strip()


class BM25:
    """Okapi BM25 (Lucene's idf) over tokenised documents, numpy only: postings per token.

    `scores(tokens)` gives every document's score. `normalized(tokens)` divides it by the sum of the
    tokens' idf (a token no document has counting as the rarest): about what a document holding each
    query token once scores, so 1.0 means "has every asked word, and they are rare here", whatever the
    query's length, and a match on words most documents share stays near 0. That keeps one weight
    meaningful on 7 chunks and on 5,000 (a max-normalised BM25 always gives its best match 1.0, and
    cost the default notes two dev questions at the same weight).
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float, b: float):
        self.size = len(docs)
        vocab: dict[str, int] = {}
        flat = np.fromiter((vocab.setdefault(t, len(vocab)) for doc in docs for t in doc), dtype=np.int64)
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        owner = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        # one (token, document) pair per posting, with its count: sorted by token, then document
        pairs, tf = np.unique(flat * max(self.size, 1) + owner, return_counts=True)
        token, doc = pairs // max(self.size, 1), pairs % max(self.size, 1)
        df = np.bincount(token, minlength=len(vocab))
        idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        average = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        norm = k1 * (1 - b + b * lengths / average)
        self.vocab = vocab
        self.idf_of = idf
        self.docs = doc
        self.weights = (idf[token] * tf * (k1 + 1) / (tf + norm[doc])).astype(np.float32)
        self.starts = np.concatenate([[0], np.cumsum(df)])
        self.max_idf = math.log1p((self.size + 0.5) / 0.5)

    def idf(self, token: str) -> float:
        t = self.vocab.get(token)
        return self.max_idf if t is None else float(self.idf_of[t])

    def scores(self, tokens: Iterable[str]) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        for token in tokens:
            t = self.vocab.get(token)
            if t is not None:
                span = slice(self.starts[t], self.starts[t + 1])
                total[self.docs[span]] += self.weights[span]
        return total

    def normalized(self, tokens: Sequence[str]) -> np.ndarray:
        ceiling = sum(self.idf(t) for t in tokens)
        return self.scores(tokens) / ceiling if ceiling > 0 else np.zeros(self.size, dtype=np.float32)


class LexicalIndex:
    """BM25 per field over the chunks, and the set of words of each chunk for `coverage`."""

    def __init__(self, fields: dict[str, Sequence[str]], weights: dict[str, float], k1: float = 1.2, b: float = 0.75, terms=tokenize):
        self.weights = {name: w for name, w in weights.items() if w and name in fields}
        self.size = len(next(iter(fields.values()))) if fields else 0
        self.terms = terms  # text -> its terms (eval/retrieval_variants.py tries word pairs as terms too)
        tokens = {name: [terms(text) for text in fields[name]] for name in fields}
        self.indexes = {name: BM25(tokens[name], k1, b) for name in self.weights}
        self.words = [frozenset().union(*(tokens[name][i] for name in fields)) for i in range(self.size)]
        df = Counter(w for words in self.words for w in words)
        self.idf = {w: math.log1p((self.size - n + 0.5) / (n + 0.5)) for w, n in df.items()}
        # a word one chunk alone holds -> that chunk's row (Retriever.anchors)
        self.only = {w: row for row, words in enumerate(self.words) for w in words if df[w] == 1}
        self.max_idf = math.log1p((self.size + 0.5) / 0.5)

    def __len__(self) -> int:
        return self.size

    def scores(self, query: str | Sequence[str]) -> np.ndarray:
        """Every chunk's BM25 score for the query: the fields' normalized scores, weighted, 0 where no word matches."""
        tokens = self._unique(query)
        total = np.zeros(self.size, dtype=np.float32)
        if not tokens or not self.weights:
            return total
        for name, index in self.indexes.items():
            total += self.weights[name] * index.normalized(tokens)
        return total / sum(self.weights.values())

    def coverage(self, query: str | Sequence[str], rows: Iterable[int]) -> np.ndarray:
        """For each row: the IDF-weighted share of the query's words that the chunk has in any field
        (no saturation, no length penalty: a short chunk that has every asked word scores 1)."""
        tokens = self._unique(query)
        weights = [self.idf.get(t, self.max_idf) for t in tokens]
        total = sum(weights)
        rows = list(rows)
        if not total:
            return np.zeros(len(rows), dtype=np.float32)
        return np.array([sum(w for t, w in zip(tokens, weights) if t in self.words[r]) / total for r in rows], dtype=np.float32)

    def _unique(self, query: str | Sequence[str]) -> list[str]:
        return list(dict.fromkeys(self.terms(query) if isinstance(query, str) else query))
