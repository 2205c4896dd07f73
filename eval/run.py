"""Run a question set through the pipeline and write results.jsonl and the reports.

`run_eval(pipeline, questions, out_dir)` asks every question through `rag.pipeline.Pipeline` (the
same path the chat takes) and records what came back; it never retrieves or answers on its own. A
question with `history` is the last turn of a conversation: its earlier questions are asked first,
for real, each with the turns before it, and their answers are fed back as the assistant's turns,
as the chat does; only the last turn is scored. A question that raises is recorded with its error and the run goes on. results.jsonl is
written as the run goes, so an interrupted run (Ctrl-C) keeps what it did and still gets a report.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rag.errors import RagError

from eval import metrics, report
from eval.questions import unknown_sections

# hit@5 needs five ranked passages even when the answer uses top_k=4; the extra ranks are a second,
# cheap retrieve() of the same query (one embedding), the first top_k are the answer's own passages.
MIN_RETRIEVAL_DEPTH = 5
QUESTION_FIELDS = ("id", "question", "answerable", "expected_sections", "reference_answer", "key_facts", "history")


def _passages(passages) -> list[dict]:
    return [{"file": p.file, "section": list(p.section), "score": round(float(p.score), 4), "lines": [p.line_start, p.line_end]} for p in passages]


def _question_fields(question: dict) -> dict:
    fields = {key: question[key] for key in QUESTION_FIELDS}
    fields.update({k: v for k, v in question.items() if k not in fields and k != "line"})  # the user's own extra fields
    return fields


def _row(question: dict) -> dict:
    row = _question_fields(question)
    row.update(answer=None, abstained=False, mode=None, citations=[], retrieved=[], timings={}, error=None)
    return row


def earlier_turns(pipeline, questions: list[str], retrieval_only: bool, top_k: int | None) -> tuple[list[dict], list[dict]]:
    """Ask a conversation's earlier questions in order, each with the turns before it; return the chat
    history they make ({"role": "user"|"assistant", "content"} pairs) and what each turn got."""
    messages, turns = [], []
    for text in questions:
        if retrieval_only:  # no answers without the model: the history holds the questions alone
            answer_text, mode = "", None
        else:
            answer = pipeline.ask(text, history=list(messages), top_k=top_k)
            answer_text, mode = answer.text, answer.mode
        messages += [{"role": "user", "content": text}, {"role": "assistant", "content": answer_text}]
        turns.append({"question": text, "answer": answer_text or None, "mode": mode})
    return messages, turns


def ask_one(pipeline, question: dict, retrieval_only: bool, top_k: int | None, depth: int) -> dict:
    """One result row; exceptions are the caller's to record."""
    row = _row(question)
    history, turns = earlier_turns(pipeline, question["history"], retrieval_only, top_k) if question["history"] else (None, [])
    if turns:
        row["turns"] = turns
    if retrieval_only:
        started = time.perf_counter()
        query = pipeline.assess(question["question"], history).query if history else question["question"]  # the pipeline's follow-up rewrite
        row["retrieved"] = _passages(pipeline.retrieve(query, depth))
        row["timings"] = {"retrieve_s": round(time.perf_counter() - started, 4)}
        row["query"] = query
        return row
    answer = pipeline.ask(question["question"], history=history, top_k=top_k)
    passages = list(answer.passages)
    if len(passages) < depth:
        passages += pipeline.retrieve(answer.query, depth)[len(passages):]
    timings = answer.timings
    row.update(
        query=answer.query,
        answer=answer.text,
        abstained=bool(answer.abstained),
        mode=answer.mode,
        abstain_reason=getattr(answer, "abstain_reason", None),  # why it declined, when the pipeline says
        citations=[{"file": c.file, "section": list(c.section), "text": c.text, "number": c.number} for c in answer.citations],
        retrieved=_passages(passages),
        timings={key: timings.get(key) for key in ("retrieve_s", "first_token_s", "total_s", "tokens", "tokens_per_s")},
        empty_sections=[list(e.section) for e in answer.empty_sections],
        dropped=list(answer.dropped),
    )
    return row


