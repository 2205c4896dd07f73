"""rag.notes: the heading tree of the default notes, markdown edge cases, and every unreadable input."""
from __future__ import annotations

import os
import re

import pytest

from conftest import DEFAULT_NOTES, write_notes
from rag.errors import NotesError
from rag.notes import clean_heading, code_blocks, empty_sections, fenced, fences_open_at, load_notes, read_notes, readable

NOTES_FILE = DEFAULT_NOTES / "generative-ai-notes.md"


@pytest.fixture(scope="module")
def default_sections():
    notes, sections = load_notes(DEFAULT_NOTES)
    return [s for s in sections if s.file == NOTES_FILE.name]


@pytest.fixture(scope="module")
def file_lines():
    return NOTES_FILE.read_text(encoding="utf-8").split("\n")


def by_title(sections, title):
    found = [s for s in sections if s.path and s.path[-1] == title]
    assert len(found) == 1, f"expected one section titled {title!r}, got {[s.path for s in found]}"
    return found[0]


# --- the default notes


def test_emphasis_is_removed_from_heading_paths(default_sections):
    history = by_title(default_sections, "Brief History and Evolution")
    assert history.path == ("Introduction to Generative AI", "Brief History and Evolution")
    assert history.level == 2
    assert not any("*" in title or "_" in title for s in default_sections for title in s.path)


def test_heading_lines_match_the_file(default_sections, file_lines):
    for s in default_sections:
        match = re.match(r"^(#+)\s+(.*)$", file_lines[s.line_start - 1])
        assert match, f"line {s.line_start} is not a heading: {file_lines[s.line_start - 1]!r}"
        assert len(match.group(1)) == s.level
        assert clean_heading(match.group(2)) == s.path[-1]


def test_section_text_is_the_file_between_its_lines(default_sections, file_lines):
    stripped = [line.rstrip() for line in file_lines]
    for s in default_sections:
        if s.empty:
            assert s.line_end == s.line_start  # a bare heading owns only its own line
        else:
            assert "\n".join(stripped[s.body_start - 1 : s.line_end]) == s.text
            assert s.line_start < s.body_start <= s.line_end


def test_sections_tile_the_file_in_order(default_sections, file_lines):
    for before, after in zip(default_sections, default_sections[1:]):
        assert before.line_end < after.line_start
        gap = file_lines[before.line_end : after.line_start - 1]
        assert all(not line.strip() for line in gap), f"lines lost between {before.path} and {after.path}"
    assert all(not line.strip() for line in file_lines[default_sections[-1].line_end :])


def test_two_top_level_headings_in_a_row_are_siblings(default_sections):
    title, intro = default_sections[0], default_sections[1]
    assert title.path == ("Generative AI Personal Notes",) and title.level == 1
    assert intro.path == ("Introduction to Generative AI",) and intro.level == 1
    assert by_title(default_sections, "Definition of Generative AI").path[0] == "Introduction to Generative AI"


def test_deeper_headings_nest_under_the_nearest_shallower_one(default_sections):
    vae = by_title(default_sections, "Variational Autoencoders (VAE)")
    assert vae.path == ("Technical Fundamentals", "Types of Generative Models", "Variational Autoencoders (VAE)")
    # a level-2 heading after level-3 ones closes them
    assert by_title(default_sections, "Neural Networks and Deep Learning").path == ("Technical Fundamentals", "Neural Networks and Deep Learning")


def test_empty_sections_count_subsections(default_sections, file_lines):
    empty = empty_sections(default_sections)
    assert len(empty) == 20
    # the same, worked out from the raw file: a heading is empty when no text line comes before the
    # next heading of its level or higher
    headings = [(i, len(m.group(1))) for i, line in enumerate(file_lines) if (m := re.match(r"^(#+)\s", line))]
    expected = set()
    for n, (i, level) in enumerate(headings):
        end = next((j for j, lv in headings[n + 1 :] if lv <= level), len(file_lines))
        if not any(line.strip() and not line.startswith("#") for line in file_lines[i + 1 : end]):
            expected.add(i + 1)
    expected.remove(1)  # "# Generative AI Personal Notes": the file's title (test_a_files_title_is_no_empty_section)
    assert {s.line_start for s in empty} == expected


def test_a_heading_whose_subsections_hold_text_is_not_empty(default_sections):
    intro = by_title(default_sections, "Introduction to Generative AI")
    assert intro.empty  # nothing directly under it ...
    empty_paths = {s.path for s in empty_sections(default_sections)}
    assert intro.path not in empty_paths  # ... but its subsections have text
    assert ("Technical Fundamentals", "Types of Generative Models") in empty_paths  # all its subsections are bare


