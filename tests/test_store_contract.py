"""The VectorStore contract (rag/store/base.py), run against every store: FAISS and Qdrant.

Each test opens a store through the registry (`open_store(config, notes_dir)`), as the pipeline
does, so a store that passes here can be chosen with RAG_VECTOR_STORE without other changes.
Vectors come from the hashed bag-of-words FakeEmbedder: close for shared words, exact and fast.
"""
from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from rag.chunking import Chunk
from rag.config import PROJECT_ROOT, Config
from rag.errors import IndexStoreError
from rag.store import open_store
from rag.store.base import matches, payload
from conftest import FakeEmbedder

STORES = ["faiss", "qdrant"]

CHUNKS = [
    Chunk("cooking.md", ("Cooking", "Bread"), 3, 3, "Sourdough bread needs a starter fed with flour and water.", "Cooking > Bread\nSourdough bread needs a starter fed with flour and water."),
    Chunk("cooking.md", ("Cooking", "Soup"), 7, 7, "Minestrone is an Italian vegetable soup with beans.", "Cooking > Soup\nMinestrone is an Italian vegetable soup with beans."),
    Chunk("travel/japan.md", ("Japan", "Trains"), 3, 3, "The Shinkansen bullet train opened in 1964.", "Japan > Trains\nThe Shinkansen bullet train opened in 1964."),
    Chunk("travel/japan.md", ("Japan", "Food"), 6, 6, "Ramen is a noodle soup; bread is rare.", "Japan > Food\nRamen is a noodle soup; bread is rare."),
    Chunk("travel/italy/rome.md", ("Rome", "Food"), 3, 4, "Roman bread and soup: pane and stracciatella.", "Rome > Food\nRoman bread and soup: pane and stracciatella."),
    Chunk("travel/italy/rome.md", ("Rome", "Trains"), 8, 8, "Frecciarossa trains link Rome and Milan.", "Rome > Trains\nFrecciarossa trains link Rome and Milan."),
]


def tagged(chunk: Chunk) -> dict:
    record = payload(chunk)
    record["tags"] = ["food"] if "Food" in chunk.section or "Soup" in chunk.section or "Bread" in chunk.section else []
    return record


IDS = [c.id for c in CHUNKS]
PAYLOADS = [tagged(c) for c in CHUNKS]
VECTORS = FakeEmbedder().encode([c.embed_text for c in CHUNKS])


def query(text: str) -> np.ndarray:
    return FakeEmbedder().encode([text])[0]


def config_for(kind: str, tmp_path) -> Config:
    return Config(notes_dir=tmp_path / "notes", index_dir=tmp_path / "index", vector_store=kind)


def reopen(store, kind, tmp_path):
    close = getattr(store, "close", None)
    if close:
        close()
    return open_store(config_for(kind, tmp_path), tmp_path / "notes")


@pytest.fixture(params=STORES)
def kind(request):
    return request.param


@pytest.fixture
def store(kind, tmp_path):
    (tmp_path / "notes").mkdir()
    opened = open_store(config_for(kind, tmp_path), tmp_path / "notes")
    yield opened
    close = getattr(opened, "close", None)
    if close:
        close()


@pytest.fixture
def filled(store):
    store.upsert(IDS, VECTORS, PAYLOADS)
    store.set_manifest({"embedding_model": "fake", "embedding_dim": FakeEmbedder.dim, "files": {"cooking.md": "a"}})
    store.commit()
    return store


def test_a_new_store_is_empty(store):
    assert len(store) == 0
    assert store.search(query("bread"), 3) == []
    assert store.payloads() == {}
    assert store.get_manifest() == {}


def test_upsert_stores_payloads_and_vectors(filled):
    assert len(filled) == len(CHUNKS)
    assert filled.payloads() == dict(zip(IDS, PAYLOADS))
    in_notes_order = sorted(range(len(CHUNKS)), key=lambda i: (CHUNKS[i].file.split("/"), CHUNKS[i].line_start))
    assert list(filled.payloads()) == [IDS[i] for i in in_notes_order]  # file, then line: not insertion order
    order = [4, 0, 2]
    np.testing.assert_allclose(filled.vectors([IDS[i] for i in order]), VECTORS[order], atol=1e-6)


def test_vectors_of_an_unknown_id_raise(filled):
    with pytest.raises(KeyError):
        filled.vectors([IDS[0], "f" * 32])


def test_search_ranks_by_cosine(filled):
    hits = filled.search(VECTORS[2], 3)
    assert hits[0].id == IDS[2]
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    expected = sorted(range(len(CHUNKS)), key=lambda i: -float(VECTORS[i] @ VECTORS[2]))[:3]
    assert [h.id for h in hits] == [IDS[i] for i in expected]
    for hit in hits:
        assert hit.score == pytest.approx(float(VECTORS[IDS.index(hit.id)] @ VECTORS[2]), abs=1e-5)
        assert hit.payload == PAYLOADS[IDS.index(hit.id)]


