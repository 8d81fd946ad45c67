"""Check frozen versions: a published version's folder (its documents, its redline) never changes.

Each folder is named by the git blob ids of its sources and records them, with its files' sizes and
hashes, in a manifest. Before anything is written, every folder git now implies is compared with
what was published; a difference (a rewritten history) refuses the whole run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, StyrdokError
from ..i18n import _
from .gather import AdoptedVersion, Entry
from .layout import CHANGES_DIR, MANIFEST, PAGE


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


@dataclass(frozen=True)
class State:
    """What the site holds of a frozen folder: its manifest's source and file records."""

    source: str | None = None
    recorded: dict[str, dict] = field(default_factory=dict)  # file name → {"bytes", "sha256"}, the page left out
    intact: bool = False  # every recorded file is there with its recorded size


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


def manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def state(root: Path, unit: Frozen) -> State:
    folder = root / unit.folder
    data = manifest(folder)
    # The version's page is not frozen (it says when the version is no longer in force); manifests
    # written before that listed it among the files.
    recorded = {name: record for name, record in data.get("files", {}).items() if name != PAGE}
    intact = bool(recorded) and all((folder / name).is_file() and (folder / name).stat().st_size == record.get("bytes")
                                    for name, record in recorded.items())
    return State(data.get("source"), recorded, intact)


def check_frozen(root: Path, entries: list[Entry], states: dict[str, list[tuple[Frozen, State]]]) -> None:
    """Refuse, writing nothing, if a published version would change or has gone from git."""
    conflicts = []
    for entry in entries:
        units = {unit.folder: (unit, known) for unit, known in states[entry.id]}
        for unit, known in units.values():
            if known.source and known.source != unit.key:
                conflicts.append(_("{folder}/ was published from {source}, git now has {key}").format(
                    folder=unit.folder, source=known.source, key=unit.key))
        for path in sorted((root / entry.id).glob(f"*/{MANIFEST}")):
            folder = path.parent.relative_to(root).as_posix()
            if folder not in units:
                conflicts.append(_("{folder}/ was published, but git no longer has that adopted version").format(
                    folder=folder))
    if conflicts:
        raise HistoryRewritten(_("published versions would change"), [
            *(Problem.reason(conflict) for conflict in conflicts),
            Problem.reason(_("the git history of these policies was rewritten (a rebase, or an amended or removed "
                             "adoption commit); a published version is never changed"),
                           _("restore the history, or publish to a new folder (--out) if the published version "
                             "was wrong"))])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def frozen_files(root: Path, unit: Frozen, known: State, files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, int]]:
    """The files to write for a frozen folder just rendered (by name, with its manifest), and the sizes of
    all its files: a file published with earlier templates stays as published; one that differs otherwise
    is refused."""
    folder = root / unit.folder
    out: dict[str, bytes] = {}
    listing: dict[str, dict] = {}
    for name, data in sorted(files.items()):
        path = folder / name
        if path.is_file() and (old := path.read_bytes()) != data:
            if known.recorded.get(name, {}).get("sha256") == sha256(old):
                listing[name] = {"bytes": len(old), "sha256": sha256(old)}
                continue  # published with earlier templates: it stays as published
            raise HistoryRewritten.because(
                _("{path} exists with other content than {folder}/ would have").format(path=path, folder=unit.folder),
                _("a published version is never overwritten"),
                _("publish to a new folder (--out), or remove the folder on purpose"))
        out[name] = data
        listing[name] = {"bytes": len(data), "sha256": sha256(data)}
    about: dict[str, object] = {**unit.about(), "files": listing}
    if not unit.redline:
        about["page"] = {"file": PAGE, "frozen": False,
                         "note": "re-rendered when the version's status changes (superseded, repealed)"}
    out[MANIFEST] = as_json(about)
    return out, {name: record["bytes"] for name, record in listing.items()}


def as_json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
