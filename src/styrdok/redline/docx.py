"""DOCX redline: the look of the final DOCX, every change a native Word tracked change.

pandoc's DOCX writer turns Spans of class `insertion`/`deletion` (with `author` and `date`)
into `w:ins`/`w:del` runs; the rest is finished here, in the document XML:

- pandoc never tracks a paragraph mark, so a paragraph inserted or deleted as a whole would
  leave an empty paragraph behind when the change is rejected or accepted. Such paragraphs get
  an empty marker Span (a bookmark in the DOCX); afterwards the paragraph's mark is tracked
  too (`w:pPr/w:rPr/w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`), table rows likewise.
- Moved text is Word's own move (ECMA-376 §17.13.5): it leaves pandoc as an insertion or
  deletion whose author names the move, and becomes `w:moveFrom`/`w:moveTo` (text in `w:t`,
  never `w:delText`, inside `w:moveFrom`), enclosed in a pair of `w:moveFromRangeStart`/`End`
  (or `moveTo…`) sharing the move's `w:name`. Words inserted into moved text are `w:ins`
  beside the `w:moveTo` runs, inside the new place's range; words deleted from it are `w:del`
  beside the `w:moveFrom` runs at the old place (DocxMarker.split_moves): LibreOffice shows a
  deletion stacked on a move or an insertion as plain text, and a plain deletion at the new
  place would come back there when every change is rejected.
- Every revision and range id is made unique in the document (Word calls a file with two
  equal ids unreadable).
- Numbered lists stay one Word list, which Word numbers as the changes are accepted: a deleted
  item shows the number it had, the items after it their new numbers. LibreOffice (7.4) counts
  an item holding a deleted word as deleted, and so the item a deleted item's paragraph mark
  joins, so every later number would be one too low ("[2.] [3.] 2."); such an item and the
  items after it go on in new numbering instances that start at the right numbers (see
  _restart_numbering). The item itself shows its number in LibreOffice's brackets ("[2.]").
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from .. import pandoc
from ..diff import Kind
from ..render.docx import render_docx
from ..render.docx_package import NUMBERING, Package
from ..templates import Templates
from ..wordstyles import SUMMARY_STYLE  # a name, like the other styles, not a label
from ..render.document import Presentation
from .document import Layout, Unit, ordered_list
from .summary import Summary, summary_blocks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARK = "styrdok-mark-"  # bookmark names of paragraphs whose mark is tracked
MOVE = "styrdok-move:"  # author prefix of the runs that become w:moveFrom / w:moveTo
TAGS = {Kind.INSERTED: "ins", Kind.DELETED: "del", Kind.MOVED_FROM: "moveFrom", Kind.MOVED_TO: "moveTo"}
MARK_ORDER = ("ins", "del", "moveFrom", "moveTo")  # the order CT_ParaRPr wants them in
ROW_TAG = {"ins": "ins", "del": "del", "moveFrom": "del", "moveTo": "ins"}  # rows have no move marks
REVISIONS = tuple(f"{{{W}}}{t}" for t in (*MARK_ORDER, "pPrChange"))


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class DocxMarker:
    """Marks changes as the Spans pandoc's DOCX writer turns into tracked changes."""

    split_moves = True  # see redline.document.Marker

    def __init__(self, author: str, date: datetime):
        self.author = author
        self.date = word_date(date)
        self.marks = 0

    def run(self, kind: Kind, inlines: list[pandoc.Ast], unit: Unit) -> list[pandoc.Ast]:
        author = self.author
        if kind in (Kind.MOVED_FROM, Kind.MOVED_TO):
            author = f"{MOVE}{TAGS[kind]}:{unit.move}:{author}"
        removing = kind in (Kind.DELETED, Kind.MOVED_FROM)
        return [pandoc.span(inlines, classes=["deletion" if removing else "insertion"], author=author, date=self.date)]

    def paragraph(self, kinds: tuple[Kind, ...], unit: Unit) -> list[pandoc.Ast]:
        self.marks += 1
        tags = "_".join(TAGS[k] for k in kinds)
        return [pandoc.span([], ident=f"{MARK}{tags}-{unit.move or 0}-{self.marks}")]

    def wrap(self, unit: Unit, blocks: list[pandoc.Ast], units: Sequence[Unit]) -> list[pandoc.Ast]:
        return blocks

    numbered_list = staticmethod(ordered_list)  # Word numbers the items itself (see _restart_numbering)


