"""The versions a redline compares, named as people name them ("gällande version (KS
2018-03-06, § 64)", "förslaget (arbetskopia)", "remissversionen 2027-02-15"), and the date its
changes carry: when they were made, never the previous decision's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .. import clock
from ..model import Policy, Status
from ..theme import Labels
from .document import packaged_labels



class Origin(str, Enum):
    """Where a compared version comes from."""

    IN_FORCE = "in-force"  # the last adopted version
    ADOPTED = "adopted"  # an earlier adopted version
    COMMIT = "commit"  # another committed revision
    WORKING_TREE = "working-tree"  # the file on disk, not committed
    FILE = "file"  # a file given by path (no git)


@dataclass(frozen=True)
class Version:
    """One side of a comparison: the policy and where it comes from (`when`: its commit date)."""

    policy: Policy
    origin: Origin
    when: dt.datetime | None = None
    file: str | None = None  # a file compared by path: the path as given


def version_name(version: Version, labels: Labels | None = None, *, clock: str = "", order: str = "") -> str:
    """The version as the redline names it; never a commit id (changes.md is pasted into the
    officer's report). `clock` (HH.MM) and `order` ("earlier" or "later") tell apart two
    versions committed the same day, order "name" or "path" two files that would read the same
    (two copies of one adopted version: "versionen antagen (KS 2018-03-06, § 64) i filen ny.md"; see
    version_names)."""
    labels = labels if labels is not None else packaged_labels()
    meta = version.policy.meta
    last = meta.last_decision
    bodies = {k.rsplit(".", 1)[1]: labels(k) for k in labels.keys() if k.startswith("redline.bodies.")}
    decided = (labels("redline.versions.decision", body=bodies.get(last.body.lower(), last.body),
                      date=last.date.isoformat(), paragraph=last.paragraph)
               if last is not None and last.date is not None else None)
    if version.origin is Origin.IN_FORCE and decided:
        return labels("redline.versions.in_force", decision=decided)
    if version.origin is Origin.ADOPTED and decided:
        return labels("redline.versions.adopted", decision=decided)
    if meta.status is Status.CONSULTATION and meta.consultation and meta.consultation.deadline:
        return labels("redline.versions.consultation", date=meta.consultation.deadline.isoformat())
    if version.origin is Origin.WORKING_TREE:
        return labels("redline.versions.working_tree")
    if version.origin is Origin.FILE:
        file = version.file if order == "path" else Path(version.file or "").name
        if meta.status is Status.ADOPTED and decided:
            adopted = labels("redline.versions.adopted", decision=decided)
            return labels("redline.versions.in_file", version=adopted, file=file) if order else adopted
        return labels("redline.versions.file", file=file)
    if version.when is None:
        return labels("redline.versions.draft")
    day = version.when.date().isoformat()
    if order:
        return labels(f"redline.versions.commit_{order}", date=day, time=clock)
    return labels("redline.versions.commit_time", date=day, time=clock) if clock else \
        labels("redline.versions.commit", date=day)


def version_names(older: Version, newer: Version, labels: Labels | None = None) -> tuple[str, str]:
    """The two versions' names, told apart when they would read the same: two files by their names
    (or paths), two drafts committed the same day with the time of day ("förslaget (2026-11-24
    kl. 10.15)"), and as the earlier and the later one when even that is the same."""
    names = version_name(older, labels), version_name(newer, labels)
    if names[0] == names[1] and older.origin is newer.origin is Origin.FILE:  # by their file names, else paths
        by_name = version_name(older, labels, order="name"), version_name(newer, labels, order="name")
        return by_name if by_name[0] != by_name[1] else (version_name(older, labels, order="path"),
                                                         version_name(newer, labels, order="path"))
    if names[0] != names[1] or older.when is None or newer.when is None:
        return names
    local = older.when.astimezone(), newer.when.astimezone()
    clocks = tuple(f"{t:%H.%M}" for t in local)
    if clocks[0] != clocks[1]:
        return version_name(older, labels, clock=clocks[0]), version_name(newer, labels, clock=clocks[1])
    first, second = ("earlier", "later") if older.when <= newer.when else ("later", "earlier")
    return (version_name(older, labels, clock=clocks[0], order=first),
            version_name(newer, labels, clock=clocks[1], order=second))


def change_time(made: dt.datetime | None) -> dt.datetime:
    """When the changes were made: SOURCE_DATE_EPOCH when set (reproducible builds), else `made`
    (the commit date of the new version), else midnight UTC of today (a working tree or a file)."""
    if stamp := clock.epoch():
        return stamp
    if made is not None:
        return made.astimezone(dt.timezone.utc)
    return clock.midnight(clock.today())
