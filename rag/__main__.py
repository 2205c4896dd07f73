"""Command line: `python -m rag index` builds or refreshes the index; `python -m rag ask "..."` answers.

Errors a user can fix are printed on one line and exit with code 2; nothing else is caught.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from rag import generators
from rag.answer import Draft
from rag.config import Config
from rag.errors import RagError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m rag", description="Ask questions of your markdown notes, with cited answers.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--notes", help="folder of .md/.markdown/.txt notes (default: corpus/)")
    common.add_argument("--index-dir", help="where indexes are kept (default: index/)")
    common.add_argument("--embedding-model", help="sentence-transformers name or folder (default: packaged all-MiniLM-L6-v2)")
    common.add_argument("--model", help="answer model: local folder or Hub id (default: packaged SmolLM2-135M)")
    common.add_argument("--backend", choices=generators.names(), help="generation backend (default: auto)")
    commands = parser.add_subparsers(dest="command", required=True)
    index = commands.add_parser("index", parents=[common], help="build or refresh the index")
    index.add_argument("--rebuild", action="store_true", help="re-embed everything even if nothing changed")
    ask = commands.add_parser("ask", parents=[common], help="answer a question from the notes")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the whole answer object as JSON")
    ask.add_argument("--top-k", type=int, help="passages to retrieve")
    ask.add_argument(
        "--where", action="append", metavar="KEY=VALUE", default=[],
        help="only passages from notes with this tag, in this folder, file or under this heading: "
        "tag=git, folder=projects/web, file=git/rebase.md, heading=Setup (repeat: all must hold)",
    )
    return parser.parse_args(argv)


def config_from(args) -> Config:
    return Config.from_env(
        notes_dir=args.notes,
        index_dir=args.index_dir,
        embedding_model=args.embedding_model,
        generator_model=args.model,
        generator_backend=args.backend,
    )


def run_index(pipeline, args) -> None:
    report = pipeline.prepare(rebuild=args.rebuild)
    verb = "Indexed" if report.rebuilt else "Index up to date for"
    print(
        f"{verb} {pipeline.config.notes_dir}: {report.files} files, {report.sections} sections "
        f"({report.empty_sections} empty), {report.chunks} chunks ({report.embedded} embedded now) in {report.seconds:.1f} s"
    )
    print_skipped(report)


# More than this many skipped files or remarks are summed up in one line, not listed.
LIST_AT_MOST = 20


def print_skipped(report, out=None) -> None:
    """'skipped N files:' with each file's reason, and the files read with a remark; nothing when all is well."""
    out = out or sys.stdout
    for title, rows in (
        (f"skipped {len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''}:", [(s.name, s.reason) for s in report.skipped]),
        (f"read with a remark, {len(report.remarks)} file{'s' if len(report.remarks) != 1 else ''}:", report.remarks),
    ):
        if not rows:
            continue
        print(title, file=out)
        for name, why in rows[:LIST_AT_MOST]:
            print(f"  {name}: {why}", file=out)
        if len(rows) > LIST_AT_MOST:
            print(f"  … and {len(rows) - LIST_AT_MOST} more", file=out)


def parse_where(pairs: list[str]) -> dict | None:
    """['tag=#Git', 'folder=web/'] -> {'tag': 'git', 'folder': 'web'}; QuestionError for an unknown key or no '='."""
    from rag.errors import QuestionError
    from rag.store.base import WHERE_KEYS

    where = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in WHERE_KEYS or not value:
            raise QuestionError(f"--where takes KEY=VALUE with KEY one of {', '.join(WHERE_KEYS)} (got '{pair}'), e.g. --where tag=git.")
        if key == "tag":
            value = value.lstrip("#").lower()  # tags are stored lower-case, without '#'
        elif key in ("folder", "file"):
            value = value.replace("\\", "/").strip("/")
        if key in where:
            raise QuestionError(f"--where {key}= is given twice; give each key once.")
        where[key] = value
    return where or None


def run_ask(pipeline, args) -> None:
    pipeline._check_question(args.question)  # before loading any model: an empty question needs no wait
    where = parse_where(args.where)
    pipeline.prepare()
    stream_draft = not args.json and sys.stdout.isatty()
    for event in pipeline.stream(args.question, top_k=args.top_k, where=where):
        if isinstance(event, Draft):
            if stream_draft:
                print(event.text, end="", flush=True)
            continue
        answer = event.answer
    if stream_draft:
        print("\r\033[K" if "\n" not in answer.draft else "\n", end="")  # the checked answer replaces the draft
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    print(answer.text)
    if answer.citations:
        print()
        for c in answer.citations:
            print(f"{c.label} (line {c.line_start})")
    elif answer.nearest and answer.mode == "empty_section":
        pass
    if answer.dropped:
        print(f"\n({len(answer.dropped)} sentence(s) of the model's draft were dropped: the notes do not back them.)")
    t = answer.timings
    first = f", first token {t['first_token_s']:.2f} s" if t.get("first_token_s") else ""
    speed = f", {t['tokens_per_s']:.0f} tokens/s" if t.get("tokens_per_s") else ""
    print(f"\n({t['total_s']:.2f} s: retrieval {t['retrieve_s'] * 1000:.0f} ms{first}{speed})", file=sys.stderr)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from rag.pipeline import Pipeline

        pipeline = Pipeline(config_from(args), progress=sys.stderr.isatty())
        (run_index if args.command == "index" else run_ask)(pipeline, args)
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    sys.exit(main())
