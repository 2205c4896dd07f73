"""Embeddings on CTranslate2: the default backend when the package is installed.

The model's transformer is converted once to a CTranslate2 float32 encoder, cached by the weights'
sha256, and run with the `tokenizers` package and the model's own pooling done in numpy. Its vectors
equal sentence-transformers' (cosine > 0.99999), so indexes stay compatible, but it starts in 0.2 s
instead of 8-9 s. A model it cannot reproduce exactly raises ModelError (the registry falls back).
"""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np

from rag.config import Config
from rag.embedders.base import model_source
from rag.errors import ModelError, missing_package
from rag.model_cache import file_sha256, load_cached

# Batches are cut by tokens, not texts, after sorting by length: a batch pads every text to its
# longest one, so similar lengths waste no work on padding (1.3-1.6x faster on notes than fixed
# batches of 32 in input order).
BATCH_TOKENS = 2048


class CTranslate2Encoder:
    """The model's transformer on CTranslate2 (float32), its tokenizer on `tokenizers`, pooling in numpy.

    Raises ModelError when the model cannot be reproduced exactly this way; the caller falls back.
    """

    backend = "ctranslate2"
    notice: str | None = None  # one line when a damaged cached conversion was converted again

    def __init__(self, source: str, threads: int, cache_dir: Path | None = None):
        folder = _local_folder(source)
        if folder is None:
            raise ModelError(f"'{source}' is not a local folder or a cached Hub model.")
        self.pooling, self.max_length, self.lowercase = _sentence_transformers_layout(folder)
        if cache_dir is None:
            from rag.config import _default_cache_dir

            cache_dir = _default_cache_dir()
        import ctranslate2
        import tokenizers

        def load(converted: Path):
            tokenizer = tokenizers.Tokenizer.from_file(str(converted / "tokenizer.json"))
            model = ctranslate2.Encoder(str(converted), device="cpu", compute_type="float32", intra_threads=max(1, threads))
            return tokenizer, model, int(json.loads((converted / "rag-embedder.json").read_text())["dim"])

        target = Path(cache_dir) / "embedders" / f"{folder.name}-{_weights_digest(folder, Path(cache_dir))}" / "ct2-float32"
        (self.tokenizer, self.model, self.dim), self.notice = load_cached(
            target, "rag-embedder.json", lambda partial: _convert_encoder(folder, partial), load, f"embedding model {folder.name}"
        )
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
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


def _convert_encoder(folder: Path, partial: Path) -> None:
    """Write the CTranslate2 copy of the model (+ tokenizer.json) into `partial` (cached by the weights' hash)."""
    try:
        import ctranslate2
        import transformers
    except ImportError as error:
        raise ModelError(f"Converting the embedding model needs transformers: {error}") from error
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
        raise
    except Exception as error:  # an architecture CTranslate2 does not know: the caller falls back
        raise ModelError(f"CTranslate2 cannot convert the embedding model in {folder}: {str(error)[:200]}") from error


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc="Embedding", unit="chunk")


def load(config: Config) -> CTranslate2Encoder:
    if importlib.util.find_spec("ctranslate2") is None or importlib.util.find_spec("tokenizers") is None:
        raise missing_package("ctranslate2", "fast embedding backend")
    source, name = model_source(config.embedding_model)
    encoder = CTranslate2Encoder(source, config.threads, config.cache_dir)
    encoder.name = name
    return encoder
