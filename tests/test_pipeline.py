"""Pipeline.stream's events: the model's pieces as Drafts, then exactly one Final with the verified Answer."""
from __future__ import annotations

from conftest import fake_pipeline
from rag.answer import Answer, Draft, Final

TRAIN = "The Shinkansen bullet train opened in 1964 between Tokyo and Osaka."


def test_drafts_then_one_final(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    events = list(pipeline.stream("When did the Shinkansen open?"))
    assert [type(e) for e in events] == [Draft] * (len(events) - 1) + [Final] and len(events) > 2
    answer = events[-1].answer
    assert isinstance(answer, Answer) and "".join(e.text for e in events[:-1]) == TRAIN == answer.draft
    assert "1964" in answer.text and answer.citations
    assert pipeline.ask("When did the Shinkansen open?").text == answer.text


def test_an_abstention_is_one_final_and_no_draft(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    events = list(pipeline.stream("What is the capital of Australia?"))
    assert len(events) == 1 and isinstance(events[0], Final)
    assert events[0].answer.abstained and pipeline.generator.prompts == []  # the model was never asked


def _peak_parallel_answers(pipeline, sessions: int) -> int:
    """How many answers were inside the model at once when `sessions` threads ask together."""
    import threading
    import time

    inside, peak, lock = [0], [0], threading.Lock()
    generator = pipeline.generator
    plain = generator.stream

    def slow_stream(messages, max_new_tokens, stop=None):
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        try:
            for piece in plain(messages, max_new_tokens, stop):
                time.sleep(0.02)
                yield piece
        finally:
            with lock:
                inside[0] -= 1

    generator.stream = slow_stream
    threads = [threading.Thread(target=pipeline.ask, args=("When did the Shinkansen open?",)) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return peak[0]


def test_a_model_in_process_answers_one_question_at_a_time(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    assert _peak_parallel_answers(pipeline, 4) == 1


def test_a_server_backend_answers_as_many_at_once_as_it_has_slots(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    pipeline.generator.slots = 3
    assert _peak_parallel_answers(pipeline, 6) == 3


def test_an_abandoned_answer_gives_its_slot_back(tiny_notes, tmp_path):
    pipeline = fake_pipeline(tiny_notes, tmp_path / "index", reply=TRAIN)
    events = pipeline.stream("When did the Shinkansen open?")
    assert isinstance(next(events), Draft)
    events.close()  # the reader went away mid-answer
    import threading

    answers = []
    asking = threading.Thread(target=lambda: answers.append(pipeline.ask("When did the Shinkansen open?")), daemon=True)
    asking.start()
    asking.join(20)
    assert answers and answers[0].text, "the next answer waits forever when the slot was not given back"


def test_a_question_about_what_a_section_with_text_says_is_not_taken_for_an_empty_heading(default_pipeline):
    # "the generator" is no word of the empty heading "Generative Adversarial Networks (GAN)": the
    # history section's "the generator tries to create content" answers
    found = default_pipeline.assess("In a GAN, what does the generator do?")
    assert found.reason is None
    assert any("generator tries to create content" in e.support.note.text for e in found.decision.evidence)
    # a question about the empty heading itself is still told so
    assert default_pipeline.assess("What do my notes say about generative adversarial networks?").reason == "the question is about a heading with nothing written under it"
    assert default_pipeline.assess("What are GANs?").reason == "the question is about a heading with nothing written under it"
    # "show" and "up" are no words of a topic: the question's only word is the heading's, but it asks
    # for a date, and the history section gives it
    found = default_pipeline.assess("when did gans show up")
    assert found.reason is None and "In 2014" in found.decision.evidence[0].support.note.text


def test_a_question_naming_an_empty_heading_the_answering_sentence_never_says_is_told_so(default_pipeline):
    # "trained" names the empty 'Training and Fine-tuning'; no sentence that would answer ("Around
    # 2017, the Transformer architecture arrived") says anything of training, though the definition's
    # "influenced by the training data" is among the passages
    found = default_pipeline.assess("how are LLMs trained?")
    assert found.reason == "the question is about a heading with nothing written under it"
    assert "Training and Fine-tuning" in [e.section[-1] for e in found.empty_sections]
    # 'Neural Networks and Deep Learning': the 1990s' "some neural networks" learn nothing, and what
    # "it has learned" (the definition) names no neural network; one sentence must say both
    found = default_pipeline.assess("how do neural networks learn?")
    assert found.reason == "the question is about a heading with nothing written under it"
    # a sentence that says the heading's words answers: GANs came out in 2014; video is generated
    # ("Video & Animation: Generating short clips, ...") though 'Video Generation' is empty
    assert default_pipeline.assess("when did gans show up").reason is None
    found = default_pipeline.assess("can AI generate video?")
    assert "Video Generation" in [e.section[-1] for e in found.empty_sections]
    assert found.reason is None and "Video & Animation" in found.decision.evidence[0].support.note.text


def test_a_question_naming_one_word_of_a_longer_empty_heading_is_answered_by_the_section_that_says_it(default_pipeline):
    # 'Audio and Music Generation' is empty; "music" is one of its three words, and the application
    # areas say "AI can compose music": the answer, with the empty heading named beside it
    found = default_pipeline.assess("does it make music")
    assert found.reason is None and "AI can compose music" in found.decision.evidence[0].support.note.text
    assert "Audio and Music Generation" in [e.section[-1] for e in found.empty_sections]
    found = default_pipeline.assess("what's the transformer good for?")  # one of 'Transformer Architecture''s two words
    assert found.reason is None and "Transformer architecture arrived" in found.decision.evidence[0].support.note.text
    # the heading's acronym or most of its words name it whole: still told it is empty
    for asked in ("What are GANs?", "what do LLMs do", "what about video generation?", "tell me about transformer architecture"):
        assert default_pipeline.assess(asked).reason == "the question is about a heading with nothing written under it", asked
    # unless it asks what the thing is good for, which the history says
    found = default_pipeline.assess("What are GANs good at?")
    assert found.reason is None and "game-changer for generating realistic images" in found.decision.evidence[0].support.note.text
    assert "Generative Adversarial Networks (GAN)" in [e.section[-1] for e in found.empty_sections]


def test_a_question_for_a_phone_or_a_reference_number_asks_one_thing_an_empty_heading_does_not_hold(tmp_path, real_embedder):
    # an empty "Phone number" heading, and the number under Contacts: asked for it, the notes answer,
    # as they do for a date, a figure or an email address (decide.ONE_THING)
    from rag.config import Config
    from rag.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "me.md").write_text("# Me\n\n## Phone number\n\n## Contacts\n\n- My number: 555-0199 (work phone 555-0142).\n"
                                 "- Home insurance with Oakhurst, policy no. HX-2231-77.\n\n## Policy number\n")
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index", generate=False), embedder=real_embedder, log=lambda message: None)
    pipeline.prepare()
    for asked, kind in (("What is my phone number?", "phone"), ("what is the policy number?", "reference")):
        found = pipeline.assess(asked)
        assert found.decision.focus.kind == kind and found.empty_sections, asked
        assert found.reason is None, (asked, found.reason)  # was: the question is about a heading with nothing written under it


def test_a_question_names_an_empty_heading_in_another_form_of_its_word(default_pipeline):
    # "trained" is no "training" plus an ending, but both are forms of "train"
    named = [e.section[-1] for e in default_pipeline.empty_finder.about("how are LLMs trained?")]
    assert "Training and Fine-tuning" in named


def test_a_paraphrase_over_small_notes_is_not_refused_for_the_words_they_never_use(default_pipeline):
    # "bring" and "speed" are no words of the default notes: every sentence lacked them, weighed as
    # rarer than any word of theirs, and the evidence fell under the threshold (0.45, 0.47)
    found = default_pipeline.assess("what did the 2000s bring?")
    assert found.reason is None and "1990s and 2000s" in found.decision.evidence[0].support.note.text
    found = default_pipeline.assess("how does AI speed up science?")
    assert found.reason is None and "Drug discovery" in found.decision.evidence[0].support.note.text
    # the words they lack still count, as their rarest: "In short, any field where ..." does not answer this
    assert default_pipeline.assess("what can companies do with gen ai day to day").reason is not None


def test_a_name_typed_with_a_hyphen_finds_the_notes_middle_dot(default_pipeline):
    found = default_pipeline.assess("what's DALL-E?")  # the notes: "Tools like DALL·E or MidJourney fall here."
    assert found.reason is None
    assert any("DALL·E" in e.support.note.text for e in found.decision.evidence[:2])


def test_the_section_whose_sentence_answers_leads_the_ranking(default_pipeline):
    # retrieval alone ranks the definition of generative AI first (the chunk as a whole is nearer the
    # question); the sentence that answers stands under "Main Application Areas", which then leads
    question = "What kinds of video can generative AI make?"
    retrieved = default_pipeline.retrieve(question)
    assert retrieved[0].section[-1] == "Definition of Generative AI"
    found = default_pipeline.assess(question)
    assert found.reason is None
    assert found.passages[0].section[-1] == "Main Application Areas"
    assert sorted(p.chunk_id for p in found.passages) == sorted(p.chunk_id for p in retrieved)  # reordered, nothing lost


def test_section_first_keeps_the_other_passages_in_their_order():
    from rag.answer import Passage
    from rag.retrieval import section_first

    ps = [Passage(str(n), f, [s], "t", 1, 1, 0.5) for n, (f, s) in enumerate([("a.md", "A"), ("b.md", "B"), ("a.md", "C"), ("b.md", "B")])]
    assert [p.chunk_id for p in section_first(ps, "b.md", ["B"])] == ["1", "3", "0", "2"]
    assert [p.chunk_id for p in section_first(ps, "c.md", ["X"])] == ["0", "1", "2", "3"]


def test_an_answer_asked_for_a_way_reads_on_to_the_command_its_section_shows(tmp_path, real_embedder):
    # a TIL note (after jbranchaud/til, MIT) whose first chunk says what the command is for, and whose
    # command comes two chunks on: the search finds the first chunk alone, the answer shows the command
    from rag.config import Config
    from rag.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "disable-a-workflow-with-the-gh-cli.md").write_text(
        "# Disable A Workflow With The gh CLI\n\n"
        "You may want to temporarily disable a GitHub Actions workflow without deleting the file for the workflow. "
        "In my case, this is handy because I want to keep a scheduled workflow around as a point of reference, "
        "but I don't want it running all the time.\n\n"
        "This can be done with the `workflow` subcommand of the `gh` CLI, which GitHub ships for working with "
        "repositories, issues, pull requests and the actions that run on them from the terminal.\n\n"
        "First, list the workflows for your current repo so that you can figure out the workflow ID that you "
        "want to disable. Each line of the listing names a workflow, says whether it is active, and gives its ID.\n\n"
        "```bash\n$ gh workflow list\nScheduled Actions Demo       active  60028624\n```\n\n"
        "Now, copy the ID of the workflow you want to disable. Then, run the `disable` command for that workflow ID.\n\n"
        "```bash\n$ gh workflow disable 60028624\n✓ Disabled Scheduled Actions Demo\n```\n")
    (notes / "trigger-a-workflow.md").write_text("# Trigger A Workflow Via An API Call\n\nA workflow with a `workflow_dispatch` trigger can be started by a POST to the GitHub API.\n")
    (notes / "scheduled-action.md").write_text("# Run Scheduled Action\n\nA scheduled action runs on a cron schedule, once a day at 11:17 UTC.\n")
    pipeline = Pipeline(Config(notes_dir=notes, index_dir=tmp_path / "index", generate=False, chunk_size=400, top_k=2),
                        embedder=real_embedder, log=lambda message: None)
    pipeline.prepare()
    asked = "pause a scheduled github actions workflow without deleting the workflow yml"
    found = pipeline.assess(asked)
    assert found.reason is None and not any("gh workflow" in p.text for p in found.context)  # its search finds no command
    answer = pipeline.ask(asked)
    assert "gh workflow" in answer.text and {c.file for c in answer.citations} == {"disable-a-workflow-with-the-gh-cli.md"}
