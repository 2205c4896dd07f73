"""Build the verified answer from a draft: keep what the notes back, quote the notes otherwise.

The model's words are never trusted. `ground()` splits the draft into sentences, keeps those a note
sentence backs (support.py) and that answer the question, each cited to the note sentence that
backs it (that sentence is `Citation.text`), and drops the rest; the model's own [n] markers are
stripped and recomputed. `rank_quotes()` orders the note sentences by how well they answer the
question and `quote_answer()` quotes the best, cited: the answer when too little of the draft
survives. `missing_answer_type()` tells when a question asks for a name or number the notes do not
give. Deciding whether to answer at all is the pipeline's job, not this module's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace


from rag.answer import Citation, Passage
from rag.decide import MONTHS, asked_clause
from rag.lexical import tokenize
from rag.prompts import echoes_instructions
from rag.retrieval import STOPWORDS, content_words, same_word, word_coverage
from rag.support import BOLD_LABEL, CODE_SPAN, LINK_ONLY, PICTURE, WIKI_LINKS_ONLY, NoteSentence, below, claims, MODEL_MARKER, NAME, NON_ANSWER, NUMBER, ACRONYM, STARTS_CLAUSE, Support, SupportChecker, Thresholds, leads_in, note_sentences, says_nothing, split_sentences, steers, table_header, WORDLESS

@dataclass
class Grounded:
    text: str
    citations: list[Citation]
    dropped: list[str]
    extractive: bool


def ground(draft: str, question: str, passages: list[Passage], checker: SupportChecker, fallback: Grounded) -> Grounded:
    """The verified answer: supported sentences with [n] citations; unsupported ones dropped. When
    too little of the draft survives, or what survives does not answer the question (true but beside
    the point, or without the name or number asked for), `fallback` (quotes from the notes) is the
    answer instead."""
    written = _without_repeats([s for s in split_sentences(MODEL_MARKER.sub("", draft)) if not NON_ANSWER.search(s)])
    # A sentence that claims nothing ("The answer to the question ... is:"), repeats the prompt's
    # instructions or loops is never an answer.
    sentences = [s for s in written if claims(s, question) and not echoes_instructions(s) and not loops(s)]
    claimless = [s for s in written if s not in sentences]
    supports = checker.best_supports(sentences, passages)
    on_topic = checker.on_topic(question, sentences)
    kept = [(s, sup) for s, sup, relevant in zip(sentences, supports, on_topic) if sup is not None and relevant]
    dropped = claimless + [s for s, sup, relevant in zip(sentences, supports, on_topic) if sup is None or not relevant]
    kept_share = sum(len(s) for s, _ in kept) / max(1, sum(len(s) for s in sentences))
    context = " ".join(p.text for p in passages)
    answers_it = (
        kept and not missing_answer_type(question, [s for s, _ in kept], context)
        and checker.as_close_as_quotes(question, [s for s, _ in kept], [c.text for c in fallback.citations])
        and carries_facts(" ".join(s for s, _ in kept), [c.text for c in fallback.citations], question, checker.t.min_fact_share)
    )
    if (not answers_it or kept_share < checker.t.min_kept_share) and fallback.citations:
        return Grounded(fallback.text, fallback.citations, dropped + [s for s, _ in kept], True)
    citations: list[Citation] = []
    parts = []
    for sentence, support in kept:
        number = _cite(citations, support, passages)
        parts.append(f"{sentence.rstrip()} [{number}]")
    return Grounded(" ".join(parts), citations, dropped, False)


def _without_repeats(sentences: list[str]) -> list[str]:
    """Each sentence once: a looping model repeats one, often cut off at the token cap the second time
    ("The next agent is [AutoGen](...)." then "The next agent is [")."""
    kept: list[str] = []
    for s in sentences:
        start = s.rstrip(" [(").rstrip()
        if start and not any(k.startswith(start) for k in kept):
            kept.append(s)
    return kept


def loops(sentence: str, min_span: int = 6) -> bool:
    """Whether the model looped inside the sentence: a run of words said three times or more in a row,
    the loop at least `min_span` words long ("Diagrams > Mermaid Flowcharts > Sequence Flowcharts >
    Sequence Flowcharts > Sequence Flowcharts > ..." till the token cap). Each repeated word is in the
    notes, so the support check passes it; it says nothing ("very, very good" is no loop)."""
    words = re.findall(r"\w+", sentence.lower())
    for n in range(1, min_span + 1):  # the run's length in words
        times = max(3, -(-min_span // n))  # a one-word run said six times, a two-word run three
        for i in range(len(words) - n * times + 1):
            if all(words[i + k * n: i + (k + 1) * n] == words[i: i + n] for k in range(1, times)):
                return True
    return False


def carries_facts(text: str, quotes: list[str], question: str, min_share: float) -> bool:
    """Whether a draft says what the quotes it would replace say: each number and `code` span of
    theirs that the question lacks, at least `min_share` of their new content words, and something
    of each quote (a quarter of its new words): a draft that says one quote well and drops the other
    ("That gave rise to models like GPT ...") loses to the quotes. A
    true sentence that leaves the answer out ("The tokenizer used by Mistral NeMo is Mistral Large"
    for a note naming the Tekken tokenizer), or one sentence of a three-sentence quote, loses to the
    quotes: on the dev questions a draft kept for carrying only the best quote's facts cost
    genai-for-beginners 0.09 of key-fact recall (eval/README.md, "The model's part")."""
    quoted = " ".join(quotes)
    asked, lower = question.lower(), text.lower()
    facts = NUMBER.findall(quoted) + CODE_SPAN.findall(quoted)
    if any(f.lower() not in lower for f in facts if f.lower() not in asked):
        return False
    asked_words, said = content_words(question), set(content_words(text))

    def new_words(t):
        return [w for w in dict.fromkeys(content_words(t)) if not any(same_word(w, a) for a in asked_words)]

    if any((new := new_words(q)) and word_coverage(new, said) < min_share / 2 for q in quotes):
        return False
    new = new_words(quoted)
    return not new or word_coverage(new, said) >= min_share


def rank_quotes(question: str, passages: list[Passage], checker: SupportChecker, asked_part: str | None = None) -> list[Support]:
    """Note sentences ordered by how well they answer the question: meaning (embedding similarity),
    the question's words in the sentence or its heading (typos allowed), and the passage's rank.
    `asked_part` is what the question asks when that is only part of it (each Support's
    clause_similarity): a follow-up as typed, when `question` carries the last question's words;
    else asked_clause's part."""
    notes = note_sentences(passages)
    if not notes:
        return []
    clause = asked_part or asked_clause(question)
    vectors = checker.embedder.encode([question] + [n.text for n in notes] + [clause] * (clause is not None))
    asked = content_words(question)
    ranked = []
    for j, note in enumerate(notes):
        # The sentence itself must be about the question; its heading may name the topic ("GAN").
        words = set(content_words(note.text + " " + " ".join(passages[note.passage].section)))
        similarity, lexical = float(vectors[0] @ vectors[j + 1]), word_coverage(asked, words)
        score = similarity + 0.3 * lexical + 0.3 * passages[note.passage].score
        # What the sentence says beyond the question's own words: "Generative AI is everywhere now"
        # restates a question about generative AI; "Chatbots, summarization, translation" answers it.
        own = content_words(note.text)
        novelty = sum(1 for w in own if w not in asked) / len(own) if own else 0.0
        clause_similarity = float(vectors[-1] @ vectors[j + 1]) if clause is not None else None
        ranked.append(Support(note, score, similarity, lexical, score + checker.t.novelty_weight * novelty, vectors[j + 1], clause_similarity))
    return sorted(ranked, key=lambda s: -s.score)


def quote_answer(ranked: list[Support], passages: list[Passage], thresholds: Thresholds) -> Grounded:
    """The best note sentences (up to `extractive_sentences`), quoted and cited, in reading order."""
    if not ranked:
        return Grounded("", [], [], True)
    by_preference = sorted(ranked, key=lambda s: -s.quote_rank)
    # A further quote only when it is nearly as good as the best: filler dilutes the answer.
    best = by_preference[0]
    home = passages[best.note.passage].section

    def margin(s):  # another section must be nearly as good: an answer that stays in one place is checked in one place
        return thresholds.second_quote_margin if passages[s.note.passage].section == home else thresholds.other_section_margin

    chosen = [s for s in by_preference if s.quote_rank >= best.quote_rank - margin(s)][: thresholds.extractive_sentences]
    citations: list[Citation] = []
    parts = []
    for support in sorted(chosen, key=lambda s: (s.note.passage, ranked.index(s))):  # reading order
        number = _cite(citations, support, passages)
        parts.append(f"“{support.note.text}” [{number}]")
    return Grounded(" ".join(parts), citations, [], True)


# How much a command's share of its section title's words counts beside its cosine to the question
# (best_command). Dev split, til-jbranchaud key facts / sentence found: 0.73 / 0.67 with the cosine
# alone, 0.77 / 0.70 at 0.25, 0.5 and 1 alike; genai unchanged.
COMMAND_TITLE_WEIGHT = 0.5
# A list answer quotes at most this many items: a long list is better read in the note itself.
MAX_LIST_ITEMS = 8
MAX_CODE_LINES = 6  # of a code block quoted after its lead-in: a command and its output, not a whole listing


def evidence_answer(evidence: list, passages: list[Passage], thresholds: Thresholds, listing: bool = False, ranked: list[Support] | None = None,
                    also: Support | None = None, left_out: re.Pattern | None = None, every_item: bool = False, latest: set[str] | None = None) -> Grounded:
    """Quote the note sentences that answer (decide.Evidence, best first): the best, and up to
    `extractive_sentences` in all that come within a margin of it. For a listing question ("what are
    the main application areas?") whose best sentence stands in or above a list, every item of that
    list is quoted, each cited. With `ranked` (the question asks for a way), the command of the best
    sentence's section that fits the question best (best_command) comes after it and the line it is
    read with, and, when no quoted sentence says what to use, the one of that section that does
    (best_means). `also` (second_ask_answer), when not quoted already, comes last. When the chosen
    sentences belong to WHOLE_LIST_AT items of the best one's list, the whole list is quoted
    (whole_list) but for the checklist boxes `left_out` matches (decide.left_out: not done, when
    asked what was; done, when asked what is left).
    `every_item` (asked what is left to do, or a listing question naming the list's section heading:
    "Name the main application areas."): a listing answered by one item asks for all the others too.
    Other answers (no list quoted whole): each quoted sentence brings the code right below it that
    shows it (with_code_shown), each line of code what it is read with (whole_code), and each
    sentence said later in a list item that item's first sentence (with_item_heads). `latest` (asked
    how something stands now: the question's content words): a dated log quoted brings its newest
    entry (latest_entries)."""
    if not evidence:
        return Grounded("", [], [], True)
    best = evidence[0]
    if listing:
        items = [s for s in list_items(best.support, passages) if not (left_out and left_out.match(s.note.text))]
        if len(items) >= 2 and (every_item or not _one_item_asked(evidence, items, thresholds)):
            return _quote([best.support] * (best.support.note.item < 0) + items + [also] * (also is not None), passages)  # _quote drops a repeat

    chosen = chosen_evidence(evidence, passages, thresholds)
    listed = whole_list(best.support, chosen, passages, left_out)
    if listed:
        return _quote([best.support] * (best.support.note.within < 0) + listed + [also] * (also is not None), passages)  # the best one in its place when in the list
    notes = note_sentences(passages)  # once for answer_span and the four steps below
    span = answer_span(best.support, passages, notes, best.named_before)
    command = best_command(best.support, ranked, passages) if ranked else None
    if command is not None:
        span.append(command)
    if ranked and not any(USES.search(s.note.text) for s in span + chosen if not s.note.code):
        means = best_means(best.support, ranked, passages)
        if means is not None:
            span.append(means)
    if len(span) > 1:
        rest = [c for c in chosen if all(c.note.text != s.note.text for s in span)]
        chosen = span + rest[: thresholds.extractive_sentences - 1]
    chosen = with_code_shown(chosen, notes, ranked is not None)
    if latest:  # a log of the best sentence's section, when no quote is of one
        home = passages[best.support.note.passage]
        beside = [e.support for e in evidence if (passages[e.support.note.passage].file, passages[e.support.note.passage].section) == (home.file, home.section)]
        chosen += latest_entries(chosen + beside, notes, chosen, latest)
    return _quote(with_item_heads(with_antecedents(whole_code(chosen + [also] * (also is not None), notes), notes), notes), passages)  # _quote drops a repeat


# An entry of a log that starts with its date: "- 30 Nov — reply: electrician visit ...", "| 2026-05-30 |
# 500/100 | €44 |", "Mon 2 Nov: chased by phone"
MONTH_NAMES = [m[:3].lower() for m in MONTHS]  # "jan" ... "dec"
_MONTH = "|".join(MONTH_NAMES)
DATED = re.compile(rf"^[\W_]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
                   rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})[a-z]*\.?(?:\s+(?P<y1>(?:19|20)\d\d))?"
                   rf"|(?P<m2>{_MONTH})[a-z]*\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
                   rf"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)(?:-(?P<d3>[0-3]\d))?)(?![\w/-]|\.\d)", re.I)
