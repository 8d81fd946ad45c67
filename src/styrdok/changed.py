"""What changed since a revision: the policies whose file differs from their base (a given
revision, else each policy's last adopted version), and their redlines — for CI, where every
push gets a redline of every revised policy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import compare, redline
from .history import History
from .workspace import Workspace


@dataclass(frozen=True)
class ChangedPolicy:
    """A policy whose working-tree file differs from `base` (a commit sha; None: no base to
    compare with — a policy that is new since `since`, or never adopted)."""

    id: str
    base: str | None


@dataclass(frozen=True)
class ChangedRedline:
    policy: ChangedPolicy
    redline: redline.Redline | None  # None when there is no base to compare with


def changed_policies(workspace: Workspace, since: str | None = None) -> list[ChangedPolicy]:
    """Policies whose file on disk differs from `since` (any git ref), or by default from
    their last adopted version; a policy never adopted counts as changed with no base."""
    history = History(workspace)
    if since is not None:
        history.read_commit(since)  # an unknown revision is an error, not "everything changed"
    found = []
    for policy_id in workspace.ids():
        if since is None:
            adopted = history.last_adopted(policy_id)
            base = adopted.sha if adopted else None
        else:
            base = history.read_commit(since) if history.exists_at(policy_id, since) else None
        if base is None or history.read(policy_id, base) != history.read(policy_id):
            found.append(ChangedPolicy(policy_id, base))
    return found


def redline_changed(workspace: Workspace, since: str | None = None, *, out: Path | None = None,
                    author: str | None = None) -> list[ChangedRedline]:
    """The redline of every changed policy into `out/<id>/redline/` (default build/)."""
    root = out or workspace.root / "build"
    results = []
    for policy in changed_policies(workspace, since):
        made = None
        if policy.base is not None:
            made = compare.redline_revisions(workspace, policy.id, from_rev=policy.base, out=root / policy.id / "redline",
                                             author=author)
        results.append(ChangedRedline(policy, made))
    return results


def summary_json(results: list[ChangedRedline], since: str | None) -> str:
    """The summary for CI and other tools: one entry per changed policy."""
    entries = []
    for item in results:
        made = item.redline
        entries.append({
            "id": item.policy.id,
            "from": item.policy.base,
            "changed": made.changed if made else True,
            "new": made is None,
            "out": str(made.out) if made and made.out else None,
            "files": sorted(made.files) if made else [],
            "totals": made.summary.totals if made else None,
            "sections": [{"where": s.where, "text": s.text} for s in made.summary.sections] if made else [],
        })
    return json.dumps({"since": since or "last-adopted", "policies": entries}, ensure_ascii=False, indent=2) + "\n"


__all__ = ["ChangedPolicy", "ChangedRedline", "changed_policies", "redline_changed", "summary_json"]
