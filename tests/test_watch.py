"""Live sync: the index follows the notes folder (add, edit, rename, delete) through the watcher and
Pipeline.update, with the real embedder; only changed chunks are embedded, a rename embeds nothing,
a deleted note's passages never come back, and a crash or kill at any point leaves a loadable index."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import FakeEmbedder, FakeGenerator, write_notes
from rag.config import Config
from rag.pipeline import Pipeline
from rag.store import faiss_store
from rag.store.faiss_store import FaissStore, notes_key
from rag.watch import Watcher

NOTES = {
    "trains.md": "# Trains\n\n## Japan\nThe Shinkansen bullet train opened in 1964 between Tokyo and Osaka.\n\n"
    "## France\nThe TGV high-speed train started service in 1981 between Paris and Lyon.\n",
    "bread.md": "# Bread\nSourdough bread needs a starter that is fed with flour and water every day.\n",
}
# Generous for a shared two-core machine; the benchmark (eval/bench_sync.py) measures the real latency.
WAIT_S = 30


class Counting:
    """The real embedder, remembering which texts the index asked it to embed (not the queries)."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.backend = inner, inner.name, inner.dim, inner.backend
        self.indexed: list[str] = []

    def encode(self, texts, progress=False):
        if len(texts) != 1 or "\n" in texts[0]:  # chunks carry their heading path on a first line
            self.indexed += list(texts)
        return self.inner.encode(texts, progress)


@pytest.fixture
def live(tmp_path, real_embedder):
    """A prepared pipeline over a small notes folder, its watcher running, and a queue of its updates."""
    notes = write_notes(tmp_path / "notes", NOTES)
    embedder = Counting(real_embedder)
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=embedder, generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    updates: queue.Queue = queue.Queue()
    watcher = Watcher(pipeline, on_update=lambda report, seconds: updates.put(report), log=lambda m: None).start()
    assert watcher.ready.wait(WAIT_S)
    embedder.indexed.clear()
    yield pipeline, notes, updates, embedder
    watcher.stop()


def files_found(pipeline, query, k=10):
    return [(p.file, p.text) for p in pipeline.retrieve(query, k)]


def test_watch_follows_add_edit_rename_and_delete(live):
    pipeline, notes, updates, embedder = live

    # add: the new note's one chunk is embedded and answers at once
    (notes / "coffee.md").write_text("# Coffee\nAn espresso is brewed by forcing hot water through finely ground coffee.\n")
    report = updates.get(timeout=WAIT_S)
    assert report.changes["added"] == ["coffee.md"] and report.embedded == 1
    assert files_found(pipeline, "how is espresso brewed?")[0][0] == "coffee.md"

    # edit one section of two: only that section's chunk is embedded again
    embedder.indexed.clear()
    (notes / "trains.md").write_text(NOTES["trains.md"].replace("Paris and Lyon", "Paris and Lyon, reaching 270 km/h"))
    report = updates.get(timeout=WAIT_S)
    assert report.changes["changed"] == ["trains.md"]
    assert report.embedded == 1 and len(embedder.indexed) == 1 and "270 km/h" in embedder.indexed[0]
    top = files_found(pipeline, "How fast was the TGV?")[0]
    assert top[0] == "trains.md" and "270 km/h" in top[1]
    assert not any(text.endswith("Paris and Lyon.") for _, text in files_found(pipeline, "TGV Paris Lyon"))

    # rename: vectors move by content hash, nothing is embedded
    embedder.indexed.clear()
    (notes / "bread.md").rename(notes / "baking.md")
    report = updates.get(timeout=WAIT_S)
    assert report.changes["renamed"] == [["bread.md", "baking.md"]]
    assert report.embedded == 0 and embedder.indexed == []
    found = files_found(pipeline, "What does sourdough need?")
    assert found[0][0] == "baking.md" and "bread.md" not in {f for f, _ in found}

    # delete: its passages are gone, and stay gone after a restart
    (notes / "coffee.md").unlink()
    report = updates.get(timeout=WAIT_S)
    assert report.changes["removed"] == ["coffee.md"] and report.deleted == 1 and report.embedded == 0
    assert "coffee.md" not in {f for f, _ in files_found(pipeline, "espresso coffee hot water", k=50)}
    restarted = Pipeline(pipeline.config, embedder=pipeline.embedder, generator=FakeGenerator(), log=lambda m: None)
    again = restarted.prepare()
    assert again.embedded == 0 and not again.rebuilt  # the saved index already matches the folder
    assert {p["file"] for p in restarted.store.payloads().values()} == {"trains.md", "baking.md"}
    assert "coffee.md" not in {f for f, _ in files_found(restarted, "espresso coffee hot water", k=50)}