MIN_DATED_ENTRIES = 3  # two dated lines are a pair of facts, not a log


def _when(text: str) -> tuple | None:
    """The (year or 0, month, day) a log entry starts with (DATED), or None."""
    m = DATED.match(text.lstrip("|").strip())
    if not m:
        return None
    if m["m3"]:
        return int(m["y3"]), int(m["m3"]), int(m["d3"] or 0)
    month, day, year = (m["m1"], m["d1"], m["y1"]) if m["m1"] else (m["m2"], m["d2"], m["y2"])
    return int(year or 0), MONTH_NAMES.index(month.lower()[:3]) + 1, int(day)


def latest_entries(candidates: list[Support], notes: list[NoteSentence], quoted: list[Support], asked: set[str]) -> list[Support]:
    """Asked how something stands now ("What's the latest on getting the extractor fan fixed?"),
    the newest entry of a dated log: the list of dated items below "Extractor fan timeline:", or a
    table's rows that start with their date. Written oldest first, the last dated entry and the one
    after it, if any (an undated "still pending as of 4 Dec"); newest first, the first. Of the first of the
    `candidates` (answering sentences, the quoted first) that leads into or stands in a log of
    MIN_DATED_ENTRIES dated entries or more; [] when none does or a sentence `quoted` is that entry.
    A table's rows log many things ("| 2026-03-23 | rear sprocket 38T | ... |" in a parts log asked
    about the main jets): there the newest row that says a word of the question (`asked`), and the
    list below a lead-in is about one."""
    quoted = {(s.note.passage, s.note.text) for s in quoted}
    for support in candidates:
        at = _position(notes, support.note)
        if at is None:
            continue
        start = below(notes, at) if leads_in(notes, at) else at
        entries, rows = _log_entries(notes, start)
        if rows:
            entries = [k for k in entries if asked & set(content_words(notes[k].text))]
        dated = [(k, when) for k in entries if (when := _when(notes[k].text))]
        if len(dated) < MIN_DATED_ENTRIES:
            continue
        newest_first = dated[0][1] > dated[-1][1]
        first = dated[0][0] if newest_first else dated[-1][0]
        if (notes[first].passage, notes[first].text) in quoted:
            return []
        picked = [first] if newest_first else [k for k in entries if k >= first][:2]
        said = [notes[k] for k in picked] if rows else [n for k in picked for n in _item_said(notes, k)]
        return [Support(n, support.score, support.similarity, support.overlap) for n in said if (n.passage, n.text) not in quoted]
    return []


