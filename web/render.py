"""What the browser chat shows, as plain strings: chat messages, the sources panel, the status line.

Pure functions of an `Answer` (and a few counts), so they are tested without a browser or a model.
Chat messages are markdown with a little HTML (the Chatbot sanitizes it); the sources panel is HTML.
Text that comes from the notes, the person or the model is never markup: in the sources panel it is
HTML-escaped (`esc`); in chat messages and the status line, which Gradio renders as markdown, every
character that markdown or HTML give a meaning to is written as a character reference (`md_text`), so
an image, link, autolink, tag or heading in a note shows as the characters the note holds.
Every `[n]` in an answer becomes a link to the highlighted sentence `n` in the sources panel: the
mark has the id `src-<turn>-<n>`, the link's href is `#src-<turn>-<n>` (static/citations.js scrolls to it; the Chatbot strips data-*).
It does not decide anything about answers (pipeline.py and grounding.py do).
"""
from __future__ import annotations

import html
import re

from rag import prompts
from rag.answer import MODE_ABSTAINED, MODE_EMPTY_SECTION, MODE_EXTRACTIVE, Answer, Citation, Passage
from rag.notes import readable
from rag.questions import clean_text

MARKER = re.compile(r"\[(\d+)\]")
STRONG = re.compile(r"\*\*([^*<>\n]+?)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])\*([^*\s<>][^*<>\n]*?)\*(?![\w*])")
TERM_BULLET = re.compile(r"^\s*[-*+]\s+(?:\*\*)?([^:*\n]{2,40}?)(?:\*\*)?:\s+\S")

# Long pasted questions are refused by the pipeline; the chat bubble shows only their start.
SHOWN_QUESTION_CHARS = 400
DRAFT_TITLE = "✍️ Draft, being checked against your notes…"
PANEL_DRAFTING = "The model is writing a draft. When it ends, each sentence is checked against your notes and its sources appear here."
PANEL_EMPTY = (
    '<div class="sources-empty"><b>Sources</b><p>Ask a question. The passages an answer cites appear here, '
    "with the sentence that supports each claim highlighted. Click a <span class=\"cite-demo\">[1]</span> in an "
    "answer to jump to its sentence; click an earlier answer to see its sources.</p></div>"
)


def esc(text) -> str:
    """Escaped for HTML text and double-quoted attributes (apostrophes stay readable)."""
    return html.escape(str(text), quote=False).replace('"', "&quot;")


# The ASCII characters with a meaning in markdown (emphasis, code, link and image brackets, escapes,
# headings, tables, strikethrough; "@" makes an e-mail autolink, "$" LaTeX) or in HTML (tags,
# entities). As numeric character references they show as themselves wherever they land: in a
# markdown paragraph (CommonMark reads a reference as literal text, never as syntax) and in an HTML
# block alike. Others only where they mean something: ":" of "://" and "." of "www." (GFM autolinks),
# and a list marker or underline at the start of a line. Without "[" and "<" no link, image or
# autolink can form; quotes mean nothing outside an attribute, and render.py writes attributes with `esc`.
MARKUP_CHARACTERS = frozenset("\\`*_[]<>#|~&$@")
AUTOLINK_START = re.compile(r"(?i)(www)\.|:(?=//)")
LINE_START_MARKER = re.compile(r"(?m)^([ \t]*)([-+=]|\d+[.)])")


def md_text(text) -> str:
    """`text` as literal text inside a markdown message: no part of it can become markup."""
    out = "".join(f"&#{ord(c)};" if c in MARKUP_CHARACTERS else c for c in str(text))
    out = LINE_START_MARKER.sub(lambda m: m.group(1) + m.group(2)[:-1] + f"&#{ord(m.group(2)[-1])};", out)
    return AUTOLINK_START.sub(lambda m: f"{m.group(1)}&#46;" if m.group(1) else "&#58;", out)


def md_rich(text) -> str:
    """`md_text`, with the writer's **bold** and *italics* kept (as tags made here) and wikilinks as their
    words, as the sources panel shows them (`note_html`)."""
    return _marked(readable(str(text)), STRONG, "b", lambda part: _marked(part, EMPHASIS, "em", md_text))


