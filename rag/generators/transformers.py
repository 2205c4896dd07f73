"""The answer model on PyTorch through transformers: any causal LM with a chat template; the fallback.

Greedy decoding streamed through TextIteratorStreamer on a worker thread, with the repetition guard
CTranslate2 applies (over the answer only, not the prompt), so both backends write alike.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Iterator

from rag.chat_tokenizer import chat_prompt_ids
from rag.config import Config
from rag.errors import ModelError
from rag.generators import base


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


class _StopWhenSet:
    """A transformers stopping criterion: ends generation once the reader has stopped reading."""

    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs) -> bool:
        return self.event.is_set()


class TransformersGenerator(base.TokenizerBackend):
    """Greedy decoding with PyTorch; streams through TextIteratorStreamer on a worker thread."""

    backend = "transformers"

    def __init__(self, name: str, source: str, config: Config):
        transformers = base.import_transformers()
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

    def _pieces(self, messages: list[dict], max_new_tokens: int) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        started = time.perf_counter()
        input_ids = torch.tensor([chat_prompt_ids(self.tokenizer, messages)])
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        done_reading = threading.Event()
        kwargs = dict(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            max_new_tokens=max_new_tokens,
            do_sample=False,
            # transformers' own repetition_penalty and no_repeat_ngram_size also count the prompt, which
            # punishes copying words from the notes; this guard looks at the answer alone.
            logits_processor=[AnswerOnlyRepetitionGuard(input_ids.shape[1], self.config.repetition_penalty, self.config.no_repeat_ngram_size)],
            stopping_criteria=StoppingCriteriaList([_StopWhenSet(done_reading)]),
            streamer=streamer,
            pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
        )
        self.last_stats = stats = {"prompt_tokens": int(input_ids.shape[1]), "new_tokens": 0, "first_token_s": None, "total_s": None}
        worker = threading.Thread(target=self._generate, args=(kwargs, stats), daemon=True)
        worker.start()
        try:
            for piece in streamer:
                if piece:
                    if stats["first_token_s"] is None:
                        stats["first_token_s"] = time.perf_counter() - started
                    yield piece
        finally:  # a stop string (or a reader that went away) ends generation at the next token
            done_reading.set()
            worker.join()
            stats["total_s"] = time.perf_counter() - started

    def _generate(self, kwargs, stats):
        import torch

        with torch.inference_mode():
            output = self.model.generate(**kwargs)
        generated = output[0, kwargs["input_ids"].shape[1] :].tolist()
        end = {self.tokenizer.eos_token_id, self.tokenizer.pad_token_id}
        stats["new_tokens"] = len(generated) - (1 if generated and generated[-1] in end else 0)


def load(config: Config) -> TransformersGenerator:
    name, source, _ = base.resolve_model(config)
    return TransformersGenerator(name, source, config)