def _log_entries(notes: list[NoteSentence], at: int) -> tuple[list[int], bool]:
    """Where the entries start of the list or table that `notes[at]` stands in: each item's first
    sentence (items nested in another left out), or each row; and whether they are a table's rows.
    ([], False) when it stands in neither."""
    if at >= len(notes):
        return [], False
    note = notes[at]
    rows = note.within < 0 and note.text.lstrip().startswith("|")
    if note.within >= 0:
        same = lambda n: n.passage == note.passage and n.within >= 0 and not n.parent and not n.code
        heads = lambda n: n.item >= 0
    elif rows:
        same = lambda n: n.passage == note.passage and n.text.lstrip().startswith("|")
        heads = lambda n: True
    else:
        return [], False
    lo = at
    while lo > 0 and same(notes[lo - 1]):
        lo -= 1
    hi = at
    while hi + 1 < len(notes) and same(notes[hi + 1]):
        hi += 1
    return [k for k in range(lo, hi + 1) if heads(notes[k])], rows


def with_code_shown(chosen: list[Support], notes: list[NoteSentence], way: bool) -> list[Support]:
    """Each quoted sentence of prose with the first line of the code block right below it, when it
    leads into it ("To get `:split` to split below:") or, for a question asking for a command or a
    way (`way`: decide.asks_for_code), whatever it ends in: "You can list all the currently running
    sessions right from the command-line." is shown by "$ tmux ls" below it. whole_code then adds
    what that line is read with. `notes`: the passages' note sentences (note_sentences)."""
    out: list[Support] = []
    for s in chosen:
        out.append(s)
        at = None if s.note.code else _position(notes, s.note)
        if at is None:
            continue
        k = below(notes, at)
        if k < len(notes) and notes[k].code and notes[k].passage == s.note.passage and (way or leads_in(notes, at)):
            out.append(Support(notes[k], s.score, s.similarity, s.overlap))
    return out


