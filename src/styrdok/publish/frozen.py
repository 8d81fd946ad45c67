"""Check: published versions are frozen. A version's folder and its redline are made once from fixed
sources (named by their git blob ids in the folder's manifest) and never changed afterwards.

`check_frozen` refuses, before anything is written, when git's history no longer matches what was
published; `state` tells, per folder, which files are published and intact, so only what is missing
is rendered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, StyrdokError
from .gather import AdoptedVersion, Entry
from .layout import CHANGES_DIR, MANIFEST


class HistoryRewritten(StyrdokError):
    """Publishing would change or drop a version published earlier."""


@dataclass(frozen=True)
class Frozen:
    """A folder made from fixed sources, named by `key` (their git blob ids): a version's page and
    files, or (`redline`) its redline against the previous version."""

    folder: str
    key: str
    version: AdoptedVersion
    previous: AdoptedVersion | None
    redline: bool = False

    def about(self) -> dict[str, str]:
        """What the folder's manifest says besides its files."""
        about = {"policy": self.version.policy_id, "version": self.version.date.isoformat(),
                 "decision": self.version.decision.line(), "source": self.key}
        return {**about, "compared_with": self.previous.date.isoformat()} if self.redline and self.previous else about


Record = dict  # {"bytes": n, "sha256": hex} of one published file


@dataclass(frozen=True)
class State:
    """A frozen folder as published: the sources its manifest names, the manifest's records of its files,
    and those whose file is there unchanged (`kept`)."""

    source: str | None = None
    recorded: dict[str, Record] = field(default_factory=dict)
    kept: dict[str, Record] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return bool(self.recorded) and self.kept == self.recorded


def with_previous(versions: tuple[AdoptedVersion, ...]) -> list[tuple[AdoptedVersion | None, AdoptedVersion]]:
    """Each version with the adopted version before it (None for the first)."""
    return list(zip((None, *versions), versions))


def frozen_units(entry: Entry) -> list[Frozen]:
    units = []
    for previous, version in with_previous(entry.versions):
        units.append(Frozen(version.folder, version.blob, version, previous))
        if previous:
            units.append(Frozen(f"{version.folder}/{CHANGES_DIR}", f"{previous.blob}..{version.blob}",
                                version, previous, redline=True))
    return units


def read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(data: bytes) -> Record:
    return {"bytes": len(data), "sha256": sha256(data)}


def state(site: Path, unit: Frozen) -> State:
    """Which of the folder's published files are still there as published.

    A folder whose every file has its recorded size counts as intact without reading the files (a
    published file is never changed by styrdok); in a damaged folder each file is compared by hash.
    """
    folder = site / unit.folder
    manifest = read_manifest(folder)
    source, recorded = manifest.get("source"), manifest.get("files", {})
    if not isinstance(recorded, dict):
        return State(source)
    sized = {name: rec for name, rec in recorded.items()
             if (folder / name).is_file() and (folder / name).stat().st_size == rec.get("bytes")}
    if recorded and sized == recorded:
        return State(source, recorded, dict(recorded))
    kept = {name: rec for name, rec in sized.items() if sha256((folder / name).read_bytes()) == rec.get("sha256")}
    return State(source, recorded, kept)


def check_frozen(site: Path, entries: Iterable[Entry], states: Mapping[str, list[tuple[Frozen, State]]]) -> None:
    """Refuse, writing nothing, if a published version would change or has gone from git.

    `states` holds, per policy id, its frozen folders as `state` found them."""
    conflicts: list[Problem] = []
    for entry in entries:
        units = {unit.folder: unit for unit, _ in states[entry.id]}
        for unit, published in states[entry.id]:
            if published.source and published.source != unit.key:
                conflicts.append(Problem.reason(f"{unit.folder}/ was published from {published.source}, "
                                                f"git now has {unit.key}"))
        for manifest in sorted((site / entry.id).glob(f"*/{MANIFEST}")):
            folder = manifest.parent.relative_to(site).as_posix()
            if folder not in units:
                conflicts.append(Problem.reason(f"{folder}/ was published, but git no longer has that adopted version"))
    if conflicts:
        raise HistoryRewritten("published versions would change", [*conflicts, Problem.reason(
            "the git history of these policies was rewritten (a rebase, or an amended or removed adoption "
            "commit); a published version is never changed",
            "restore the history, or publish to a new folder (--out) if the published version was wrong")])
