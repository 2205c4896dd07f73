"""The answer model: streaming, limits, end token, backend fallback, the conversion cache, the tokenizer.

The real default generator (session fixture `real_generator`) is used where it is fast; the cache and
fallback tests patch the expensive steps to fail loudly if they run.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from types import SimpleNamespace

import pytest

from rag.config import Config
from rag.errors import ModelError
from rag.chat_tokenizer import FastTokenizer
from rag.generators import base, load_generator
from rag.generators.ctranslate2 import CTranslate2Generator
from rag.model_cache import file_sha256

HELLO = [{"role": "user", "content": "Say hello."}]
NOTES_PROMPT = [
    {"role": "system", "content": "You answer questions using only the numbered notes below."},
    {"role": "user", "content": "Notes:\n[1] Trains\nThe Shinkansen bullet train opened in 1964 between Tokyo and Osaka.\n\nQuestion: When did the Shinkansen open?"},
]


def _default_hf_folder():
    return base.dequantized_gguf(base.default_gguf_path(), Config().cache_dir)


def test_streams_text(real_generator):
    pieces = list(real_generator.stream(NOTES_PROMPT, 24))
    assert pieces and all(isinstance(p, str) and p for p in pieces)
    text = "".join(pieces)
    assert text.strip()
    assert "<|im_end|>" not in text and "<|im_start|>" not in text
    stats = real_generator.last_stats
    assert stats["prompt_tokens"] > 20 and 1 <= stats["new_tokens"] <= 24
    assert 0 < stats["first_token_s"] <= stats["total_s"]


def test_respects_max_new_tokens(real_generator):
    text = "".join(real_generator.stream(NOTES_PROMPT, 5))
    assert real_generator.last_stats["new_tokens"] <= 5
    # Re-encoding a decoded text can merge or split a token at the edges; it never adds many.
    assert real_generator.count_tokens(text) <= 6


def test_end_token_stops_the_real_model(real_generator):
    text = "".join(real_generator.stream(HELLO, 200))
    assert real_generator.last_stats["new_tokens"] < 200, "the model should end a greeting well before 200 tokens"
    assert "<|im_end|>" not in text


class _Steps:
    """Stands in for ctranslate2.Generator: yields scripted steps, and records the call."""

    def __init__(self, tokens):
        self.tokens, self.calls = tokens, []

    def generate_tokens(self, prompt, **options):
        self.calls.append(options)
        for i, (token, token_id) in enumerate(self.tokens):
            yield SimpleNamespace(token=token, token_id=token_id, is_last=token == "<|im_end|>" or i == len(self.tokens) - 1)


def test_end_token_stops_the_stream_and_is_not_shown():
    tokenizer = FastTokenizer.from_folder(_default_hf_folder())
    ids = tokenizer.encode(" Hello there.", add_special_tokens=False)
    steps = [(t, i) for t, i in zip(tokenizer.convert_ids_to_tokens(ids), ids)] + [("<|im_end|>", 2), ("Ġafter", 1000)]
    fake = object.__new__(CTranslate2Generator)
    fake.tokenizer, fake.generator, fake.config = tokenizer, _Steps(steps), Config()
    fake.end_tokens = ["<|im_end|>"]
    assert "".join(fake.stream(HELLO, 50)) == " Hello there."
    assert fake.last_stats["new_tokens"] == len(ids)
    assert fake.generator.calls[0]["end_token"] == ["<|im_end|>"] and fake.generator.calls[0]["max_length"] == 50


def test_fast_tokenizer_matches_transformers():
    transformers = pytest.importorskip("transformers")
    folder = _default_hf_folder()
    ours = FastTokenizer.from_folder(folder)
    theirs = transformers.AutoTokenizer.from_pretrained(str(folder))
    conversations = [
        HELLO,
        NOTES_PROMPT,
        [{"role": "user", "content": "héllo — “quotes” 😀 ünïcode\n\n  spaced  <|im_end|> 1964"}],
        [{"role": "system", "content": "s"}, {"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}],
    ]
    for messages in conversations:
        expected = theirs.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        expected = list(expected["input_ids"] if hasattr(expected, "keys") else expected)
        assert ours.apply_chat_template(messages, add_generation_prompt=True) == expected
        text = theirs.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        assert ours.apply_chat_template(messages, add_generation_prompt=True, tokenize=False) == text
    sample = "The GAN came out in 2014 — “adversarial” means two networks compete. Ünïcode ok?"
    ids = ours.encode(sample, add_special_tokens=False)
    assert ids == theirs.encode(sample, add_special_tokens=False)
    assert ours.decode(ids + [2], skip_special_tokens=True) == theirs.decode(ids + [2], skip_special_tokens=True) == sample
    assert ours.eos_token == theirs.eos_token == "<|im_end|>"


def test_warm_load_reuses_the_cache_and_skips_transformers(real_generator, monkeypatch):
    """A second load finds the dequantized and converted copies: nothing is hashed, converted or imported again."""
    import ctranslate2

    load_generator(Config(generator_backend="ctranslate2"))  # the first load on this machine converts (a fresh cache has no copy yet)

    def must_not_run(*args, **kwargs):
        raise AssertionError("the cached model was converted or re-read again")

    monkeypatch.setattr(base.hashlib, "sha256", must_not_run)
    monkeypatch.setattr(base, "import_transformers", must_not_run)
    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", must_not_run)
    generator = load_generator(Config(generator_backend="ctranslate2"))
    assert generator.backend == "ctranslate2"
    assert isinstance(generator.tokenizer, FastTokenizer)
    assert "".join(generator.stream(NOTES_PROMPT, 3))


def test_warm_start_does_not_import_torch_or_transformers(real_generator):  # the fixture made the cache
    code = (
        "import sys\nfrom rag.config import Config\nfrom rag.generators import load_generator\n"
        "g = load_generator(Config())\nprint(g.backend, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
        "g = load_generator(Config(generator_backend='ctranslate2'))\nprint(g.backend, 'torch' in sys.modules, 'transformers' in sys.modules)"
    )
    import subprocess

    from rag.config import PROJECT_ROOT

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["llamacpp", "False", "False", "ctranslate2", "False", "False"]


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    """A two-layer random Llama with the default model's tokenizer: converts in a second."""
    transformers = pytest.importorskip("transformers")
    import torch

    folder = tmp_path_factory.mktemp("tiny-llama")
    hf = _default_hf_folder()
    config = transformers.LlamaConfig(vocab_size=49152, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, eos_token_id=2, bos_token_id=1, tie_word_embeddings=True)
    torch.manual_seed(0)
    transformers.LlamaForCausalLM(config).save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json"):
        if (hf / name).exists():
            shutil.copy(hf / name, folder / name)
    return folder


