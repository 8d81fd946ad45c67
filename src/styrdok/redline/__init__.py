"""Redlines between two versions of a policy: DOCX with Word tracked changes, HTML, PDF and a
summary in Swedish (changes.md), all from one diff (styrdok.diff), rendered in memory.

Loading the versions (files, git) and writing the files is `styrdok.compare`'s.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from .. import pandoc
from ..diff import PolicyDiff, diff_policies
from ..model import Policy
from ..render.document import Presentation, presentation
from ..templates import Templates
from .document import layout
from .docx import DocxMarker, render_redline_docx
from .html import HtmlMarker, render_redline_html
from .pdf import TypstMarker, render_redline_pdf
from .summary import Summary, markdown, summarize

FILES = ("redline.html", "redline.docx", "redline.pdf", "changes.md")
HEADER_NOTE = "Ändringsmarkerad"


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


def view(policy: Policy, templates: Templates | None = None) -> Presentation:
    """How a redline presents a version: as a final document, marked in its page header."""
    templates = templates or Templates(None)
    return replace(presentation(policy, final=True, labels=templates.labels, theme=templates.theme),
                   header_note=HEADER_NOTE, control=())  # the redline compares texts; the control block is the documents'.


def render_redline(old: Policy, new: Policy, templates: Templates, *, author: str | None = None,
                   labels: tuple[str, str] | None = None, files: Collection[str] = FILES) -> Redline:
    """Diff two versions and render the redline `files` (by default all of FILES) in memory.

    Tracked changes are by `author` (default: the deciding body) and dated like the new
    version's build (SOURCE_DATE_EPOCH, else its last decision), so outputs are reproducible.
    """
    diff = diff_policies(old, new)
    old_view, new_view = view(old, templates), view(new, templates)
    old_label, new_label = labels or (old.path, new.path)
    html_layout = layout(diff, old_view, new_view, HtmlMarker(new_view.timestamp.date().isoformat()))
    summary = summarize(diff, html_layout.units, old_label, new_label)
    renderers = {
        "redline.html": lambda: render_redline_html(html_layout, new_view, summary, templates),
        "redline.docx": lambda: _docx(diff, old_view, new_view, templates, DocxMarker(author or new_view.owner,
                                                                                      new_view.timestamp)),
        "redline.pdf": lambda: _pdf(diff, old_view, new_view, summary, templates),
        "changes.md": lambda: markdown(summary).encode("utf-8"),
    }
    names = [name for name in renderers if name in files]
    out = dict(zip(names, pandoc.concurrently(*(renderers[name] for name in names))))
    return Redline(diff, summary, out)


def _docx(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, templates: Templates,
          marker: DocxMarker) -> bytes:
    return render_redline_docx(layout(diff, old_view, new_view, marker), new_view, templates, marker)


def _pdf(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, summary: Summary,
         templates: Templates) -> bytes:
    marker = TypstMarker()
    return render_redline_pdf(layout(diff, old_view, new_view, marker), new_view, summary, templates, marker)


__all__ = ["FILES", "Redline", "render_redline", "view"]
