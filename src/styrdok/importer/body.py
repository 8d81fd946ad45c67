"""From pandoc's reading of the marked DOCX to the policy text as pandoc blocks.

Every block is traced to its Word paragraph by the marker opening it; the decisions made on
paragraphs (heading and level, metadata to drop, typed bullets) are applied to the blocks, and
what the policy format cannot hold is simplified (images out, tables to one line per cell,
underline and styles to plain text).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import pandoc, source
from ..i18n import _
from .headings import SYMBOL_BULLETS, TYPED_BULLET, Heading, typed_number
from .wordfile import MARK_OPEN, MARKER, WordFile

Ast = pandoc.Ast
REFNR = re.compile(r"^\d+(\.\d+)*$")
BULLETS = "•·▪◦●■□➢►‣⁃-–—*" + SYMBOL_BULLETS + "o"
GONE = object()  # what `clean` returns for an element to remove


@dataclass
class Counts:
    headings: int = 0
    paragraphs: int = 0
    list_items: int = 0
    tables: int = 0
    footnotes: int = 0
    links: int = 0


@dataclass
class Plan:
    """What to do with each Word paragraph, by number."""

    headings: dict[int, Heading] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=dict)  # Markdown level of each heading
    drop: set[int] = field(default_factory=set)
    drop_tables: set[int] = field(default_factory=set)
    bullets: set[int] = field(default_factory=set)
    # typed numbered items ("1)\tText", "a. Text"): paragraph → (its marker, the list's pandoc attributes)
    numbered: dict[int, tuple[str, list]] = field(default_factory=dict)
    strip_refnr: bool = False
    anchors: dict[str, str] = field(default_factory=dict)  # Word bookmark → heading id, for internal links
    keep_heading_inlines: bool = False  # --into: the heading text as pandoc read it (changes applied)
    recase: set[int] = field(default_factory=set)  # headings typed in capitals, written in sentence case
    # filled in by `clean`: (target, text) of links a policy cannot have (file:, \\server …), their text kept
    unlinked: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Body:
    blocks: list[Ast]
    paragraphs: list[int | None]  # the Word paragraph each block starts at
    counts: Counts
    notes: list[tuple[int | None, str]] = field(default_factory=list)  # (paragraph, what was simplified)


def leading_marker(node: Any) -> int | None:
    """The paragraph number of the marker(s) opening a block (the last of several: paragraphs
    whose marks were deleted are merged into the next one)."""
    found: list[int] = []

    def walk(n: Any) -> bool:  # True: stop, real content reached
        if isinstance(n, list):
            return any(walk(x) for x in n)
        if not isinstance(n, dict):
            return False
        t = n.get("t")
        if t == "Str":
            s = n["c"]
            while (m := MARKER.match(s)) is not None:
                found.append(int(m.group(1)))
                s = s[m.end():]
            return bool(s)
        if t in ("Space", "SoftBreak"):
            return bool(found)
        if t in ("Para", "Plain", "Header", "Strong", "Emph", "Underline", "Span", "Link", "Div", "BulletList",
                 "OrderedList", "Table", "Figure", "BlockQuote", "Strikeout", "SmallCaps", "Superscript",
                 "Subscript", "Quoted", "LineBlock"):
            return walk(_children(n))
        return True

    walk(node)
    return found[-1] if found else None


def _children(n: Ast) -> Any:
    t, c = n["t"], n.get("c")
    if c is None:
        return []
    if t == "Header":
        return c[2]
    if t in ("Span", "Div", "Link", "Figure"):
        return c[1]
    if t == "OrderedList":
        return c[1]
    if t == "Quoted":
        return c[1]
    if t == "Table":
        return [cell[4] for body in c[4] for row in body[3] for cell in row[1]] + \
               [cell[4] for row in c[3][1] for cell in row[1]]
    return c


def build(doc: WordFile, ast: Ast, plan: Plan, heading_id: Callable[[int, str], str]) -> Body:
    """The policy blocks from pandoc's blocks and the plan; `heading_id(paragraph, title)` names sections."""
    counts = Counts()
    out: list[Ast] = []
    where: list[int | None] = []
    notes: list[tuple[int | None, str]] = []
    bullets: list[tuple[int, list[Ast]]] = []  # typed bullet paragraphs waiting to become a list
    list_indents: dict[int, tuple[int, int]] = {}  # Word lists in `out`: indentation of their first and last item
    # A heading taken out of a Word list took a number of it: the list's items after it are
    # numbered from 1 in their section, as the reader of the policy sees them (Word's numbers
    # counted the headings). Word list → the numbers to take off in this section (None: not yet known).
    renumber: dict[str, int | None] = {}

    numbered: list[tuple[int, list[Ast]]] = []  # typed numbered paragraphs waiting to become a list
    numbered_at: list[int] = []  # the paragraph the waiting one starts at

    def flush() -> None:
        if bullets:
            out.append(_nested_list(doc, bullets))
            where.append(bullets[0][0])
            counts.list_items += len(bullets)
            bullets.clear()
        if numbered:
            lst = {"t": "OrderedList", "c": [plan.numbered[numbered[0][0]][1],
                                             [[pandoc.plain(inlines)] for _n, inlines in numbered]]}
            counts.list_items += len(numbered)
            numbered.clear()
            if out and out[-1]["t"] == "OrderedList" and out[-1]["c"][0][1:] != lst["c"][0][1:]:
                # "a.", "b." right under "2)": the items of that item (two lists in a row are one in Markdown);
                # the list loose, as a letter list cannot follow its item's text on the next line
                items = out[-1]["c"][1]
                items[-1].append(lst)
                for item in items:
                    if item and item[0]["t"] == "Plain":
                        item[0] = {"t": "Para", "c": item[0]["c"]}
                return
            out.append(lst)
            where.append(numbered_at[0])

    for block in _flatten(ast["blocks"], plan):
        number = leading_marker(block)
        if number is None and block["t"] in ("Para", "Plain") and not pandoc.stringify(block).strip():
            continue
        t = block["t"]
        if t == "Table":
            table = doc.paragraph(number).in_table if number else None
            if table in plan.drop_tables:
                continue
            flush()
            out.append(_table(clean(block, plan), notes, number))
            where.append(number)
            counts.tables += 1
            continue
        if number in plan.drop:
            continue
        if t in ("Para", "Plain", "Header"):
            inlines = clean(block["c"][2] if t == "Header" else block["c"], plan)  # markers out, formatting plain
            if plan.strip_refnr:
                inlines = _without_refnr(inlines)
            if not pandoc.stringify(inlines).strip() and not _has_note(inlines):
                continue
            if number in plan.headings:
                flush()
                heading = plan.headings[number]
                level = plan.levels[number]
                title_inlines = _heading_inlines(inlines, heading, plan)
                if number in plan.recase:
                    title_inlines = pandoc.text(heading.text)
                title = pandoc.stringify(title_inlines).strip()
                out.append(pandoc.header(level, title_inlines, heading_id(number, title)))
                where.append(number)
                counts.headings += 1
                listed = doc.paragraph(number).list_id
                renumber = {listed: None} if listed else {}
                continue
            if number in plan.bullets:
                bullets.append((number, _without_bullet(inlines)))
                continue
            if number in plan.numbered:
                marker, attributes = plan.numbered[number]
                if numbered and attributes != plan.numbered[numbered[0][0]][1] or bullets:
                    flush()
                if not numbered:
                    numbered_at[:] = [number]
                numbered.append((number, _without_marker(inlines, marker)))
                continue
            flush()
            out.append(pandoc.para(_strip_ends(inlines)))
            where.append(number)
            counts.paragraphs += 1
            continue
        flush()
        if t in ("BulletList", "OrderedList"):
            first, last = _item_indents(doc, block)
            lst = _tight(clean(block, plan), plan)
            if not pandoc.list_items(lst):
                continue
            if lst["t"] == "OrderedList" and (word_list := _list_id(doc, block)) in renumber:
                taken = renumber[word_list]
                if taken is None:
                    taken = renumber[word_list] = lst["c"][0][0] - 1
                lst = {"t": "OrderedList", "c": [[max(lst["c"][0][0] - taken, 1), *lst["c"][0][1:]], lst["c"][1]]}
            counts.list_items += _count_items(lst)
            previous = list_indents.get(len(out) - 1)
            if previous and first > previous[1]:  # indented under the list before it (another Word list)
                pandoc.list_items(out[-1])[-1].append(lst)
                continue
            if out and out[-1]["t"] == lst["t"] == "BulletList" or \
                    previous and out[-1]["t"] == lst["t"] == "OrderedList" and _continues(out[-1], lst):
                # in Markdown two lists in a row are one; Word's numbering went on across what came between
                items = pandoc.list_items(out[-1]) + pandoc.list_items(lst)
                out[-1] = {"t": "BulletList", "c": items} if lst["t"] == "BulletList" else \
                    {"t": "OrderedList", "c": [out[-1]["c"][0], items]}
                list_indents[len(out) - 1] = (previous[0] if previous else first, last)
                continue
            list_indents[len(out)] = (first, last)
            out.append(lst)
            where.append(number)
        elif t in ("Figure", "HorizontalRule", "RawBlock", "Null"):
            continue
        else:
            out.append(clean(block, plan))
            where.append(number)
            counts.paragraphs += 1
    flush()
    serial = json.dumps(out)  # one pass over the whole text instead of a walk per kind
    counts.footnotes = serial.count('"t": "Note"')
    counts.links = serial.count('"t": "Link"')
    return Body(out, where, counts, notes)


