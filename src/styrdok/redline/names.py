"""The versions a redline compares, named as people name them ("gällande version (KS
2018-03-06, § 64)", "förslaget (arbetskopia)", "remissversionen 2027-02-15"), and the date its
changes carry: when they were made, never the previous decision's date."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from enum import Enum

from ..model import Policy, Status

BODIES = {"kommunstyrelsen": "KS", "kommunfullmäktige": "KF"}  # as the minutes abbreviate them


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
    file: str | None = None


def version_name(version: Version) -> str:
    """The version as the redline names it; never a commit id (changes.md is pasted into the
    officer's report)."""
    meta = version.policy.meta
    last = meta.last_decision
    decided = (f"{BODIES.get(last.body.lower(), last.body)} {last.date.isoformat()}, § {last.paragraph}"
               if last is not None and last.date is not None else None)
    if version.origin is Origin.IN_FORCE and decided:
        return f"gällande version ({decided})"
    if version.origin is Origin.ADOPTED and decided:
        return f"versionen antagen ({decided})"
    if meta.status is Status.CONSULTATION and meta.consultation and meta.consultation.deadline:
        return f"remissversionen {meta.consultation.deadline.isoformat()}"
    if version.origin is Origin.WORKING_TREE:
        return "förslaget (arbetskopia)"
    if version.origin is Origin.FILE:
        return f"versionen antagen ({decided})" if meta.status is Status.ADOPTED and decided else \
            f"förslaget ({version.file})"
    return f"förslaget ({version.when.date().isoformat()})" if version.when else "förslaget"


def change_time(made: dt.datetime | None) -> dt.datetime:
    """When the changes were made: SOURCE_DATE_EPOCH when set (reproducible builds), else `made`
    (the commit date of the new version), else today (a working tree or a file)."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if made is not None:
        return made.astimezone(dt.timezone.utc)
    today = dt.datetime.now(dt.timezone.utc).date()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc)
