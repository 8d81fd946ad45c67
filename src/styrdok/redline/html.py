"""HTML redline: `<ins>`/`<del>` in the policy page, a summary first, links from change to change.

Removing every `<del>` leaves exactly the new text and removing every `<ins>` the old: the
labels screen readers announce ("Infogat:", "Borttaget:" …) come from CSS `::before`/`::after`
content (see styrdok.css), not from the text, and the links between changes sit in
`div.change-nav` blocks between the paragraphs, never inside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from .. import pandoc
from ..diff import Kind
from ..render.document import Presentation
from ..render.html import body_html
from ..templates import Templates
from ..theme import Labels
from .document import Layout, Numbered, Unit, packaged_labels
from .summary import Summary

TEMPLATE = "redline.html.j2"
SUMMARY_ID = "sammanfattning"
SPLIT = "<!-- styrdok: title ends -->"
LIST_TYPES = {"Decimal": "1", "LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i", "UpperRoman": "I"}
ITEM_CLASSES = {Kind.INSERTED: "inserted-item", Kind.DELETED: "deleted-item"}
TAGS = {Kind.INSERTED: ("ins", ""), Kind.DELETED: ("del", ""),
        Kind.MOVED_TO: ("ins", "moved-to"), Kind.MOVED_FROM: ("del", "moved-from")}


def anchor(number: int) -> str:
    return f"andring-{number}"


def _raw(html: str) -> pandoc.Ast:
    return {"t": "RawInline", "c": ["html", html]}


class HtmlMarker:
    split_moves = False

    def __init__(self, date: str, labels: Labels | None = None):
        self.date = date
        self.labels = labels if labels is not None else packaged_labels()

    def run(self, kind: Kind, inlines: list[pandoc.Ast], unit: Unit) -> list[pandoc.Ast]:
        tag, cls = TAGS[kind]
        attrs = f' class="{cls}"' if cls else ""
        return [_raw(f'<{tag}{attrs} datetime="{self.date}">'), *inlines, _raw(f"</{tag}>")]

    def paragraph(self, kinds: tuple[Kind, ...], unit: Unit) -> list[pandoc.Ast]:
        return []

    def numbered_list(self, attrs: list[Any], items: list[Numbered]) -> list[pandoc.Ast]:
        """`<li value>`: each item its own number (pandoc's `<ol>` would count deleted items too)."""
        start, style, _delim = attrs
        out = [_block(f'<ol type="{LIST_TYPES.get(style["t"], "1")}">')]
        for item in items:
            cls = f' class="{ITEM_CLASSES[item.kind]}"' if item.kind in ITEM_CLASSES else ""
            out += [_block(f'<li value="{item.number}"{cls}>'), *item.blocks, _block("</li>")]
        return out + [_block("</ol>")]

    def wrap(self, unit: Unit, blocks: list[pandoc.Ast], units: Sequence[Unit]) -> list[pandoc.Ast]:
        """The unit in a `div` with its anchor, then links to the other half of a move and onwards."""
        links: list[pandoc.Ast] = []
        if unit.move is not None:
            other = next((u for u in units if u.move == unit.move and u.kind is not unit.kind), None)
            if other is not None:
                key = "redline.moved_here_from" if unit.kind is Kind.MOVED_TO else "redline.moved_there"
                links += [_link(self.labels(key, place=other.where), anchor(other.number)), *pandoc.text(" · ")]
        if unit.number < len(units):
            links.append(_link(self.labels("redline.next_change", number=unit.number + 1, count=len(units)),
                               anchor(unit.number + 1)))
        else:
            links.append(_link(self.labels("redline.back_to_summary"), SUMMARY_ID))
        return [pandoc.div(blocks, ident=anchor(unit.number), classes=["change", unit.kind.value]),
                pandoc.div([pandoc.para(links)], classes=["change-nav"])]


def _block(html: str) -> pandoc.Ast:
    return {"t": "RawBlock", "c": ["html", html]}


def _link(text: str, target: str) -> pandoc.Ast:
    return {"t": "Link", "c": [pandoc.attr(), pandoc.text(text), [f"#{target}", ""]]}


def html_blocks(layout: Layout) -> list[pandoc.Ast]:
    """The title area and the marked text, with a marker between them where the summary goes."""
    return layout.title + [{"t": "RawBlock", "c": ["html", SPLIT]}] + layout.body


def render_redline_html(layout: Layout, view: Presentation, summary: Summary, templates: Templates) -> bytes:
    """A standalone, accessible page: title area, summary with links, the marked text."""
    html = body_html(html_blocks(layout))
    title, body = html.split(SPLIT, 1)
    page = templates.render(TEMPLATE, view=view, title_html=title, body=body, summary=summary,
                            units=layout.units, anchor=anchor, summary_id=SUMMARY_ID)
    return page.encode("utf-8")