def test_k_bounds_the_hits(filled):
    assert len(filled.search(query("bread soup trains"), 2)) == 2
    assert len(filled.search(query("bread soup trains"), 50)) == len(CHUNKS)


@pytest.mark.parametrize(
    "where",
    [
        {"file": "travel/japan.md"},
        {"folder": "travel"},
        {"folder": "travel/italy"},
        {"tag": "food"},
        {"heading": "Trains"},
        {"folder": "travel", "heading": "Food"},
        {"file": "cooking.md", "heading": "Trains"},  # nothing holds both
    ],
)
def test_where_is_applied_before_ranking(filled, where):
    """k hits among the matching chunks, even when non-matching chunks are closer to the query."""
    wanted = [i for i, p in zip(IDS, PAYLOADS) if matches(p, where)]
    vector = query("Sourdough bread starter flour water")  # closest to cooking.md's Bread
    hits = filled.search(vector, 2, where=where)
    assert len(hits) == min(2, len(wanted))
    assert all(h.id in wanted for h in hits)
    best = sorted(wanted, key=lambda i: -float(VECTORS[IDS.index(i)] @ vector))[:2]
    assert sorted(h.id for h in hits) == sorted(best)


def test_an_unknown_where_key_is_refused(filled):
    with pytest.raises(ValueError, match="Unknown filter"):
        filled.search(query("bread"), 3, where={"author": "me"})


def test_upsert_of_an_existing_id_replaces_it(filled):
    changed = {**PAYLOADS[1], "text": "Minestrone, changed."}
    filled.upsert([IDS[1]], VECTORS[3:4], [changed])
    filled.commit()
    assert len(filled) == len(CHUNKS)
    assert filled.payloads()[IDS[1]] == changed
    np.testing.assert_allclose(filled.vectors([IDS[1]]), VECTORS[3:4], atol=1e-6)


def test_delete_removes_from_everything(filled):
    filled.delete([IDS[0], IDS[2]])
    filled.commit()
    assert len(filled) == len(CHUNKS) - 2
    assert set(filled.payloads()) == set(IDS) - {IDS[0], IDS[2]}
    assert {h.id for h in filled.search(VECTORS[0], 10)} == set(IDS) - {IDS[0], IDS[2]}
    filled.delete([])  # nothing to do is fine


def test_committed_state_survives_reopening(filled, kind, tmp_path):
    reopened = reopen(filled, kind, tmp_path)
    try:
        assert len(reopened) == len(CHUNKS)
        assert reopened.get_manifest()["files"] == {"cooking.md": "a"}
        assert reopened.payloads() == dict(zip(IDS, PAYLOADS))
        assert reopened.search(VECTORS[5], 1)[0].id == IDS[5]
    finally:
        getattr(reopened, "close", lambda: None)()


def test_the_manifest_is_a_copy(filled):
    manifest = filled.get_manifest()
    manifest["files"]["other.md"] = "b"
    assert "other.md" not in filled.get_manifest()["files"]


def test_an_uncommitted_manifest_is_never_read_back_after_reopening(filled, kind, tmp_path):
    """A process stopped between changes and commit leaves no manifest that claims the new notes."""
    filled.delete([IDS[0]])
    filled.set_manifest({"embedding_model": "fake", "embedding_dim": FakeEmbedder.dim, "files": {"new.md": "n"}})
    reopened = reopen(filled, kind, tmp_path)  # no commit
    try:
        assert reopened.get_manifest().get("files") != {"new.md": "n"}
    finally:
        getattr(reopened, "close", lambda: None)()


# --- Qdrant only: the embedded mode's lock


def qdrant_config(tmp_path) -> Config:
    return config_for("qdrant", tmp_path)


def test_a_second_embedded_qdrant_in_this_process_is_refused_at_once(tmp_path):
    (tmp_path / "notes").mkdir()
    first = open_store(qdrant_config(tmp_path), tmp_path / "notes")
    try:
        started = time.monotonic()
        with pytest.raises(IndexStoreError, match="already open in another pipeline or process"):
            open_store(qdrant_config(tmp_path), tmp_path / "notes")
        assert time.monotonic() - started < 5
    finally:
        first.close()
    open_store(qdrant_config(tmp_path), tmp_path / "notes").close()  # free again once closed


def test_a_second_process_gets_a_message_not_a_hang(tmp_path):
    (tmp_path / "notes").mkdir()
    first = open_store(qdrant_config(tmp_path), tmp_path / "notes")
    code = (
        "import sys; from pathlib import Path; from rag.config import Config; from rag.store import open_store; from rag.errors import RagError\n"
        f"config = Config(notes_dir=Path({str(tmp_path / 'notes')!r}), index_dir=Path({str(tmp_path / 'index')!r}), vector_store='qdrant')\n"
        "try:\n    open_store(config, config.notes_dir)\nexcept RagError as error:\n    print(error); sys.exit(2)\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    finally:
        first.close()
    assert done.returncode == 2, done.stderr
    assert "already open in another pipeline or process" in done.stdout
