"""The large-index test: build and query an index of N chunks (100,000 by default) made from real notes.

    python -m eval.scale [--chunks 100000] [--corpora /work/shared/corpora] [--out FILE]
    python -m eval.bench --scale 100000

The chunks are the real chunks of every notes folder under --corpora (500 characters, as the index
cuts them), each repeated with small textual variations (words dropped or swapped for a synonym,
sentences reordered, a number changed, a sentence borrowed from a neighbouring chunk, another
heading path) until there are N distinct texts. Near-duplicates are what a large personal archive
holds, and they are the hard case for an approximate index: their scores are close, so the top 10 is
easily reordered. Every text is embedded with the product's embedder (no random vectors); vectors
are cached under <cache>/scale/ by the texts' hash, in shards, so an interrupted run resumes.

Figures (JSON, --out; default eval/runs/scale.json): embedding throughput and time, FAISS build time
and memory for exact (flat) and approximate (HNSW, at several efSearch) indexes, query latency p50/p95
(search alone, and embed + search), and recall@10 of each approximate index against exact search over
queries that are real questions and sentences of the notes. `--chunks` smaller than what the cache
holds reuses a prefix. `--sizes` measures the flat/HNSW crossover at several sizes on the same vectors.
`--real N` embeds only the first N texts and replicates the rest (`replicate()`: real vectors moved by
real variation displacements), for timing and memory at full size where embedding every text would
take hours (on two shared cores 100,000 chunks take 1-4 h); recall is then also reported on the
largest all-real size.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from rag.config import PROJECT_ROOT, Config

DEFAULT_CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
SHARD = 2000
SYNONYMS = {
    "use": "employ", "make": "create", "big": "large", "small": "little", "fast": "quick", "help": "assist", "show": "display",
    "important": "essential", "model": "system", "models": "systems", "data": "information", "example": "instance", "way": "method",
    "users": "people", "user": "person", "build": "construct", "get": "obtain", "start": "begin", "good": "useful", "new": "novel",
    "can": "may", "also": "additionally", "many": "numerous", "like": "such as", "need": "require", "often": "frequently",
}
WORD = re.compile(r"\b[A-Za-z]+\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def base_chunks(corpora: Path) -> list[tuple[tuple[str, ...], str]]:
    """(heading path, text) of every chunk of every notes folder under `corpora`, cut at 500 characters."""
    from rag.chunking import chunk_notes
    from rag.notes import load_notes

    folders = sorted(p for p in Path(corpora).iterdir() if p.is_dir()) or [Path(corpora)]
    chunks = []
    for folder in folders:
        _, sections = load_notes(folder, Config().note_suffixes)
        chunks += [(c.section, c.text) for c in chunk_notes(sections, 500, 100, True)]
    return chunks


def vary(text: str, rng: random.Random, neighbour: str) -> str:
    """One small textual variation of `text` (two or three edits chosen at random)."""
    sentences = [s for s in SENTENCE.split(text) if s]
    for edit in rng.sample(["drop", "synonym", "swap", "number", "borrow", "trim"], k=rng.choice((2, 3))):
        if edit == "drop":
            words = " ".join(sentences).split(" ")
            keep = [w for w in words if rng.random() > 0.08] or words
            sentences = SENTENCE.split(" ".join(keep))
        elif edit == "synonym":
            sentences = [WORD.sub(lambda m: SYNONYMS.get(m.group(0), m.group(0)) if rng.random() < 0.5 else m.group(0), s) for s in sentences]
        elif edit == "swap" and len(sentences) > 1:
            i, j = rng.sample(range(len(sentences)), 2)
            sentences[i], sentences[j] = sentences[j], sentences[i]
        elif edit == "number":
            sentences = [re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), s, count=1) for s in sentences]
        elif edit == "borrow":
            extra = [s for s in SENTENCE.split(neighbour) if len(s) > 20]
            if extra:
                sentences.insert(rng.randint(0, len(sentences)), rng.choice(extra))
        elif edit == "trim" and len(sentences) > 2:
            sentences = sentences[1:] if rng.random() < 0.5 else sentences[:-1]
    return " ".join(sentences)


def scale_texts(base: list[tuple[tuple[str, ...], str]], count: int, seed: int = 7) -> tuple[list[str], list[int]]:
    """`count` distinct texts to embed, and the base chunk each comes from: every base chunk first,
    then variations, round-robin over the base."""
    texts, origin, seen = [], [], set()
    heads = [" > ".join(h) for h, _ in base]
    for i, (head, (_, text)) in enumerate(zip(heads, base)):
        item = f"{head}\n{text}" if head else text
        if item not in seen:
            seen.add(item)
            texts.append(item)
            origin.append(i)
    round_number = 0
    while len(texts) < count and round_number < 10 * count:
        round_number += 1
        for i, (_, text) in enumerate(base):
            rng = random.Random(f"{seed}:{i}:{round_number}")
            head = heads[i] if rng.random() < 0.8 else heads[rng.randrange(len(base))]
            body = vary(text, rng, base[(i + 1) % len(base)][1])
            item = f"{head}\n{body}" if head else body
            if item not in seen:
                seen.add(item)
                texts.append(item)
                origin.append(i)
                if len(texts) >= count:
                    break
    return texts[:count], origin[:count]


def replicate(real: np.ndarray, origin: list[int], count: int, seed: int = 13) -> np.ndarray:
    """Vectors for texts beyond the embedded ones, when embedding all of them would take hours: the
    text's base chunk's real vector moved by a real variation's displacement (the embedded vector of
    a variation minus its base chunk's vector, drawn from another chunk), then normalized. Only for
    timing and memory at full size; recall is also reported on the real vectors alone."""
    first = {}
    for k, i in enumerate(origin[: len(real)]):
        first.setdefault(i, k)
    displacements = np.stack([real[k] - real[first[i]] for k, i in enumerate(origin[: len(real)]) if first[i] != k])
    rng = np.random.default_rng(seed)
    bases = np.array([first.get(i, 0) for i in origin[len(real) : count]])
    moved = real[bases] + displacements[rng.integers(0, len(displacements), len(bases))]
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)
    return moved.astype(np.float32)


def embed_cached(texts: list[str], embedder, cache: Path, log) -> tuple[np.ndarray, dict]:
    """Vectors of `texts`, embedding only shards not cached yet; (vectors, embedding figures)."""
    cache.mkdir(parents=True, exist_ok=True)
    parts, embedded, seconds = [], 0, 0.0
    for start in range(0, len(texts), SHARD):
        shard = texts[start : start + SHARD]
        key = hashlib.sha256("\x00".join(shard).encode()).hexdigest()[:16]
        path = cache / f"{start:07d}-{key}.npy"
        if path.exists():
            parts.append(np.load(path))
            continue
        started = time.perf_counter()
        vectors = embedder.encode(shard)
        seconds += time.perf_counter() - started
        embedded += len(shard)
        np.save(path.with_suffix(".tmp.npy"), vectors)
        os.replace(path.with_suffix(".tmp.npy"), path)
        parts.append(vectors)
        log(f"embedded {start + len(shard)}/{len(texts)} ({embedded / seconds:.1f} chunks/s)")
    stats = {"embedded_now": embedded, "embed_s": round(seconds, 1), "embed_chunks_per_s": round(embedded / seconds, 1) if seconds else None}
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32), stats


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _pct(values, q):
    return round(float(np.percentile(values, q)), 3) if len(values) else None


def measure_index(vectors: np.ndarray, queries: np.ndarray, kind: str, ef_search=(64, 128, 256, 512), exact_ids=None) -> dict:
    """Build one FAISS index over `vectors`; its build time, memory, and per-query latency (and recall@10)."""
    import faiss

    from rag.store.faiss_store import make_faiss_index

    rss = _rss_mb()
    started = time.perf_counter()
    index = make_faiss_index(vectors, approximate_above=0 if kind == "hnsw" else len(vectors) + 1)
    build_s = time.perf_counter() - started
    out = {"kind": kind, "build_s": round(build_s, 2), "rss_mb": round(_rss_mb() - rss, 1), "bytes_mb": round(len(faiss.serialize_index(index)) / 2**20, 1)}
    settings = ef_search if kind == "hnsw" else (None,)
    out["search"] = []
    for ef in settings:
        if ef is not None:
            index.hnsw.efSearch = ef
        index.search(queries[:5], 10)
        times, found = [], []
        for q in queries:
            started = time.perf_counter()
            _, ids = index.search(q[None, :], 10)
            times.append((time.perf_counter() - started) * 1000)
            found.append(ids[0])
        row = {"ef_search": ef, "p50_ms": _pct(times, 50), "p95_ms": _pct(times, 95)}
        if exact_ids is not None:
            row["recall_at_10"] = round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact_ids)])), 4)
        out["search"].append(row)
    out["ids"] = found
    return out


def queries_for(base, count: int, seed: int = 11) -> list[str]:
    questions = []
    path = PROJECT_ROOT / "eval" / "questions.jsonl"
    if path.exists():
        questions += [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    rng = random.Random(seed)
    heads = sorted({h[-1] for h, _ in base if h})
    questions += [f"What do my notes say about {h}?" for h in rng.sample(heads, min(len(heads), count // 3))]
    sentences = [s for _, t in base for s in SENTENCE.split(t) if 40 < len(s) < 200]
    questions += rng.sample(sentences, min(len(sentences), max(0, count - len(questions))))
    return questions[:count]


def run(chunks: int, corpora: Path, sizes: list[int], real: int | None = None, log=print) -> dict:
    from rag.embedders import load_embedder

    config = Config.from_env()
    base = base_chunks(corpora)
    log(f"{len(base)} real chunks under {corpora}; making {chunks} texts")
    texts, origin = scale_texts(base, chunks)
    real = min(real or len(texts), len(texts))
    embedder = load_embedder(config)
    corpus_key = hashlib.sha256(("\x00".join(t for _, t in base) + embedder.name).encode()).hexdigest()[:12]
    vectors, embed_stats = embed_cached(texts[:real], embedder, config.cache_dir / "scale" / corpus_key, log)
    if real < len(texts):
        vectors = np.ascontiguousarray(np.concatenate([vectors, replicate(vectors, origin, len(texts))]))
    query_texts = queries_for(base, 200)
    queries = embedder.encode(query_texts)
    single = []
    for text in query_texts[:60]:  # one at a time, as a person asks: the latency that adds to search
        started = time.perf_counter()
        embedder.encode([text])
        single.append((time.perf_counter() - started) * 1000)
    query_embed_ms = float(np.median(single))
    result = {
        "chunks": len(vectors),
        "embedded_texts": real,
        "replicated_vectors": len(vectors) - real,
        "base_chunks": len(base),
        "mean_chars": round(sum(len(t) for t in texts) / len(texts)),
        "embedder": {"name": embedder.name, "backend": getattr(embedder, "backend", None), **embed_stats},
        "queries": len(query_texts),
        "query_embed_p50_ms": round(query_embed_ms, 2),
        "loadavg": list(os.getloadavg()),
        "by_size": [],
    }
    sizes = sizes + ([real] if real < len(vectors) else [])
    for size in sorted(set(sizes + [len(vectors)])):
        if size > len(vectors):
            continue
        part = vectors[:size]
        flat = measure_index(part, queries, "flat")
        hnsw = measure_index(part, queries, "hnsw", exact_ids=flat.pop("ids"))
        hnsw.pop("ids")
        row = {"size": size, "real_vectors": min(size, real), "flat": flat, "hnsw": hnsw}
        result["by_size"].append(row)
        log(json.dumps(row))
    last = result["by_size"][-1]
    flat_p50 = last["flat"]["search"][0]["p50_ms"]
    from rag.store.faiss_store import HNSW_EF_SEARCH

    # the product's setting (rag/store/faiss_store.py), and the cheapest setting reaching recall@10 0.95
    chosen = next((r for r in last["hnsw"]["search"] if r["ef_search"] == HNSW_EF_SEARCH), last["hnsw"]["search"][-1])
    cheapest = next((r for r in last["hnsw"]["search"] if r["recall_at_10"] >= 0.95), None)
    real_rows = [r for r in result["by_size"] if r["real_vectors"] == r["size"]]
    result["summary"] = {
        "chunks": last["size"],
        "embedded_texts": real,
        "replicated_vectors": len(vectors) - real,
        "largest_all_real_size": real_rows[-1]["size"] if real_rows else None,
        "largest_all_real_recall_at_10": {str(r["ef_search"]): r["recall_at_10"] for r in real_rows[-1]["hnsw"]["search"]} if real_rows else None,
        "exact_query_p50_ms": round(flat_p50 + query_embed_ms, 2),
        "exact_search_p50_ms": flat_p50,
        "approx_query_p50_ms": round(chosen["p50_ms"] + query_embed_ms, 2),
        "approx_search_p50_ms": chosen["p50_ms"],
        "approx_ef_search": chosen["ef_search"],
        "approx_recall_at_10": chosen["recall_at_10"],
        "cheapest_ef_search_for_recall_0_95": cheapest["ef_search"] if cheapest else None,
        "flat_build_s": last["flat"]["build_s"],
        "hnsw_build_s": last["hnsw"]["build_s"],
        "flat_mb": last["flat"]["bytes_mb"],
        "hnsw_mb": last["hnsw"]["bytes_mb"],
        "embed_chunks_per_s": embed_stats["embed_chunks_per_s"],
        "vectors_mb": round(vectors.nbytes / 2**20, 1),
    }
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scale", description="Build and query an index of many chunks made from real notes.")
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--corpora", default=str(DEFAULT_CORPORA), help="folder of notes folders (default: ../shared/corpora)")
    parser.add_argument("--sizes", default="10000,25000,50000", help="smaller sizes to measure too, comma-separated")
    parser.add_argument("--real", type=int, help="embed only the first N texts; the rest are replicated from real variation displacements (see replicate())")
    parser.add_argument("--out", help="JSON file (default: eval/runs/scale.json)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result = run(args.chunks, Path(args.corpora), sizes, args.real, log=lambda m: print(m, file=sys.stderr, flush=True))
    out = Path(args.out) if args.out else PROJECT_ROOT / "eval" / "runs" / "scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["summary"], indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
