"""rag.chunking: chunks of the default notes map back to the file, carry their heading only where embedded."""
from __future__ import annotations

import json

import pytest

from conftest import DEFAULT_NOTES
from rag import chunking
from rag.chunking import Chunk, chunk_notes, chunk_section, spans_of
from rag.config import Config
from rag.notes import Section, load_notes

NOTES_FILE = DEFAULT_NOTES / "generative-ai-notes.md"
CONFIG = Config()


@pytest.fixture(scope="module")
def sections():
    return load_notes(DEFAULT_NOTES)[1]


@pytest.fixture(scope="module")
def chunks(sections):
    return chunk_notes(sections, CONFIG.chunk_size, CONFIG.chunk_overlap, CONFIG.embed_heading_path)


@pytest.fixture(scope="module")
def file_lines():
    # Sections drop trailing spaces (markdown's hard line breaks), so compare against the lines without them.
    return [line.rstrip() for line in NOTES_FILE.read_text(encoding="utf-8").split("\n")]


def split_and_check_coverage(sections, chunk_size, overlap):
    """Chunk the sections; check every character of each non-empty section lies in some chunk."""
    pieces = chunk_notes(sections, chunk_size, overlap)
    for s in sections:
        if s.empty:
            continue
        seen = [False] * len(s.text)
        start = -1
        for c in (c for c in pieces if c.file == s.file and c.section == s.path):
            start = s.text.find(c.text, start + 1)  # chunks come in reading order
            assert start >= 0, f"chunk not found in its section {s.path}: {c.text[:60]!r}"
            seen[start : start + len(c.text)] = [True] * len(c.text)
        missing = "".join(ch for ch, ok in zip(s.text, seen) if not ok)
        assert not missing.strip(), f"text of {s.path} in no chunk: {missing[:80]!r}"
    return pieces


def test_every_chunk_is_verbatim_at_its_line_range(chunks, file_lines):
    assert chunks
    for c in chunks:
        span = "\n".join(file_lines[c.line_start - 1 : c.line_end])
        assert c.text in span, f"lines {c.line_start}-{c.line_end} do not hold {c.text[:60]!r}"
        text_lines = c.text.split("\n")
        assert len(text_lines) == c.line_end - c.line_start + 1
        assert text_lines[0] in file_lines[c.line_start - 1] and text_lines[-1] in file_lines[c.line_end - 1]


@pytest.mark.parametrize("chunk_size,overlap", [(200, 50), (350, 0), (90, 30)])
def test_line_ranges_hold_for_finer_splits(sections, file_lines, chunk_size, overlap):
    for c in chunk_notes(sections, chunk_size, overlap):
        assert c.text in "\n".join(file_lines[c.line_start - 1 : c.line_end])
        assert c.text.split("\n")[0] in file_lines[c.line_start - 1]


def test_embed_text_carries_the_heading_path_and_text_does_not(chunks):
    for c in chunks:
        heading = " > ".join(c.section)
        assert c.embed_text == heading + "\n" + c.text
        assert heading not in c.text


def test_embed_text_without_heading_is_the_text(sections):
    assert all(c.embed_text == c.text for c in chunk_notes(sections, 600, 100, with_heading=False))


def test_long_sections_are_split_under_chunk_size(sections, chunks):
    long = [s for s in sections if len(s.text) > CONFIG.chunk_size]
    assert long, "the default notes should have a section longer than one chunk"
    for s in long:
        assert len([c for c in chunks if c.section == s.path]) >= 2
    assert all(len(c.text) <= CONFIG.chunk_size for c in chunks)


@pytest.mark.parametrize("chunk_size,overlap", [(600, 100), (200, 50), (120, 0)])
def test_split_sections_lose_no_text(sections, chunk_size, overlap):
    pieces = split_and_check_coverage(sections, chunk_size, overlap)
    assert all(len(c.text) <= chunk_size for c in pieces)


def test_short_sections_are_one_chunk_equal_to_the_section(sections, chunks):
    for s in sections:
        if s.text and len(s.text) <= CONFIG.chunk_size:
            mine = [c for c in chunks if c.section == s.path]
            assert [(c.text, c.line_start, c.line_end) for c in mine] == [(s.text, s.body_start, s.line_end)]


