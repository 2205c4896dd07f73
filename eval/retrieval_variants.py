"""Score retrieval variants side by side, loading each collection's index and models once.

    python -m eval.retrieval_variants --index-dir /tmp/retrieval-index --split dev \
        default=corpus:eval/questions.jsonl \
        genai=eval/collections/genai-for-beginners/notes:eval/collections/genai-for-beginners/questions.jsonl \
        til=eval/collections/til-jbranchaud/notes:eval/collections/til-jbranchaud/questions.jsonl
    ... --variants "dense,g w0.1 cov0.1"            only these rows
    ... --followups default=eval/conversations.jsonl  follow-up strategies on conversations instead

Each variant ranks every chunk of a collection for a question from the building blocks (cosine over
the stored vectors, BM25 over text / heading path / file name from rag/lexical.py, a second stage over
the best 30), so a grid of weights costs seconds once the indexes exist. hit@1, hit@3 and MRR (over
the first 5) count as `python -m eval` does (eval.metrics: the last heading of a retrieved passage
equals an expected section), on the answerable questions of `--split`; the last column is the median
ms per question (the first question of a collection also builds its word index). Choose on
`--split dev`, report with `--split report`. The kept variant is what rag/retrieval.py implements;
eval/README.md "Retrieval" has the tables.
"""
from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from eval.metrics import first_hit_rank
from rag.config import BM25_B, BM25_K1, Config
from rag.lexical import LexicalIndex, code_tokens, file_words, tokenize
from rag.retrieval import contextual_query
from rag.support import split_sentences

DEPTH = 5


def with_pairs(text: str) -> list[str]:
    """Words and each pair of neighbouring words ('prompt injection'), for the word-pair variant."""
    tokens = tokenize(text)
    return tokens + [a + " " + b for a, b in zip(tokens, tokens[1:])]


class Collection:
    def __init__(self, name: str, notes: str, questions: str, index_dir: str, split: str, embedder=None):
        from rag.pipeline import Pipeline

        self.name = name
        config = Config(notes_dir=Path(notes), index_dir=Path(index_dir))
        self.pipeline = Pipeline(config, embedder=embedder, log=lambda m: print(m, file=sys.stderr))
        self.pipeline.prepare()
        payloads = self.pipeline.store.payloads()
        ids = list(payloads)
        self.chunks = [SimpleNamespace(file=p["file"], section=tuple(p["section"]), text=p["text"]) for p in (payloads[i] for i in ids)]
        self.vectors = self.pipeline.store.vectors(ids)
        rows = [json.loads(line) for line in open(questions, encoding="utf-8") if line.strip()]
        self.questions = [q for q in rows if q.get("answerable") and q.get("expected_sections") and (split == "all" or q.get("split") == split)]
        self.fields = {
            "text": [c.text for c in self.chunks],
            "heading": [" ".join(c.section) for c in self.chunks],
            "file": [file_words(c.file) for c in self.chunks],
        }
        self._lexical = {}
        self._qvec = {}

    @property
    def embedder(self):
        return self.pipeline.embedder

    def qvec(self, text: str) -> np.ndarray:
        if text not in self._qvec:
            self._qvec[text] = self.embedder.encode([text])[0]
        return self._qvec[text]

    def lexical(self, weights: tuple, pairs: bool = False) -> LexicalIndex:
        key = (tuple(sorted(weights)), pairs)
        if key not in self._lexical:
            started = time.perf_counter()
            self._lexical[key] = LexicalIndex(self.fields, dict(weights), BM25_K1, BM25_B, terms=with_pairs if pairs else tokenize)
            print(f"  [{self.name}] BM25 {dict(weights)} built in {time.perf_counter() - started:.2f}s", file=sys.stderr)
        return self._lexical[key]

    def rank(self, order: list[int], question: dict) -> int | None:
        return first_hit_rank([list(self.chunks[i].section) for i in order[:DEPTH]], question["expected_sections"])


def score(collection: Collection, ranker) -> dict:
    ranks, times = [], []
    for q in collection.questions:
        started = time.perf_counter()
        order = ranker(collection, q["question"])
        times.append(time.perf_counter() - started)
        ranks.append(collection.rank(order, q))
    n = len(ranks)
    return {
        "n": n,
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@3": sum(1 for r in ranks if r and r <= 3) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "ms": 1000 * float(np.median(times)),
        "misses": [q["id"] for q, r in zip(collection.questions, ranks) if r != 1],
    }


