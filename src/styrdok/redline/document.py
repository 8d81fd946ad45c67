"""The redline as pandoc blocks: a diff laid out in reading order, each change marked by a
format's `Marker`. Shared by the DOCX, HTML and PDF redlines.

Every change belongs to a numbered `Unit` (a changed paragraph or list, a renamed heading, a
whole inserted, deleted or moved section …) so outputs can label it and link to it. Moved text
is shown whole: deleted where it was, inserted where it is now, so that accepting every change
gives the new text and rejecting every change the old.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any, Protocol

from .. import pandoc, words
from ..diff import BlockChange, Kind, Op, PartChange, PolicyDiff, SectionChange, TextDiff, diff_lines, diff_text
from ..model import Section
from ..render.document import Presentation, title_blocks

Ast = pandoc.Ast
TITLE_AREA = "Titel och beslut"
PREAMBLE = "Inledande text"
RUN_KIND = {Op.INSERT: Kind.INSERTED, Op.DELETE: Kind.DELETED}


@dataclass(frozen=True)
class Unit:
    """One navigable change; `where` names its place in words ("Riktlinjer › Ansvar")."""

    number: int
    kind: Kind
    where: str
    section: str | None = None  # id of its section; None for the title area
    move: int | None = None


class Marker(Protocol):
    """How one output format marks changes in a pandoc document."""

    def run(self, kind: Kind, inlines: list[Ast], unit: Unit) -> list[Ast]:
        """Inlines inserted, deleted or moved (kind is never EQUAL or CHANGED)."""

    def paragraph(self, kind: Kind, unit: Unit) -> list[Ast]:
        """Extra inlines at the end of a paragraph inserted or deleted as a whole."""

    def wrap(self, unit: Unit, blocks: list[Ast], units: Sequence[Unit]) -> list[Ast]:
        """The blocks of one unit, as the output shows them (an anchor, navigation …)."""


@dataclass(frozen=True)
class Layout:
    title: list[Ast]
    body: list[Ast]
    units: tuple[Unit, ...]


@dataclass
class _Piece:
    """Blocks that render once their unit is known; unchanged pieces have kind EQUAL."""

    render: Callable[[Unit | None], list[Ast]]
    kind: Kind
    group: int  # pieces of one section (or of the title area) share a group
    where: str
    section: str | None = None
    move: int | None = None


def layout(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, marker: Marker) -> Layout:
    """The title area and the body of the redline, and its numbered changes."""
    build = _Builder(marker)
    title = build.title_pieces(old_view, new_view)
    body = build.body_pieces(diff.sections)
    units = _number(title + body)
    unit_list = tuple(dict.fromkeys(u for u in units if u is not None))
    return Layout(_render(title, units[:len(title)], marker, unit_list),
                  _render(body, units[len(title):], marker, unit_list), unit_list)


def _number(pieces: list[_Piece]) -> list[Unit | None]:
    """Consecutive changed pieces of one section form a unit; each half of a move is a unit of its own."""
    out: list[Unit | None] = []
    count = 0
    for i, piece in enumerate(pieces):
        prev = pieces[i - 1] if i else None
        if piece.kind is Kind.EQUAL:
            out.append(None)
        elif prev is not None and out[-1] is not None and prev.group == piece.group and prev.move == piece.move:
            out.append(out[-1])
        else:
            count += 1
            out.append(Unit(count, piece.kind, piece.where, piece.section, piece.move))
    kinds: dict[int, set[Kind]] = {}
    for unit, piece in zip(out, pieces):
        if unit is not None:
            kinds.setdefault(unit.number, set()).add(piece.kind)
    return [replace(u, kind=Kind.CHANGED) if u is not None and len(kinds[u.number]) > 1 else u for u in out]


def _render(pieces: list[_Piece], units: list[Unit | None], marker: Marker, all_units: Sequence[Unit]) -> list[Ast]:
    blocks: list[Ast] = []
    for unit, group in groupby(zip(pieces, units), key=lambda pair: pair[1]):
        rendered = [block for piece, _ in group for block in piece.render(unit)]
        blocks += rendered if unit is None else marker.wrap(unit, rendered, all_units)
    return blocks


class _Builder:
    def __init__(self, marker: Marker):
        self.marker = marker
        self.groups = 0

    # --- inlines and blocks ------------------------------------------------------------------

    def text(self, diff: TextDiff, unit: Unit) -> list[Ast]:
        out: list[Ast] = []
        for run in diff.runs:
            inlines = words.rebuild(run.tokens)
            out += inlines if run.op is Op.EQUAL else self.marker.run(RUN_KIND[run.op], inlines, unit)
        return out

    def whole(self, node: Any, kind: Kind, unit: Unit) -> Any:
        """A block inserted, deleted or moved as a whole: every paragraph in it marked."""
        if isinstance(node, list):
            return [self.whole(n, kind, unit) for n in node]
        if not isinstance(node, dict):
            return node
        t = node.get("t")
        if t in ("Para", "Plain"):
            return {"t": t, "c": self._marked(node["c"], kind, unit)}
        if t == "Header":
            level, attr, inlines = node["c"]
            return {"t": t, "c": [level, attr, self._marked(inlines, kind, unit)]}
        if t == "LineBlock":
            lines = [self.marker.run(kind, line, unit) for line in node["c"]]
            lines[-1] = lines[-1] + self.marker.paragraph(kind, unit)
            return {"t": t, "c": lines}
        if t == "CodeBlock":  # a code block holds no inlines to mark; show it as code in a paragraph
            return {"t": "Para", "c": self._marked([{"t": "Code", "c": node["c"]}], kind, unit)}
        return {k: self.whole(v, kind, unit) for k, v in node.items()}

    def _marked(self, inlines: list[Ast], kind: Kind, unit: Unit) -> list[Ast]:
        return (self.marker.run(kind, inlines, unit) if inlines else []) + self.marker.paragraph(kind, unit)

    def block(self, change: BlockChange, unit: Unit | None) -> list[Ast]:
        if change.kind is Kind.EQUAL or unit is None:
            return [change.new.ast]  # type: ignore[union-attr]
        if change.kind in (Kind.DELETED, Kind.MOVED_FROM):
            return [self.whole(change.old.ast, change.kind, unit)]  # type: ignore[union-attr]
        if change.kind in (Kind.INSERTED, Kind.MOVED_TO):
            return [self.whole(change.new.ast, change.kind, unit)]  # type: ignore[union-attr]
        new = change.new.ast  # type: ignore[union-attr]
        if change.words is not None:
            return [{"t": new["t"], "c": self.text(change.words, unit)}]
        if change.items:
            return [self.list_block(change, unit)]
        node = copy.deepcopy(new)
        for inner in change.inner:
            _put(node, inner.path, self.blocks(inner.blocks, unit))
        return [node]

    def blocks(self, changes: Sequence[BlockChange], unit: Unit) -> list[Ast]:
        return [block for change in changes for block in self.block(change, unit)]

    def list_block(self, change: BlockChange, unit: Unit) -> Ast:
        old_ast, new_ast = change.old.ast, change.new.ast  # type: ignore[union-attr]
        items = [self.item(part, pandoc.list_items(old_ast), pandoc.list_items(new_ast), unit) for part in change.items]
        return {"t": "OrderedList", "c": [new_ast["c"][0], items]} if new_ast["t"] == "OrderedList" \
            else {"t": "BulletList", "c": items}

    def item(self, part: PartChange, old: list[Any], new: list[Any], unit: Unit) -> list[Ast]:
        if part.kind is Kind.EQUAL:
            return new[part.new]  # type: ignore[index]
        if part.kind is Kind.INSERTED:
            return self.whole(new[part.new], Kind.INSERTED, unit)  # type: ignore[index]
        if part.kind is Kind.DELETED:
            return self.whole(old[part.old], Kind.DELETED, unit)  # type: ignore[index]
        if part.words is None:
            return self.blocks(part.blocks, unit)
        first = new[part.new][0]  # type: ignore[index]
        return [{"t": first["t"], "c": self.text(part.words, unit)}]

    # --- headings and sections ---------------------------------------------------------------

    def heading(self, change: SectionChange, unit: Unit | None) -> list[Ast]:
        old, new = change.old, change.new
        if change.kind in (Kind.INSERTED, Kind.MOVED_TO):
            return [self.whole(new.heading_ast, change.kind, unit)]  # type: ignore[union-attr, arg-type]
        if change.kind in (Kind.DELETED, Kind.MOVED_FROM):
            return [self.whole(_anonymous(old, keep=change.kind is Kind.DELETED), change.kind, unit)]  # type: ignore[arg-type]
        if unit is None:
            return [new.heading_ast]  # type: ignore[union-attr]
        if change.level_changed:
            return [self.whole(_anonymous(old, keep=False), Kind.DELETED, unit),  # type: ignore[arg-type]
                    self.whole(new.heading_ast, Kind.INSERTED, unit)]  # type: ignore[union-attr]
        level, attr, _ = new.heading_ast["c"]  # type: ignore[union-attr]
        return [{"t": "Header", "c": [level, attr, self.text(change.title, unit)]}]  # type: ignore[arg-type]

    def body_pieces(self, sections: Sequence[SectionChange]) -> list[_Piece]:
        pieces: list[_Piece] = []
        for change, where in zip(sections, places(sections)):
            self.groups += 1
            pieces += self._section_pieces(change, where)
        return pieces

    def _section_pieces(self, change: SectionChange, where: str) -> list[_Piece]:
        def piece(render: Callable[[Unit | None], list[Ast]], kind: Kind, move: int | None = None) -> _Piece:
            return _Piece(render, kind, self.groups, where, change.id, move)

        shown = change.old if change.kind in (Kind.DELETED, Kind.MOVED_FROM) else change.new
        out: list[_Piece] = []
        if shown is not None and shown.heading_ast is not None:
            same = change.kind in (Kind.EQUAL, Kind.CHANGED) and not (change.renamed or change.level_changed)
            kind = Kind.EQUAL if same else change.kind
            out.append(piece(lambda unit: self.heading(change, unit), kind, change.move))
        if change.kind in (Kind.MOVED_FROM, Kind.MOVED_TO):  # shown whole, see the module doc
            whole = change.old if change.kind is Kind.MOVED_FROM else change.new
            out += [piece(lambda unit, b=b: [self.whole(b.ast, change.kind, unit)], change.kind, change.move)  # type: ignore[misc]
                    for b in whole.blocks]  # type: ignore[union-attr]
            return out
        for block in change.blocks:
            out.append(piece(lambda unit, b=block: self.block(b, unit), block.kind, block.move))  # type: ignore[misc]
        return out

    # --- title area ----------------------------------------------------------------------------

    def title_pieces(self, old: Presentation, new: Presentation) -> list[_Piece]:
        """Document type, title and decision lines, changes marked (title_blocks' structure)."""
        doctype, title = diff_text(old.doctype, new.doctype), diff_text(old.title, new.title)
        lines = diff_lines(old.decisions, new.decisions)
        changed = doctype.changed or title.changed or any(p.kind is not Kind.EQUAL for p in lines)

        def render(unit: Unit | None) -> list[Ast]:
            blocks = title_blocks(new)
            if unit is None:
                return blocks
            blocks[0]["c"][1] = [pandoc.para(self.text(doctype, unit))]
            blocks[1]["c"][2] = self.text(title, unit)
            blocks[2]["c"][1] = [self.line(part, old.decisions, new.decisions, unit) for part in lines]
            return blocks

        self.groups += 1
        return [_Piece(render, Kind.CHANGED if changed else Kind.EQUAL, self.groups, TITLE_AREA)]

    def line(self, part: PartChange, old: Sequence[str], new: Sequence[str], unit: Unit) -> Ast:
        if part.kind is Kind.EQUAL:
            return pandoc.para(pandoc.text(new[part.new]))  # type: ignore[index]
        if part.kind is Kind.CHANGED:
            return pandoc.para(self.text(part.words, unit))  # type: ignore[arg-type]
        line = new[part.new] if part.kind is Kind.INSERTED else old[part.old]  # type: ignore[index]
        return pandoc.para(self._marked(pandoc.text(line), part.kind, unit))


def _put(node: Any, path: tuple[str | int, ...], value: Any) -> None:
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _anonymous(section: Section, *, keep: bool) -> Ast:
    """The old heading; without its id when the new text uses that id too (ids are unique)."""
    level, attr, inlines = section.heading_ast["c"]
    return {"t": "Header", "c": [level, attr if keep else ["", attr[1], attr[2]], inlines]}


def places(sections: Sequence[SectionChange]) -> list[str]:
    """Each section's place in words: its title, under its level-2 parent's title if deeper."""
    out: list[str] = []
    parent = ""
    for change in sections:
        section = change.old if change.kind in (Kind.DELETED, Kind.MOVED_FROM) else change.new
        assert section is not None
        if section.level == 0:
            out.append(PREAMBLE)
            continue
        if section.level <= 2:
            parent = section.title
        out.append(f"{parent} › {section.title}" if section.level > 2 and parent else section.title)
    return out
