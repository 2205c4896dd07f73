"""What the chat and the API accept, and a sentence for anything else (never a traceback).

The /ask and /chat endpoints take JSON from programs the app does not know: a question may arrive
as a number or a list, the history as a dict, top_k as "abc". The question itself is checked by
rag.questions (through the pipeline); here: the settings (whole numbers within the configured
bounds, given as numbers or numeric strings), the history (a list of {"role", "content"} messages,
Gradio's list-of-parts content, or [question, answer] pairs), and `lenient` sliders, whose API
value is handed to the handler as sent so that the handler, not Gradio, says what is wrong with it.
"""
from __future__ import annotations

import math

import gradio as gr

from rag.errors import QuestionError
from rag.questions import clean_text, kind

ROLES = ("user", "assistant")


def whole_number(value, label: str, low: int, high: int) -> int | None:
    """A setting as an int from `low` to `high`; None when not given; QuestionError saying why not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) or number != int(number) or not low <= number <= high:
        shown = repr(value) if not isinstance(value, (list, dict, tuple)) else kind(value)
        raise QuestionError(f"{label} must be a whole number from {low} to {high}, not {shown[:40]}.")
    return int(number)


def options(config, top_k, max_new_tokens) -> dict:
    """The per-request settings for Pipeline.stream, checked."""
    return {
        "top_k": whole_number(top_k, "top_k (passages to retrieve)", 1, config.max_top_k),
        "max_new_tokens": whole_number(max_new_tokens, "max_new_tokens (answer length)", 1, config.max_answer_tokens),
    }


def history(value) -> list[dict]:
    """An API caller's conversation as the pipeline reads it: messages with a role and text content.

    Entries it cannot read as a user or assistant message (a system prompt, a number) are left out;
    a history that is not a list at all is refused with a sentence.
    """
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise QuestionError(f'The history must be a list of messages like {{"role": "user", "content": "..."}}, not {kind(value)}.')
    flat = []
    for message in value:
        if isinstance(message, (list, tuple)) and len(message) == 2:  # Gradio's [question, answer] pairs
            flat += [m for m in ({"role": "user", "content": message[0]}, {"role": "assistant", "content": message[1]})]
            continue
        if not isinstance(message, dict):
            continue
        flat.append(message)
    messages = []
    for message in flat:
        role, content = message.get("role", "user"), message.get("content")
        if isinstance(content, list):  # Gradio's normalized messages: content as a list of parts
            content = " ".join(part.get("text", "") for part in content if isinstance(part, dict) and isinstance(part.get("text"), str))
        if role in ROLES and isinstance(content, str):
            messages.append({"role": role, "content": clean_text(content)})
    return messages


def lenient(slider: gr.Slider) -> gr.Slider:
    """The slider, whose value sent through the API reaches the handler as sent (see `options`):
    Gradio's own check would fail on "abc" with a server traceback and no word for the caller."""
    strict = slider.preprocess

    def preprocess(payload):
        try:
            return strict(payload)
        except Exception:
            return payload

    slider.preprocess = preprocess
    return slider
