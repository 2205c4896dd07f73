"""Conversations (questions with history), `python -m eval all` over collections made in tmp_path, the
--split filter and the question checker. Fake embedder and generator: what is tested is the evaluator."""
from __future__ import annotations

import json

import pytest

import rag.pipeline
from eval import __main__ as cli
from eval import check_questions, suite
from eval.questions import QuestionFileError, parse_questions, select_split
from eval.run import run_eval
from tests.conftest import FakeEmbedder, FakeGenerator, fake_pipeline, write_notes

BREAD = "Sourdough bread needs a starter that is fed with flour and water every day."
TRAIN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."


def jsonl(path, items):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in items), encoding="utf-8")
    return path


# --- question files with history


def test_history_is_validated_and_defaults_to_none():
    plain, conversation = parse_questions(
        '{"id": "a", "question": "What is bread?"}\n'
        '{"id": "b", "history": ["What is bread?"], "question": "and how often is it fed?", "split": "report"}\n')
    assert plain["history"] == [] and conversation["history"] == ["What is bread?"]
    for bad, message in [('"history": "What is bread?"', "'history' must be a list"), ('"history": ["ok", ""]', "'history' must be a list"),
                         ('"history": [3]', "'history' must be a list"), ('"split": "test"', "'split' must be \"dev\" or \"report\""),
                         ('"supporting_quote": ""', "'supporting_quote' must be a sentence of the notes or null, not empty")]:
        with pytest.raises(QuestionFileError, match="line 1: " + message):
            parse_questions('{"id": "a", "question": "q", ' + bad + '}\n')


def test_select_split():
    questions = parse_questions('{"id": "a", "question": "q", "split": "dev"}\n{"id": "b", "question": "q", "split": "report"}\n{"id": "c", "question": "q"}\n')
    assert [q["id"] for q in select_split(questions, "dev")] == ["a"]
    assert [q["id"] for q in select_split(questions, "report")] == ["b"]
    assert [q["id"] for q in select_split(questions, "all")] == ["a", "b", "c"] == [q["id"] for q in select_split(questions, None)]


