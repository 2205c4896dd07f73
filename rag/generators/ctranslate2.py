"""The answer model on CTranslate2: int8 greedy decoding on the CPU, about 3x faster than PyTorch on two cores.

The model is converted once and cached (base.resolve_model names the folder); a cached conversion
that is damaged (a truncated model.bin) is found at load and converted again (model_cache.load_cached),
and `notice` says so. With a cached
conversion it imports neither torch nor transformers: the tokenizer runs on `tokenizers` and the
chat template on jinja2 (`FastTokenizer`, chat_tokenizer.py), so a warm load takes well under a second.
"""
from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Iterator

from rag.chat_tokenizer import FastTokenizer, chat_prompt_ids
from rag.config import Config
from rag.errors import ModelError, missing_package
from rag.generators import base
from rag.model_cache import load_cached


class CTranslate2Generator(base.TokenizerBackend):
    """int8 greedy decoding with CTranslate2; the model is converted once and cached.

    The tokenizer is a `FastTokenizer` when the model folder has a tokenizer.json and a chat template
    (the default model does), so a warm start never imports transformers or torch (~3 s on two cores).
    """

    backend = "ctranslate2"
    notice: str | None = None  # one line when a damaged cached conversion was converted again

    def __init__(self, name: str, source: str, cache: Path, config: Config):
        import ctranslate2

        def convert(folder: Path) -> None:
            base.import_transformers()  # the converter reads the model with transformers
            try:
                ctranslate2.converters.TransformersConverter(source, load_as_float16=False).convert(str(folder), quantization="int8", force=True)
            except Exception as error:  # an architecture CTranslate2 does not know: the caller falls back
                raise ModelError(f"CTranslate2 cannot convert '{name}': {str(error)[:200]}") from error

        def load(folder: Path):
            return ctranslate2.Generator(str(folder), device="cpu", compute_type="int8", intra_threads=max(1, config.threads))

        self.generator, self.notice = load_cached(cache / "ct2-int8", "model.bin", convert, load, f"answer model {name}")
        self.tokenizer = FastTokenizer.from_folder(source) if Path(source).is_dir() else None
        if self.tokenizer is None:
            self.tokenizer = base.import_transformers().AutoTokenizer.from_pretrained(source, local_files_only=Path(source).exists())
        if not getattr(self.tokenizer, "chat_template", None):
            raise ModelError(f"The model '{name}' has no chat template; use an instruct/chat model.")
        vocab = self.tokenizer.get_vocab()
        self.end_tokens = [t for t in dict.fromkeys([self.tokenizer.eos_token, "<|im_end|>", "<|endoftext|>", "<|eot_id|>"]) if t and t in vocab]
        self.name, self.config = name, config
        self.last_stats: dict = {}

    def _pieces(self, messages: list[dict], max_new_tokens: int) -> Iterator[str]:
        started = time.perf_counter()
        prompt = chat_prompt_ids(self.tokenizer, messages)
        steps = self.generator.generate_tokens(
            self.tokenizer.convert_ids_to_tokens(prompt),
            max_length=max_new_tokens,
            sampling_topk=1,
            repetition_penalty=self.config.repetition_penalty,
            no_repeat_ngram_size=self.config.no_repeat_ngram_size,
            end_token=self.end_tokens,
        )
        ids: list[int] = []
        shown = ""
        first = None
        self.last_stats = stats = {"prompt_tokens": len(prompt), "new_tokens": 0, "first_token_s": None, "total_s": None}
        try:
            for step in steps:
                if first is None:
                    first = stats["first_token_s"] = time.perf_counter() - started
                if step.is_last and step.token in self.end_tokens:
                    break
                ids.append(step.token_id)
                stats["new_tokens"] = len(ids)
                # Decode the whole answer so far: byte-level BPE splits characters across tokens.
                text = self.tokenizer.decode(ids, skip_special_tokens=True)
                if len(text) > len(shown) and not text.endswith("\ufffd"):
                    yield text[len(shown):]
                    shown = text
        finally:  # also when a stop string ended the stream early
            stats["total_s"] = time.perf_counter() - started


def load(config: Config) -> CTranslate2Generator:
    if importlib.util.find_spec("ctranslate2") is None:
        raise missing_package("ctranslate2", "ctranslate2 backend")
    name, source, cache = base.resolve_model(config)
    return CTranslate2Generator(name, source, cache, config)
