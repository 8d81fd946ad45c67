"""Gather: what git holds of every policy, in one pass over each policy's revisions.

`History.versions` lists every revision with its blob id and parses each blob's front matter once
(kept between runs in the site's cache, by blob id); everything the later stages need (adopted
versions, consultations, the metadata shown) is taken from those versions. The files' bytes are read
only for what is rendered (`sources`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import StyrdokError
from ..history import History, Revision, Version, blob_id
from ..lifecycle import Due, due
from ..model import Decision, Metadata, Status
from ..workspace import POLICY_DIR, Workspace
from .layout import remiss_folder, version_folder


@dataclass(frozen=True)
class AdoptedVersion:
    """An adopted version of a policy: the decision it recorded and the file as committed then."""

    policy_id: str
    decision: Decision
    revision: Revision
    blob: str  # the file's git blob id: what a published version is made from

    @property
    def date(self) -> dt.date:
        assert self.decision.date is not None  # an adoption records a complete decision
        return self.decision.date

    @property
    def folder(self) -> str:
        return version_folder(self.policy_id, self.date.isoformat())


@dataclass(frozen=True)
class Round:
    """A consultation found in git: its deadline, when it was first committed, and its last committed text."""

    deadline: dt.date
    dnr: str | None
    bodies: tuple[str, ...]
    opened: dt.datetime
    blob: str  # the file as last committed with this consultation
    sha: str = ""  # that commit

    def folder(self, policy_id: str) -> str:
        return remiss_folder(policy_id, self.deadline.isoformat())

    @property
    def key(self) -> bytes:
        """What the consultation's package is made from (its cache key)."""
        return f"{self.blob} {self.opened.isoformat()}".encode()


@dataclass(frozen=True)
class Entry:
    """A policy as the site shows it: `meta` is its last adopted version's (else the consultation's)."""

    id: str
    meta: Metadata
    versions: tuple[AdoptedVersion, ...]  # oldest first
    rounds: tuple[Round, ...]  # every consultation in git, oldest first
    consultation: Round | None  # open: the committed policy (HEAD) says status consultation
    due: Due

    @property
    def current(self) -> AdoptedVersion | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class Gathered:
    entries: tuple[Entry, ...]
    notes: tuple[str, ...]


def gather(workspace: Workspace, history: History, today: dt.date) -> Gathered:
    """Every policy git holds an adopted version or a consultation of, and notes on the others."""
    entries, notes = [], []
    for policy_id in workspace.ids():
        versions = history.versions(policy_id)
        entry = entry_of(policy_id, versions, today)
        if entry is None:
            notes.append(f"{policy_id}: not published: git holds no adopted version and no consultation of it yet")
        else:
            entries.append(entry)
        if _uncommitted(workspace, policy_id, versions):
            notes.append(f"{POLICY_DIR}/{policy_id}.md: uncommitted changes are not published "
                         "(the site shows what git holds; commit a consultation to publish it)")
    return Gathered(tuple(entries), tuple(notes))


def entry_of(policy_id: str, versions: list[Version], today: dt.date) -> Entry | None:
    """What the site shows of a policy; None if git holds neither an adopted version nor a consultation."""
    by_sha = {v.revision.sha: v for v in versions}
    adopted = tuple(AdoptedVersion(policy_id, v.decision, v.revision, v.blob)
                    for v in versions if v.decision and v.blob is not None)
    rounds = _rounds(versions)
    head = versions[-1].revision.sha if versions else None
    open_round = next((r for r in rounds if r.sha == head), None)
    shown = adopted[-1].revision.sha if adopted else open_round.sha if open_round else None
    meta = by_sha[shown].meta if shown else None
    if meta is None:
        return None
    return Entry(policy_id, meta, adopted, tuple(rounds), open_round, due(meta, today))


def _rounds(versions: list[Version]) -> list[Round]:
    """Every consultation (by deadline) in the policy's history, oldest first."""
    rounds: dict[dt.date, Round] = {}
    for version in versions:
        meta = version.meta
        if version.status is not Status.CONSULTATION or version.blob is None:
            continue
        if not (meta and meta.consultation and meta.consultation.deadline):
            continue
        first = rounds.get(meta.consultation.deadline)
        rounds[meta.consultation.deadline] = Round(
            meta.consultation.deadline, meta.consultation.dnr, meta.consultation.bodies,
            first.opened if first else version.revision.date, version.blob, version.revision.sha)
    return sorted(rounds.values(), key=lambda r: r.opened)


def _uncommitted(workspace: Workspace, policy_id: str, versions: list[Version]) -> bool:
    """True if the file on disk differs from the last committed one (or either is missing)."""
    committed = versions[-1].blob if versions else None
    try:
        return committed is None or blob_id(workspace.policy_path(policy_id).read_bytes()) != committed
    except (OSError, StyrdokError):
        return True


def sources(history: History, blobs: Iterable[str]) -> dict[str, bytes]:
    """The committed bytes of the given blobs, for the versions and consultations to render."""
    return {blob: history.blob(blob) for blob in sorted(set(blobs))}