# --- building blocks --------------------------------------------------------------------------

def dense_scores(c: Collection, query: str) -> np.ndarray:
    return c.vectors @ c.qvec(query)


def top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    idx = np.argpartition(-scores, n - 1)[:n]
    return idx[np.argsort(-scores[idx], kind="stable")]


def rrf(rankings: list[tuple[np.ndarray, float]], k: float = 60.0, n: int = 100) -> dict[int, float]:
    fused: dict[int, float] = {}
    for order, weight in rankings:
        for r, i in enumerate(order[:n], 1):
            fused[int(i)] = fused.get(int(i), 0.0) + weight / (k + r)
    return fused


# --- the variants measured (eval/README.md "Retrieval" has the table) -------------------------

TEXT = (("text", 1.0),)
FIELDS = (("text", 1.0), ("heading", 1.0), ("file", 1.0))
FIELDS_H = (("text", 1.0), ("heading", 0.5), ("file", 0.5))

def dense(c, q):
    return list(top(dense_scores(c, q), 10))

def bm25(fields):
    def f(c, q):
        return list(top(c.lexical(fields).scores(q), 10))
    return f

def rrf_v(fields, k=60, wl=1.0):
    def f(c, q):
        d = top(dense_scores(c, q), 100)
        l = top(c.lexical(fields).scores(q), 100)
        fused = rrf([(d, 1.0), (l, wl)], k)
        return sorted(fused, key=lambda i: -fused[i])[:10]
    return f

def weighted(fields, beta, bymax=False, pairs=False):
    def f(c, q):
        d = dense_scores(c, q)
        l = c.lexical(fields, pairs).scores(q)
        m = l.max() if bymax else 1.0
        s = d + (beta * l / m if m > 0 else 0)
        return list(top(s, 10))
    return f

VARIANTS = {"w0.3 fields pairs": weighted(FIELDS, 0.3, pairs=True), "w0.5 fields pairs": weighted(FIELDS, 0.5, pairs=True), "dense": dense, "bm25 text": bm25(TEXT), "bm25 fields": bm25(FIELDS)}
for name, fl in (("text", TEXT), ("fields", FIELDS), ("fields.5", FIELDS_H)):
    VARIANTS[f"rrf60 {name}"] = rrf_v(fl)
    for beta in (0.1, 0.2, 0.3, 0.5):
        VARIANTS[f"wmax{beta} {name}"] = weighted(fl, beta, True)
    for beta in (0.1, 0.2, 0.3, 0.5, 0.8):
        VARIANTS[f"w{beta} {name}"] = weighted(fl, beta)

# ---- reranker features

_sent_cache = {}
_head_cache = {}

def sent_vecs(c, i):
    key = (c.name, i)
    if key not in _sent_cache:
        sents = [s for s in split_sentences(c.chunks[i].text) if len(s) > 3][:12] or [c.chunks[i].text]
        _sent_cache[key] = c.embedder.encode(sents)
    return _sent_cache[key]

def head_vec(c, i):
    h = " > ".join(c.chunks[i].section) or c.chunks[i].file
    if h not in _head_cache:
        _head_cache[h] = c.embedder.encode([h])[0]
    return _head_cache[h]

_df = {}
def idf(c, fields):
    key = c.name
    if key not in _df:
        df = Counter()
        docs = []
        for i in range(len(c.chunks)):
            toks = set(tokenize(c.fields["text"][i] + " " + c.fields["heading"][i] + " " + c.fields["file"][i]))
            docs.append(toks)
            df.update(toks)
        n = len(docs)
        _df[key] = (docs, {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}, math.log(1 + (n + 0.5) / 0.5))
    return _df[key]

QUOTED = re.compile(r"[\"“']([^\"”']{2,40})[\"”']")
def focus_terms(q):
    terms = set(code_tokens(q))
    terms |= {t for t in re.findall(r"\d+(?:\.\d+)*", q)}
    words = q.split()
    for w in words[1:]:
        w2 = w.strip("?,.!:;()\"'")
        if w2[:1].isupper() and w2.lower() not in ("i",):
            terms |= set(tokenize(w2))
    for m in QUOTED.findall(q):
        terms |= set(tokenize(m))
    return terms

def coverage(c, q, i, mode):
    docs, idfs, maxidf = idf(c, None)
    qt = set(tokenize(q)) if mode == "all" else focus_terms(q)
    if not qt:
        return 0.0
    tot = sum(idfs.get(t, maxidf) for t in qt)
    return sum(idfs.get(t, maxidf) for t in qt if t in docs[i]) / tot