# A code block this short is read whole when one of its lines is quoted: a snippet quoted line by
# line out of order, or one line of it ("new PrismaClient({"), shows nothing that runs. Dev halves
# (1,619): every block of up to 8 lines whole found 8 more answering sentences but made answers 5%
# longer and showed a whole 8-line app for "which status code does RedirectResponse use?"; up to 5,
# with the statement and the output rule below for longer blocks: 6 more, answers 4% longer.
SNIPPET_LINES = 5
# A code line that goes on below it: a bracket left open, a trailing operator or backslash
# ("new PrismaClient({", "openssl base64 | \\" in a shell).
CONTINUES = re.compile(r"(?:[\\(\[{,=|+]|&&|\|\||=>)\s*$")
# A line typed at a prompt ("$ ", "> ", ">>> ", "irb> ", "iex> "): the lines below it, up to the next
# prompt, are what it printed ("> "1234".rjust(6, "0")" then "=> "001234""), the result asked about.
PROMPT = re.compile(r"^\s*(?:\$|>|>>>|❯|%|irb\S*>|iex\S*>|pry\S*>|\w*=[#>])\s")
OUTPUT_LINES = 2


def _depth(line: str) -> int:
    return sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")


def whole_code(chosen: list[Support], notes: list[NoteSentence]) -> list[Support]:
    """Each quoted code line with the code it is read with: its whole block when the block has at
    most SNIPPET_LINES lines; else the rest of its statement (brackets left open, a line that
    CONTINUES, at most MAX_CODE_LINES) and, typed at a PROMPT, the OUTPUT_LINES it printed. In a
    session typed at a prompt, a lone word below a prompt is what it printed ("nil"), the result, and
    is quoted; a lone word of another listing ("end") is not (_quotable)."""
    out: list[Support] = []
    for s in chosen:
        at = _position(notes, s.note) if s.note.code else None
        if at is None:
            out.append(s)
            continue
        first, last = _block(notes, at)
        if last - first < SNIPPET_LINES:
            lines = list(range(first, last + 1))
        else:
            lines, depth, goes_on = [at], _depth(notes[at].text), bool(CONTINUES.search(notes[at].text))
            while (depth > 0 or goes_on) and lines[-1] < last and len(lines) < MAX_CODE_LINES:
                lines.append(lines[-1] + 1)
                depth += _depth(notes[lines[-1]].text)
                goes_on = bool(CONTINUES.search(notes[lines[-1]].text))
            if PROMPT.match(notes[at].text):
                printed = lines[-1] + 1
                while printed <= last and not PROMPT.match(notes[printed].text) and printed - lines[-1] <= OUTPUT_LINES:
                    printed += 1
                lines += range(lines[-1] + 1, printed)
        typed = bool(PROMPT.match(notes[first].text))
        out += [s if k == at else Support(notes[k], s.score, s.similarity, s.overlap) for k in lines if k == at or _shown_line(notes[k], typed)]
    return out


def _block(notes: list[NoteSentence], at: int) -> tuple[int, int]:
    """The first and the last line of the code block the code line `notes[at]` stands in (the code
    lines next to it in its passage)."""
    first = last = at
    while first > 0 and notes[first - 1].code and notes[first - 1].passage == notes[at].passage:
        first -= 1
    while last + 1 < len(notes) and notes[last + 1].code and notes[last + 1].passage == notes[at].passage:
        last += 1
    return first, last


def _shown_line(note: NoteSentence, typed: bool) -> bool:
    """Whether a line of a quoted block is quoted with it: what may be quoted (_quotable) and, in a
    session `typed` at a prompt, any worded line that is no prompt (what was printed: "nil")."""
    return _quotable(note) or typed and not PROMPT.match(note.text) and not WORDLESS.match(note.text) and not steers(note)


# A question's second ask is answered by the sentence of the answering section closest to it only
# when this close (cosine): "how many expert modules?" is 0.58 from "Phi-3.5-MoE comprises 16x3.8B
# expert modules."; "what does it mean?" alone is 0.17 from its closest, which says nothing of it.
SECOND_ASK_SIMILARITY = 0.5