def word_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


PAGE_BREAK = {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}


def render_redline_docx(layout: Layout, view: Presentation, summary: Summary, templates: Templates,
                        marker: DocxMarker) -> bytes:
    """The summary (untracked: it is about the changes, not one of them), a page break, then
    the marked document."""
    return render_docx(_summary(summary) + [PAGE_BREAK] + layout.title + layout.body, view, templates,
                       edit=lambda package: track_document(package, marker.author, marker.date))


def _summary(summary: Summary) -> list[pandoc.Ast]:
    """The summary in paragraphs of its own style (headings as bold paragraphs, list items as
    paragraphs), so that reading the DOCX back (styrdok import --into) leaves it out."""
    out: list[pandoc.Ast] = []
    for block in summary_blocks(summary):
        if block["t"] == "Header":
            out.append(pandoc.para([{"t": "Strong", "c": block["c"][2]}]))
        elif block["t"] == "BulletList":
            out += [pandoc.para([*pandoc.text("– "), *item[0]["c"]]) for item in block["c"]]
        else:
            out.append(block)
    return [pandoc.div(out, custom_style=SUMMARY_STYLE)]


def track_document(package: Package, author: str, date: str) -> None:
    """Finish pandoc's DOCX in its package (render_docx's edit): paragraph marks, moves and unique
    ids (see the module doc)."""
    numbering = package.document.related(NUMBERING)
    _track(package.document.element, numbering.element if numbering is not None else None, author, date)


def _track(root: etree._Element, numbering: etree._Element | None, author: str, date: str) -> bool:
    """Track the document's paragraph marks and moves, make its ids unique; whether `numbering` changed."""
    order = {p: i for i, p in enumerate(root.iter(_w("p")))}
    moves: dict[tuple[str, int], list[etree._Element]] = {}  # (moveFrom|moveTo, move) → its paragraphs
    tracked = _paragraph_marks(root, author, date, moves)
    _rows(root, tracked, author, date)
    _moves(root, author, moves)
    renumbered = numbering is not None and _restart_numbering(root, numbering, author, date)
    next_id = _renumber(root)
    for (tag, move), paragraphs in sorted(moves.items(), key=lambda m: (order[min(m[1], key=order.__getitem__)], m[0])):
        first, last = min(paragraphs, key=order.__getitem__), max(paragraphs, key=order.__getitem__)
        attrs = {_w("id"): str(next_id), _w("name"): f"move{move}", _w("author"): author, _w("date"): date}
        # Around the paragraphs, as Word writes them, so the moved paragraph marks are inside too.
        first.addprevious(etree.Element(_w(f"{tag}RangeStart"), attrs))
        last.addnext(etree.Element(_w(f"{tag}RangeEnd"), {_w("id"): str(next_id)}))
        next_id += 1
    return renumbered


def _paragraph_marks(root: etree._Element, author: str, date: str,
                     moves: dict[tuple[str, int], list[etree._Element]]) -> dict[etree._Element, tuple[str, ...]]:
    """Track the marks of the marked paragraphs (and drop the marker bookmarks)."""
    ends = {end.get(_w("id")): end for end in root.iter(_w("bookmarkEnd"))}
    tracked: dict[etree._Element, tuple[str, ...]] = {}
    for start in list(root.iter(_w("bookmarkStart"))):
        name = start.get(_w("name"), "")
        if not name.startswith(MARK):
            continue
        tags_text, move, _ = name.removeprefix(MARK).rsplit("-", 2)
        tags = tuple(t for t in MARK_ORDER if t in tags_text.split("_"))
        paragraph = next(start.iterancestors(_w("p")))
        tracked[paragraph] = tags
        props = _properties(paragraph, "pPr", "rPr", before=("sectPr", "pPrChange"))
        for position, tag in enumerate(tags):  # w:ins … w:moveTo come first in a paragraph mark's properties
            if props.find(_w(tag)) is None:
                props.insert(position, etree.Element(_w(tag), {_w("id"): "0", _w("author"): author, _w("date"): date}))
            if tag in ("moveFrom", "moveTo"):
                moves.setdefault((tag, int(move)), []).append(paragraph)
        for element in (start, ends.get(start.get(_w("id")))):
            if element is not None:
                element.getparent().remove(element)
    return tracked


