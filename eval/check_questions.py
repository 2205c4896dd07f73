"""Check a question set against its notes, by text alone (no model, no index).

    python -m eval.check_questions eval/collections/genai-for-beginners
    python -m eval.check_questions --questions eval/conversations.jsonl --notes corpus

For every answerable question that has a `supporting_quote`:
- `source_file` (relative to the notes folder) exists;
- the quote is verbatim inside one line of that file;
- the last heading above that line (as the index reads headings: rag.notes) is `expected_sections[0]`
  (compared as the metrics compare headings: emphasis removed, spaces collapsed, case folded); above
  a file's first heading, the name the index gives that text (its front-matter title, or else its
  file name);
- every key fact occurs, case-insensitively, in that section's text (heading to next heading).
For every question: each expected section is a heading of the notes; a heading that several places
of the notes use is reported as a warning (a passage from the wrong place would count as a hit).
For every unanswerable question: each of its `absent_terms` occurs nowhere in the notes
(case-insensitive); one without `absent_terms` is a warning (its absence was not checked here).
Also: ids unique, `split` is "dev" or "report", `history` (when present) a list of questions.

Prints the problems (errors), the warnings and the counts per split, kind and answerability;
exits 1 when there is an error. The question file itself must also pass eval.questions.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from eval.metrics import heading_keys, shown_key
from eval.questions import QuestionFileError, load_questions
from rag.notes import NoteFile, code_blocks, decode, heading_lines, parse_front_matter, parse_sections

SUFFIXES = (".md", ".markdown", ".txt")


def read_lines(path: Path) -> list[str]:
    """The file's lines decoded as the index decodes them (rag.notes.decode: a Latin-1 note too)."""
    return [line.rstrip("\r") for line in decode(path.read_bytes())[0].split("\n")]


def headings(lines: list[str]) -> list[tuple[int, str]]:
    """(0-based line index, heading text) of every heading, as the index reads them (rag.notes:
    outside code fences and front matter, "#" and setext headings)."""
    front = parse_front_matter(lines).end
    lines = [""] * front + lines[front:]
    code = {i for first, last in code_blocks(lines) for i in range(first, last + 1)}
    return [(i, title) for i, _, title, _ in heading_lines(lines, code)]


def section_of(lines: list[str], index: int, preamble: str | None) -> tuple[str | None, str]:
    """The last heading above line `index` and the text of that section (heading to next heading);
    above the first heading, `preamble`: the name the index gives that text (preamble_name)."""
    marks = headings(lines)
    above = [(i, h) for i, h in marks if i <= index]
    if not above:
        return preamble, "\n".join(lines[: marks[0][0] if marks else len(lines)])
    start, heading = above[-1]
    following = [i for i, _ in marks if i > start]
    return heading, "\n".join(lines[start + 1: following[0] if following else len(lines)])


def preamble_name(lines: list[str], name: str) -> str | None:
    """The name the index gives the text above the file's first heading (rag.notes.parse_sections):
    its front-matter title, or else its file name; None when no text stands there."""
    preamble = [s for s in parse_sections(NoteFile(name, "\n".join(lines), "")) if s.level == 0 and s.path]
    return preamble[0].path[-1] if preamble else None