def second_ask_answer(part: str, best: Support, ranked: list[Support], passages: list[Passage], checker: SupportChecker) -> Support | None:
    """For a question asking two things ("How many active parameters does Phi-3.5-MoE have, and how
    many expert modules?"), the sentence of the best answer's section closest in meaning to the second
    ask (`part`, decide.second_ask), when within SECOND_ASK_SIMILARITY: the best sentence answers the
    first ask, and the margin that picks the others keeps a sentence about the second out. `ranked`
    is rank_quotes' list, each sentence with its embedding."""
    same = [s for s in in_section(best, ranked, passages) if _quotable(s.note)]
    if not same:
        return None
    asked = checker.embedder.encode([part])[0]  # the sentences were embedded by rank_quotes
    closest = max(same, key=lambda s: float(asked @ s.vector))
    return closest if float(asked @ closest.vector) >= SECOND_ASK_SIMILARITY else None


def in_section(anchor: Support, ranked: list[Support], passages: list[Passage]) -> list[Support]:
    """The ranked note sentences of the anchor's section (its passage and the other retrieved passages of that section)."""
    home = passages[anchor.note.passage]
    return [s for s in ranked if (passages[s.note.passage].file, passages[s.note.passage].section) == (home.file, home.section)]


def with_antecedents(chosen: list[Support], notes: list[NoteSentence]) -> list[Support]:
    """Each quoted sentence that opens by pointing back ("It is a fallback clone of `template1` ...")
    preceded by the sentence it points to ("You cannot however connect to and modify `template0`."),
    as answer_span does for the best one: quoted alone, "it" names nothing."""
    out: list[Support] = []
    for s in chosen:
        at = _position(notes, s.note) if ANAPHOR.match(s.note.text) and not s.note.code else None
        if at:  # None, or the first sentence: nothing before it to point to
            before = notes[at - 1]
            if before.passage == s.note.passage and not before.code and _quotable(before):
                out.append(Support(before, s.score, s.similarity, s.overlap))
        out.append(s)
    return out


def with_item_heads(chosen: list[Support], notes: list[NoteSentence]) -> list[Support]:
    """Each quoted sentence said later in a list item ("Default: `1048576`.") preceded by the item's
    first sentence, which names what it is said of ("- `maxSize` - The maximum size (in bytes) of the
    response body to dump."), when that is not quoted already."""
    out: list[Support] = []
    for s in chosen:
        if s.note.within >= 0 and s.note.item < 0:
            head = next((n for n in notes if n.passage == s.note.passage and n.item == s.note.within), None)
            if head is not None and _quotable(head) and all(o.note.text != head.text for o in out):
                out.append(Support(head, s.score, s.similarity, s.overlap))
        out.append(s)
    return out


def _quotable(note: NoteSentence) -> bool:
    """Whether a note sentence may be quoted beside an answer: not an order to an AI, a picture or link
    alone, or a lone word of a code listing."""
    return not steers(note) and not says_nothing(note)


def _listed(item: NoteSentence) -> bool:
    """Whether an item of the list a quoted lead-in introduces may be quoted with it: as any sentence
    (_quotable), or as a link alone, whose text names what the list lists ("The sponsorship platforms
    to which links can be made currently includes:" above "* [GitHub Sponsors](https://github.com/sponsors)").
    A picture names nothing."""
    return _quotable(item) or (not item.code and not steers(item) and bool(LINK_ONLY.match(item.text) or WIKI_LINKS_ONLY.match(item.text))
                                and not PICTURE.fullmatch(item.text))


def _one_item_asked(evidence: list, items: list[Support], thresholds: Thresholds) -> bool:
    """Whether a question in the form of a listing one asks about one item of the list: the best
    answering sentence is an item, and no other item comes within `second_quote_margin` of it ("Name
    some tools for making AI art" is answered by the "Images & Art" item and the sentence after it,
    "Tools like DALL·E or MidJourney fall here.", not by every application area)."""
    best = evidence[0]
    if best.support.note.item < 0:
        return False
    listed = {n.note.text for n in items} - {best.support.note.text}
    return not any(e.support.note.text in listed and e.order >= best.order - thresholds.second_quote_margin for e in evidence)


# A sentence opening with one of these leans on the one before it ("That gave rise to models like
# GPT" names what it follows from only in the sentence before).
ANAPHOR = re.compile(r"^\W*(this|that|these|those|it|they|such|which|then|so|the (?:above|preceding|aforementioned)|as (?:mentioned|shown|seen) above)\b", re.I)