def test_a_renamed_folder_moves_its_notes_without_embedding(tmp_path):
    notes = write_notes(tmp_path / "notes", {"a.md": "# A\nAlpha text here.\n", "trips/japan.md": "# Japan\nKyoto has many temples.\n", "trips/peru.md": "# Peru\nMachu Picchu is in the Andes.\n"})
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    (notes / "trips").rename(notes / "travel")
    report = pipeline.update([notes / "trips", notes / "travel"])  # a folder rename: the watcher may report only the folders
    assert report.embedded == 0 and sorted(map(tuple, report.changes["renamed"])) == [("trips/japan.md", "travel/japan.md"), ("trips/peru.md", "travel/peru.md")]
    assert {p["file"] for p in pipeline.store.payloads().values()} == {"a.md", "travel/japan.md", "travel/peru.md"}
    assert pipeline.retrieve("Kyoto temples", 1, where={"folder": "travel"})[0].file == "travel/japan.md"


def test_an_update_only_reads_the_changed_files(tmp_path, monkeypatch):
    notes = write_notes(tmp_path / "notes", {f"n{i}.md": f"# Note {i}\nText number {i}.\n" for i in range(30)})
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    read = []
    import rag.notes

    original = rag.notes.read_note_file
    monkeypatch.setattr(rag.notes, "read_note_file", lambda path, *a, **k: read.append(Path(path).name) or original(path, *a, **k))
    (notes / "n7.md").write_text("# Note 7\nText number seven, edited.\n")
    report = pipeline.update([notes / "n7.md"])
    assert read == ["n7.md"] and report.embedded == 1 and report.changes["changed"] == ["n7.md"]
    assert pipeline.report.files == 30


