"""Properties of the notes parser and the chunker over generated notes (hypothesis).

Any text, markdown-ish or not (headings, fences, front matter, wikilinks, tags, CRLF, unicode), is
parsed and chunked without an error; sections are ordered and inside the file; a section's text is
the file's lines between its body start and end; every chunk's text is at its lines of the file;
headings inside code fences never become sections; a heading is a "#" line or a setext title above its underline.
"""
from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_notes
from rag.notes import HEADING, UNDERLINE, NoteFile, Unusable, clean_heading, decode, parse_sections

# 200 examples per property keeps the file under ~30 s on two shared cores; no deadline, since a
# shared machine makes single-example timings meaningless.
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40)
markdownish_line = st.one_of(
    words,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), words),
    st.sampled_from(["", "   ", "```", "```python", "~~~", "````", "---", "===", "...", "title: Some title", "tags: [a, B]",
                     "aliases: x", "title:: Logseq", "tags:: p, q", "#tag and #123", "[[link|alias]] ![[embed.png]]",
                     "[[unclosed", "  # indented", "- item #x", "\t```", "a  ", "\ufeff", "\x0b\x0c", "\u2028"]),
)
line_break = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def markdownish(draw) -> str:
    lines = draw(st.lists(markdownish_line, max_size=40))
    breaks = draw(st.lists(line_break, min_size=len(lines), max_size=len(lines)))
    return "".join(line + end for line, end in zip(lines, breaks))


any_text = st.one_of(markdownish(), st.text(max_size=300))


def note_of(raw_text: str) -> NoteFile:
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")  # as read_note_file does
    return NoteFile("n.md", text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def check_sections(note: NoteFile):
    lines = note.text.split("\n")
    sections = parse_sections(note)
    for s in sections:
        assert 1 <= s.line_start <= s.line_end <= len(lines), s
        if s.text:
            assert s.line_start <= s.body_start <= s.line_end
            assert "\n".join(line.rstrip() for line in lines[s.body_start - 1 : s.line_end]) == s.text
            assert s.text.strip() and s.text == s.text.rstrip("\n")  # first line keeps its indentation
        if s.level > 0:
            match = HEADING.match(lines[s.line_start - 1])
            if match:
                assert len(match.group(1)) == s.level and clean_heading(match.group(2)) == s.path[-1]
            else:  # a setext heading: its title's line, then the underline
                underline = UNDERLINE.match(lines[s.line_start]) if s.line_start < len(lines) else None
                assert underline, s
                assert s.level == (1 if underline.group(1)[0] == "=" else 2) and clean_heading(lines[s.line_start - 1]) == s.path[-1]
    for before, after in zip(sections, sections[1:]):
        assert before.line_end < after.line_start, (before, after)
    return lines, sections


@PROPERTY
@given(any_text)
def test_any_text_parses_into_ordered_sections_inside_the_file(raw):
    check_sections(note_of(raw))


@PROPERTY
@given(any_text, st.sampled_from([(600, 100), (80, 20), (30, 0)]), st.sampled_from([1.0, 2.0]))
@example("\n\n0\n000\n000000\n0000000000000000\n0\n", (30, 0), 1.0)  # a piece once placed at an earlier copy of itself
def test_every_chunk_is_at_its_lines_and_no_text_is_lost(raw, sizes, factor):
    lines, sections = check_sections(note_of(raw))
    chunk_size, overlap = sizes
    chunks = chunk_notes(sections, chunk_size, overlap, code_block_factor=factor)
    for c in chunks:
        assert c.text.strip() and c.text == c.text.rstrip()
        assert 1 <= c.line_start <= c.line_end <= len(lines)
        text_lines = c.text.split("\n")
        assert len(text_lines) == c.line_end - c.line_start + 1
        for k, line in enumerate(text_lines):  # each line of the chunk stands in the file's line (rstripped in sections)
            assert line in lines[c.line_start - 1 + k], (c, k)
        assert len(c.text) <= chunk_size * max(factor, 1.0)
    for s in sections:  # every character of a section is in some chunk of it
        if not s.text:
            continue
        seen = [False] * len(s.text)
        mine = [c for c in chunks if c.line_start >= s.body_start and c.line_end <= s.line_end and c.section == s.path]
        for c in mine:
            at = s.text.find(c.text, 0)
            while at >= 0 and c.line_start != s.body_start + s.text.count("\n", 0, at):
                at = s.text.find(c.text, at + 1)
            assert at >= 0, c
            seen[at : at + len(c.text)] = [True] * len(c.text)
        lost = "".join(ch for ch, ok in zip(s.text, seen) if not ok)
        assert not lost.strip(), lost[:80]


title = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12)
prose = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), min_size=1, max_size=60).map(lambda t: "p " + t)


@st.composite
def document(draw):
    """Blocks whose headings are known: real headings, prose, and code blocks full of heading-like lines."""
    blocks, expected = [], []
    for kind in draw(st.lists(st.sampled_from(["heading", "prose", "code"]), max_size=15)):
        if kind == "heading":
            level, name = draw(st.integers(1, 6)), draw(title)
            blocks.append("#" * level + " " + name)
            expected.append(name)
        elif kind == "prose":
            blocks.append(draw(prose))
        else:
            fence = draw(st.sampled_from(["```", "~~~", "````", "```js"]))
            inner = draw(st.lists(st.one_of(prose, title.map(lambda t: "# " + t), st.just("```" if fence[0] == "~" else "~~~")), max_size=5))
            closing = fence.rstrip("js")
            blocks.append("\n".join([fence, *inner, closing]))
    eol = draw(line_break)
    return eol.join("\n".join(blocks).split("\n")) + eol, expected


@PROPERTY
@given(document())
def test_headings_inside_code_fences_are_ignored(doc):
    raw, expected = doc
    sections = parse_sections(note_of(raw))
    assert [s.path[-1] for s in sections if s.level] == expected  # a preamble (level 0) is under the file's name


@PROPERTY
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_refused_with_a_reason(raw):
    try:
        text, remark = decode(raw)
    except Unusable as reason:
        assert str(reason)
        return
    assert isinstance(text, str) and (remark is None or remark.startswith("read as "))
