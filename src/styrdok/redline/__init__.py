"""Redlines between two versions of a policy: DOCX with Word tracked changes, HTML, PDF and a
summary in Swedish (changes.md), all from one diff (styrdok.diff)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .. import frontmatter, pandoc, source
from ..diff import PolicyDiff, diff_policies
from ..errors import StyrdokError
from ..history import History
from ..i18n import _
from ..model import Policy
from ..output import OutputDir
from ..render.document import Presentation, presentation
from ..templates import Templates
from ..workspace import Workspace
from .document import layout
from .docx import DocxMarker, render_redline_docx
from .html import HtmlMarker, render_redline_html
from .names import Origin, Version, change_time, version_name
from .pdf import TypstMarker, render_redline_pdf
from .summary import Summary, markdown, summarize

FILES = ("redline.html", "redline.docx", "redline.pdf", "changes.md")
HEADER_NOTE = "Ändringsmarkerad"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def view(policy: Policy, templates: Templates | None = None, when: dt.datetime | None = None) -> Presentation:
    """How a redline presents a version: as a final document, marked in its page header, dated
    `when` (the changes' date) if given."""
    templates = templates or Templates(None)
    shown = replace(presentation(policy, final=True, labels=templates.labels, theme=templates.theme),
                    header_note=HEADER_NOTE, control=())  # the redline compares texts; the control block is the documents'.
    return shown if when is None else replace(shown, timestamp=when)


def render_redline(old: Policy, new: Policy, templates: Templates, *, author: str | None = None,
                   labels: tuple[str, str] | None = None, when: dt.datetime | None = None,
                   files: Collection[str] = FILES) -> Redline:
    """Diff two versions and render the redline `files` (by default all of FILES) in memory;
    nothing is rendered when the versions do not differ.

    Tracked changes are by `author` (default: the deciding body) and dated `when` (default:
    names.change_time — SOURCE_DATE_EPOCH, else today), as is the PDF.
    """
    diff = diff_policies(old, new)
    when = when or change_time(None)
    old_view, new_view = view(old, templates, when), view(new, templates, when)
    old_label, new_label = labels or (old.path, new.path)
    html_layout = layout(diff, old_view, new_view, HtmlMarker(when.date().isoformat()))
    summary = summarize(diff, html_layout.units, old_label, new_label)
    if not diff.changed:
        return Redline(diff, summary, {})
    renderers = {
        "redline.html": lambda: render_redline_html(html_layout, new_view, summary, templates),
        "redline.docx": lambda: _docx(diff, old_view, new_view, summary, templates,
                                      DocxMarker(author or new_view.owner, when)),
        "redline.pdf": lambda: _pdf(diff, old_view, new_view, summary, templates),
        "changes.md": lambda: markdown(summary).encode("utf-8"),
    }
    names = [name for name in renderers if name in files]
    out = dict(zip(names, pandoc.concurrently(*(renderers[name] for name in names))))
    return Redline(diff, summary, out)


def _docx(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, summary: Summary, templates: Templates,
          marker: DocxMarker) -> bytes:
    return render_redline_docx(layout(diff, old_view, new_view, marker), new_view, summary, templates, marker)


def _pdf(diff: PolicyDiff, old_view: Presentation, new_view: Presentation, summary: Summary,
         templates: Templates) -> bytes:
    marker = TypstMarker()
    return render_redline_pdf(layout(diff, old_view, new_view, marker), new_view, summary, templates, marker)


def write_redline(old: Policy, new: Policy, out: Path, templates: Templates, *, author: str | None = None,
                  labels: tuple[str, str] | None = None, when: dt.datetime | None = None) -> Redline:
    """Render the redline of two versions and write its files into `out` (atomically). Two
    versions that do not differ write nothing (the last redline in `out` stays as it was)."""
    folder = OutputDir(out)  # refuses an output folder in policy/ … before rendering
    redline = render_redline(old, new, templates, author=author, labels=labels, when=when)
    if not redline.changed:
        return redline
    folder.write_all(redline.files)
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
    labels = (version_name(Version(old_policy, Origin.FILE, file=old.name)),
              version_name(Version(new_policy, Origin.FILE, file=new.name)))
    return write_redline(old_policy, new_policy, out or Path("build", "redline"), templates,
                         author=author, labels=labels, when=change_time(None))


def redline_revisions(workspace: Workspace, policy_id: str, *, from_rev: str | None = None, to_rev: str | None = None,
                      out: Path | None = None, author: str | None = None) -> Redline:
    """The redline of a policy between two git revisions into `out` (default build/<id>/redline/).

    `from_rev` defaults to the last adopted version (else HEAD), `to_rev` to the working tree;
    either may be a git ref or the date of a decision (YYYY-MM-DD: the version adopted then).
    The changes are dated by the commit of `to_rev`, today for the working tree.
    """
    history = History(workspace)
    adopted = history.last_adopted(policy_id)
    from_sha = (adopted.sha if adopted else history.read_commit("HEAD")) if from_rev is None else \
        _resolve(history, policy_id, from_rev)
    to_sha = None if to_rev is None else _resolve(history, policy_id, to_rev)
    old, new = history.load_many(policy_id, from_sha, to_sha)

    adopted_shas = {v.revision.sha for v in history.adopted_versions(policy_id)}

    def side(policy: Policy, sha: str | None) -> Version:
        if sha is None:
            return Version(policy, Origin.WORKING_TREE)
        origin = (Origin.IN_FORCE if adopted is not None and sha == adopted.sha
                  else Origin.ADOPTED if sha in adopted_shas else Origin.COMMIT)
        return Version(policy, origin, when=history.revision(sha).date)

    older, newer = side(old, from_sha), side(new, to_sha)
    return write_redline(old, new, out or workspace.root / "build" / policy_id / "redline", workspace.templates,
                         author=author, labels=(version_name(older), version_name(newer)),
                         when=change_time(newer.when))


def _resolve(history: History, policy_id: str, rev: str) -> str:
    """A git ref, or a decision's date (the version adopted that day), as a commit sha."""
    if DATE.match(rev):
        found = [v for v in history.adopted_versions(policy_id) if v.decision and str(v.decision.date) == rev]
        if not found:
            dates = ", ".join(str(v.decision.date) for v in history.adopted_versions(policy_id) if v.decision)
            raise StyrdokError(_("no version of {id} was adopted on {date}: give the date of a decision "
                                 "({dates}) or a git revision (see `styrdok log {id}`)")
                               .format(id=policy_id, date=rev, dates=dates or _("none yet")))
        return found[-1].revision.sha
    return history.read_commit(rev)


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


__all__ = ["FILES", "Redline", "load_file", "redline_files", "redline_revisions", "render_redline", "view",
           "write_redline"]