def _rows(root: etree._Element, tracked: dict[etree._Element, tuple[str, ...]], author: str, date: str) -> None:
    """A row all of whose paragraphs came or went came or went itself."""
    for row in root.iter(_w("tr")):
        marks = {tracked.get(p) for p in row.iter(_w("p"))}
        if len(marks) != 1 or (tags := marks.pop()) is None:
            continue
        props = _properties(row, "trPr", None, before=("tc",))
        for tag in ("ins", "del"):
            if tag in {ROW_TAG[t] for t in tags} and props.find(_w(tag)) is None:
                props.append(etree.Element(_w(tag), {_w("id"): "0", _w("author"): author, _w("date"): date}))


def _moves(root: etree._Element, author: str, moves: dict[tuple[str, int], list[etree._Element]]) -> None:
    """pandoc's insertions and deletions that stand for moved text become Word's move marks."""
    for element in list(root.iter(_w("ins"), _w("del"))):
        name = element.get(_w("author"), "")
        if not name.startswith(MOVE):
            continue
        tag, move, _ = name.removeprefix(MOVE).split(":", 2)
        moves.setdefault((tag, int(move)), []).append(next(element.iterancestors(_w("p"))))
        element.tag = _w(tag)
        element.set(_w("author"), author)
        if tag == "moveFrom":  # moved-away text is text, not deleted text
            for text in element.iter(_w("delText")):
                text.tag = _w("t")


@dataclass
class _List:
    """A numbered list while _restart_numbering walks it."""

    start: int
    target: str  # the w:numId its paragraphs now get
    new: int = 0  # level-0 items so far in the new version
    old: int = 0  # … and in the old
    pending: bool = False  # the last item of the new version was one LibreOffice leaves out
    rejected_differently: bool = False  # a restart starts where the old version numbers otherwise


