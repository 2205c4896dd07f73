"""llama.cpp settings against CTranslate2 on the same prompts, interleaved in one process.

    python -m eval.llamacpp_tune [--questions FILE] [--notes DIR] [--limit 20] [--rounds 1] [--out FILE]

The prompts are the pipeline's real ones (Pipeline.prompt_for: retrieval, decision, the sentences that answer) for the eval questions.
Every setting is its own in-process llama.cpp server; for each prompt every backend runs once, in
an order rotated per prompt, so a burst of load from other work on the machine hits them all alike.
Printed per setting: first token p50 (prompt in to first token out: prefill), decode tokens/s
(tokens after the first / time after the first, over all answers), whole answer p50, and each as a
ratio to CTranslate2 measured beside it. `cache` settings keep llama.cpp's prompt prefix cache (as
deployed); `nocache` ones send cache_prompt=false, so they show the raw prefill speed.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from rag.config import PROJECT_ROOT, Config

SETTINGS = {
    # name: (config overrides, request extras)
    "llamacpp": ({}, {}),
    "llamacpp-nocache": ({}, {"cache_prompt": False}),
    "llamacpp-ubatch128-nocache": ({"llamacpp_ubatch": 128}, {"cache_prompt": False}),
    "llamacpp-fa-off-nocache": ({"llamacpp_flash_attn": "off"}, {"cache_prompt": False}),
    "llamacpp-fa-on-nocache": ({"llamacpp_flash_attn": "on"}, {"cache_prompt": False}),
    "llamacpp-q8_0-nocache": ({"llamacpp_quant": "q8_0"}, {"cache_prompt": False}),
    "llamacpp-q8_0": ({"llamacpp_quant": "q8_0"}, {}),
    "llamacpp-1slot-nocache": ({"llamacpp_slots": 1}, {"cache_prompt": False}),
}


def percentile(values, q):
    from eval.bench import percentile as p

    return p(values, q)


def decode_rate(samples):
    tokens = sum(s["new_tokens"] - 1 for s in samples if s["new_tokens"] > 1)
    seconds = sum(s["total_s"] - s["first_token_s"] for s in samples if s["new_tokens"] > 1)
    return tokens / seconds if seconds > 0 else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.llamacpp_tune")
    parser.add_argument("--questions", default=str(PROJECT_ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--notes", default=str(PROJECT_ROOT / "corpus"))
    parser.add_argument("--index-dir", default="/tmp/serving-index")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--settings", default=",".join(SETTINGS), help="comma-separated names from SETTINGS")
    parser.add_argument("--out", default=str(PROJECT_ROOT / "eval" / "runs" / "llamacpp-tune.json"))
    args = parser.parse_args(argv)

    from rag.generators.llamacpp import LlamaCppGenerator
    from rag.pipeline import Pipeline

    config = Config.from_env(notes_dir=args.notes, index_dir=args.index_dir)
    pipeline = Pipeline(config, log=lambda m: None)
    pipeline.prepare()
    questions = [json.loads(l)["question"] for l in Path(args.questions).read_text().splitlines() if l.strip()]
    messages = []
    for question in questions:
        found = pipeline.assess(question)
        if found.context and not found.reason:
            messages.append(pipeline.prompt_for(found))
        if len(messages) >= args.limit:
            break
    ct2 = _load_ct2(config)
    backends = {"ctranslate2": (ct2, {})}
    for name in args.settings.split(","):
        overrides, extra = SETTINGS[name]
        generator = LlamaCppGenerator(config.replace(**overrides))
        generator.extra.update(extra)
        backends[name] = (generator, extra)
    names = list(backends)
    for generator, _ in backends.values():  # warm up each once (first call pays allocation)
        for _ in generator.stream([{"role": "user", "content": "Say hi."}], 4):
            pass
    runs = {name: [] for name in names}
    texts = {name: [] for name in names}
    for round_number in range(args.rounds):
        for i, m in enumerate(messages):
            order = names[i % len(names):] + names[: i % len(names)]
            for name in order:
                generator, _ = backends[name]
                text = "".join(generator.stream(m, config.max_new_tokens))
                stats = dict(generator.last_stats)
                stats["cache_n"] = (stats.get("server_timings") or {}).get("cache_n")
                runs[name].append(stats)
                if round_number == 0:
                    texts[name].append(text)
            line = " ".join(f"{n}={runs[n][-1]['first_token_s'] or 0:.2f}/{runs[n][-1]['total_s']:.2f}" for n in names)
            print(f"prompt {i + 1}/{len(messages)} round {round_number + 1}: first/total s {line}", file=sys.stderr, flush=True)
    base = _summary(runs["ctranslate2"])
    table = {}
    for name in names:
        s = _summary(runs[name])
        s["first_token_ratio_vs_ct2"] = round(s["first_token_p50_s"] / base["first_token_p50_s"], 3)
        s["decode_ratio_vs_ct2"] = round(s["decode_tok_s"] / base["decode_tok_s"], 3)
        s["answer_ratio_vs_ct2"] = round(s["answer_p50_s"] / base["answer_p50_s"], 3)
        s["same_text_as_ct2"] = sum(a == b for a, b in zip(texts[name], texts["ctranslate2"]))
        table[name] = s
    print(f"\n{'backend':<30} {'first p50':>9} {'x ct2':>6} {'decode':>7} {'x ct2':>6} {'answer p50':>10} {'x ct2':>6} {'cached':>7} same")
    for name, s in table.items():
        print(f"{name:<30} {s['first_token_p50_s']:>9.3f} {s['first_token_ratio_vs_ct2']:>6.2f} {s['decode_tok_s']:>7.1f} {s['decode_ratio_vs_ct2']:>6.2f} "
              f"{s['answer_p50_s']:>10.3f} {s['answer_ratio_vs_ct2']:>6.2f} {s['cached_tokens_mean']!s:>7} {s['same_text_as_ct2']}/{len(texts[name])}")
    import os

    result = {"prompts": len(messages), "rounds": args.rounds, "loadavg_end": list(os.getloadavg()), "settings": {k: SETTINGS.get(k) for k in names}, "table": table}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str) + "\n")
    for generator, _ in backends.values():
        getattr(generator, "close", lambda: None)()
    return 0


def _load_ct2(config: Config):
    try:
        from rag.generators import load_generator
    except ImportError:
        from rag.generation import load_generator
    return load_generator(config.replace(generator_backend="ctranslate2", generator_url=""))


def _summary(runs):
    firsts = [r["first_token_s"] for r in runs if r.get("first_token_s") is not None]
    cached = [r["cache_n"] for r in runs if r.get("cache_n") is not None]
    return {
        "answers": len(runs),
        "prompt_tokens_p50": percentile([r["prompt_tokens"] for r in runs], 50),
        "first_token_p50_s": round(percentile(firsts, 50), 3),
        "first_token_p95_s": round(percentile(firsts, 95), 3),
        "decode_tok_s": round(decode_rate([r for r in runs if r.get("first_token_s") is not None]), 1),
        "answer_p50_s": round(percentile([r["total_s"] for r in runs], 50), 3),
        "new_tokens_mean": round(statistics.mean(r["new_tokens"] for r in runs), 1),
        "cached_tokens_mean": round(statistics.mean(cached), 1) if cached else None,
    }


if __name__ == "__main__":
    sys.exit(main())
