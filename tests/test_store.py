"""The FAISS store, sync and Pipeline.prepare(): saved indexes round-trip, go stale for the right
reasons, survive crashes; `where` filters restrict the search before ranking."""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import pytest

import rag.store.faiss_store
from conftest import FakeEmbedder, fake_pipeline
from rag.chunking import chunk_notes
from rag.config import Config
from rag.errors import IndexStoreError
from rag.store import faiss_store, open_store
from rag.store.base import Hit, matches, payload
from rag.store.faiss_store import FaissStore, notes_key
from rag.store.sync import stale_reason, sync
from rag.notes import load_notes


class CountingEmbedder(FakeEmbedder):
    """FakeEmbedder that remembers every text it was asked to embed."""

    def __init__(self, name="fake-hash-embedder"):
        self.name, self.encoded = name, []

    def encode(self, texts, progress=False):
        self.encoded += list(texts)
        return super().encode(texts, progress)


def synced(notes, chunks, embedder, root):
    """A FAISS store under `root` holding the chunks (committed); (store, sync report)."""
    store = FaissStore(root)
    report = sync(chunks, store, embedder, files={n.name: n.sha256 for n in notes}, settings={"chunk_size": 600})
    return store, report


def stored_chunks(store):
    """(file, section, text, lines) of every stored chunk, in vector order: what a chunk record held."""
    return [(p["file"], tuple(p["section"]), p["text"], p["line_start"], p["line_end"]) for p in store.payloads().values()]


def as_stored(chunks):
    return [(c.file, c.section, c.text, c.line_start, c.line_end) for c in chunks]


def prepared(notes_dir, index_dir, embedder=None):
    """A fake pipeline over the notes, prepared; its log lines are kept in `pipeline.messages`."""
    pipeline = fake_pipeline(notes_dir, index_dir)
    pipeline._embedder = embedder or CountingEmbedder()
    pipeline.messages = []
    pipeline.log = pipeline.messages.append
    pipeline.prepare()
    return pipeline


def index_root(pipeline):
    return pipeline.config.index_dir / notes_key(pipeline.config.notes_dir)


def live_build(pipeline):
    root = index_root(pipeline)
    return root / (root / "CURRENT").read_text().strip()


# --- save and load


def test_save_load_round_trip(tiny_notes, tmp_path):
    notes, sections = load_notes(tiny_notes)
    chunks = chunk_notes(sections, 600, 100)
    embedder = FakeEmbedder()
    stored, report = synced(notes, chunks, embedder, tmp_path / "idx")
    embedded = report.embedded
    assert embedded == len(chunks) > 0

    loaded = FaissStore.load(tmp_path / "idx")

    assert stored_chunks(loaded) == as_stored(chunks)
    assert loaded.payloads() == {c.id: payload(c) for c in chunks}
    ids = list(stored.payloads())
    np.testing.assert_array_equal(loaded.vectors(ids), stored.vectors(ids))
    assert loaded.get_manifest() == json.loads(json.dumps(stored.get_manifest()))
    query = embedder.encode(["Shinkansen bullet train"])[0]
    assert [h.id for h in loaded.search(query, 2)] == [h.id for h in stored.search(query, 2)]
    assert loaded.search(query, 1)[0].payload["section"] == ["Japan", "Trains"]


def test_saving_again_replaces_the_old_build(tiny_notes, tmp_path):
    notes, sections = load_notes(tiny_notes)
    stored, _ = synced(notes, chunk_notes(sections, 600, 100), FakeEmbedder(), tmp_path / "idx")
    first = tmp_path / "idx" / (tmp_path / "idx" / "CURRENT").read_text().strip()
    stored.commit()
    second = tmp_path / "idx" / (tmp_path / "idx" / "CURRENT").read_text().strip()
    assert first != second and not first.exists() and second.exists()
    assert (tmp_path / "idx" / "CURRENT").read_text().strip() == second.name


# --- staleness


