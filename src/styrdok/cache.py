"""Content-hash cache: a policy whose source, templates and tools are unchanged is not rebuilt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import hashlib
import json
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from . import clock, pandoc, usercache
from .files import outside
from .output import CACHE_DIR, atomic_write
from .templates import Templates


def _hash_tree(digest: "hashlib._Hash", folder: Path | None, patterns: tuple[str, ...]) -> None:
    if not folder or not folder.is_dir():
        return
    found = [Path(top, name) for top, _dirs, names in os.walk(folder) for name in names
             if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)]
    for path in sorted(p for p in found if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_symlink():
            digest.update(os.readlink(path).encode() + b"\0")
            if outside(path, folder.parent):  # never read: the render refuses it with its fix
                continue
        digest.update(path.read_bytes())


@cache
def _code_fingerprint() -> str:
    """styrdok's own code and packaged templates, and the converters."""
    digest = hashlib.sha256(f"pandoc {pandoc.version()} {usercache.installed('typst')}".encode())
    _hash_tree(digest, Path(__file__).parent, ("*.py", "*.j2", "*.typ", "*.css", "*.json", "*.docx", "*.yaml", "*.svg", "*.png"))
    return digest.hexdigest()


def fingerprint(templates: Templates, *parts: str) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    _hash_tree(digest, templates.override_dir, ("*",))
    digest.update(repr((parts, clock.epoch())).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildCache:
    root: Path  # the output folder
    fingerprint: str

    def _stamp(self, policy_id: str) -> Path:
        return self.root / CACHE_DIR / f"{policy_id}.json"

    def key(self, source: bytes) -> str:
        return hashlib.sha256(self.fingerprint.encode() + source).hexdigest()

    def fresh(self, policy_id: str, source: bytes) -> list[Path] | None:
        """The outputs of an unchanged policy if they are all still there, else None."""
        sizes = self.sizes(policy_id, source)
        return None if sizes is None else [self.root / name for name in sizes]

    def sizes(self, policy_id: str, source: bytes) -> dict[str, int] | None:
        """{path under the output folder: size} of an unchanged policy's outputs if they are all still there."""
        try:
            stamp = json.loads(self._stamp(policy_id).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if stamp.get("key") != self.key(source):
            return None
        sizes = stamp.get("files", {})
        if all((path := self.root / name).is_file() and path.stat().st_size == size for name, size in sizes.items()):
            return sizes
        return None

    def record(self, policy_id: str, source: bytes, files: list[Path]) -> None:
        stamp = {"key": self.key(source),
                 "files": {p.relative_to(self.root).as_posix(): p.stat().st_size for p in files}}
        atomic_write(self._stamp(policy_id), json.dumps(stamp, indent=1, sort_keys=True).encode())


# --- what git's history says, by blob and by commit -------------------------------------------------

def _encode(value: object) -> object:
    """A model value (frozen dataclasses, str Enums, dates, tuples) as JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


def _decode(kind: Any, data: Any) -> Any:
    """The inverse of `_encode`, guided by the type hints of the dataclass fields."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return _decode(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_decode(item, v) for v in data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind)
                       if f.init and f.name in data})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(str(data))
    if kind is dt.date:
        return dt.date.fromisoformat(str(data))
    return data


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


class HistoryCache:
    """What `History` learns from git, kept between runs in one JSON file: each policy's revisions at a
    HEAD commit, and each blob's validated front matter (Metadata, or None if it did not validate).

    Keyed by commit and blob ids, so it never goes stale; the code fingerprint makes a new styrdok
    start afresh. Anything unreadable is a miss.
    """

    def __init__(self, path: Path):
        self.path = path
        self.changed = False
        try:
            data = json.loads(path.read_text("utf-8"))
            ok = isinstance(data, dict) and data.get("code") == _code_fingerprint()
        except (OSError, ValueError):
            data, ok = {}, False
        self._meta: dict[str, Any] = data.get("meta", {}) if ok else {}
        self._revisions: dict[str, Any] = data.get("revisions", {}) if ok else {}
        self._decoded: dict[str, object] = {}
        self._head: list[str | None] = []  # HEAD's commit, once known

    def head(self, load: Callable[[], str | None]) -> str | None:
        """HEAD's commit, asked of git once per run: every policy's revisions are looked up under it."""
        if not self._head:
            self._head.append(load())
        return self._head[0]

    def metadata(self, key: str, load: Callable[[], object], kind: type) -> Any:
        """The metadata cached under `key`, else `load()`'s (then cached)."""
        if key in self._decoded:
            return self._decoded[key]
        if key in self._meta:
            try:
                value = _decode(kind, self._meta[key])
            except (TypeError, ValueError, KeyError):
                value = load()
                self._meta[key], self.changed = _encode(value), True
        else:
            value = load()
            self._meta[key], self.changed = _encode(value), True
        self._decoded[key] = value
        return value

    def revisions(self, key: str, load: Callable[[], list], kind: type) -> list:
        """The revisions cached under `key` (a HEAD commit and a path), else `load()`'s (then cached)."""
        if key in self._revisions:
            try:
                return [(_decode(kind, revision), blob) for revision, blob in self._revisions[key]]
            except (TypeError, ValueError, KeyError):
                pass
        value = load()
        self._revisions[key], self.changed = [[_encode(revision), blob] for revision, blob in value], True
        return value

    def save(self, keep_head: str | None = None) -> None:
        """Write the cache if it learnt something; revisions of other HEADs than `keep_head` are dropped."""
        if not self.changed:
            return
        if keep_head is not None:
            self._revisions = {k: v for k, v in self._revisions.items() if k.startswith(f"{keep_head}:")}
        data = {"code": _code_fingerprint(), "meta": self._meta, "revisions": self._revisions}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
