"""PDF redline: pandoc → Typst → typst-py, the policy's page design plus a summary page.

Inserted text is underlined and green, deleted text struck through and red, moved text violet
with a dashed line (functions in templates/redline.typ, overridable like policy.typ).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import pandoc
from ..diff import Kind
from ..render.document import Presentation
from ..render.pdf import font_dirs, render_pdf
from ..templates import Templates
from ..theme import Labels
from .document import Layout, Numbered, Unit
from .summary import Summary, summary_blocks

FUNCTIONS = {Kind.INSERTED: "redline-ins", Kind.DELETED: "redline-del",
             Kind.MOVED_TO: "redline-moved-to", Kind.MOVED_FROM: "redline-moved-from"}
LEGEND = ((Kind.INSERTED, "redline.legend_inserted"), (Kind.DELETED, "redline.legend_deleted"),
          (Kind.MOVED_TO, "redline.legend_moved_to"), (Kind.MOVED_FROM, "redline.legend_moved_from"))


def _raw(typst: str) -> pandoc.Ast:
    return {"t": "RawInline", "c": ["typst", typst]}


OPEN, CLOSE = "#redline-", "];"


class TypstMarker:
    split_moves = False

    def run(self, kind: Kind, inlines: list[pandoc.Ast], unit: Unit | None) -> list[pandoc.Ast]:
        """Marks never nest in the PDF (PDF/UA forbids a strike or underline in another): moved
        text edited on the way is marked moved around the words edited, which keep their marks."""
        out: list[pandoc.Ast] = []
        depth = 0
        plain: list[pandoc.Ast] = []
        for node in inlines:
            raw = node["c"][1] if node["t"] == "RawInline" and node["c"][0] == "typst" else ""
            if raw.startswith(OPEN) or raw == CLOSE:
                if depth == 0 and plain:
                    out += self._call(kind, plain)
                    plain = []
                depth += 1 if raw.startswith(OPEN) else -1
                out.append(node)
            elif depth:
                out.append(node)
            else:
                plain.append(node)
        return out + (self._call(kind, plain) if plain else [])

    @staticmethod
    def _call(kind: Kind, inlines: list[pandoc.Ast]) -> list[pandoc.Ast]:
        # "];" ends the call, so text right after it cannot be read as a further argument.
        return [_raw(f"{OPEN}{FUNCTIONS[kind].removeprefix('redline-')}["), *inlines, _raw(CLOSE)]

    def paragraph(self, kinds: tuple[Kind, ...], unit: Unit) -> list[pandoc.Ast]:
        return []

    def wrap(self, unit: Unit, blocks: list[pandoc.Ast], units: Sequence[Unit]) -> list[pandoc.Ast]:
        return blocks

    @staticmethod
    def numbered_list(attrs: list[Any], items: list[Numbered]) -> list[pandoc.Ast]:
        """`enum.item(number)`: each item its own number (Typst would count deleted items too)."""
        _start, style, delim = attrs
        pattern = NUMBER_DELIMS.get(delim["t"], "{}.").format(NUMBER_STYLES.get(style["t"], "1"))
        tight = "true" if all(item.blocks and item.blocks[0]["t"] == "Plain" for item in items) else "false"
        out = [_raw_block(f'#block[\n#set enum(numbering: "{pattern}")\n#enum(tight: {tight},')]
        for item in items:
            out += [_raw_block(f"enum.item({item.number})["), *item.blocks, _raw_block("],")]
        return out + [_raw_block(")\n]")]


NUMBER_STYLES = {"Decimal": "1", "LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i", "UpperRoman": "I"}
NUMBER_DELIMS = {"Period": "{}.", "OneParen": "{})", "TwoParens": "({})"}


def _raw_block(typst: str) -> pandoc.Ast:
    return {"t": "RawBlock", "c": ["typst", typst]}


def legend(marker: TypstMarker, labels: Labels) -> pandoc.Ast:
    """"Teckenförklaring: infogad text, borttagen text, … och …", each in its marking."""
    inlines: list[pandoc.Ast] = pandoc.text(labels("redline.legend") + ":")
    for i, (kind, key) in enumerate(LEGEND):
        if i == len(LEGEND) - 1:
            inlines += [{"t": "Space"}, *pandoc.text(labels("redline.and"))]
        inlines += [{"t": "Space"}, *marker.run(kind, pandoc.text(labels(key)), None),
                    {"t": "Str", "c": "," if i < len(LEGEND) - 2 else "" if i == len(LEGEND) - 2 else "."}]
    return pandoc.para(inlines)


def pdf_blocks(layout: Layout, summary: Summary, marker: TypstMarker) -> list[pandoc.Ast]:
    """The summary page, then the marked text."""
    return (summary_blocks(summary, legend(marker, summary.labels)) + [{"t": "RawBlock", "c": ["typst", "#pagebreak(weak: true)"]}]
            + layout.body)


def render_redline_pdf(layout: Layout, view: Presentation, summary: Summary, templates: Templates,
                       marker: TypstMarker, body: str | None = None) -> bytes:
    """The redline PDF; `body`: its Typst, when `typst_first` wrote it already."""
    return render_pdf(pdf_blocks(layout, summary, marker), view, templates, extra=("redline.typ",), body=body)