def test_unchanged_notes_are_not_rebuilt(tiny_notes, tmp_path):
    first = prepared(tiny_notes, tmp_path / "idx")
    assert first.report.rebuilt and first.report.embedded == first.report.chunks > 0
    again = prepared(tiny_notes, tmp_path / "idx")
    assert not again.report.rebuilt and again.report.reason == "up to date"
    assert again.report.embedded == 0 and again._embedder.encoded == []
    assert again.messages == []


def test_a_changed_file_makes_the_index_stale_and_prepare_says_which(tiny_notes, tmp_path):
    prepared(tiny_notes, tmp_path / "idx")
    with open(tiny_notes / "travel" / "japan.md", "a", encoding="utf-8") as note:
        note.write("\n## Food\nRamen shops open late.\n")

    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt
    assert "changed: travel/japan.md" in again.report.reason and "cooking.md" not in again.report.reason
    assert any("travel/japan.md" in m for m in again.messages), again.messages
    assert any(p["section"] == ["Japan", "Food"] for p in again.store.payloads().values())


def test_stale_reason_names_added_and_removed_files():
    old = {"embedding_model": "m", "embedding_dim": 3, "settings": {}, "files": {"a.md": "1", "b.md": "2"}}
    new = {**old, "files": {"a.md": "1", "c.md": "3"}}
    reason = stale_reason(old, new)
    assert "new: c.md" in reason and "removed: b.md" in reason and "a.md" not in reason
    assert stale_reason(old, old) is None
    assert "chunking settings" in stale_reason(old, {**old, "settings": {"chunk_size": 1}})


def test_unchanged_chunks_reuse_their_vectors(tiny_notes, tmp_path):
    first = prepared(tiny_notes, tmp_path / "idx")
    cooking = (tiny_notes / "cooking.md").read_text()
    (tiny_notes / "cooking.md").write_text(cooking.replace("every day", "twice a day"))

    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt and again.report.chunks == first.report.chunks
    assert again.report.embedded == 1
    assert len(again._embedder.encoded) == 1 and "twice a day" in again._embedder.encoded[0]
    # the reused vectors are the ones the embedder would give now
    payloads = again.store.payloads()
    np.testing.assert_allclose(again.store.vectors(list(payloads)), FakeEmbedder().encode([p["embed_text"] for p in payloads.values()]), atol=1e-6)


def test_a_changed_description_updates_the_stored_chunks_without_embedding_them(tiny_notes, tmp_path):
    # the front matter's description is read with every section (Chunk.about) but not embedded
    cooking = (tiny_notes / "cooking.md").read_text()
    (tiny_notes / "cooking.md").write_text("---\ndescription: weeknight meals\n---\n" + cooking)
    first = prepared(tiny_notes, tmp_path / "idx")
    assert {p["about"] for p in first.store.payloads().values() if p["file"] == "cooking.md"} == {"weeknight meals"}
    (tiny_notes / "cooking.md").write_text("---\ndescription: what we cook for guests\n---\n" + cooking)
    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.embedded == 0 and again._embedder.encoded == []
    assert {p["about"] for p in again.store.payloads().values() if p["file"] == "cooking.md"} == {"what we cook for guests"}


def test_another_embedding_model_is_never_mixed_in(tiny_notes, tmp_path):
    prepared(tiny_notes, tmp_path / "idx")
    other = CountingEmbedder(name="another-embedder")
    again = prepared(tiny_notes, tmp_path / "idx", embedder=other)
    assert again.report.rebuilt and "another-embedder" in again.report.reason
    assert again.report.embedded == again.report.chunks  # nothing reused across models
    assert FaissStore.load(index_root(again)).get_manifest()["embedding_model"] == "another-embedder"


def test_changed_chunk_settings_rebuild(tiny_notes, tmp_path):
    prepared(tiny_notes, tmp_path / "idx")
    pipeline = fake_pipeline(tiny_notes, tmp_path / "idx", chunk_size=40, chunk_overlap=10)
    report = pipeline.prepare()
    assert report.rebuilt and "chunking settings" in report.reason
    assert all(len(p["text"]) <= 40 for p in pipeline.store.payloads().values())


