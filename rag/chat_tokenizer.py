"""A chat model's tokenizer without transformers: `tokenizers` for the ids, jinja2 for the chat template.

`FastTokenizer.from_folder(folder)` reads a model folder's tokenizer.json and its chat template and
offers the small part of transformers' tokenizer API the generators use (encode, decode, vocabulary,
apply_chat_template), with the same token ids. `chat_prompt_ids` turns chat messages into the prompt's
ids with either kind of tokenizer. Importing transformers costs seconds at every start; this costs
milliseconds. It does not run models (rag/generators).
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path


def chat_prompt_ids(tokenizer, messages: list[dict]) -> list[int]:
    """The ids of the chat template applied to `messages`, ready for the assistant's reply
    (transformers returns a list or a BatchEncoding, depending on version; both are accepted)."""
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
    return list(ids["input_ids"] if hasattr(ids, "keys") else ids)


class FastTokenizer:
    """A model folder's tokenizer.json run by the `tokenizers` package, and its chat template rendered
    with jinja2 the way transformers renders it: the same token ids as transformers' tokenizer (a test
    checks), without importing transformers. The subset of the transformers API the generators use."""

    def __init__(self, tokenizer, chat_template: str, special: dict[str, str], clean_up_spaces: bool = False):
        self._tokenizer = tokenizer
        self.chat_template = chat_template
        self.special = special
        self.eos_token = special.get("eos_token")
        self.clean_up_spaces = clean_up_spaces
        self._template = None

    @classmethod
    def from_folder(cls, folder: str | Path) -> "FastTokenizer | None":
        """None when the folder lacks a tokenizer.json or a chat template, or a package is missing."""
        folder = Path(folder)
        if not (folder / "tokenizer.json").exists() or importlib.util.find_spec("tokenizers") is None or importlib.util.find_spec("jinja2") is None:
            return None
        config = _read_json(folder / "tokenizer_config.json")
        special = {}
        for source in (_read_json(folder / "special_tokens_map.json"), config):
            for key in ("bos_token", "eos_token", "unk_token", "pad_token"):
                value = source.get(key)
                value = value.get("content") if isinstance(value, dict) else value
                if isinstance(value, str):
                    special[key] = value
        template = config.get("chat_template")
        if isinstance(template, list):  # named templates: transformers uses "default"
            template = next((t.get("template") for t in template if t.get("name") == "default"), None)
        if (folder / "chat_template.jinja").exists():
            template = (folder / "chat_template.jinja").read_text(encoding="utf-8")
        if not template:
            return None
        import tokenizers

        tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(tokenizer, template, special, bool(config.get("clean_up_tokenization_spaces", False)))

    def get_vocab(self) -> dict[str, int]:
        return self._tokenizer.get_vocab(with_added_tokens=True)

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=add_special_tokens).ids

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        text = self._tokenizer.decode(list(ids), skip_special_tokens=skip_special_tokens)
        if self.clean_up_spaces:
            for before, after in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
                text = text.replace(before, after)
        return text

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self._tokenizer.id_to_token(i) for i in ids]

    def apply_chat_template(self, messages: list[dict], add_generation_prompt: bool = True, tokenize: bool = True):
        if self._template is None:
            self._template = _compile_chat_template(self.chat_template)
        text = self._template.render(messages=messages, add_generation_prompt=add_generation_prompt, **self.special)
        return self.encode(text, add_special_tokens=False) if tokenize else text


def _compile_chat_template(source: str):
    """Compile a chat template in the environment transformers uses (sandboxed, trim_blocks, lstrip_blocks,
    loop controls, raise_exception, strftime_now, a tojson that does not escape HTML)."""
    from datetime import datetime

    import jinja2
    from jinja2.ext import Extension
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Generation(Extension):
        # `{% generation %}` marks the assistant's tokens for training masks; rendering just keeps the body.
        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

        def _body(self, caller):
            return caller()

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env.from_string(source)


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
