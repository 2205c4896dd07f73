"""Notes full of markup tricks, shown in a real browser (Debian's chromium driven by Playwright).

The notes folder (tests/fixtures/hostile/, tests/fixtures/garden-hostile.md and a file whose name
is an <img> tag) holds script tags, event attributes, javascript: and data: links, remote images in
markdown and in HTML, autolinks, HTML entities, an iframe, a stylesheet and LaTeX. A scripted model repeats those sentences (and adds
markup of its own); the questions carry markup too. The page must open no dialog, send no request
anywhere but the app's own server (every request is recorded), need no help from its Content
Security Policy to do so (a violation would be logged), and show every one of those texts as the
characters the notes hold: in the chat, the folded sources boxes, the sources panel and the example
buttons. Skipped only when /usr/bin/chromium is missing (`make browser-deps` installs it).
"""
from __future__ import annotations

import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest

import app
from conftest import fake_pipeline

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
GARDEN = Path(__file__).parent / "fixtures" / "garden-hostile.md"
# A file name is text from the notes folder too.
TRICK_FILE = "<img src=x onerror=alert('xss-file')>.md"
TRICK_FILE_TEXT = "# Pumpkins\n\nPumpkins need a lot of space and rich soil <svg onload=alert('xss-svg-file')></svg> to grow large.\n"
MODEL_MARKUP = "<img src=http://tracker.invalid/model.png onerror=alert('xss-model')> ![model](http://tracker.invalid/model2.png)"
HOSTILE_QUESTION = "When should I sow carrots? <img src=http://tracker.invalid/q.png onerror=alert('xss-question')> ![q](http://tracker.invalid/q2.png)"
QUESTIONS = [
    "When should I sow carrots?",
    "What does the seed catalogue say about the seed shop?",
    "How much sun do tomatoes need?",
    "What do pumpkins need to grow large?",
    HOSTILE_QUESTION,  # its markup words are not in the notes: "not in your notes", naming the nearest headings
]
# Each must be visible, as written, somewhere on the page (chat, sources boxes, panel, examples).
AS_WRITTEN = [
    "![pixel](http://tracker.invalid/p.png)",
    "<img src=\"http://tracker.invalid/i.png\" onerror=\"alert('xss-img')\">",
    "[my site](javascript:alert('xss-md-link'))",
    "[data](data:text/html,<script>alert('xss-data')</script>)",
    "<http://tracker.invalid/auto> and www.tracker.invalid/shop and seeds@tracker.invalid",
    "&lt;b&gt;not bold&lt;/b&gt; &amp; prices, and &#x3C;i&#x3E;entities&#x3C;/i&#x3E; too.",
    "<iframe src=\"http://tracker.invalid/frame\"></iframe> and <svg onload=\"alert('xss-svg')\"></svg>",
    "$$x^2$$ and `code` and <style>body { background: url(http://tracker.invalid/bg.png) }</style>",
    "Tomatoes <img src=x onerror=\"alert('xss-heading')\">",
    "<script>alert('xss-body')</script>",
    TRICK_FILE,
    "<svg onload=alert('xss-svg-file')></svg>",
    HOSTILE_QUESTION,
]
READY_MS, ANSWER_MS = 120_000, 60_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (make browser-deps, or apt-get install chromium)")


