"""The speed benchmark runs and writes every figure under its agreed key and unit.

Not a timed test: speed targets live in the benchmark's output, never in assertions.
"""
from __future__ import annotations

import json
import subprocess
import sys

from eval import bench
from rag.config import PROJECT_ROOT
from tests.conftest import FakeEmbedder, FakeGenerator

REQUIRED = (
    "ready_s", "model_load_cold_s", "model_load_warm_s", "index_chunks_per_s", "retrieval_p50_ms", "retrieval_p95_ms",
    "ttft_p50_s", "ttft_p95_s", "decode_tok_s", "answer_p50_s", "peak_rss_mb", "llamacpp_decode_tok_s", "llamacpp_ratio",
)


def _number_or_none(value):
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0)


def test_percentile():
    assert bench.percentile([], 50) is None
    assert bench.percentile([3.0], 95) == 3.0
    assert bench.percentile([1, 2, 3, 4], 50) == 2.5
    assert bench.percentile(list(range(101)), 95) == 95


def test_questions_for_other_notes_come_from_their_headings(tiny_notes):
    questions = bench.questions_for(tiny_notes, None, 10)
    assert "What do my notes say about Bread?" in questions
    assert not any("Pasta" in q for q in questions)  # an empty section has nothing to ask about


def test_bench_with_fakes_has_every_key(tiny_notes):
    reply = "Sourdough bread needs a starter that is fed with flour and water every day."
    result = bench.run_bench(
        tiny_notes,
        questions=["What does sourdough bread need?", "When did the Shinkansen open?", "What is minestrone?"],
        repeats=2,
        embedder=FakeEmbedder(),
        generator=FakeGenerator(reply),
        subprocesses=False,
        log=lambda message: None,
    )
    json.dumps(result)  # serialisable as written
    for key in REQUIRED:
        assert key in result, key
        assert _number_or_none(result[key]), (key, result[key])
    assert result["ready_s"] is None and result["model_load_cold_s"] is None  # no fresh processes asked for
    assert result["index_chunks"] > 0 and result["index_chunks_per_s"] > 0
    # units: retrieval in milliseconds, the rest in seconds
    assert 0 < result["retrieval_p50_ms"] <= result["retrieval_p95_ms"] < 60_000
    assert result["peak_rss_mb"] > 10
    assert result["answers_drafted"] + result["answers_declined"] == 3
    if result["answers_drafted"]:
        assert 0 <= result["ttft_p50_s"] <= result["answer_p50_s"] < 60
    assert set(result["targets"]) >= {"ready_s", "ttft_p50_s", "decode_tok_s", "retrieval_p50_ms"}
    assert "MISSED" in bench.format_table(result) or "ok" in bench.format_table(result)


def test_bench_command_quick_on_tiny_notes(tiny_notes, tmp_path, real_embedder, real_generator):
    """The real command, real models, fresh processes: one round, no cold load."""
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, "-m", "eval.bench", "--quick", "--notes", str(tiny_notes), "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text())
    for key in REQUIRED:
        assert key in result and _number_or_none(result[key]), (key, result.get(key))
    assert result["ready_s"] > 0 and result["model_load_warm_s"] > 0
    assert result["model_load_cold_s"] is None  # --quick skips the 30 s reconversion
    assert result["retrieval_p50_ms"] > 0 and result["peak_rss_mb"] > 50
    assert result["generator_backend"] in ("llamacpp", "ctranslate2", "transformers")
    assert result["embedder_memo"] is False  # every timed question really embedded
    import importlib.util

    if importlib.util.find_spec("xllamacpp") is None:
        assert result["llamacpp_decode_tok_s"] is None and result["llamacpp_ratio"] is None
    elif result["answers_drafted"]:  # llama.cpp's reference ran beside the default on the same prompts
        assert result["llamacpp_decode_tok_s"] > 0 and result["llamacpp_ratio"] > 0
    assert "ready_s" in run.stdout and "written to" in run.stdout
