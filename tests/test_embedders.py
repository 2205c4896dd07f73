"""The fast embedding backend gives sentence-transformers' vectors, is cached, and falls back cleanly."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from rag.config import Config
from rag.embedders import base, load_embedder
from rag.embedders.ctranslate2 import CTranslate2Encoder
from rag.errors import ModelError

TEXTS = [
    "Generative AI > Definition\nGenerative AI is any kind of AI that can create new content.",
    "When did GANs come out?",
    "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka.",
    "“Curly quotes”, ünïcode, emoji 😀 and CAPITALS",
    "",
    "tokens " * 400,  # longer than the model's 256-token window: cut the same way
    "short",
]


@pytest.fixture(scope="module")
def reference():
    pytest.importorskip("sentence_transformers")
    return load_embedder(Config(embedding_backend="sentence-transformers"))


def test_default_embedder_runs_on_ctranslate2(real_embedder):
    if importlib.util.find_spec("ctranslate2") is None:
        pytest.skip("ctranslate2 is not installed")
    assert real_embedder.backend == "ctranslate2"
    assert real_embedder.name == base.DEFAULT_EMBEDDING_NAME and real_embedder.dim == 384


def test_fast_vectors_equal_sentence_transformers(real_embedder, reference):
    ours, theirs = real_embedder.encode(TEXTS), reference.encode(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.9999
    # batch composition (sorting, padding) does not change a text's vector
    alone = np.stack([real_embedder.encode([t])[0] for t in TEXTS])
    assert np.abs(alone - ours).max() < 1e-4


def test_empty_input(real_embedder):
    assert real_embedder.encode([]).shape == (0, real_embedder.dim)


def test_converted_model_is_reused(real_embedder, monkeypatch):
    import ctranslate2

    def must_not_run(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", must_not_run)
    again = load_embedder(Config())
    assert again.backend == "ctranslate2"
    assert np.allclose(again.encode(TEXTS[:2]), real_embedder.encode(TEXTS[:2]), atol=1e-6)


def test_conversion_into_a_new_cache(tmp_path, real_embedder):
    if importlib.util.find_spec("ctranslate2") is None:
        pytest.skip("ctranslate2 is not installed")
    fresh = load_embedder(Config(cache_dir=tmp_path))
    assert fresh.backend == "ctranslate2"
    assert list(tmp_path.glob("embedders/*/ct2-float32/model.bin"))
    assert np.allclose(fresh.encode(TEXTS[:3]), real_embedder.encode(TEXTS[:3]), atol=1e-5)


def test_falls_back_without_ctranslate2(monkeypatch, real_embedder):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ctranslate2" else real_find_spec(name, *a))
    fallback = load_embedder(Config())
    assert fallback.backend == "sentence-transformers"
    assert fallback.name == real_embedder.name and fallback.dim == real_embedder.dim
    with pytest.raises(ModelError, match="ctranslate2"):
        load_embedder(Config(embedding_backend="ctranslate2"))


def test_unsupported_layout_falls_back(tmp_path):
    folder = tmp_path / "odd-model"
    folder.mkdir()
    (folder / "modules.json").write_text('[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]')
    with pytest.raises(ModelError, match="Dense"):
        CTranslate2Encoder(str(folder), 1, tmp_path / "cache")


def test_unknown_backend_is_a_model_error():
    with pytest.raises(ModelError, match="backend"):
        load_embedder(Config(embedding_backend="onnx"))


def test_unwritable_cache_falls_back(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    fallback = load_embedder(Config(cache_dir=blocked / "cache"))  # cannot create a folder under a file
    assert fallback.backend == "sentence-transformers"
    assert fallback.encode(["x"]).shape == (1, fallback.dim)


def test_small_calls_are_memoised_and_give_the_same_vectors(real_embedder, monkeypatch):
    first = real_embedder.encode(TEXTS)
    seen = []
    original = real_embedder._impl.encode
    monkeypatch.setattr(real_embedder._impl, "encode", lambda texts, progress: seen.append(list(texts)) or original(texts, progress))
    again = real_embedder.encode(["a sentence not seen before", *reversed(TEXTS), TEXTS[1]])
    assert seen == [["a sentence not seen before"]]  # only the new text reached the model
    np.testing.assert_array_equal(again[1:-1], first[::-1])
    np.testing.assert_array_equal(again[-1], first[1])
    assert again.dtype == np.float32 and again.shape == (len(TEXTS) + 2, real_embedder.dim)


def test_memo_can_be_turned_off(real_embedder, monkeypatch):
    plain = load_embedder(Config(), memo=False)
    seen = []
    original = plain._impl.encode
    monkeypatch.setattr(plain._impl, "encode", lambda texts, progress: seen.append(list(texts)) or original(texts, progress))
    first, again = plain.encode(TEXTS[:2]), plain.encode(TEXTS[:2])
    assert seen == [TEXTS[:2], TEXTS[:2]]  # every call ran the model
    np.testing.assert_allclose(first, again)
    np.testing.assert_allclose(first, real_embedder.encode(TEXTS[:2]), atol=1e-6)


def test_unknown_backend_error_lists_the_registered_names():
    with pytest.raises(ModelError) as error:
        load_embedder(Config(embedding_backend="onnx"))
    assert str(error.value) == "Unknown embedding backend 'onnx': use one of auto, ctranslate2, sentence-transformers."


def test_the_backend_comes_from_the_environment_through_config(monkeypatch):
    monkeypatch.setenv("RAG_EMBEDDING_BACKEND", "sentence-transformers")
    assert Config.from_env().embedding_backend == "sentence-transformers"
