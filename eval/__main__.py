"""Command line for the evaluator.

    python -m eval --questions FILE --notes DIR --out DIR [--retrieval-only] [--limit N] [--model M] [--top-k K]
    python -m eval all [--split dev|report|all] [--retrieval-only] [--out DIR] [--collections a,b] [--index-dir DIR]
    python -m eval compare OLD_DIR NEW_DIR

Errors a user can fix (missing notes, a bad question file) print one message and exit with code 2;
Ctrl-C still writes the reports for the questions done and exits with 130.
"""
from __future__ import annotations

import argparse
import os
import sys

from rag import generators
from rag.config import Config
from rag.errors import RagError

HEADLINE = ("hit@3", "mrr", "citation_precision", "citation_recall", "abstention_accuracy", "false_abstention_rate", "key_fact_recall", "answer_sentence_found", "uncited_sentences", "total_s_p50")


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eval",
        description="Run a file of questions against your notes and report how far to trust the answers. "
        "To compare two runs: python -m eval compare OLD_DIR NEW_DIR",
    )
    parser.add_argument("--questions", required=True, help="question file, JSONL (format: eval/README.md)")
    parser.add_argument("--notes", help="folder of notes (default: corpus/)")
    parser.add_argument("--out", required=True, help="folder for results.jsonl and report.json/md/png (created)")
    parser.add_argument("--retrieval-only", action="store_true", help="only retrieve (seconds, no answer model): retrieval metrics and latency")
    parser.add_argument("--split", choices=["dev", "report", "all"], default="all", help="only the questions of this split (default: all)")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("--top-k", type=int, help="passages the answer is drawn from (default: 4)")
    parser.add_argument("--index-dir", help="where indexes are kept (default: index/)")
    add_model_options(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """The options a single run and `eval all` share: which models answer, and resuming a run."""
    parser.add_argument("--model", help="answer model: local folder or Hub id (default: packaged SmolLM2-135M)")
    parser.add_argument("--embedding-model", help="sentence-transformers name or folder (default: packaged all-MiniLM-L6-v2)")
    parser.add_argument("--backend", choices=generators.names(), help="generation backend (default: auto)")
    parser.add_argument("--resume", action="store_true", help="keep the questions an earlier, interrupted run into --out finished")


def all_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval all", description="Run every collection (corpus/ with eval/questions.jsonl and "
                                     "eval/conversations.jsonl, each eval/collections/*) and print one table.")
    parser.add_argument("--split", choices=["dev", "report", "all"], default="dev", help="which questions (default: dev; all shows dev and report apart)")
    parser.add_argument("--retrieval-only", action="store_true", help="only retrieve: retrieval metrics and latency, no answer model")
    parser.add_argument("--out", help="folder for summary.json/md and each collection's reports (default: eval/runs/all-<time>)")
    parser.add_argument("--collections", help="comma-separated collection names (default: all; 'default' is corpus/)")
    parser.add_argument("--top-k", type=int, help="passages the answer is drawn from (default: 4)")
    parser.add_argument("--index-dir", help="where indexes are kept, one per notes folder, reused between runs (default: index/)")
    add_model_options(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    return parser


def compare_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval compare", description="Print each metric's change and the questions whose outcome changed.")
    parser.add_argument("old", help="folder of the earlier run (holds report.json)")
    parser.add_argument("new", help="folder of the later run")
    return parser


def positive(parser, value, flag):
    if value is not None and value < 1:
        parser.error(f"{flag} must be at least 1, not {value}")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        if argv[:1] == ["compare"]:
            from eval.compare import compare

            args = compare_parser().parse_args(argv[1:])
            print(compare(args.old, args.new))
            return 0
        if argv[:1] == ["all"]:
            parser = all_parser()
            args = parser.parse_args(argv[1:])
            positive(parser, args.top_k, "--top-k")
            return run_all(args)
        parser = run_parser()
        args = parser.parse_args(argv)
        positive(parser, args.limit, "--limit")
        positive(parser, args.top_k, "--top-k")
        return run(args)
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run(args) -> int:
    from eval.questions import load_questions
    from eval.run import run_eval
    from rag.pipeline import Pipeline

    from eval.questions import select_split

    questions = select_split(load_questions(args.questions), args.split)  # a bad file fails before any model loads
    if not questions:
        print(f"error: {args.questions} has no questions in the split '{args.split}'.", file=sys.stderr)
        return 2
    config = Config.from_env(notes_dir=args.notes, index_dir=args.index_dir, embedding_model=args.embedding_model,
                             generator_model=args.model, generator_backend=args.backend)
    pipeline = Pipeline(config, progress=sys.stderr.isatty() and not args.no_progress)
    report = run_eval(pipeline, questions, args.out, retrieval_only=args.retrieval_only, limit=args.limit, top_k=args.top_k,
                      progress=not args.no_progress, questions_file=args.questions, resume=args.resume)
    from eval.report import fmt

    shown = [f"{name} {fmt(name, report['metrics'][name])}" for name in HEADLINE if report["metrics"].get(name) is not None]
    print("  ".join(shown))
    counts = report["counts"]
    if counts["errors"]:
        print(f"{counts['errors']} of {counts['questions']} questions failed: their errors are in results.jsonl and report.md.")
    print(f"Wrote {args.out}/results.jsonl, report.json, report.md and report.png")
    return 130 if report["settings"]["interrupted"] else 0


def run_all(args) -> int:
    import time

    from eval.questions import load_questions
    from eval.suite import choose, console_table, find_collections, run_suite
    from rag.pipeline import Pipeline

    collections = choose(find_collections(), args.collections)
    if not collections:
        print("error: no collection found (corpus/ with eval/questions.jsonl, or eval/collections/*/notes with questions.jsonl).", file=sys.stderr)
        return 2
    for collection in collections:  # every question file is checked before any model loads
        for questions_file in collection.sets.values():
            load_questions(questions_file)
    out = args.out or f"eval/runs/all-{time.strftime('%Y%m%d-%H%M%S')}"
    progress = sys.stderr.isatty() and not args.no_progress

    def make_pipeline(notes_dir, shared):
        config = Config.from_env(notes_dir=notes_dir, index_dir=args.index_dir, embedding_model=args.embedding_model,
                                 generator_model=args.model, generator_backend=args.backend)
        if shared is None:
            return Pipeline(config, progress=progress)
        return Pipeline(config, embedder=shared.embedder, generator=shared._generator, progress=progress)  # models load once

    try:
        summary = run_suite(make_pipeline, collections, out, split=args.split, retrieval_only=args.retrieval_only, top_k=args.top_k,
                            progress=not args.no_progress, resume=args.resume)
    except KeyboardInterrupt:
        print(f"Interrupted; {out}/summary.md covers what was done. Go on with --resume --out {out}.", file=sys.stderr)
        return 130
    print(console_table(summary))
    failed = sum(r["errors"] for r in summary["runs"])
    if failed:
        print(f"{failed} question(s) failed: their errors are in the collections' results.jsonl and report.md.")
    print(f"Wrote {out}/summary.md and summary.json, and each collection's reports under {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