def reranked(beta=0.3, fields=FIELDS, pool=30, a_sent=0.0, a_cov=0.0, a_head=0.0, cov_mode="all", a_dense=1.0):
    def f(c, q):
        d = dense_scores(c, q)
        l = c.lexical(fields).scores(q)
        s = d + beta * l
        cand = top(s, pool)
        qv = c.qvec(q)
        out = []
        for i in cand:
            v = s[i] + (a_dense - 1.0) * d[i]
            if a_sent:
                v += a_sent * float((sent_vecs(c, i) @ qv).max())
            if a_cov:
                v += a_cov * coverage(c, q, i, cov_mode)
            if a_head:
                v += a_head * float(head_vec(c, i) @ qv)
            out.append((v, i))
        out.sort(key=lambda x: -x[0])
        return [i for _, i in out][:10]
    return f

# second stage over the best 30: word coverage, heading cosine, best sentence cosine
RERANK = {}
for beta in (0.1, 0.3):
    for a_cov, mode in ((0.1, "all"), (0.2, "all"), (0.1, "focus"), (0.2, "focus")):
        RERANK[f"w{beta} +cov{a_cov} {mode}"] = reranked(beta, a_cov=a_cov, cov_mode=mode)
    for a_head in (0.1, 0.2, 0.4):
        RERANK[f"w{beta} +head{a_head}"] = reranked(beta, a_head=a_head)
    for a_sent in (0.2, 0.5, 1.0):
        RERANK[f"w{beta} +sent{a_sent}"] = reranked(beta, a_sent=a_sent)
VARIANTS.update(RERANK)

# ---- follow-ups

def hybrid(c, q, beta=0.1, fields=FIELDS, a_cov=0.1, pool=30):
    """The kept ranking score over every chunk (coverage added for the best `pool`), as rag/retrieval.py ranks."""
    s = dense_scores(c, q) + beta * c.lexical(fields).scores(q)
    for i in top(s, pool):
        s[i] += a_cov * coverage(c, q, i, "all")
    return s

def next_chunk(c, i):
    ch = c.chunks[i]
    if i + 1 < len(c.chunks):
        n = c.chunks[i + 1]
        if n.file == ch.file and n.section == ch.section:
            return i + 1
    return None

def fu_alone(c, prev, fu):
    return list(top(hybrid(c, fu), 10))

def fu_rule(c, prev, fu):
    return list(top(hybrid(c, contextual_query(fu, [{"role": "user", "content": prev}])), 10))

def fu_fuse(a, with_next=False):
    def f(c, prev, fu):
        carried = contextual_query(fu, [{"role": "user", "content": prev}])
        s = hybrid(c, carried) if carried == fu else a * hybrid(c, fu) + (1 - a) * hybrid(c, carried)
        order = list(top(s, 10))
        if with_next and carried != fu:
            n = next_chunk(c, order[0])
            if n is not None:
                order = [order[0], n] + [i for i in order[1:] if i != n]
        return order
    return f

# follow-ups: as typed, the carried query (contextual_query), both mixed with weight a on the typed one
FOLLOWUPS = {"alone": fu_alone, "rule": fu_rule}
for a in (0.4, 0.5, 0.6, 0.7):
    FOLLOWUPS[f"fuse{a}"] = fu_fuse(a)
    FOLLOWUPS[f"fuse{a}+next"] = fu_fuse(a, True)
FOLLOWUPS["rule+next"] = fu_fuse(0.0, True)

# the grid the kept weights were chosen from ("g w0.1 cov0.1" is rag/config.py's default)
GRID = {}
for beta in (0.1, 0.15, 0.2, 0.25, 0.3):
    for a_cov in (0.0, 0.05, 0.1, 0.15):
        GRID[f"g w{beta} cov{a_cov}"] = reranked(beta, a_cov=a_cov, cov_mode="all")
VARIANTS.update(GRID)

_htok = {}
def heading_cov(c, q, i):
    docs, idfs, maxidf = idf(c, None)
    key = (c.name, i)
    if key not in _htok:
        _htok[key] = set(tokenize(c.chunks[i].section[-1] if c.chunks[i].section else ""))
    ht = _htok[key]
    if not ht:
        return 0.0
    qt = set(tokenize(q))
    return sum(idfs.get(t, maxidf) for t in ht if t in qt) / sum(idfs.get(t, maxidf) for t in ht)