def _restart_numbering(root: etree._Element, numbering: etree._Element, author: str, date: str) -> bool:
    """A numbered item that LibreOffice leaves out of the new version's numbering (it holds
    deleted or moved-away words, or a deleted item's paragraph mark joins it) gets an instance
    of its list (same w:abstractNum) of its own that starts at its number in the new version,
    and the items after it another: so LibreOffice shows it "[2.]" and numbers the rest right.
    Where the old version numbers a restarted item differently, the switched paragraphs carry
    their old list in w:pPrChange, so rejecting the changes in Word numbers them as before.
    Returns whether anything changed."""
    nums = {n.get(_w("numId")): n for n in numbering.iter(_w("num"))}
    abstracts = {a.get(_w("abstractNumId")): a for a in numbering.iter(_w("abstractNum"))}

    def level0(num_id: str) -> tuple[bool, int]:
        """Whether the list is numbered (not bullets) at level 0, and its start there."""
        num = nums.get(num_id)
        if num is None:
            return False, 1
        abstract = abstracts.get(num.find(_w("abstractNumId")).get(_w("val")))
        lvl = abstract.find(f"{{{W}}}lvl[@{{{W}}}ilvl='0']") if abstract is not None else None
        if lvl is None or lvl.find(_w("numFmt")) is None or lvl.find(_w("numFmt")).get(_w("val")) in ("bullet", "none"):
            return False, 1
        override = num.find(f"{{{W}}}lvlOverride[@{{{W}}}ilvl='0']/{{{W}}}startOverride")
        start = override if override is not None else lvl.find(_w("start"))
        return True, int(start.get(_w("val"))) if start is not None else 1

    lists: dict[str, _List] = {}
    switched: list[tuple[etree._Element, str]] = []  # (w:numId element, the list it belonged to)
    next_id = max((int(n) for n in nums if n and n.isdigit()), default=0) + 1
    after_deleted_mark = False  # LibreOffice also leaves out the paragraph a deleted paragraph mark joins
    for paragraph in root.iter(_w("p")):
        joined, after_deleted_mark = after_deleted_mark, paragraph.find(
            f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}del") is not None or paragraph.find(f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}moveFrom") is not None
        num_element = paragraph.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId")
        if num_element is None:
            continue
        original = num_element.get(_w("val"), "")
        ordered, start = level0(original)
        if not ordered:
            continue
        state = lists.setdefault(original, _List(start, original))
        ilvl = paragraph.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}ilvl")
        mark = paragraph.find(f"{{{W}}}pPr/{{{W}}}rPr")
        marks = {c.tag for c in mark} if mark is not None else set()
        in_new = not marks & {_w("del"), _w("moveFrom")}
        in_old = not marks & {_w("ins"), _w("moveTo")}
        top = ilvl is None or ilvl.get(_w("val")) == "0"
        left_out = in_new and (joined or any(e.getparent().tag != _w("rPr")
                                             for e in paragraph.iter(_w("del"), _w("moveFrom"))))
        if top and in_new and (state.pending or left_out):
            number = state.start + state.new
            state.target = str(next_id)
            next_id += 1
            numbering.append(_restarted(state.target, nums[original], number))
            state.rejected_differently |= state.start + state.old != number
        if top:
            state.new += in_new
            state.old += in_old
        if state.target != original:
            num_element.set(_w("val"), state.target)
            switched.append((num_element, original))
        if in_new:
            state.pending = left_out
    for num_element, original in switched:
        if lists[original].rejected_differently:
            props = num_element.getparent().getparent()
            before = copy.deepcopy(props)
            for child in list(before):
                if child.tag in (_w("rPr"), _w("sectPr"), _w("pPrChange")):
                    before.remove(child)
            before.find(f"{{{W}}}numPr/{{{W}}}numId").set(_w("val"), original)
            change = etree.SubElement(props, _w("pPrChange"), {_w("id"): "0", _w("author"): author, _w("date"): date})
            change.append(before)
    return bool(switched)


def _restarted(num_id: str, like: etree._Element, start: int) -> etree._Element:
    """A new instance of `like`'s list whose level 0 starts at `start`."""
    num = etree.Element(_w("num"), {_w("numId"): num_id})
    etree.SubElement(num, _w("abstractNumId"), {_w("val"): like.find(_w("abstractNumId")).get(_w("val"))})
    override = etree.SubElement(num, _w("lvlOverride"), {_w("ilvl"): "0"})
    etree.SubElement(override, _w("startOverride"), {_w("val"): str(start)})
    return num


def _properties(parent: etree._Element, props: str, inner: str | None, before: tuple[str, ...]) -> etree._Element:
    """`parent`'s properties element (created first in it if missing), or the `inner` one in it."""
    element = parent.find(_w(props))
    if element is None:
        element = etree.Element(_w(props))
        later = next((c for c in parent if c.tag in {_w(b) for b in before}), None)
        if props == "pPr" or later is None:
            parent.insert(0 if props == "pPr" else len(parent), element)
        else:
            later.addprevious(element)
    if inner is None:
        return element
    child = element.find(_w(inner))
    if child is None:
        child = etree.Element(_w(inner))
        later = next((c for c in element if c.tag in {_w(b) for b in before}), None)
        if later is None:
            element.append(child)
        else:
            later.addprevious(child)
    return child


def _renumber(root: etree._Element) -> int:
    """Give every revision its own id, clear of the bookmarks' (pandoc numbers insertions and
    deletions separately; Word wants every id unique). Returns the next free id."""
    taken = [int(b.get(_w("id"), 0)) for b in root.iter(_w("bookmarkStart"))]
    number = max(taken, default=0) + 1
    for element in root.iter(*REVISIONS):
        element.set(_w("id"), str(number))
        number += 1
    return number
