"""Choose the "not in your notes" threshold (`Config.min_evidence`) from question sets, without the model.

    python -m eval.calibrate --set corpus:eval/questions.jsonl \\
        --set eval/collections/til-jbranchaud/notes:eval/collections/til-jbranchaud/questions.jsonl --split dev

For each notes folder and question file it runs the pipeline's decision (retrieval, empty-section
check, rag/decide.py's focus and answer-kind rules; no generation) on every question of the split,
then sweeps the evidence threshold and prints, per collection and on average, the share of
unanswerable questions refused and of answerable ones refused. It recommends the threshold with the
best mean (refused unanswerable - refused answerable) over the collections, the middle of the best
interval, and shows what the per-folder calibration (decide.calibrate: questions made from the
notes' headings and near-miss copies of them) would choose for each folder. It does not change the
configuration: copy the value.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from rag.config import Config
from rag.decide import calibrate
from rag.pipeline import Pipeline

from eval.questions import load_questions


def assess_all(pipeline: Pipeline, questions: list[dict]) -> list[dict]:
    rows = []
    for q in questions:
        found = pipeline.assess(q["question"], min_evidence=float("-inf"))  # every rule but the threshold
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
    parser.add_argument("--set", action="append", default=[], metavar="NOTES:QUESTIONS", help="a notes folder and its question file (repeatable)")
    parser.add_argument("--split", default="dev", help="dev, report or all (default: dev; choose settings on dev only)")
    parser.add_argument("--index-dir", default=None)
    args = parser.parse_args(argv)
    pairs = [s.split(":", 1) for s in args.set] or [["corpus", "eval/questions.jsonl"]]
    thresholds = [i / 20 for i in range(0, 41)]
    tables, folders = [], []
    for notes, questions_file in pairs:
        config = Config.from_env(notes_dir=notes, index_dir=args.index_dir)
        pipeline = Pipeline(config, log=lambda message: None)
        pipeline.prepare()
        questions = [q for q in load_questions(Path(questions_file)) if args.split == "all" or q.get("split") == args.split]
        rows = assess_all(pipeline, questions)
        tables.append(sweep(rows, thresholds))
        own = calibrate(pipeline.sections, pipeline.evidence_score, pipeline.vocabulary)
        folders.append((notes, len(questions), own.threshold, rows))
    print("threshold  " + "  ".join(f"{Path(n).parent.name if Path(n).name == 'notes' else Path(n).name:>22}" for n, *_ in folders) + "   mean margin")
    mean = []
    for i, t in enumerate(thresholds):
        cells = [f"{tab[i]['abstention_accuracy']:5.2f} / {tab[i]['false_abstention_rate']:4.2f}".rjust(22) for tab in tables]
        m = sum(tab[i]["margin"] for tab in tables) / len(tables)
        mean.append({"threshold": t, "margin": round(m, 6)})
        print(f"{t:9.2f}  " + "  ".join(cells) + f"   {m:6.2f}")
    chosen = recommend(mean)
    print("\n(cells: unanswerable refused / answerable refused)")
    print(f"recommended min_evidence: {chosen} (configured: {Config().min_evidence})")
    for notes, n, own, rows in folders:
        print(f"per-folder calibration for {notes}: {own} ({n} questions)")
        for r in sorted(rows, key=lambda r: r["support"]):
            wrong = (r["other_reason"] is not None or r["support"] < chosen) == r["answerable"]
            if wrong:
                print(f"  WRONG {r['support']:5.2f} {'answerable  ' if r['answerable'] else 'unanswerable'} {r['question'][:70]}" + (f"  [{r['other_reason']}]" if r["other_reason"] else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
