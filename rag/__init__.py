"""Ask questions of your markdown notes and get short answers that cite the exact sections they came from.

The public surface is small: `Config` (every setting), `Pipeline` (index, retrieve, answer) and the
`Answer` it returns. The CLI (`python -m rag`), the browser chat (`app.py`) and the evaluator (`eval/`)
all go through `Pipeline`, so they cannot disagree.
"""
import os

# OpenMP threads (FAISS and CTranslate2 share one libgomp) wait for work by sleeping, not spinning:
# spinning threads on two cores that something else also uses (a browser, a test run) stall the
# model. Measured: loading the answer model 1.3-2.2 s spinning vs 0.2-0.3 s sleeping; decoding a
# 135-token prompt with CTranslate2 alone, 24 tokens/s spinning vs 56 sleeping. libgomp reads this once, when FAISS is first imported, so it is set here, before anything.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from rag.answer import Answer, Citation, Passage  # noqa: E402
from rag.config import Config  # noqa: E402

__all__ = ["Answer", "Citation", "Config", "Passage", "Pipeline"]


def __getattr__(name):
    # Pipeline pulls in torch and the models; import it only when asked for, so that
    # `from rag import Config` stays instant (the CLI's error paths and the tests rely on that).
    if name == "Pipeline":
        from rag.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
