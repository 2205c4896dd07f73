"""Turn a run's result rows into report.json (for machines and `compare`), report.md and report.png (for people).

report.json holds the metrics, the counts behind them, the settings and models used, the notes'
content hash and one scored line per question. report.md is the metrics table with what each
measures, a breakdown by kind of question, and the ten worst questions with what was expected.
report.png draws the metrics as bars, the latency of every question and the score by kind.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import subprocess
from collections import defaultdict
from pathlib import Path
from statistics import mean

from eval import metrics as m

# name -> (what it measures, higher is better?, is a time)
METRICS = {
    "hit@1": ("an expected section is the top passage", True, False),
    "hit@3": ("an expected section is in the top 3 passages", True, False),
    "hit@5": ("an expected section is in the top 5 passages", True, False),
    "mrr": ("mean of 1/rank of the first expected section", True, False),
    "citation_precision": ("citations that point at an expected section", True, False),
    "citation_recall": ("answerable questions citing an expected section", True, False),
    "abstention_accuracy": ("unanswerable questions the bot declined", True, False),
    "false_abstention_rate": ("answerable questions the bot wrongly declined", False, False),
    "key_fact_recall": ("key facts that appear in the answer", True, False),
    "answer_sentence_found": ("the note sentence that answers is shown (answer or its citations)", True, False),
    "uncited_sentences": ("answer sentences shown without a citation (count)", False, False),
    "answer_similarity": ("embedding cosine of answer and reference", True, False),
    "token_f1": ("word overlap of answer and reference (F1)", True, False),
    "retrieve_s_p50": ("retrieval time, median", False, True),
    "retrieve_s_p95": ("retrieval time, 95th percentile", False, True),
    "first_token_s_p50": ("time to the first drafted word, median", False, True),
    "first_token_s_p95": ("time to the first drafted word, 95th percentile", False, True),
    "total_s_p50": ("time to the checked answer, median", False, True),
    "total_s_p95": ("time to the checked answer, 95th percentile", False, True),
    "tokens_per_s": ("drafting speed, median tokens per second", True, False),
}
WORST_SHOWN = 10


def fmt(name: str, value) -> str:
    if value is None:
        return "–"
    if METRICS.get(name, ("", True, False))[2]:
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if name == "uncited_sentences":
        return str(value)
    return f"{value:.1f}" if name == "tokens_per_s" else f"{value:.2f}"


def summarize(rows: list[dict], similarity: dict[str, float] | None = None, retrieval_only: bool = False) -> dict:
    """Every metric of a run, by name; answer metrics are None for a retrieval-only run."""
    ranks = m.retrieval_ranks(rows)
    metrics = {"hit@1": m.hit_at_k(ranks, 1), "hit@3": m.hit_at_k(ranks, 3), "hit@5": m.hit_at_k(ranks, 5), "mrr": m.mean_reciprocal_rank(ranks)}
    answers = {
        "citation_precision": m.citation_precision(rows),
        "citation_recall": m.citation_recall(rows),
        "abstention_accuracy": m.abstention_accuracy(rows),
        "false_abstention_rate": m.false_abstention_rate(rows),
        "key_fact_recall": m.key_fact_recall(rows),
        "answer_sentence_found": m.answer_sentence_found(rows),
        "uncited_sentences": m.uncited_sentences(rows),
        "answer_similarity": mean(similarity.values()) if similarity else None,
        "token_f1": m.mean_token_f1(rows),
    }
    metrics.update({name: None if retrieval_only else value for name, value in answers.items()})
    for key in ("retrieve_s", "first_token_s", "total_s"):
        for name, value in m.latency(rows, key).items():
            metrics[f"{key}_{name}"] = value
    metrics["tokens_per_s"] = m.tokens_per_second(rows)
    return metrics


def question_lines(rows: list[dict], similarity: dict | None, retrieval_only: bool) -> list[dict]:
    """One scored summary per question: what happened, in the terms compare and the worst list use."""
    lines = []
    for r in rows:
        rank = m.row_rank(r) if r["expected_sections"] else None
        sim = (similarity or {}).get(r["id"])
        scored = not retrieval_only and r["answerable"] and r["expected_sections"]  # as in citation precision/recall
        lines.append({
            "id": r["id"], "kind": r.get("kind"), "answerable": r["answerable"],
            "outcome": "error" if r["error"] else "retrieved" if retrieval_only else "abstained" if r["abstained"] else "answered",
            "rank": rank,
            "cited_expected": None if not scored else any(m.section_matches(c["section"], r["expected_sections"]) for c in r["citations"]),
            "citations_matching": None if not scored else
            f"{sum(m.section_matches(c['section'], r['expected_sections']) for c in r['citations'])}/{len(r['citations'])}",
            "facts": None if retrieval_only or not r["key_facts"] else f"{m.facts_found(m.answered(r), r['key_facts'])}/{len(r['key_facts'])}",
            "sentence_found": None if retrieval_only or not r["answerable"] or not r.get("supporting_quote") else m.sentence_found(r),
            "similarity": None if sim is None else round(sim, 3),
            "token_f1": None if retrieval_only or not r["reference_answer"] else round(m.token_f1(m.answered(r), r["reference_answer"]), 3),
            "score": None if (score := m.question_score(r, sim, retrieval_only)) is None else round(score, 3),
        })
    return lines


def write_reports(out: Path, rows: list[dict], similarity: dict | None, pipeline, status_before: dict, settings: dict) -> dict:
    """Write report.json, report.md and report.png into `out`; return the report."""
    retrieval_only = settings["retrieval_only"]
    status = pipeline.status() if rows else status_before
    files = (pipeline.store.get_manifest().get("files") if pipeline.store is not None else None) or {}
    config = {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(pipeline.config).items() if k not in ("cache_dir",)}
    questions = question_lines(rows, similarity, retrieval_only)
    by_kind = defaultdict(list)
    for q in (q for q in questions if q["score"] is not None):
        by_kind[q["kind"] or ("answerable" if q["answerable"] else "unanswerable")].append(q["score"])
    report = {
        "created": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "metrics": summarize(rows, similarity, retrieval_only),
        "counts": {
            "questions": len(rows),
            "answerable": sum(1 for r in rows if r["answerable"]),
            "unanswerable": sum(1 for r in rows if not r["answerable"]),
            "retrieval_scored": len(m.retrieval_ranks(rows)),
            "abstained": sum(1 for r in rows if r["abstained"]),
            "errors": sum(1 for r in rows if r["error"]),
        },
        "settings": {**settings, "config": config},
        "models": {"embedder": status["embedding_model"], "generator": None if retrieval_only else status["generator_model"], "backend": None if retrieval_only else status["generator_backend"]},
        "notes": {"dir": status["notes_dir"], "hash": hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest(), "files": files,
                  "sections": status["sections"], "empty_sections": status["empty_sections"], "chunks": status["chunks"]},
        "code_version": _git_commit(),
        "by_kind": {kind: {"questions": len(scores), "mean_score": round(mean(scores), 3)} for kind, scores in sorted(by_kind.items())},
        "questions": questions,
    }
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(report, rows), encoding="utf-8")
    from eval.chart import draw

    draw(report, rows, out / "report.png")
    return report


def markdown(report: dict, rows: list[dict]) -> str:
    s, c, models = report["settings"], report["counts"], report["models"]
    mode = "retrieval only" if s["retrieval_only"] else f"answers by {models['generator']} ({models['backend']})"
    lines = [
        "# Evaluation report", "",
        f"{c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} unanswerable) from `{s['questions_file']}` "
        f"over the notes in `{report['notes']['dir']}` (content hash `{report['notes']['hash'][:12]}`), {mode}, "
        f"retrieval by {models['embedder']}, top_k {s['top_k']}. {report['created']}, {s['seconds']:.0f} s.", "",
    ]
    if s["interrupted"]:
        lines += ["**The run was interrupted: these numbers cover only the questions above.**", ""]
    if c["errors"]:
        lines += [f"**{c['errors']} question(s) failed** and score zero wherever they count; see the worst questions below.", ""]
    lines += ["## Metrics", "", "| Metric | Value | What it measures |", "|---|---:|---|"]
    for name, value in report["metrics"].items():
        what, higher, _ = METRICS.get(name, ("", True, False))
        if value is not None or not s["retrieval_only"]:
            lines.append(f"| {name} | {fmt(name, value)} | {what}{'' if higher else ' (lower is better)'} |")
    lines += ["", "Definitions and worked examples: eval/README.md. '–' means no question measured it."
              + (" A retrieval-only run measures retrieval and its speed; answer metrics need a full run." if s["retrieval_only"] else ""), "",
              "## By kind of question", "", "| Kind | Questions | Mean score |", "|---|---:|---:|"]
    lines += [f"| {kind} | {v['questions']} | {v['mean_score']:.2f} |" for kind, v in report["by_kind"].items()]
    worst = sorted((q for q in report["questions"] if q["score"] is not None and q["score"] < 1), key=lambda q: (q["score"], q["id"]))[:WORST_SHOWN]
    lines += ["", f"## The {len(worst)} worst questions" if worst else "## Worst questions: none, every question scored 1", "",
              "Score 0..1 per question (eval/README.md): " + ("1/rank of the first expected section." if s["retrieval_only"] else
              "an unanswerable question scores 1 when the bot declined; an answerable one averages answering, retrieval rank, "
              "a matching citation, key facts and similarity."), ""]
    by_id = {r["id"]: r for r in rows}
    for n, q in enumerate(worst, 1):
        lines += _worst(n, q, by_id[q["id"]], s["retrieval_only"])
    return "\n".join(lines) + "\n"


def _worst(n: int, q: dict, r: dict, retrieval_only: bool) -> list[str]:
    expected = ", ".join(f"'{e}'" for e in r["expected_sections"]) or "no section"
    want = f"an answer from {expected}" if r["answerable"] else f"\"not in your notes\" (about {expected})"
    kind = q["kind"] or ("answerable" if r["answerable"] else "unanswerable")
    lines = [f"### {n}. `{r['id']}` ({kind}), score {q['score']:.2f}", "", f"**Question:** {r['question']}", "", f"**Expected:** {want}."]
    if r["key_facts"] and not retrieval_only:
        lines[-1] += f" Key facts: {', '.join(r['key_facts'])} (found {q['facts']})."
    if r["reference_answer"]:
        lines += ["", f"**Reference:** {r['reference_answer']}"]
    if r["error"]:
        lines += ["", f"**Failed:** {r['error']}"]
    elif not retrieval_only:
        why = f": {r['abstain_reason']}" if r.get("abstain_reason") else ""
        lines += ["", f"**Got ({'declined' if r['abstained'] else 'answered'}, {r['mode']}{why}):**", ""] + ["> " + line for line in (r["answer"] or "").splitlines()] + [""]
        lines += [f"- cited [{c.get('number', i)}] {' › '.join(c['section'])}{' ✓' if m.section_matches(c['section'], r['expected_sections']) else ''}: \"{c['text']}\""
                  for i, c in enumerate(r["citations"], 1)] or ["- no citations"]
    ranked = [f"{i}. {p['section'][-1] if p['section'] else p['file']} ({p['score']:.2f}){' ✓' if m.section_matches(p['section'], r['expected_sections']) else ''}"
              for i, p in enumerate(r["retrieved"][:5], 1)]
    return lines + ["", "**Retrieved:** " + ("; ".join(ranked) or "nothing"), ""]


def _git_commit() -> str | None:
    """The commit the code came from, '+changes' when rag/ or eval/ differ from it; None outside git."""
    def git(*args) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=5, cwd=Path(__file__).parent).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        return commit + ("+changes" if git("status", "--porcelain", "--", "../rag", "../eval") else "") if commit else None
    except (OSError, subprocess.SubprocessError):
        return None
