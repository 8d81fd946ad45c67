"""Redlines between two versions of a policy: DOCX with Word tracked changes, HTML, PDF and a
summary in Swedish (changes.md), all from one diff (styrdok.diff)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .. import frontmatter, source
from ..diff import PolicyDiff, diff_policies
from ..errors import StyrdokError
from ..history import History
from ..model import Policy
from ..output import OutputDir
from ..render.document import Presentation, presentation
from ..templates import Templates
from ..workspace import POLICY_DIR, Workspace
from .document import layout
from .docx import DocxMarker, render_redline_docx
from .html import HtmlMarker, render_redline_html
from .pdf import TypstMarker, render_redline_pdf
from .summary import Summary, markdown, summarize

FILES = ("redline.html", "redline.docx", "redline.pdf", "changes.md")
HEADER_NOTE = "Ändringsmarkerad"
DEFAULT_FROM = "HEAD"  # becomes the last adopted version once the lifecycle commands record them


@dataclass(frozen=True)
class Redline:
    """A rendered redline: the diff, its summary and the files, in memory ({name: bytes})."""

    diff: PolicyDiff
    summary: Summary
    files: dict[str, bytes]
    out: Path | None = None  # where write_redline put the files

    @property
    def changed(self) -> bool:
        return self.diff.changed


def view(policy: Policy) -> Presentation:
    """How a redline presents a version: as a final document, marked in its page header."""
    return replace(presentation(policy, final=True), header_note=HEADER_NOTE)


def render_redline(old: Policy, new: Policy, templates: Templates, *, author: str | None = None,
                   labels: tuple[str, str] | None = None, files: Collection[str] = FILES) -> Redline:
    """Diff two versions and render the redline `files` (by default all of FILES) in memory.

    Tracked changes are by `author` (default: the deciding body) and dated like the new
    version's build (SOURCE_DATE_EPOCH, else its last decision), so outputs are reproducible.
    """
    diff = diff_policies(old, new)
    old_view, new_view = view(old), view(new)
    old_label, new_label = labels or (old.path, new.path)
    html_layout = layout(diff, old_view, new_view, HtmlMarker(new_view.timestamp.date().isoformat()))
    summary = summarize(diff, html_layout.units, old_label, new_label)
    out: dict[str, bytes] = {}
    if "redline.html" in files:
        out["redline.html"] = render_redline_html(html_layout, new_view, summary, templates)
    if "redline.docx" in files:
        docx_marker = DocxMarker(author or new_view.owner, new_view.timestamp)
        out["redline.docx"] = render_redline_docx(layout(diff, old_view, new_view, docx_marker), new_view,
                                                  templates, docx_marker)
    if "redline.pdf" in files:
        typst_marker = TypstMarker()
        out["redline.pdf"] = render_redline_pdf(layout(diff, old_view, new_view, typst_marker), new_view,
                                                summary, templates, typst_marker)
    if "changes.md" in files:
        out["changes.md"] = markdown(summary).encode("utf-8")
    return Redline(diff, summary, out)


def write_redline(old: Policy, new: Policy, out: Path, templates: Templates, *, author: str | None = None,
                  labels: tuple[str, str] | None = None) -> Redline:
    """Render the redline of two versions and write its files into `out` (atomically)."""
    redline = render_redline(old, new, templates, author=author, labels=labels)
    OutputDir(out).write_all(redline.files)
    return replace(redline, out=out)


def redline_files(old: Path, new: Path, *, out: Path | None = None, author: str | None = None) -> Redline:
    """The redline of two policy files (no git needed) into `out` (default build/redline/).

    Templates come from the policy repository around NEW, if there is one.
    """
    try:
        templates = Workspace.find(new.resolve().parent).templates
    except StyrdokError:
        templates = Templates(None)
    return write_redline(load_file(old), load_file(new), out or Path("build", "redline"), templates,
                         author=author, labels=(f"filen {old}", f"filen {new}"))


def redline_revisions(workspace: Workspace, policy_id: str, *, from_rev: str | None = None, to_rev: str | None = None,
                      out: Path | None = None, author: str | None = None) -> Redline:
    """The redline of a policy between two git revisions into `out` (default build/<id>/redline/).

    `from_rev` defaults to HEAD, `to_rev` to the working tree.
    """
    from_rev = from_rev or DEFAULT_FROM
    old, new = load_revision(workspace, policy_id, from_rev), load_revision(workspace, policy_id, to_rev)
    labels = (_revision_label(from_rev), _revision_label(to_rev))
    return write_redline(old, new, out or workspace.root / "build" / policy_id / "redline", workspace.templates,
                         author=author, labels=labels)


def _revision_label(rev: str | None) -> str:
    return f"versionen i {rev}" if rev else "arbetskopian"


def load_revision(workspace: Workspace, policy_id: str, rev: str | None) -> Policy:
    """The validated policy at git revision `rev` (None: as it is on disk)."""
    display = f"{POLICY_DIR}/{policy_id}.md" + (f"@{rev}" if rev else "")
    return source.load(Path(f"{policy_id}.md"), display=display, data=History(workspace).read(policy_id, rev))


def load_file(path: Path) -> Policy:
    """A policy file compared outside its repository: its id comes from the front matter when
    given there, so versions can sit side by side under any name (old.md, social-ekonomi-2015.md)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyrdokError(f"cannot read {path}: {exc.strerror} (give the path of a policy file, "
                           "e.g. policy/social-ekonomi.md)") from None
    return source.load(Path(f"{_declared_id(data) or path.stem}.md"), display=str(path), data=data)


def _declared_id(data: bytes) -> str | None:
    try:
        head, _ = frontmatter.split(data.decode("utf-8"))
        declared = yaml.safe_load(head)
    except (StyrdokError, UnicodeDecodeError, yaml.YAMLError):
        return None  # source.load reports the problem properly
    value = declared.get("id") if isinstance(declared, dict) else None
    return value if isinstance(value, str) and source.SLUG.match(value) else None


__all__ = ["FILES", "Redline", "load_file", "load_revision", "redline_files", "redline_revisions", "render_redline",
           "view", "write_redline"]
