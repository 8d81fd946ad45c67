"""Gather: what the site shows of each policy, from one pass over its history in git.

`History.versions` reads every revision's front matter once (cached by blob id between runs); the
entries built here carry those parsed values and the blob ids, never the bytes: a publish with
nothing to render reads no file from git at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import Problem, StyrdokError
from ..files import Unreadable
from ..history import History, Revision, Version, blob_id
from ..i18n import _
from ..lifecycle import Due, due
from ..model import Decision, Metadata, Status
from ..workspace import POLICY_DIR, Workspace


@dataclass(frozen=True)
class AdoptedVersion:
    """An adopted version of a policy: the decision it recorded and the file as committed then (`blob`)."""

    policy_id: str
    decision: Decision
    revision: Revision
    blob: str

    @property
    def date(self) -> dt.date:
        assert self.decision.date is not None  # an adoption records a complete decision
        return self.decision.date

    @property
    def folder(self) -> str:
        return f"{self.policy_id}/{self.date.isoformat()}"


@dataclass(frozen=True)
class Round:
    """A consultation found in git: its deadline, when it was first committed, and its last committed text."""

    deadline: dt.date
    dnr: str | None
    bodies: tuple[str, ...]
    opened: dt.datetime
    blob: str  # the file at `sha`
    sha: str = ""  # the last commit with this consultation

    @property
    def key(self) -> bytes:
        """What its package is made from: the committed text and the day it opened."""
        return self.blob.encode() + self.opened.isoformat().encode()


@dataclass(frozen=True)
class Entry:
    """A policy as the site shows it: `meta` is its last adopted version's (else the consultation's)."""

    id: str
    meta: Metadata
    versions: tuple[AdoptedVersion, ...]  # oldest first
    rounds: tuple[Round, ...]  # every consultation in git, oldest first
    consultation: Round | None  # open: the committed policy (HEAD) says status consultation
    due: Due
    order: dict[str, int] = field(default_factory=dict, compare=False)  # commit → its place in the history

    def before(self, earlier: str, later: str) -> bool:
        """Whether commit `earlier` comes before `later` in the policy's history (commit times tie)."""
        return self.order.get(earlier, -1) < self.order.get(later, -1)

    @property
    def current(self) -> AdoptedVersion | None:
        return self.versions[-1] if self.versions else None

    def blobs(self) -> set[str]:
        return {v.blob for v in self.versions} | {r.blob for r in self.rounds}


@dataclass
class Gathered:
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def gather(workspace: Workspace, history: History, today: dt.date) -> Gathered:
    """Every policy the site shows, with notes on those it does not (and on uncommitted changes)."""
    found = Gathered()
    for policy_id in workspace.ids():
        try:
            versions = history.versions(policy_id)
        except Unreadable as exc:  # e.g. a symbolic link committed as the policy: the others are published
            found.problems.append(Problem(exc.path, 0, f"cannot read the file: {exc.why}", exc.fix))
            continue
        entry = entry_of(policy_id, versions, today)
        if entry is None:
            found.notes.append(_("{id}: not published: git holds no adopted version and no "
                                 "consultation of it yet").format(id=policy_id))
        else:
            found.entries.append(entry)
        if _uncommitted(workspace, policy_id, versions):
            found.notes.append(_("{path}: uncommitted changes are not published (the site shows what git "
                                 "holds; commit a consultation to publish it)").format(path=f"{POLICY_DIR}/{policy_id}.md"))
    return found


def entry_of(policy_id: str, versions: list[Version], today: dt.date) -> Entry | None:
    """What the site shows of a policy; None if git holds neither an adopted version nor a consultation."""
    adopted = tuple(AdoptedVersion(policy_id, v.decision, v.revision, v.blob)
                    for v in versions if v.decision and v.blob)
    rounds = _rounds(versions)
    head = versions[-1].revision.sha if versions else None
    open_round = next((r for r in rounds if r.sha == head), None)
    metas = {v.revision.sha: v.meta for v in versions}
    meta = metas.get(adopted[-1].revision.sha) if adopted else metas.get(open_round.sha) if open_round else None
    if meta is None:
        return None
    return Entry(policy_id, meta, adopted, tuple(rounds), open_round, due(meta, today),
                 {v.revision.sha: i for i, v in enumerate(versions)})


def _rounds(versions: list[Version]) -> list[Round]:
    """Every consultation (by deadline) in the policy's history, oldest first."""
    rounds: dict[dt.date, Round] = {}
    for version in versions:
        meta = version.meta
        if version.status is not Status.CONSULTATION or version.blob is None:
            continue
        if not (meta and meta.consultation and meta.consultation.deadline):
            continue
        c, deadline = meta.consultation, meta.consultation.deadline
        first = rounds.get(deadline)
        rounds[deadline] = Round(deadline, c.dnr, c.bodies, first.opened if first else version.revision.date,
                                 version.blob, version.revision.sha)
    return sorted(rounds.values(), key=lambda r: r.opened)


def _uncommitted(workspace: Workspace, policy_id: str, versions: list[Version]) -> bool:
    """Whether the file on disk differs from the one last committed (hashed, no git process)."""
    committed = versions[-1].blob if versions else None
    try:
        return committed is None or blob_id(workspace.read(workspace.policy_path(policy_id))) != committed
    except (StyrdokError, OSError):
        return True