def _marked(text: str, pattern, tag: str, inner) -> str:
    """`text` with each `pattern` match's group 1 wrapped in <tag>; every piece, inside or out, through `inner`."""
    out, position = [], 0
    for match in pattern.finditer(text):
        out += [inner(text[position:match.start()]), f"<{tag}>", inner(match.group(1)), f"</{tag}>"]
        position = match.end()
    out.append(inner(text[position:]))
    return "".join(out)


def section_path(file: str, section: list[str]) -> str:
    return " › ".join([file, *section])


def mark_id(turn: int, number: int) -> str:
    return f"src-{turn}-{number}"


# --- chat messages -------------------------------------------------------------------------------

def shown_question(question) -> str:
    """The question as the chat shows it: long pasted text only by its start."""
    question = clean_text(question if isinstance(question, str) else "" if question is None else str(question))
    return question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"


def user_message(question) -> dict:
    shown = shown_question(question)
    return {"role": "user", "content": md_text(shown) if shown.strip() else "<em>(empty question)</em>"}


def draft_message(draft: str) -> dict:
    """The model's words while it writes: visibly a draft, in a box with a spinner."""
    return {"role": "assistant", "content": (md_rich(draft.strip()) or "…") + " ▍", "metadata": {"title": DRAFT_TITLE, "status": "pending"}}


def waiting_message(stage: str) -> dict:
    return {"role": "assistant", "content": f"⏳ Getting ready: {md_text(stage)}", "metadata": {"title": "⏳ Starting up", "status": "pending"}}


def notice_message(text: str) -> dict:
    """A problem with the question (empty, too long) or the setup: not an answer."""
    return {"role": "assistant", "content": f'<div class="notice">⚠️ {md_text(text)}</div>'}


def cite_link(turn: int, citation: Citation) -> str:
    tip = f"{section_path(citation.file, citation.section)}, line {citation.line_start}: “{citation.text}”"
    target = mark_id(turn, citation.number)
    return f'<a class="cite" href="#{target}" title="{esc(tip)}">[{citation.number}]</a>'


def link_citations(text: str, citations: list[Citation], turn: int) -> str:
    """The answer as literal text (`md_rich`), each [n] of a citation a link to its sentence."""
    by_number = {c.number: c for c in citations}
    out, position = [], 0
    for match in MARKER.finditer(text):
        citation = by_number.get(int(match.group(1)))
        if citation:
            out += [md_rich(text[position:match.start()]), cite_link(turn, citation)]
            position = match.end()
    out.append(md_rich(text[position:]))
    return "".join(out)


def answer_messages(answer: Answer, turn: int) -> list[dict]:
    """The verified answer as chat messages: the answer itself, then (for cited answers) a folded
    box listing each source with its supporting sentence."""
    if answer.mode in (MODE_ABSTAINED, MODE_EMPTY_SECTION) or answer.abstained:
        return [{"role": "assistant", "content": abstention_html(answer)}]
    body = link_citations(answer.text, answer.citations, turn)
    if answer.mode == MODE_EXTRACTIVE:
        body = f'<span class="mode-note">{md_text(prompts.EXTRACTIVE_INTRO)}</span> {body}'
    messages = [{"role": "assistant", "content": f'<div class="answer" data-turn="{turn}">\n\n{body}\n\n</div>'}]
    if answer.citations:
        messages.append({"role": "assistant", "content": sources_markdown(answer), "metadata": {"title": sources_title(answer), "status": "done"}})
    return messages


def abstention_html(answer: Answer) -> str:
    if answer.mode == MODE_EMPTY_SECTION:
        return f'<div class="not-in-notes empty-section">📭 <b>Nothing written there yet</b><br>{md_text(answer.text)}</div>'
    nearest = "".join(f"<li>{md_text(section_path(p.file, p.section))}</li>" for p in answer.nearest)
    listed = f"<br>The nearest sections are:<ul>{nearest}</ul>" if nearest else ""
    return f'<div class="not-in-notes">🔍 <b>Not in your notes</b><br>{md_text(prompts.NOT_IN_NOTES_NOTHING)}{listed}</div>'


def sources_title(answer: Answer) -> str:
    groups: dict[str, list[int]] = {}
    for c in answer.citations:
        groups.setdefault(c.section[-1] if c.section else c.file, []).append(c.number)
    parts = [f"{name} [{', '.join(map(str, numbers))}]" for name, numbers in groups.items()]
    return "📎 Sources: " + md_text("; ".join(parts))