def finished_rows(out: Path, questions: list[dict], retrieval_only: bool) -> dict[str, dict]:
    """Rows of an earlier run in `out` that can stand: same question (text and history), no error, same kind
    of run. Their question fields (expected sections, key facts, quote, split) are taken from the file as
    it is now, so a corrected question file re-scores the answers without asking again."""
    path = out / "results.jsonl"
    if not path.is_file():
        return {}
    wanted = {q["id"]: q for q in questions}
    kept = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by an interruption
        q = wanted.get(row.get("id"))
        same = q is not None and row.get("question") == q["question"] and (row.get("history") or []) == q["history"]
        if same and not row.get("error") and (row.get("mode") is None) == retrieval_only:
            kept[row["id"]] = {**row, **_question_fields(q)}  # scored by the question file as it is now
    return kept


def run_eval(pipeline, questions: list[dict], out_dir, *, retrieval_only: bool = False, limit: int | None = None,
             top_k: int | None = None, progress: bool = True, questions_file: str | None = None, log=None, resume: bool = False) -> dict:
    """Evaluate `questions` (from eval.questions) with `pipeline`; write DIR/results.jsonl and the reports; return report.json's dict.

    With `resume`, the rows an earlier (interrupted) run left in DIR/results.jsonl for the same questions
    are kept and only the others are asked."""
    log = log or (lambda message: _tqdm().write(message, file=sys.stderr))  # keeps the bar intact
    questions = questions[:limit] if limit else questions
    started = time.time()
    status = pipeline.status()  # builds or loads the index; a notes problem stops the run here
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for warning in unknown_sections(questions, getattr(pipeline, "sections", [])):
        log(f"warning: {warning}")
    depth = max(MIN_RETRIEVAL_DEPTH, top_k or pipeline.config.top_k)
    rows, interrupted = [], False
    done = finished_rows(out, questions, retrieval_only) if resume else {}
    if done:
        log(f"Resuming: {len(done)} of {len(questions)} questions already answered in {out / 'results.jsonl'}")
    bar = _progress(len(questions), progress)
    with open(out / "results.jsonl", "w", encoding="utf-8") as results:
        for question in questions:
            if question["id"] in done:
                rows.append(done[question["id"]])
                results.write(json.dumps(done[question["id"]], ensure_ascii=False) + "\n")
                bar.update(1)
                continue
            try:
                row = ask_one(pipeline, question, retrieval_only, top_k, depth)
            except KeyboardInterrupt:
                interrupted = True
                log(f"\nInterrupted after {len(rows)} of {len(questions)} questions; reporting on those.")
                break
            except (RagError, Exception) as error:  # one failure never stops the run
                row = _row(question)
                row["error"] = str(error) or type(error).__name__
                log(f"{question['id']}: failed: {row['error']}")
            rows.append(row)
            results.write(json.dumps(row, ensure_ascii=False) + "\n")
            results.flush()
            bar.update(1)
            bar.set_postfix_str(f"errors={sum(1 for r in rows if r['error'])}", refresh=False)
    bar.close()
    similarity = None if retrieval_only else metrics.similarities(rows, pipeline.embedder.encode)
    settings = {
        "questions_file": questions_file,
        "questions": len(questions),
        "limit": limit,
        "retrieval_only": retrieval_only,
        "top_k": top_k or pipeline.config.top_k,
        "retrieval_depth": depth,
        "interrupted": interrupted,
        "resumed": len(done),
        "seconds": round(time.time() - started, 2),
    }
    return report.write_reports(out, rows, similarity, pipeline, status, settings)


def _tqdm():
    from tqdm import tqdm

    return tqdm


def _progress(total: int, enabled: bool):
    return _tqdm()(total=total, desc="Evaluating", unit="question", disable=not enabled, file=sys.stderr, dynamic_ncols=True)
