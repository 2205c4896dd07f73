"""Batch evaluation: run a file of questions against the notes and measure how far to trust the answers.

    python -m eval --questions eval/questions.jsonl --notes corpus --out eval/runs/NAME
    python -m eval compare eval/runs/OLD eval/runs/NEW

questions.py reads question files, run.py asks them through rag.pipeline.Pipeline, metrics.py scores
the results, report.py and chart.py write report.json/md/png, compare.py diffs two runs. The metric
definitions, with worked examples, are in eval/README.md.
"""
