"""Command line: `python -m rag index` builds or refreshes the index; `python -m rag ask "..."` answers;
`python -m rag watch` keeps the index in step with the folder; `python -m rag status` shows the notes' health.

Errors a user can fix are printed on one line and exit with code 2; nothing else is caught.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time

from rag import generators
from rag.answer import Draft
from rag.config import Config
from rag.errors import RagError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m rag", description="Ask questions of your markdown notes, with cited answers.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--notes", help="folder of .md/.markdown/.mdx/.txt notes (default: corpus/)")
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
    commands.add_parser("watch", parents=[common], help="keep the index in step with the notes folder (add, edit, rename, delete) until Ctrl-C")
    status = commands.add_parser("status", parents=[common], help="the notes' health: files, empty headings, skipped files, tags, last sync, index size")
    status.add_argument("--json", action="store_true", help="print it as JSON")
    return parser.parse_args(argv)


def config_from(args) -> Config:
    return Config.from_env(
        notes_dir=args.notes,
        index_dir=args.index_dir,
        embedding_model=args.embedding_model,
        generator_model=args.model,
        generator_backend=args.backend,
    )


def progress_printer(every: int, out=None):
    """A callback for (files done, files to embed): a tqdm bar in a terminal, else a line every `every`
    files ("indexed 800/1871 files"), so a log or CI shows the build moving too."""
    out = out or sys.stderr
    state = {"bar": None, "shown": 0}

    def show(done: int, total: int) -> None:
        if out.isatty():
            from tqdm import tqdm

            if state["bar"] is None:
                state["bar"] = tqdm(total=total, unit="file", desc="indexing", file=out)
            state["bar"].update(done - state["bar"].n)
            if done >= total:
                state["bar"].close()
                state["bar"] = None
            return
        if done == total or done // every > state["shown"] // every:
            print(f"indexed {done}/{total} files", file=out, flush=True)
        state["shown"] = done

    return show


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


def run_watch(pipeline, args) -> None:
    from rag.watch import Watcher, describe

    run_index(pipeline, argparse.Namespace(rebuild=False))
    print(f"Watching {pipeline.config.notes_dir} (Ctrl-C stops)", flush=True)

    def changed(report, seconds: float) -> None:
        print(f"{time.strftime('%H:%M:%S')} {describe(report)} ({seconds:.2f} s)", flush=True)

    watcher = Watcher(pipeline, on_update=changed)

    def stop(signum, frame) -> None:
        # Ctrl-C lets the update under way finish and the watch close itself, instead of breaking off
        # wherever the program stands (an interrupt raised mid-update, or while the file watcher shuts
        # down, could leave the process hanging); a second Ctrl-C breaks off at once.
        if watcher.stop_event.is_set():
            raise KeyboardInterrupt
        watcher.stop_event.set()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        watcher.run()
    finally:
        watcher.stop_event.set()
        signal.signal(signal.SIGINT, previous)


def run_status(args) -> None:
    from rag import health
    from rag.notes import read_notes
    from rag.store import index_folder, open_store, unanswered_path
    from rag.unanswered import Unanswered

    config = config_from(args)
    found = read_notes(config.notes_dir, config.note_suffixes, config.max_note_bytes)
    store = open_store(config, config.notes_dir)
    kept = Unanswered(unanswered_path(config), config.unanswered_limit).newest_first() if config.keep_unanswered else []
    report = health.collect(config, found.notes, found.sections, found.skipped, store, index_folder(config, config.notes_dir), unanswered=kept)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    print_status(report)


def print_status(report: dict, out=None) -> None:
    from rag.health import last_sync_text, size_text

    out = out or sys.stdout
    say = lambda text="": print(text, file=out)  # noqa: E731
    index = report["index"]
    say(f"Notes in {report['notes_dir']}: {report['files']} files, {report['sections']} sections ({report['empty_sections']} empty), {report['chunks']} chunks indexed")
    state = "up to date" if index["up_to_date"] else f"out of date ({index['reason']}); `python -m rag index` brings it up to date"
    say(f"Index: {state} · {size_text(index['size_bytes'])} on disk in {index['folder']}")
    say(f"Last sync: {last_sync_text(index['last_sync'])}")
    say(f"Models: search and checking by {report['models']['embedding']}; answers by {report['models']['generator']}")
    if report["skipped"]:
        say(f"\nSkipped {len(report['skipped'])} file{'s' if len(report['skipped']) != 1 else ''}:")
        for s in report["skipped"][:LIST_AT_MOST]:
            say(f"  {s['file']}: {s['reason']}")
        if len(report["skipped"]) > LIST_AT_MOST:
            say(f"  … and {len(report['skipped']) - LIST_AT_MOST} more")
    if report["remarks"]:
        say(f"\nRead with a remark, {len(report['remarks'])}:")
        for r in report["remarks"][:LIST_AT_MOST]:
            say(f"  {r['file']}: {r['remark']}")
    groups = report["empty_headings"]
    if groups:
        say(f"\nEmpty headings (nothing written yet), {report['empty_sections']} in {len(groups)} file{'s' if len(groups) != 1 else ''}:")
        for group in groups[:LIST_AT_MOST]:
            say(f"  {group['file']}:")
            for h in group["headings"]:
                say(f"    line {h['line']}: {' › '.join(h['section'])}")
        if len(groups) > LIST_AT_MOST:
            say(f"  … and {len(groups) - LIST_AT_MOST} more files")
    if report["tags"]:
        shown = ", ".join(f"#{t['tag']} ({t['files']})" for t in report["tags"][:40])
        say(f"\nTags ({len(report['tags'])}, files carrying each): {shown}{' …' if len(report['tags']) > 40 else ''}")
    if report["unanswered"]:
        say(f"\nQuestions the notes could not answer, newest first ({len(report['unanswered'])}):")
        for q in report["unanswered"][:LIST_AT_MOST]:
            say(f"  {q['time']}  {q['question']}  ({q['reason']})")
    elif not report["keep_unanswered"]:
        say("\nUnanswered questions are kept only by the running chat; set RAG_KEEP_UNANSWERED=1 to keep them beside the index.")


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

        if args.command == "status":  # reads the notes and the index; loads no model
            run_status(args)
            return 0
        pipeline = Pipeline(config_from(args))
        pipeline.on_progress = progress_printer(pipeline.config.progress_every_files)
        {"index": run_index, "ask": run_ask, "watch": run_watch}[args.command](pipeline, args)
    except RagError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    sys.exit(main())