def answer_span(best: Support, passages: list[Passage], notes: list[NoteSentence] | None = None, named_before: bool = False) -> list[Support]:
    """The best answering sentence with what it is read with, from its own passage: the next sentence
    or line (and the one after that when the next asks a question the note answers itself: "How do we
    do that?"), and the one before when it opens by pointing back ("That gave rise to ..."). Notes often
    say what something does and then show it ("... with the `-p` flag:" then the command), or name a
    thing and then define it. On the dev questions of the three collections, quoting the next line
    too (on top of the other chosen sentences) raised "answer sentence found" 0.75 -> 0.88 (default),
    0.64 -> 0.64 (genai), 0.50 -> 0.57 (TIL) and key facts 0.80 -> 0.93, 0.64 -> 0.73, 0.45 -> 0.53,
    citation precision within 0.02. Taken only after a lead-in (ending in ":" or mid-clause, or
    followed by code) it gained nothing on TIL, and in place of other chosen sentences it lost there
    (eval/README.md, "What the answer quotes"). `notes`: the passages' note sentences, when split already.
    `named_before` (decide.Evidence): the sentence before names what the best one is said of, as one
    that points back does."""
    notes = [n for n in (note_sentences(passages) if notes is None else notes) if n.passage == best.note.passage]
    at = _position(notes, best.note)
    if at is None:
        return [best]

    def support(n):
        return Support(n, best.score, best.similarity, best.overlap)

    span = [best]
    if best.note.text.lstrip().startswith("|") and not best.note.code:
        # a table's row is read with its header ("| Date | Run | km | Time |" names its cells), not
        # with the row below it, which is another record ("| 2025-05-11 | long | 8 | 49:30 |")
        header = table_header(passages[best.note.passage].text, best.note.text)
        named = next((n for n in notes if n.text.strip() == header.strip()), None) if header else None
        return [support(named)] * (named is not None) + span
    if at > 0 and (ANAPHOR.match(best.note.text) or named_before and not notes[at - 1].code) and _quotable(notes[at - 1]):
        span.insert(0, support(notes[at - 1]))
    elif best.note.parent and (above := next((n for n in notes[:at] if n.text == best.note.parent and n.item >= 0), None)) and _quotable(above):
        span.insert(0, support(above))  # a nested item with the item it stands under: "DONE renew the parking permit", then "cost: 65 EUR"
    items = introduced_items(notes, at) if leads_in(notes, at) else nested_items(notes, at)
    if items:  # "The main differences between `npm install` and `npm ci` are:" says them in the list below it
        return span + [support(n) for n in items if _listed(n)]
    # a lead-in ("Ruby supports block comments. They look like this:") shows it in the code below it,
    # whether it is the best sentence itself ("We can create our index locally using:") or the next
    if not leads_into_code(notes, at) and at + 1 < len(notes) and _quotable(notes[at + 1]):
        span.append(support(notes[at + 1]))
        # a question the note asks itself ("How do we do that?") is answered by what it says next
        if notes[at + 1].text.rstrip().endswith("?") and at + 2 < len(notes) and _quotable(notes[at + 2]):
            span.append(support(notes[at + 2]))
    last = _position(notes, span[-1].note)
    if last is not None and last != at and leads_in(notes, last) and not notes[below(notes, last)].code and not notes[last].text.rstrip().endswith(":"):
        # the next sentence only announces the list below it ("Let's break this down." above the
        # techniques): quoted alone it says nothing
        return span + [support(n) for n in introduced_items(notes, last) if _listed(n)]
    if last is not None and leads_into_code(notes, last):
        block = shown_code(notes, last)
        # a block of one line is what the lead-in shows, even a lone word (":retab" below "convert all
        # tabs ... to spaces using:"); in a longer listing such a word ("end", "...") is a piece of it
        span += [support(n) for n in block if _quotable(n) or (len(block) == 1 and not steers(n) and not WORDLESS.match(n.text))]
    return span


def leads_into_code(notes: list[NoteSentence], at: int) -> bool:
    """Whether `notes[at]` leads into (leads_in) a code block right below it."""
    return leads_in(notes, at) and notes[below(notes, at)].code


def shown_code(notes: list[NoteSentence], at: int) -> list[NoteSentence]:
    """The lines of the code block right below the lead-in `notes[at]`, at most MAX_CODE_LINES."""
    lines = []
    for n in notes[below(notes, at):]:
        if not n.code or len(lines) == MAX_CODE_LINES:
            break
        lines.append(n)
    return lines


def introduced_items(notes: list[NoteSentence], at: int) -> list[NoteSentence]:
    """The list right below the lead-in `notes[at]`, an item's first sentence each (at most
    MAX_LIST_ITEMS), and its second when the first is only a label; none when what follows is no list."""
    items = []
    for k in range(below(notes, at), len(notes)):
        if notes[k].item >= 0:
            items += _item_said(notes, k)
        elif not (items and k + 1 < len(notes) and notes[k + 1].item >= 0):  # an item's later sentence, between items
            break
        if sum(n.item >= 0 for n in items) == MAX_LIST_ITEMS:
            break
    return items


def nested_items(notes: list[NoteSentence], at: int) -> list[NoteSentence]:
    """The items nested under the list item `notes[at]` when it ends in ":" and says what they are
    ("1. In the **OAuth scopes** field enter the scopes:" above the two scopes), at most MAX_LIST_ITEMS;
    none for an item that leads into nothing nested under it. Its sibling items are other steps."""
    lead = notes[at]
    if lead.item < 0 or lead.code or not lead.text.rstrip().endswith(":"):
        return []
    items = []
    for k in range(at + 1, len(notes)):
        if notes[k].passage != lead.passage or notes[k].parent != lead.text or notes[k].item < 0 or len(items) == MAX_LIST_ITEMS:
            break
        items.append(notes[k])
    return items


def _item_said(notes: list[NoteSentence], k: int) -> list[NoteSentence]:
    """The list item starting at `notes[k]` as quoted: its first sentence, and the one after when the
    first is only a label ("**Lacking recent advancements**." names what the item is about, "A
    general-purpose model could struggle to ..." says it)."""
    after = notes[k + 1] if k + 1 < len(notes) else None
    if BOLD_LABEL.match(notes[k].text) and after is not None and after.passage == notes[k].passage and after.item < 0 and not after.code:
        return [notes[k], after]
    return [notes[k]]


def _position(notes: list[NoteSentence], note: NoteSentence) -> int | None:
    """Where `note` stands among `notes` (the same sentence of the same passage)."""
    return next((k for k, n in enumerate(notes) if n.passage == note.passage and n.text == note.text), None)


