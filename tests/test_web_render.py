"""Text from notes, questions and the model is text wherever the chat shows it (no browser needed).

The browser test (test_browser_hostile.py) shows the result on a real page; these check the strings
web/render.py hands to Gradio: in chat messages and the status line (rendered as markdown) every
character that could make markup is a character reference; the sources panel (HTML) is escaped.
"""
from __future__ import annotations

import html
import re

import pytest

from rag.answer import Answer, Citation, Passage
from web import content_security_policy, page_head
from web import render as ui

TRICKS = [
    "![pixel](http://tracker.invalid/p.png)",
    "<img src=x onerror=alert(1)>",
    "[site](javascript:alert(1))",
    "[d](data:text/html,<script>alert(1)</script>)",
    "<http://tracker.invalid/auto>",
    "see www.tracker.invalid/x and https://tracker.invalid/y and me@tracker.invalid",
    "&lt;b&gt; &amp; &#x3C;i&#x3E;",
    "[1]: http://tracker.invalid/ref",
    "# heading\n> quote\n- item\n1. first\n2) second\n---\n===",
    "`code` ~~strike~~ $$x^2$$ | a | b |",
    "\\[escaped\\] \\<tag\\>",
]
HEADING = "Tomatoes <img src=\"http://tracker.invalid/h.png\" onerror=\"alert('xss')\">"
FILE = "<b onmouseover=alert(1)>notes</b>.md"

# What markdown (CommonMark + GFM, as Gradio's Chatbot renders it) or HTML would read as markup.
MARKUP = re.compile(r"<(?!/?(?:b|em|div|span|br|ul|li|a|sup)\b)|\[|\]\(|!\[|https?://|www\.|@|^\s*(?:[-+>#]|\d+[.)])\s", re.M)


def without_own_markup(markdown: str) -> str:
    """A message less what render.py writes on purpose: citation links, **[n]** and the quote's "> "."""
    markdown = re.sub(r"<a class=\"cite\"[^>]*>\[\d+\]</a>", "", markdown)
    return re.sub(r"(?m)^> ", "", re.sub(r"\*\*\[\d+\]\*\*", "", markdown))


def literal(markdown: str) -> str:
    """What the browser shows for text written by md_text: the references decoded."""
    return html.unescape(markdown)


@pytest.mark.parametrize("text", TRICKS)
def test_md_text_leaves_no_markup_and_shows_the_text_as_written(text):
    written = ui.md_text(text)
    assert not MARKUP.search(written), written
    assert literal(written) == text


def test_bold_and_italics_of_the_notes_stay_and_nothing_else_becomes_a_tag():
    assert ui.md_rich("**Sourdough** needs a *starter* <img src=x>") == "<b>Sourdough</b> needs a <em>starter</em> &#60;img src=x&#62;"


def answer_with_tricks() -> Answer:
    sentence = "Tomatoes need sun ![pixel](http://tracker.invalid/p.png) every day."
    passage = f"{sentence} <script>alert('body')</script>"
    citation = Citation(number=1, file=FILE, section=["Garden", HEADING], text=sentence, passage=passage, line_start=3, line_end=4)
    return Answer(
        question="Sun? <img src=http://tracker.invalid/q.png>",
        query="Sun? <img src=http://tracker.invalid/q.png>",
        text=f"{sentence} [1] [7]",
        passages=[Passage("id", FILE, ["Garden", HEADING], passage, 3, 4, 0.5)],
        citations=[citation],
        dropped=["<img src=http://tracker.invalid/model.png onerror=alert(2)>"],
        draft="[x](javascript:alert(3))",
    )


def test_every_chat_message_of_an_answer_is_literal_text_around_its_own_links():
    messages = ui.turn_messages({"question": "Sun? ![q](http://tracker.invalid/q.png)", "answer": answer_with_tricks()}, 1)
    user, body, box = messages
    assert literal(user["content"]) == "Sun? ![q](http://tracker.invalid/q.png)"
    # the only link in the answer is the citation's; the unknown [7] stays text
    assert re.findall(r"<a [^>]*>", body["content"]) == [re.search(r"<a [^>]*>", body["content"]).group(0)]
    assert 'href="#src-1-1"' in body["content"] and "&#91;7&#93;" in body["content"]
    for shown in (body["content"], box["content"], box["metadata"]["title"]):
        assert not MARKUP.search(without_own_markup(shown)), shown
    assert "![pixel](http://tracker.invalid/p.png)" in literal(box["content"])
    assert HEADING in literal(box["metadata"]["title"]) and FILE in literal(box["content"])


def test_drafts_notices_and_the_waiting_line_are_literal_too():
    for message in (ui.draft_message("<img src=x onerror=alert(1)> ![p](http://t.invalid/p.png)"), ui.notice_message(f"Cannot read {FILE}"),
                    ui.waiting_message(f"building the index: new {FILE}")):
        assert not MARKUP.search(message["content"]), message


def test_abstentions_name_the_nearest_sections_as_text():
    answer = answer_with_tricks()
    answer.abstained, answer.mode, answer.nearest = True, "abstained", answer.passages
    shown = ui.answer_messages(answer, 1)[0]["content"]
    assert HEADING in literal(shown) and FILE in literal(shown) and not MARKUP.search(shown)


def test_the_sources_panel_escapes_everything_it_shows():
    panel = ui.sources_panel(answer_with_tricks(), 1)
    tags = set(re.findall(r"<([a-z]+)", panel))
    assert tags <= {"div", "span", "b", "code", "mark", "sup", "details", "summary", "p", "ul", "li", "br", "em"}, tags
    assert "&lt;img src=http://tracker.invalid/model.png" in panel and "&lt;script&gt;" in panel
    assert html.escape(FILE, quote=False) in panel


def test_the_status_line_shows_model_names_as_text():
    status = {"files": 1, "sections": 1, "empty_sections": 0, "chunks": 1, "generator_model": "![m](http://t.invalid/m.png)",
              "generator_backend": "<i>x</i>", "embedding_model": "[e](javascript:alert(1))"}
    line = ui.status_line(status)
    assert not MARKUP.search(line.replace("**", "")), line


def test_the_page_loads_nothing_from_elsewhere():
    policy = dict(d.split(" ", 1) for d in content_security_policy().split("; "))
    assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data: blob:" and policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'" and "http" not in content_security_policy()
    assert page_head().startswith('<meta http-equiv="Content-Security-Policy"')