def test_empty_sections_make_no_chunks(sections, chunks):
    chunked = {(c.file, c.section) for c in chunks}
    assert chunked == {(s.file, s.path) for s in sections if not s.empty}
    assert any(s.empty for s in sections)


def test_record_round_trip(chunks):
    for c in chunks:
        record = json.loads(json.dumps(c.to_record()))  # as stored in chunks.jsonl
        assert isinstance(record["section"], list)
        back = Chunk.from_record(record)
        assert back == c and isinstance(back.section, tuple)
        assert back.content_hash == c.content_hash


def test_content_hash_follows_the_embedded_text(chunks):
    assert len({c.content_hash for c in chunks}) == len(chunks)
    c = chunks[0]
    assert Chunk(**{**c.__dict__, "line_start": c.line_start + 5}).content_hash == c.content_hash  # moved, not changed
    assert Chunk(**{**c.__dict__, "embed_text": c.embed_text + "!"}).content_hash != c.content_hash


# --- code blocks, wikilinks, tags


def one_section(text: str, **fields) -> Section:
    return Section("n.md", ("Shell",), 1, 1, text.count("\n") + 2, text, 2, **fields)


def test_a_code_block_is_not_cut_when_it_fits_twice_the_chunk_size():
    code = "```bash\n" + "\n".join(f"echo step {i} of the deployment script" for i in range(20)) + "\n```"  # ~800 chars
    text = "Run this to deploy:\n\n" + code + "\n\nThen check the logs."
    assert 600 < len(code) <= 1200
    chunks = chunk_section(one_section(text), 600, 100)
    holding = [c for c in chunks if "echo step 0 " in c.text]
    assert len(holding) == 1 and code in holding[0].text  # the whole block, fences included
    # its lead-in starts it: alone, "Run this to deploy:" would be a chunk that says nothing
    assert holding[0].line_start == 2 and holding[0].line_end == 4 + code.count("\n")
    assert holding[0].text.startswith("Run this to deploy:") and chunks[0] == holding[0]
    assert "Then check the logs." in chunks[-1].text
    # with the factor at 1, the same block is split at lines
    split = chunk_section(one_section(text), 600, 100, code_block_factor=1.0)
    assert not any(code in c.text for c in split)
    assert all(len(c.text) <= 600 for c in split)


def test_a_code_block_cut_from_its_lead_in_starts_with_it(monkeypatch):
    # undici's docs (MIT), shortened: the example would otherwise open a chunk that never says what it shows
    prose = "A Pool is a pool of clients all connected to the same upstream target. " * 5
    lead = "Alternatively, any `EventEmitter` that emits an `'abort'` event may be used as an abort controller:"
    code = "```js\n" + "\n".join(f"const client{i} = new Client('http://localhost:{3000 + i}')" for i in range(12)) + "\n```"
    text = prose + "\n\n" + lead + "\n\n" + code
    chunks = chunk_section(one_section(text), 600, 100)
    listing = next(c for c in chunks if "client0" in c.text)
    assert listing.text == lead + "\n\n" + code and listing.line_start == 4 and listing.open_fences == ""
    assert chunks[0].text.endswith(lead)  # and stays where it was
    # a listing cut at its lines: a line ending in ":" inside it leads into nothing
    yaml = "```yaml\n" + "\n".join(f"job{i}:\n  - run: step {i} of the build script" + "x" * (1 + i % 3 * 7) for i in range(40)) + "\n```"
    cut, carried = spans_of(yaml, 600, 100), spans_of(text, 600, 100)
    monkeypatch.setattr(chunking, "with_lead_in", lambda text, start, limit: start)
    assert spans_of(text, 600, 100) != carried  # without the lead-in rule the list chunk starts at the list
    assert len(cut) > 2 and cut == spans_of(yaml, 600, 100)
    assert any(yaml[start:].startswith("- run") for start, _ in cut[1:])  # the premise: a cut before an item, below "jobN:"


