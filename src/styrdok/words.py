"""Pandoc inlines as a flat sequence of word tokens, and back.

The diff compares texts word by word; a token keeps the formatting around its word (emphasis,
link, …) so a changed paragraph can be rebuilt with its formatting, and a word that only
changed its formatting counts as changed.
"""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any, NamedTuple

from . import pandoc

SPACE = json.dumps({"t": "Space"})
_STR = "\0Str:"  # a word's node: this prefix and its text (cheaper than its JSON; no JSON starts so)
# Containers of inlines: where their content sits in "c" (None: "c" is the content itself).
_CONTENT: dict[str, int | None] = {
    "Emph": None, "Strong": None, "Underline": None, "Strikeout": None, "Superscript": None,
    "Subscript": None, "SmallCaps": None, "Span": 1, "Link": 1, "Quoted": 1, "Cite": 1,
}


class Token(NamedTuple):
    """One word, space or atom (code, image, note …) of a text, with its formatting.

    `node` is the pandoc JSON of the inline itself (for a word: _STR and its text); `marks` the
    JSON of the containers around it (their content left out), outermost first. A tuple: a
    100-page redline makes tens of thousands, and compares and hashes them as often.
    """

    text: str
    node: str
    marks: tuple[str, ...] = ()

    @property
    def is_word(self) -> bool:
        return any(ch.isalnum() for ch in self.text)


def tokens(inlines: list[pandoc.Ast], marks: tuple[str, ...] = ()) -> tuple[Token, ...]:
    """The tokens of pandoc inlines. Soft line breaks count as spaces (re-wrapping is no change);
    neighbouring strings are one word (the Markdown reader splits "t.ex." into four)."""
    out: list[Token] = []
    for node in inlines:
        t = node["t"]
        if t in ("Space", "SoftBreak"):
            out.append(Token(" ", SPACE, marks))
        elif t == "Str":
            text = node["c"]
            if out and out[-1].marks == marks and out[-1].node.startswith(_STR):
                text = out.pop().text + text
            out.append(Token(text, _STR + text, marks))
        elif t in _CONTENT:
            shell, content = _split(node)
            out.extend(tokens(content, marks + (shell,)))
        else:
            out.append(Token(pandoc.stringify(node) or " ", json.dumps(node, ensure_ascii=False), marks))
    return tuple(out)


def text_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of plain text (a title, a decision line)."""
    return tokens(pandoc.text(" ".join(text.split())))


def rebuild(toks: tuple[Token, ...] | list[Token], depth: int = 0) -> list[pandoc.Ast]:
    """Pandoc inlines for tokens: neighbours with the same container share one again."""
    out: list[pandoc.Ast] = []
    for shell, group in groupby(toks, key=lambda tok: tok.marks[depth] if len(tok.marks) > depth else None):
        members = list(group)
        if shell is None:
            out.extend(_node(tok.node) for tok in members)
        else:
            out.append(_join(shell, rebuild(members, depth + 1)))
    return out


def _node(node: str) -> pandoc.Ast:
    if node.startswith(_STR):
        return pandoc.word(node[len(_STR):])
    return pandoc.space() if node == SPACE else pandoc.loads(node)


def plain(toks: tuple[Token, ...] | list[Token]) -> str:
    return "".join(tok.text for tok in toks)


def count_words(toks: tuple[Token, ...] | list[Token]) -> int:
    return sum(tok.is_word for tok in toks)


def count_text(text: str) -> int:
    """Words in plain text, counted as tokens are: punctuation alone is no word."""
    return sum(any(ch.isalnum() for ch in word) for word in text.split())


def _split(node: pandoc.Ast) -> tuple[str, list[pandoc.Ast]]:
    index = _CONTENT[node["t"]]
    if index is None:
        return json.dumps({"t": node["t"]}), node["c"]
    c = list(node["c"])
    content, c[index] = c[index], None
    return json.dumps({"t": node["t"], "c": c}, ensure_ascii=False), content


def _join(shell: str, content: list[pandoc.Ast]) -> pandoc.Ast:
    node: dict[str, Any] = json.loads(shell)
    index = _CONTENT[node["t"]]
    if index is None:
        node["c"] = content
    else:
        node["c"][index] = content
    return node
