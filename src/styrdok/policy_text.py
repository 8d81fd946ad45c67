"""A policy file's text as styrdok reads it: UTF-8 without a byte-order mark, lines ending in
LF, the front matter between a first '---' line and the next '---' (or '...') line, then the body.

Kept free of imports: the head start (styrdok.head_start) splits a file with it before anything
else is loaded, and must find the body exactly as `source` does.
"""

from __future__ import annotations


def normalized(data: bytes) -> str:
    """The file's text (UnicodeDecodeError if it is not UTF-8)."""
    return data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")


def opens_front_matter(lines: list[str]) -> bool:
    return bool(lines) and lines[0].strip() == "---"


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter; None when none does."""
    return next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)


def body(lines: list[str], end: int) -> str:
    """The text after the front matter closed at line index `end`."""
    return "\n".join(lines[end + 1:])