def _item_indents(doc: WordFile, lst: Ast) -> tuple[int, int]:
    """The indentation (as Word shows it) of a list's first and last item."""
    items = [item for item in pandoc.list_items(lst) if item]
    marks = [leading_marker(items[0][0]) if items else None, leading_marker(items[-1][0]) if items else None]
    first, last = (doc.paragraph(m).indent if m else 0 for m in marks)
    return first, last


def _list_id(doc: WordFile, lst: Ast) -> str | None:
    items = pandoc.list_items(lst)
    marker = leading_marker(items[0][0]) if items and items[0] else None
    return doc.paragraph(marker).list_id if marker else None


def _continues(before: Ast, after: Ast) -> bool:
    """An ordered list numbered on from the one before it (Word: one list, other text between)."""
    return after["c"][0][0] == before["c"][0][0] + len(pandoc.list_items(before))


def _flatten(blocks: list[Ast], plan: Plan) -> list[Ast]:
    """Top-level blocks without Divs; a Word list whose items are all headings (bold lines numbered
    by the list, with text under them) taken apart into those headings and their text."""
    out = []
    for b in blocks:
        if b["t"] == "Div":
            out += _flatten(b["c"][1], plan)
        elif b["t"] in ("BulletList", "OrderedList") and (parts := _heading_list(b, plan)) is not None:
            out += parts
        else:
            out.append(b)
    return out


