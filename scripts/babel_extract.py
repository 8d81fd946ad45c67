"""Babel extractor for styrdok (used by babel.cfg; needs Babel, never imported at runtime).

Babel's Python extractor, plus the help texts of click commands: the docstring of every
function decorated with `….command(…)` or `….group(…)`, and texts marked `H_("…")`,
both cleaned with `inspect.cleandoc` as click and `styrdok.i18n.help_text` clean them before
the lookup, so the catalogue holds them without the docstring indentation.
"""

from __future__ import annotations

import ast
import inspect
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python


def extract(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
            options: dict[str, Any]) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    data = fileobj.read()
    for lineno, funcname, message, comments in extract_python(io.BytesIO(data), keywords, comment_tags, options):
        if funcname == "H_" and isinstance(message, str):
            message = inspect.cleandoc(message)
        yield lineno, funcname, message, comments
    for node in ast.walk(ast.parse(data)):
        if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            if (doc := ast.get_docstring(node, clean=True)):
                yield node.lineno, None, doc, ["click command help (the docstring)"]


def _is_command(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ("command", "group")