# --- crashes and damage


class Crash(BaseException):
    """The process dying mid-write: nothing catches it, nothing is cleaned up (a failed write, OSError,
    is handled instead: test_healing.py)."""


def test_crash_before_switching_current_keeps_the_old_index(tiny_notes, tmp_path, monkeypatch):
    first = prepared(tiny_notes, tmp_path / "idx")
    old_build = live_build(first)
    (tiny_notes / "cooking.md").write_text("# Cooking\n\n## Bread\nRye bread is dense.\n")

    def crash(root, name):
        raise Crash("power cut")

    monkeypatch.setattr(rag.store.faiss_store, "_point_current", crash)
    with pytest.raises(Crash):
        prepared(tiny_notes, tmp_path / "idx")

    loaded = FaissStore.load(index_root(first))  # the old build is still the live one, whole
    assert live_build(first) == old_build
    assert stored_chunks(loaded) == stored_chunks(first.store)

    monkeypatch.undo()
    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt and "changed: cooking.md" in again.report.reason
    assert any("Rye bread" in p["text"] for p in again.store.payloads().values())
    assert [p.name for p in index_root(again).iterdir() if p.is_dir()] == [live_build(again).name]  # leftovers cleared


def test_crash_while_renaming_the_partial_build_keeps_the_old_index(tiny_notes, tmp_path, monkeypatch):
    first = prepared(tiny_notes, tmp_path / "idx")
    (tiny_notes / "cooking.md").write_text("# Cooking\n\n## Bread\nRye bread is dense.\n")
    real_replace = os.replace

    def crash(src, dst):
        if str(src).endswith(".partial"):
            raise Crash("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(rag.store.faiss_store.os, "replace", crash)
    with pytest.raises(Crash):
        prepared(tiny_notes, tmp_path / "idx")
    monkeypatch.undo()

    assert any(p.name.endswith(".partial") for p in index_root(first).iterdir())
    assert stored_chunks(FaissStore.load(index_root(first))) == stored_chunks(first.store)


def test_half_written_partial_folder_is_ignored(tiny_notes, tmp_path):
    first = prepared(tiny_notes, tmp_path / "idx")
    partial = index_root(first) / "build-20990101-000000-1-1.partial"
    partial.mkdir()
    (partial / "manifest.json").write_text("{")  # cut off mid-write

    again = prepared(tiny_notes, tmp_path / "idx")
    assert not again.report.rebuilt and stored_chunks(again.store) == stored_chunks(first.store)


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE = {
    "manifest not json": ("manifest.json", lambda p: p.write_text("{\"format_version\": 1,")),
    "manifest not an object": ("manifest.json", lambda p: p.write_text("[]")),
    "manifest of another format": ("manifest.json", lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "format_version": 999}))),
    "chunks truncated": ("chunks.jsonl", _truncate),
    "chunks missing a line": ("chunks.jsonl", lambda p: p.write_text("".join(p.read_text().splitlines(True)[1:]))),
    "chunks not records": ("chunks.jsonl", lambda p: p.write_text("1\n2\n3\n")),
    "faiss garbage": ("vectors.faiss", lambda p: p.write_bytes(b"not a faiss index" * 10)),
    "faiss empty": ("vectors.faiss", lambda p: p.write_bytes(b"")),
    "vectors empty": ("vectors.npy", lambda p: p.write_bytes(b"")),
    "vectors missing": ("vectors.npy", lambda p: p.unlink()),
    "current names no build": ("../CURRENT", lambda p: p.write_text("build-gone\n")),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_index_raises_index_store_error_and_prepare_rebuilds(tiny_notes, tmp_path, damage):
    first = prepared(tiny_notes, tmp_path / "idx")
    name, harm = DAMAGE[damage]
    harm(live_build(first) / name)

    with pytest.raises(IndexStoreError) as error:
        FaissStore.load(index_root(first))
    assert str(index_root(first)) in str(error.value)

    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt and again.report.reason == str(error.value)
    assert stored_chunks(again.store) == stored_chunks(first.store)
    assert stored_chunks(FaissStore.load(index_root(again))) == stored_chunks(first.store)


