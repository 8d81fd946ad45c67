"""Redlines between two versions of a policy: DOCX with Word tracked changes, HTML, PDF and a
summary in Swedish (changes.md), all from one diff (styrdok.diff), rendered in memory.

Loading the versions (files, git) and writing the files is `styrdok.compare`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from .. import pandoc
from ..diff import PolicyDiff, diff_policies
from ..model import Policy
from ..render.document import Presentation, presentation
from ..render.html import html_document
from ..render.pdf import pdf_last_if_long, typst_document, typst_first
from ..templates import Templates
from .document import Layout, layout
from .docx import DocxMarker, render_redline_docx
from .html import HtmlMarker, html_blocks, render_redline_html
from .names import change_time
from .pdf import TypstMarker, pdf_blocks, render_redline_pdf
from .summary import Summary, markdown, summarize

FILES = ("redline.html", "redline.docx", "redline.pdf", "changes.md")


@dataclass(frozen=True)
class Redline:
    """A rendered redline: the diff, its summary and the files, in memory ({name: bytes})."""

    diff: PolicyDiff
    summary: Summary
    files: dict[str, bytes]
    out: Path | None = None  # where compare.write_redline put the files

    @property
    def changed(self) -> bool:
        return self.diff.changed


def view(policy: Policy, templates: Templates | None = None, when: dt.datetime | None = None) -> Presentation:
    """How a redline presents a version: as a final document, marked in its page header, dated
    `when` (the changes' date) if given."""
    templates = templates or Templates(None)
    shown = replace(presentation(policy, final=True, labels=templates.labels, theme=templates.theme),
                    header_note=templates.labels("redline.header_note"), control=())  # the redline compares texts; the control block is the documents'.
    return shown if when is None else replace(shown, timestamp=when)


@dataclass(frozen=True)
class Prepared:
    """A redline diffed and laid out, not yet rendered: everything its four files are made from."""

    diff: PolicyDiff
    old_view: Presentation
    new_view: Presentation
    html_layout: Layout
    pdf_layout: Layout
    summary: Summary
    author: str
    when: dt.datetime
    templates: Templates

    def documents(self) -> dict[str, pandoc.Ast]:
        """The pandoc documents its HTML and PDF convert, by target format (for `pandoc.prefetch`)."""
        return {"html5": html_document(html_blocks(self.html_layout)),
                "typst": typst_document(pdf_blocks(self.pdf_layout, self.summary, TYPST))}


TYPST = TypstMarker()


def prepare(old: Policy, new: Policy, templates: Templates, *, author: str | None = None,
            labels: tuple[str, str] | None = None, when: dt.datetime | None = None) -> Prepared:
    """Diff two versions and lay the redline out; `render_prepared` renders it.

    Tracked changes are by `author` (default: the deciding body) and dated `when` (default:
    names.change_time — SOURCE_DATE_EPOCH, else today), as is the PDF.
    """
    diff = diff_policies(old, new)
    when = when or change_time(None)
    old_view, new_view = view(old, templates, when), view(new, templates, when)
    old_label, new_label = labels or (old.path, new.path)
    words = templates.labels
    html_layout = layout(diff, old_view, new_view, HtmlMarker(when.date().isoformat(), words), words)
    return Prepared(diff, old_view, new_view, html_layout, layout(diff, old_view, new_view, TYPST, words),
                    summarize(diff, html_layout.units, old_label, new_label, words), author or new_view.owner, when,
                    templates)


def render_prepared(prepared: Prepared, files: Collection[str] = FILES) -> Redline:
    """Render the redline `files` (by default all of FILES) in memory, concurrently; nothing is
    rendered when the versions do not differ."""
    p, templates = prepared, prepared.templates
    if not p.diff.changed:
        return Redline(p.diff, p.summary, {})
    typst = typst_first(pdf_blocks(p.pdf_layout, p.summary, TYPST), templates) if "redline.pdf" in files else None
    renderers = {  # the PDF first: the longest chain (its Typst, then the compile), which takes the first core
        "redline.pdf": lambda: render_redline_pdf(p.pdf_layout, p.new_view, p.summary, templates, TYPST, typst),
        "redline.docx": lambda: _docx(p.diff, p.old_view, p.new_view, p.summary, templates,
                                      DocxMarker(p.author, p.when)),
        "redline.html": lambda: render_redline_html(p.html_layout, p.new_view, p.summary, templates),
        "changes.md": lambda: markdown(p.summary).encode("utf-8"),
    }
    others = [name for name in renderers if name in files and name != "redline.pdf"]
    if "redline.pdf" in files:
        pdf, rest = pdf_last_if_long(renderers["redline.pdf"], [renderers[name] for name in others], typst)
        done = {"redline.pdf": pdf, **dict(zip(others, rest))}
    else:
        done = dict(zip(others, pandoc.concurrently(*(renderers[name] for name in others))))
    return Redline(p.diff, p.summary, {name: done[name] for name in FILES if name in done})


def render_redline(old: Policy, new: Policy, templates: Templates, *, author: str | None = None,
                   labels: tuple[str, str] | None = None, when: dt.datetime | None = None,
                   files: Collection[str] = FILES) -> Redline:
    """Diff two versions and render the redline `files` (by default all of FILES) in memory (see `prepare`)."""
    return render_prepared(prepare(old, new, templates, author=author, labels=labels, when=when), files)


def _docx(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, summary: Summary, templates: Templates,
          marker: DocxMarker) -> bytes:
    return render_redline_docx(layout(diff, old_view, new_view, marker, templates.labels), new_view, summary, templates,
                               marker)


__all__ = ["FILES", "Prepared", "Redline", "prepare", "render_prepared", "render_redline", "view"]