def sources_markdown(answer: Answer) -> str:
    lines = []
    for c in answer.citations:
        lines.append(f"**[{c.number}]** {md_text(section_path(c.file, c.section))}, line {c.line_start}\n> {md_rich(c.text)}")
    return "\n\n".join(lines)


def turn_messages(turn: dict, number: int) -> list[dict]:
    """One stored turn (question + answer or error) as chat messages."""
    messages = [user_message(turn["question"])]
    if turn.get("answer") is not None:
        messages += answer_messages(turn["answer"], number)
    else:
        messages.append(notice_message(turn.get("error") or "No answer."))
    return messages


def render_chat(turns: list[dict]) -> tuple[list[dict], list[int]]:
    """All turns as chat messages, and for each message the index of the turn it belongs to."""
    messages, owners = [], []
    for i, turn in enumerate(turns):
        shown = turn_messages(turn, i + 1)
        messages += shown
        owners += [i] * len(shown)
    return messages, owners


# --- sources panel -------------------------------------------------------------------------------

def highlight(passage: str, citations: list[Citation], turn: int) -> str:
    """The passage, escaped, with each citation's supporting sentence marked and numbered."""
    text = esc(passage)
    spans = []
    for c in citations:
        needle = esc(c.text)
        start = text.find(needle)
        if start < 0 or any(s < start + len(needle) and start < e for s, e, _ in spans):
            continue
        spans.append((start, start + len(needle), c))
    out, position = [], 0
    for start, end, c in sorted(spans, key=lambda s: s[0]):
        out.append(text[position:start])
        out.append(f'<mark class="support" id="{mark_id(turn, c.number)}">{text[start:end]}</mark><sup class="num">[{c.number}]</sup>')
        position = end
    out.append(text[position:])
    missing = [c for c in citations if c not in [s[2] for s in spans]]
    quoted = "".join(
        f'<div class="support-quote"><mark class="support" id="{mark_id(turn, c.number)}">{esc(c.text)}</mark><sup class="num">[{c.number}]</sup></div>'
        for c in missing
    )
    return quoted + note_html("".join(out))


def note_html(escaped: str) -> str:
    """Escaped note text as the notes' author meant it: line breaks, **bold**, *italics*, and wikilinks
    as their words ('[[note|alias]]' -> 'alias'; the stored text keeps them, so citations find it in the file)."""
    return readable(EMPHASIS.sub(r"<em>\1</em>", STRONG.sub(r"<b>\1</b>", escaped))).replace("\n", "<br>")


def _same_passage(p: Passage, c: Citation) -> bool:
    return p.file == c.file and p.section == c.section and (p.text in c.passage or c.passage in p.text or c.text in p.text)


def query_html(answer: Answer) -> str:
    if answer.query.strip() == answer.question.strip():
        note = "your question as asked"
    else:
        note = "rewritten from the conversation, so a follow-up finds what the earlier question was about"
    return f'<div class="query">Searched the notes for: <code>{esc(answer.query)}</code> <span class="muted">({note})</span></div>'


def passage_item(p: Passage) -> str:
    return (
        f'<div class="other-passage"><div class="label">{esc(section_path(p.file, p.section))}'
        f' <span class="muted">lines {p.line_start}–{p.line_end} · score {p.score:.2f}</span></div>'
        f'<div class="passage">{note_html(esc(p.text))}</div></div>'
    )


