"""`python -m eval all`: every collection, one table.

A collection is a notes folder with its question sets: "default" is corpus/ with eval/questions.jsonl
and eval/conversations.jsonl; every eval/collections/<name>/ holding notes/ and questions.jsonl is
another (plus its conversations.jsonl when there is one). Each set is run once through the pipeline
(eval.run.run_eval, its usual results.jsonl and reports in OUT/<collection>/<set>/), then scored per
split from its rows, so `--split all` costs one pass and still shows dev and report apart. Models are
loaded once and shared by the collections' pipelines; each notes folder keeps its own index in
--index-dir, so a second run reuses it. Writes OUT/summary.json and OUT/summary.md.
"""
from __future__ import annotations

import datetime
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import RagError

from eval import metrics as m
from eval.questions import load_questions, select_split
from eval.report import fmt, summarize, _git_commit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = Path(__file__).resolve().parent
SETS = ("questions", "conversations")
# The table's columns: (metric in report.summarize, header).
COLUMNS = (("hit@1", "hit@1"), ("hit@3", "hit@3"), ("mrr", "MRR"), ("citation_precision", "cit. prec."),
           ("abstention_accuracy", "abstain acc."), ("false_abstention_rate", "false abst."), ("key_fact_recall", "key facts"),
           ("answer_sentence_found", "sentence found"), ("latency_p50", "p50"))


class SuiteError(RagError):
    """No collection to run, or a named collection that does not exist."""


@dataclass
class Collection:
    name: str
    notes: Path
    sets: dict[str, Path] = field(default_factory=dict)  # set name -> question file


def find_collections(root: Path | None = None) -> list[Collection]:
    """The default notes and every eval/collections/* with notes/ and questions.jsonl, in that order."""
    root, found = root or PROJECT_ROOT, []
    default = Collection("default", root / "corpus", {s: root / "eval" / f"{s}.jsonl" for s in SETS if (root / "eval" / f"{s}.jsonl").is_file()})
    if default.notes.is_dir() and default.sets:
        found.append(default)
    for folder in sorted((root / "eval" / "collections").glob("*/")):
        sets = {s: folder / f"{s}.jsonl" for s in SETS if (folder / f"{s}.jsonl").is_file()}
        if (folder / "notes").is_dir() and "questions" in sets:
            found.append(Collection(folder.name, folder / "notes", sets))
    return found


def choose(collections: list[Collection], names: str | None) -> list[Collection]:
    if not names:
        return collections
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {c.name: c for c in collections}
    missing = [n for n in wanted if n not in known]
    if missing:
        raise SuiteError(f"No collection named {', '.join(missing)}; there are: {', '.join(known) or 'none'}.")
    return [known[n] for n in wanted]


def split_rows(rows: list[dict], split: str) -> list[tuple[str, list[dict]]]:
    """(split name, rows) for each split the table shows."""
    if split in ("dev", "report"):
        return [(split, rows)]
    return [(s, [r for r in rows if r.get("split") == s]) for s in ("dev", "report") if any(r.get("split") == s for r in rows)] + [("all", rows)]


def score(rows: list[dict], similarity: dict, retrieval_only: bool) -> dict:
    """The table's metrics for some rows of one run."""
    metrics = summarize(rows, {r["id"]: similarity[r["id"]] for r in rows if r["id"] in similarity}, retrieval_only)
    metrics["latency_p50"] = metrics.get("retrieve_s_p50") if retrieval_only else metrics.get("total_s_p50")
    return metrics


def read_rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def run_suite(make_pipeline, collections: list[Collection], out_dir, *, split: str = "all", retrieval_only: bool = False,
              top_k: int | None = None, progress: bool = True, log=None, resume: bool = False) -> dict:
    """Run every set of every collection; write each run's reports and OUT/summary.json/md; return the summary.

    `make_pipeline(notes_dir, shared)` returns a Pipeline for those notes; `shared` is the previous
    pipeline (or None), whose models the new one should reuse. With `resume`, questions an earlier run
    into the same folder finished are not asked again. Interrupted (Ctrl-C), it still writes the summary
    of what was done, marked partial, and raises KeyboardInterrupt."""
    log = log or (lambda message: print(message, file=sys.stderr))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now().astimezone()
    table, runs, pipelines, partial = [], [], [], False
    try:
        _run_sets(make_pipeline, collections, out, split, retrieval_only, top_k, progress, log, resume, table, runs, pipelines)
    except KeyboardInterrupt:
        partial = True
    shared = pipelines[-1] if pipelines else None
    summary = {
        "created": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.datetime.now().astimezone() - started).total_seconds(), 1),
        "partial": partial,
        "settings": {"split": split, "retrieval_only": retrieval_only, "top_k": top_k, "collections": [c.name for c in collections]},
        "models": {"embedder": shared.embedder.name if shared else None,
                   "generator": None if retrieval_only or shared is None else shared.status()["generator_model"]},
        "code_version": _git_commit(),
        "rows": table,
        "runs": runs,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "summary.md").write_text(markdown(summary), encoding="utf-8")
    if partial:
        raise KeyboardInterrupt
    return summary


