"""The evaluator end to end on the tiny notes, with the fake embedder and generator: the output files and
their contract fields, failures recorded per question, question-file errors, the CLI and `compare`."""
from __future__ import annotations

import json

import pytest

import rag.pipeline
from eval import __main__ as cli
from eval.compare import compare
from eval.questions import QuestionFileError, load_questions, parse_questions
from eval.run import run_eval
from tests.conftest import FakeEmbedder, FakeGenerator, fake_pipeline

BREAD = "Sourdough bread needs a starter that is fed with flour and water every day."
QUESTIONS = [
    {"id": "bread", "question": "What does sourdough bread need?", "expected_sections": ["bread"], "reference_answer": BREAD, "key_facts": ["starter"]},
    {"id": "train", "question": "When did the Shinkansen bullet train open?", "expected_sections": ["**Trains**"], "key_facts": ["1964"], "kind": "direct"},
    {"id": "pasta", "question": "How long do I cook pasta?", "answerable": False, "expected_sections": ["Pasta"]},
    {"id": "offtopic", "question": "Who won the chess world championship?", "answerable": False},
]
RESULT_FIELDS = {"id", "question", "answerable", "answer", "abstained", "citations", "retrieved", "timings", "error"}


def questions_file(tmp_path, items=QUESTIONS):
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in items), encoding="utf-8")
    return path


def read_results(out):
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def quoting_generator(messages):
    """Answers from the prompt: the bread sentence or the train sentence, whichever was asked about."""
    asked = messages[-1]["content"]
    if "Shinkansen" in asked and "1964" in asked:
        return "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."
    return BREAD


def test_run_writes_results_and_reports_with_the_contract_fields(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=quoting_generator)
    questions = load_questions(questions_file(tmp_path))
    report = run_eval(pipeline, questions, tmp_path / "out", progress=False, questions_file="questions.jsonl", log=lambda m: None)

    rows = read_results(tmp_path / "out")
    assert [r["id"] for r in rows] == ["bread", "train", "pasta", "offtopic"]
    for r in rows:
        assert RESULT_FIELDS <= r.keys() and r["error"] is None
        assert set(r["timings"]) >= {"retrieve_s", "first_token_s", "total_s"}
        assert all(set(p) >= {"file", "section", "score"} and isinstance(p["section"], list) for p in r["retrieved"])
        assert [p["score"] for p in r["retrieved"]] == sorted((p["score"] for p in r["retrieved"]), reverse=True)
    bread, train, pasta = rows[0], rows[1], rows[2]
    assert not bread["abstained"] and "starter" in bread["answer"]
    assert bread["citations"] and set(bread["citations"][0]) >= {"file", "section", "text"} and bread["citations"][0]["section"][-1] == "Bread"
    assert train["kind"] == "direct"  # extra fields are kept
    assert pasta["abstained"] and pasta["mode"] in ("abstained", "empty_section") and not pasta["citations"]

    metrics = report["metrics"]
    assert metrics["hit@1"] == 1.0 and metrics["citation_recall"] == 1.0 and metrics["key_fact_recall"] == 1.0
    assert metrics["abstention_accuracy"] == 1.0 and metrics["false_abstention_rate"] == 0.0
    assert metrics["answer_similarity"] == pytest.approx(1.0, abs=0.05)
    on_disk = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert on_disk["metrics"] == metrics
    assert on_disk["models"]["generator"] == "fake-generator" and on_disk["models"]["embedder"] == "fake-hash-embedder"
    assert len(on_disk["notes"]["hash"]) == 64 and on_disk["settings"]["top_k"] == 4 and on_disk["settings"]["config"]["min_relevance"] == pipeline.config.min_relevance
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| hit@3 | 1.00 |" in markdown and "| abstention_accuracy | 1.00 |" in markdown
    assert "worst questions" in markdown or "## Worst questions: none" in markdown
    assert (tmp_path / "out" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failing_question_is_recorded_and_the_run_continues(tiny_notes, tmp_path):
    def reply(messages):
        if "Shinkansen" in messages[-1]["content"]:
            raise RuntimeError("the model fell over")
        return BREAD

    items = QUESTIONS + [{"id": "long", "question": "bread " * 30}]
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=reply, max_question_chars=100)
    report = run_eval(pipeline, parse_questions("".join(json.dumps(q) + "\n" for q in items)), tmp_path / "out", progress=False, log=lambda m: None)

    rows = {r["id"]: r for r in read_results(tmp_path / "out")}
    assert rows["train"]["error"] == "the model fell over" and rows["train"]["answer"] is None
    assert "limit is 100" in rows["long"]["error"]  # a RagError (QuestionError) from the pipeline
    assert rows["bread"]["error"] is None and rows["offtopic"]["error"] is None  # the ones after it still ran
    assert report["counts"]["errors"] == 2 and report["counts"]["questions"] == 5
    assert report["metrics"]["key_fact_recall"] == pytest.approx(1 / 2)  # bread 1, train failed 0 (long has no key facts)
    assert "**Failed:** the model fell over" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_retrieval_only_never_calls_the_generator(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=quoting_generator)
    report = run_eval(pipeline, load_questions(questions_file(tmp_path)), tmp_path / "out", retrieval_only=True, limit=2, progress=False)
    rows = read_results(tmp_path / "out")
    assert len(rows) == 2 and all(r["answer"] is None and r["retrieved"] for r in rows)
    assert pipeline.generator.prompts == []
    assert report["metrics"]["hit@1"] == 1.0 and report["metrics"]["key_fact_recall"] is None
    assert len(rows[0]["retrieved"]) == 3  # 5 deep, but the tiny notes have only 3 chunks