def test_a_files_title_is_no_empty_section(default_sections, tmp_path):
    # the default notes open with "# Generative AI Personal Notes" and go on with "# Introduction to
    # Generative AI": a title with nothing under it, which names the whole file
    empty_paths = {s.path for s in empty_sections(default_sections)}
    assert ("Generative AI Personal Notes",) not in empty_paths
    assert ("Generative AI for Images and Multimedia",) in empty_paths  # a later bare top heading still is one
    sections = sections_of(tmp_path, "# My Garden\n\n# Tomatoes\nSix hours of sun.\n\n# Beans\n")
    assert [s.path for s in empty_sections(sections)] == [("Beans",)]
    # a bare first heading with no other top heading after it is no title: it stays an empty heading
    sections = sections_of(tmp_path, "# Ideas\n\n## Later\n", name="ideas.md")
    assert ("Ideas",) in {s.path for s in empty_sections(sections)}


# --- markdown edge cases


def sections_of(tmp_path, text: str | bytes, name="note.md"):
    folder = tmp_path / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_notes(folder)[1]


@pytest.mark.parametrize("fence", ["```", "~~~", "```python"])
def test_headings_inside_code_fences_are_text(tmp_path, fence):
    close = fence[:3]
    sections = sections_of(tmp_path, f"# Shell\n\nRun this:\n{fence}\n# not a heading\n## nor this\n{close}\n\n## After\nMore text.\n")
    assert [s.path for s in sections] == [("Shell",), ("Shell", "After")]
    assert "# not a heading" in sections[0].text and "## nor this" in sections[0].text


MYST = """Intro.
```{note}
There is no support for other variable expansion syntaxes.
```
````{tab} Linux
:sync: linux
Run this:
```bash
ls -la
```
````
```{pip-cli}
$ pip install SomePackage
```
End."""


def test_a_myst_directive_of_prose_is_text_and_its_fences_markup():
    lines = MYST.split("\n")
    blocks, markup, still_open = fenced(lines)
    assert blocks == [(7, 9), (11, 13)]  # the bash block inside the tab, and the project's own {pip-cli} directive
    assert markup == {1, 3, 4, 5, 10}  # the note's and the tab's fences, the tab's option line
    assert still_open == [] and code_blocks(lines) == blocks
    assert fences_open_at(lines, 2) == "```{note}" and fences_open_at(lines, 8) == "````{tab} Linux\n```bash" and fences_open_at(lines, 14) == ""


def test_a_heading_inside_a_myst_note_is_a_heading_and_one_inside_its_code_is_not(tmp_path):
    text = "# Setup\n````{note}\n## Inside\nText.\n```\n# comment\n```\n````\n"
    assert [s.path for s in sections_of(tmp_path, text)] == [("Setup",), ("Setup", "Inside")]


def test_heading_hashes_inside_a_title_are_kept(tmp_path):
    sections = sections_of(tmp_path, "# Languages\n## Learning C#\nIt has LINQ.\n## Closing hashes ##\nOptional in markdown.\n")
    assert [s.path[-1] for s in sections] == ["Languages", "Learning C#", "Closing hashes"]


def test_a_headings_attribute_list_is_no_part_of_its_title(tmp_path):
    # MkDocs (attr_list), kramdown and Pandoc set a heading's anchor in braces after it; a reader never sees them
    text = ("# Options\n## `platform` {: #platform cmd-line env-var }\nOverride it.\n## Name (*required*) ## {: #name }\n"
            "Must be set.\n## Intro {#intro .unnumbered}\nHello.\n## Using {placeholders}\nBraces stay.\n## {#each}\nA block.\n")
    assert [s.path[-1] for s in sections_of(tmp_path, text)] == ["Options", "platform", "Name (required)", "Intro", "Using {placeholders}", "{#each}"]


def test_a_heading_reads_as_a_reader_sees_it(tmp_path):
    # READMEs give sections link targets and links, and write headings in HTML; an image stays as written
    text = ('<h1 align="center">Widget</h1>\n\n## <a name="install"></a> Install\nRun it.\n## [Configuration](https://example.com/c "Config")\n'
            'Set it.\n<h2 id="faq">FAQ <code>v2</code></h2>\nAsk.\n## Usage <a id="usage"></a>\nUse it.\n'
            "### tracker.calls([fn][, exact])\nCounts.\n## Sowing ![pixel](http://tracker.invalid/p.png)\nSow.\n<h2><img src=\"logo.png\"></h2>\nLogo.\n")
    assert [s.path[-1] for s in sections_of(tmp_path, text)] == [
        "Widget", "Install", "Configuration", "FAQ v2", "Usage", "tracker.calls([fn][, exact])", "Sowing ![pixel](http://tracker.invalid/p.png)"]
    assert sections_of(tmp_path, text)[-1].text.endswith("Sow.\n<h2><img src=\"logo.png\"></h2>\nLogo.")  # a heading of no text is none