def _heading_list(lst: Ast, plan: Plan) -> list[Ast] | None:
    """The list's items that are headings, taken out as their paragraphs and what follows them;
    the items before them stay a list. None when no item is a heading."""
    items = pandoc.list_items(lst)

    def heading(item: list[Ast]) -> bool:
        return bool(item) and item[0]["t"] in ("Para", "Plain") and leading_marker(item[0]) in plan.headings

    first = next((i for i, item in enumerate(items) if heading(item)), None)
    if first is None or not all(heading(item) for item in items[first:]):
        return None
    out: list[Ast] = []
    if first:
        out.append({"t": "BulletList", "c": items[:first]} if lst["t"] == "BulletList" else
                   {"t": "OrderedList", "c": [lst["c"][0], items[:first]]})
    for item in items[first:]:
        out.append(item[0])
        for b in item[1:]:
            sub = _heading_list(b, plan) if b["t"] in ("BulletList", "OrderedList") else None
            out += sub if sub is not None else [b]
    return out


def clean(node: Any, plan: Plan) -> Any:
    """Inline formatting the policy format does not have made plain; the paragraph markers,
    images and internal links to nowhere removed; list items tight."""
    if isinstance(node, list):
        out: list[Any] = []
        for n in node:
            c = clean(n, plan)
            if isinstance(c, list) and isinstance(n, dict) and n.get("t") not in ("BulletList",):
                out.extend(c)  # unwrapped inline
            elif c is not GONE:
                out.append(c)
        return _merge_spaces(out)
    if not isinstance(node, dict):
        return node
    t = node.get("t")
    if t == "Str":
        text = node["c"]
        if MARK_OPEN in text:
            text = MARKER.sub("", text)
            return {"t": "Str", "c": text} if text else GONE
        return node if text else GONE
    if t in ("Space", "SoftBreak", "LineBreak"):
        return node
    if t in ("Underline", "SmallCaps"):
        return clean(node["c"], plan)
    if t == "Span":
        return clean(node["c"][1], plan)
    if t == "Image":
        return GONE
    if t == "Link":
        target = node["c"][2][0]
        if target.startswith("#"):
            if (ident := plan.anchors.get(target[1:])) is None:
                return clean(node["c"][1], plan)
            return {"t": "Link", "c": [pandoc.attr(), clean(node["c"][1], plan), [f"#{ident}", ""]]}
        if not source.allowed_link(target):
            plan.unlinked.append((target, pandoc.stringify(node["c"][1]).strip()))
            return clean(node["c"][1], plan)
        return {"t": "Link", "c": [pandoc.attr(), clean(node["c"][1], plan), node["c"][2]]}
    if t == "Note":
        return {"t": "Note", "c": clean(node["c"], plan)}
    if t == "Header":  # a heading inside a container: keep as a bold paragraph
        return pandoc.para([pandoc.strong(clean(node["c"][2], plan))])
    if t == "Div":
        return clean(node["c"][1], plan)
    if t in ("Figure", "RawBlock"):
        return GONE
    if t == "RawInline":  # as `styrdok check` reads it back: text (the writer would drop it)
        return {"t": "Str", "c": node["c"][1]} if node["c"][1] else GONE
    if t in ("Para", "Plain"):  # spaces at either end are not text (Markdown has no way to keep them)
        return {"t": t, "c": _strip_ends(clean(node["c"], plan))}
    return {k: (clean(v, plan) if k == "c" else v) for k, v in node.items()}


