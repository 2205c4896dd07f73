"""Follow-up questions: does building the retrieval query from the conversation find the right section?

Compares, on follow-up pairs over the default notes, the rank of the expected section among the
retrieved passages when searching for (a) the follow-up as typed and (b) `contextual_query` (the
rule that carries over the previous question's key terms). `python tests/test_followups.py` prints
the table (add `--model` to also try a rewrite by the answer model); the test keeps the rule honest.
"""
from __future__ import annotations

import sys


from rag.retrieval import contextual_query

TOP_K = 4
# all-MiniLM-L6-v2 gives unrelated text about 0.0-0.25 and on-topic text 0.35+: a passage found
# first but below this is found by luck (and the pipeline's support check tends to refuse it).
ON_TOPIC = 0.30
# (previous question, follow-up, the section that answers the follow-up; None = not in the notes)
PAIRS = [
    ("What does the adversarial part of a GAN mean?", "and when did they appear?", "Brief History and Evolution"),
    ("When did the Transformer architecture arrive?", "What models did it give rise to?", "Brief History and Evolution"),
    ("What is generative AI?", "What kinds of content can it create?", "Definition of Generative AI"),
    ("Where is generative AI used in business?", "What about music?", "Main Application Areas"),
    ("What are the main application areas of generative AI?", "and in science?", "Main Application Areas"),
    ("How has generative AI evolved over time?", "What came before that?", "Brief History and Evolution"),
    # topic changes: the follow-up stands alone, carrying words over can only hurt
    ("What does the adversarial part of a GAN mean?", "What is generative AI?", "Definition of Generative AI"),
    ("What does the adversarial part of a GAN mean?", "What is the capital of Australia?", None),
]


def rank_of(pipeline, query: str, section: str | None) -> tuple[int | None, float]:
    """1-based rank of the first passage from `section` and its score; (None, top score) if it was
    not retrieved or no section is expected (then the top score says how close a wrong answer came)."""
    passages = pipeline.retrieve(query, TOP_K)
    for rank, p in enumerate(passages, start=1):
        if section is not None and p.section and p.section[-1] == section:
            return rank, p.score
    return None, passages[0].score if passages else 0.0


def usable(cell) -> bool:
    """Found first, and clearly on topic."""
    return cell[1] == 1 and cell[2] >= ON_TOPIC


def model_rewrite(pipeline, previous: str, followup: str) -> str:
    messages = [{
        "role": "user",
        "content": f"Previous question: {previous}\nFollow-up question: {followup}\n"
        "Rewrite the follow-up question so that it can be understood on its own. Reply with the question only.",
    }]
    text = "".join(pipeline.generator.stream(messages, 40)).strip().split("\n")[0]
    return text or followup


def measure(pipeline, with_model: bool = False) -> list[dict]:
    rows = []
    for previous, followup, section in PAIRS:
        history = [{"role": "user", "content": previous}, {"role": "assistant", "content": "…"}]
        queries = {"none": followup, "rule": contextual_query(followup, history)}
        if with_model:
            queries["model"] = model_rewrite(pipeline, previous, followup)
        row = {"previous": previous, "followup": followup, "section": section}
        for name, query in queries.items():
            row[name] = (query, *rank_of(pipeline, query, section))
        rows.append(row)
    return rows


def test_the_rule_finds_the_section_a_follow_up_is_about(default_pipeline):
    rows = measure(default_pipeline)
    answerable = [r for r in rows if r["section"] is not None]
    gan = rows[0]
    assert gan["rule"][1] == 1, f"the GAN follow-up searched for {gan['rule'][0]!r}"
    found = lambda name: sum(usable(r[name]) for r in answerable)  # noqa: E731
    assert found("rule") >= found("none")
    assert found("rule") >= len(answerable) - 1


def main() -> None:
    from rag.config import PROJECT_ROOT, Config
    from rag.pipeline import Pipeline

    pipeline = Pipeline(Config(notes_dir=PROJECT_ROOT / "corpus"), log=lambda message: None)
    pipeline.prepare()
    with_model = "--model" in sys.argv
    rows = measure(pipeline, with_model)
    names = ["none", "rule"] + (["model"] if with_model else [])
    show = lambda cell: "-" if cell[1] is None else f"{cell[1]} ({cell[2]:.2f})" + (" ✓" if usable(cell) else "")  # noqa: E731
    print("| previous → follow-up | expected section | " + " | ".join(f"rank: {n}" for n in names) + " |")
    print("|---|---|" + "---|" * len(names))
    for r in rows:
        expected = r["section"] or "(not in the notes; top score shown)"
        cells = [show(r[n]) if r["section"] else f"top {r[n][2]:.2f}" for n in names]
        print(f"| {r['previous']} → {r['followup']} | {expected} | " + " | ".join(cells) + " |")
    answerable = [r for r in rows if r["section"]]
    print(f"\nfound first and on topic (score >= {ON_TOPIC}, ✓): "
          + ", ".join(f"{n} {sum(usable(r[n]) for r in answerable)}/{len(answerable)}" for n in names))
    for r in rows:
        for n in names[1:]:
            print(f"  {n}: {r['followup']!r} -> {r[n][0]!r}")


if __name__ == "__main__":
    main()