def sources_panel(answer: Answer, turn: int) -> str:
    """The sources of one answer: cited passages with the supporting sentences highlighted, the query
    that was searched, the other retrieved passages with their scores, and what was removed."""
    head = f'<div class="sources-head">Sources for answer {turn}: “{esc(answer.question)}”</div>'
    parts = [head, query_html(answer)]
    if answer.abstained:
        label = "Nothing written there yet" if answer.mode == MODE_EMPTY_SECTION else "Not in your notes"
        parts.append(f'<div class="not-in-notes"><b>{label}.</b> The nearest sections, with their retrieval scores:</div>')
        parts += [passage_item(p) for p in answer.nearest]
        reason = getattr(answer, "abstain_reason", "")
        if reason:
            parts.append(f'<details class="why"><summary>Why the notes cannot answer this</summary><p>{esc(reason[:1].upper() + reason[1:])}.</p></details>')
    cards: list[tuple[tuple, list[Citation]]] = []
    for c in answer.citations:
        key = (c.file, tuple(c.section), c.passage)
        for k, group in cards:
            if k == key:
                group.append(c)
                break
        else:
            cards.append((key, [c]))
    for (file, section, passage), group in cards:
        numbers = " ".join(f"[{c.number}]" for c in group)
        lines = ", ".join(str(c.line_start) for c in group)
        score = max((p.score for p in answer.passages if _same_passage(p, group[0])), default=None)
        scored = f" · retrieval score {score:.2f}" if score is not None else ""
        parts.append(
            f'<div class="source-card" data-cites="{" ".join(str(c.number) for c in group)}">'
            f'<div class="label"><span class="nums">{numbers}</span> {esc(file)} › <b>{esc(" › ".join(section))}</b>'
            f' <span class="muted">line {lines}{scored}</span></div>'
            f'<div class="passage">{highlight(passage, group, turn)}</div></div>'
        )
    others = [p for p in answer.passages if not any(_same_passage(p, c) for c in answer.citations)]
    if others and not answer.abstained:
        parts.append(
            f'<details class="others"><summary>Other retrieved passages ({len(others)}), not cited</summary>'
            + "".join(passage_item(p) for p in others) + "</details>"
        )
    if answer.dropped:
        items = "".join(f"<li>{esc(s)}</li>" for s in answer.dropped)
        parts.append(
            f'<details class="dropped"><summary>⚠️ Removed from the draft, not from your notes ({len(answer.dropped)})</summary>'
            f'<p class="muted">The model wrote these, but no passage backs them, so they are not shown as the answer.</p><ul>{items}</ul></details>'
        )
    if answer.draft:
        parts.append(f'<details class="draft"><summary>The model’s draft, before checking</summary><p>{esc(answer.draft)}</p></details>')
    parts.append(timings_html(answer))
    return f'<div class="sources" data-turn="{turn}">' + "".join(parts) + "</div>"


def timings_html(answer: Answer) -> str:
    t = answer.timings or {}
    bits = []
    if t.get("retrieve_s") is not None:
        bits.append(f"retrieval {t['retrieve_s'] * 1000:.0f} ms")
    if t.get("first_token_s"):
        bits.append(f"first token {t['first_token_s']:.2f} s")
    if t.get("total_s") is not None:
        bits.append(f"total {t['total_s']:.2f} s")
    if t.get("tokens_per_s"):
        bits.append(f"{t['tokens_per_s']:.0f} tokens/s")
    return f'<div class="timings muted">{" · ".join(bits)}</div>' if bits else ""


def panel_message(text: str, kind: str = "info") -> str:
    return f'<div class="sources-empty {kind}">{esc(text)}</div>'


# --- around the chat -----------------------------------------------------------------------------

def status_line(status: dict, report=None, last_change: str | None = None) -> str:
    files, sections, empty, chunks = (status.get(k, 0) for k in ("files", "sections", "empty_sections", "chunks"))
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    indexed = f"**Indexed** {plural(files, 'file')} · {plural(sections, 'section')} ({empty} empty) · {plural(chunks, 'chunk')}"
    if report is not None:
        indexed += f" · {'built' if report.rebuilt else 'loaded'} in {report.seconds:.1f} s"
    backend = f" ({md_text(status['generator_backend'])})" if status.get("generator_backend") else ""
    models = f"**Answers by** {md_text(status.get('generator_model'))}{backend} · **search and checking by** {md_text(status.get('embedding_model'))}"
    synced = f"  \n**Notes changed** {md_text(last_change)}" if last_change else ""
    notices = "".join(f"  \n⚠️ {md_text(notice)}" for notice in status.get("notices") or [])
    return f"✅ {indexed}  \n{models}{synced}{notices}"


def _lower_words(text: str) -> str:
    """'Main Application Areas' -> 'main application areas'; acronyms like 'AI' or 'GANs' stay."""
    return " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w for w in text.split())


