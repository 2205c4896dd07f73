"""rag.retrieval: the real embedder finds the right section of the default notes; follow-ups and context fitting."""
from __future__ import annotations

import pytest

from conftest import DEFAULT_NOTES, FakeGenerator
from rag.answer import Passage
from rag.config import Config
from rag.retrieval import code_name, content_words, contextual_query, fit_context, heading_asked, passage, same_stem, same_word
from rag.store.base import Hit

HISTORY = "Brief History and Evolution"
APPLICATIONS = "Main Application Areas"
DEFINITION = "Definition of Generative AI"


@pytest.fixture(scope="module", params=["faiss", "qdrant"])
def pipeline(request, real_embedder, tmp_path_factory):
    """Default notes and the real embedder, in each vector store; retrieval never calls the generator, so a fake stands in."""
    from rag.pipeline import Pipeline

    config = Config(notes_dir=DEFAULT_NOTES, index_dir=tmp_path_factory.mktemp("index"), vector_store=request.param)
    pipeline = Pipeline(config, embedder=real_embedder, generator=FakeGenerator(), log=lambda message: None)
    pipeline.prepare()
    yield pipeline
    pipeline.close()


ON_TOPIC = [
    ("When did GANs come out?", HISTORY),
    ("what can generative AI be used for", APPLICATIONS),
    ("define generative ai", DEFINITION),
    ("which year did the transformer architecture show up", HISTORY),
    # paraphrases that share (almost) no words with the section that answers them
    ("What jobs can these creative systems help with?", APPLICATIONS),
    ("What came before deep learning image generators?", HISTORY),
    ("what does it mean for a computer to imagine something original", DEFINITION),
]


@pytest.mark.parametrize("question,section", ON_TOPIC)
def test_the_right_section_comes_first(pipeline, question, section):
    passages = pipeline.retrieve(question)
    assert passages[0].section[-1] == section, [(p.section[-1], p.score) for p in passages]
    assert passages[0].score >= pipeline.config.min_relevance  # not filtered out before the prompt


def test_an_off_topic_question_scores_below_every_on_topic_one(pipeline):
    off_topic = pipeline.retrieve("What is the capital of Australia?")[0].score
    weakest_on_topic = min(pipeline.retrieve(question)[0].score for question, _ in ON_TOPIC)
    assert off_topic < weakest_on_topic - 0.1, (off_topic, weakest_on_topic)


def test_passages_are_ranked_and_quote_the_notes(pipeline):
    passages = pipeline.retrieve("When did GANs come out?", top_k=5)
    assert len(passages) == 5
    assert [p.rank_score for p in passages] == sorted((p.rank_score for p in passages), reverse=True)
    lines = (DEFAULT_NOTES / "generative-ai-notes.md").read_text(encoding="utf-8").split("\n")
    for p in passages:
        assert p.text in "\n".join(line.rstrip() for line in lines[p.line_start - 1 : p.line_end])
        assert " > ".join(p.section) not in p.text  # the heading prefix is for embedding only


# --- follow-up questions


GAN_TURN = [{"role": "user", "content": "What does the adversarial part of a GAN mean?"}, {"role": "assistant", "content": "Two networks compete."}]


def test_a_follow_up_carries_over_the_previous_topic():
    query = contextual_query("and when did they appear?", GAN_TURN)
    assert "gan" in query.lower().split()
    assert query.endswith("and when did they appear?")


def test_a_follow_up_asking_for_another_one_carries_the_topic():
    sed = [{"role": "user", "content": "What delimiter does a sed substitution use?"}]
    query = contextual_query("can I use a different one?", sed)
    assert {"sed", "delimiter", "substitution"} <= set(query.lower().split())


def test_the_carried_topic_finds_the_section(pipeline):
    query = contextual_query("and when did they appear?", GAN_TURN)
    assert pipeline.retrieve(query)[0].section[-1] == HISTORY


