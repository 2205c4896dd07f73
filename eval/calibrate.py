"""Choose the "not in your notes" threshold (`Config.min_support`) from a question set.

`python -m eval.calibrate [--questions FILE] [--notes DIR]` runs the pipeline's decision (retrieval,
empty-section check, answer-type check, sentence support; no generation) on every question, then
sweeps the support threshold and prints, for each value, the abstention accuracy on unanswerable
questions and the false-abstention rate on answerable ones. It recommends the threshold that
maximises (abstention accuracy - false-abstention rate), the middle of the best interval, and
lists the questions on the wrong side. It does not change the configuration: copy the value.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from rag.config import Config
from rag.pipeline import Pipeline

from eval.questions import load_questions


def assess_all(pipeline: Pipeline, questions: list[dict]) -> list[dict]:
    rows = []
    for q in questions:
        found = pipeline.assess(q["question"], min_support=float("-inf"))  # every rule but the threshold
        rows.append({"id": q["id"], "question": q["question"], "answerable": q["answerable"], "support": found.support, "other_reason": found.reason})
    return rows


def sweep(rows: list[dict], thresholds: list[float]) -> list[dict]:
    table = []
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    for t in thresholds:
        abstains = lambda r: r["other_reason"] is not None or r["support"] < t  # noqa: E731
        accuracy = sum(map(abstains, unanswerable)) / max(1, len(unanswerable))
        false_rate = sum(map(abstains, answerable)) / max(1, len(answerable))
        table.append({"threshold": round(t, 3), "abstention_accuracy": accuracy, "false_abstention_rate": false_rate, "margin": accuracy - false_rate})
    return table


def recommend(table: list[dict]) -> float:
    best = max(row["margin"] for row in table)
    tied = [row["threshold"] for row in table if row["margin"] == best]
    return round((tied[0] + tied[-1]) / 2, 3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--questions", default="eval/questions.jsonl")
    parser.add_argument("--notes", default=None)
    args = parser.parse_args(argv)
    config = Config.from_env(notes_dir=args.notes)
    pipeline = Pipeline(config, log=lambda message: None)
    pipeline.prepare()
    rows = assess_all(pipeline, load_questions(Path(args.questions)))
    table = sweep(rows, [i / 100 for i in range(20, 101, 2)])
    print("threshold  abstention_acc  false_abstention  margin")
    for row in table:
        print(f"{row['threshold']:9.2f}  {row['abstention_accuracy']:14.2f}  {row['false_abstention_rate']:16.2f}  {row['margin']:6.2f}")
    chosen = recommend(table)
    print(f"\nrecommended min_support: {chosen} (configured: {config.min_support})")
    print("\nsupport of each question (decided by another rule when marked):")
    for r in sorted(rows, key=lambda r: r["support"]):
        wrong = (r["other_reason"] is not None or r["support"] < chosen) == r["answerable"]
        mark = "WRONG " if wrong else "      "
        print(f"{mark}{r['support']:5.2f} {'answerable  ' if r['answerable'] else 'unanswerable'} {r['question'][:70]}" + (f"  [{r['other_reason']}]" if r["other_reason"] else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
