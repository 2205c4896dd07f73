"""Split sections into chunks small enough to embed and to cite.

Sections come from notes.py, already split at headings. A section longer than `chunk_size` is split
further with langchain's RecursiveCharacterTextSplitter (paragraphs, then lines, then sentences,
then words). Every chunk keeps its file, heading path and line range, and two texts:
`text`, exactly what the notes say (shown to the user and quoted in citations), and `embed_text`,
the same prefixed with the heading path (what gets embedded, so "GAN" finds a section headed
"History"). Empty sections produce no chunks.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.notes import Section

# Coarse to fine; the last resort "" splits inside a word only for a run-on token.
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class Chunk:
    file: str
    section: tuple[str, ...]
    line_start: int
    line_end: int
    text: str
    embed_text: str

    @property
    def id(self) -> str:
        """Where the chunk is and what it says: its key in a vector store."""
        return hashlib.sha256(f"{self.file}\n{self.line_start}\n{self.embed_text}".encode()).hexdigest()[:32]

    @property
    def content_hash(self) -> str:
        """What the embedding depends on; unchanged chunks reuse their vectors on re-index."""
        return hashlib.sha256(self.embed_text.encode()).hexdigest()[:32]

    def to_record(self) -> dict:
        record = asdict(self)
        record["section"] = list(self.section)
        return record

    @classmethod
    def from_record(cls, record: dict) -> "Chunk":
        return cls(**{**record, "section": tuple(record["section"])})


def embed_text_for(section: tuple[str, ...], text: str, with_heading: bool) -> str:
    if not with_heading or not section:
        return text
    return " > ".join(section) + "\n" + text


def chunk_section(section: Section, chunk_size: int, chunk_overlap: int, with_heading: bool = True) -> list[Chunk]:
    if section.empty:
        return []
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=SEPARATORS,
        keep_separator="end",  # a sentence keeps its full stop
        add_start_index=True,
        strip_whitespace=True,
    )
    pieces = splitter.create_documents([section.text]) if len(section.text) > chunk_size else None
    spans = (
        [(d.page_content, d.metadata["start_index"]) for d in pieces]
        if pieces
        else [(section.text, 0)]
    )
    chunks = []
    for text, start in spans:
        first = section.body_start + section.text.count("\n", 0, start)
        last = first + text.count("\n")
        chunks.append(
            Chunk(
                file=section.file,
                section=section.path,
                line_start=first,
                line_end=last,
                text=text,
                embed_text=embed_text_for(section.path, text, with_heading),
            )
        )
    return chunks


def chunk_notes(sections: list[Section], chunk_size: int, chunk_overlap: int, with_heading: bool = True) -> list[Chunk]:
    """All chunks of all sections, in document order."""
    return [c for s in sections for c in chunk_section(s, chunk_size, chunk_overlap, with_heading)]