@pytest.mark.parametrize("raw, shown", [
    ("No `__filename` or `__dirname`", "No __filename or __dirname"),  # Node.js's docs: code is no emphasis
    ("`manylinux-*-image`, `musllinux-*-image`", "manylinux-*-image, musllinux-*-image"),
    ("Step 2: Update doc/changelogs/CHANGELOG\\_\\*.md", "Step 2: Update doc/changelogs/CHANGELOG_*.md"),  # escaped, not emphasis
    ("Q&amp;A and Caf&eacute;", "Q&A and Café"),
    ("Using <kbd>Ctrl</kbd>+<kbd>C</kbd><br>in <code>vim</code>", "Using Ctrl+C in vim"),
    ("~~Old~~ **New** _way_", "Old New way"),
    ('Tomatoes <img src=x onerror="alert(1)">', 'Tomatoes <img src=x onerror="alert(1)">'),  # no text of its own: as written
])
def test_a_headings_words_read_as_shown(raw, shown):
    assert clean_heading(raw) == shown


def test_underscores_inside_words_are_not_emphasis(tmp_path):
    sections = sections_of(tmp_path, "# The config_file_path option\nIt names a file.\n## _Italic_ and __bold__\nText.\n")
    assert [s.path[-1] for s in sections] == ["The config_file_path option", "Italic and bold"]


def test_text_before_the_first_heading_is_a_preamble_under_the_files_name(tmp_path):
    sections = sections_of(tmp_path, "Loose thoughts first.\n\n# Topic\nBody.\n")
    assert sections[0].path == ("note",) and sections[0].level == 0 and sections[0].text == "Loose thoughts first."
    assert sections[1].path == ("Topic",) and sections[1].line_start == 3


def test_a_page_with_no_heading_is_under_its_name(tmp_path):
    # a Roam page and a journal day (fictional): no heading, no front matter; the app titles them by file name
    (tmp_path / "Biscuit.md").write_text("- Breed:: cockapoo\n- Vet:: Hartcliffe Vets\n")
    (tmp_path / "July 2nd, 2025.md").write_text("- did Biscuit, 2 h, matted behind the ears\n")
    (tmp_path / "Clients 0123456789abcdef0123456789abcdef.md").write_text("Twelve regulars.\n")  # Notion's id is no part of it
    (tmp_path / "titled.md").write_text("---\ntitle: Van checks\n---\nTyres, water, heater.\n")
    sections = load_notes(tmp_path)[1]
    assert {s.file: s.path for s in sections} == {"Biscuit.md": ("Biscuit",), "July 2nd, 2025.md": ("July 2nd, 2025",),
                                                  "Clients 0123456789abcdef0123456789abcdef.md": ("Clients",), "titled.md": ("Van checks",)}
    # the file's name names the text; a title is a heading the note wrote
    assert {s.file for s in sections if s.named_by_file} == {"Biscuit.md", "July 2nd, 2025.md", "Clients 0123456789abcdef0123456789abcdef.md"}
    # and is neither embedded nor searched as a heading: the file's name is searched once, as its name
    from rag.chunking import chunk_notes
    from rag.retrieval import headed
    from rag.store.base import payload
    biscuit = next(c for c in chunk_notes(sections, 600, 100) if c.file == "Biscuit.md")
    assert biscuit.section == ("Biscuit",) and not biscuit.embed_text.startswith("Biscuit") and headed(payload(biscuit)) == ""
    van = next(c for c in chunk_notes(sections, 600, 100) if c.file == "titled.md")
    assert van.embed_text.startswith("Van checks\n") and headed(payload(van)) == "Van checks"


def test_setext_headings_are_headings(tmp_path):
    text = "Wifi\n====\n\nThe guest password is moonlight42.\n\nISP\n---\nZephyr Broadband.\n\n## Router\nReboot it.\n"
    sections = sections_of(tmp_path, text)
    lines = text.split("\n")
    assert [(s.path, s.level) for s in sections] == [(("Wifi",), 1), (("Wifi", "ISP"), 2), (("Wifi", "Router"), 2)]
    wifi, isp, _ = sections
    assert wifi.text == "The guest password is moonlight42." and isp.text == "Zephyr Broadband."
    assert lines[isp.line_start - 1] == "ISP" and lines[isp.body_start - 1] == "Zephyr Broadband."
    assert wifi.line_end == 4 and isp.line_end == 8  # a title line is its own heading's, not the section's above


