"""Compare stage: two versions of a policy, from two files or from git, and their redline on disk.

This module loads (files, git revisions, the repository's templates) and writes; `styrdok.diff`
computes the change records and `styrdok.redline` lays them out, neither touching a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import clock, pandoc, source
from .errors import StyrdokError
from .i18n import _
from .model import Policy
from .output import OutputDir
from .redline import Redline, render_redline
from .redline.names import Origin, Version, change_time, version_names
from .render.docx import preload
from .templates import Templates
from .workspace import Workspace

if TYPE_CHECKING:
    from .history import History


@dataclass(frozen=True)
class Versions:
    """Two versions of one policy, how the redline names them, the date its changes carry, and the
    templates to render with."""

    old: Policy
    new: Policy
    labels: tuple[str, str]
    when: dt.datetime
    templates: Templates


def load_file(path: Path) -> Policy:
    """A policy file compared outside its repository: its id comes from the front matter when
    given there, so versions can sit side by side under any name (old.md, social-ekonomi-2015.md)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyrdokError.because(_("cannot read {path}").format(path=path), exc.strerror or str(exc),
                                   _("give the path of a policy file, e.g. policy/social-ekonomi.md")) from None
    return source.load(path, display=str(path), data=data, declared_id=True)


def files(old: Path, new: Path) -> Versions:
    """Two policy files (no git needed); templates from the policy repository around NEW, if there is one."""
    try:
        templates = Workspace.find(new.resolve().parent).templates
    except StyrdokError:
        templates = Templates(None)
    preload()  # the DOCX finishing (lxml) is imported while pandoc reads the versions
    old_policy, new_policy = pandoc.concurrently(lambda: load_file(old), lambda: load_file(new))
    labels = version_names(Version(old_policy, Origin.FILE, file=str(old)),
                           Version(new_policy, Origin.FILE, file=str(new)), templates.labels)
    return Versions(old_policy, new_policy, labels, change_time(None), templates)


def revisions(workspace: Workspace, policy_id: str, from_rev: str | None = None,
              to_rev: str | None = None) -> Versions:
    """The policy at two git revisions: `from_rev` defaults to the last adopted version (else HEAD),
    `to_rev` to the working tree; either may be a git ref or the date of a decision (YYYY-MM-DD:
    the version adopted then). The changes are dated by the commit of `to_rev`, today for the
    working tree."""
    from .history import History  # git only when a revision is asked for: `diff a.md b.md` needs none

    history = History(workspace)
    adopted = history.last_adopted(policy_id)
    from_sha = (adopted.sha if adopted else history.read_commit("HEAD")) if from_rev is None else \
        _resolve(history, policy_id, from_rev)
    to_sha = None if to_rev is None else _resolve(history, policy_id, to_rev)
    preload()
    old, new = history.load_many(policy_id, from_sha, to_sha)
    adopted_shas = {v.revision.sha for v in history.adopted_versions(policy_id)}

    def side(policy: Policy, sha: str | None) -> Version:
        if sha is None:
            return Version(policy, Origin.WORKING_TREE)
        origin = (Origin.IN_FORCE if adopted is not None and sha == adopted.sha
                  else Origin.ADOPTED if sha in adopted_shas else Origin.COMMIT)
        return Version(policy, origin, when=history.revision(sha).date)

    older, newer = side(old, from_sha), side(new, to_sha)
    return Versions(old, new, version_names(older, newer, workspace.templates.labels), change_time(newer.when),
                    workspace.templates)


def _resolve(history: History, policy_id: str, rev: str) -> str:
    """A git ref, or a decision's date (the version adopted that day), as a commit sha."""
    if clock.ISO_DATE.match(rev):
        found = [v for v in history.adopted_versions(policy_id) if v.decision and str(v.decision.date) == rev]
        if not found:
            dates = ", ".join(str(v.decision.date) for v in history.adopted_versions(policy_id) if v.decision)
            raise StyrdokError(_("no version of {id} was adopted on {date}: give the date of a decision "
                                 "({dates}) or a git revision (see `styrdok log {id}`)")
                               .format(id=policy_id, date=rev, dates=dates or _("none yet")))
        return found[-1].revision.sha
    return history.read_commit(rev)


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
    """`styrdok diff OLD.md NEW.md`: the redline of two files into `out` (default build/redline/)."""
    versions = files(old, new)
    return write_redline(versions.old, versions.new, out or Path("build", "redline"), versions.templates,
                         author=author, labels=versions.labels, when=versions.when)


def redline_revisions(workspace: Workspace, policy_id: str, *, from_rev: str | None = None, to_rev: str | None = None,
                      out: Path | None = None, author: str | None = None) -> Redline:
    """`styrdok diff ID`: the redline between two git revisions into `out` (default build/<id>/redline/)."""
    versions = revisions(workspace, policy_id, from_rev, to_rev)
    return write_redline(versions.old, versions.new, out or workspace.root / "build" / policy_id / "redline",
                         versions.templates, author=author, labels=versions.labels, when=versions.when)
