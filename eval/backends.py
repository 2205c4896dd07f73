"""Answer backends side by side through the whole pipeline: which one should be the default.

    python -m eval.backends [--backends ctranslate2,llamacpp] [--questions FILE] [--notes DIR] [--limit N] [--out FILE]

One process, one store, one embedder with its memo off (every question's embedding work is really
done, for every backend); a Pipeline per backend. For each eval question every backend answers once,
in an order rotated per question, so a burst of load from other work hits them alike. Each answer is
verified the same way (the pipeline's grounding), then scored as the evaluator does: the expected
section cited, key facts in the verified text, "not in your notes" where the notes do not answer.
Printed per backend: first token p50/p95 (question asked to first draft word: retrieval + prefill),
decode tokens/s, whole answer p50/p95 (to the verified answer), and ratios to the first backend.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rag.config import PROJECT_ROOT, Config
from eval.metrics import facts_found, percentile, section_matches


def decode_rate(stats: list[dict]) -> float | None:
    tokens = sum(s["new_tokens"] - 1 for s in stats if s.get("first_token_s") is not None and s["new_tokens"] > 1)
    seconds = sum(s["total_s"] - s["first_token_s"] for s in stats if s.get("first_token_s") is not None and s["new_tokens"] > 1)
    return tokens / seconds if seconds > 0 else None


def compare(backends: list[str], items: list[dict], config: Config, log=print) -> dict:
    from rag.answer import Draft, Final
    from rag.embedders import load_embedder
    from rag.pipeline import Pipeline

    embedder = load_embedder(config, memo=False)
    pipelines = {}
    for name in backends:
        # "llamacpp+q8_0": the llamacpp backend on the requantized copy of the weights
        backend, _, quant = name.partition("+")
        pipeline = Pipeline(config.replace(generator_backend=backend, llamacpp_quant=quant), embedder=embedder, log=lambda m: None)
        pipeline.prepare()
        pipeline.generator  # loaded before timing
        pipelines[name] = pipeline
    for pipeline in pipelines.values():  # warm-up on a prompt no question shares, so no backend starts with a cached prompt
        list(pipeline.generator.stream([{"role": "user", "content": "Say hello."}], 4))
    rows = {name: [] for name in backends}
    for i, item in enumerate(items):
        order = backends[i % len(backends):] + backends[: i % len(backends)]
        for name in order:
            pipeline = pipelines[name]
            started = time.perf_counter()
            first, answer = None, None
            for event in pipeline.stream(item["question"]):
                if isinstance(event, Draft) and first is None:
                    first = time.perf_counter() - started
                elif isinstance(event, Final):
                    answer = event.answer
            total = time.perf_counter() - started
            stats = dict(pipeline.generator.last_stats) if first is not None else {}
            cited = [c.section for c in answer.citations]
            rows[name].append({
                "id": item.get("id"), "first_s": first, "total_s": total, "stats": stats, "mode": answer.mode,
                "abstained": answer.abstained, "text": answer.text, "draft": answer.draft,
                "cited_expected": any(section_matches(s, item.get("expected_sections", [])) for s in cited) if cited else False,
                "facts": facts_found(answer.text, item.get("key_facts", [])), "facts_total": len(item.get("key_facts", [])),
                "answerable": item.get("answerable", True),
            })
        log(f"{i + 1}/{len(items)} " + " ".join(f"{n}={rows[n][-1]['first_s'] or 0:.2f}/{rows[n][-1]['total_s']:.2f}s" for n in backends))
    summary = {name: _summary(rows[name]) for name in backends}
    base = summary[backends[0]]
    for name in backends:
        s = summary[name]
        for key in ("first_token_p50_s", "decode_tok_s", "answer_p50_s"):
            s[key + "_ratio"] = round(s[key] / base[key], 3) if s.get(key) and base.get(key) else None
        s["same_verified_text_as_first"] = sum(a["text"] == b["text"] for a, b in zip(rows[name], rows[backends[0]]))
    for pipeline in pipelines.values():
        getattr(pipeline.generator, "close", lambda: None)()
    return {"backends": backends, "questions": len(items), "embedder_memo": False, "loadavg_end": list(os.getloadavg()),
            "summary": summary, "rows": rows}


def _summary(rows: list[dict]) -> dict:
    drafted = [r for r in rows if r["first_s"] is not None]
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    facts_total = sum(r["facts_total"] for r in answerable)

    def r3(value):
        return None if value is None else round(value, 3)

    return {
        "drafted": len(drafted),
        "first_token_p50_s": r3(percentile([r["first_s"] for r in drafted], 50)),
        "first_token_p95_s": r3(percentile([r["first_s"] for r in drafted], 95)),
        "prefill_p50_s": r3(percentile([r["stats"]["first_token_s"] for r in drafted if r["stats"].get("first_token_s") is not None], 50)),
        "decode_tok_s": r3(decode_rate([r["stats"] for r in drafted])),
        "answer_p50_s": r3(percentile([r["total_s"] for r in drafted], 50)),
        "answer_p95_s": r3(percentile([r["total_s"] for r in drafted], 95)),
        "cited_expected": r3(sum(r["cited_expected"] for r in answerable) / len(answerable)) if answerable else None,
        "key_fact_recall": r3(sum(r["facts"] for r in answerable) / facts_total) if facts_total else None,
        "abstained_when_unanswerable": r3(sum(r["abstained"] for r in unanswerable) / len(unanswerable)) if unanswerable else None,
        "generated_mode": sum(r["mode"] == "generated" for r in rows),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.backends", description="Answer backends side by side through the pipeline.")
    parser.add_argument("--backends", default="ctranslate2,llamacpp", help="comma-separated; 'llamacpp+q8_0' runs llama.cpp on the Q8_0 copy")
    parser.add_argument("--questions", default=str(PROJECT_ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--notes", default=str(PROJECT_ROOT / "corpus"))
    parser.add_argument("--index-dir", help="index folder (default: RAG_INDEX_DIR or index/)")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--out", default=str(PROJECT_ROOT / "eval" / "runs" / "backends.json"))
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    items = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line.strip()][: args.limit]
    config = Config.from_env(notes_dir=args.notes, index_dir=args.index_dir, generator_url="")
    result = compare(args.backends.split(","), items, config, log=lambda m: print(m, file=sys.stderr, flush=True))
    keys = ["drafted", "first_token_p50_s", "first_token_p50_s_ratio", "first_token_p95_s", "prefill_p50_s", "decode_tok_s", "decode_tok_s_ratio",
            "answer_p50_s", "answer_p50_s_ratio", "answer_p95_s", "cited_expected", "key_fact_recall", "abstained_when_unanswerable", "same_verified_text_as_first"]
    print(f"{'':<28}" + "".join(f"{n:>14}" for n in result["backends"]))
    for key in keys:
        print(f"{key:<28}" + "".join(f"{result['summary'][n].get(key)!s:>14}" for n in result["backends"]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
