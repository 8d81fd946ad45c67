"""Modules imported on a thread while the process waits for something else (pandoc reading or
writing a document): the interpreter would otherwise import them afterwards, on the critical path."""

from __future__ import annotations

import importlib
import sys
import threading


def in_background(*names: str) -> None:
    """Start importing `names` (in order, on one thread) unless they are loaded already."""
    if not all(name in sys.modules for name in names):
        threading.Thread(target=_import, args=(names,), daemon=True).start()


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the module's own import meets it again and says what it is
            pass
