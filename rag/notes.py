"""Read a folder of notes and build each file's heading tree.

`load_notes(folder)` finds every .md/.markdown/.txt file below the folder and returns one `Section`
per heading (plus a headingless preamble if the file starts with text): its heading path with
markdown emphasis removed, its 1-based line range, and the text under it up to the next heading.
Sections with a heading but no text are kept and flagged `empty`, so that a question about them can
be told "your notes have a heading for that but nothing under it yet".

It does not chunk or embed (see chunking.py). Headings inside fenced code blocks are text, not
headings. Setext headings (underlined with === or ---) are not recognised.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rag.errors import NotesError

# A closing run of #s counts only after a space, so "## Learning C#" keeps its '#'.
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# Underscores inside a word are not emphasis: "config_file_path" stays as written.
EMPHASIS = re.compile(r"(\*\*|\*|`)(.+?)\1|(?<![A-Za-z0-9])(__|_)(.+?)\3(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Section:
    file: str  # path relative to the notes folder, with forward slashes
    path: tuple[str, ...]  # heading path, outermost first; () for text before the first heading
    level: int  # heading level, 0 for a preamble
    line_start: int  # 1-based line of the heading (or first line of a preamble)
    line_end: int  # last line that belongs to the section, inclusive
    text: str  # the text under the heading, stripped; "" when empty
    body_start: int  # 1-based line where `text` starts

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class NoteFile:
    name: str
    text: str
    sha256: str


def clean_heading(raw: str) -> str:
    """'**Brief History and Evolution**' -> 'Brief History and Evolution'."""
    text = raw.strip()
    previous = None
    while previous != text:  # nested emphasis like ***x*** needs more than one pass
        previous = text
        text = EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
    return re.sub(r"\s+", " ", text).strip()


def find_note_files(folder: Path, suffixes=(".md", ".markdown", ".txt")) -> list[Path]:
    folder = Path(folder)
    if not folder.exists():
        raise NotesError(f"The notes folder {folder} does not exist. Point --notes at a folder of .md or .txt files.")
    if not folder.is_dir():
        raise NotesError(f"The notes path {folder} is a file, not a folder. Point --notes at the folder that holds it.")
    files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in suffixes and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not files:
        raise NotesError(f"The notes folder {folder} has no {', '.join(suffixes)} files. Add your notes there, or point --notes elsewhere.")
    return files


def read_note_file(path: Path, folder: Path) -> NoteFile:
    name = path.relative_to(folder).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise NotesError(f"Cannot read the notes file {name}: {error.strerror or error}.") from error
    if b"\x00" in raw[:8192]:
        raise NotesError(f"The notes file {name} looks binary, not text. Move it out of the notes folder or rename it.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotesError(
            f"The notes file {name} is not valid UTF-8 (byte {error.start}). Save it as UTF-8 or move it out of the notes folder."
        ) from error
    return NoteFile(name=name, text=text.replace("\r\n", "\n").replace("\r", "\n"), sha256=hashlib.sha256(raw).hexdigest())


def parse_sections(note: NoteFile) -> list[Section]:
    """The file's sections in document order, each with the path of headings above it."""
    lines = note.text.split("\n")
    headings: list[tuple[int, int, str]] = []  # (line index, level, title)
    in_fence = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match:
            title = clean_heading(match.group(2))
            if title:
                headings.append((i, len(match.group(1)), title))

    sections = []
    if not headings or any(line.strip() for line in lines[: headings[0][0]]):
        end = headings[0][0] if headings else len(lines)
        sections.append(_section(note.name, (), 0, lines, 0, end, body_from=0))

    stack: list[tuple[int, str]] = []  # (level, title) of the headings above the current one
    for n, (i, level, title) in enumerate(headings):
        while stack and stack[-1][0] >= level:  # a heading of the same or higher level closes siblings
            stack.pop()
        stack.append((level, title))
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        sections.append(_section(note.name, tuple(t for _, t in stack), level, lines, i, end, body_from=i + 1))
    return sections


def _section(file, path, level, lines, start, end, body_from) -> Section:
    body = lines[body_from:end]
    first = next((k for k, line in enumerate(body) if line.strip()), None)
    if first is None:
        text, body_start = "", body_from + 1
    else:
        last = max(k for k, line in enumerate(body) if line.strip())
        text = "\n".join(line.rstrip() for line in body[first : last + 1])
        body_start = body_from + first + 1
    last_line = end
    while last_line > start + 1 and not lines[last_line - 1].strip():  # trailing blank lines belong to no one
        last_line -= 1
    return Section(file, path, level, start + 1, last_line, text, body_start)


def load_notes(folder: Path, suffixes=(".md", ".markdown", ".txt")) -> tuple[list[NoteFile], list[Section]]:
    """Every note file below `folder` and all their sections; raises NotesError with a user message."""
    folder = Path(folder)
    notes = [read_note_file(p, folder) for p in find_note_files(folder, suffixes)]
    sections = [s for note in notes for s in parse_sections(note)]
    if not any(not s.empty for s in sections):
        raise NotesError(f"The notes in {folder} have headings but no text yet, so there is nothing to answer from.")
    return notes, sections


def empty_sections(sections: list[Section]) -> list[Section]:
    """Headings with nothing written under them, counting their subsections: 'Introduction' whose
    subsections hold text is not empty; 'Types of Models' whose subsections are all bare headings is."""
    has_text = set()
    for s in sections:
        if not s.empty:
            for depth in range(len(s.path) + 1):
                has_text.add((s.file, s.path[:depth]))
    return [s for s in sections if s.path and (s.file, s.path) not in has_text]