class Notes:
    """Every note file of a folder, read once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files = {p.relative_to(folder).as_posix(): read_lines(p) for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES}
        self.preambles = {name: preamble_name(lines, name) for name, lines in self.files.items()}  # each file parsed once
        self.heading_places = Counter(shown_key(h) for name, lines in self.files.items()
                                      for h in [h for _, h in headings(lines)] + [self.preambles[name]] if h)
        self.lowered = "\n".join("\n".join(lines) for lines in self.files.values()).casefold()


def check_question(q: dict, notes: Notes) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one question."""
    errors, warnings = [], []
    if q.get("split") not in ("dev", "report"):
        errors.append(f"split must be 'dev' or 'report', not {q.get('split')!r}")
    for name in q["expected_sections"]:
        places = max(notes.heading_places.get(key, 0) for key in heading_keys(name))
        if not places:
            errors.append(f"expected section {name!r} is not a heading of the notes")
        elif places > 1:
            warnings.append(f"expected section {name!r} is the heading of {places} places in the notes (a passage from any of them counts as a hit)")
    if q["answerable"]:
        quote, source = q.get("supporting_quote"), q.get("source_file")
        if not quote:
            warnings.append("answerable but no supporting_quote: its answer sentence is not checked")
            return errors, warnings
        lines = notes.files.get(source or "")
        if lines is None:
            errors.append(f"source_file {source!r} is not a note file under {notes.folder}")
            return errors, warnings
        at = [i for i, line in enumerate(lines) if quote in line]
        if not at:
            errors.append(f"supporting_quote is not verbatim in one line of {source}: {quote[:80]!r}")
            return errors, warnings
        if not q["expected_sections"]:
            errors.append("answerable with a supporting_quote but no expected_sections")
            return errors, warnings
        placed = [section_of(lines, i, notes.preambles[source]) + (i,) for i in at]  # prefer the occurrence under the expected heading
        wanted = heading_keys(q["expected_sections"][0])
        heading, text, line = next((s for s in placed if s[0] and shown_key(s[0]) in wanted), placed[0])
        if heading is None or shown_key(heading) not in wanted:
            errors.append(f"the quote (line {line + 1} of {source}) is under {heading!r}, not expected_sections[0] {q['expected_sections'][0]!r}")
        for fact in q["key_facts"]:
            if fact.casefold() not in text.casefold():
                errors.append(f"key fact {fact!r} does not occur in the section {heading!r} of {source}")
    else:
        terms = q.get("absent_terms")
        if not terms:
            warnings.append("unanswerable without absent_terms: its absence from the notes is not checked here")
        for term in terms or []:
            if term.casefold() in notes.lowered:
                errors.append(f"absent term {term!r} does occur in the notes")
    history = q.get("history")
    if history is not None and not (isinstance(history, list) and all(isinstance(h, str) and h.strip() for h in history)):
        errors.append("history must be a list of earlier questions")
    return errors, warnings


def check(questions_file: Path, notes_dir: Path, out=None) -> int:
    """Print the report; return the number of errors."""
    out = out or sys.stdout
    try:
        questions = load_questions(questions_file)
    except QuestionFileError as error:
        print(f"error: {error}", file=out)
        return 1
    notes = Notes(notes_dir)
    if not notes.files:
        print(f"error: no notes under {notes_dir}", file=out)
        return 1
    total_errors = 0
    for q in questions:
        errors, warnings = check_question(q, notes)
        total_errors += len(errors)
        for kind, messages in (("ERROR", errors), ("warning", warnings)):
            for message in messages:
                print(f"{kind} {q['id']}: {message}", file=out)
    counts = Counter((q.get("split"), "answerable" if q["answerable"] else "unanswerable", q.get("kind") or "-") for q in questions)
    print(f"{questions_file}: {len(questions)} questions over {len(notes.files)} note files, {total_errors} error(s)", file=out)
    for (split, answerable, kind), n in sorted(counts.items(), key=lambda item: tuple(map(str, item[0]))):
        print(f"  {str(split):<7} {answerable:<13} {kind:<14} {n}", file=out)
    return total_errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.check_questions", description=__doc__.split("\n")[0])
    parser.add_argument("collection", nargs="?", help="a collection folder holding notes/ and questions.jsonl (and conversations.jsonl)")
    parser.add_argument("--questions", help="a question file (instead of a collection)")
    parser.add_argument("--notes", help="its notes folder")
    args = parser.parse_args(argv)
    if args.collection:
        folder = Path(args.collection)
        files = [f for f in (folder / "questions.jsonl", folder / "conversations.jsonl") if f.is_file()]
        notes = folder / "notes"
    elif args.questions and args.notes:
        files, notes = [Path(args.questions)], Path(args.notes)
    else:
        parser.error("give a collection folder, or --questions and --notes")
    return 1 if sum(check(f, notes) for f in files) else 0


if __name__ == "__main__":
    sys.exit(main())
