"""Editing a policy's front matter in place, keeping its comments, order and the text untouched."""

from __future__ import annotations

import io
from collections.abc import Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from .errors import StyrdokError
from .i18n import _


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode: comments and key order survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def split(text: str) -> tuple[str, str]:
    """(front matter YAML, rest of the file after the closing '---' line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise StyrdokError(_("the file has no front matter"))
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        raise StyrdokError(_("the front matter is not closed"))
    return "\n".join(lines[1:end]) + "\n", "\n".join(lines[end + 1:])


def edit(text: str, change: Callable[[CommentedMap], None]) -> str:
    """Apply `change` to the front matter mapping and return the whole new file text."""
    head, body = split(text)
    yaml = _yaml()
    data = yaml.load(head)
    change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return f"---\n{out.getvalue()}---\n{body}"