def test_no_index_yet(tmp_path):
    with pytest.raises(IndexStoreError, match="No index has been built"):
        FaissStore.load(tmp_path / "nothing")


def test_each_notes_folder_gets_its_own_index(tiny_notes, tmp_path):
    other = tmp_path / "other-notes"
    other.mkdir()
    (other / "a.md").write_text("# A\nSomething else entirely.\n")
    prepared(tiny_notes, tmp_path / "idx")
    prepared(other, tmp_path / "idx")
    assert not prepared(tiny_notes, tmp_path / "idx").report.rebuilt  # switching folders did not overwrite it
    assert notes_key(tiny_notes) != notes_key(other)


# --- ids, payloads, where filters


def test_chunk_ids_and_payloads_follow_the_layout(tiny_notes):
    _, sections = load_notes(tiny_notes)
    chunks = chunk_notes(sections, 600, 100)
    trains = next(c for c in chunks if c.section == ("Japan", "Trains"))
    assert trains.id == hashlib.sha256(f"travel/japan.md\n{trains.line_start}\n{trains.embed_text}".encode()).hexdigest()[:32]
    assert len({c.id for c in chunks}) == len(chunks)
    assert payload(trains) == {
        "file": "travel/japan.md", "folders": ["travel"], "section": ["Japan", "Trains"], "text": trains.text,
        "embed_text": trains.embed_text, "line_start": trains.line_start, "line_end": trains.line_end,
        "content_hash": trains.content_hash, "tags": [], "open_fences": "", "about": "", "named_by_file": False,
    }


def test_matches_is_the_meaning_of_where():
    p = {"file": "git/tricks/rebase.md", "folders": ["git", "git/tricks"], "section": ["Git", "Rebase"], "tags": ["howto"]}
    assert matches(p, None) and matches(p, {})
    assert matches(p, {"file": "git/tricks/rebase.md"}) and not matches(p, {"file": "rebase.md"})
    assert matches(p, {"folder": "git"}) and matches(p, {"folder": "git/tricks"}) and not matches(p, {"folder": "tricks"})
    assert matches(p, {"heading": "Rebase"}) and not matches(p, {"heading": "Merge"})
    assert matches(p, {"tag": "howto"}) and not matches(p, {"tag": "todo"})
    assert matches(p, {"folder": "git", "heading": "Git"}) and not matches(p, {"folder": "git", "heading": "Merge"})  # all must hold
    with pytest.raises(ValueError, match="folder"):
        matches(p, {"colour": "red"})


def test_where_filters_before_ranking(tiny_notes, tmp_path):
    notes, sections = load_notes(tiny_notes)
    embedder = FakeEmbedder()
    store, _ = synced(notes, chunk_notes(sections, 600, 100), embedder, tmp_path / "idx")
    query = embedder.encode(["Shinkansen bullet train Tokyo soup"])[0]
    assert store.search(query, 1)[0].payload["file"] == "travel/japan.md"  # the closest chunk overall
    # k=1 among cooking.md only: its best chunk, although a travel chunk is closer (search-then-filter finds nothing)
    [hit] = store.search(query, 1, where={"file": "cooking.md"})
    assert isinstance(hit, Hit) and hit.payload["file"] == "cooking.md"
    cooking = [h for h in store.search(query, 10) if h.payload["file"] == "cooking.md"]
    assert hit.payload["section"] == ["Cooking", "Soup"] and hit.id == cooking[0].id and hit.score == pytest.approx(cooking[0].score)
    assert [h.payload["section"] for h in store.search(query, 5, where={"heading": "Bread"})] == [["Cooking", "Bread"]]
    assert {h.payload["file"] for h in store.search(query, 5, where={"folder": "travel"})} == {"travel/japan.md"}
    assert store.search(query, 5, where={"tag": "anything"}) == []  # no chunk has tags yet
    loaded = FaissStore.load(tmp_path / "idx")
    assert [h.id for h in loaded.search(query, 1, where={"file": "cooking.md"})] == [hit.id]


