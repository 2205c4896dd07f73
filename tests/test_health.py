"""The notes' health: `python -m rag status --json`, the chat's Notes tab (handler level), the
unanswered questions (in memory, or kept beside the index when asked to), and indexing progress."""
from __future__ import annotations

import io
import json

from conftest import FakeEmbedder, FakeGenerator, fake_pipeline, write_notes
from rag.__main__ import main, progress_printer
from rag.config import Config
from rag.pipeline import Pipeline
from rag.store import unanswered_path
from web.handlers import ChatHandlers, Engine

HEALTH_NOTES = {
    "cooking.md": "# Cooking\n\n## Bread\nSourdough bread needs a starter. #baking\n\n## Pasta\n\n## Soup\n",
    "travel/japan.md": "---\ntags: [travel, Japan]\n---\n# Japan\n\n## Trains\nThe Shinkansen opened in 1964. #travel\n\n## Temples\n",
    "travel/peru.md": "# Peru\nMachu Picchu is high in the Andes. #travel #hiking\n",
    # note-derived text that must reach the page as text, never as markup
    "odd <b>name</b>.md": "# Odd\nSome text.\n\n## <script>alert(1)</script> **not bold** [x](http://e.vil)\n",
}


def health_folder(tmp_path):
    notes = write_notes(tmp_path / "notes", HEALTH_NOTES)
    (notes / "scan.md").write_bytes(b"\x00\x01PNG binary")
    return notes


def test_status_json_lists_skipped_files_empty_headings_by_file_and_tags(tmp_path, capsys):
    notes = health_folder(tmp_path)
    args = ["--notes", str(notes), "--index-dir", str(tmp_path / "index")]
    assert main(["status", "--json", *args]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["files"] == 4 and status["chunks"] == 0
    assert status["index"]["up_to_date"] is False and "No index" in status["index"]["reason"]
    assert status["skipped"] == [{"file": "scan.md", "reason": status["skipped"][0]["reason"]}] and "binary" in status["skipped"][0]["reason"]
    by_file = {g["file"]: [h["section"] for h in g["headings"]] for g in status["empty_headings"]}
    assert by_file == {
        "cooking.md": [["Cooking", "Pasta"], ["Cooking", "Soup"]],
        "odd <b>name</b>.md": [["Odd", "<script>alert(1)</script> not bold x"]],  # a link reads as its words, the script as written
        "travel/japan.md": [["Japan", "Temples"]],
    }
    assert status["empty_sections"] == 4
    assert status["tags"] == [{"tag": "travel", "files": 2}, {"tag": "baking", "files": 1}, {"tag": "hiking", "files": 1}, {"tag": "japan", "files": 1}]

    assert main(["index", *args]) == 0
    capsys.readouterr()
    assert main(["status", "--json", *args]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["index"]["up_to_date"] is True and status["chunks"] > 0 and status["index"]["size_bytes"] > 1000
    last = status["index"]["last_sync"]
    assert sorted(last["added"]) == ["cooking.md", "odd <b>name</b>.md", "travel/japan.md", "travel/peru.md"] and last["embedded"] == status["chunks"]
    assert status["models"]["embedding"] and status["unanswered"] == []

    assert main(["status", *args]) == 0  # the same for people
    text = capsys.readouterr().out
    assert "Skipped 1 file:" in text and "scan.md: looks binary" in text
    assert "cooking.md:" in text and "line 6: Cooking › Pasta" in text and "#travel (2)" in text and "Index: up to date" in text


def notes_tab(tmp_path, **config):
    notes = health_folder(tmp_path)
    pipeline = fake_pipeline(notes, tmp_path / "index", **config)
    handlers = ChatHandlers(Engine(pipeline, log=lambda m: None))
    handlers.engine.start().wait(60)
    return pipeline, handlers


def test_the_notes_tab_shows_skipped_files_empty_headings_tags_and_unanswered_questions_escaped(tmp_path):
    pipeline, handlers = notes_tab(tmp_path)
    list(handlers.respond("What is the capital of Australia?", []))  # the notes cannot answer this
    page = handlers.notes_tab()
    assert "Skipped files (1)" in page and "<b>scan.md</b>: looks binary" in page
    assert "Empty headings: your notes' to-do list (4 in 3 files)" in page
    assert "<b>cooking.md</b><ul><li>Cooking › Pasta" in page and "Cooking › Soup" in page and "Japan › Temples" in page
    assert "#travel <span class=\"muted\">2</span>" in page and "#hiking" in page
    assert "Questions your notes could not answer (1)" in page and "What is the capital of Australia?" in page
    assert "Index up to date" in page and "Last sync:" in page
    # note-derived text is text: no tag, link or emphasis from the notes reaches the page as markup
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "odd &lt;b&gt;name&lt;/b&gt;.md" in page and "<b>name</b>" not in page
    assert "<a " not in page


def test_the_notes_tab_says_what_start_up_is_doing_until_ready(tmp_path):
    notes = write_notes(tmp_path / "notes")
    engine = Engine(fake_pipeline(notes, tmp_path / "index"), log=lambda m: None)
    engine.pipeline.on_progress(3, 10)  # the index is being built
    assert "indexed 3/10 files" in engine.stage
    engine.start = lambda: engine  # not started: the tab shows the stage
    assert "Getting ready" in ChatHandlers(engine).notes_tab()


def test_unanswered_questions_stay_in_memory_unless_kept(tmp_path):
    notes = write_notes(tmp_path / "notes")
    pipeline = fake_pipeline(notes, tmp_path / "index")
    pipeline.prepare()
    pipeline.ask("What is the capital of Australia?")
    assert [q["question"] for q in pipeline.health()["unanswered"]] == ["What is the capital of Australia?"]
    assert not unanswered_path(pipeline.config).exists()

    kept = fake_pipeline(notes, tmp_path / "index", keep_unanswered=True)
    kept.prepare()
    kept.ask("What is the capital of Australia?")
    kept.ask("Who painted the Mona Lisa?")
    assert unanswered_path(kept.config).exists()
    again = fake_pipeline(notes, tmp_path / "index", keep_unanswered=True)  # after a restart
    assert [q["question"] for q in again.unanswered.newest_first()] == ["Who painted the Mona Lisa?", "What is the capital of Australia?"]


def test_indexing_progress_is_a_line_every_n_files_without_a_terminal(tmp_path):
    notes = write_notes(tmp_path / "notes", {f"n{i:03}.md": f"# Note {i}\n" + " ".join(f"word{i}x{j}" for j in range(300)) + "\n" for i in range(120)})
    out = io.StringIO()
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None)
    seen = []
    show = progress_printer(50, out)
    pipeline.on_progress = lambda done, total: (seen.append((done, total)), show(done, total))
    pipeline.prepare()
    assert seen[0] == (0, 120) and seen[-1] == (120, 120) and len(seen) > 3
    lines = out.getvalue().splitlines()
    assert lines[-1] == "indexed 120/120 files" and 2 <= len(lines) <= 4
    assert all(line.startswith("indexed ") for line in lines)
