"""Redlines between two versions of a policy: DOCX with Word tracked changes, HTML, PDF and a
summary in Swedish (changes.md), all from one diff (styrdok.diff)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .. import frontmatter, pandoc, source
from ..diff import PolicyDiff, diff_policies
from ..errors import StyrdokError
from ..history import History
from ..model import Policy
from ..output import OutputDir
from ..render.document import Presentation, presentation
from ..templates import Templates
from ..workspace import Workspace
from .document import layout
from .docx import DocxMarker, render_redline_docx
from .html import HtmlMarker, render_redline_html
from .pdf import TypstMarker, render_redline_pdf
from .summary import Summary, markdown, summarize
from ..i18n import _

FILES = ("redline.html", "redline.docx", "redline.pdf", "changes.md")
HEADER_NOTE = "Ändringsmarkerad"


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
    old_policy, new_policy = pandoc.concurrently(lambda: load_file(old), lambda: load_file(new))
    return write_redline(old_policy, new_policy, out or Path("build", "redline"), templates,
                         author=author, labels=(f"filen {old}", f"filen {new}"))


def redline_revisions(workspace: Workspace, policy_id: str, *, from_rev: str | None = None, to_rev: str | None = None,
                      out: Path | None = None, author: str | None = None) -> Redline:
    """The redline of a policy between two git revisions into `out` (default build/<id>/redline/).

    `from_rev` defaults to the last adopted version (else HEAD), `to_rev` to the working tree.
    """
    history = History(workspace)
    if from_rev is None:
        adopted = history.last_adopted(policy_id)
        from_rev, from_label = (adopted.sha, f"den antagna versionen ({adopted.short})") if adopted else ("HEAD", None)
    else:
        from_label = None
    old, new = history.load_many(policy_id, from_rev, to_rev)
    labels = (from_label or _revision_label(from_rev), _revision_label(to_rev))
    return write_redline(old, new, out or workspace.root / "build" / policy_id / "redline", workspace.templates,
                         author=author, labels=labels)


def _revision_label(rev: str | None) -> str:
    return f"versionen i {rev}" if rev else "arbetskopian"


def load_file(path: Path) -> Policy:
    """A policy file compared outside its repository: its id comes from the front matter when
    given there, so versions can sit side by side under any name (old.md, social-ekonomi-2015.md)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyrdokError(_("cannot read {path}: {reason} (give the path of a policy file, "
                             "e.g. policy/social-ekonomi.md)").format(path=path, reason=exc.strerror)) from None
    return source.load(Path(f"{_declared_id(data) or path.stem}.md"), display=str(path), data=data)


def _declared_id(data: bytes) -> str | None:
    try:
        head, _body = frontmatter.split(data.decode("utf-8"))
        declared = yaml.safe_load(head)
    except (StyrdokError, UnicodeDecodeError, yaml.YAMLError):
        return None  # source.load reports the problem properly
    value = declared.get("id") if isinstance(declared, dict) else None
    return value if isinstance(value, str) and source.SLUG.match(value) else None


__all__ = ["FILES", "Redline", "load_file", "load_revision", "redline_files", "redline_revisions", "render_redline",
           "view", "write_redline"]
