"""DOCX redline: the look of the final DOCX, every change a native Word tracked change.

pandoc's DOCX writer turns Spans of class `insertion`/`deletion` (with `author` and `date`)
into `w:ins`/`w:del` runs, but it never tracks a paragraph mark, so a paragraph inserted or
deleted as a whole would leave an empty paragraph behind when the change is rejected or
accepted. Such paragraphs get an empty marker Span (a bookmark in the DOCX); afterwards the
marked paragraph's mark is tracked too (`w:pPr/w:rPr/w:ins`, or `w:del`), table rows likewise.
Moved text is a deletion plus an insertion.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone

from lxml import etree

from .. import pandoc
from ..diff import Kind
from ..render.docx import render_docx
from ..render.docx_finish import normalize_zip
from ..templates import Templates
from ..render.document import Presentation
from .document import Layout, Unit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
MARK = "styrdok-mark-"  # bookmark names of paragraphs whose mark is tracked
INSERTING = (Kind.INSERTED, Kind.MOVED_TO)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class DocxMarker:
    """Marks changes as the Spans pandoc's DOCX writer turns into tracked changes."""

    def __init__(self, author: str, date: datetime):
        self.attrs = {"author": author, "date": word_date(date)}
        self.marks = 0

    def run(self, kind: Kind, inlines: list[pandoc.Ast], unit: Unit) -> list[pandoc.Ast]:
        return [pandoc.span(inlines, classes=["insertion" if kind in INSERTING else "deletion"], **self.attrs)]

    def paragraph(self, kind: Kind, unit: Unit) -> list[pandoc.Ast]:
        self.marks += 1
        return [pandoc.span([], ident=f"{MARK}{'ins' if kind in INSERTING else 'del'}-{self.marks}")]

    def wrap(self, unit: Unit, blocks: list[pandoc.Ast], units: Sequence[Unit]) -> list[pandoc.Ast]:
        return blocks


def word_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_redline_docx(layout: Layout, view: Presentation, templates: Templates, marker: DocxMarker) -> bytes:
    finished = render_docx(layout.title + layout.body, view, templates)
    return track_paragraph_marks(finished, marker.attrs["author"], marker.attrs["date"], view.timestamp)


def track_paragraph_marks(docx: bytes, author: str, date: str, timestamp: datetime) -> bytes:
    """Track the marks of the marked paragraphs and give every tracked change its own id."""
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    root = etree.fromstring(parts[DOCUMENT])
    ends = {end.get(_w("id")): end for end in root.iter(_w("bookmarkEnd"))}
    tracked: dict[etree._Element, str] = {}
    for start in list(root.iter(_w("bookmarkStart"))):
        name = start.get(_w("name"), "")
        if not name.startswith(MARK):
            continue
        paragraph = next(start.iterancestors(_w("p")))
        tracked[paragraph] = "ins" if name.removeprefix(MARK).startswith("ins") else "del"
        _track(_properties(paragraph, "pPr", "rPr", before=("sectPr", "pPrChange")), tracked[paragraph], author, date)
        for element in (start, ends.get(start.get(_w("id")))):
            if element is not None:
                element.getparent().remove(element)
    for row in root.iter(_w("tr")):  # a row all of whose paragraphs came or went came or went itself
        tags = {tracked.get(p) for p in row.iter(_w("p"))}
        if len(tags) == 1 and (tag := tags.pop()) is not None:
            _track(_properties(row, "trPr", None, before=("tc",)), tag, author, date)
    _renumber(root)
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return normalize_zip(out.getvalue(), timestamp)


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


def _track(props: etree._Element, tag: str, author: str, date: str) -> None:
    if props.find(_w(tag)) is not None:
        return
    mark = etree.Element(_w(tag), {_w("id"): "0", _w("author"): author, _w("date"): date})
    if props.tag == _w("rPr"):
        props.insert(0, mark)  # w:ins/w:del come first in a paragraph mark's properties
    else:
        props.append(mark)


def _renumber(root: etree._Element) -> None:
    """pandoc numbers insertions and deletions separately; Word wants every id unique."""
    taken = [int(b.get(_w("id"), 0)) for b in root.iter(_w("bookmarkStart"))]
    for number, element in enumerate(root.iter(_w("ins"), _w("del")), start=max(taken, default=0) + 1):
        element.set(_w("id"), str(number))
