"""The one module that splits a policy file into front matter and text, and edits the front matter in place.

`split` is what the source stage reads; `rewrite` is what consult, revise and adopt write with:
it changes the front matter through ruamel's round-trip mode (comments, key order and quoting
survive) and leaves the text, the byte order mark and the line endings exactly as they were.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from .errors import InvalidPolicy, Problem
from .i18n import _

BOM = "\ufeff"
Change = Callable[[CommentedMap], None]


@dataclass(frozen=True)
class Split:
    """A policy file's text (no BOM, '\\n' line endings) cut at the closing '---' of its front matter."""

    text: str
    lines: list[str]
    end: int  # index in `lines` of the closing '---' line

    @property
    def head(self) -> str:
        """The front matter's YAML."""
        return "\n".join(self.lines[1:self.end]) + "\n"

    @property
    def body(self) -> str:
        """Everything after the closing line."""
        return "\n".join(self.lines[self.end + 1:])

    @property
    def body_offset(self) -> int:
        """Lines before the text: its line n is line n + body_offset of the file."""
        return self.end + 1


def decode(data: bytes) -> str:
    """The file's text without BOM and with '\\n' line endings; UnicodeDecodeError if it is not UTF-8."""
    return data.decode("utf-8").removeprefix(BOM).replace("\r\n", "\n")


@dataclass(frozen=True)
class Encoding:
    """How a policy file is stored: with a BOM or not, CRLF or LF line endings. A file styrdok
    rewrites keeps both, so only the lines that changed differ."""

    bom: bool = False
    crlf: bool = False

    @classmethod
    def of(cls, data: bytes) -> "Encoding":
        return cls(data.startswith(BOM.encode("utf-8")), b"\r\n" in data)

    def encode(self, text: str) -> bytes:
        """`text` ('\\n' line endings, no BOM, as `decode` gives) stored this way."""
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ((BOM if self.bom else "") + text).encode("utf-8")


def split(text: str, path: str = "") -> Split:
    """Cut `text` (as `decode` returns it) into front matter and text; InvalidPolicy naming `path` if it cannot be."""
    def refuse(message: str, hint: str) -> InvalidPolicy:
        return InvalidPolicy([Problem(path, 1, message, hint)])

    if not text.strip():
        raise refuse(_("the file is empty"), _("start with front matter between two '---' lines, then the text"))
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise refuse(_("the file has no front matter"),
                     _("start the file with a '---' line, the decision metadata in YAML, and a closing '---' line"))
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        raise refuse(_("the front matter is not closed"), _("add a line with '---' after the metadata"))
    return Split(text, lines, end)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode: comments and key order survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def edit(text: str, change: Change) -> str:
    """Apply `change` to the front matter mapping of `text` ('\\n' line endings) and return the new text."""
    parts = split(text)
    yaml = _yaml()
    data = yaml.load(parts.head)
    change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return f"---\n{out.getvalue()}---\n{parts.body}"


def rewrite(data: bytes, change: Change) -> bytes:
    """The file `data` with `change` applied to its front matter, keeping its BOM and line endings,
    so that only the changed lines differ."""
    return Encoding.of(data).encode(edit(decode(data), change))
