"""Shared fixtures: the real models loaded once per test run, and deterministic fakes.

Real models are used wherever they are fast (the embedder loads in under a second, the default
generator in about one once converted). Fakes stand in where a real part would make a test slow or
its outcome depend on a model's whims: `FakeEmbedder` (bag of hashed words, so retrieval is lexical
and predictable) and `FakeGenerator` (streams a scripted answer, or raises).
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.config import PROJECT_ROOT, Config

DEFAULT_NOTES = PROJECT_ROOT / "corpus"


class FakeEmbedder:
    """Hashed bag of words, normalized: texts sharing words are close, others are near 0."""

    name = "fake-hash-embedder"
    dim = 256
    backend = "fake"

    def encode(self, texts, progress=False):
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                vectors[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


class FakeGenerator:
    """Streams `reply` word by word (or the result of `reply(messages)` if callable); records prompts."""

    name = "fake-generator"
    backend = "fake"

    def __init__(self, reply="The notes do not say.", error: Exception | None = None):
        self.reply, self.error, self.prompts = reply, error, []

    def stream(self, messages, max_new_tokens, stop=None):
        self.prompts.append(messages)
        if self.error is not None:
            raise self.error
        text = self.reply(messages) if callable(self.reply) else self.reply
        for i, word in enumerate(text.split(" ")):
            yield word if i == 0 else " " + word

    def count_tokens(self, text):
        return len(text.split())


TINY_NOTES = {
    "cooking.md": "# Cooking\n\n## Bread\nSourdough bread needs a starter that is fed with flour and water every day.\n\n## Pasta\n\n## Soup\nMinestrone is an Italian vegetable soup, usually with beans and pasta.\n",
    "travel/japan.md": "# Japan\n\n## Trains\nThe Shinkansen bullet train opened in 1964 between Tokyo and Osaka.\n",
}


def write_notes(folder: Path, files: dict[str, str] = TINY_NOTES) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_notes(tmp_path) -> Path:
    return write_notes(tmp_path / "notes")


@pytest.fixture
def default_notes_copy(tmp_path) -> Path:
    """A private copy of the default notes, safe to edit."""
    return Path(shutil.copytree(DEFAULT_NOTES, tmp_path / "corpus"))


@pytest.fixture(scope="session")
def real_embedder():
    from rag.embedders import load_embedder

    return load_embedder(Config())


@pytest.fixture(scope="session")
def real_generator():
    from rag.generators import load_generator

    return load_generator(Config())


@pytest.fixture(scope="session")
def default_pipeline(tmp_path_factory, real_embedder, real_generator):
    """The product as shipped: default notes, real embedder and generator, a private index folder."""
    from rag.pipeline import Pipeline

    config = Config(notes_dir=DEFAULT_NOTES, index_dir=tmp_path_factory.mktemp("index"))
    pipeline = Pipeline(config, embedder=real_embedder, generator=real_generator, log=lambda message: None)
    pipeline.prepare()
    return pipeline


def fake_pipeline(notes: Path, index_dir: Path, reply="The notes do not say.", error=None, **config):
    from rag.pipeline import Pipeline

    cfg = Config(notes_dir=notes, index_dir=index_dir, **config)
    return Pipeline(cfg, embedder=FakeEmbedder(), generator=FakeGenerator(reply, error), log=lambda message: None)
