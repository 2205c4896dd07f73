"""Read and check a question file: JSONL, one question object per line (format in eval/README.md).

`load_questions(path)` returns the questions with defaults filled in, or raises `QuestionFileError`
naming every bad line by its number, so a hand-written file is fixed in one pass. Blank lines are
skipped; fields beyond the documented ones are kept and copied into results.jsonl untouched.
A question may carry `history`: the earlier questions of its conversation, oldest first.
`select_split(questions, "dev")` keeps one half of a split question set.
`unknown_sections(questions, sections)` finds expected headings that the notes do not have (usually
a typo, which would silently count as a miss).
"""
from __future__ import annotations

import json
from pathlib import Path

from rag.errors import RagError

from eval.metrics import heading_keys, shown_key

DEFAULTS = {"answerable": True, "expected_sections": [], "reference_answer": None, "key_facts": [], "history": []}
SPLITS = ("dev", "report")
MAX_PROBLEMS_SHOWN = 10


class QuestionFileError(RagError):
    """The question file is missing, unreadable, or has lines that are not valid questions."""


def _problem(item: dict) -> str | None:
    """What is wrong with one parsed line, or None."""
    for key in ("id", "question"):
        if key not in item:
            return f"'{key}' is missing"
        if not isinstance(item[key], str) or not item[key].strip():
            return f"'{key}' must be a non-empty string, not {json.dumps(item[key])}"
    if not isinstance(item.get("answerable", True), bool):
        return f"'answerable' must be true or false, not {json.dumps(item['answerable'])}"
    for key in ("expected_sections", "key_facts"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return f"'{key}' must be a list of non-empty strings, not {json.dumps(value, ensure_ascii=False)}"
    for key in ("reference_answer", "supporting_quote"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            return f"'{key}' must be a string or null, not {json.dumps(value, ensure_ascii=False)}"
    if item.get("supporting_quote") is not None and not item["supporting_quote"].strip():
        return "'supporting_quote' must be a sentence of the notes or null, not empty"
    history = item.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, str) and h.strip() for h in history):
        return f"'history' must be a list of the earlier questions (non-empty strings, oldest first), not {json.dumps(history, ensure_ascii=False)}"
    if "split" in item and item["split"] not in SPLITS:
        return f"'split' must be \"dev\" or \"report\", not {json.dumps(item['split'], ensure_ascii=False)}"
    return None


def parse_questions(text: str, name: str = "the question file") -> list[dict]:
    """Questions from JSONL text; raises QuestionFileError listing each bad line's number."""
    questions, problems, seen = [], [], {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg} at column {error.colno})")
            continue
        if not isinstance(item, dict):
            problems.append(f"line {number}: must be a JSON object like {{\"id\": \"q1\", \"question\": \"...\"}}")
            continue
        problem = _problem(item)
        if problem is None and item["id"] in seen:
            problem = f"id '{item['id']}' is already used on line {seen[item['id']]}"
        if problem:
            problems.append(f"line {number}: {problem}")
            continue
        seen[item["id"]] = number
        questions.append({**DEFAULTS, **item, "line": number})
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN] + ([f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more"] if len(problems) > MAX_PROBLEMS_SHOWN else [])
        raise QuestionFileError(f"{name} has {len(problems)} bad line(s):\n  " + "\n  ".join(shown))
    if not questions:
        raise QuestionFileError(f"{name} has no questions. Write one JSON object per line, e.g. {{\"id\": \"q1\", \"question\": \"...\"}}.")
    return questions


def load_questions(path) -> list[dict]:
    """Read and check a question file (UTF-8 JSONL)."""
    path = Path(path)
    if not path.is_file():
        raise QuestionFileError(f"The question file {path} does not exist. Pass --questions a .jsonl file (see eval/README.md).")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuestionFileError(f"The question file {path} is not valid UTF-8 (byte {error.start}). Save it as UTF-8.") from error
    except OSError as error:
        raise QuestionFileError(f"Cannot read the question file {path}: {error.strerror or error}.") from error
    return parse_questions(text, str(path))


def select_split(questions: list[dict], split: str | None) -> list[dict]:
    """The questions of one split ("dev" or "report"); all of them for None or "all"."""
    if split in (None, "all"):
        return questions
    return [q for q in questions if q.get("split") == split]


def unknown_sections(questions: list[dict], sections) -> list[str]:
    """Warnings for expected_sections that match no heading of the notes (`sections`: rag.notes.Section list)."""
    headings = {shown_key(s.path[-1]) for s in sections if s.path}
    return [
        f"question '{q['id']}' (line {q['line']}) expects the section '{name}', but the notes have no heading by that name"
        for q in questions
        for name in q["expected_sections"]
        if not heading_keys(name) & headings
    ]
