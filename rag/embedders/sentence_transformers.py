"""Embeddings with sentence-transformers: the reference backend.

Used for models the CTranslate2 path cannot reproduce exactly (extra Dense layers, unusual pooling,
an architecture CTranslate2 does not convert) and when ctranslate2 is not installed. Importing it
pulls in torch, transformers, scikit-learn and scipy: 8-9 s to start.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from rag.config import Config
from rag.embedders.base import model_source
from rag.errors import ModelError, missing_package

# Texts per forward pass; sentence-transformers pads each batch to its longest text.
BATCH_SIZE = 32


class SentenceTransformersEncoder:
    backend = "sentence-transformers"

    def __init__(self, source: str, model: str, threads: int, batch_size: int = BATCH_SIZE):
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
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress)


def load(config: Config) -> SentenceTransformersEncoder:
    source, name = model_source(config.embedding_model)
    encoder = SentenceTransformersEncoder(source, config.embedding_model, config.threads)
    encoder.name = name
    return encoder


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") in ("1", "true", "yes")