def test_pipeline_passes_where_to_retrieval(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "idx")
    pipeline.prepare()
    assert pipeline.retrieve("Shinkansen bullet train", top_k=1)[0].file == "travel/japan.md"
    [best] = pipeline.retrieve("Shinkansen bullet train", top_k=1, where={"folder": "travel"})
    assert best.file == "travel/japan.md" and best.chunk_id in pipeline.store.payloads()
    assert [p.file for p in pipeline.retrieve("Shinkansen bullet train", top_k=1, where={"file": "cooking.md"})] == ["cooking.md"]
    answer = pipeline.ask("When did the Shinkansen open?", where={"file": "cooking.md"})
    assert answer.passages and {p.file for p in answer.passages} == {"cooking.md"}


def test_upsert_and_delete_are_searchable_and_durable(tmp_path):
    store = FaissStore(tmp_path / "idx")
    vectors = np.eye(3, dtype=np.float32)
    payloads = [{"file": f"{name}.md", "line_start": 1} for name in "abc"]
    store.upsert(["a", "b", "c"], vectors, payloads)
    store.delete(["b"])
    store.upsert(["c"], np.array([[0, 1, 0]], np.float32), [{"file": "c.md", "line_start": 1}])  # replaces c
    assert len(store) == 2 and [h.id for h in store.search(np.array([0, 1, 0], np.float32), 1)] == ["c"]
    store.set_manifest({"embedding_dim": 3})
    store.commit()
    again = FaissStore.load(tmp_path / "idx")
    assert again.payloads() == {"a": payloads[0], "c": {"file": "c.md", "line_start": 1}}
    np.testing.assert_array_equal(again.vectors(["c", "a"]), np.array([[0, 1, 0], [1, 0, 0]], np.float32))


def test_an_index_of_the_previous_format_is_rebuilt_and_says_why(tiny_notes, tmp_path):
    first = prepared(tiny_notes, tmp_path / "idx")
    manifest = live_build(first) / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "format_version": 1}))
    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt and f"has format 1, this version reads {faiss_store.FORMAT_VERSION}" in again.report.reason
    assert any("has format 1" in m for m in again.messages)


def test_an_unknown_store_is_a_user_error_naming_the_choices(tiny_notes, tmp_path):
    with pytest.raises(IndexStoreError, match="Unknown vector store 'pinecone': use one of faiss"):
        open_store(Config(index_dir=tmp_path / "idx", vector_store="pinecone"), tiny_notes)


def test_a_chunk_upserted_at_the_end_of_a_loaded_store_is_searchable_and_saved(tiny_notes, tmp_path):
    # A loaded store holds its FAISS index; a new chunk that sorts last leaves the row order as it was,
    # and the index must still be rebuilt (it once kept the old vectors: a "damaged" build on commit).
    notes, sections = load_notes(tiny_notes)
    embedder = FakeEmbedder()
    synced(notes, chunk_notes(sections, 600, 100), embedder, tmp_path / "idx")
    store = FaissStore.load(tmp_path / "idx")
    (tiny_notes / "zz-last.md").write_text("# Zebras\nZebras have stripes.\n")
    new = [c for c in chunk_notes(load_notes(tiny_notes)[1], 600, 100) if c.file == "zz-last.md"]
    store.upsert([c.id for c in new], embedder.encode([c.embed_text for c in new]), [payload(c) for c in new])
    assert store.search(embedder.encode(["zebras stripes"])[0], 1)[0].payload["file"] == "zz-last.md"
    store.commit()
    assert len(FaissStore.load(tmp_path / "idx")) == len(store)