def _strip_ends(inlines: list[Any]) -> list[Any]:
    ends = ("Space", "SoftBreak", "LineBreak")
    while inlines and isinstance(inlines[0], dict) and inlines[0].get("t") in ends:
        inlines = inlines[1:]
    while inlines and isinstance(inlines[-1], dict) and inlines[-1].get("t") in ends:
        inlines = inlines[:-1]
    return inlines


def _merge_spaces(inlines: list[Any]) -> list[Any]:
    out: list[Any] = []
    for n in inlines:
        if isinstance(n, dict) and n.get("t") == "Space" and out and isinstance(out[-1], dict) \
                and out[-1].get("t") == "Space":
            continue
        out.append(n)
    return out


def _has_note(inlines: list[Ast]) -> bool:
    return _count(inlines, "Note") > 0


def _count(node: Any, kind: str) -> int:
    if isinstance(node, list):
        return sum(_count(n, kind) for n in node)
    if isinstance(node, dict):
        return (node.get("t") == kind) + sum(_count(v, kind) for v in node.values())
    return 0


def _count_items(lst: Ast) -> int:
    items = pandoc.list_items(lst)
    return sum(1 + sum(_count_items(b) for b in item if b["t"] in ("BulletList", "OrderedList")) for item in items)


def _tight(lst: Ast, plan: Plan) -> Ast:
    """Word lists come back loose (a Para per item); policy lists are tight."""
    items = pandoc.list_items(lst)
    new_items = []
    for item in items:
        if not pandoc.stringify(item).strip() and not _count(item, "Note"):
            continue  # a list paragraph deleted (or, rejected, inserted) with its mark: pandoc leaves it empty
        blocks = []
        for b in item:
            if b["t"] == "Para":
                b = {"t": "Plain", "c": _without_refnr(b["c"]) if plan.strip_refnr else b["c"]}
            elif b["t"] == "Plain" and plan.strip_refnr:
                b = {"t": "Plain", "c": _without_refnr(b["c"])}
            elif b["t"] in ("BulletList", "OrderedList"):
                b = _tight(b, plan)
            blocks.append(b)
        new_items.append(blocks)
    return {"t": "BulletList", "c": new_items} if lst["t"] == "BulletList" else \
        {"t": "OrderedList", "c": [lst["c"][0], new_items]}