def test_a_local_model_is_converted_once_then_loaded_from_the_cache(tiny_llama, tmp_path, monkeypatch):
    import ctranslate2

    config = Config(generator_model=str(tiny_llama), cache_dir=tmp_path / "cache", threads=1)
    first = load_generator(config)
    assert first.backend == "ctranslate2"
    converted = list((tmp_path / "cache" / "models").glob("*/ct2-int8/model.bin"))
    assert len(converted) == 1
    stamp = converted[0].stat().st_mtime_ns

    def must_not_run(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", must_not_run)
    second = load_generator(config)
    assert second.backend == "ctranslate2" and converted[0].stat().st_mtime_ns == stamp
    pieces = list(second.stream(HELLO, 4))
    assert second.last_stats["new_tokens"] <= 4 and all(isinstance(p, str) for p in pieces)


def test_falls_back_to_transformers_without_ctranslate2(tiny_llama, tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ctranslate2" else real_find_spec(name, *a))
    config = Config(generator_model=str(tiny_llama), cache_dir=tmp_path / "cache", threads=1)
    generator = load_generator(config)
    assert generator.backend == "transformers"
    text = "".join(generator.stream(HELLO, 4))
    assert isinstance(text, str)
    assert 1 <= generator.last_stats["new_tokens"] <= 4
    assert len(generator.tokenizer.encode("two words", add_special_tokens=False)) >= 2
    with pytest.raises(ModelError, match="ctranslate2"):
        load_generator(config.replace(generator_backend="ctranslate2"))


def test_default_model_falls_back_to_transformers_without_ctranslate2(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in ("ctranslate2", "xllamacpp") else real_find_spec(name, *a))
    generator = load_generator(Config())
    assert generator.backend == "transformers"
    assert "".join(generator.stream(NOTES_PROMPT, 3))
    assert generator.last_stats["new_tokens"] <= 3
    full = "".join(generator.stream(NOTES_PROMPT, 12))
    written = generator.last_stats["new_tokens"]
    stop = full.strip()[2:6]
    assert stop and "".join(generator.stream(NOTES_PROMPT, 12, stop=[stop])) == full[: full.index(stop)]
    assert generator.last_stats["new_tokens"] < written  # the stop string ended generation, not just the output


def test_unknown_backend_is_a_model_error():
    with pytest.raises(ModelError, match="backend"):
        load_generator(Config(generator_backend="llama"))


# --- the registry


def test_unknown_backend_error_lists_the_registered_names():
    with pytest.raises(ModelError) as error:
        load_generator(Config(generator_backend="llama"))
    assert str(error.value) == "Unknown generator backend 'llama': use one of auto, ctranslate2, transformers, llamacpp, openai."


class _Scripted:
    name, backend, last_stats = "scripted", "scripted", {}

    def __init__(self, config):
        self.config = config

    def stream(self, messages, max_new_tokens, stop=None):
        return base.until_stop(iter(["Hel", "lo"]), stop)

    def count_tokens(self, text):
        return len(text)


def test_one_registry_line_adds_a_backend_to_loading_and_every_cli(monkeypatch):
    from eval import __main__ as eval_cli
    from eval import bench
    from rag import __main__ as rag_cli
    from rag import generators

    monkeypatch.setitem(generators.BACKENDS, "scripted", f"{__name__}:_Scripted")
    assert generators.names() == ["auto", "ctranslate2", "transformers", "llamacpp", "openai", "scripted"]
    generator = load_generator(Config(generator_backend="scripted"))
    assert isinstance(generator, _Scripted) and "".join(generator.stream(HELLO, 5)) == "Hello"
    assert rag_cli.parse_args(["ask", "q", "--backend", "scripted"]).backend == "scripted"
    assert bench.parse_args(["--backend", "scripted"]).backend == "scripted"
    assert eval_cli.run_parser().parse_args(["--questions", "q", "--out", "o", "--backend", "scripted"]).backend == "scripted"
    monkeypatch.delitem(generators.BACKENDS, "scripted")
    with pytest.raises(SystemExit):
        rag_cli.parse_args(["ask", "q", "--backend", "scripted"])


# --- stop strings


@pytest.mark.parametrize(
    "pieces,stop,expected",
    [
        (["Hel", "lo wo", "rld"], ["o w"], ["Hel", "l"]),  # a stop string split across pieces
        (["ab", "c", "d"], ["cx"], ["ab", "cd"]),  # held back while it might start a stop string, then let go
        (["Answer.", "\nQuestion: more"], ["\nQuestion:", "never"], ["Answer."]),
        (["stop at once"], ["stop"], []),
        (["no stop here"], None, ["no stop here"]),
    ],
)
def test_until_stop(pieces, stop, expected):
    assert list(base.until_stop(iter(pieces), stop)) == expected


def test_a_stop_string_ends_the_stream_and_is_not_shown():
    tokenizer = FastTokenizer.from_folder(_default_hf_folder())
    ids = tokenizer.encode(" Hello there. More after.", add_special_tokens=False)
    steps = [(t, i) for t, i in zip(tokenizer.convert_ids_to_tokens(ids), ids)] + [("<|im_end|>", 2)]
    fake = object.__new__(CTranslate2Generator)
    fake.tokenizer, fake.generator, fake.config = tokenizer, _Steps(steps), Config()
    fake.end_tokens = ["<|im_end|>"]
    assert "".join(fake.stream(HELLO, 50, stop=["there"])) == " Hello "
    assert fake.last_stats["new_tokens"] < len(ids) and fake.last_stats["total_s"] is not None  # decoding stopped there


def test_stop_strings_on_the_real_model(real_generator):
    full = "".join(real_generator.stream(NOTES_PROMPT, 24))
    stop = full.strip()[4:10]
    assert stop and "".join(real_generator.stream(NOTES_PROMPT, 24, stop=[stop])) == full[: full.index(stop)]


def test_file_hash_is_remembered(tmp_path, monkeypatch):
    blob = tmp_path / "model.gguf"
    blob.write_bytes(b"x" * 1000)
    digest = file_sha256(blob, tmp_path / "cache")
    memo = json.loads((tmp_path / "cache" / "file-hashes.json").read_text())
    assert digest in memo.values()
    monkeypatch.setattr(base.hashlib, "sha256", lambda: (_ for _ in ()).throw(AssertionError("re-hashed")))
    assert file_sha256(blob, tmp_path / "cache") == digest


# --- which backend "auto" picks


def test_auto_runs_the_packaged_gguf_on_llamacpp_with_its_slots(tmp_path):
    from rag.generators import answer_slots, auto_backend

    pytest.importorskip("xllamacpp")
    config = Config(llamacpp_slots=2)
    generator = load_generator(config)
    try:
        assert generator.backend == "llamacpp" and generator.slots == 2 == answer_slots(config)
        assert "".join(generator.stream(NOTES_PROMPT, 3))
    finally:
        generator.close()
    # a model that is no GGUF file (a Hub id, a transformers folder) goes to CTranslate2, one answer at a time
    hub = Config(generator_model="HuggingFaceTB/SmolLM2-135M-Instruct")
    assert auto_backend(hub) == "ctranslate2" and answer_slots(hub) == 1
    assert auto_backend(Config(generator_model=str(tmp_path / "model.gguf"))) == "llamacpp"
    assert answer_slots(Config(generator_backend="ctranslate2")) == 1


def test_auto_with_a_server_url_uses_the_server(monkeypatch):
    from rag.generators import answer_slots

    with pytest.raises(ModelError, match="(?i)cannot reach the answer model server at http://127.0.0.1:9/v1"):
        load_generator(Config(generator_url="http://127.0.0.1:9", generator_retries=0))
    assert answer_slots(Config(generator_url="http://127.0.0.1:9")) >= 2
    assert answer_slots(Config(generator_url="http://127.0.0.1:9", generator_slots=7)) == 7
