"""The chat in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Types a question, waits for the streamed draft and then the verified answer, clicks the answer's
[n] that cites "Brief History and Evolution", and checks that the sources panel shows that passage with the supporting sentence
highlighted and in view; opens the in-chat sources box too. Saves a screenshot and the measured
times under tests/artifacts/ (git-ignored). Skipped only when /usr/bin/chromium is missing
(`make browser-deps` installs it).
"""
from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

import app
from conftest import DEFAULT_NOTES

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
QUESTION = "What does the adversarial part of a GAN mean?"
# Generous: on two shared cores a cold start converts the model once (~30 s) and answers take seconds.
READY_MS, ANSWER_MS = 240_000, 180_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (make browser-deps, or apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(default_pipeline):
    demo = app.build_app(default_pipeline)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    yield demo.local_url
    demo.close()


def test_a_question_streams_an_answer_and_its_source_opens(app_url):
    from playwright.sync_api import expect, sync_playwright

    # as the page shows them: markdown emphasis rendered, so without its asterisks
    notes_text = " ".join((DEFAULT_NOTES / "generative-ai-notes.md").read_text(encoding="utf-8").replace("*", "").split())
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(app_url)
            expect(page.locator("#status")).to_contain_text("Indexed", timeout=READY_MS)

            page.locator("#question textarea").fill(QUESTION)
            asked = time.perf_counter()
            page.locator("#question textarea").press("Enter")
            # the draft streams in, marked as a draft (the ▍ cursor sits at its end while it grows)
            page.wait_for_function("() => document.querySelector('#chat').innerText.includes('▍')", polling=20, timeout=ANSWER_MS)
            first_token_s = time.perf_counter() - asked
            # then the verified answer replaces it and the panel shows its sources
            expect(page.locator("#sources .source-card").first).to_be_visible(timeout=ANSWER_MS)
            answered_s = time.perf_counter() - asked
            expect(page.locator("#chat")).not_to_contain_text("▍")
            expect(page.locator("#chat")).to_contain_text(QUESTION)

            # one click on a [n] that cites the history section brings its highlighted sentence into view
            link = page.locator("#chat a.cite[title*='Brief History and Evolution']").first
            expect(link).to_be_visible()
            target = link.get_attribute("href").removeprefix("#")
            link.click()
            mark = page.locator(f"#sources mark#{target}")
            expect(mark).to_be_in_viewport(timeout=10_000)
            sentence = " ".join(mark.inner_text().split())
            assert len(sentence) > 20 and sentence in notes_text, f"the highlighted text is not from the notes: {sentence!r}"
            card = page.locator("#sources .source-card").filter(has=page.locator(f"mark#{target}"))
            expect(card).to_contain_text("Brief History and Evolution")
            expect(card).to_contain_text("generative-ai-notes.md")
            passage = " ".join(card.locator(".passage").inner_text().split())
            assert sentence in passage and len(passage) > len(sentence)  # the passage around it is shown too
            expect(page.locator("#sources .query")).to_contain_text(QUESTION)

            # the folded sources box under the answer opens with a click and quotes the same sentence
            box = page.locator("#chat .thought").filter(has_text="Sources").last
            expect(box.locator(".content")).not_to_be_visible()
            box.locator(".title").click()
            expect(box.locator(".content")).to_be_visible(timeout=10_000)
            expect(box.locator(".content")).to_contain_text(sentence[:60])
            box.scroll_into_view_if_needed()

            page.screenshot(path=str(ARTIFACTS / "browser-chat.png"), full_page=True)
        finally:
            browser.close()
    timings = {"first_token_in_browser_s": round(first_token_s, 2), "verified_answer_in_browser_s": round(answered_s, 2)}
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    print(f"\nbrowser: first draft token after {first_token_s:.2f} s, verified answer after {answered_s:.2f} s")


@pytest.fixture
def notes_app_url(default_notes_copy, tmp_path, real_embedder, real_generator):
    """The app over a copy of the default notes with one unreadable file in it."""
    from rag.config import Config
    from rag.pipeline import Pipeline

    (default_notes_copy / "scan.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 an image saved as .md")
    pipeline = Pipeline(Config(notes_dir=default_notes_copy, index_dir=tmp_path / "index"), embedder=real_embedder, generator=real_generator, log=lambda m: None)
    demo = app.build_app(pipeline)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    yield demo.local_url
    demo.engine.stop()
    demo.close()


def test_the_notes_tab_shows_skipped_files_and_empty_headings(notes_app_url):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(notes_app_url)
            expect(page.locator("#status")).to_contain_text("Indexed", timeout=READY_MS)
            page.get_by_role("tab", name="Notes").click()
            health = page.locator("#notes-health")
            expect(health.locator(".nh-skipped")).to_contain_text("scan.md", timeout=30_000)
            expect(health.locator(".nh-skipped")).to_contain_text("binary")
            expect(health.locator(".nh-empty")).to_contain_text("generative-ai-notes.md")
            expect(health.locator(".nh-empty")).to_contain_text("Variational Autoencoders (VAE)")
            expect(health.locator(".nh-summary")).to_contain_text("1 file")
            page.screenshot(path=str(ARTIFACTS / "notes-tab.png"), full_page=True)
        finally:
            browser.close()
