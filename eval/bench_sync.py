"""Live-sync benchmark on a large notes folder: full build, no-change start-up, edit-to-searchable.

    python -m eval.bench_sync --notes eval/collections/til-jbranchaud/notes [--before 4700b8c] [--edits 5] [--out FILE]

Works on a copy of the notes (the folder given is never changed) and a fresh index folder, and measures:

| key | unit | what |
|---|---|---|
| `build_s`, `build_peak_rss_mb` | s, MB | full index build from scratch (`Pipeline.prepare`), fresh child process; peak RSS of that process |
| `build_process_s` | s | the same child's wall time, imports and model load included |
| `before.*` | | the same two figures for the code at `--before` (a `git worktree` of that commit, run the same way) |
| `nochange_start_s`, `nochange_embedded` | s, chunks | a fresh process opening the built index over unchanged notes: time of `prepare()`, chunks embedded (0) |
| `full_check_s` | s | `prepare()` in a warm process with nothing changed: read and hash every file, compare (what each change would cost without the per-file path) |
| `edit_to_searchable_s` (p50, max) | s | a sentence on a new topic appended to a note and saved, to that note's new passage being retrieved (top_k) for a question about the topic, with the folder watcher running (target: 2 s) |
| `edit_embedded`, `edit_file_chunks` | chunks | chunks embedded by each edit, and how many chunks the edited note has (only the changed ones should be embedded) |
| `rename_embedded`, `rename_to_searchable_s` | chunks, s | a note renamed: chunks embedded (0: vectors move by content hash) and time until it is found under its new name |
| `delete_gone_s`, `deleted_found_after` | s, hits | a note deleted: time until none of its passages is found, and hits from it afterwards in the running process and after a restart (0) |

Prints a table and writes the JSON (`--out`, default eval/runs/bench_sync.json). Timings on a shared
machine are noisy; the JSON records the load average before and after.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag.config import PROJECT_ROOT, Config

DEFAULT_NOTES = PROJECT_ROOT / "eval" / "collections" / "til-jbranchaud" / "notes"
DEFAULT_BEFORE = "4700b8c"
TARGET_EDIT_S = 2.0
# How often the benchmark asks whether an edit is searchable yet (s); small next to the 2 s target.
POLL_S = 0.02
# Distinct topics, one per edit: made-up words that differ by a digit embed alike, real words do not.
TOPICS = ["saxophone quartet", "volcano eruption", "origami crane", "lighthouse keeper", "penguin colony",
          "glacier hiking", "tapestry weaving", "beekeeping hive", "telescope mirror", "marathon training"]

# Run in a child process, with the code of `root` first on sys.path: build or open the index, report.
CHILD = r"""
import json, resource, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from rag.config import Config
from rag.pipeline import Pipeline
pipeline = Pipeline(Config(notes_dir=sys.argv[2], index_dir=sys.argv[3]), log=lambda m: None)
pipeline.embedder  # load the model first: prepare() is timed alone
t = time.perf_counter()
report = pipeline.prepare()
seconds = time.perf_counter() - t
print(json.dumps({"prepare_s": round(seconds, 3), "process_s": round(time.perf_counter() - started, 3), "files": report.files,
                  "chunks": report.chunks, "embedded": report.embedded, "rebuilt": report.rebuilt,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def child(root: Path, notes: Path, index: Path) -> dict:
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(notes), str(index)], capture_output=True, text=True, cwd=root, env=env, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"the child in {root} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def before_tree(commit: str) -> Path | None:
    """A worktree of `commit` (reused if /tmp/before already is one), or None if git cannot make it."""
    target = Path("/tmp/before")
    head = subprocess.run(["git", "-C", str(target), "rev-parse", "HEAD"], capture_output=True, text=True)
    want = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", commit], capture_output=True, text=True)
    if want.returncode != 0:
        return None
    if head.returncode == 0 and head.stdout.strip() == want.stdout.strip():
        return target
    if target.exists():
        target = Path(tempfile.mkdtemp(prefix="before-"))
        target.rmdir()
    made = subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "add", "--detach", str(target), commit], capture_output=True, text=True)
    return target if made.returncode == 0 else None


