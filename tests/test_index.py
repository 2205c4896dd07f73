"""rag.index and Pipeline.prepare(): saved indexes round-trip, go stale for the right reasons, survive crashes."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

import rag.index
from conftest import FakeEmbedder, fake_pipeline
from rag.chunking import chunk_notes
from rag.errors import IndexStoreError
from rag.index import build_index, load_index, notes_key, save_index, stale_reason
from rag.notes import load_notes


class CountingEmbedder(FakeEmbedder):
    """FakeEmbedder that remembers every text it was asked to embed."""

    def __init__(self, name="fake-hash-embedder"):
        self.name, self.encoded = name, []

    def encode(self, texts, progress=False):
        self.encoded += list(texts)
        return super().encode(texts, progress)


def manifest_for(notes, embedder):
    return {"embedding_model": embedder.name, "embedding_dim": embedder.dim, "settings": {"chunk_size": 600}, "files": {n.name: n.sha256 for n in notes}}


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
    stored, embedded = build_index(chunks, embedder, manifest_for(notes, embedder))
    assert embedded == len(chunks) > 0

    save_index(stored, tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")

    assert loaded.chunks == chunks
    np.testing.assert_array_equal(np.asarray(loaded.vectors), stored.vectors)
    assert loaded.manifest == json.loads(json.dumps(stored.manifest))
    query = embedder.encode(["Shinkansen bullet train"])
    assert loaded.search(query, 2)[1].tolist() == stored.search(query, 2)[1].tolist()
    assert loaded.chunks[loaded.search(query, 1)[1][0][0]].section == ("Japan", "Trains")


def test_saving_again_replaces_the_old_build(tiny_notes, tmp_path):
    notes, sections = load_notes(tiny_notes)
    stored, _ = build_index(chunk_notes(sections, 600, 100), FakeEmbedder(), manifest_for(notes, FakeEmbedder()))
    first = save_index(stored, tmp_path / "idx")
    second = save_index(stored, tmp_path / "idx")
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
    assert any(c.section == ("Japan", "Food") for c in again.stored.chunks)


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
    np.testing.assert_allclose(np.asarray(again.stored.vectors), FakeEmbedder().encode([c.embed_text for c in again.stored.chunks]), atol=1e-6)


def test_another_embedding_model_is_never_mixed_in(tiny_notes, tmp_path):
    prepared(tiny_notes, tmp_path / "idx")
    other = CountingEmbedder(name="another-embedder")
    again = prepared(tiny_notes, tmp_path / "idx", embedder=other)
    assert again.report.rebuilt and "another-embedder" in again.report.reason
    assert again.report.embedded == again.report.chunks  # nothing reused across models
    assert load_index(index_root(again)).manifest["embedding_model"] == "another-embedder"


def test_changed_chunk_settings_rebuild(tiny_notes, tmp_path):
    prepared(tiny_notes, tmp_path / "idx")
    pipeline = fake_pipeline(tiny_notes, tmp_path / "idx", chunk_size=40, chunk_overlap=10)
    report = pipeline.prepare()
    assert report.rebuilt and "chunking settings" in report.reason
    assert all(len(c.text) <= 40 for c in pipeline.stored.chunks)


# --- crashes and damage


def test_crash_before_switching_current_keeps_the_old_index(tiny_notes, tmp_path, monkeypatch):
    first = prepared(tiny_notes, tmp_path / "idx")
    old_build = live_build(first)
    (tiny_notes / "cooking.md").write_text("# Cooking\n\n## Bread\nRye bread is dense.\n")

    def crash(root, name):
        raise OSError("disk full")

    monkeypatch.setattr(rag.index, "_point_current", crash)
    with pytest.raises(OSError, match="disk full"):
        prepared(tiny_notes, tmp_path / "idx")

    loaded = load_index(index_root(first))  # the old build is still the live one, whole
    assert live_build(first) == old_build
    assert loaded.chunks == first.stored.chunks

    monkeypatch.undo()
    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt and "changed: cooking.md" in again.report.reason
    assert any("Rye bread" in c.text for c in again.stored.chunks)
    assert [p.name for p in index_root(again).iterdir() if p.is_dir()] == [live_build(again).name]  # leftovers cleared


def test_crash_while_renaming_the_partial_build_keeps_the_old_index(tiny_notes, tmp_path, monkeypatch):
    first = prepared(tiny_notes, tmp_path / "idx")
    (tiny_notes / "cooking.md").write_text("# Cooking\n\n## Bread\nRye bread is dense.\n")
    real_replace = os.replace

    def crash(src, dst):
        if str(src).endswith(".partial"):
            raise OSError("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(rag.index.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        prepared(tiny_notes, tmp_path / "idx")
    monkeypatch.undo()

    assert any(p.name.endswith(".partial") for p in index_root(first).iterdir())
    assert load_index(index_root(first)).chunks == first.stored.chunks


def test_half_written_partial_folder_is_ignored(tiny_notes, tmp_path):
    first = prepared(tiny_notes, tmp_path / "idx")
    partial = index_root(first) / "build-20990101-000000-1-1.partial"
    partial.mkdir()
    (partial / "manifest.json").write_text("{")  # cut off mid-write

    again = prepared(tiny_notes, tmp_path / "idx")
    assert not again.report.rebuilt and again.stored.chunks == first.stored.chunks


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
        load_index(index_root(first))
    assert str(index_root(first)) in str(error.value)

    again = prepared(tiny_notes, tmp_path / "idx")
    assert again.report.rebuilt and again.report.reason == str(error.value)
    assert again.stored.chunks == first.stored.chunks
    assert load_index(index_root(again)).chunks == first.stored.chunks


def test_no_index_yet(tmp_path):
    with pytest.raises(IndexStoreError, match="No index has been built"):
        load_index(tmp_path / "nothing")


def test_each_notes_folder_gets_its_own_index(tiny_notes, tmp_path):
    other = tmp_path / "other-notes"
    other.mkdir()
    (other / "a.md").write_text("# A\nSomething else entirely.\n")
    prepared(tiny_notes, tmp_path / "idx")
    prepared(other, tmp_path / "idx")
    assert not prepared(tiny_notes, tmp_path / "idx").report.rebuilt  # switching folders did not overwrite it
    assert notes_key(tiny_notes) != notes_key(other)
