"""A notes folder as Obsidian writes it (tests/fixtures/obsidian): front matter with title, tags and
aliases, [[wikilinks]], ![[embeds]], #tags, a code fence holding '# comment' lines, a broken front
matter block and a hidden .obsidian folder. Real embedder: a question about a note whose only title
is in its front matter finds that note."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FakeGenerator
from rag.chunking import chunk_notes
from rag.config import Config
from rag.notes import read_notes

FIXTURE = Path(__file__).parent / "fixtures" / "obsidian"


@pytest.fixture(scope="module")
def found():
    return read_notes(FIXTURE)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, real_embedder):
    from rag.pipeline import Pipeline

    base = tmp_path_factory.mktemp("obsidian")
    notes = shutil.copytree(FIXTURE, base / "notes")
    config = Config(notes_dir=notes, index_dir=base / "index")
    pipeline = Pipeline(config, embedder=real_embedder, generator=FakeGenerator(), log=lambda message: None)
    pipeline.prepare()
    return pipeline


def test_the_folder_reads_without_skips_and_names_the_broken_front_matter(found):
    assert sorted(n.name for n in found.notes) == [
        "daily/2024-03-02.md", "daily/broken-front-matter.md", "daily/cycling-routes.md",
        "projects/bread-baking.md", "projects/sourdough-starter.md",
    ]
    assert found.skipped == []
    assert found.remarks == [("daily/broken-front-matter.md", "its front matter is not valid YAML at line 3; kept as text")]


def test_titles_tags_and_aliases_come_from_front_matter_and_text(found):
    by_file = {}
    for s in found.sections:
        by_file.setdefault(s.file, []).append(s)
    starter = by_file["projects/sourdough-starter.md"]
    assert [s.path for s in starter] == [("Sourdough starter care",)]
    assert starter[0].tags == ("baking", "fermentation", "kitchen") and starter[0].aliases == ("levain", "mother dough")
    assert [s.path for s in by_file["projects/bread-baking.md"]] == [("Bread baking",), ("Bread baking", "Oven"), ("Bread baking", "Shaping")]
    assert by_file["projects/bread-baking.md"][0].tags == ("baking", "baking/bread")
    assert by_file["daily/2024-03-02.md"][0].tags == ("cycling", "garden")  # not 2024, 123, a URL fragment or inline code


def test_chunks_quote_the_file_and_embed_readable_text(found):
    chunks = chunk_notes(found.sections, 600, 100)
    starter = next(c for c in chunks if c.file == "projects/sourdough-starter.md")
    lines = (FIXTURE / starter.file).read_text(encoding="utf-8").split("\n")
    assert starter.text == "\n".join(lines[starter.line_start - 1 : starter.line_end])
    assert lines[starter.line_start - 1].startswith("Feed the starter once a day")
    assert "[[Bread baking|my bread notes]]" in starter.text and "title:" not in starter.text
    assert starter.embed_text.startswith("Sourdough starter care (also: levain, mother dough)\n")
    assert "See my bread notes and the schedule in feeding-schedule.png." in starter.embed_text
    shaping = next(c for c in chunks if c.section == ("Bread baking", "Shaping"))
    assert "# proof overnight in the fridge" in shaping.text  # a comment in a fence, not a heading


@pytest.mark.parametrize(
    "question,file",
    [
        ("Which cycling routes do I have?", "daily/cycling-routes.md"),
        ("How should I look after the levain?", "projects/sourdough-starter.md"),
        ("What does the sourdough starter care note say about hooch?", "projects/sourdough-starter.md"),
    ],
)
def test_a_question_finds_the_note_titled_only_in_front_matter(pipeline, question, file):
    passages = pipeline.retrieve(question, top_k=3)
    assert passages[0].file == file, [(p.file, p.score) for p in passages]
    title = {"daily/cycling-routes.md": "Cycling routes", "projects/sourdough-starter.md": "Sourdough starter care"}[file]
    assert passages[0].section == [title]


CYCLING_FILES = {"daily/2024-03-02.md", "daily/cycling-routes.md"}  # tagged #cycling (text) and tags: [cycling] (front matter)


def test_stored_payloads_carry_the_files_tags(pipeline):
    by_file = {p["file"]: p["tags"] for p in pipeline.store.payloads().values()}
    assert by_file["projects/sourdough-starter.md"] == ["baking", "fermentation", "kitchen"]
    assert {f for f, tags in by_file.items() if "cycling" in tags} == CYCLING_FILES


def test_where_tag_limits_the_passages_to_that_tag(pipeline):
    question = "What did I do in the garden and with the bread?"
    unfiltered = pipeline.retrieve(question, top_k=5)
    assert {p.file for p in unfiltered} - CYCLING_FILES  # without the filter other notes rank
    passages = pipeline.retrieve(question, top_k=5, where={"tag": "cycling"})
    assert passages and {p.file for p in passages} <= CYCLING_FILES
    assert len(passages) == len(pipeline.store.search(pipeline.embedder.encode(["x"])[0], 99, {"tag": "cycling"}))  # all of them, ranked
    nested = pipeline.retrieve(question, top_k=5, where={"tag": "baking/bread"})
    assert {p.file for p in nested} == {"projects/bread-baking.md"}


def test_retrieved_passages_carry_their_notes_tags(pipeline):
    passages = pipeline.retrieve("What did I do in the garden and with the bread?", top_k=5, where={"tag": "cycling"})
    assert passages and all("cycling" in p.tags for p in passages)


def test_the_chat_shows_wikilinks_as_their_words_and_highlights_the_quote():
    from rag.answer import Citation
    from web import render

    text = "Feed it daily; see [[Bread baking|my bread notes]].\nPour off the hooch."
    citation = Citation(1, "a.md", ["A"], "Pour off the hooch.", text, 2, 2)
    shown = render.highlight(text, [citation], turn=1)
    assert "see my bread notes." in shown and "[[" not in shown
    assert '<mark class="support"' in shown and "Pour off the hooch.</mark>" in shown