def _table(block: Ast, notes: list[tuple[int | None, str]], number: int | None) -> Ast:
    """One line per cell (Markdown pipe tables hold no paragraphs), default widths."""
    c = copy.deepcopy(block["c"])
    joined = False

    def cell(cell_ast: list) -> list:
        nonlocal joined
        blocks = cell_ast[4]
        inlines: list[Ast] = []
        for b in blocks:
            if b["t"] in ("Para", "Plain"):
                part = b["c"]
            elif b["t"] in ("BulletList", "OrderedList"):
                part = pandoc.text("; ".join(pandoc.stringify(i).strip() for i in pandoc.list_items(b)))
            else:
                part = pandoc.text(pandoc.stringify(b).strip())
            if inlines and part:
                inlines.append({"t": "Space"})
                joined = True
            inlines += part
        return [cell_ast[0], cell_ast[1], 1, 1, [pandoc.plain(inlines)] if inlines else []]

    columns = len(c[2])
    merged = False

    def rows(section: list) -> list:
        """The section's rows with merged cells split: the text in the first, the cells it covered
        empty (a pipe table has no merged cells; without this the later cells moved left)."""
        nonlocal merged
        out: list = []
        below: dict[int, int] = {}  # column → rows a cell above still covers
        for attrs, cells in section:
            new, column = [], 0
            queue = list(cells)
            while queue or column < columns and below.get(column):
                if below.get(column):
                    below[column] -= 1
                    new.append(_empty_cell())
                    column += 1
                    continue
                x = queue.pop(0)
                span_rows, span_columns = max(x[2], 1), max(x[3], 1)
                merged = merged or span_rows > 1 or span_columns > 1
                new.append(cell(x))
                new += [_empty_cell() for _ in range(span_columns - 1)]
                for k in range(span_columns):
                    if span_rows > 1:
                        below[column + k] = span_rows - 1
                column += span_columns
            out.append([attrs, new])
        return out

    c[2] = [[spec[0], {"t": "ColWidthDefault"}] for spec in c[2]]
    c[3][1] = rows(c[3][1])
    for body in c[4]:
        body[2] = rows(body[2])
        body[3] = rows(body[3])
    c[5][1] = rows(c[5][1])
    if not c[3][1] and c[4] and c[4][0][3]:  # a pipe table needs a header row: the first row is it
        c[3][1] = [c[4][0][3][0]]
        c[4][0][3] = c[4][0][3][1:]
    if joined:
        notes.append((number, _("table cells of several paragraphs were joined into one line each")))
    if merged:
        notes.append((number, _("merged table cells were split: the text is in the first of them, the others "
                                "are empty")))
    return {"t": "Table", "c": c}


def _empty_cell() -> list:
    return [pandoc.attr(), {"t": "AlignDefault"}, 1, 1, []]


def _without_refnr(inlines: list[Ast]) -> list[Ast]:
    """Inlines without the reference number a remissversion puts first ("2.3 ")."""
    if inlines and inlines[0].get("t") == "Strong" and REFNR.match(pandoc.stringify(inlines[0]["c"]).strip()):
        rest = inlines[1:]
        return rest[1:] if rest and rest[0].get("t") == "Space" else rest
    return inlines