def example_questions(sections, limit: int = 4) -> list[str]:
    """Questions a person could ask, drawn from sections that have text (never from empty headings):
    one per section from its heading, then 'Term:' bullet terms found in those sections."""
    from_headings, from_terms = [], []
    for s in sections:
        if s.empty or not s.path or s.named_by_file:
            continue  # a file's text above its headings, named after the file ("2025-03-22"), names no topic to ask about
        heading = s.path[-1]
        match = re.match(r"(?i)(?:definition of|what is)\s+(.+)", heading)
        from_headings.append(f"What is {_lower_words(match.group(1))}?" if match else f"What do my notes say about the {_lower_words(heading)}?")
        for line in s.text.split("\n"):
            term = TERM_BULLET.match(line)
            if term:
                from_terms.append(f"What do my notes say about {term.group(1).strip()}?")
    # Terms with an acronym in them ('GANs', 'Transformers & LLMs') make the most specific questions.
    from_terms.sort(key=lambda q: not re.search(r"[A-Z]{2}", q.removeprefix("What do my notes say about ")))
    chosen = from_headings[: max(1, limit - 1)] if from_terms else from_headings[:limit]
    for question in from_terms:
        if len(chosen) >= limit:
            break
        chosen.append(question)
    return list(dict.fromkeys(chosen))[:limit]


# --- the Notes tab -------------------------------------------------------------------------------

def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def notes_tab_html(health: dict) -> str:
    """The notes' health (rag/health.py) as HTML: every note-derived string goes through esc()."""
    from rag.health import last_sync_text, size_text

    index = health["index"]
    state = "up to date" if index["up_to_date"] else f"out of date: {index['reason']}"
    parts = [
        '<div class="notes-health">',
        f'<div class="nh-summary"><b>{_count(health["files"], "file")}</b> · {_count(health["sections"], "section")} '
        f'({health["empty_sections"]:,} empty) · {_count(health["chunks"], "chunk")} indexed</div>',
        f'<div class="nh-index">Index {esc(state)} · {size_text(index["size_bytes"])} on disk'
        f' <span class="muted">({esc(index["folder"])})</span></div>',
        f'<div class="nh-sync">Last sync: {esc(last_sync_text(index["last_sync"]))}</div>',
        f'<div class="nh-models muted">Search and checking by {esc(health["models"]["embedding"])} · answers by {esc(health["models"]["generator"])}</div>',
    ]
    unanswered = health["unanswered"]
    kept = "kept beside the index" if health.get("keep_unanswered") else "kept until the app stops (turn on keep_unanswered to keep them)"
    rows = "".join(
        f'<li><span class="muted">{esc(q["time"])}</span> {esc(q["question"])} <span class="muted">({esc(q["reason"])})</span></li>'
        for q in unanswered
    )
    parts.append(
        f'<section class="nh-unanswered"><h3>Questions your notes could not answer ({len(unanswered)})</h3>'
        f'<p class="muted">Newest first, {kept}.</p>'
        + (f"<ul>{rows}</ul>" if rows else "<p>None yet.</p>") + "</section>"
    )
    groups = health["empty_headings"]
    items = "".join(
        f'<li class="nh-file"><b>{esc(g["file"])}</b><ul>'
        + "".join(f'<li>{esc(" › ".join(h["section"]))} <span class="muted">line {h["line"]}</span></li>' for h in g["headings"])
        + "</ul></li>"
        for g in groups
    )
    parts.append(
        f'<section class="nh-empty"><h3>Empty headings: your notes\' to-do list ({health["empty_sections"]:,} in {_count(len(groups), "file")})</h3>'
        + (f"<ul>{items}</ul>" if items else "<p>Every heading has text under it.</p>") + "</section>"
    )
    skipped = "".join(f'<li><b>{esc(s["file"])}</b>: {esc(s["reason"])}</li>' for s in health["skipped"])
    parts.append(
        f'<section class="nh-skipped"><h3>Skipped files ({len(health["skipped"])})</h3>'
        + (f"<ul>{skipped}</ul>" if skipped else "<p>Every notes file could be read.</p>") + "</section>"
    )
    if health.get("remarks"):
        remarks = "".join(f'<li><b>{esc(r["file"])}</b>: {esc(r["remark"])}</li>' for r in health["remarks"])
        parts.append(f'<section class="nh-remarks"><h3>Read with a remark ({len(health["remarks"])})</h3><ul>{remarks}</ul></section>')
    tags = "".join(f'<span class="nh-tag">#{esc(t["tag"])} <span class="muted">{t["files"]}</span></span> ' for t in health["tags"])
    parts.append(
        f'<section class="nh-tags"><h3>Tags ({len(health["tags"])}, with the number of files carrying each)</h3>'
        + (f"<p>{tags}</p>" if tags else "<p>No #tags or front-matter tags yet.</p>") + "</section>"
    )
    parts.append("</div>")
    return "".join(parts)