def test_earlier_turns_are_asked_for_real_and_their_answers_fed_back(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=lambda messages: TRAIN if "Shinkansen" in messages[-1]["content"] else BREAD)
    calls = []
    real_ask = pipeline.ask

    def spy(question, history=None, **options):
        calls.append((question, [dict(m) for m in history or []]))
        return real_ask(question, history=history, **options)

    pipeline.ask = spy
    questions = parse_questions(json.dumps({"id": "c", "history": ["What does sourdough bread need?", "When did the Shinkansen open?"],
                                            "question": "and where did it run?", "expected_sections": ["Trains"], "key_facts": ["Osaka"]}))
    run_eval(pipeline, questions, tmp_path / "out", progress=False, log=lambda m: None)

    assert [q for q, _ in calls] == ["What does sourdough bread need?", "When did the Shinkansen open?", "and where did it run?"]
    first, second, last = (h for _, h in calls)
    assert first == []
    assert [m["role"] for m in second] == ["user", "assistant"] and second[0]["content"] == "What does sourdough bread need?"
    assert "starter" in second[1]["content"]  # the pipeline's own answer to the first turn
    assert [m["role"] for m in last] == ["user", "assistant", "user", "assistant"] and "1964" in last[3]["content"]
    row = json.loads((tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8"))
    assert row["history"] == ["What does sourdough bread need?", "When did the Shinkansen open?"]
    assert [t["question"] for t in row["turns"]] == row["history"] and "1964" in row["turns"][1]["answer"]
    assert row["query"] and row["error"] is None


def test_retrieval_only_follow_up_uses_the_pipelines_rewritten_query(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", error=AssertionError("no generation in a retrieval-only run"))
    questions = parse_questions(json.dumps({"id": "c", "history": ["When did the Shinkansen bullet train open?"], "question": "and where did it run?"}))
    run_eval(pipeline, questions, tmp_path / "out", retrieval_only=True, progress=False, log=lambda m: None)
    row = json.loads((tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8"))
    assert row["error"] is None and "shinkansen" in row["query"].lower() and row["retrieved"][0]["section"][-1] == "Trains"


# --- python -m eval all


def make_root(tmp_path):
    """A project root with default notes (corpus/ + eval/questions.jsonl + conversations) and one collection."""
    root = tmp_path / "project"
    write_notes(root / "corpus")
    jsonl(root / "eval" / "questions.jsonl", [
        {"id": "bread", "question": "What does sourdough bread need?", "expected_sections": ["Bread"], "key_facts": ["starter"],
         "supporting_quote": BREAD, "source_file": "cooking.md", "split": "dev"},
        {"id": "train", "question": "When did the Shinkansen bullet train open?", "expected_sections": ["Trains"], "split": "report"},
        {"id": "soup", "question": "What is minestrone soup?", "expected_sections": ["Soup"], "split": "report"},
    ])
    jsonl(root / "eval" / "conversations.jsonl", [
        {"id": "conv", "history": ["When did the Shinkansen bullet train open?"], "question": "and between which cities?", "expected_sections": ["Trains"], "split": "dev"},
    ])
    write_notes(root / "eval" / "collections" / "garden" / "notes", {"plants.md": "# Plants\n\n## Tomatoes\nTomatoes need six hours of sun a day.\n\n## Roses\nRoses are pruned in early spring.\n"})
    jsonl(root / "eval" / "collections" / "garden" / "questions.jsonl", [
        {"id": "tomato", "question": "How much sun do tomatoes need?", "expected_sections": ["Tomatoes"], "split": "dev"},
        {"id": "rose", "question": "When are roses pruned?", "expected_sections": ["Roses"], "split": "report"},
        {"id": "cactus", "question": "How often do I water a cactus?", "answerable": False, "split": "report"},
    ])
    (root / "eval" / "collections" / "empty").mkdir()  # no notes or questions: not a collection
    return root


def test_find_collections(tmp_path):
    root = make_root(tmp_path)
    found = suite.find_collections(root)
    assert [c.name for c in found] == ["default", "garden"]
    assert set(found[0].sets) == {"questions", "conversations"} and set(found[1].sets) == {"questions"}
    assert [c.name for c in suite.choose(found, "garden")] == ["garden"]
    with pytest.raises(suite.SuiteError, match="No collection named nope; there are: default, garden"):
        suite.choose(found, "garden,nope")


def test_eval_all_retrieval_only_on_two_collections(tmp_path, monkeypatch, capsys):
    root = make_root(tmp_path)
    monkeypatch.setattr(suite, "PROJECT_ROOT", root)
    real_pipeline = rag.pipeline.Pipeline
    made = []

    def pipeline_with_fakes(config, embedder=None, generator=None, **options):
        pipeline = real_pipeline(config, embedder=embedder or FakeEmbedder(), generator=generator or FakeGenerator(error=AssertionError("no generation")),
                                 log=lambda m: None)
        made.append(pipeline)
        return pipeline

    monkeypatch.setattr(rag.pipeline, "Pipeline", pipeline_with_fakes)
    out = tmp_path / "runs" / "first"
    args = ["all", "--retrieval-only", "--split", "all", "--index-dir", str(tmp_path / "index"), "--out", str(out), "--no-progress"]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert "sentence found" in printed and "garden" in printed and "Wrote" in printed

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {(r["collection"], r["set"], r["split"]): r for r in summary["rows"]}
    assert list(rows) == [("default", "questions", "dev"), ("default", "questions", "report"), ("default", "questions", "all"),
                          ("default", "conversations", "dev"), ("default", "conversations", "all"),
                          ("garden", "questions", "dev"), ("garden", "questions", "report"), ("garden", "questions", "all")]
    assert rows["default", "questions", "dev"]["questions"] == 1 and rows["default", "questions", "report"]["questions"] == 2
    assert rows["garden", "questions", "report"]["unanswerable"] == 1
    assert rows["garden", "questions", "all"]["metrics"]["hit@1"] == 1.0  # lexical fake retrieval finds both sections first
    assert rows["default", "conversations", "dev"]["metrics"]["hit@1"] == 1.0  # the follow-up carried its topic
    for row in rows.values():
        assert row["metrics"]["key_fact_recall"] is None and row["metrics"]["answer_sentence_found"] is None  # retrieval only
        assert row["metrics"]["latency_p50"] is not None
    for folder in ("default/questions", "default/conversations", "garden/questions"):
        assert (out / folder / "report.json").is_file() and (out / folder / "results.jsonl").is_file()
    table = (out / "summary.md").read_text(encoding="utf-8")
    assert "| collection | set | split | n | hit@1 | hit@3 | MRR |" in table and "| garden | questions | report | 2 (1/1) |" in table
    assert all(p.embedder is made[0].embedder for p in made)  # models loaded once, shared

    # a second run reuses both indexes, and --split/--collections narrow it
    made.clear()
    second = tmp_path / "runs" / "second"
    assert cli.main(["all", "--retrieval-only", "--split", "dev", "--collections", "garden", "--index-dir", str(tmp_path / "index"),
                     "--out", str(second), "--no-progress"]) == 0
    assert len(made) == 1 and made[0].report.rebuilt is False
    summary = json.loads((second / "summary.json").read_text(encoding="utf-8"))
    assert [(r["collection"], r["split"], r["questions"]) for r in summary["rows"]] == [("garden", "dev", 1)]


def test_eval_all_unknown_collection_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(suite, "PROJECT_ROOT", make_root(tmp_path))
    assert cli.main(["all", "--collections", "nope", "--out", str(tmp_path / "out")]) == 2
    assert "No collection named nope" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_single_run_split_flag(tiny_notes, tmp_path, monkeypatch, capsys):
    real_pipeline = rag.pipeline.Pipeline
    monkeypatch.setattr(rag.pipeline, "Pipeline", lambda config, **o: real_pipeline(config, embedder=FakeEmbedder(), generator=FakeGenerator(), log=lambda m: None))
    questions = jsonl(tmp_path / "q.jsonl", [{"id": "a", "question": "What does sourdough bread need?", "split": "dev"},
                                             {"id": "b", "question": "When did the Shinkansen open?", "split": "report"}])
    common = ["--questions", str(questions), "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "index"), "--retrieval-only", "--no-progress"]
    assert cli.main([*common, "--split", "report", "--out", str(tmp_path / "out")]) == 0
    assert [json.loads(line)["id"] for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()] == ["b"]
    empty = jsonl(tmp_path / "e.jsonl", [{"id": "a", "question": "q", "split": "dev"}])
    assert cli.main(["--questions", str(empty), "--notes", str(tiny_notes), "--split", "report", "--out", str(tmp_path / "o2")]) == 2
    assert "no questions in the split 'report'" in capsys.readouterr().err


# --- the question checker


CHECK_NOTES = {"a.md": "# Top\n\n## Bread\nSourdough needs a starter.\n\n```bash\n# not a heading\necho hi\n```\nIt is fed daily.\n\n## Soup\nMinestrone has beans.\n"}


def test_checker_accepts_good_questions_and_names_each_problem(tmp_path, capsys):
    notes = write_notes(tmp_path / "notes", CHECK_NOTES)
    good = {"id": "ok", "question": "q", "expected_sections": ["Bread"], "key_facts": ["starter", "daily"],
            "supporting_quote": "It is fed daily.", "source_file": "a.md", "split": "dev"}  # below a '#' inside a fence: still under Bread
    bad = [
        {**good, "id": "wrong-section", "expected_sections": ["Soup"], "key_facts": []},
        {**good, "id": "not-verbatim", "supporting_quote": "It is fed every day."},
        {**good, "id": "missing-fact", "key_facts": ["beans"]},
        {"id": "present", "question": "q", "answerable": False, "absent_terms": ["minestrone"], "split": "report"},
        {**good, "id": "no-split", "split": None},
    ]
    path = jsonl(tmp_path / "q.jsonl", [good, {"id": "absent", "question": "q", "answerable": False, "absent_terms": ["gazpacho"], "split": "dev"}])
    assert check_questions.check(path, notes) == 0
    bad_path = jsonl(tmp_path / "bad.jsonl", [{k: v for k, v in q.items() if v is not None} for q in bad])
    assert check_questions.check(bad_path, notes) == 5
    printed = capsys.readouterr().out
    assert "ERROR wrong-section: the quote (line 10 of a.md) is under 'Bread', not expected_sections[0] 'Soup'" in printed
    assert "ERROR not-verbatim: supporting_quote is not verbatim" in printed
    assert "ERROR missing-fact: key fact 'beans' does not occur in the section 'Bread'" in printed
    assert "ERROR present: absent term 'minestrone' does occur in the notes" in printed
    assert "ERROR no-split: split must be 'dev' or 'report'" in printed


def test_checker_reads_headings_as_the_index_does(tmp_path, capsys):
    notes = write_notes(tmp_path / "notes", {"b.md": "---\nsummary: kitchen\n---\nBread\n=====\nSourdough needs a starter.\n\nSoup\n----\nMinestrone has beans.\n"})
    question = {"id": "soup", "question": "q", "expected_sections": ["Soup"], "key_facts": ["beans"],
                "supporting_quote": "Minestrone has beans.", "source_file": "b.md", "split": "dev"}
    assert check_questions.check(jsonl(tmp_path / "q.jsonl", [question]), notes) == 0, capsys.readouterr().out
    assert check_questions.headings(["---", "summary: kitchen", "---", "Bread", "=====", "", "Soup", "----"]) == [(3, "Bread"), (6, "Soup")]


def test_checker_names_text_above_any_heading_as_the_index_does(tmp_path, capsys):
    # a Roam page (no heading: its file name), a titled note (its title), a page whose attributes stand above its first heading
    notes = write_notes(tmp_path / "notes", {"Biscuit.md": "- Vet:: Hartcliffe Vets 555-0162\n",
                                             "van.md": "---\ntitle: Van checks\n---\nTyres at 65 psi.\n",
                                             "Bramble.md": "- Breed:: springer\n- ### Groom\n    - no clipper on the back\n"})
    asked = [{"id": "vet", "question": "q", "expected_sections": ["Biscuit"], "key_facts": ["555-0162"],
              "supporting_quote": "Hartcliffe Vets", "source_file": "Biscuit.md", "split": "dev"},
             {"id": "tyres", "question": "q", "expected_sections": ["Van checks"], "key_facts": ["65 psi"],
              "supporting_quote": "Tyres at 65 psi.", "source_file": "van.md", "split": "dev"},
             {"id": "breed", "question": "q", "expected_sections": ["Bramble"], "key_facts": ["springer"],
              "supporting_quote": "Breed:: springer", "source_file": "Bramble.md", "split": "dev"}]
    assert check_questions.check(jsonl(tmp_path / "q.jsonl", asked), notes) == 0, capsys.readouterr().out
    wrong = [{**asked[0], "id": "titled", "expected_sections": ["van"], "supporting_quote": "Tyres at 65 psi.", "source_file": "van.md", "key_facts": []}]
    assert check_questions.check(jsonl(tmp_path / "w.jsonl", wrong), notes) == 2  # a title names it, not the file
    printed = capsys.readouterr().out
    assert "expected section 'van' is not a heading of the notes" in printed and "under 'Van checks', not expected_sections[0] 'van'" in printed


def test_shipped_question_sets_pass_the_checker():
    from rag.config import PROJECT_ROOT

    assert check_questions.main([str(PROJECT_ROOT / "eval" / "collections" / "genai-for-beginners")]) == 0
    assert check_questions.main(["--questions", str(PROJECT_ROOT / "eval" / "conversations.jsonl"), "--notes", str(PROJECT_ROOT / "corpus")]) == 0


def test_resume_keeps_finished_questions_and_asks_the_rest(tiny_notes, tmp_path):
    questions = parse_questions("".join(json.dumps(q) + "\n" for q in [
        {"id": "bread", "question": "What does sourdough bread need?"},
        {"id": "train", "question": "When did the Shinkansen bullet train open?"},
    ]))
    first = fake_pipeline(tiny_notes, tmp_path / "index", reply=BREAD)
    run_eval(first, questions[:1], tmp_path / "out", progress=False, log=lambda m: None)  # as if stopped after one
    second = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    questions[0]["key_facts"] = ["starter"]  # the question file was corrected meanwhile: the kept answer is scored by it
    report = run_eval(second, questions, tmp_path / "out", progress=False, log=lambda m: None, resume=True)
    assert report["metrics"]["key_fact_recall"] == 1.0
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["bread", "train"] and report["settings"]["resumed"] == 1
    assert len(second.generator.prompts) == 1 and "starter" in rows[0]["answer"] and "1964" in rows[1]["answer"]
    # a retrieval-only row is not an answer: a full run does not keep it
    run_eval(second, questions, tmp_path / "ro", retrieval_only=True, progress=False, log=lambda m: None)
    report = run_eval(second, questions, tmp_path / "ro", progress=False, log=lambda m: None, resume=True)
    assert report["settings"]["resumed"] == 0
