"""Split sections into chunks small enough to embed and to cite.

Sections come from notes.py, already split at headings. A section longer than `chunk_size` is cut
into prose and fenced code blocks; prose longer than `chunk_size` is split further with langchain's
RecursiveCharacterTextSplitter (paragraphs, then lines, then sentences, then words); a code block is
kept whole up to `code_block_factor` x chunk_size (half a command answers nothing) and split at lines
beyond that. Neighbouring pieces that fit one chunk together are joined again, and a chunk that opens
with a list, a code block, a quotation or a table starts at the paragraph that leads into it ("... the
following options can be passed:"), which then stands in the chunk before as well.

Every chunk keeps its file, heading path, line range, the file's tags, the fences of the code block or
MyST directive it starts inside (when a long one was cut), and two texts: `text`,
exactly what the notes say at those lines (shown to the user and quoted in citations, so it can be
found verbatim in the file; wikilinks stay `[[...]]`, `shown_text` has them as words), and
`embed_text`, what gets embedded: the heading path (and the file's aliases) on a first line, so "GAN"
finds a section headed "History", then the text with wikilinks and embeds as their words.
Empty sections produce no chunks.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.notes import LIST_ITEM, Section, code_blocks, fences_open_at, readable

# Coarse to fine; the last resort "" splits inside a word only for a run-on token.
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]
NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Chunk:
    file: str
    section: tuple[str, ...]
    line_start: int
    line_end: int
    text: str
    embed_text: str
    tags: tuple[str, ...] = ()  # the file's tags (front matter and #tags), lower-cased, without '#'
    # The fence lines open where the chunk starts ("```json"; "````{tab}" of a MyST directive, outermost
    # first, one per line), when a long listing or directive was cut over chunks; "" when it starts
    # outside any. Without them the second half of a JSON example reads as prose, its lines as sentences.
    open_fences: str = ""
    about: str = ""  # what the file says it is about (Section.about)
    named_by_file: bool = False  # its section path is the file's name, no heading (Section.named_by_file): not embedded or searched as one

    @property
    def id(self) -> str:
        """Where the chunk is and what it says: its key in a vector store."""
        return hashlib.sha256(f"{self.file}\n{self.line_start}\n{self.embed_text}".encode()).hexdigest()[:32]

    @property
    def content_hash(self) -> str:
        """What the embedding depends on; unchanged chunks reuse their vectors on re-index."""
        return hashlib.sha256(self.embed_text.encode()).hexdigest()[:32]

    @property
    def shown_text(self) -> str:
        """`text` as a reader sees it: '[[note|alias]]' as 'alias', '![[diagram.png]]' as 'diagram.png'."""
        return readable(self.text)

    def to_record(self) -> dict:
        record = asdict(self)
        record["section"] = list(self.section)
        record["tags"] = list(self.tags)
        return record

    @classmethod
    def from_record(cls, record: dict) -> "Chunk":
        return cls(**{**record, "section": tuple(record["section"]), "tags": tuple(record.get("tags", ()))})


def embed_text_for(section: tuple[str, ...], text: str, with_heading: bool, aliases: tuple[str, ...] = ()) -> str:
    text = readable(text)
    if not with_heading or not (section or aliases):
        return text
    heading = " > ".join(section)
    if aliases:
        heading += (" " if heading else "") + f"(also: {', '.join(aliases)})"
    return heading + "\n" + text


@lru_cache(maxsize=8)
def _splitter(chunk_size: int, chunk_overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=min(chunk_overlap, max(chunk_size - 1, 0)),
        separators=SEPARATORS,
        keep_separator="end",  # a sentence keeps its full stop
        strip_whitespace=True,
    )


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split(text: str, start: int, end: int, chunk_size: int, chunk_overlap: int) -> list[tuple[int, int]]:
    """(start, end) spans of text[start:end] cut by the recursive splitter, located in `text`."""
    part = text[start:end]
    spans, earliest, after = [], 0, 0
    for piece in _splitter(chunk_size, chunk_overlap).split_text(part):
        # A piece overlaps the one before by at most chunk_overlap characters, so it starts at or after
        # `earliest`: searching from there finds this piece, not an earlier copy of the same words.
        at = part.find(piece, earliest)
        if at < 0:  # the splitter only ever returns substrings; these are safety nets
            at = part.find(piece, after)
        if at < 0:
            at = part.find(piece)
        if at < 0 or not piece.strip():
            continue
        spans.append((start + at, start + at + len(piece)))
        earliest, after = max(at + 1, at + len(piece) - chunk_overlap), at + 1
    return spans


def spans_of(text: str, chunk_size: int, chunk_overlap: int, code_block_factor: float = 2.0) -> list[tuple[int, int]]:
    """Where to cut a section's text: (start, end) character spans, in reading order."""
    if len(text) <= chunk_size:
        return [(0, len(text))]
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)  # offsets[i] = where line i starts
    parts: list[tuple[int, int, bool]] = []  # (start, end, is_code)
    position = 0
    for first, last in code_blocks(lines):
        parts.append((position, offsets[first], False))
        parts.append((offsets[first], offsets[last + 1] - 1, True))
        position = offsets[last + 1] - 1
    parts.append((position, len(text), False))

    pieces: list[tuple[int, int]] = []
    for start, end, is_code in parts:
        start, end = _stripped(text, start, end)
        if start == end:
            continue
        limit = int(chunk_size * code_block_factor) if is_code else chunk_size
        if end - start <= limit:
            pieces.append((start, end))
        else:
            pieces += _split(text, start, end, chunk_size, chunk_overlap)

    merged: list[tuple[int, int]] = []
    for start, end in pieces:  # join neighbours that fit one chunk together (prose, then its short code block)
        if merged and start >= merged[-1][1] and end - merged[-1][0] <= chunk_size:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    inside_code = [_stripped(text, start, end) for start, end, is_code in parts if is_code]
    spans: list[tuple[int, int]] = []
    for start, end in merged:
        cut_code = any(first < start < last for first, last in inside_code)  # a listing's later lines lead in to nothing
        lead = with_lead_in(text, start, chunk_size // 2) if spans and not cut_code else start
        if end - lead > (int(chunk_size * code_block_factor) if FENCE_OPENS.match(text, start) else chunk_size):
            lead = start  # no room for it: the chunk stays within its size
        if lead < start and lead <= spans[-1][0]:  # the chunk before is that lead-in alone: one chunk
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((lead, end))
    return spans


FENCE_OPENS = re.compile(r"\s*(?:```|~~~)")
# A list item or the opening fence of a code block: what a lead-in ending in ":" introduces.
LISTED = re.compile(LIST_ITEM.pattern + "|" + FENCE_OPENS.pattern)
# ... and a quotation or a table, which a lead-in introduces as well ("the ambitious mission statement
# of", then "> _improving accessibility in learning_"; "The options are:" above a table)
BLOCK = re.compile(LISTED.pattern + r"|\s*[>|]")
BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z`*_\[(\"'])")
# A paragraph that stops mid-clause, on a word that needs what follows ("... mission statement of",
# "... you can use"): the block below it ends its sentence.
MID_CLAUSE = re.compile(r"(?i:\b(?:of|with|as|to|by|for|from|is|are|be|the|a|an|and|or|like|using|via|into|use|run|namely|such))$")


def leads_on(text: str) -> bool:
    """Whether the text (right-stripped) stops leading into what follows it: on ":" or mid-clause."""
    return text.endswith(":") or bool(MID_CLAUSE.search(text))


def with_lead_in(text: str, start: int, limit: int) -> int:
    """Where a chunk that opens with a block (a list, a code block, a quotation or a table) should
    start: at the paragraph above it when that paragraph leads into it, so the chunk says what the
    block is ("Furthermore, the following options can be passed:"); the lead-in then stands in both
    chunks. A paragraph leads into the block below it when it ends in ":" or mid-clause ("... the
    ambitious mission statement of"), and into a code block whatever its end ("An alternative is to
    have MySQL show the `create` statement for a table." above `show create table users`): notes say
    what a command does, then show it. Only a paragraph of at most `limit` characters is carried
    over, or else its last sentence when that is as short; otherwise `start` stays."""
    if not BLOCK.match(text, start):
        return start
    before = text[:start].rstrip()
    if not (leads_on(before) or FENCE_OPENS.match(text, start)):
        return start
    blanks = list(BLANK_LINE.finditer(before))
    lead = before[blanks[-1].end() if blanks else 0:].lstrip()
    if len(lead) > limit:  # a long paragraph: its last sentence is what leads in
        ends = list(SENTENCE_END.finditer(lead))
        lead = lead[ends[-1].end():] if ends else lead
    if not lead or len(lead) > limit or BLOCK.match(lead) or lead.startswith("#"):
        return start
    return len(before) - len(lead)


def chunk_section(section: Section, chunk_size: int, chunk_overlap: int, with_heading: bool = True, code_block_factor: float = 2.0) -> list[Chunk]:
    if section.empty:
        return []
    text = section.text
    spans = spans_of(text, chunk_size, chunk_overlap, code_block_factor)
    newlines = [m.start() for m in NEWLINE.finditer(text)] if len(spans) > 1 else []
    lines = text.split("\n") if len(spans) > 1 else []
    chunks = []
    for start, end in spans:
        piece = text[start:end]
        line = bisect_right(newlines, start - 1)  # newlines before `start`
        first = section.body_start + line
        chunks.append(
            Chunk(
                file=section.file,
                section=section.path,
                line_start=first,
                line_end=first + piece.count("\n"),
                text=piece,
                embed_text=embed_text_for(() if section.named_by_file else section.path, piece, with_heading, section.aliases),
                tags=section.tags,
                open_fences=fences_open_at(lines, line) if start else "",
                about=section.about,
                named_by_file=section.named_by_file,
            )
        )
    return chunks


def chunk_notes(sections: list[Section], chunk_size: int, chunk_overlap: int, with_heading: bool = True, code_block_factor: float = 2.0) -> list[Chunk]:
    """All chunks of all sections, in document order."""
    return [c for s in sections for c in chunk_section(s, chunk_size, chunk_overlap, with_heading, code_block_factor)]