@pytest.mark.parametrize("question", ["so what was the default value anyway?", "ok but why is that such a big deal for us?"])
def test_a_follow_up_going_on_from_the_last_answer_carries_the_topic(question):
    """No pronoun or "and" in the first; "ok" and "us" are no words of a topic of its own in the second."""
    tmux = [{"role": "user", "content": "i set escape-time to 0 in tmux, how do i put it back to what it was originally?"}]
    query = contextual_query(question, tmux)
    assert "tmux" in query.split() and query.endswith(question)


def test_someone_names_no_topic_of_a_follow_up():
    """An indefinite pronoun ("someone", "anyone", "whatever") says who, not what: "what happens if
    someone passes it two?" has two words of its own and leans on the question before it."""
    assert content_words("what happens if someone passes it two?") == content_words("what happens if it passes two?")
    assert not {"someone", "anybody", "everyone", "whatever"} & set(content_words("can someone, anybody or everyone run whatever they like?"))
    react = [{"role": "user", "content": "how do i make a react component accept exactly one child?"}]
    query = contextual_query("what happens if someone passes it two?", react)
    assert {"react", "component", "child"} <= set(content_words(query)) and query.endswith("what happens if someone passes it two?")


@pytest.mark.parametrize("followup", ["does the escaping work for nested folders too?", "what if i use zsh instead?"])
def test_a_follow_up_adding_to_the_question_before_it_carries_the_topic(followup):
    """"too" and "instead" say the question goes on from the one before it, as "also" does."""
    nextjs = [{"role": "user", "content": "touch pages/posts/[slug].js gives me zsh: no matches found, why?"}]
    query = contextual_query(followup, nextjs)
    assert {"touch", "slug", "page"} <= set(content_words(query)) and query.endswith(followup)


@pytest.mark.parametrize("previous, followup, carried, replaced", [
    ("Where is it used in business?", "and in science?", set(), {"business"}),
    ("Where is generative AI used in business?", "and in science?", {"generative", "ai"}, {"business"}),
    ("Can generative AI help with customer support?", "and with marketing?", {"generative", "ai", "help"}, {"customer", "support"}),
])
def test_a_follow_up_asking_the_same_of_another_thing_leaves_the_first_thing_behind(previous, followup, carried, replaced):
    """"and in science?" replaces what "in business" said; carried over, "business" outweighs it."""
    words = set(contextual_query(followup, [{"role": "user", "content": previous}]).lower().split())
    assert carried <= words and not (replaced & words)


def test_a_question_opening_with_so_that_says_enough_of_its_own_stands_alone():
    question = "so which tools can generate images from text prompts?"
    assert contextual_query(question, GAN_TURN) == question


@pytest.mark.parametrize("question", ["What is a VAE?", "Which tools generate images?", "How do transformers work?"])
def test_a_standalone_question_is_unchanged(question):
    assert contextual_query(question, GAN_TURN) == question


def test_no_history_no_change():
    assert contextual_query("and when did they appear?", None) == "and when did they appear?"
    assert contextual_query("and when did they appear?", [{"role": "assistant", "content": "Hello"}]) == "and when did they appear?"


def test_a_follow_up_searches_its_own_words_first(pipeline):
    """'and what about science?' after a question about business must find science, not business again."""
    history = [{"role": "user", "content": "Where is generative AI used in business?"}, {"role": "assistant", "content": "Reports."}]
    query = contextual_query("and what about science?", history)
    assert "business" in query  # the carried query alone leans on the old topic ...
    best = pipeline.retrieve(query, own="and what about science?")[0]
    assert "Drug discovery" in best.text  # ... the follow-up's own words decide
    found = pipeline.assess("and what about science?", history)
    assert "Drug discovery" in found.passages[0].text