def test_a_block_cut_from_the_paragraph_leading_into_it_starts_with_it():
    # TIL notes (MIT) and the genai course (MIT), shortened: a command's chunk says what it does, and a
    # sentence that stops mid-clause ends in the quotation below it
    said = "In MySQL, you can get a quick rundown of a table using `describe users`. An alternative is to have MySQL show the `create` statement for a table."
    code = "```sql\n> show create table users\\G\n" + "\n".join(f"  `column_{i}` varchar(80) NOT NULL," for i in range(14)) + "\n```"
    chunks = chunk_section(one_section(said + "\n\n" + code + "\n\nThis includes some additional information."), 600, 100)
    listing = next(c for c in chunks if "show create table" in c.text)
    assert listing.text.startswith(said + "\n\n```sql") and chunks[0].text.startswith(said)
    mission = "Our startup works in the education domain with the ambitious mission statement of"
    quote = ("> _improving accessibility in learning, on a global scale, ensuring equitable access to education and providing"
             " personalized learning experiences to every learner, according to their needs_.")
    prose = "Generative AI models have several capabilities and applications for a fictional startup. " * 4
    chunks = chunk_section(one_section(prose + mission + "\n\n" + quote + "\n\n" + "Our team is aware of the goal. " * 8), 600, 100)
    assert any(c.text.startswith(mission + "\n\n" + quote) for c in chunks)
    # a paragraph that ends a sentence leads into no quotation or table: it is no lead-in
    ended = prose + "That is how the course began.\n\n" + quote + "\n\n" + "Our team is aware of the goal. " * 8
    assert not any(c.text.startswith("That is how") for c in chunk_section(one_section(ended), 600, 100))
    table = "| Option | Default |\n|---|---|\n" + "\n".join(f"| option_{i} | value {i} |" for i in range(20))
    chunks = chunk_section(one_section(prose + "\n\nThe options are:\n\n" + table), 600, 100)
    assert any(c.text.startswith("The options are:\n\n| Option") for c in chunks)


def test_a_code_block_over_the_limit_is_split_at_lines():
    code = "```\n" + "\n".join(f"line {i} " + "x" * 40 for i in range(60)) + "\n```"  # ~3,000 chars
    chunks = chunk_section(one_section(code), 600, 100)
    assert len(chunks) > 3 and all(len(c.text) <= 600 for c in chunks)
    assert all(c.text.split("\n")[0].startswith(("line", "```")) for c in chunks)


def test_a_chunk_cut_from_inside_a_code_block_records_its_fence():
    # a JSON example too long for two chunks: its second half still reads as the code it is
    listing = "```json\n{\n" + "\n".join(f'  "field_{i}": "the value of field number {i}",' for i in range(40)) + "\n}\n```"
    chunks = chunk_section(one_section("It prints a report like this one:\n\n" + listing + "\n\nThat is all."), 600, 100)
    inside = [c for c in chunks if c.text.lstrip().startswith(('"field', "}"))]
    assert len(inside) >= 2 and all(c.open_fences == "```json" for c in inside)
    assert chunks[0].text.startswith("It prints a report like this one:\n\n```json") and chunks[0].open_fences == ""  # its fence is its own
    assert Chunk.from_record(json.loads(json.dumps(inside[0].to_record()))) == inside[0]


def test_short_prose_and_a_short_code_block_share_a_chunk():
    text = "Intro.\n\n```\nls -la\n```\n\n" + "Long paragraph. " * 50
    chunks = chunk_section(one_section(text), 600, 100)
    assert chunks[0].text == "Intro.\n\n```\nls -la\n```"


def test_embed_text_reads_wikilinks_and_aliases_while_text_stays_verbatim():
    section = one_section("Feed the [[sourdough-starter|starter]] daily; see ![[schedule.png]].", tags=("baking",), aliases=("levain",))
    (chunk,) = chunk_section(section, 600, 100)
    assert chunk.text == section.text
    assert chunk.shown_text == "Feed the starter daily; see schedule.png."
    assert chunk.embed_text == "Shell (also: levain)\nFeed the starter daily; see schedule.png."
    assert chunk.tags == ("baking",)
    assert Chunk.from_record(json.loads(json.dumps(chunk.to_record()))) == chunk


def test_records_without_tags_still_load():
    record = {"file": "a.md", "section": ["A"], "line_start": 1, "line_end": 1, "text": "t", "embed_text": "A\nt"}
    assert Chunk.from_record(record).tags == ()


def test_a_piece_is_placed_after_the_one_before_not_at_an_earlier_copy():
    # found by the property test: the last piece "0" was first located inside "000", two lines too early
    (first, last) = chunk_section(one_section("0\n000\n000000\n0000000000000000\n0"), 30, 0)
    assert (first.line_start, first.line_end, last.line_start, last.line_end) == (2, 5, 6, 6) and last.text == "0"