def chosen_evidence(evidence: list, passages: list[Passage], thresholds: Thresholds) -> list[Support]:
    """The best answering sentence and up to `extractive_sentences` in all within a margin of it
    (a wider one in the best one's own section: an answer that stays in one place is checked in one place);
    then the answering sentence of that section that says the most of what the question asks and
    none of those chosen says (decide.Evidence.says), however far below them it ranks: "What does
    Math.sign return if I pass it something that isn't a number?" is asked of a note whose lines of
    code name `Math.sign` and rank first, and only "anything that isn't a number will result in `NaN`"
    says what the question adds to its name. It comes beside the others, not in place of the last:
    dev halves, 4 more answers show the answering sentence and none fewer (in place of the last, 5
    more and 3 fewer), for answers 2% longer."""
    if not evidence:
        return []
    best = evidence[0]
    home = passages[best.support.note.passage]

    def same(e):
        passage = passages[e.support.note.passage]
        return (passage.file, passage.section) == (home.file, home.section)

    def margin(e):
        return thresholds.second_quote_margin if passages[e.support.note.passage].section == home.section else thresholds.other_section_margin

    chosen = [e for e in evidence if e.order >= best.order - margin(e)][: thresholds.extractive_sentences]
    said = {w for e in chosen for w in e.says}
    rest = [e for e in evidence if same(e) and not any(e is c for c in chosen) and set(e.says) - said]
    if rest:
        adds = max(rest, key=lambda e: sum(weight for w, weight in e.says.items() if w not in said))  # the first of a tie: the best ranked
        chosen = chosen + [adds]
    return [e.support for e in chosen]


def evidence_context(chosen: list[Support], passages: list[Passage], budget_chars: int, neighbours: int = 1) -> list[Passage]:
    """What the model is shown: for each passage holding a sentence that answers (`chosen`, best
    first), only those sentences and `neighbours` either side of each, in reading order, within
    `budget_chars`. Every prompt token costs first-token time on two cores, and a 135M model copies
    the sentence in front of it far more often than it finds it in four whole passages. The answer is
    still checked against the whole passages (ground())."""
    notes = note_sentences(passages)
    keep: dict[int, set[int]] = {}
    used = 0
    for support in chosen:
        at = _position(notes, support.note)
        if at is None:
            continue
        window = [k for k in range(at - neighbours, at + neighbours + 1) if 0 <= k < len(notes) and notes[k].passage == notes[at].passage]
        new = [k for k in window if k not in keep.get(notes[at].passage, set())]
        cost = sum(len(notes[k].text) + 1 for k in new)
        if used and used + cost > budget_chars:
            break
        keep.setdefault(notes[at].passage, set()).update(new)
        used += cost
    if not keep:
        return passages
    return [replace(passages[i], text="\n".join(notes[k].text for k in sorted(keep[i]))) for i in keep]  # best evidence first


def best_command(anchor: Support, ranked: list[Support], passages: list[Passage]) -> Support | None:
    """The code line or shell command of the anchor's section (its passage and the other retrieved
    passages of the same section) that best fits the question (`ranked`: rank_quotes' note
    sentences): for "how do I ...?" the way is usually a command the note shows near the sentence
    that says what it does, and not always the first one ("88 packages are looking for funding" is
    the output; "npm config set fund false" is the way). Fit = its cosine to the question +
    COMMAND_TITLE_WEIGHT x the share of the section title's words it holds: the note's title names
    what its command does ("Make Truly Deep Clone With Structured Clone" and `structuredClone(obj)`,
    not the example object defined before it)."""
    home = passages[anchor.note.passage]
    lines = [
        s for s in in_section(anchor, ranked, passages)
        if s.note.code and not says_nothing(s.note) and not s.note.text.startswith(("#", "//", "/*", "<!--"))  # a lone `name` or `}`, or a comment (# // /* <!--), is no command
    ]
    title = set(tokenize(home.section[-1])) if home.section else set()

    def fit(s):
        named = len(title & set(tokenize(s.note.text))) / len(title) if title else 0.0
        return s.similarity + COMMAND_TITLE_WEIGHT * named

    best = max(lines, key=fit, default=None)
    return None if best is None else Support(best.note, anchor.score, anchor.similarity, anchor.overlap)


# A sentence that says what to use, by a verb of using and a `code` name after it: "You do this with
# the `-C` flag.", "... by typing the `/usage` slash command.", "Then add a `retry` call to the
# `rescue` block." Notes on how to do something often say what is wanted first, in the question's
# own words, and the way in a short sentence after it that alone sounds like nothing asked. Over the
# dev halves (1,240 questions) adding it raised "answer sentence found" 0.772 -> 0.785 (TIL notes
# 0.761 -> 0.788; 10 answers gained it, none lost it) for answers 2% longer (mean 354 -> 362 characters).
USES = re.compile(
    r"\b(?:use|uses|using|with|run|running|add|adding|call|calling|type|typing|set|setting|pass|passing|via|by|"
    r"include|including|enable|enabling|prefix|append)\b[^.:;`]{0,40}`[^`\n]+`",
    re.I,
)


def best_means(anchor: Support, ranked: list[Support], passages: list[Passage]) -> Support | None:
    """For a question asking for a way whose quoted sentences do not say what to use: the prose
    sentence of the anchor's section that does (USES), the closest in meaning to the question."""
    said = [s for s in in_section(anchor, ranked, passages) if not s.note.code and USES.search(s.note.text) and _quotable(s.note)]
    best = max(said, key=lambda s: s.similarity, default=None)
    return None if best is None else Support(best.note, anchor.score, anchor.similarity, anchor.overlap)