def test_a_bad_file_saved_into_the_folder_is_listed_as_skipped(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    (notes / "bread.md").write_bytes(b"\x00\x01\x02 not text")
    pipeline.update([notes / "bread.md"])
    assert [s.name for s in pipeline.report.skipped] == ["bread.md"] and "binary" in pipeline.report.skipped[0].reason
    assert "bread.md" not in {p["file"] for p in pipeline.store.payloads().values()}
    assert [s["file"] for s in pipeline.health()["skipped"]] == ["bread.md"]


def test_a_crash_inside_commit_leaves_the_previous_index_loadable(tmp_path, monkeypatch):
    notes = write_notes(tmp_path / "notes", NOTES)
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    root = tmp_path / "index" / notes_key(notes)
    before = FaissStore.load(root).payloads()

    class Died(BaseException):
        """The process dying mid-write (an OSError is handled: the index then answers from memory)."""

    def crash(*args, **kwargs):
        raise Died()

    (notes / "bread.md").write_text("# Bread\nRye bread is dense and dark.\n")
    monkeypatch.setattr(faiss_store.np, "save", crash)  # dies between writing chunks.jsonl and vectors.npy
    with pytest.raises(Died):
        pipeline.update([notes / "bread.md"])
    assert FaissStore.load(root).payloads() == before  # the live build is untouched
    assert any(p["text"].startswith("Sourdough") for p in pipeline.store.payloads().values())  # and so is what answers
    monkeypatch.undo()
    report = pipeline.update([notes / "bread.md"])
    assert report.embedded == 1
    texts = {p["text"] for p in FaissStore.load(root).payloads().values()}
    assert "Rye bread is dense and dark." in texts and not any(t.startswith("Sourdough") for t in texts)
    assert not [p for p in root.iterdir() if p.name.endswith(".partial")]  # the broken build was cleared away


CHILD = textwrap.dedent(
    """
    import sys, itertools
    sys.path[:0] = [{tests!r}, {root!r}]
    from pathlib import Path
    from conftest import FakeEmbedder, FakeGenerator
    from rag.config import Config
    from rag.pipeline import Pipeline
    notes = Path({notes!r})
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=Path({index!r})), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    print("ready", flush=True)
    for i in itertools.count():
        (notes / "bread.md").write_text(f"# Bread\\nVersion {{i}} of the bread note.\\n\\n## More\\nLine {{i}} more.\\n")
        (notes / f"extra{{i % 3}}.md").write_text(f"# Extra\\nExtra note {{i}}.\\n")
        pipeline.update([notes / "bread.md", notes / f"extra{{i % 3}}.md"])
    """
)


def test_killing_the_process_mid_sync_leaves_a_loadable_index(tmp_path):
    from rag.config import PROJECT_ROOT

    notes = write_notes(tmp_path / "notes", NOTES)
    index = tmp_path / "index"
    script = CHILD.format(tests=str(Path(__file__).parent), root=str(PROJECT_ROOT), notes=str(notes), index=str(index))
    root = index / notes_key(notes)
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(delay)  # somewhere inside an update: reading, embedding, writing a build or swapping CURRENT
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        store = FaissStore.load(root)  # raises IndexStoreError if the live build were half-written
        assert len(store) == store.get_manifest()["counts"]["chunks"] > 0
        files = {p["file"] for p in store.payloads().values()}
        assert {"trains.md", "bread.md"} <= files
    # and the next start brings it up to date with the folder as the kill left it
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=index), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    from rag.notes import read_notes

    on_disk = {c.text for c in pipeline._chunks(read_notes(notes).sections)}  # the kill may have cut a note short
    assert on_disk == {p["text"] for p in pipeline.store.payloads().values()}


def test_the_chat_engine_follows_the_folder_and_answers_from_the_new_note(tmp_path):
    from conftest import fake_pipeline
    from web.handlers import ChatHandlers, Engine

    notes = write_notes(tmp_path / "notes", NOTES)
    engine = Engine(fake_pipeline(notes, tmp_path / "index", reply="Kyoto is famous for its old wooden temples and gardens."), log=lambda m: None, watch=True)
    handlers = ChatHandlers(engine)
    engine.start().wait(60)
    try:
        assert engine.watcher is not None and engine.watcher.ready.wait(WAIT_S)
        (notes / "kyoto.md").write_text("# Kyoto\nKyoto is famous for its old wooden temples and gardens.\n")
        deadline = time.time() + WAIT_S
        while engine.last_change is None and time.time() < deadline:
            time.sleep(0.05)
        assert engine.last_change and "1 file, 1 chunks embedded" in engine.last_change
        assert "Notes changed" in engine.status_markdown() and engine.status["files"] == 3
        *_, (_, chat, turns, panel) = handlers.respond("What is Kyoto famous for?", [])
        answer = turns[0]["answer"]
        assert answer.passages[0].file == "kyoto.md"
        assert not answer.abstained and answer.citations[0].file == "kyoto.md", answer.abstain_reason
        assert "kyoto.md" in handlers.notes_tab() and "added kyoto.md" in handlers.notes_tab()
    finally:
        engine.stop()


def test_python_m_rag_watch_prints_each_change(tmp_path):
    from rag.config import PROJECT_ROOT

    notes = write_notes(tmp_path / "notes", NOTES)
    command = [sys.executable, "-m", "rag", "watch", "--notes", str(notes), "--index-dir", str(tmp_path / "index")]
    child = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = [child.stdout.readline() for _ in range(2)]
        assert lines[0].startswith("Indexed") and lines[1].startswith("Watching")
        time.sleep(1.5)  # the watch is set up and has checked the folder once
        (notes / "bread.md").unlink()
        line = child.stdout.readline()
        assert "removed: bread.md" in line and "0 chunks embedded" in line and "1 removed" in line
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(30)