@pytest.mark.parametrize(
    "text",
    [
        "Intro line.\n\n---\n\nAfter a rule.\n",  # a blank line above: a rule
        "A paragraph of\ntwo lines.\n---\nMore.\n",  # under a paragraph of several lines: left as text
        "- an item\n---\nMore.\n",  # under a list item
        "> a quote\n---\nMore.\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",  # a table's rule
        "```\ncode\n---\n```\nMore.\n",  # inside a code block
        "A line\n-\nMore.\n",  # a lone "-" is an empty list item
    ],
    ids=["rule", "paragraph", "list-item", "quote", "table", "code", "lone-dash"],
)
def test_an_underline_that_makes_no_setext_heading_is_text(tmp_path, text):
    sections = sections_of(tmp_path, text)
    assert [s.path for s in sections] == [("note",)] and sections[0].text == text.strip()  # under the file's name


def test_the_front_matters_closing_rule_underlines_nothing(tmp_path):
    sections = sections_of(tmp_path, "---\ndescription: Cleaning the slate\n---\n\nBody.\n")
    assert [(s.path, s.text) for s in sections] == [(("note",), "Body.")]


LF_NOTE = "# Trip\n\n## Packing\nTake a raincoat.\nAnd boots.\n\n## Empty\n"


@pytest.mark.parametrize(
    "raw",
    [LF_NOTE.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + LF_NOTE.encode(), b"\xef\xbb\xbf" + LF_NOTE.replace("\n", "\r\n").encode()],
    ids=["crlf", "bom", "bom+crlf"],
)
def test_crlf_and_bom_read_like_plain_lf(tmp_path, raw):
    expected = sections_of(tmp_path / "lf", LF_NOTE)
    sections = sections_of(tmp_path / "other", raw)
    assert [(s.path, s.line_start, s.line_end, s.text) for s in sections] == [(s.path, s.line_start, s.line_end, s.text) for s in expected]
    assert not any("\r" in s.text or "\ufeff" in "".join(s.path) for s in sections)


def test_files_in_subfolders_are_named_relative_and_hidden_folders_skipped(tiny_notes):
    write_notes(tiny_notes, {".obsidian/workspace.md": "# Hidden\nnot a note\n", "drawing.png": "not notes"})
    notes, sections = load_notes(tiny_notes)
    assert sorted(n.name for n in notes) == ["cooking.md", "travel/japan.md"]
    assert {s.file for s in sections} == {"cooking.md", "travel/japan.md"}


# --- inputs that cannot be read: the file is skipped with its reason, the rest is read


def skipped_reasons(folder, **options):
    found = read_notes(folder, **options)
    return found, {s.name: s.reason for s in found.skipped}


def test_binary_file_is_skipped_by_name(tiny_notes):
    (tiny_notes / "scan.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    found, reasons = skipped_reasons(tiny_notes)
    assert "binary" in reasons["scan.md"]
    assert sorted(n.name for n in found.notes) == ["cooking.md", "travel/japan.md"]


def test_latin1_file_is_read_with_a_remark(tiny_notes):
    (tiny_notes / "travel" / "paris.md").write_bytes("# Paris\nLe café était fermé.\n".encode("latin-1"))
    found, reasons = skipped_reasons(tiny_notes)
    assert reasons == {}
    paris = next(s for s in found.sections if s.file == "travel/paris.md")
    assert paris.text == "Le café était fermé."
    assert found.remarks == [("travel/paris.md", "read as Latin-1 (cp1252), not UTF-8; save it as UTF-8 to be sure of every character")]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("# Notes\nÜber Größe.\n".encode("utf-16"), "Über Größe."),  # UTF-16 with BOM (Windows Notepad "Unicode")
        (b"\xfe\xff" + "# Notes\nÜber Größe.\n".encode("utf-16-be"), "Über Größe."),
        (b"\xef\xbb\xbf# Notes\nplain\n", "plain"),
        (("# Заметки\n" + "Это заметка о том, как мы ходили в магазин и купили хлеб, молоко и сыр. " * 3 + "\n").encode("cp1251"), None),
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf8-bom", "cp1251"],
)
def test_other_encodings_are_decoded(tmp_path, raw, expected):
    write_notes(tmp_path, {"a.md": "# A\nplain\n"})
    (tmp_path / "b.md").write_bytes(raw)
    found = read_notes(tmp_path)
    assert not found.skipped
    text = next(s for s in found.sections if s.file == "b.md" and s.text).text
    if expected:
        assert text == expected
    else:
        assert text.startswith("Это заметка") and ("b.md", "read as cp1251, not UTF-8; save it as UTF-8 to be sure of every character") in found.remarks