def searchable(pipeline, question: str, file: str, needle: str, timeout: float = 60) -> float | None:
    """Seconds until `file`'s passage holding `needle` is among the passages an answer to `question` is
    built from (the top_k retrieved; None: not within timeout)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if any(hit.file == file and needle in hit.text for hit in pipeline.retrieve(question)):
            return time.perf_counter() - started
        time.sleep(POLL_S)
    return None


def live_figures(notes: Path, index: Path, edits: int) -> dict:
    from rag.pipeline import Pipeline
    from rag.watch import Watcher

    pipeline = Pipeline(Config(notes_dir=notes, index_dir=index), log=lambda m: None)
    pipeline.prepare()
    t = time.perf_counter()
    pipeline.prepare()  # nothing changed: read and hash every file, compare with the manifest
    full_check_s = time.perf_counter() - t
    updates: queue.Queue = queue.Queue()
    watcher = Watcher(pipeline, on_update=lambda report, seconds: updates.put((report, seconds)), log=lambda m: None).start()
    watcher.ready.wait(120)
    files = sorted(pipeline.notes)
    chosen = [files[(k * 7919) % len(files)] for k in range(edits + 2)]
    out: dict = {"full_check_s": round(full_check_s, 3), "edits": []}

    def drained(wait: float = 1.0) -> list:
        """Every index update since the last call (a save can arrive as more than one)."""
        reports, deadline = [], time.perf_counter() + wait
        while True:
            try:
                reports.append(updates.get(timeout=max(deadline - time.perf_counter(), 0.01)))
            except queue.Empty:
                return reports

    for k, name in enumerate(chosen[:edits]):
        topic = TOPICS[k % len(TOPICS)]
        chunks_before = sum(1 for p in pipeline.store.payloads().values() if p["file"] == name)
        with open(notes / name, "a", encoding="utf-8") as note:
            note.write(f"\n\nAbout the {topic}: the {topic} trick is to keep the {topic} notes in one place.\n")
        latency = searchable(pipeline, f"What is the {topic} trick?", name, topic)
        reports = drained()
        out["edits"].append({
            "file": name, "topic": topic, "seconds": None if latency is None else round(latency, 3),
            "updates": len(reports), "update_s": [round(s, 3) for _, s in reports],
            "embedded": sum(r.embedded for r, _ in reports),
            "file_chunks": sum(1 for p in pipeline.store.payloads().values() if p["file"] == name),
            "file_chunks_before": chunks_before, "total_chunks": pipeline.report.chunks,
        })

    # rename: vectors move, nothing is embedded
    old = chosen[edits]
    new = "renamed-" + old.replace("/", "-")
    first = next(p for p in pipeline.store.payloads().values() if p["file"] == old)
    (notes / old).rename(notes / new)
    renamed_s = searchable(pipeline, first["text"][:300], new, first["text"][:40])
    reports = drained()
    out["rename"] = {"from": old, "to": new, "embedded": sum(r.embedded for r, _ in reports), "updates": len(reports),
                     "renamed": [r.changes.get("renamed") for r, _ in reports], "seconds": None if renamed_s is None else round(renamed_s, 3)}

    # delete: none of its passages may come back
    gone = chosen[edits + 1]
    texts = [p["text"] for p in pipeline.store.payloads().values() if p["file"] == gone]
    saved = time.perf_counter()
    (notes / gone).unlink()
    report, _ = updates.get(timeout=60)
    gone_s = time.perf_counter() - saved
    reports = [(report, 0)] + drained()
    found = sum(1 for text in texts for hit in pipeline.retrieve(text[:300], 10) if hit.file == gone)
    out["delete"] = {"file": gone, "chunks": len(texts), "deleted": sum(r.deleted for r, _ in reports), "seconds": round(gone_s, 3), "found_after": found, "texts": [t[:300] for t in texts]}
    watcher.stop()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_sync", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=Path, default=DEFAULT_NOTES, help="notes folder (copied; never changed)")
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="commit to compare the full build with ('none' to skip)")
    parser.add_argument("--edits", type=int, default=5, help="notes edited in watch mode")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "eval" / "runs" / "bench_sync.json")
    parser.add_argument("--seed-index", type=Path, help="an index folder of the same notes to start from (vectors reused by content hash): skips timing the full build")
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    notes = Path(shutil.copytree(args.notes, work / "notes"))
    result: dict = {"notes": str(args.notes), "load_before": os.getloadavg()[0], "cpus": os.cpu_count()}
    try:
        if args.before != "none":
            tree = before_tree(args.before)
            if tree is None:
                result["before"] = {"error": f"could not check out {args.before}"}
            else:
                try:
                    built = child(tree, notes, work / "index-before")
                    again = child(tree, notes, work / "index-before")
                    result["before"] = {"commit": args.before, "build_s": built["prepare_s"], "build_process_s": built["process_s"],
                                        "build_peak_rss_mb": built["peak_rss_mb"], "chunks": built["chunks"], "files": built["files"],
                                        "nochange_start_s": again["prepare_s"], "nochange_embedded": again["embedded"]}
                except RuntimeError as error:
                    result["before"] = {"commit": args.before, "error": str(error)[-500:]}
        if args.seed_index:
            from rag.store.faiss_store import notes_key

            shutil.copytree(args.seed_index, work / "index" / notes_key(notes))
            result["seeded_from"] = str(args.seed_index)
        built = child(PROJECT_ROOT, notes, work / "index")
        again = child(PROJECT_ROOT, notes, work / "index")
        result.update(build_s=built["prepare_s"], build_process_s=built["process_s"], build_peak_rss_mb=built["peak_rss_mb"],
                      files=built["files"], chunks=built["chunks"], embedded=built["embedded"],
                      nochange_start_s=again["prepare_s"], nochange_process_s=again["process_s"], nochange_embedded=again["embedded"])
        live = live_figures(notes, work / "index", args.edits)
        restarted = child(PROJECT_ROOT, notes, work / "index")
        result["after_edits_restart_embedded"] = restarted["embedded"]
        result["live"] = live
        # a deleted note's passages after a restart: search the saved index for each of them
        from rag.pipeline import Pipeline

        fresh = Pipeline(Config(notes_dir=notes, index_dir=work / "index"), log=lambda m: None)
        fresh.prepare()
        result["deleted_found_after_restart"] = sum(1 for text in live["delete"]["texts"] for hit in fresh.retrieve(text, 10) if hit.file == live["delete"]["file"])
        seconds = [e["seconds"] for e in live["edits"] if e["seconds"] is not None]
        result.update(
            full_check_s=live["full_check_s"],
            edit_to_searchable_p50_s=round(statistics.median(seconds), 3) if seconds else None,
            edit_to_searchable_max_s=max(seconds) if seconds else None,
            edits_searchable=f"{len(seconds)}/{len(live['edits'])}",
            edit_embedded=[e["embedded"] for e in live["edits"]],
            edit_file_chunks=[e["file_chunks"] for e in live["edits"]],
            rename_embedded=live["rename"]["embedded"], rename_to_searchable_s=live["rename"]["seconds"],
            delete_gone_s=live["delete"]["seconds"], deleted_found_after=live["delete"]["found_after"],
        )
    finally:
        result["load_after"] = os.getloadavg()[0]
        shutil.rmtree(work, ignore_errors=True)
    print_table(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten {args.out}")
    return 0


def print_table(r: dict) -> None:
    before = r.get("before", {})
    rows = [
        ("notes files / chunks", f"{r.get('files')} / {r.get('chunks')}", f"{before.get('files', '-')} / {before.get('chunks', '-')}", ""),
        ("full build, prepare() s", r.get("build_s"), before.get("build_s", before.get("error", "-")), ""),
        ("full build, whole process s", r.get("build_process_s"), before.get("build_process_s", "-"), ""),
        ("full build peak RSS MB", r.get("build_peak_rss_mb"), before.get("build_peak_rss_mb", "-"), ""),
        ("no-change start-up, prepare() s", r.get("nochange_start_s"), before.get("nochange_start_s", "-"), ""),
        ("no-change start-up, chunks embedded", r.get("nochange_embedded"), before.get("nochange_embedded", "-"), "0"),
        ("whole-folder check, warm s", r.get("full_check_s"), "", ""),
        ("edit to searchable p50 / max s", f"{r.get('edit_to_searchable_p50_s')} / {r.get('edit_to_searchable_max_s')} ({r.get('edits_searchable')})", "", f"<= {TARGET_EDIT_S}"),
        ("chunks embedded per edit", str(r.get("edit_embedded")), "", "changed only"),
        ("chunks of each edited note", str(r.get("edit_file_chunks")), "", ""),
        ("rename: embedded / searchable s", f"{r.get('rename_embedded')} / {r.get('rename_to_searchable_s')}", "", "0"),
        ("delete: gone after s / hits after", f"{r.get('delete_gone_s')} / {r.get('deleted_found_after')}", "", "0 hits"),
        ("deleted note's hits after restart", r.get("deleted_found_after_restart"), "", "0"),
        ("restart after the edits: embedded", r.get("after_edits_restart_embedded"), "", "0"),
    ]
    print(f"| figure | now | before ({before.get('commit', '-')}) | target |\n|---|---|---|---|")
    for name, now, then, target in rows:
        print(f"| {name} | {now} | {then} | {target} |")
    print(f"\nload average {r.get('load_before')} before, {r.get('load_after')} after, {r.get('cpus')} CPUs")


if __name__ == "__main__":
    sys.exit(main())
