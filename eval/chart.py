"""report.png: a run at a glance. Quality metrics as bars (0 to 1, green is good), every question's
latency as a dot with p50/p95 marked, and the mean score of each kind of question.

Drawn with matplotlib's Agg backend (no display needed); report.py calls `draw(report, rows, path)`.
"""
from __future__ import annotations

import random
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

from eval.report import METRICS, fmt  # noqa: E402

GOOD, BAD, NEUTRAL, GREY = "#2e7d32", "#c62828", "#1565c0", "#9e9e9e"
TIMINGS = [("retrieve_s", "retrieval"), ("first_token_s", "first token"), ("total_s", "checked answer")]


def _quality_colour(value: float, higher_is_better: bool) -> str:
    good = value if higher_is_better else 1 - value
    return GOOD if good >= 0.75 else NEUTRAL if good >= 0.5 else BAD


def draw(report: dict, rows: list[dict], path: Path) -> None:
    figure = plt.figure(figsize=(14, 7.5), dpi=110)
    grid = figure.add_gridspec(2, 2, width_ratios=[1.15, 1], height_ratios=[1, 1], wspace=0.75, hspace=0.55)
    _metric_bars(figure.add_subplot(grid[:, 0]), report["metrics"])
    _latency(figure.add_subplot(grid[0, 1]), report, rows)
    _kinds(figure.add_subplot(grid[1, 1]), report["by_kind"])
    s, c, models = report["settings"], report["counts"], report["models"]
    what = "retrieval only" if s["retrieval_only"] else f"answers: {models['generator']}"
    figure.suptitle(
        f"Evaluation of {c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} not)   ·   {what}   ·   "
        f"notes {report['notes']['hash'][:8]}   ·   {report['created'][:16].replace('T', ' ')}"
        + (f"   ·   {c['errors']} FAILED" if c["errors"] else ""),
        fontsize=11, fontweight="bold", color=BAD if c["errors"] else "black",
    )
    figure.savefig(path, bbox_inches="tight")
    plt.close(figure)


def _metric_bars(ax, metrics: dict) -> None:
    names = [n for n, (_, _, is_time) in METRICS.items() if not is_time and n != "tokens_per_s" and metrics.get(n) is not None]
    rows = max(len(names), 8)  # a retrieval-only run has 4 bars: keep them as thin as in a full run, at the top
    y = range(rows - 1, rows - 1 - len(names), -1)
    for i, name in zip(y, names):
        higher = METRICS[name][1]
        value = metrics[name]
        ax.barh(i, 1, color="#eeeeee", height=0.7)
        ax.barh(i, value, color=_quality_colour(value, higher), height=0.7)
        ax.text(1.03, i, f"{value:.2f}", va="center", fontsize=10, fontweight="bold", clip_on=False)
    ax.set_yticks(list(y), [n + ("  (lower is better)" if not METRICS[n][1] else "") for n in names], fontsize=10)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, rows - 0.5)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_title("Quality (1 is perfect)", loc="left", fontsize=11)
    ax.set_xlabel("green: good (≥ 0.75)   blue: fair (≥ 0.5)   red: poor", fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(names) < rows:
        ax.text(0.5, (rows - len(names)) / 2 - 0.5, "answer metrics not measured\n(a retrieval-only run, or no question for them)", ha="center", va="center", color=GREY)


def _latency(ax, report: dict, rows: list[dict]) -> None:
    shown = [(key, label) for key, label in TIMINGS if any(r["timings"].get(key) for r in rows if not r["error"])]
    jitter, labels = random.Random(0), []
    for i, (key, label) in enumerate(shown):
        done = [r for r in rows if not r["error"] and r["timings"].get(key)]
        for declined, colour in ((False, NEUTRAL), (True, GREY)):  # a declined question skips the model: fast
            values = [r["timings"][key] for r in done if bool(r["abstained"]) == declined]
            ax.scatter(values, [i + jitter.uniform(-0.2, 0.2) for _ in values], s=16, alpha=0.6, color=colour, edgecolors="none",
                       label=("declined" if declined else "answered") if i == len(shown) - 1 and values else None)
        p50, p95 = (report["metrics"].get(f"{key}_{q}") for q in ("p50", "p95"))
        for value, style in ((p50, "-"), (p95, "--")):
            if value:
                ax.plot([value, value], [i - 0.32, i + 0.32], style, color="black", linewidth=1.6)
        labels.append(f"{label}\np50 {fmt(key + '_p50', p50)} · p95 {fmt(key + '_p95', p95)}")
    ax.set_yticks(range(len(shown)), labels, fontsize=9)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.set_xscale("log")
    ax.set_xlabel("seconds per question (log scale)")
    if any(r["abstained"] for r in rows):
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    speed = report["metrics"].get("tokens_per_s")
    ax.set_title("Latency: a dot per question; p50 solid, p95 dashed" + (f"; drafting {speed:.0f} tokens/s" if speed else ""), loc="left", fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _kinds(ax, by_kind: dict) -> None:
    kinds = list(by_kind)
    scores = [by_kind[k]["mean_score"] for k in kinds]
    ax.bar(range(len(kinds)), scores, color=[_quality_colour(v, True) for v in scores])
    for i, k in enumerate(kinds):
        ax.text(i, scores[i] + 0.02, f"{scores[i]:.2f}\nn={by_kind[k]['questions']}", ha="center", fontsize=8)
    ax.set_xticks(range(len(kinds)), [k.replace("_", " ") for k in kinds], rotation=25, ha="right", fontsize=9)
    ax.set_ylim(0, 1.25)
    ax.set_xlim(-0.6, max(len(kinds), 5) - 0.4)
    ax.set_yticks([0, 0.5, 1])
    ax.set_title("Mean question score by kind (1 = all handled right)", loc="left", fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
