"""Ask questions of your markdown notes and get short answers that cite the exact sections they came from.

The public surface is small: `Config` (every setting), `Pipeline` (index, retrieve, answer) and the
`Answer` it returns. The CLI (`python -m rag`), the browser chat (`app.py`) and the evaluator (`eval/`)
all go through `Pipeline`, so they cannot disagree.
"""
from rag.answer import Answer, Citation, Passage
from rag.config import Config

__all__ = ["Answer", "Citation", "Config", "Passage", "Pipeline"]


def __getattr__(name):
    # Pipeline pulls in torch and the models; import it only when asked for, so that
    # `from rag import Config` stays instant (the CLI's error paths and the tests rely on that).
    if name == "Pipeline":
        from rag.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
