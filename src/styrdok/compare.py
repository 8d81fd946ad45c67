"""Compare stage: two versions of a policy, from two files or from git, and their redline on disk.

This module loads (files, git revisions, the repository's templates) and writes; `styrdok.diff`
computes the change records and `styrdok.redline` lays them out, neither touching a file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import pandoc, source
from .errors import StyrdokError
from .history import History
from .model import Policy
from .output import OutputDir
from .redline import Redline, render_redline
from .templates import Templates
from .workspace import Workspace


@dataclass(frozen=True)
class Versions:
    """Two versions of one policy, how the redline names them, and the templates to render with."""

    old: Policy
    new: Policy
    labels: tuple[str, str]
    templates: Templates


def load_file(path: Path) -> Policy:
    """A policy file compared outside its repository: its id comes from the front matter when
    given there, so versions can sit side by side under any name (old.md, social-ekonomi-2015.md)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyrdokError.because(f"cannot read {path}", exc.strerror or str(exc),
                                   "give the path of a policy file, e.g. policy/social-ekonomi.md") from None
    return source.load(path, display=str(path), data=data, declared_id=True)


def files(old: Path, new: Path) -> Versions:
    """Two policy files (no git needed); templates from the policy repository around NEW, if there is one."""
    try:
        templates = Workspace.find(new.resolve().parent).templates
    except StyrdokError:
        templates = Templates(None)
    old_policy, new_policy = pandoc.concurrently(lambda: load_file(old), lambda: load_file(new))
    return Versions(old_policy, new_policy, (f"filen {old}", f"filen {new}"), templates)


def revisions(workspace: Workspace, policy_id: str, from_rev: str | None = None,
              to_rev: str | None = None) -> Versions:
    """The policy at two git revisions: `from_rev` defaults to the last adopted version (else HEAD),
    `to_rev` to the working tree."""
    history = History(workspace)
    from_label = None
    if from_rev is None:
        adopted = history.last_adopted(policy_id)
        from_rev, from_label = (adopted.sha, f"den antagna versionen ({adopted.short})") if adopted else ("HEAD", None)
    old, new = history.load_many(policy_id, from_rev, to_rev)
    return Versions(old, new, (from_label or _revision_label(from_rev), _revision_label(to_rev)), workspace.templates)


def _revision_label(rev: str | None) -> str:
    return f"versionen i {rev}" if rev else "arbetskopian"


def write_redline(old: Policy, new: Policy, out: Path, templates: Templates, *, author: str | None = None,
                  labels: tuple[str, str] | None = None) -> Redline:
    """Render the redline of two versions and write its files into `out` (atomically)."""
    redline = render_redline(old, new, templates, author=author, labels=labels)
    OutputDir(out).write_all(redline.files)
    return replace(redline, out=out)


def redline_files(old: Path, new: Path, *, out: Path | None = None, author: str | None = None) -> Redline:
    """`styrdok diff OLD.md NEW.md`: the redline of two files into `out` (default build/redline/)."""
    versions = files(old, new)
    return write_redline(versions.old, versions.new, out or Path("build", "redline"), versions.templates,
                         author=author, labels=versions.labels)


def redline_revisions(workspace: Workspace, policy_id: str, *, from_rev: str | None = None, to_rev: str | None = None,
                      out: Path | None = None, author: str | None = None) -> Redline:
    """`styrdok diff ID`: the redline between two git revisions into `out` (default build/<id>/redline/)."""
    versions = revisions(workspace, policy_id, from_rev, to_rev)
    return write_redline(versions.old, versions.new, out or workspace.root / "build" / policy_id / "redline",
                         versions.templates, author=author, labels=versions.labels)
