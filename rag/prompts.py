"""Every piece of text the product says to a model or, in fixed phrasing, to a user.

Prompts are data: edit them here, nowhere else. Passages are given to the model numbered, each
under its heading path; the model is asked to answer from them alone. Nothing here is trusted:
grounding.py checks every sentence the model writes against the notes afterwards.
"""
from __future__ import annotations

# One user turn, notes first and the question last: of the layouts tried on eight dev questions
# with SmolLM2-135M (system rules + notes, "context" framing, bare notes), this one had the largest
# share of draft sentences the notes back (0.26 against 0.12-0.17). Every token here also costs
# first-token time on two cores. Whatever the model does with it, grounding.py keeps only what the
# notes back, so instructions hidden in notes or questions cannot put words in the answer.
PASSAGE = "[{number}] {heading}\n{text}"

USER = "Notes:\n{passages}\n\nUsing only the notes above, answer briefly: {question}"

# What users read. {sections} is a bulleted list of the nearest sections.
NOT_IN_NOTES = "Your notes don't cover this. The nearest sections are:\n{sections}"
NOT_IN_NOTES_NOTHING = "Your notes don't cover this."
EMPTY_SECTION = "Your notes have a section {section} but nothing is written there yet."
EMPTY_SECTION_ALSO = "Your notes also have a section {section}, but nothing is written there yet."
EXTRACTIVE_INTRO = "From your notes:"


def format_passages(passages) -> str:
    return "\n\n".join(
        PASSAGE.format(number=i, heading=" > ".join(p.section) or p.file, text=p.text)
        for i, p in enumerate(passages, start=1)
    )


def answer_messages(question: str, passages) -> list[dict]:
    return [{"role": "user", "content": USER.format(passages=format_passages(passages), question=question)}]
