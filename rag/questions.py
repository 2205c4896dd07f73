"""What a question may be: text, cleaned of what no tokenizer can read, neither empty nor a pasted document.

Questions come from people and programs the app does not know (the chat, the API, the CLI). Lone
UTF-16 surrogates (valid in a Python str, not in UTF-8; the tokenizers refuse them with a TypeError)
become U+FFFD, control characters other than tab and newline go, and line ends become "\n". Numbers
are taken as their text; anything else that is not text is refused with a sentence, as are an empty
question and one over the configured length.
"""
from __future__ import annotations

import re

from rag.errors import QuestionError

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """`text` without lone surrogates (-> U+FFFD) and control characters other than tab and newline."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def kind(value) -> str:
    """'a list', 'None', ...: what a value is, for a message."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def check_question(question, max_chars: int) -> str:
    """The question, cleaned and stripped; QuestionError with a sentence for the person otherwise."""
    if question is None:
        question = ""
    if isinstance(question, (int, float)) and not isinstance(question, bool):
        question = str(question)
    if not isinstance(question, str):
        raise QuestionError(f"The question must be text, not {kind(question)}.")
    question = clean_text(question).strip()
    if not question:
        raise QuestionError("The question is empty. Type a question about your notes.")
    if len(question) > max_chars:
        raise QuestionError(f"The question is {len(question):,} characters long; the limit is {max_chars:,}. Ask about one thing at a time.")
    return question