def test_a_follow_up_reaches_what_comes_next_in_the_section(pipeline):
    history = [{"role": "user", "content": "When did GANs come out?"}, {"role": "assistant", "content": "In 2014."}]
    query = contextual_query("what came after them?", history)
    passages = pipeline.retrieve(query, top_k=2, own="what came after them?")
    assert "GANs" in passages[0].text
    after = [p for p in pipeline.store.payloads().values() if p["section"] == passages[0].section and p["line_start"] > passages[0].line_start]
    assert after and passages[1].line_start == min(p["line_start"] for p in after)  # the passage right after it ...
    assert "Transformer" in passages[1].text  # ... says what came next


# --- hybrid ranking: cosine + word matching (tests/fixtures/til-vim: ten TIL notes about Vim, MIT)

TIL_VIM = DEFAULT_NOTES.parent / "tests" / "fixtures" / "til-vim"
PATTERN_NOTE = "vim/delete-lines-that-match-a-pattern.md"


@pytest.fixture(scope="module")
def vim_pipelines(real_embedder, tmp_path_factory):
    from rag.pipeline import Pipeline

    index = tmp_path_factory.mktemp("vim-index")
    made = {}
    for name, weights in (("dense", {"lexical_weight": 0.0, "coverage_weight": 0.0, "heading_weight": 0.0}), ("hybrid", {})):
        made[name] = Pipeline(Config(notes_dir=TIL_VIM, index_dir=index, **weights), embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
        made[name].prepare()
    return made


GO_FIX = DEFAULT_NOTES.parent / "tests" / "fixtures" / "til-go-fix"  # seven TIL notes: Go's random numbers, Quick Fix windows, fixing spelling (MIT)


GO_QUESTION = [{"role": "user", "content": "Why does my Go program pick the same random item every time?"}, {"role": "assistant", "content": "..."}]


@pytest.fixture(scope="module")
def quotes(real_embedder, tmp_path_factory):
    """A pipeline per notes folder that answers in quotes (no model), with the real embedder."""
    from rag.pipeline import Pipeline

    made = {}

    def over(notes):
        if notes not in made:
            config = Config(notes_dir=notes, index_dir=tmp_path_factory.mktemp("quotes-index"), generate=False)
            made[notes] = Pipeline(config, embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
            made[notes].prepare()
        return made[notes]

    yield over
    for pipeline in made.values():
        pipeline.close()


@pytest.fixture
def go_fix(quotes):
    return quotes(GO_FIX)


def test_a_follow_up_whose_own_words_the_topic_never_uses_is_searched_by_the_topic(go_fix):
    """"how do I fix that?" searched as typed finds the notes about fixing things; no note about Go's
    random numbers says "fix", so the topic carried over decides."""
    own = "how do I fix that?"
    assert go_fix.retrieve(own, top_k=1)[0].file.startswith(("vim/", "vscode/"))  # the premise
    passages = go_fix.retrieve(contextual_query(own, GO_QUESTION), top_k=4, own=own)
    assert passages[0].file == "go/not-so-random.md"
    # a follow-up naming what the topic's notes say keeps its own search: "seed" is theirs
    seeded = "and how do I seed it?"
    passages = go_fix.retrieve(contextual_query(seeded, GO_QUESTION), top_k=4, own=seeded)
    assert passages[0].file.startswith("go/")


TIL_XARGS = DEFAULT_NOTES.parent / "tests" / "fixtures" / "til-xargs"  # five TIL notes: xargs, running a command several times, cherry-picking commits (MIT)
XARGS_NOTE = "unix/xargs-default-command-is-echo.md"


def test_a_follow_up_is_also_searched_in_the_section_its_previous_question_finds(quotes):
    """"can i make it handle two at a time?" after a question about xargs: the words carried over
    ("pipe", "command") find the notes on running a command several times, and the note on xargs,
    which the conversation is about, says how ("the `-n` flag with `2`")."""
    xargs = quotes(TIL_XARGS)
    history = [{"role": "user", "content": "what happens if i pipe stuff into xargs without giving it a command?"}, {"role": "assistant", "content": "..."}]
    followup = "can i make it handle two at a time?"
    assert xargs.retrieve(contextual_query(history[0]["content"], None), top_k=1)[0].file == XARGS_NOTE
    assert XARGS_NOTE not in {p.file for p in xargs.retrieve(contextual_query(followup, history), own=followup)}  # the premise
    answer = xargs.ask(followup, history)
    assert not answer.abstained, answer.text
    assert answer.citations[0].file == XARGS_NOTE and "two at a time" in answer.text.split("[1]")[0]
    # a question of its own is searched alone
    assert XARGS_NOTE not in {p.file for p in xargs.assess("how do I cherry pick several commits at once?", history).passages}


@pytest.fixture
def default_quotes(quotes):
    return quotes(DEFAULT_NOTES)


def test_what_happened_in_a_year_is_answered_by_the_sentence_of_that_year(default_quotes):
    found = default_quotes.ask("What happened in 2014?")
    assert not found.abstained and "In 2014" in found.text.split("[1]")[0]


@pytest.mark.parametrize("previous, followup, answer", [
    ("How is generative AI different from traditional AI?", "does it just copy what it has seen?", "doesn’t just copy what it’s seen"),
    ("Where is generative AI used in business?", "and in science?", "Science & Research"),
])
def test_a_follow_up_is_answered_by_what_it_asks_not_by_the_question_before_it(default_quotes, previous, followup, answer):
    """The query carries the question before, which the sentence answering that answers again; the
    first quote is what the follow-up asks."""
    found = default_quotes.ask(followup, [{"role": "user", "content": previous}, {"role": "assistant", "content": "..."}])
    assert not found.abstained
    assert answer in found.text.split("[1]")[0]


def test_words_fix_what_the_vectors_rank_wrong(vim_pipelines):
    question = "How do I delete lines that match a pattern in Vim?"
    dense = vim_pipelines["dense"].retrieve(question, top_k=3)
    assert dense[0].file == "vim/delete-every-other-line.md"  # the premise: cosine alone picks the wrong note
    hybrid = vim_pipelines["hybrid"].retrieve(question, top_k=3)
    assert hybrid[0].file == PATTERN_NOTE
    # the score handed on is still the cosine; the rank score is the fused one
    cosine = {p.chunk_id: p.score for p in vim_pipelines["dense"].retrieve(question, top_k=20)}
    for p in hybrid:
        assert p.score == cosine[p.chunk_id]
        assert p.rank_score >= p.score
    assert all(p.rank_score == p.score for p in dense)


@pytest.mark.parametrize("question, heading, asked", [
    ("Which tokenizer does Mistral NeMo use?", "Mistral NeMo", 1.0),
    ("What is fine-tuning for language models?", "What is fine-tuning for language models?", 1.0),
    ("How do I delete lines that match a pattern in Vim?", "Delete Lines That Match A Pattern", 1.0),
    ("Which tokenizer does Mistral NeMo use?", "Comparing Tokenizers", 0.0),  # 'comparing' is not asked
    ("Which tokenizer does Mistral NeMo use?", "", 0.0),
])
def test_a_section_named_in_the_question(question, heading, asked):
    assert heading_asked(content_words(question), content_words(heading)) == asked


def test_a_heading_the_question_names_adds_to_the_rank_score(vim_pipelines, real_embedder, tmp_path):
    from rag.pipeline import Pipeline

    question = "How do I delete lines that match a pattern in Vim?"
    without = Pipeline(Config(notes_dir=TIL_VIM, index_dir=tmp_path, heading_weight=0.0), embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
    without.prepare()
    plain = {p.chunk_id: p.rank_score for p in without.retrieve(question, top_k=20)}
    found = vim_pipelines["hybrid"].retrieve(question, top_k=20)
    assert any(p.section[-1] == "Delete Lines That Match A Pattern" for p in found)
    for p in found:
        named = p.section[-1] == "Delete Lines That Match A Pattern"
        assert p.rank_score == pytest.approx(plain[p.chunk_id] + (0.05 if named else 0.0), abs=2e-4)


def test_the_chunks_the_words_match_best_are_reranked_whatever_their_cosine(vim_pipelines, monkeypatch):
    # a day's log holds one line on the question among many others: its vector is far from the question
    # and its words are the question's; the coverage and heading terms reach it outside the pool too
    import numpy as np

    monkeypatch.setattr("rag.config.RERANK_POOL", 0)  # a pool of none: only the chunks BM25 ranks first are reranked
    pipeline = vim_pipelines["hybrid"]
    question = "delete every other line"
    words = pipeline.retriever._words().scores(question)
    lexical = pipeline.config.lexical_weight
    ranked = {p.chunk_id: p for p in pipeline.retrieve(question, top_k=20)}
    firsts = [pipeline.retriever._ids[int(r)] for r in np.argsort(-words, kind="stable")[:3]]
    plain = {id: p.score + lexical * float(words[pipeline.retriever._row[id]]) for id, p in ranked.items()}
    assert ranked[firsts[0]].section[-1] == "Delete Every Other Line"
    assert ranked[firsts[0]].rank_score > plain[firsts[0]] + 0.05  # its coverage and its heading, named by the question
    assert all(p.rank_score == pytest.approx(plain[id], abs=2e-4) for id, p in ranked.items() if id not in firsts)


def test_an_editor_command_finds_its_note(vim_pipelines):
    assert vim_pipelines["hybrid"].retrieve("What does :g/ do?", top_k=1)[0].file == PATTERN_NOTE


def test_where_filters_hold_for_word_matches_too(vim_pipelines):
    pipeline = vim_pipelines["hybrid"]
    passages = pipeline.retrieve("delete lines that match a pattern", top_k=4, where={"file": "vim/delete-every-other-line.md"})
    assert passages and {p.file for p in passages} == {"vim/delete-every-other-line.md"}
    assert pipeline.retrieve("delete lines matching a pattern", top_k=4, where={"file": "nothing.md"}) == []


def test_the_word_index_follows_the_notes(real_embedder, tmp_path):
    from rag.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    for path in TIL_VIM.rglob("*.md"):
        (notes / path.name).write_text(path.read_text())
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    question = "How do I set zzfrobnicate.depth in Vim?"
    assert "zzfrobnicate" not in pipeline.retrieve(question, top_k=1)[0].text
    (notes / "frobnicate.md").write_text("# Frobnicate Depth\n\nSet `zzfrobnicate.depth` to 3 in your vimrc to nest folds deeper.\n")
    pipeline.prepare()
    assert pipeline.retrieve(question, top_k=1)[0].file == "frobnicate.md"
    (notes / "frobnicate.md").unlink()
    pipeline.prepare()
    assert all(p.file != "frobnicate.md" for p in pipeline.retrieve(question, top_k=10))


def test_a_passage_ending_in_a_lead_in_is_read_with_the_chunk_after_it(real_embedder, tmp_path):
    # npm's documentation (Artistic-2.0), shortened: the list is too long to carry its lead-in, so the
    # lead-in ends one chunk and the list starts the next, which the question's words do not find
    from rag.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    items = "\n".join(f"* The project must have an existing lock file number {i}, or the install stops with an error." for i in range(6))
    (notes / "npm-ci.md").write_text(
        "# npm-ci\n\n## Description\n\nThis command is similar to `npm install`, except it's meant to be used in automated environments "
        "such as test platforms, continuous integration, and deployment. The main differences between using `npm install` and `npm ci` "
        "are:\n\n" + items + "\n\n## Configuration\n\nSee the config docs.\n")
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index"), embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
    pipeline.prepare()
    question = "What are the main differences between using npm install and npm ci?"
    found = pipeline.assess(question, top_k=1)
    assert found.passages[0].text.rstrip().endswith("are:") and "lock file number 0" not in found.passages[0].text
    assert "lock file number 0" in found.context[0].text  # the list it leads into, joined to it
    assert pipeline.retriever.read_on([found.context[0]]) == [found.context[0]]  # the list ends in a full stop: nothing to read on


# --- fitting passages into the prompt


@pytest.fixture(scope="module")
def history_passages(pipeline):
    """The history section's chunks as retrieved passages, in file order (the section is split in several)."""
    ids = [i for i, p in pipeline.store.payloads().items() if p["section"][-1] == HISTORY]
    assert len(ids) >= 2
    return [passage(Hit(i, 0.5 - 0.01 * n, pipeline.store.payloads()[i])) for n, i in enumerate(ids)]


def touching(a: Passage, b: Passage) -> bool:
    return a.line_start <= b.line_end + 1 and b.line_start <= a.line_end + 1


def test_overlapping_chunks_of_one_section_are_merged(pipeline, history_passages):
    first, second = history_passages[:2]
    assert touching(first, second)
    merged = fit_context([second, first], budget_chars=5000)  # rank order need not be file order
    assert len(merged) == 1
    section_text = next(s.text for s in pipeline.sections if s.path and s.path[-1] == HISTORY)
    assert merged[0].text in section_text  # one verbatim span: the overlap is not repeated
    assert first.text in merged[0].text and second.text in merged[0].text
    assert (merged[0].line_start, merged[0].line_end) == (first.line_start, second.line_end)
    assert merged[0].score == max(first.score, second.score)


def test_chunks_of_other_sections_are_not_merged(pipeline, history_passages):
    other = pipeline.retrieve("define generative ai", top_k=1)[0]
    context = fit_context([history_passages[0], other], budget_chars=5000)
    assert [p.section for p in context] == [history_passages[0].section, other.section]


def test_duplicates_are_dropped(history_passages):
    p = history_passages[0]
    assert fit_context([p, p], budget_chars=5000) == [p]


@pytest.mark.parametrize("budget", [300, 700, 1200, 2400])
def test_context_respects_the_budget(pipeline, budget):
    passages = pipeline.retrieve("what can generative AI be used for", top_k=7)
    context = fit_context(passages, budget)
    assert context and sum(len(p.text) for p in context) <= budget
    assert context[0].text in passages[0].text or passages[0].text in context[0].text  # the best passage always goes in
    assert len(fit_context(passages, 100_000)) >= len(context)


@pytest.mark.parametrize("a, b, same", [
    ("deploy", "deployment", True),
    ("configure", "configuration", True),
    ("embed", "embedding", True),  # a doubled consonant before -ing
    ("hallucinate", "hallucinations", True),
    ("python", "python3", True),
    ("translaton", "translation", True),  # one typo apart
    ("technology", "technical", False),
    ("var", "variable", True),  # a developer's short form
    ("repo", "repository", True),
    ("average", "avg", True),  # everyone's short forms, in their own notes ("chem paper 1 avg 58%")
    ("appointment", "appt", True),
    ("department", "dept", True),
    ("temp", "temperature", False),  # a short form of two words stands for neither
    ("reference", "ref", True),  # a table's column ("| What | Details | Ref |"), a chat's "hrs" and "ppl"
    ("hrs", "hour", True),
    ("ppl", "people", True),
])
def test_a_word_and_its_forms(a, b, same):
    assert same_word(a, b) == same and same_word(b, a) == same


@pytest.mark.parametrize("a, b, same", [
    ("trained", "training", True),  # two inflections of one verb: neither is the other plus an ending
    ("parse", "parsing", True),
    ("stopped", "stopping", True),
    ("help", "helper", False),  # a helper is another thing
    ("technology", "technical", False),
])
def test_two_forms_of_one_word(a, b, same):
    assert same_stem(a, b) == same and same_stem(b, a) == same


@pytest.mark.parametrize("asked, said", [
    # a word the question goes on with after the notes' word names another thing: `reusePort` is
    # not the "reuse" of `reuseAddr`'s description (Node.js's API reference, MIT)
    ("reuseport", "reuse"),
    ("typescript", "types"),
    ("filesystem", "files"),
    ("dockerfile", "docker"),
])
def test_a_compound_is_not_said_by_its_first_word(asked, said):
    assert not same_word(asked, said)
    assert same_word(said, asked)  # the longer word names one of its kind: `InterfaceConstructor` says "interface"


@pytest.mark.parametrize("heading, name", [
    ("performance.now()", "performance.now"),  # headings as kept, without backticks
    ("assert.ifError(value)", "assert.iferror"),  # without its arguments
    ("dgram.createSocket(options[, callback])", "dgram.createsocket"),
    ("Class: net.Socket", "net.socket"),
    ("`new Worker(filename[, options])`", "new worker"),  # a question's code token
    ("Subpath imports", ""),  # a heading of words names no code
    ("Class: Worker", ""),
])
def test_the_code_a_heading_names(heading, name):
    assert code_name(heading) == name


def test_a_heading_naming_the_questions_code_adds_to_the_rank_score(real_embedder, tmp_path):
    from rag.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "perf_hooks.md").write_text(  # shortened from Node.js's API reference (MIT)
        "# Performance\n\n## `performance.mark(name[, options])`\n\nCreates a new `PerformanceMark` entry in the timeline; "
        "its `startTime` defaults to `performance.now()`.\n\n## `performance.now()`\n\nReturns the current high resolution "
        "millisecond timestamp, where 0 represents the start of the current `node` process.\n",
        encoding="utf-8",
    )
    question = "What does `performance.now()` return?"
    ranked = {}
    for weight in (0.0, 0.05):
        pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index", code_heading_weight=weight), embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
        pipeline.prepare()
        ranked[weight] = {p.section[-1]: p.rank_score for p in pipeline.retrieve(question, top_k=5)}
    assert ranked[0.05]["performance.now()"] == pytest.approx(ranked[0.0]["performance.now()"] + 0.05, abs=2e-4)
    mark = next(s for s in ranked[0.0] if s.startswith("performance.mark"))
    assert ranked[0.05][mark] == pytest.approx(ranked[0.0][mark], abs=2e-4)  # it mentions the name; its heading names another


def test_asked_why_a_section_headed_as_a_reason_ranks_as_one_the_question_names(real_embedder, tmp_path):
    from rag.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "Castlegate Malt.md").write_text(  # a brewer's supplier note (fictional)
        "# Castlegate Malt\n\nPete, 555-0131. Pale ale malt £38/25 kg, delivered Thursdays.\n\n"
        "## Why I left (Aug 2025)\n\nThree late deliveries in a row and the July pale malt was 3 kg short. Moved to Hopwell.\n",
        encoding="utf-8",
    )
    ranked = {}
    for weight in (0.0, 0.05):
        pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / f"index{weight}", heading_weight=weight), embedder=real_embedder,
                            generator=FakeGenerator(), log=lambda m: None)
        pipeline.prepare()
        for question in ("Why did I stop buying malt from Castlegate?", "How much is pale ale malt at Castlegate?"):
            ranked[weight, question] = {p.section[-1]: p.rank_score for p in pipeline.retrieve(question, top_k=5)}
    why, how = "Why did I stop buying malt from Castlegate?", "How much is pale ale malt at Castlegate?"
    reason = "Why I left (Aug 2025)"
    assert ranked[0.05, why][reason] == pytest.approx(ranked[0.0, why][reason] + 0.05, abs=2e-4)
    assert ranked[0.05, how][reason] == pytest.approx(ranked[0.0, how][reason], abs=2e-4)  # asked no reason