def test_interrupted_run_still_reports_what_it_did(tiny_notes, tmp_path):
    calls = []

    def reply(messages):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return BREAD

    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=reply)
    report = run_eval(pipeline, load_questions(questions_file(tmp_path)), tmp_path / "out", progress=False, log=lambda m: None)
    assert report["settings"]["interrupted"] and report["counts"]["questions"] == 1
    assert len(read_results(tmp_path / "out")) == 1


def test_unknown_expected_section_is_warned_about(tiny_notes, tmp_path):
    warnings = []
    items = [{"id": "typo", "question": "What does sourdough need?", "expected_sections": ["Breadd"]}]
    run_eval(fake_pipeline(tiny_notes, tmp_path / "index"), parse_questions(json.dumps(items[0])), tmp_path / "out",
             retrieval_only=True, progress=False, log=warnings.append)
    assert any("'Breadd'" in w and "no heading" in w for w in warnings)


@pytest.mark.parametrize("line, message", [
    ('{"id": "a", "question": "ok"}\nnot json', "line 2: not valid JSON"),
    ('{"id": "a", "question": "ok"}\n\n{"id": "a", "question": "again"}', "line 3: id 'a' is already used on line 1"),
    ('{"question": "no id"}', "line 1: 'id' is missing"),
    ('{"id": "a", "question": "ok", "answerable": "no"}', "line 1: 'answerable' must be true or false"),
    ('{"id": "a", "question": "ok", "expected_sections": "Bread"}', "line 1: 'expected_sections' must be a list"),
    ('{"id": "a", "question": "ok", "reference_answer": 3}', "line 1: 'reference_answer' must be a string or null"),
    ('["a list"]', "line 1: must be a JSON object"),
    ("\n\n", "has no questions"),
])
def test_bad_question_files_name_the_line(line, message):
    with pytest.raises(QuestionFileError, match=message.replace("(", r"\(")):
        parse_questions(line)


def test_defaults_are_filled_in():
    [q] = parse_questions('{"id": "a", "question": "What?", "mine": 1}')
    assert q["answerable"] is True and q["expected_sections"] == [] and q["key_facts"] == [] and q["reference_answer"] is None and q["mine"] == 1


def test_command_line_run_and_compare(tiny_notes, tmp_path, monkeypatch, capsys):
    real_pipeline = rag.pipeline.Pipeline
    configs = []
    generators = iter([FakeGenerator(quoting_generator), FakeGenerator(error=RuntimeError("the model is down"))])

    def pipeline_with_fakes(config, **options):
        configs.append(config)
        return real_pipeline(config, embedder=FakeEmbedder(), generator=next(generators), log=lambda m: None)

    monkeypatch.setattr(rag.pipeline, "Pipeline", pipeline_with_fakes)
    questions = questions_file(tmp_path)
    common = ["--questions", str(questions), "--notes", str(tiny_notes), "--index-dir", str(tmp_path / "index"), "--no-progress"]
    assert cli.main([*common, "--out", str(tmp_path / "old"), "--model", "my/model", "--top-k", "2"]) == 0
    assert configs[0].generator_model == "my/model" and configs[0].notes_dir == tiny_notes
    assert json.loads((tmp_path / "old" / "report.json").read_text())["settings"]["top_k"] == 2
    assert cli.main([*common, "--out", str(tmp_path / "new")]) == 0
    printed = capsys.readouterr().out
    assert "hit@3 1.00" in printed and "report.png" in printed and "2 of 4 questions failed" in printed

    assert cli.main(["compare", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    printed = capsys.readouterr().out
    assert "key_fact_recall" in printed and "worse" in printed
    assert "Questions whose outcome changed: 2" in printed
    assert "worse   bread (answerable): outcome answered -> error" in printed
    assert "bread" in compare(tmp_path / "old", tmp_path / "new")


def test_command_line_errors_are_one_message_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "ok"}\n{"id": "b"}\n', encoding="utf-8")
    assert cli.main(["--questions", str(bad), "--notes", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "line 2: 'question' is missing" in capsys.readouterr().err
    assert cli.main(["--questions", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err
    good = questions_file(tmp_path)
    assert cli.main(["--questions", str(good), "--notes", str(tmp_path / "no-such-notes"), "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "out").exists()
    assert cli.main(["compare", str(tmp_path), str(tmp_path)]) == 2
    assert "has no report.json" in capsys.readouterr().err