def list_items(anchor: Support, passages: list[Passage]) -> list[Support]:
    """The list items of the anchor sentence's section (its passage and the passages of the same
    section), in reading order: the items a listing question asks for."""
    home = passages[anchor.note.passage]
    same = [i for i, p in enumerate(passages) if p.file == home.file and p.section == home.section]
    notes = note_sentences(passages)
    items = [k for k, n in enumerate(notes) if n.passage in same and n.item >= 0]
    seen, unique = set(), []
    for k in sorted(items, key=lambda k: (passages[notes[k].passage].line_start + notes[k].item)):
        if notes[k].text not in seen and len(seen) < MAX_LIST_ITEMS:
            seen.add(notes[k].text)
            unique += [Support(n, anchor.score, anchor.similarity, anchor.overlap) for n in _item_said(notes, k)]
    return unique


# Items of one list among the quotes from which the whole list is quoted: a question whose answer
# draws on three of them is about the list, and some of its items quoted read as if they were all
# ("what food do we want to try in Japan?" had four of six, the first one not among them). An item's
# later sentence counts for its item ("Using Libby with the library card instead" for "**Audible** —
# cancelled in 2024.").
WHOLE_LIST_AT = 3


def whole_list(best: Support, chosen: list[Support], passages: list[Passage], left_out: re.Pattern | None = None) -> list[Support]:
    """Every item of the best sentence's section (list_items), each followed by the chosen sentences
    said later in it, when the chosen sentences belong to WHOLE_LIST_AT items of its passage and the
    list is short enough to quote whole (MAX_LIST_ITEMS); else []. An item `left_out` matches is not
    among them, nor what it says later (decide.left_out: a box not ticked was not done)."""
    inside = [s for s in chosen if s.note.within >= 0 and s.note.passage == best.note.passage]
    picked = {s.note.within for s in inside}
    if len(picked) < WHOLE_LIST_AT:
        return []
    items = list_items(best, passages)
    starts = [s for s in items if s.note.item >= 0]
    if len(starts) >= MAX_LIST_ITEMS or not picked <= {s.note.item for s in starts if s.note.passage == best.note.passage}:
        return []  # a list too long to quote whole: the chosen items stand for themselves
    skipped = {(s.note.passage, s.note.within) for s in starts if left_out and left_out.match(s.note.text)}
    quoted = {s.note.text for s in items}
    out = []
    for s in items:
        out.append(s)
        if s.note.item >= 0:  # what the answer drew on from later in the item stays with it ("Reason: ...")
            out += [c for c in inside if c.note.within == s.note.item and s.note.passage == c.note.passage and c.note.text not in quoted]
    return [s for s in out if (s.note.passage, s.note.within) not in skipped]


def _once(chosen: list[Support]) -> list[Support]:
    """Each sentence once: two chunks of a note may hold the same line (overlap, a repeated example)."""
    seen: set[str] = set()
    return [s for s in chosen if not (s.note.text in seen or seen.add(s.note.text))]


def _quote(chosen: list[Support], passages: list[Passage]) -> Grounded:
    citations: list[Citation] = []
    parts = []
    for support in _once(chosen):
        number = _cite(citations, support, passages)
        parts.append(f"“{support.note.text}” [{number}]")
    return Grounded(" ".join(parts), citations, [], True)


# What a question asks for, and what a note sentence must hold (beyond the question's own words) to answer it.
ASKS_FOR = [
    (re.compile(r"^\s*(who|whom|whose)\b|\bwhich (company|person|people|team|lab|university|organi[sz]ation)\b|\b(title|name) of\b", re.I), "name"),
    # Only questions whose answer is a count or a date: "how much disk space do I have" is answered by
    # a command, "when should I sow tomatoes" by a season.
    (re.compile(r"\bhow many\b|\bwhat (percentage|number)\b", re.I), "number"),
    (re.compile(r"^\s*(and\s+)?when (did|was|were)\b|\b(what|which) year\b|\bhow long ago\b", re.I), "number"),
]


def missing_answer_type(question: str, sentences: list[str], context: str) -> str | None:
    """'name' or 'number' when the question asks for one and none of the sentences holds a new one:
    "Who invented GANs?" over a passage that names no inventor is not answered from the GAN passage.
    A name is a capitalised word the context never writes in lower case ("Goodfellow", not the
    "Generative" of "Generative Adversarial Networks")."""
    common = set(re.findall(r"\b[a-z][a-z0-9]*(?:[-'’][a-z0-9]+)*", context))
    for pattern, kind in ASKS_FOR:
        if not pattern.search(question):
            continue
        asked = question.lower()
        asked_words = set(content_words(question))
        for sentence in sentences:
            if kind == "number":
                found = NUMBER.findall(sentence)
            else:
                found = [
                    m.group(0) for m in NAME.finditer(sentence)
                    if not STARTS_CLAUSE.search(sentence[: m.start()])  # "Around" in "LLMs: Around 2017" is no name
                    and m.group(0).lower() not in common and m.group(0).lower() not in STOPWORDS and not ACRONYM.match(m.group(0))
                ]
            if any(item.lower() not in asked and not set(content_words(item)) <= asked_words for item in found):
                return None
        return kind
    return None


def _cite(citations: list[Citation], support: Support, passages: list[Passage]) -> int:
    for c in citations:
        if c.text == support.note.text:
            return c.number
    p = passages[support.note.passage]
    line = _line_of(p, support.note.text)
    citations.append(Citation(len(citations) + 1, p.file, list(p.section), support.note.text, p.text, line, line, round(support.score, 4)))
    return citations[-1].number


def _line_of(passage: Passage, sentence: str) -> int:
    """The line of the notes file where the sentence stands, so a person can jump to it."""
    for offset, line in enumerate(passage.text.split("\n")):
        if sentence[:20] in line:  # a wrapped sentence's start stands on its first line
            return passage.line_start + offset
    return passage.line_start
