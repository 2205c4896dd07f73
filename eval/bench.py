"""Speed benchmark: how fast the product starts, finds passages and answers, on one machine, now.

    python -m eval.bench [--notes DIR] [--out FILE] [--questions FILE] [--repeats N] [--quick]
    python -m eval.bench --scale 100000 [--out FILE]        (the large-index test: eval/scale.py)

It measures what a person waits for, through the same Pipeline the chat uses, and prints a table
against the targets and writes every figure as JSON (`--out`, default eval/runs/bench.json):

| key | unit | what |
|---|---|---|
| `ready_s` | s | process start to ready (index built earlier, models cached and loaded), fresh process, p50 |
| `model_load_cold_s` | s | answer model's first load with an empty cache (GGUF dequantized + converted), fresh process |
| `model_load_warm_s` | s | answer model's load from the cache, imports included, fresh process, p50 |
| `embedder_load_s` | s | embedding model's load from the cache, in process |
| `index_chunks_per_s` | chunks/s | full index build of the notes (embed + FAISS), rebuilt from scratch |
| `embed_500_chunks_per_s` | chunks/s | embedding throughput on >= 256 chunks of about 500 characters cut from the notes |
| `index_rss_mb` | MB | resident memory added by building the index |
| `retrieval_p50_ms`, `retrieval_p95_ms` | ms | embed the question + search the index |
| `ttft_p50_s`, `ttft_p95_s` | s | question asked to the first word of the draft (retrieval, checks and prompt prefill) |
| `prefill_p50_s` | s | the generator alone: prompt in to first token out |
| `decode_tok_s` | tokens/s | answer tokens after the first / time after the first, over all answers |
| `answer_p50_s`, `answer_p95_s` | s | question asked to checked answer, for answers the model drafted |
| `peak_rss_mb` | MB | peak resident memory of this process (index build + answering; load tests run in children) |
| `ready_peak_rss_mb` | MB | peak resident memory of the ready-to-answer child |
| `ttft_first_round_p50_s` | s | first token on the first round only: prompts no cache has seen (llama.cpp reuses a slot's cached prompt prefix) |
| `llamacpp_decode_tok_s`, `llamacpp_ratio` | tokens/s, ratio | llama.cpp (xllamacpp, stock settings: one slot, the GGUF as shipped) on the same prompts, the default backend's decode / its, interleaved in this run; null without xllamacpp |

Every timing is taken with the embedder's memo off (`embedder_memo: false` in the JSON), so a
question asked again in a later round is embedded again, as a new question would be.

Timings on a shared machine are noisy: compare two versions only within one run or in runs taken
back to back, interleaved, and repeated (`--repeats`). The JSON records the load average before and
after, so a noisy run can be told from a slow one. Nothing here asserts a speed: the targets are
printed beside the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag import generators
from rag.answer import Draft
from rag.config import PROJECT_ROOT, Config

# The targets on two cores, default model and notes. (key, comparison, value)
TARGETS = {
    "ready_s": ("<=", 8.0),
    "model_load_warm_s": ("<=", 2.0),
    "retrieval_p50_ms": ("<=", 25.0),
    "ttft_p50_s": ("<=", 0.7),
    "decode_tok_s": (">=", 40.0),
    "llamacpp_ratio": (">=", 0.8),
    "embed_500_chunks_per_s": (">=", 100.0),
    "peak_rss_mb": ("<=", 1500.0),
}
DEFAULT_QUESTIONS = PROJECT_ROOT / "eval" / "questions.jsonl"


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_rss_mb() -> float:
    try:  # VmHWM: this process's own peak (ru_maxrss may carry a forking parent's peak across exec)
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _round(value, digits=3):
    return None if value is None else round(value, digits)


# --- questions


def questions_for(notes_dir: Path, questions_file: Path | None, limit: int) -> list[str]:
    """The question file's questions; for other notes, one question per section with text."""
    if questions_file is None and Path(notes_dir).resolve() == (PROJECT_ROOT / "corpus").resolve() and DEFAULT_QUESTIONS.exists():
        questions_file = DEFAULT_QUESTIONS
    if questions_file is not None:
        items = [json.loads(line) for line in Path(questions_file).read_text(encoding="utf-8").splitlines() if line.strip()]
        return [item["question"] for item in items][:limit]
    from rag.notes import load_notes

    _, sections = load_notes(notes_dir, Config().note_suffixes)
    asked, seen = [], set()
    for section in sections:
        if section.empty or not section.path or section.path[-1].lower() in seen:
            continue
        seen.add(section.path[-1].lower())
        asked.append(f"What do my notes say about {section.path[-1]}?")
    step = max(1, len(asked) // limit) if asked else 1
    return asked[::step][:limit]


# --- measurements in fresh processes


def _child_env(config: Config, cache_dir: Path | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    if cache_dir is not None:
        env["RAG_CACHE_DIR"] = str(cache_dir)
    return env


# What both children start with: the clock, and their own peak memory.
CHILD_PRELUDE = """
import json, resource, sys, time
t0 = time.perf_counter()

def hwm():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent's memory across exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

READY_SCRIPT = CHILD_PRELUDE + """from rag.config import Config
from rag.pipeline import Pipeline
args = json.loads(sys.argv[1])
config = Config.from_env(notes_dir=args["notes"], index_dir=args["index"], generator_backend=args["backend"])
pipeline = Pipeline(config, log=lambda message: None)
report = pipeline.prepare()
generator = pipeline.generator
print(json.dumps({"in_process_s": time.perf_counter() - t0, "rebuilt": report.rebuilt, "backend": generator.backend,
                  "embedder_backend": getattr(pipeline.embedder, "backend", None),
                  "peak_rss_mb": hwm(),
                  "modules": sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules)}), flush=True)
"""

LOAD_SCRIPT = CHILD_PRELUDE + """from rag.config import Config
from rag.generators import load_generator
args = json.loads(sys.argv[1])
generator = load_generator(Config.from_env(generator_backend=args["backend"]))
loaded = time.perf_counter() - t0
embedder_s = None
if args.get("embedder"):
    t1 = time.perf_counter()
    from rag.embedders import load_embedder
    load_embedder(Config.from_env())
    embedder_s = time.perf_counter() - t1
print(json.dumps({"load_s": loaded, "embedder_load_s": embedder_s, "backend": generator.backend,
                  "peak_rss_mb": hwm()}), flush=True)
"""


def _run_child(script: str, args: dict, env: dict, timeout: float = 900) -> tuple[float, dict]:
    """(wall seconds from spawn to the child's JSON line, that JSON)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", script, json.dumps(args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(PROJECT_ROOT))
    line = process.stdout.readline()
    wall = time.perf_counter() - started
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    if process.returncode != 0 or not line.strip():
        raise RuntimeError(f"benchmark child failed ({process.returncode}): {err[-800:]}")
    return wall, json.loads(line)


# --- llama.cpp (xllamacpp) as the reference


def llamacpp_reference(config: Config):
    """llama.cpp in process on the same GGUF with its stock settings (one slot, the weights as shipped);
    None when xllamacpp is not installed or the model is not a GGUF."""
    import importlib.util

    if importlib.util.find_spec("xllamacpp") is None or config.generator_url:
        return None
    if config.generator_model and not config.generator_model.lower().endswith(".gguf"):
        return None
    from rag.generators.llamacpp import LlamaCppGenerator

    return LlamaCppGenerator(config.replace(llamacpp_slots=1, llamacpp_quant="", generator_backend="llamacpp"))


def _decode_rate(samples: list[tuple[int, float | None, float]]) -> float | None:
    tokens = sum(n - 1 for n, first, total in samples if n > 1 and first is not None)
    seconds = sum(total - first for n, first, total in samples if n > 1 and first is not None)
    return tokens / seconds if seconds > 0 else None


# --- the benchmark


def run_bench(
    notes_dir: Path,
    *,
    questions: list[str],
    repeats: int = 3,
    load_repeats: int = 3,
    cold: bool = True,
    backend: str = "auto",
    index_dir: Path | None = None,
    embedder=None,
    generator=None,
    subprocesses: bool = True,
    log=print,
) -> dict:
    """Every figure in one dict (see the module docstring). `embedder`/`generator` replace the real
    models (the tests pass fakes); `subprocesses=False` skips the fresh-process load measurements."""
    from rag.chunking import chunk_notes
    from rag.notes import load_notes
    from rag.pipeline import Pipeline

    own_index = index_dir is None
    index_dir = Path(index_dir or tempfile.mkdtemp(prefix="rag-bench-index-"))
    config = Config.from_env(notes_dir=notes_dir, index_dir=index_dir, generator_backend=backend)
    result: dict = {
        "notes_dir": str(Path(notes_dir).resolve()),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "threads": config.threads, "python": platform.python_version(), "platform": platform.platform(), "loadavg_start": _loadavg()},
        "code_version": _git_commit(),
        "questions": len(questions),
        "repeats": repeats,
    }
    try:
        # 1. Index build from scratch, in this process: embedder load, embedding, FAISS.
        rss_start = _rss_mb()
        started = time.perf_counter()
        if embedder is None:
            from rag.embedders import load_embedder

            # Memo off: every timed call really embeds (a repeated question would otherwise cost nothing).
            embedder = load_embedder(config, memo=False)
        result["embedder_memo"] = getattr(embedder, "memo", None)
        result["embedder_load_s"] = _round(time.perf_counter() - started)
        result["embedder_backend"] = getattr(embedder, "backend", None)
        pipeline = Pipeline(config, embedder=embedder, generator=generator, log=lambda message: None)
        rss_before = _rss_mb()
        report = pipeline.prepare(rebuild=True)
        result["index_chunks"] = report.chunks
        result["index_build_s"] = _round(report.seconds)
        result["index_chunks_per_s"] = _round(report.chunks / report.seconds, 1) if report.seconds > 0 and report.chunks else None
        result["index_rss_mb"] = _round(_rss_mb() - rss_before, 1)
        result["index_vectors_mb"] = _round(len(pipeline.store) * embedder.dim * 4 / 2**20, 2)  # float32
        result["index_kind"] = pipeline.store.get_manifest().get("faiss")
        result["models_rss_mb"] = _round(rss_before - rss_start, 1)
        log(f"index: {report.chunks} chunks in {report.seconds:.2f} s")

        # 2. Embedding throughput on ~500-character chunks (the notes cut again at 500, repeated to >= 256).
        _, sections = load_notes(notes_dir, config.note_suffixes)
        texts = [c.embed_text for c in chunk_notes(sections, 500, 100, config.embed_heading_path)]
        if texts:
            count = min(max(256, len(texts)), 1024)
            batch = [texts[i % len(texts)] + (f" ({i // len(texts)})" if i >= len(texts) else "") for i in range(count)]
            embedder.encode(batch[:8])
            rates = []
            for _ in range(max(1, min(repeats, 3))):
                started = time.perf_counter()
                embedder.encode(batch)
                rates.append(len(batch) / (time.perf_counter() - started))
            result["embed_500_chunks_per_s"] = _round(max(rates), 1)
            result["embed_500_chunks_per_s_runs"] = [_round(r, 1) for r in rates]
            result["embed_500_mean_chars"] = _round(sum(len(t) for t in batch) / len(batch), 0)
            log(f"embedding: {result['embed_500_chunks_per_s']} chunks/s of ~{result['embed_500_mean_chars']:.0f} characters")

        # 3. Retrieval latency.
        pipeline.retrieve(questions[0] if questions else "warm up")
        retrieval = []
        for _ in range(repeats):
            for question in questions:
                started = time.perf_counter()
                pipeline.retrieve(question)
                retrieval.append((time.perf_counter() - started) * 1000)
        result["retrieval_p50_ms"] = _round(percentile(retrieval, 50), 2)
        result["retrieval_p95_ms"] = _round(percentile(retrieval, 95), 2)
        log(f"retrieval: p50 {result['retrieval_p50_ms']} ms, p95 {result['retrieval_p95_ms']} ms")

        # 4. Answers through the pipeline: first token, decode speed, whole answer.
        generator = pipeline.generator
        result["generator_backend"] = getattr(generator, "backend", None)
        result["generator_model"] = getattr(generator, "name", None)
        ttft, prefill, answers, samples, prompt_tokens, messages_used, ttft_first_round = [], [], [], [], [], [], []
        drafted = declined = 0
        for round_number in range(repeats):
            for question in questions:
                started = time.perf_counter()
                first = None
                answer = None
                for event in pipeline.stream(question):
                    if isinstance(event, Draft):
                        if first is None:
                            first = time.perf_counter() - started
                    else:
                        answer = event.answer
                elapsed = time.perf_counter() - started
                if first is None:
                    declined += round_number == 0
                    continue
                drafted += round_number == 0
                ttft.append(first)
                if round_number == 0:
                    ttft_first_round.append(first)
                answers.append(elapsed)
                stats = getattr(generator, "last_stats", None) or {}
                if stats.get("first_token_s") is not None and stats.get("total_s") is not None:
                    samples.append((stats["new_tokens"], stats["first_token_s"], stats["total_s"]))
                    prefill.append(stats["first_token_s"])
                    prompt_tokens.append(stats["prompt_tokens"])
                elif answer is not None and answer.timings.get("tokens"):
                    t = answer.timings
                    samples.append((t["tokens"], t["first_token_s"], t["first_token_s"] + (t["tokens"] - 1) / t["tokens_per_s"] if t.get("tokens_per_s") else t["total_s"]))
                if round_number == 0 and answer is not None:
                    messages_used.append(question)
        result["answers_drafted"] = drafted
        result["answers_declined"] = declined
        result["ttft_p50_s"] = _round(percentile(ttft, 50))
        result["ttft_p95_s"] = _round(percentile(ttft, 95))
        # Prompts no process-level cache has seen yet (llama.cpp keeps each slot's last prompt; later rounds repeat them).
        result["ttft_first_round_p50_s"] = _round(percentile(ttft_first_round, 50))
        result["prefill_p50_s"] = _round(percentile(prefill, 50))
        result["prompt_tokens_p50"] = _round(percentile(prompt_tokens, 50), 0)
        result["decode_tok_s"] = _round(_decode_rate(samples), 1)
        result["answer_tokens_mean"] = _round(statistics.mean(n for n, _, _ in samples), 1) if samples else None
        result["answer_p50_s"] = _round(percentile(answers, 50))
        result["answer_p95_s"] = _round(percentile(answers, 95))
        log(f"answers: {drafted} drafted, {declined} declined; first token p50 {result['ttft_p50_s']} s, decode {result['decode_tok_s']} tokens/s")

        # 5. llama.cpp on the same GGUF and prompts, interleaved with ours.
        result.update(_compare_llamacpp(pipeline, generator, messages_used, repeats, config))

        result["peak_rss_mb"] = _round(_peak_rss_mb(), 1)

        # 6. Fresh processes: ready, warm load, cold load.
        result["ready_s"] = result["model_load_warm_s"] = result["model_load_cold_s"] = None
        if subprocesses:
            env = _child_env(config)
            args = {"notes": str(notes_dir), "index": str(index_dir), "backend": backend}
            ready, warm, children = [], [], []
            for _ in range(load_repeats):  # interleaved, so a burst of load on the machine hits both
                wall, info = _run_child(READY_SCRIPT, args, env)
                ready.append(wall)
                children.append(info)
                wall, info = _run_child(LOAD_SCRIPT, {"backend": backend}, env)
                warm.append(info["load_s"])
            result["ready_s"] = _round(percentile(ready, 50))
            result["ready_runs_s"] = [_round(x) for x in ready]
            result["ready_peak_rss_mb"] = _round(max(c["peak_rss_mb"] for c in children), 1)
            result["ready_imports_heavy"] = children[-1]["modules"]
            result["model_load_warm_s"] = _round(percentile(warm, 50))
            result["model_load_warm_runs_s"] = [_round(x) for x in warm]
            log(f"ready: p50 {result['ready_s']} s; warm model load p50 {result['model_load_warm_s']} s")
            if cold:
                cold_cache = Path(tempfile.mkdtemp(prefix="rag-bench-cold-cache-"))
                try:
                    wall, info = _run_child(LOAD_SCRIPT, {"backend": backend, "embedder": True}, _child_env(config, cold_cache))
                    result["model_load_cold_s"] = _round(info["load_s"])
                    result["embedder_load_cold_s"] = _round(info["embedder_load_s"])
                    log(f"cold model load: {result['model_load_cold_s']} s")
                finally:
                    shutil.rmtree(cold_cache, ignore_errors=True)
    finally:
        if own_index:
            shutil.rmtree(index_dir, ignore_errors=True)
    result["machine"]["loadavg_end"] = _loadavg()
    result["targets"] = {key: {"target": f"{op} {value}", "met": _met(result.get(key), op, value)} for key, (op, value) in TARGETS.items()}
    return result


def _compare_llamacpp(pipeline, generator, questions: list[str], repeats: int, config: Config) -> dict:
    """The default backend and llama.cpp's reference side by side on the same prompts, interleaved."""
    out = {"llamacpp_decode_tok_s": None, "llamacpp_ratio": None, "ours_same_prompts_decode_tok_s": None}
    from rag import generators

    if not questions or getattr(generator, "backend", None) not in generators.BACKENDS:  # a stand-in model (tests)
        return out

    reference = llamacpp_reference(config)
    if reference is None:
        return out
    try:
        messages = []
        for question in questions[:10]:
            found = pipeline.assess(question)
            if not found.reason:  # the model is asked only when the notes answer
                messages.append(pipeline.prompt_for(found))
        ours, theirs = [], []
        for round_number in range(max(1, repeats)):
            for i, m in enumerate(messages):
                pair = [(generator, ours), (reference, theirs)]
                for model, samples in (pair if (i + round_number) % 2 == 0 else pair[::-1]):
                    for _ in model.stream(m, config.max_new_tokens):
                        pass
                    s = model.last_stats
                    samples.append((s["new_tokens"], s["first_token_s"], s["total_s"]))
    finally:
        reference.close()
    mine, llama = _decode_rate(ours), _decode_rate(theirs)
    out["llamacpp_reference"] = f"xllamacpp {_version('xllamacpp')}: the GGUF as shipped, one slot, {config.threads} threads"
    out["ours_same_prompts_decode_tok_s"] = _round(mine, 1)
    out["ours_same_prompts_ttft_p50_s"] = _round(percentile([f for _, f, _ in ours if f is not None], 50))
    out["llamacpp_decode_tok_s"] = _round(llama, 1)
    out["llamacpp_ttft_p50_s"] = _round(percentile([f for _, f, _ in theirs if f is not None], 50))
    out["llamacpp_ratio"] = _round(mine / llama, 3) if mine and llama else None
    return out


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _met(value, op: str, target: float):
    if value is None:
        return None
    return value <= target if op == "<=" else value >= target


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


UNITS = {
    "ready_s": "s", "model_load_cold_s": "s", "model_load_warm_s": "s", "embedder_load_s": "s", "index_build_s": "s",
    "index_chunks_per_s": "chunks/s", "embed_500_chunks_per_s": "chunks/s", "index_rss_mb": "MB",
    "retrieval_p50_ms": "ms", "retrieval_p95_ms": "ms", "ttft_p50_s": "s", "ttft_p95_s": "s", "prefill_p50_s": "s",
    "decode_tok_s": "tokens/s", "answer_p50_s": "s", "answer_p95_s": "s", "peak_rss_mb": "MB", "ready_peak_rss_mb": "MB",
    "llamacpp_decode_tok_s": "tokens/s", "llamacpp_ratio": "x",
}


def format_table(result: dict) -> str:
    lines = [f"{'figure':<26} {'value':>12}  {'unit':<9} target", "-" * 60]
    for key, unit in UNITS.items():
        value = result.get(key)
        target = result.get("targets", {}).get(key)
        mark = "" if not target or target["met"] is None else ("  ok" if target["met"] else "  MISSED")
        shown = "-" if value is None else f"{value:g}"
        lines.append(f"{key:<26} {shown:>12}  {unit:<9} {target['target'] + mark if target else ''}")
    load = result["machine"]
    lines.append(f"\nbackends: generator {result.get('generator_backend')}, embedder {result.get('embedder_backend')}; "
                 f"load average {load.get('loadavg_start')} -> {load.get('loadavg_end')} on {load.get('cpus')} CPUs")
    return "\n".join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description="Measure start-up, retrieval and answer speed.")
    parser.add_argument("--notes", help="folder of notes (default: corpus/)")
    parser.add_argument("--out", help="JSON file for the figures (default: eval/runs/bench.json)")
    parser.add_argument("--questions", help="JSONL question file (default: eval/questions.jsonl for the default notes, else one per section)")
    parser.add_argument("--limit", type=int, default=20, help="questions to ask (default 20)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds over the questions (default 3)")
    parser.add_argument("--backend", choices=generators.names(), default="auto", help="generation backend")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold model load (it dequantizes and converts the model again, ~30 s)")
    parser.add_argument("--quick", action="store_true", help="one round, five questions, one fresh-process load, no cold load")
    parser.add_argument("--scale", type=int, help="instead: build and query an index of this many chunks (eval/scale.py)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if args.scale:
        from eval import scale

        return scale.main(["--chunks", str(args.scale)] + (["--out", args.out] if args.out else []))
    from rag.errors import RagError

    notes = Path(args.notes) if args.notes else PROJECT_ROOT / "corpus"
    limit = 5 if args.quick else args.limit
    repeats = 1 if args.quick else args.repeats
    try:
        questions = questions_for(notes, Path(args.questions) if args.questions else None, limit)
        result = run_bench(notes, questions=questions, repeats=repeats, load_repeats=1 if args.quick else 3, cold=not (args.skip_cold or args.quick), backend=args.backend,
                           log=lambda message: print(message, file=sys.stderr, flush=True))
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else PROJECT_ROOT / "eval" / "runs" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(format_table(result))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