def scripted(messages):
    """Repeats the hostile sentences of whichever note the passages come from, plus markup of its own."""
    prompt = messages[-1]["content"]
    if "carrots" in prompt:
        return ("Sow carrots thinly in March ![pixel](http://tracker.invalid/p.png) and cover them with fine soil. "
                "Radishes germinate in four days <img src=\"http://tracker.invalid/i.png\" onerror=\"alert('xss-img')\"> in warm soil. " + MODEL_MARKUP)
    if "catalogue" in prompt:
        return " ".join(line for line in (HOSTILE / "tricks.md").read_text().splitlines() if line.startswith("Seed "))
    if "Tomatoes" in prompt:
        return "Tomatoes need six to eight hours of direct sun every day. <script>alert('xss-body')</script> Water them deeply twice a week."
    return "Pumpkins need a lot of space and rich soil <svg onload=alert('xss-svg-file')></svg> to grow large."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hostile_url(tmp_path):
    notes = Path(shutil.copytree(HOSTILE, tmp_path / "notes"))
    shutil.copy(GARDEN, notes / GARDEN.name)
    (notes / TRICK_FILE).write_text(TRICK_FILE_TEXT, encoding="utf-8")
    demo = app.build_app(fake_pipeline(notes, tmp_path / "index", reply=scripted))
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    yield demo.local_url
    demo.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_markup_in_notes_questions_and_answers_is_shown_as_text_and_loads_nothing(hostile_url):
    from playwright.sync_api import expect, sync_playwright

    dialogs, requests, policy_violations = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: "Content Security Policy" in message.text and policy_violations.append(message.text))
            page.goto(hostile_url)
            expect(page.locator("#status")).to_contain_text("Indexed", timeout=READY_MS)

            seen_chat, seen_panel = [], []
            for number, question in enumerate(QUESTIONS, start=1):
                page.locator("#question textarea").fill(question)
                page.locator("#question textarea").press("Enter")
                expect(page.locator(f"#sources .sources[data-turn='{number}']")).to_be_attached(timeout=ANSWER_MS)
                page.evaluate("() => document.querySelectorAll('#sources details').forEach(d => d.open = true)")
                seen_panel.append(page.locator("#sources").inner_text())
            # an example button built from a heading with markup in it asks that heading
            example = page.locator("#examples button").filter(has_text="<img").first
            expect(example).to_be_visible()
            seen_examples = page.locator("#examples").inner_text()
            example.click()
            expect(page.locator(f"#sources .sources[data-turn='{len(QUESTIONS) + 1}']")).to_be_attached(timeout=ANSWER_MS)
            # every folded sources box, opened
            for title in page.locator("#chat .thought .title").all():
                title.click()
            page.wait_for_timeout(500)
            seen_chat.append(page.locator("#chat").inner_text())
            chat_links = page.eval_on_selector_all("#chat a[href], #sources a[href]", "links => links.map(a => a.getAttribute('href'))")
            chat_media = page.eval_on_selector_all("#chat img, #chat iframe, #chat script, #sources img, #sources iframe, #sources script, #sources svg",
                                                   "nodes => nodes.map(n => n.outerHTML)")
            handlers_attrs = page.evaluate(
                "() => Array.from(document.querySelectorAll('#chat *, #sources *')).flatMap(n => Array.from(n.attributes)"
                ".filter(a => a.name.startsWith('on')).map(a => n.tagName + ' ' + a.name))"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser-hostile.png"), full_page=True)

            # the Content Security Policy is the backstop: an outside image added by hand is refused
            before = len(policy_violations)
            page.evaluate("() => { const i = document.createElement('img'); i.src = 'http://tracker.invalid/by-hand.png'; document.body.append(i); }")
            page.wait_for_timeout(500)
            backstop = policy_violations[before:]
            del policy_violations[before:]
        finally:
            browser.close()

    own = urlparse(hostile_url)
    outside = sorted({u for u in requests if urlparse(u).scheme not in ("data", "blob") and (urlparse(u).hostname, urlparse(u).port) != (own.hostname, own.port)})
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert outside == ["http://tracker.invalid/by-hand.png"], f"requests left the app's server: {outside}"
    assert policy_violations == [], f"markup reached the page and only the Content Security Policy stopped it: {policy_violations}"
    assert backstop, "the page has no Content Security Policy against outside images"
    assert chat_media == [] and handlers_attrs == [], (chat_media, handlers_attrs)
    assert all(href.startswith("#src-") for href in chat_links), chat_links
    shown = flat(" ".join(seen_chat + seen_panel + [seen_examples]))
    missing = [text for text in AS_WRITTEN if flat(text) not in shown]
    assert not missing, f"not shown as written: {missing}"
    chat = flat(seen_chat[-1])
    for text in ("![pixel](http://tracker.invalid/p.png)", "Tomatoes <img src=x onerror=\"alert('xss-heading')\">", TRICK_FILE, HOSTILE_QUESTION,
                 "Sowing ![heading pixel](http://tracker.invalid/heading.png)"):
        assert flat(text) in chat, f"the chat does not show {text!r} as written"