def test_broken_symlink_is_skipped(tiny_notes):
    (tiny_notes / "gone.md").symlink_to(tiny_notes / "elsewhere.md")
    (tiny_notes / "alias.md").symlink_to(tiny_notes / "cooking.md")  # a working link is read like a file
    found, reasons = skipped_reasons(tiny_notes)
    assert reasons.keys() == {"gone.md"} and "broken symlink" in reasons["gone.md"] and "elsewhere.md" in reasons["gone.md"]
    assert "alias.md" in {n.name for n in found.notes}


def test_unreadable_file_reason(tmp_path, monkeypatch):
    """Permission errors as a non-root user meets them (root, as in CI, can read anything)."""
    write_notes(tmp_path, {"a.md": "# A\ntext\n", "secret.md": "# S\nx\n"})
    real_open = open

    def guarded(path, *args, **kwargs):
        if str(path).endswith("secret.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded)
    _, reasons = skipped_reasons(tmp_path)
    assert reasons == {"secret.md": "cannot be read: permission denied (check the file's permissions)"}


def test_file_removed_between_listing_and_reading(tmp_path, monkeypatch):
    write_notes(tmp_path, {"a.md": "# A\ntext\n", "b.md": "# B\ntext\n"})
    import rag.notes

    listed = rag.notes.find_note_files(tmp_path)
    monkeypatch.setattr(rag.notes, "find_note_files", lambda *args: listed)
    (tmp_path / "b.md").unlink()
    found, reasons = skipped_reasons(tmp_path)
    assert reasons == {"b.md": "was removed or renamed after the folder was listed"}
    assert [n.name for n in found.notes] == ["a.md"]


def test_file_over_the_size_limit_is_skipped(tmp_path):
    write_notes(tmp_path, {"a.md": "# A\ntext\n", "dump.md": "# Dump\n" + "x" * 5000 + "\n"})
    found, reasons = skipped_reasons(tmp_path, max_note_bytes=4000)
    assert list(reasons) == ["dump.md"] and "larger than the limit" in reasons["dump.md"] and "max_note_bytes" in reasons["dump.md"]
    assert read_notes(tmp_path).skipped == []  # under the default limit


def test_every_file_unusable_is_an_error_naming_them(tmp_path):
    (tmp_path / "a.md").write_bytes(b"\x00\x01binary")
    (tmp_path / "b.md").symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(NotesError, match=r"None of the 2 notes files .* can be used: a\.md looks binary.*b\.md is a broken symlink"):
        read_notes(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(NotesError, match="does not exist") as error:
        load_notes(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(error.value)


def test_folder_without_notes(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(NotesError, match=r"has no \.md"):
        load_notes(tmp_path)


def test_file_given_instead_of_folder(tiny_notes):
    with pytest.raises(NotesError, match="is a file, not a folder") as error:
        load_notes(tiny_notes / "cooking.md")
    assert "cooking.md" in str(error.value)


def test_notes_with_only_headings(tmp_path):
    write_notes(tmp_path, {"plan.md": "# Plan\n## Later\n"})
    with pytest.raises(NotesError, match="headings but no text"):
        load_notes(tmp_path)


# --- notes as Obsidian, Logseq and plain editors write them


def test_a_front_matter_description_is_what_every_section_is_about_and_no_text(tmp_path):
    # Jekyll's and npm's docs' `description`, Dendron's `desc`: a line on what the note is about
    text = "---\ntitle: Serra trip\ndesc: 'Portugal, 16-30 May 2026'\n---\n\nBooked in January.\n\n## Bookings\nFlight out: AT 2214.\n"
    intro, bookings = sections_of(tmp_path, text)
    assert intro.about == bookings.about == "Portugal, 16-30 May 2026"
    assert "Portugal" not in intro.text + bookings.text
    text = "---\ntitle: npm-dedupe\ndescription: Reduce duplication in the package tree\n---\n\n### Description\nSearches the tree.\n"
    assert {s.about for s in sections_of(tmp_path, text)} == {"Reduce duplication in the package tree"}
    assert {s.about for s in sections_of(tmp_path, "---\ntitle: Plain\ndescription: [not, a, line]\n---\n\nText.\n")} == {""}


def test_front_matter_is_metadata_not_text_and_lines_stay_the_files(tmp_path):
    text = "---\ntitle: Sourdough starter\ntags: [Baking, fermentation]\naliases: [levain]\n---\n\nFeed it daily.\n\n## Hooch\nPour it off.\n"
    sections = sections_of(tmp_path, text)
    lines = text.split("\n")
    assert [s.path for s in sections] == [("Sourdough starter",), ("Sourdough starter", "Hooch")]
    intro, hooch = sections
    assert intro.text == "Feed it daily." and lines[intro.body_start - 1] == "Feed it daily."
    assert intro.line_start == 2 and lines[intro.line_start - 1] == "title: Sourdough starter"  # where the title is written
    assert lines[hooch.line_start - 1] == "## Hooch" and lines[hooch.body_start - 1] == "Pour it off."
    assert all("title:" not in s.text and "---" not in s.text for s in sections)
    assert intro.tags == hooch.tags == ("baking", "fermentation") and intro.aliases == ("levain",)


def test_a_docusaurus_mdx_page_is_a_note(tmp_path):
    from rag.support import split_sentences
    text = "---\ntitle: Caching\n---\nimport Tabs from '@theme/Tabs';\n\n# Caching\n\n:::tip Faster builds\nKeep the cache outside the repository.\n:::\n"
    sections = sections_of(tmp_path, text, name="caching.mdx")
    assert [s.path for s in sections if s.level] == [("Caching",)]
    assert split_sentences(sections[-1].text) == ["Faster builds", "Keep the cache outside the repository."]
    assert all(split_sentences(s.text) == [] for s in sections if not s.level)  # the import says nothing


def test_hugos_toml_front_matter_is_read_as_yaml_front_matter_is(tmp_path):
    text = '+++\ntitle = "Backups"\ndate = 2024-01-02\ntags = ["Ops", "nightly"]\n+++\n\nBackups run at 02:00.\n\n## Retention\nKept 14 days.\n'
    sections = sections_of(tmp_path, text)
    assert [s.path for s in sections] == [("Backups",), ("Backups", "Retention")]
    assert sections[0].text == "Backups run at 02:00." and sections[0].tags == ("ops", "nightly")
    assert text.split("\n")[sections[0].line_start - 1] == 'title = "Backups"'
    files, _ = load_notes(write_notes(tmp_path / "bad", {"note.md": '+++\ntitle = "unclosed\n+++\nBody.\n'}))
    assert any("not valid TOML" in r for f in files for r in f.remarks)


def test_a_front_matter_title_the_first_heading_repeats_heads_the_path_once(tmp_path):
    sections = sections_of(tmp_path, "---\ntitle: Configuring a CI service\n---\n\n## Configuring a CI service\nMany work.\n### GitHub Actions\nUse it.\n")
    assert [s.path for s in sections] == [("Configuring a CI service",), ("Configuring a CI service", "GitHub Actions")]
    # with text above it, that heading is a part of the titled file
    sections = sections_of(tmp_path, "---\ntitle: Setup\n---\nFirst words.\n## Setup\nSteps.\n")
    assert [s.path for s in sections] == [("Setup",), ("Setup", "Setup")]


def test_a_level_one_heading_wins_over_the_front_matter_title(tmp_path):
    sections = sections_of(tmp_path, "---\ntitle: Other name\n---\n# Real title\nBody.\n")
    assert [s.path for s in sections] == [("Real title",)]


@pytest.mark.parametrize(
    "front",
    ["---\ntitle: [unclosed\n---\n", "---\n- just\n- a list\n---\n", "---\n!!python/object:os.system ls\n---\n"],
    ids=["bad-yaml", "not-a-mapping", "unsafe-tag"],
)
def test_malformed_front_matter_is_kept_as_text_with_a_remark(tmp_path, front):
    write_notes(tmp_path, {"n.md": front + "Body about kayaks.\n"})
    found = read_notes(tmp_path)
    assert found.sections[0].text == (front + "Body about kayaks.").strip()
    assert [name for name, _ in found.remarks] == ["n.md"] and "kept as text" in found.remarks[0][1]


def test_a_rule_at_the_top_without_a_closing_one_is_text(tmp_path):
    sections = sections_of(tmp_path, "---\nJust a rule, then text.\n")
    assert sections[0].text == "---\nJust a rule, then text." and sections[0].line_start == 1


def test_logseq_properties_give_title_and_tags(tmp_path):
    sections = sections_of(tmp_path, "title:: Reading list\ntags:: books, Later\n\n- Dune\n- Piranesi #fiction\n")
    assert sections[0].path == ("Reading list",) and sections[0].tags == ("books", "later", "fiction")
    assert sections[0].line_start == 1 and "- Dune" in sections[0].text


def test_inline_tags_are_collected_from_text_only(tmp_path):
    text = (
        "# Heading #notatag\n"
        "Trip #Travel and #travel/japan, issue #123, C# code, page.html#anchor, https://x.org/#frag, &#38;.\n"
        "Inline `#code` is not a tag.\n"
        "```\n#fenced not a tag\n```\n"
        "(#paren) [link](#anchor) https://x.org/play?#code/abc end #last\n"
        "[`EventTarget` error handling]: #eventtarget-error-handling\n"  # a link's target, shown nowhere (Node.js's API docs)
        "[^1]: a footnote is shown: #footnote\n"
    )
    sections = sections_of(tmp_path, text)
    assert sections[0].tags == ("travel", "travel/japan", "last", "footnote")


def test_wikilinks_read_as_their_words():
    assert readable("See [[Bread baking]], [[bread|my bread notes]] and ![[diagram.png]].") == "See Bread baking, my bread notes and diagram.png."
    assert readable("[[Note#Section]] and [[Note#^blockid]] and [[a|]]") == "Note > Section and Note and a"
    assert readable("not a [link] or [[unclosed") == "not a [link] or [[unclosed"


def test_wikilinks_stay_verbatim_in_section_text_and_headings_read_clean(tmp_path):
    sections = sections_of(tmp_path, "# About [[Kyoto|the old capital]]\nSee [[Kyoto]] and ![[map.png]].\n")
    assert sections[0].path == ("About the old capital",)
    assert sections[0].text == "See [[Kyoto]] and ![[map.png]]."  # found as written in the file, for citations


@pytest.mark.parametrize(
    "block",
    ["````\n```\n# still code\n```\n````\n", "~~~\n```\n# still code\n~~~\n", "```python\n# still code\n``` not a close\n```\n"],
    ids=["longer-fence", "tilde-holds-backticks", "close-has-no-info"],
)
def test_fences_close_only_on_a_matching_fence(tmp_path, block):
    sections = sections_of(tmp_path, "# Top\n" + block + "# Next\nText.\n")
    assert [s.path for s in sections] == [("Top",), ("Next",)]
    assert "# still code" in sections[0].text


def test_metadata_between_rules_under_the_title_is_no_text(tmp_path):
    # yarle (Evernote's exporter) writes a note's dates and tags between two rules under its title
    text = "# MOT history\n\n---\nCreated at: 2021-03-14T09:12:33+00:00\nTagged: #van #mot\n---\n\nGarage: Halfpenny Lane Motors.\n"
    sections = sections_of(tmp_path, text)
    assert [s.path for s in sections] == [("MOT history",)]
    assert sections[0].text == "Garage: Halfpenny Lane Motors." and set(sections[0].tags) == {"van", "mot"}
    # a rule with prose under it is the note's own text
    kept = sections_of(tmp_path / "other", "# Trip\n\n---\nDay one: rain.\nWe walked anyway, all day long.\n---\n", name="trip.md")
    assert "We walked anyway" in kept[0].text


def test_a_heading_anchor_of_any_characters_is_dropped(tmp_path):
    # Google Docs downloaded as Markdown writes each heading's anchor after it, apostrophes and all
    sections = sections_of(tmp_path, "# Move\n\n## Who’s who {#who’s-who}\n\nSolicitor: Ann Pryce.\n\n## Using {placeholders}\n\nText.\n")
    assert [s.path for s in sections] == [("Move",), ("Move", "Who’s who"), ("Move", "Using {placeholders}")]
    # Python-Markdown's own docs write the attribute list with spaces inside its braces
    sections = sections_of(tmp_path, "# Extensions\n\n## Tab Length { #tab_length }\n\nFour spaces.\n\n## Using { placeholders }\n\nText.\n")
    assert [s.path for s in sections] == [("Extensions",), ("Extensions", "Tab Length"), ("Extensions", "Using { placeholders }")]


def test_a_jekyll_highlight_block_is_code(tmp_path):
    # Jekyll's Liquid code block: its lines are code (a "# comment" in it no heading), its tags markup
    text = "## Setup\n\nRunning it locally:\n\n{% highlight bash %}\n# install once\nbundle install\n{% endhighlight %}\n\nThen open the site.\n"
    lines = text.split("\n")
    assert code_blocks(lines) == [(4, 7)]
    sections = sections_of(tmp_path, text)
    assert [s.path for s in sections] == [("Setup",)] and "# install once" in sections[0].text
    from rag.support import blocks
    assert [(b[1], b[3]) for b in blocks(sections[0].text)] == [("Running it locally:", False), ("# install once", True), ("bundle install", True), ("Then open the site.", False)]


def test_an_unclosed_fence_runs_to_the_end(tmp_path):
    sections = sections_of(tmp_path, "# Top\n```\n# comment\n")
    assert [s.path for s in sections] == [("Top",)]


def test_text_between_two_rules_at_the_top_is_text_without_a_remark(tmp_path):
    write_notes(tmp_path, {"n.md": "---\nA thought between rules.\n---\nMore.\n"})
    found = read_notes(tmp_path)
    assert found.remarks == [] and found.sections[0].text == "---\nA thought between rules.\n---\nMore."


def test_a_fifo_named_like_a_note_is_not_read(tmp_path):
    write_notes(tmp_path, {"a.md": "# A\ntext\n"})
    os.mkfifo(tmp_path / "pipe.md")  # opening it would wait for a writer forever
    assert [n.name for n in read_notes(tmp_path).notes] == ["a.md"]


def test_a_list_item_that_is_a_heading_is_a_heading(tmp_path):
    # Logseq writes every line as a block, its headings too ("- ## Setup", nested under a tab); CommonMark
    # renders "- ## Setup" as a heading inside a list item. "- #1 priority" and "  # comment" stay text.
    text = ("alias:: Kayak\n- Sea kayaking notes\n- ## Boat\n\t- Northfin Selkie 17 LV\n\t- ### Repairs\n\t\t- Gelcoat patch, March\n"
            "- ## Club\n\t- #1 priority: renew membership\n\t  # comment\n")
    sections = sections_of(tmp_path, text)
    assert [s.path for s in sections] == [("note",), ("Boat",), ("Boat", "Repairs"), ("Club",)]
    assert "Northfin Selkie 17 LV" in sections[1].text and "#1 priority" in sections[3].text and "# comment" in sections[3].text


def test_a_page_title_heads_the_headings_of_its_own_level(tmp_path):
    # Notion's export writes a page's title and its "heading 1" blocks alike, and its file name is the
    # title and the page's id: "GP" is a part of the page "Health"
    text = "# Health\n\nHealth insurance via Halyard.\n\n# Dentist\n\nHarbourside Dental.\n\n## Log\n\nCheck-up in April.\n\n# GP\n\nDr. Anouk Belleme, 555-0145.\n"
    sections = sections_of(tmp_path, text, name="Health 5aed136efea448b6a3afc8ff3ac5caf6.md")
    assert [s.path for s in sections] == [("Health",), ("Health", "Dentist"), ("Health", "Dentist", "Log"), ("Health", "GP")]
    assert sections[3].level == 1 and "Anouk Belleme" in sections[3].text


@pytest.mark.parametrize("name, text", [
    # a first heading that is not the file's name is a part like the others
    ("generative-ai-notes.md", "# Generative AI Personal Notes\n\n# Introduction\n\nText.\n"),
    # nor is a title with text above it
    ("health.md", "Written in March.\n\n# Health\n\nText.\n\n# GP\n\nDr. Belleme.\n"),
])
def test_a_first_heading_that_is_no_title_heads_nothing_of_its_level(tmp_path, name, text):
    sections = sections_of(tmp_path, text, name=name)
    assert all(len(s.path) <= 1 for s in sections) and len([s for s in sections if s.level]) == 2


def test_a_code_block_a_list_item_opens_is_code(tmp_path):
    # Logseq writes a code block as a block of its own: "- ```bash", its lines indented under the marker
    text = "- ## Backup\n\t- Runs Sundays from cron:\n\t- ```bash\n\t  # ~/bin/backup.sh\n\t  rsync -a ~/notes /media/backup\n\t  ```\n\t- Check the log after.\n"
    lines = text.split("\n")
    assert code_blocks(lines) == [(2, 5)]
    assert [s.path for s in sections_of(tmp_path, text)] == [("Backup",)]  # the comment is no heading


def test_hackmd_tags_line_is_the_notes_tags_and_a_toc_marker_no_text(tmp_path):
    text = (
        "# Suppliers ##\n\n[TOC]\n\n###### tags: `suppliers` `prices`\n\n"
        "## Milk\n\nMinimum order 40 litres.\n\n```\n[TOC]\n###### tags: not a tags line in code\n```\n"
    )
    sections = sections_of(tmp_path, text)
    assert [s.path for s in sections] == [("Suppliers",), ("Suppliers", "Milk")]  # no section "tags: ..."
    assert all(s.tags == ("suppliers", "prices") for s in sections)
    assert sections[0].text == ""  # the marker is no sentence of the note
    assert "[TOC]\n###### tags: not a tags line in code" in sections[1].text  # code stays as written
    plain = sections_of(tmp_path / "plain", "# Trip\n\nCoach booked.\n\n###### tags: travel, Admin\n")
    assert [s.path for s in plain] == [("Trip",)] and plain[0].tags == ("travel", "admin")
    # a heading that only starts with "Tags:" titles a section of its own
    titled = sections_of(tmp_path / "titled", "# Notes\n\n## Tags: how we use them\n\nOne per project.\n")
    assert [s.path for s in titled] == [("Notes",), ("Notes", "Tags: how we use them")] and titled[1].tags == ()
