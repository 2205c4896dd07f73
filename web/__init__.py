"""The browser chat's parts beside app.py (which lays them out): `handlers` (start-up, answering,
the sources panel, the API), `render` (what is shown, as strings) and `static/` (the stylesheet, the
citation script and the Content Security Policy, read from disk by `asset` and `page_head`)."""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def asset(name: str) -> str:
    """The text of a file in web/static/ (style.css, citations.js)."""
    return (STATIC / name).read_text(encoding="utf-8")


def content_security_policy() -> str:
    """static/content-security-policy.txt as one header value: its directives, without the comments."""
    lines = (line.strip() for line in asset("content-security-policy.txt").splitlines())
    return "; ".join(line for line in lines if line and not line.startswith("#"))


def page_head() -> str:
    """What the page's <head> gets: the stylesheet, and the policy that lets it load nothing from elsewhere."""
    return f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n<style>{asset("style.css")}</style>'