def _run_sets(make_pipeline, collections, out, split, retrieval_only, top_k, progress, log, resume, table, runs, pipelines):
    """Run each set, appending to `table` (scored rows), `runs` and `pipelines` as it goes."""
    from eval.run import run_eval

    shared = None
    for collection in collections:
        pipeline = make_pipeline(collection.notes, shared)
        shared = pipeline
        pipelines.append(pipeline)
        for set_name, questions_file in collection.sets.items():
            questions = select_split(load_questions(questions_file), split)
            if not questions:
                log(f"{collection.name}/{set_name}: no {split} questions, skipped")
                continue
            folder = out / collection.name / set_name
            log(f"{collection.name}/{set_name}: {len(questions)} questions over {collection.notes}")
            report = run_eval(pipeline, questions, folder, retrieval_only=retrieval_only, top_k=top_k, progress=progress,
                              questions_file=str(questions_file), resume=resume)
            rows = read_rows(folder)
            similarity = {q["id"]: q["similarity"] for q in report["questions"] if q.get("similarity") is not None}
            runs.append({"collection": collection.name, "set": set_name, "dir": str(folder), "questions": len(rows),
                         "errors": report["counts"]["errors"], "interrupted": report["settings"]["interrupted"], "seconds": report["settings"]["seconds"]})
            for split_name, subset in split_rows(rows, split):
                table.append({"collection": collection.name, "set": set_name, "split": split_name, "questions": len(subset),
                              "answerable": sum(1 for r in subset if r["answerable"]), "unanswerable": sum(1 for r in subset if not r["answerable"]),
                              "errors": sum(1 for r in subset if r["error"]), "metrics": score(subset, similarity, retrieval_only)})
            if report["settings"]["interrupted"]:
                raise KeyboardInterrupt


def cell(name: str, value) -> str:
    if name == "latency_p50":
        return fmt("total_s_p50", value)
    return fmt(name, value)


def table_lines(summary: dict) -> list[str]:
    header = ["collection", "set", "split", "n"] + [title for _, title in COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * 3 + "---:|" * (len(header) - 3)]
    for row in summary["rows"]:
        n = f"{row['questions']} ({row['answerable']}/{row['unanswerable']})"
        lines.append("| " + " | ".join([row["collection"], row["set"], row["split"], n] + [cell(k, row["metrics"].get(k)) for k, _ in COLUMNS]) + " |")
    return lines


def markdown(summary: dict) -> str:
    s = summary["settings"]
    mode = "retrieval only" if s["retrieval_only"] else f"answers by {summary['models']['generator']}"
    lines = ["# Evaluation summary", ""] + (["**Partial: the run was interrupted; the table covers the questions done.**", ""] if summary.get("partial") else []) + [
             f"{summary['created']}, code {summary['code_version']}, {mode}, retrieval by {summary['models']['embedder']}, "
             f"split {s['split']}, {summary['seconds']:.0f} s.", ""]
    lines += table_lines(summary)
    lines += ["", "n = questions (answerable/unanswerable). Metrics as defined in eval/README.md; '–' = nothing to measure "
              "(answer metrics in a retrieval-only run, hits where no question names a section). p50 is the time to the checked "
              "answer (retrieval time in a retrieval-only run). Conversations score their last turn.", "",
              "Runs: " + "; ".join(f"{r['collection']}/{r['set']} → `{r['dir']}`" + (f" ({r['errors']} failed)" if r["errors"] else "") for r in summary["runs"])]
    return "\n".join(lines) + "\n"


def console_table(summary: dict) -> str:
    header = ["collection", "set", "split", "n"] + [title for _, title in COLUMNS]
    body = [[r["collection"], r["set"], r["split"], str(r["questions"])] + [cell(k, r["metrics"].get(k)) for k, _ in COLUMNS] for r in summary["rows"]]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *body)]
    return "\n".join("  ".join(str(x).ljust(w) if i < 3 else str(x).rjust(w) for i, (x, w) in enumerate(zip(line, widths))) for line in [header, *body])