def test_chunks_that_only_touch_are_joined_line_by_line():
    # two rows of one table cut into two chunks: the first ends with "|", the next begins with one
    first = Passage("a", "chat.md", ["Key Metrics"], "| **Precision** | The ratio of true positives |\n| **Recall** | The ratio of positives found |", 154, 155, 0.4)
    second = Passage("b", "chat.md", ["Key Metrics"], "| **F1 Score** | The harmonic mean of precision and recall |", 156, 156, 0.6)
    merged = fit_context([second, first], budget_chars=5000)
    assert len(merged) == 1
    assert merged[0].text.split("\n") == first.text.split("\n") + [second.text]


def test_the_plural_of_an_acronym_is_folded_as_other_plurals_are():
    # "-us" and "-is" end Latin singulars (status, basis), and "ids" is too short for the plural rule
    assert content_words("GPUs, vCPUs, APIs and IDs") == content_words("GPU, vCPU, API and ID") == ["gpu", "vcpu", "api", "id"]
    assert content_words("the status of a basis") == ["status", "basis"]


def test_goes_is_a_verb_not_a_word_goe():
    # "What goes in the tarka ...?" asked for a noun "goe" that no note has, and was refused for it
    assert content_words("What goes in the tarka for the red lentil dal?") == ["tarka", "red", "lentil", "dal"]
    assert content_words("I wrote it in Go") == ["wrote", "go"]  # the language stays


