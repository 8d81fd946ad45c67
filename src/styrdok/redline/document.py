"""The redline as pandoc blocks: a diff laid out in reading order, each change marked by a
format's `Marker`. Shared by the DOCX, HTML and PDF redlines.

Every change belongs to a numbered `Unit` (a changed paragraph or list, a renamed heading, a
whole inserted, deleted or moved section …) so outputs can label it and link to it. Moved text
is shown where it was (MOVED_FROM, as a whole) and where it is now (MOVED_TO), and what was
edited on the way is marked word by word inside the new place, so that accepting every change
gives the new text and rejecting every change the old.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import groupby
from typing import Any, Literal, Protocol

from .. import pandoc, words
from ..diff import (BlockChange, BlockDeleted, BlockInserted, BlockKept, BlockMovedFrom, BlockMovedTo, Blocks, Edit, Kind,
                    ListEdit, Op, PartChange, PartDeleted, PartInserted, PartKept, PolicyDiff, SectionChange,
                    SectionChanged, SectionDeleted, SectionInserted, SectionKept, SectionMovedFrom, SectionMovedTo,
                    TextDiff, diff_lines, diff_text)
from ..model import Block
from ..model import Section
from ..render.document import Presentation, title_blocks
from ..theme import Labels

Ast = pandoc.Ast
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
    """How one output format marks changes in a pandoc document.

    `split_moves`: words deleted from moved text are marked at the old place (the moved-away
    text shows them deleted) rather than inside the new place. For DOCX: LibreOffice cannot show
    a deletion stacked on a move, and a plain deletion at the new place would come back there
    when the changes are rejected.
    """

    split_moves: bool

    def run(self, kind: Kind, inlines: list[Ast], unit: Unit) -> list[Ast]:
        """Inlines inserted, deleted or moved (kind is never EQUAL or CHANGED). Marks nest: moved
        text edited on the way holds the inserted and deleted runs inside its MOVED_TO run."""

    def paragraph(self, kinds: tuple[Kind, ...], unit: Unit) -> list[Ast]:
        """Extra inlines at the end of a paragraph that is there in one version only: inserted,
        deleted, moved (MOVED_FROM, MOVED_TO) or moved and deleted (MOVED_TO, DELETED)."""

    def wrap(self, unit: Unit, blocks: list[Ast], units: Sequence[Unit]) -> list[Ast]:
        """The blocks of one unit, as the output shows them (an anchor, navigation …)."""

    def numbered_list(self, attrs: list[Any], items: list[Numbered]) -> list[Ast]:
        """A changed numbered list (pandoc ListAttributes `attrs`), each item showing its own
        number (see Numbered)."""


@dataclass(frozen=True)
class Numbered:
    """One item of a changed numbered list and the number it shows: its number in the new
    version, or in the old one for an item deleted (or at the old place of moved text), so the
    redline never shows a number that item has in neither version."""

    number: int
    kind: Kind  # the item's own change: EQUAL, CHANGED, INSERTED or DELETED
    blocks: list[Ast]


def ordered_list(attrs: list[Any], items: list[Numbered]) -> list[Ast]:
    """The plain pandoc list, numbered by the reader (Word renumbers as the changes are accepted)."""
    return [{"t": "OrderedList", "c": [attrs, [item.blocks for item in items]]}]


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


def layout(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, marker: Marker,
           labels: Labels | None = None) -> Layout:
    """The title area and the body of the redline, and its numbered changes (`labels` name
    their places: the packaged ones by default)."""
    labels = labels if labels is not None else packaged_labels()
    build = _Builder(marker, diff.sections)
    title = build.title_pieces(old_view, new_view, labels("redline.title_area"))
    body = build.body_pieces(diff.sections, labels)
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


packaged_labels = cache(Labels.packaged)  # when no repository's labels are given


Place = Literal["here", "to", "from"]  # text in its place, moved here, or the old place of moved text
MOVE_KIND: dict[str, Kind] = {"to": Kind.MOVED_TO, "from": Kind.MOVED_FROM}


class _Builder:
    def __init__(self, marker: Marker, sections: Sequence[SectionChange]):
        self.marker = marker
        self.split = marker.split_moves
        self.arrivals = {s.move: s for s in sections if isinstance(s, SectionMovedTo)}
        self.groups = 0

    # --- inlines and blocks ------------------------------------------------------------------

    def text(self, diff: TextDiff, unit: Unit, place: Place = "here") -> list[Ast]:
        """A changed text, word by word. Moved here, the whole of it is inside one MOVED_TO run,
        or — when the marker splits moves — its kept words are, its deleted words are left to
        the old place ("from"), which marks them deleted and its kept words moved away."""
        out: list[Ast] = []
        for run in diff.runs:
            inlines = words.rebuild(run.tokens)
            if place == "here" or (place == "to" and not self.split):
                out += inlines if run.op is Op.EQUAL else self.marker.run(RUN_KIND[run.op], inlines, unit)
            elif run.op is not (Op.DELETE if place == "to" else Op.INSERT):
                kind = RUN_KIND[run.op] if run.op is not Op.EQUAL else Kind.MOVED_TO if place == "to" else Kind.MOVED_FROM
                out += self.marker.run(kind, inlines, unit)
        return self.marker.run(Kind.MOVED_TO, out, unit) if place == "to" and not self.split and out else out

    def _tail(self, place: Place, unit: Unit) -> list[Ast]:
        """The paragraph mark of edited text: moved with it, when it moved."""
        return [] if place == "here" else self.marker.paragraph((MOVE_KIND[place],), unit)

    def changed_text(self, t: str, diff: TextDiff, unit: Unit, place: Place) -> Ast:
        return {"t": t, "c": self.text(diff, unit, place) + self._tail(place, unit)}

    def whole(self, node: Any, kinds: tuple[Kind, ...], unit: Unit) -> Any:
        """A block inserted, deleted or moved as a whole: every paragraph in it marked, the
        marks nested outermost first ((MOVED_TO, DELETED): moved here, then deleted)."""
        if isinstance(node, list):
            return [self.whole(n, kinds, unit) for n in node]
        if not isinstance(node, dict):
            return node
        t = node.get("t")
        if t in ("Para", "Plain"):
            return {"t": t, "c": self._marked(node["c"], kinds, unit)}
        if t == "Header":
            level, attr, inlines = node["c"]
            return {"t": t, "c": [level, attr, self._marked(inlines, kinds, unit)]}
        if t == "LineBlock":
            lines = [self._runs(line, kinds, unit) for line in node["c"]]
            lines[-1] = lines[-1] + self.marker.paragraph(kinds, unit)
            return {"t": t, "c": lines}
        if t == "CodeBlock":  # a code block holds no inlines to mark; show it as code in a paragraph
            return {"t": "Para", "c": self._marked([{"t": "Code", "c": node["c"]}], kinds, unit)}
        return {k: self.whole(v, kinds, unit) for k, v in node.items()}

    def _runs(self, inlines: list[Ast], kinds: tuple[Kind, ...], unit: Unit) -> list[Ast]:
        for kind in reversed(kinds):
            inlines = self.marker.run(kind, inlines, unit)
        return inlines

    def _marked(self, inlines: list[Ast], kinds: tuple[Kind, ...], unit: Unit) -> list[Ast]:
        return (self._runs(inlines, kinds, unit) if inlines else []) + self.marker.paragraph(kinds, unit)

    def _kept(self, old: Any, new: Any, place: Place, unit: Unit) -> Any:
        if place == "here":
            return new
        return self.whole(new if place == "to" else old, (MOVE_KIND[place],), unit)

    def _gone(self, old: Any, place: Place, unit: Unit) -> Any | None:
        """Something deleted: where it was, or in text moved here (unless the old place shows it)."""
        if place == "to":
            return None if self.split else self.whole(old, (Kind.MOVED_TO, Kind.DELETED), unit)
        return self.whole(old, (Kind.DELETED,), unit)

    def block(self, change: BlockChange, unit: Unit | None, place: Place = "here") -> list[Ast]:
        """One block as the redline shows it; `place`: in place, moved here, or moved away."""
        if unit is None:
            return [change.old.ast if isinstance(change, (BlockDeleted, BlockMovedFrom)) else change.new.ast]
        if isinstance(change, BlockKept):
            return [self._kept(change.old.ast, change.new.ast, place, unit)]
        if isinstance(change, BlockInserted):
            return [] if place == "from" else [self.whole(change.new.ast, (Kind.INSERTED,), unit)]
        if isinstance(change, BlockDeleted):
            gone = self._gone(change.old.ast, place, unit)
            return [] if gone is None else [gone]
        if isinstance(change, BlockMovedFrom):
            if self.split and change.edit is not None:
                return self.edited(change.old, change.new, change.edit, unit, "from")
            return [self.whole(change.old.ast, (Kind.MOVED_FROM,), unit)]
        if isinstance(change, BlockMovedTo):
            if change.edit is None:
                return [self.whole(change.new.ast, (Kind.MOVED_TO,), unit)]
            return self.edited(change.old, change.new, change.edit, unit, "to")
        return self.edited(change.old, change.new, change.edit, unit, place)

    def edited(self, old: Block, new: Block, edit: Edit, unit: Unit, place: Place) -> list[Ast]:
        shown = old if place == "from" else new
        if isinstance(edit, TextDiff):
            return [self.changed_text(shown.ast["t"], edit, unit, place)]
        if isinstance(edit, ListEdit):
            return self.list_block(edit, old, new, unit, place)
        node = copy.deepcopy(shown.ast) if place == "here" else self.whole(shown.ast, (MOVE_KIND[place],), unit)
        for inner in edit.inner:
            _put(node, inner.path, self.blocks(inner.blocks.blocks, unit, place))
        return [node]

    def blocks(self, changes: Sequence[BlockChange], unit: Unit, place: Place = "here") -> list[Ast]:
        return [block for change in changes for block in self.block(change, unit, place)]

    def list_block(self, edit: ListEdit, old: Block, new: Block, unit: Unit, place: Place) -> list[Ast]:
        """A changed list, its items in their new order (the old, at the old place of a move)."""
        old_items, new_items = pandoc.list_items(old.ast), pandoc.list_items(new.ast)
        ast = old.ast if place == "from" else new.ast
        if ast["t"] != "OrderedList":
            return [{"t": "BulletList", "c": [item for part in edit.items
                                              if (item := self.item(part, old_items, new_items, unit, place)) is not None]}]
        old_start = old.ast["c"][0][0] if old.ast["t"] == "OrderedList" else 1
        numbered = []
        for part in edit.items:
            item = self.item(part, old_items, new_items, unit, place)
            if item is None:
                continue
            if isinstance(part, PartInserted) or (place != "from" and not isinstance(part, PartDeleted)):
                number = ast["c"][0][0] + part.new
            else:
                number = old_start + part.old
            numbered.append(Numbered(number, part.kind, item))
        return self.marker.numbered_list(ast["c"][0], numbered)

    def item(self, part: PartChange, old: list[Any], new: list[Any], unit: Unit, place: Place) -> list[Ast] | None:
        if isinstance(part, PartKept):
            return self._kept(old[part.old], new[part.new], place, unit)
        if isinstance(part, PartInserted):
            return None if place == "from" else self.whole(new[part.new], (Kind.INSERTED,), unit)
        if isinstance(part, PartDeleted):
            return self._gone(old[part.old], place, unit)
        if isinstance(part.edit, Blocks):
            return self.blocks(part.edit.blocks, unit, place)
        shown = old[part.old] if place == "from" else new[part.new]
        return [self.changed_text(shown[0]["t"], part.edit, unit, place)]

    # --- headings and sections ---------------------------------------------------------------

    def heading(self, change: SectionChange, unit: Unit | None) -> list[Ast]:
        if isinstance(change, SectionKept) or unit is None:
            return [change.shown.heading_ast]
        if isinstance(change, SectionInserted):
            return [self.whole(change.new.heading_ast, (Kind.INSERTED,), unit)]
        if isinstance(change, SectionDeleted):
            return [self.whole(_anonymous(change.old, keep=True), (Kind.DELETED,), unit)]
        if isinstance(change, SectionMovedFrom):
            arrival = self.arrivals.get(change.move)
            if not (self.split and arrival is not None and (arrival.title.changed or arrival.level_changed)):
                return [self.whole(_anonymous(change.old, keep=False), (Kind.MOVED_FROM,), unit)]
            if arrival.level_changed:
                return [self.whole(_anonymous(change.old, keep=False), (Kind.DELETED,), unit)]
            level, attr, _ = _anonymous(change.old, keep=False)["c"]
            return [{"t": "Header", "c": [level, attr, self.text(arrival.title, unit, "from") + self._tail("from", unit)]}]
        place: Place = "to" if isinstance(change, SectionMovedTo) else "here"
        if change.level_changed:
            gone = self._gone(_anonymous(change.old, keep=False), place, unit)
            return ([] if gone is None else [gone]) + [self.whole(change.new.heading_ast, (Kind.INSERTED,), unit)]
        if place == "to" and not change.title.changed:
            return [self.whole(change.new.heading_ast, (Kind.MOVED_TO,), unit)]
        level, attr, _ = change.new.heading_ast["c"]
        return [{"t": "Header", "c": [level, attr, self.text(change.title, unit, place) + self._tail(place, unit)]}]

    def body_pieces(self, sections: Sequence[SectionChange], labels: Labels) -> list[_Piece]:
        pieces: list[_Piece] = []
        for change, where in zip(sections, places(sections, labels)):
            self.groups += 1
            pieces += self._section_pieces(change, where)
        return pieces

    def _section_pieces(self, change: SectionChange, where: str) -> list[_Piece]:
        def piece(render: Callable[[Unit | None], list[Ast]], kind: Kind, move: int | None = None) -> _Piece:
            return _Piece(render, kind, self.groups, where, change.id, move)

        out: list[_Piece] = []
        if change.shown.heading_ast is not None:
            same = isinstance(change, (SectionKept, SectionChanged)) and not (change.renamed or change.level_changed)
            out.append(piece(lambda unit: self.heading(change, unit), Kind.EQUAL if same else change.kind, change.move))
        arrival = self.arrivals.get(change.move) if isinstance(change, SectionMovedFrom) else None
        if arrival is not None and self.split:  # the old text, its deletions marked (see Builder.text)
            out += [piece(self._renders(b, "from"), change.kind, change.move) for b in arrival.blocks]
        elif isinstance(change, SectionMovedFrom):  # the old text, gone from here as a whole
            out += [piece(self._renders(BlockMovedFrom(b, b, change.move, None)), change.kind, change.move)
                    for b in change.old.blocks]
        elif isinstance(change, SectionMovedTo):  # the new text, with what was edited in it
            out += [piece(self._renders(b, "to"), change.kind, change.move) for b in change.blocks]
        else:
            out += [piece(self._renders(b), b.kind, b.move) for b in change.blocks]
        return out

    def _renders(self, change: BlockChange, place: Place = "here") -> Callable[[Unit | None], list[Ast]]:
        return lambda unit: self.block(change, unit, place)

    # --- title area ----------------------------------------------------------------------------

    def title_pieces(self, old: Presentation, new: Presentation, where: str) -> list[_Piece]:
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
        return [_Piece(render, Kind.CHANGED if changed else Kind.EQUAL, self.groups, where)]

    def line(self, part: PartChange, old: Sequence[str], new: Sequence[str], unit: Unit) -> Ast:
        if isinstance(part, PartKept):
            return pandoc.para(pandoc.text(new[part.new]))
        if isinstance(part, PartInserted):
            return pandoc.para(self._marked(pandoc.text(new[part.new]), (Kind.INSERTED,), unit))
        if isinstance(part, PartDeleted):
            return pandoc.para(self._marked(pandoc.text(old[part.old]), (Kind.DELETED,), unit))
        assert isinstance(part.edit, TextDiff)  # a line is one text
        return pandoc.para(self.text(part.edit, unit))


def _put(node: Any, path: tuple[str | int, ...], value: Any) -> None:
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _anonymous(section: Section, *, keep: bool) -> Ast:
    """The old heading; without its id when the new text uses that id too (ids are unique)."""
    level, attr, inlines = section.heading_ast["c"]
    return {"t": "Header", "c": [level, attr if keep else ["", attr[1], attr[2]], inlines]}


def places(sections: Sequence[SectionChange], labels: Labels | None = None) -> list[str]:
    """Each section's place in words: its title, under its level-2 parent's title if deeper."""
    preamble = (labels if labels is not None else packaged_labels())("redline.preamble")
    out: list[str] = []
    parent = ""
    for change in sections:
        section = change.shown
        if section.level == 0:
            out.append(preamble)
            continue
        if section.level <= 2:
            parent = section.title
        out.append(f"{parent} › {section.title}" if section.level > 2 and parent else section.title)
    return out