def reranked2(beta, a_cov, a_extra, extra):
    """The kept ranking plus a_extra x extra(c, q, i) over the best 30 (a second-stage heading term)."""
    def f(c, q):
        d = dense_scores(c, q); l = c.lexical(FIELDS).scores(q); s = d + beta * l
        cand = top(s, 30)
        out = sorted(((s[i] + a_cov * coverage(c, q, i, "all") + a_extra * extra(c, q, i), i) for i in cand), key=lambda x: -x[0])
        return [i for _, i in out][:10]
    return f
# share of the heading's words the question repeats (not kept: trades default-notes questions)
HC = {}
for a_h in (0.05, 0.1, 0.2):
    HC[f"h w0.1 cov0.1 hcov{a_h}"] = reranked2(0.1, 0.1, a_h, heading_cov)
VARIANTS.update(HC)


def heading_asked(c, q, i):
    """1 when the question names every word of the chunk's own (last) heading, as rag/retrieval.py scores it."""
    from rag.retrieval import content_words, heading_asked as named
    return named(content_words(q), content_words(c.chunks[i].section[-1]) if c.chunks[i].section else [])

# the whole own heading asked (a section named in the question)
for a_h in (0.03, 0.05, 0.1, 0.2):
    VARIANTS[f"ha w0.1 cov0.1 head{a_h}"] = reranked2(0.1, 0.1, a_h, heading_asked)


def followups(collections, path, strategies, split) -> int:
    pairs = []
    for spec in path.split(","):
        name, _, file = spec.rpartition("=")  # NAME=conversations.jsonl (the evaluator's format) or a pairs file
        for line in open(file, encoding="utf-8"):
            if not line.strip():
                continue
            row = json.loads(line)
            if "history" in row:
                if not (row.get("answerable") and row.get("expected_sections") and row["history"]) or row.get("split") != split:
                    continue
                row = {"c": name, "previous": row["history"][-1], "followup": row["question"], "section": row["expected_sections"][0]}
            pairs.append(row)
    by_name = {c.name: c for c in collections}
    for name, strategy in strategies.items():
        cells = []
        for c in collections:
            ranks = []
            for p in (p for p in pairs if p["c"] == c.name):
                order = strategy(c, p["previous"], p["followup"])[:DEPTH]
                hits = [r for r, i in enumerate(order, 1) if c.chunks[i].section and c.chunks[i].section[-1] == p["section"]
                        and (not p.get("needle") or p["needle"] in c.chunks[i].text)]
                ranks.append(hits[0] if hits else None)
            n = len(ranks) or 1
            cells.append(f" | {c.name} n={len(ranks)} hit@1 {sum(r == 1 for r in ranks) / n:.2f} hit@3 {sum(bool(r) and r <= 3 for r in ranks) / n:.2f} mrr {sum(1 / r for r in ranks if r) / n:.2f}")
        print(f"{name:20s}" + "".join(cells), flush=True)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.retrieval_variants")
    parser.add_argument("collections", nargs="+", help="NAME=NOTES_DIR:QUESTIONS_FILE")
    parser.add_argument("--index-dir", default="/tmp/retrieval-index")
    parser.add_argument("--split", default="dev", choices=["dev", "report", "all"])
    parser.add_argument("--variants", help="comma-separated names (default: all)")
    parser.add_argument("--json", help="write the table here too")
    parser.add_argument("--followups", help="JSONL of follow-up pairs {c, previous, followup, section, needle}: score follow-up strategies instead")
    args = parser.parse_args(argv)
    collections = []
    embedder = None
    for spec in args.collections:
        name, rest = spec.split("=", 1)
        notes, questions = rest.split(":", 1)
        c = Collection(name, notes, questions, args.index_dir, args.split, embedder)
        embedder = c.embedder
        collections.append(c)
    if args.followups:
        return followups(collections, args.followups, FOLLOWUPS, args.split)
    chosen = VARIANTS if not args.variants else {k: VARIANTS[k] for k in args.variants.split(",")}
    table = {}
    header = f"{'variant':38s}" + "".join(f" | {c.name:>22s}" for c in collections)
    print(header + "\n" + "-" * len(header))
    for name, ranker in chosen.items():
        row = {c.name: score(c, ranker) for c in collections}
        table[name] = row
        cells = "".join(f" | {r['hit@1']:.2f} {r['hit@3']:.2f} {r['mrr']:.2f} {r['ms']:5.1f}" for r in row.values())
        print(f"{name:38s}{cells}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
