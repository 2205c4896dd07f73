"""The browser chat's parts beside app.py (which lays them out): `handlers` (start-up, answering,
the sources panel, the API), `render` (what is shown, as strings) and `static/` (the stylesheet and
the citation script, read from disk by `asset`)."""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def asset(name: str) -> str:
    """The text of a file in web/static/ (style.css, citations.js)."""
    return (STATIC / name).read_text(encoding="utf-8")
