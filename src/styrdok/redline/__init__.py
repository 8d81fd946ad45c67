"""Redlines between two versions of a policy: DOCX with Word tracked changes, HTML, PDF and a
summary in Swedish (changes.md), all from one diff (styrdok.diff)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .. import frontmatter, source
from ..diff import PolicyDiff, diff_policies
from ..errors import StyrdokError
from ..model import Policy
from ..output import OutputDir
from ..render.document import Presentation, presentation
from ..templates import Templates
from .document import layout
from .docx import DocxMarker, render_redline_docx, word_date
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

    @property
    def changed(self) -> bool:
        return self.diff.changed


def view(policy: Policy) -> Presentation:
    """How a redline presents a version: as a final document, marked in its page header."""
    return replace(presentation(policy, final=True), header_note=HEADER_NOTE)


def render_redline(old: Policy, new: Policy, templates: Templates, *, author: str | None = None,
                   labels: tuple[str, str] | None = None) -> Redline:
    """Diff two versions and render every redline output.

    Tracked changes are by `author` (default: the deciding body) and dated like the new
    version's build (SOURCE_DATE_EPOCH, else its last decision), so outputs are reproducible.
    """
    diff = diff_policies(old, new)
    old_view, new_view = view(old), view(new)
    old_label, new_label = labels or (old.path, new.path)
    docx_marker = DocxMarker(author or new_view.owner, new_view.timestamp)
    docx_layout = layout(diff, old_view, new_view, docx_marker)
    html_layout = layout(diff, old_view, new_view, HtmlMarker(new_view.timestamp.date().isoformat()))
    typst_marker = TypstMarker()
    pdf_layout = layout(diff, old_view, new_view, typst_marker)
    summary = summarize(diff, html_layout.units, old_label, new_label)
    files = {
        "redline.html": render_redline_html(html_layout, new_view, summary, templates),
        "redline.docx": render_redline_docx(docx_layout, new_view, templates, docx_marker),
        "redline.pdf": render_redline_pdf(pdf_layout, new_view, summary, templates, typst_marker),
        "changes.md": markdown(summary).encode("utf-8"),
    }
    return Redline(diff, summary, files)


def write_redline(old: Policy, new: Policy, out: Path, templates: Templates, *, author: str | None = None,
                  labels: tuple[str, str] | None = None) -> Redline:
    """Render the redline of two versions and write its files into `out` (atomically)."""
    redline = render_redline(old, new, templates, author=author, labels=labels)
    OutputDir(out).write_all(redline.files)
    return redline


def load_file(path: Path) -> Policy:
    """A policy file compared outside its repository: its id comes from the front matter when
    given there, so versions can sit side by side under any name (old.md, social-ekonomi-2015.md)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyrdokError(f"cannot read {path}: {exc.strerror}") from None
    return source.load(Path(f"{_declared_id(data) or path.stem}.md"), display=str(path), data=data)


def _declared_id(data: bytes) -> str | None:
    try:
        head, _ = frontmatter.split(data.decode("utf-8"))
        declared = yaml.safe_load(head)
    except (StyrdokError, UnicodeDecodeError, yaml.YAMLError):
        return None  # source.load reports the problem properly
    value = declared.get("id") if isinstance(declared, dict) else None
    return value if isinstance(value, str) and source.SLUG.match(value) else None


__all__ = ["FILES", "Redline", "load_file", "render_redline", "view", "word_date", "write_redline"]
