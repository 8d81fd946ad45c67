"""pandoc's Typst writer in Python: what `pandoc -f json -t typst` prints (pandoc 3.9, its default
options: `smart`, lines wrapped at 72 columns), byte for byte, for the blocks and inlines policies
and redlines are made of.

A 100-page redline is a second of pandoc's writer on the PDF's critical path and a tenth of that
here. A document with anything else (tables, images, code, math, citations, Typst attributes, or
characters whose width on a line is not plainly one column) raises `Unsupported`, and pandoc writes
it (`pandoc.write`). `tests/test_typst_writer.py` holds this module to pandoc's own output.

Two parts, each a port: the writer (pandoc's Text.Pandoc.Writers.Typst) makes a document of
layout tokens, and `render` lays them out as doclayout's `render (Just 72)` does. A document is a
list of tokens: a `str` is text, the rest are the markers below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Unsupported", "write"]

COLUMNS = 72


class Unsupported(Exception):
    """The document holds something this writer does not write as pandoc does: let pandoc write it."""


class _Mark:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


SPACE = _Mark("space")  # a space, or a line break where the line is full; nothing at a line's start
CR = _Mark("cr")  # a new line unless at the start of one
NEWLINE = _Mark("newline")


@dataclass(frozen=True, slots=True)
class Blank:
    """At least `lines` blank lines before what follows."""

    lines: int


@dataclass(frozen=True, slots=True)
class AfterBreak:
    """Text printed only at the start of a line (an escape that only matters there)."""

    text: str


@dataclass(frozen=True, slots=True)
class Prefixed:
    """`tokens`, with `prefix` before each of their lines (a list item's indent)."""

    prefix: str
    tokens: list[Any]


BLANK = Blank(1)
Doc = list[Any]


# --- layout: doclayout's normalize and render, for text of one column a character ---------------

def _merged(a: Any, b: Any) -> Any:
    """What doclayout's `normalize` makes of two adjacent tokens, or None when both stay."""
    if a is SPACE:
        return b if (b is CR or b is NEWLINE or b is SPACE or type(b) is Blank) else None
    if a is CR:
        return a if (b is CR or b is SPACE) else b if type(b) is Blank else None
    if a is NEWLINE:
        return a if (b is SPACE or b is CR) else b if type(b) is Blank else None
    if type(a) is Blank:
        if type(b) is Blank:
            return a if a.lines >= b.lines else b
        return a if (b is SPACE or b is CR or b is NEWLINE) else None
    return None


def _empty(token: Any) -> bool:
    """A Prefixed of nothing: doclayout's `flatten` leaves nothing of it."""
    return type(token) is Prefixed and all(_empty(inner) for inner in token.tokens)


def _normalize(tokens: Doc) -> Doc:
    out: Doc = []
    current: Any = None
    for token in tokens:
        if type(token) is str:
            if current is not None:
                out.append(current)
            current = token
        elif type(token) is Prefixed and _empty(token):
            continue
        elif current is None:
            current = token
        elif type(current) is not str and (merged := _merged(current, token)) is not None:
            current = merged
        else:
            out.append(current)
            current = token
    if current is NEWLINE or type(current) is Blank:
        out.append(CR)
    elif current is not None and current is not SPACE:
        out.append(current)
    return out


class _Layout:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.prefix = ""
        self.column = 0
        self.newlines = 2

    def newline(self) -> None:
        if self.column == 0 and self.prefix:
            self.out.append(self.prefix.rstrip())
        self.out.append("\n")
        self.column = 0
        self.newlines += 1

    def text(self, text: str) -> None:
        if self.column == 0 and self.prefix:
            self.out.append(self.prefix)
            self.column = len(self.prefix)
        self.out.append(text)
        self.column += len(text)
        self.newlines = 0

    def render(self, tokens: Doc) -> None:
        out, text = self.out, self.text
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            i += 1
            if type(token) is str:
                if self.column:  # (text() inlined: most tokens are words in mid-line)
                    out.append(token)
                    self.column += len(token)
                    self.newlines = 0
                else:
                    text(token)
            elif token is SPACE:
                width, j = 0, i
                while j < n:
                    following = tokens[j]
                    if type(following) is str:
                        width += len(following)
                    elif following is SPACE or following is CR or following is NEWLINE or type(following) is Blank:
                        break
                    j += 1
                if self.column + 1 + width > COLUMNS:
                    self.newline()
                elif self.column > 0:
                    out.append(" ")
                    self.column += 1
                    self.newlines = 0
            elif token is CR:
                if self.newlines == 0:
                    self.newline()
            elif token is NEWLINE:
                self.newline()
            elif type(token) is Blank:
                for _line in range(1 + token.lines - self.newlines):
                    self.newline()
            elif type(token) is AfterBreak:
                if self.newlines > 0:
                    text(token.text)
            else:  # Prefixed
                outer = self.prefix
                self.prefix = outer + token.prefix
                self.render(_normalize(token.tokens))
                self.prefix = outer


# Characters one column wide in doclayout's reckoning (ASCII, Latin-1 to Latin Extended-B, IPA,
# spacing modifiers, common punctuation): a document with any other is left to pandoc.
_OTHER_WIDTH = re.compile("[^\n\x20-\x7e\xa0-\xac\xae-\u02ff–—‘’‚“”„†‡•…‰′″‹›€™№−]")


def render(doc: Doc) -> str:
    layout = _Layout()
    layout.render(_normalize(doc))
    text = "".join(layout.out)
    if _OTHER_WIDTH.search(text):
        raise Unsupported("a character of another width")
    return text


# --- the writer: pandoc's Typst writer, token for token ------------------------------------------

def literal(text: str) -> Doc:
    """doclayout's `literal`: lines of text with a newline between them."""
    if "\n" not in text:
        return [text] if text else []
    out: Doc = []
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append(NEWLINE)
        if line:
            out.append(line)
    return out


def above(x: Doc, y: Doc) -> Doc:
    """`x $$ y`."""
    return x + [CR] + y if x and y else x or y


def vcat(docs: list[Doc], between: Any = CR) -> Doc:
    out: Doc = []
    for doc in docs:
        if doc:
            if out:
                out.append(between)
            out.extend(doc)
    return out


def chomp(doc: Doc) -> Doc:
    """Without trailing spaces, new lines and blank lines."""
    doc = list(doc)
    while doc:
        last = doc[-1]
        if last is SPACE or last is CR or last is NEWLINE or type(last) is Blank:
            doc.pop()
        else:
            if type(last) is Prefixed:
                doc[-1] = Prefixed(last.prefix, chomp(last.tokens))
            break
    return doc


def nowrap(doc: Doc) -> Doc:
    return [" " if token is SPACE else token for token in doc]


def brackets(doc: Doc) -> Doc:
    return ["[", *doc, "]"]


def parens(doc: Doc) -> Doc:
    return ["(", *doc, ")"]


def double_quoted(text: str) -> Doc:
    return ['"', *literal(text.replace("\\", "\\\\").replace('"', '\\"')), '"']


_SPECIAL = re.compile("[\xa0’—–'\"\\[\\]#<>@$\\\\`_*~]|--|//")
_SPECIAL_TERM = re.compile("[\xa0’—–'\"\\[\\]#<>@$\\\\`_*~:]|--|//")
_ESCAPED = {"\xa0": "~", "’": "'", "—": "---", "–": "--"}
_ORDERED_MARKER = re.compile(r"[0-9]+\.")
_NEEDS_ESCAPE = re.compile("^[;/+=-]|^[0-9]+\\.$|[\n\xa0’—–'\"\\[\\]#<>@$\\\\`_*~]|--|//")


def escape(text: str, term: bool = False) -> Doc:
    """pandoc's escapeTypst (with `smart`), `term` in a definition list's term (where ':' ends it)."""
    first = text[:1]
    out: Doc = []
    if first == ";":
        out.append("\\")
    elif (first and first in "/+-=") or _ORDERED_MARKER.fullmatch(text):
        out.append(AfterBreak("\\"))
    if (_SPECIAL_TERM if term else _SPECIAL).search(text):
        chars = []
        last = "\n"
        special = "\xa0’—–'\"[]#<>@$\\`_*~:" if term else "\xa0’—–'\"[]#<>@$\\`_*~"
        for c in text:
            if c in special:
                chars.append(_ESCAPED.get(c) or "\\" + c)
            elif (c == "-" or c == "/") and last == c:
                chars.append("\\" + c)
            else:
                chars.append(c)
            last = c
        text = "".join(chars)
    out.extend(literal(text))
    return out


def _ident_char(c: str) -> bool:
    return c in "_-.:" or ("a" + c).isidentifier()


def label(ident: str, argument: bool = False) -> Doc:
    """pandoc's toLabel: `<ident>`, or `#label("…")` (`label("…")` as an argument)."""
    if not ident:
        return []
    if "%" in ident:  # pandoc URL-decodes it first
        raise Unsupported("an identifier with %")
    if all(_ident_char(c) for c in ident):
        return ["<", *literal(ident), ">"]
    return ["label" if argument else "#label", *parens(double_quoted(ident))]


def _typst_attributes(kvs: list[list[str]]) -> None:
    if any(key.startswith("typst:") or key == "lang" for key, _value in kvs):
        raise Unsupported("Typst attributes")


_SPACEY = frozenset(("Space", "SoftBreak", "LineBreak"))
_STYLES = {"Strikeout": "#strike", "Emph": "#emph", "Underline": "#underline", "Strong": "#strong",
           "Superscript": "#super", "Subscript": "#sub", "SmallCaps": "#smallcaps"}


class _Writer:
    def __init__(self) -> None:
        self.term = False

    def inlines(self, inlines: list[Any]) -> Doc:
        out: Doc = []
        skip = False  # the inline after a space is not checked for "(" (pandoc's escapeParens)
        for n, node in enumerate(inlines):
            tag = node["t"]
            if tag == "Str":
                text = node["c"]
                if not skip and text.startswith("("):
                    out.append("\\")
                if self.term or _NEEDS_ESCAPE.search(text):
                    out.extend(escape(text, self.term))
                elif text:
                    out.append(text)
            elif tag == "Space" or tag == "SoftBreak":
                out.append(SPACE)
            elif tag == "LineBreak":
                out.extend((SPACE, "\\", CR))
            else:
                out.extend(self.inline(tag, node.get("c")))
            skip = not skip and tag in _SPACEY and n + 1 < len(inlines)
        return out

    def inline(self, tag: str, c: Any) -> Doc:
        if tag in _STYLES:
            inner = self.inlines(c)
            if inner and type(inner[0]) is AfterBreak and inner[0].text == "\\":
                inner[0] = "\\"
            return [_STYLES[tag], *brackets(inner)]
        if tag == "RawInline":
            return literal(c[1]) if c[0] == "typst" else []
        if tag == "Span":
            (ident, classes, kvs), inner = c
            _typst_attributes(kvs)
            contents = self.inlines(inner)
            if "mark" in classes:
                contents = ["#highlight", *brackets(contents)]
            return contents + label(ident)
        if tag == "Quoted":
            mark = '"' if c[0]["t"] == "DoubleQuote" else "'"
            return [mark, *self.inlines(c[1]), mark]
        if tag == "Link":
            (_ident, _classes, kvs), inner, (src, _title) = c
            if next((v for k, v in kvs if k == "reference-type"), None) == "ref" and src.startswith("#"):
                ident = src[1:]
                if all(_ident_char(ch) for ch in ident):
                    return ["@", *literal(ident)]
                return ["#ref", *parens(label(ident, argument=True))]
            contents = self.inlines(inner)
            dest = label(src[1:], argument=True) if src.startswith("#") else double_quoted(src)
            shown = [] if inner == [{"t": "Str", "c": src}] else nowrap(brackets(contents))
            return ["#link", *parens(dest), *shown]
        if tag == "Note":
            return ["#footnote", *brackets(chomp(self.blocks(c)))]
        raise Unsupported(tag)

    def blocks(self, blocks: list[Any]) -> Doc:
        return vcat([self.block(block) for block in blocks])

    def block(self, block: Any) -> Doc:
        tag, c = block["t"], block.get("c")
        if tag == "Para":
            return above(self.inlines(c), [BLANK])
        if tag == "Plain":
            return self.inlines(c)
        if tag == "Header":
            level, (ident, classes, _kvs), inner = c
            contents = self.inlines(inner)
            attributes = (["outlined: false"] if "unlisted" in classes else []) + (
                ["numbering: none"] if "unnumbered" in classes else [])
            if not attributes:
                return nowrap(["=" * level, SPACE, *contents]) + [CR] + label(ident)
            return ["#heading", *parens(literal(", ".join([f"level: {level}", *attributes]))),
                    *brackets(contents), CR, *label(ident)]
        if tag == "BulletList":
            return self.list_items(c, "-")
        if tag == "OrderedList":
            (start, style, delim), items = c
            listed = self.list_items(items, "+", blank=False)
            if not ((start, style["t"], delim["t"]) in ((1, "DefaultStyle", "DefaultDelim"), (1, "Decimal", "Period"))):
                numbering = ["#set enum", *parens(["numbering: ", *double_quoted(_first_marker(style["t"], delim["t"])),
                                                   ", start: ", str(start)])]
                listed = above(["#block["], above(numbering, above(listed, ["]"])))
            return above(listed, [BLANK])
        if tag == "RawBlock":
            return literal(c[1]) if c[0] == "typst" else []
        if tag == "BlockQuote":
            return above(["#quote(block: true)["], above(chomp(self.blocks(c)), above(["]"], [BLANK])))
        if tag == "HorizontalRule":
            return [BLANK, "#horizontalrule", BLANK]
        if tag == "LineBlock":
            lines = [inline for n, line in enumerate(c) for inline in ([{"t": "LineBreak"}] if n else []) + line]
            return self.inlines(lines) + [BLANK]
        if tag == "DefinitionList":
            return above(vcat([self.definition(term, definitions) for term, definitions in c], BLANK), [BLANK])
        if tag == "Div":
            (ident, _classes, kvs), inner = c
            if inner and inner[0]["t"] == "Header" and not inner[0]["c"][1][0]:
                level, (_none, classes, header_kvs), header_inlines = inner[0]["c"]
                header = {"t": "Header", "c": [level, [ident, classes, header_kvs], header_inlines]}
                return self.blocks([header, *inner[1:]])
            _typst_attributes(kvs)
            lab = label(ident)
            return above(["#block["], above(self.blocks(inner), ["]", SPACE, *lab] if lab else ["]"]))
        raise Unsupported(tag)

    def list_items(self, items: list[list[Any]], marker: str, blank: bool = True) -> Doc:
        docs = []
        for item in items:
            contents = self.blocks(item)
            docs.append(chomp([marker, SPACE, *([Prefixed("  ", contents)] if contents else [])]))
        listed = vcat(docs, CR if _tight(items) else BLANK)
        return above(listed, [BLANK]) if blank else listed

    def definition(self, term: list[Any], definitions: list[list[Any]]) -> Doc:
        self.term = True
        try:
            written = self.inlines(term)
        finally:
            self.term = False
        body = chomp(vcat([self.blocks(blocks) for blocks in definitions], BLANK))
        return above(above(nowrap(["/ ", *written, ": ", "#block["]), body), ["]"])


def _tight(items: list[list[Any]]) -> bool:
    """pandoc's isTightList."""
    def plain(item: list[Any]) -> bool:
        if not item or item[0]["t"] == "Plain":
            return True
        return len(item) == 1 and item[0]["t"] in ("BulletList", "OrderedList") and _tight(
            item[0]["c"] if item[0]["t"] == "BulletList" else item[0]["c"][1])
    return all(plain(item) for item in items)


_NUMERALS = {"UpperAlpha": "A", "LowerAlpha": "a", "UpperRoman": "I", "LowerRoman": "i"}


def _first_marker(style: str, delim: str) -> str:
    number = _NUMERALS.get(style, "1")
    return f"({number})" if delim == "TwoParens" else number + (")" if delim == "OneParen" else ".")


def write(blocks: list[Any]) -> str:
    """The Typst pandoc writes for `blocks` (with adjacent Str merged, as `pandoc.normalize` does)."""
    try:
        text = render(_Writer().blocks(blocks))
    except (KeyError, TypeError, ValueError, IndexError, RecursionError) as exc:  # no AST this writer knows
        raise Unsupported(repr(exc)) from None
    return text if text.endswith("\n") else text + "\n"  # (pandoc ends its output with one)
