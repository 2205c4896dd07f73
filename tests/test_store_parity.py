"""FAISS and Qdrant give the same passages, and both re-embed only what changed.

- Every question of eval/questions.jsonl, over the default notes with the real embedder: the whole
  ranking (every chunk) and its scores are the same in both stores, so hit@k and MRR of
  `python -m eval --retrieval-only` are too. Both search exactly; only the order among equal
  scores may differ (ties aside).
- 2,000 random vectors, with and without `where`: the same top 20 in both.
- Editing one note embeds only its changed chunks, in either store (embedder calls counted).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import DEFAULT_NOTES, FakeEmbedder, FakeGenerator, write_notes
from rag.config import PROJECT_ROOT, Config
from rag.errors import IndexStoreError
from rag.pipeline import Pipeline
from rag.store import open_store

STORES = ["faiss", "qdrant"]
QUESTIONS = [json.loads(line)["question"] for line in (PROJECT_ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line.strip()]
TIE = 1e-5  # scores closer than this are a tie: either order is right


def ranking_without_ties(hits) -> list:
    """The ranked ids, each group of tied scores as a set."""
    groups: list = []
    for hit in hits:
        if groups and abs(groups[-1][0] - hit.score) <= TIE:
            groups[-1][1].add(hit.id)
        else:
            groups.append((hit.score, {hit.id}))
    return [ids for _, ids in groups]


@pytest.fixture(scope="module")
def pipelines(real_embedder, tmp_path_factory):
    opened = {}
    for kind in STORES:
        config = Config(notes_dir=DEFAULT_NOTES, index_dir=tmp_path_factory.mktemp(kind), vector_store=kind)
        opened[kind] = Pipeline(config, embedder=real_embedder, generator=FakeGenerator(), log=lambda message: None)
        opened[kind].prepare()
    yield opened
    for pipeline in opened.values():
        pipeline.close()


def test_both_stores_hold_the_same_chunks(pipelines):
    faiss, qdrant = (pipelines[k].store for k in STORES)
    assert faiss.payloads() == qdrant.payloads()
    ids = list(faiss.payloads())
    np.testing.assert_allclose(faiss.vectors(ids), qdrant.vectors(ids), atol=1e-6)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_eval_question_ranks_every_chunk_the_same(pipelines, real_embedder, question):
    vector = real_embedder.encode([question])[0]
    faiss, qdrant = (pipelines[k].store for k in STORES)
    everything = len(faiss)
    a, b = faiss.search(vector, everything), qdrant.search(vector, everything)
    assert ranking_without_ties(a) == ranking_without_ties(b)
    np.testing.assert_allclose([h.score for h in a], [h.score for h in b], atol=TIE)


def test_thousands_of_vectors_rank_the_same_with_and_without_where(tmp_path):
    rng = np.random.default_rng(7)
    n, dim = 2000, 64
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"{i:032x}" for i in range(n)]
    payloads = [
        {"file": f"f{i % 50}.md", "folders": [f"d{i % 5}"], "section": [f"h{i % 7}"], "text": "", "embed_text": "",
         "line_start": i, "line_end": i, "content_hash": ids[i], "tags": [f"t{i % 3}"]}
        for i in range(n)
    ]
    queries = rng.normal(size=(6, dim)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)  # as the embedder gives them: inner product = cosine
    results = {}
    for kind in STORES:
        config = Config(notes_dir=tmp_path / "notes", index_dir=tmp_path / "index", vector_store=kind)
        store = open_store(config, config.notes_dir)
        try:
            store.upsert(ids, vectors, payloads)
            store.commit()
            results[kind] = [
                ranking_without_ties(store.search(q, 20, where))
                for q in queries
                for where in (None, {"folder": "d3"}, {"tag": "t1", "heading": "h2"}, {"file": "f7.md"})
            ]
        finally:
            getattr(store, "close", lambda: None)()
    assert results["faiss"] == results["qdrant"]


class CountingEmbedder(FakeEmbedder):
    """FakeEmbedder that records every text it is asked to embed."""

    def __init__(self):
        self.texts: list[str] = []

    def encode(self, texts, progress=False):
        self.texts.extend(texts)
        return super().encode(texts, progress)


NOTES = {
    "cooking.md": "# Cooking\n\n## Bread\nSourdough bread needs a starter fed every day.\n\n## Soup\nMinestrone is an Italian vegetable soup.\n\n## Rice\nRisotto wants short-grain rice and patience.\n",
    "travel/japan.md": "# Japan\n\n## Trains\nThe Shinkansen opened in 1964.\n\n## Food\nRamen is a noodle soup.\n",
}


@pytest.mark.parametrize("kind", STORES)
def test_editing_one_note_embeds_only_its_changed_chunks(kind, tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    embedder = CountingEmbedder()
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index", vector_store=kind), embedder=embedder, generator=FakeGenerator(), log=lambda m: None)
    try:
        first = pipeline.prepare()
        assert first.chunks == len(embedder.texts) == 5
        embedder.texts.clear()
        assert pipeline.prepare().embedded == 0 and embedder.texts == []  # unchanged: nothing read twice
        (notes / "cooking.md").write_text(NOTES["cooking.md"].replace("patience", "patience and stock"), encoding="utf-8")
        report = pipeline.prepare()
        assert embedder.texts == ["Cooking > Rice\nRisotto wants short-grain rice and patience and stock."]
        assert report.embedded == 1 and report.chunks == 5 and "changed: cooking.md" in report.reason
        assert [p.text for p in pipeline.retrieve("risotto stock", top_k=1)] == ["Risotto wants short-grain rice and patience and stock."]
    finally:
        pipeline.close()


def test_a_second_pipeline_on_an_embedded_qdrant_says_so(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    config = Config(notes_dir=notes, index_dir=tmp_path / "index", vector_store="qdrant")
    first = Pipeline(config, embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    first.prepare()
    second = Pipeline(config, embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    try:
        with pytest.raises(IndexStoreError, match="already open in another pipeline or process"):
            second.prepare()
        first.close()
        assert second.prepare().chunks == 5  # free once the first lets go
    finally:
        first.close()
        second.close()
