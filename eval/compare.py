"""`python -m eval compare OLD_DIR NEW_DIR`: what changed between two runs.

Reads each run's report.json and prints every metric's old and new value with the change (and
whether that is better or worse), then the questions whose outcome changed: answered or declined,
the rank of the first expected section, whether an expected section was cited, key facts found.
"""
from __future__ import annotations

import json
from pathlib import Path

from rag.errors import RagError

from eval.report import METRICS, fmt

# What makes up a question's outcome, and how each part is shown.
PARTS = (("outcome", "outcome"), ("rank", "first expected section at rank"), ("citations_matching", "citations of an expected section"),
         ("cited_expected", "cited an expected section"), ("facts", "key facts"),
         ("sentence_found", "answer sentence shown"))


class RunError(RagError):
    """A run folder has no readable report.json."""


def load_report(folder) -> dict:
    path = Path(folder) / "report.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RunError(f"{folder} has no report.json. Pass two folders written by `python -m eval --out DIR`.") from error
    except (OSError, ValueError) as error:
        raise RunError(f"Cannot read {path}: {error}.") from error


def _change(name: str, old, new) -> str:
    if old is None or new is None:
        return "" if old == new else "(only in one run)"
    delta = new - old
    if abs(delta) < 1e-9:
        return "same"
    higher, is_time = METRICS.get(name, ("", True, False))[1:]
    better = (delta > 0) == higher
    shown = f"{delta * 1000:+.0f} ms" if is_time and max(abs(old), abs(new)) < 1 else f"{delta:+.1f}" if name == "tokens_per_s" else f"{delta:+.2f}" + (" s" if is_time else "")
    return f"{shown}  {'better' if better else 'worse'}"


def _describe(part: str, value) -> str:
    if part == "rank":
        return "none" if value is None else str(value)
    if part == "score":
        return "–" if value is None else f"{value:.2f}"
    if part in ("cited_expected", "sentence_found"):
        return {True: "yes", False: "no", None: "–"}[value]
    return "–" if value is None else str(value)


def compare(old_dir, new_dir) -> str:
    """The comparison as text."""
    old, new = load_report(old_dir), load_report(new_dir)
    lines = [f"old: {old_dir}  ({old['created']}, code {old.get('code_version')}, {old['models'].get('generator') or 'retrieval only'})",
             f"new: {new_dir}  ({new['created']}, code {new.get('code_version')}, {new['models'].get('generator') or 'retrieval only'})"]
    if old["notes"]["hash"] != new["notes"]["hash"]:
        lines.append("note: the two runs used different notes (content hashes differ); differences may come from the notes.")
    if old["settings"].get("questions_file") != new["settings"].get("questions_file") or old["counts"]["questions"] != new["counts"]["questions"]:
        lines.append("note: the two runs used different question sets; metrics cover different questions.")
    lines += ["", f"{'metric':<24}{'old':>10}{'new':>10}   change"]
    for name in dict.fromkeys([*old["metrics"], *new["metrics"]]):
        a, b = old["metrics"].get(name), new["metrics"].get(name)
        if a is None and b is None:
            continue
        lines.append(f"{name:<24}{fmt(name, a):>10}{fmt(name, b):>10}   {_change(name, a, b)}")
    for key in ("errors", "abstained"):
        if old["counts"].get(key) != new["counts"].get(key):
            lines.append(f"{key:<24}{old['counts'].get(key):>10}{new['counts'].get(key):>10}")

    before = {q["id"]: q for q in old["questions"]}
    after = {q["id"]: q for q in new["questions"]}
    changed = []
    for qid in before.keys() & after.keys():
        a, b = before[qid], after[qid]
        both = [part for part, _ in PARTS if part in a and part in b]
        if "citations_matching" in both:  # it says what cited_expected says, and more
            both.remove("cited_expected")
        both = [p for p in both if p in ("outcome", "rank") or (a[p] is not None and b[p] is not None)]  # None: not measured there
        parts = [f"{label} {_describe(part, a[part])} -> {_describe(part, b[part])}" for part, label in PARTS if part in both and a[part] != b[part]]
        if parts:
            scores = f"  [score {_describe('score', a['score'])} -> {_describe('score', b['score'])}]"
            changed.append(((b["score"] or 0) - (a["score"] or 0), qid, f"{qid} ({'answerable' if b['answerable'] else 'unanswerable'}): " + "; ".join(parts) + scores))
    changed.sort()
    lines += ["", f"Questions whose outcome changed: {len(changed)}" + (" (worst first)" if changed else "")]
    lines += [f"  {'worse  ' if delta < 0 else 'better ' if delta > 0 else 'changed'} {text}" for delta, _, text in changed]
    for label, ids in (("only in old", before.keys() - after.keys()), ("only in new", after.keys() - before.keys())):
        if ids:
            lines.append(f"Questions {label}: {', '.join(sorted(ids))}")
    return "\n".join(lines)