def _unwrap_emphasis(inlines: list[Ast]) -> list[Ast]:
    out: list[Ast] = []
    for n in inlines:
        if n.get("t") in ("Strong", "Emph", "Underline", "SmallCaps"):
            out += _unwrap_emphasis(n["c"])
        elif n.get("t") == "Span":
            out += _unwrap_emphasis(n["c"][1])
        else:
            out.append(n)
    return out


def _heading_inlines(inlines: list[Ast], heading: Heading, plan: Plan) -> list[Ast]:
    """The heading's text from its (cleaned) inlines: emphasis unwrapped, a typed number dropped."""
    flat = _unwrap_emphasis(inlines)
    if plan.keep_heading_inlines:
        return _trim(flat)
    if all(n.get("t") in ("Str", "Space", "SoftBreak", "LineBreak") for n in flat):
        text = pandoc.stringify(flat).strip()
        number, rest = typed_number(text)
        given = heading.typed_number
        if number is None and given and text.startswith(given) and text[len(given):len(given) + 1].isspace():
            rest = text[len(given):]  # a number without a full stop, taken as one in its sequence ("3 Ansvar")
        return pandoc.text(" ".join(rest.split()))
    if heading.typed_number:  # links or notes in the heading: drop the number's tokens only
        while flat and (flat[0].get("t") == "Space" or flat[0].get("t") == "Str" and
                        re.fullmatch(r"[\d.]+", flat[0]["c"])):
            flat = flat[1:]
    return _trim(flat)


def _trim(inlines: list[Ast]) -> list[Ast]:
    while inlines and inlines[0].get("t") in ("Space", "SoftBreak", "LineBreak"):
        inlines = inlines[1:]
    while inlines and inlines[-1].get("t") in ("Space", "SoftBreak", "LineBreak"):
        inlines = inlines[:-1]
    return [{"t": "Space"} if n.get("t") in ("SoftBreak", "LineBreak") else n for n in inlines]


def _without_bullet(inlines: list[Ast]) -> list[Ast]:
    """A typed bullet paragraph's text without its bullet ("•\tText" → "Text")."""
    inlines = _trim(list(inlines))
    if inlines and inlines[0].get("t") == "Str":
        first = inlines[0]["c"]
        rest = "" if first in BULLETS else first[1:] if first[0] in BULLETS.rstrip("o") else first
        inlines = ([{"t": "Str", "c": rest}] if rest else []) + inlines[1:]
    return _trim(inlines)


def _without_marker(inlines: list[Ast], marker: str) -> list[Ast]:
    """A typed numbered paragraph's text without its number ("2)\tText" → "Text")."""
    inlines = _trim(list(inlines))
    if inlines and inlines[0].get("t") == "Str" and inlines[0]["c"].startswith(marker):
        rest = inlines[0]["c"][len(marker):]
        inlines = ([{"t": "Str", "c": rest}] if rest else []) + inlines[1:]
    return _trim(inlines)


def _nested_list(doc: WordFile, items: list[tuple[int, list[Ast]]]) -> Ast:
    """Typed bullets as a list, nested by their indentation."""
    indents = sorted({doc.paragraph(n).indent for n, _ in items})
    root: list[list[Ast]] = []
    stack: list[tuple[int, list[list[Ast]]]] = [(0, root)]
    for number, inlines in items:
        depth = indents.index(doc.paragraph(number).indent)
        while len(stack) > 1 and stack[-1][0] > depth:
            stack.pop()
        if depth > stack[-1][0] and stack[-1][1]:
            sub: list[list[Ast]] = []
            stack[-1][1][-1].append({"t": "BulletList", "c": sub})
            stack.append((depth, sub))
        stack[-1][1].append([pandoc.plain(inlines)])
    return {"t": "BulletList", "c": root}