def test_a_contraction_typed_without_its_apostrophe_is_the_same_word():
    assert content_words("why doesnt node ship yarn") == content_words("why doesn't node ship yarn") == ["doesn't", "node", "ship", "yarn"]
    assert content_words("i dont want it") == ["don't", "want"]
    # a pronoun run into its verb names no topic, typed either way
    assert content_words("im using azure, i'm debugging") == ["azure", "debugging"]
    assert content_words("the shell lets you go") == ["shell", "let", "go"]  # words that only look like one stay


def test_typeset_marks_are_read_as_typed():
    # the default notes write "DALL·E" with a middle dot; a person types "DALL-E"
    assert content_words("Tools like DALL·E or MidJourney") == ["tool", "dall-e", "midjourney"]
    assert content_words("DALL‑E") == content_words("DALL-E")  # a non-breaking hyphen
    assert content_words("it’s a note’s") == content_words("it's a note's")


def test_the_one_chunk_that_holds_an_unusual_word_of_the_question_is_lifted_by_the_anchor_weight(real_embedder, tmp_path):
    from rag.pipeline import Pipeline

    # a care notebook (fictional): the word for the medicine stands in one note of sixty, deep in a
    # long list of tablets; the daily notes say "Mum" and "asking" often
    notes = tmp_path / "notes"
    (notes / "daily").mkdir(parents=True)
    for day in range(1, 61):
        (notes / "daily" / f"2026-03-{day:02d}.md").write_text(
            f"# Day {day}\n\nMum rang {day % 4 + 1} times asking if the carer was coming. Carer on time, tea made, bins out.\n"
            + ("The window cleaner came.\n" if day == 5 else ""), encoding="utf-8")
    (notes / "medications.md").write_text(
        "# Medications\n\n## Tablets\n\n" + "".join(f"- tablet {k}: 5 mg, morning, from the pharmacy on the high street\n" for k in range(12))
        + "\n## Mum's names for her tablets\n\n- \"the little white ones\" = amlodipine\n- \"the jollop\" = lactulose\n", encoding="utf-8")
    question = "mum keeps asking for the jollop, what is that"
    ranked = {}
    for weight in (0.0, 0.1):
        pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index", anchor_weight=weight), embedder=real_embedder, generator=FakeGenerator(), log=lambda m: None)
        pipeline.prepare()
        ranked[weight] = {(p.file, tuple(p.section)): p.rank_score for p in pipeline.retrieve(question, top_k=80)}
    names = ("medications.md", ("Medications", "Mum's names for her tablets"))
    assert ranked[0.1][names] == pytest.approx(ranked[0.0][names] + 0.1, abs=2e-4)
    assert max(ranked[0.1], key=ranked[0.1].get) == names
    # an everyday word one chunk alone holds ("window", whole to the tokenizer) lifts nothing
    assert "window" in pipeline.retriever._lexical.only
    assert pipeline.retriever.anchors("which window is the jollop") == pipeline.retriever.anchors("the jollop") != []
    assert all(ranked[0.1][k] == pytest.approx(ranked[0.0][k], abs=2e-4) for k in ranked[0.0] if k != names)
