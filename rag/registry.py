"""Backends by name: a registry maps a name to a lazy "module:function" string, imported only when chosen.

Lazy, so naming a backend never imports the others' heavy packages (torch, ctranslate2, a server client).
Used by rag/generators, rag/embedders and rag/store; each keeps its own table.
"""
from __future__ import annotations

import importlib
from typing import Callable

from rag.errors import RagError

# The choice, beside the registered names, that lets the package pick the fastest backend that works.
AUTO = "auto"


def resolve(registry: dict[str, str], name: str, what: str, error: type[RagError], extra: tuple[str, ...] = ()) -> Callable:
    """The function registered as `name`; `error` naming every choice when there is no such entry."""
    if name not in registry:
        choices = ", ".join([*extra, *registry])
        raise error(f"Unknown {what} '{name}': use one of {choices}.")
    module, function = registry[name].split(":")
    return getattr(importlib.import_module(module), function)
