"""Broken state heals itself and says so in one line; the notes folder is never touched.

Each file of a FAISS build (vectors.faiss, vectors.npy, chunks.jsonl, manifest.json, CURRENT) cut
short or garbled, a manifest of another format, vectors that do not match the chunk records, an
index folder that cannot be written (read-only, full): each is found at load, the index rebuilt (or
kept in memory when it cannot be saved), the person told in one line (the status line's notice),
and the next question answered. A converted model whose model.bin was cut short is found at load
and converted again. After each, the notes folder holds the same bytes with the same mtimes.
"""
from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import rag.store.faiss_store
from conftest import FakeGenerator, fake_pipeline, write_notes
from rag.config import Config
from rag.store.faiss_store import FaissStore, notes_key
from web import render as ui

QUESTION = "When did the Shinkansen bullet train open?"
SHINKANSEN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."


def snapshot(folder: Path) -> dict:
    """Every file and folder under `folder`: bytes and mtime of files, and that folders exist."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) if p.is_file() else "folder" for p in sorted(folder.rglob("*"))}


@pytest.fixture
def notes(tmp_path):
    """The tiny notes; after the test, the same files with the same bytes and mtimes, and nothing added."""
    folder = write_notes(tmp_path / "notes")
    before = snapshot(folder)
    yield folder
    assert snapshot(folder) == before, "the notes folder was modified"


def pipeline_over(notes: Path, index_dir: Path):
    pipeline = fake_pipeline(notes, index_dir, reply=SHINKANSEN)
    pipeline.messages = []
    pipeline.log = pipeline.messages.append
    return pipeline


def answers(pipeline) -> None:
    """The next question gets a cited answer from the notes."""
    answer = pipeline.ask(QUESTION)
    assert not answer.abstained and "1964" in answer.text
    assert answer.citations and answer.citations[0].file == "travel/japan.md"


def root_of(pipeline) -> Path:
    return pipeline.config.index_dir / notes_key(pipeline.config.notes_dir)


def live(pipeline) -> Path:
    return root_of(pipeline) / (root_of(pipeline) / "CURRENT").read_text().strip()


def status_notices(pipeline) -> list[str]:
    """The notice lines of the status line the page shows."""
    return [line for line in ui.status_line(pipeline.status(), pipeline.report).split("\n") if line.startswith("⚠️")]


# --- damaged builds


def cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size * 2 // 3)])


def garble(path: Path) -> None:
    """The same length, a run of bytes in the middle overwritten."""
    data = bytearray(path.read_bytes())
    middle, width = len(data) // 2, max(1, min(16, len(data) // 4))
    data[middle - width // 2 : middle - width // 2 + width] = bytes((b ^ 0x5A) for b in data[middle - width // 2 : middle - width // 2 + width])
    path.write_bytes(bytes(data))


def other_format(path: Path) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), "format_version": 1}))


def vouch_for(path: Path) -> None:
    """Make the manifest record `path` as it is now: only the counts can tell then."""
    manifest = path.parent / "manifest.json"
    recorded = json.loads(manifest.read_text())
    recorded["checksums"][path.name] = rag.store.faiss_store._checksum(path)
    recorded["manifest_crc32"] = rag.store.faiss_store._manifest_crc(recorded)
    manifest.write_text(json.dumps(recorded))


def fewer_vectors(path: Path) -> None:
    np.save(path, np.load(path)[:-1])
    vouch_for(path)


def fewer_records(path: Path) -> None:
    path.write_text("".join(path.read_text().splitlines(True)[:-1]))
    vouch_for(path)


DAMAGE = {
    "vectors.faiss cut short": ("vectors.faiss", cut),
    "vectors.faiss garbled": ("vectors.faiss", garble),
    "vectors.npy cut short": ("vectors.npy", cut),
    "vectors.npy garbled": ("vectors.npy", garble),
    "chunks.jsonl cut short": ("chunks.jsonl", cut),
    "chunks.jsonl garbled": ("chunks.jsonl", garble),
    "manifest.json cut short": ("manifest.json", cut),
    "manifest.json garbled": ("manifest.json", garble),
    "CURRENT cut short": ("../CURRENT", cut),
    "CURRENT garbled": ("../CURRENT", garble),
    "CURRENT pointing outside": ("../CURRENT", lambda p: p.write_text("../../notes\n")),
    "manifest.json with a value changed": ("manifest.json", lambda p: p.write_text(p.read_text().replace('"chunk_size": 600', '"chunk_size": 601'))),
    "manifest of another format": ("manifest.json", other_format),
    "fewer vectors than chunks": ("vectors.npy", fewer_vectors),
    "fewer chunks than vectors": ("chunks.jsonl", fewer_records),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_index_is_found_at_load_rebuilt_and_said_in_one_line(notes, tmp_path, damage):
    first = pipeline_over(notes, tmp_path / "index")
    first.prepare()
    name, harm = DAMAGE[damage]
    harm(live(first) / name)

    again = pipeline_over(notes, tmp_path / "index")
    report = again.prepare()
    assert report.rebuilt and report.notice and report.notice.endswith("it was rebuilt from your notes.")
    assert "\n" not in report.notice and str(root_of(again)) in report.notice
    assert ("format 1" in report.notice) if damage == "manifest of another format" else ("damaged" in report.notice)
    assert status_notices(again) == [f"⚠️ {ui.md_text(report.notice)}"]
    answers(again)
    # the rebuilt index is whole: the next start loads it as it is, with nothing to say
    third = pipeline_over(notes, tmp_path / "index")
    assert not third.prepare().rebuilt and third.report.notice is None and status_notices(third) == []
    answers(third)


def test_a_first_build_is_not_a_repair(notes, tmp_path):
    pipeline = pipeline_over(notes, tmp_path / "index")
    assert pipeline.prepare().rebuilt and pipeline.report.notice is None


# --- an index folder that cannot be written


@pytest.fixture
def read_only(monkeypatch):
    """Make writes under a folder fail as on a read-only file system (the tests may run as root, whom
    chmod does not stop): creating folders and files, replacing and removing."""
    def under(root: Path):
        root = str(root)
        refuse = lambda path: str(path).startswith(root)  # noqa: E731
        error = lambda path: OSError(errno.EROFS, "Read-only file system", str(path))  # noqa: E731
        real_mkdir, real_open, real_replace, real_write_index = Path.mkdir, builtins.open, os.replace, rag.store.faiss_store.faiss.write_index

        def mkdir(self, *args, **kwargs):
            if refuse(self) and not self.exists():
                raise error(self)
            return real_mkdir(self, *args, **kwargs)

        def open_(file, mode="r", *args, **kwargs):
            if refuse(file) and any(c in mode for c in "wax+"):
                raise error(file)
            return real_open(file, mode, *args, **kwargs)

        def replace(src, dst):
            if refuse(src) or refuse(dst):
                raise error(dst)
            return real_replace(src, dst)

        def write_index(index, path):
            if refuse(path):
                raise RuntimeError(f"could not open {path} for writing: Read-only file system")
            return real_write_index(index, path)

        monkeypatch.setattr(Path, "mkdir", mkdir)
        monkeypatch.setattr(builtins, "open", open_)
        monkeypatch.setattr(io, "open", open_)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(rag.store.faiss_store.faiss, "write_index", write_index)

    return under


def test_a_read_only_index_folder_still_answers_from_memory_with_a_one_line_warning(notes, tmp_path, read_only):
    first = pipeline_over(notes, tmp_path / "index")
    first.prepare()
    build, listing = live(first), sorted(p.name for p in root_of(first).iterdir())
    harm = DAMAGE["vectors.faiss cut short"][1]
    harm(build / "vectors.faiss")  # damaged, and the folder cannot be written: rebuilt in memory only

    read_only(tmp_path / "index")
    again = pipeline_over(notes, tmp_path / "index")
    report = again.prepare()
    assert report.rebuilt and "\n" not in report.notice
    assert "could not be saved" in report.notice and "Read-only file system" in report.notice and "answering from memory" in report.notice
    assert any("could not be saved" in m for m in again.messages)
    assert len(status_notices(again)) == 1
    answers(again)
    assert sorted(p.name for p in root_of(first).iterdir()) == listing and live(again) == build  # nothing written, nothing removed


def test_a_read_only_folder_with_no_index_yet_answers_too(notes, tmp_path, read_only):
    read_only(tmp_path / "index")
    pipeline = pipeline_over(notes, tmp_path / "index")
    assert "could not be saved" in pipeline.prepare().notice
    answers(pipeline)
    assert not (tmp_path / "index").exists()


FULL = {
    "vectors.npy": lambda monkeypatch: monkeypatch.setattr(
        rag.store.faiss_store.np, "save", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))),
    "vectors.faiss": lambda monkeypatch: monkeypatch.setattr(
        rag.store.faiss_store.faiss, "write_index", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("Error: 'ret == (size)' failed: write error: No space left on device"))),
}


@pytest.mark.parametrize("failing", FULL, ids=[f"full while writing {name}" for name in FULL])
def test_a_full_disk_leaves_the_old_index_live_nothing_half_written_and_answers(notes, tmp_path, monkeypatch, failing):
    first = pipeline_over(notes, tmp_path / "index")
    first.prepare()
    build = live(first)
    garble(build / "chunks.jsonl")

    FULL[failing](monkeypatch)
    again = pipeline_over(notes, tmp_path / "index")
    report = again.prepare()
    assert "could not be saved" in report.notice and "No space left on device" in report.notice and "damaged" in report.notice
    answers(again)
    assert live(again) == build and [p.name for p in root_of(again).iterdir() if p.name.endswith(".partial") or p.name.endswith(".tmp")] == []

    monkeypatch.undo()  # space again: the next start rebuilds and saves
    third = pipeline_over(notes, tmp_path / "index")
    assert third.prepare().rebuilt and "could not be saved" not in (third.report.notice or "")
    assert live(third) != build and FaissStore.load(root_of(third))
    answers(third)


# --- converted models


def converted_generator_folder(cache_dir: Path) -> Path:
    from rag.generators import base

    _, _, cache = base.resolve_model(Config(cache_dir=cache_dir))
    return cache / "ct2-int8"


def converted_embedder_folder(cache_dir: Path) -> Path:
    from rag.embedders import ctranslate2 as ct2_embedder
    from rag.embedders.base import default_embedding_path

    folder = default_embedding_path()
    return cache_dir / "embedders" / f"{folder.name}-{ct2_embedder._weights_digest(folder, cache_dir)}" / "ct2-float32"


class CopyingConverter:
    """Stands in for CTranslate2's converter (70 s for the answer model on two shared cores): "converts"
    by copying a good conversion. Loading what it wrote is real."""

    calls = 0

    def __init__(self, good: Path):
        self.good = good

    def __call__(self, *args, **kwargs):
        return self

    def convert(self, output_dir, *args, **kwargs):
        type(self).calls += 1
        shutil.copytree(self.good, output_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("rag-files.json"))
        return output_dir


@pytest.fixture
def model_cache(tmp_path, real_generator, real_embedder):
    """A private cache with copies of the real conversions (made by the session's real models); the
    GGUF's dequantized folder is linked, not copied (500 MB, only read)."""
    real = Config().cache_dir
    cache = tmp_path / "cache"
    generator, embedder = converted_generator_folder(real), converted_embedder_folder(real)
    linked = cache / generator.parent.relative_to(real) / "hf"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(generator.parent / "hf", target_is_directory=True)
    shutil.copytree(generator, cache / generator.relative_to(real), ignore=shutil.ignore_patterns("rag-files.json"))
    shutil.copytree(embedder, cache / embedder.relative_to(real), ignore=shutil.ignore_patterns("rag-files.json"))
    return cache, generator, embedder


def test_an_answer_model_whose_model_bin_was_cut_short_is_converted_again_and_answers(notes, tmp_path, model_cache, monkeypatch, real_embedder):
    import ctranslate2

    from rag.pipeline import Pipeline

    cache, good, _ = model_cache
    converter = CopyingConverter(good)
    CopyingConverter.calls = 0
    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", converter)
    folder = converted_generator_folder(cache)
    cut(folder / "model.bin")  # a conversion from before sizes were recorded: loading it fails

    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index", cache_dir=cache, generator_backend="ctranslate2"),
                        embedder=real_embedder, log=(messages := []).append)
    pipeline.prepare()
    generator = pipeline.generator
    assert CopyingConverter.calls == 1 and generator.backend == "ctranslate2"
    assert "was damaged (it does not load" in generator.notice and "converted again" in generator.notice and "\n" not in generator.notice
    assert generator.notice in messages and status_notices(pipeline) == [f"⚠️ {ui.md_text(generator.notice)}"]
    answer = pipeline.ask(QUESTION)
    assert answer.draft.strip() and answer.timings["tokens"] > 0  # the repaired model writes
    assert (folder / "model.bin").stat().st_size == (good / "model.bin").stat().st_size

    # converted now with its sizes recorded: a cut is found before loading, by its size
    cut(folder / "model.bin")
    from rag.generators.ctranslate2 import CTranslate2Generator
    from rag.generators import base

    again = CTranslate2Generator(*base.resolve_model(Config(cache_dir=cache)), Config(cache_dir=cache))
    assert CopyingConverter.calls == 2 and "model.bin has" in again.notice and "were written" in again.notice
    assert "".join(again.stream([{"role": "user", "content": "Say hello."}], 8)).strip()


def test_an_embedding_model_whose_model_bin_was_cut_short_is_converted_again(model_cache, monkeypatch, real_embedder):
    import ctranslate2

    from rag.embedders import load_embedder

    cache, _, good = model_cache
    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", CopyingConverter(good))
    CopyingConverter.calls = 0
    cut(converted_embedder_folder(cache) / "model.bin")

    embedder = load_embedder(Config(cache_dir=cache))
    assert embedder.backend == "ctranslate2" and CopyingConverter.calls == 1  # repaired, not fallen back to sentence-transformers
    assert "embedding model" in embedder.notice and "converted again" in embedder.notice
    texts = [SHINKANSEN, "sourdough starter"]
    assert np.allclose(embedder.encode(texts), real_embedder.encode(texts), atol=1e-5)

    cut(converted_embedder_folder(cache) / "model.bin")
    again = load_embedder(Config(cache_dir=cache))
    assert CopyingConverter.calls == 2 and "model.bin has" in again.notice
    assert np.allclose(again.encode(texts), real_embedder.encode(texts), atol=1e-5)


def test_a_generator_without_repairs_has_nothing_to_say(real_generator):
    assert getattr(real_generator, "notice", None) is None
    assert FakeGenerator().__dict__.get("notice") is None
