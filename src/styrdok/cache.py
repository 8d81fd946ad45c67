"""Content-hash cache: a policy whose source, templates and tools are unchanged is not rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import pandoc
from .files import outside
from .output import CACHE_DIR, atomic_write
from .templates import Templates


def _hash_tree(digest: "hashlib._Hash", folder: Path | None, patterns: tuple[str, ...]) -> None:
    if not folder or not folder.is_dir():
        return
    for path in sorted(p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_symlink():
            digest.update(os.readlink(path).encode() + b"\0")
            if outside(path, folder.parent):  # never read: the render refuses it with its fix
                continue
        digest.update(path.read_bytes())


@cache
def _code_fingerprint() -> str:
    """styrdok's own code and packaged templates, and the converters' versions."""
    try:
        typst = version("typst")
    except PackageNotFoundError:
        typst = "missing"  # the PDF render says so
    digest = hashlib.sha256(f"pandoc {pandoc.version()} typst {typst}".encode())
    _hash_tree(digest, Path(__file__).parent, ("*.py", "*.j2", "*.typ", "*.css", "*.json", "*.docx", "*.yaml", "*.svg", "*.png"))
    return digest.hexdigest()


def fingerprint(templates: Templates, *parts: str) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    _hash_tree(digest, templates.override_dir, ("*",))
    digest.update(repr((parts, os.environ.get("SOURCE_DATE_EPOCH"))).encode())
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
        try:
            stamp = json.loads(self._stamp(policy_id).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if stamp.get("key") != self.key(source):
            return None
        files = [self.root / name for name in stamp.get("files", {})]
        sizes = stamp.get("files", {})
        if all(p.is_file() and p.stat().st_size == sizes[p.relative_to(self.root).as_posix()] for p in files):
            return files
        return None

    def record(self, policy_id: str, source: bytes, files: list[Path]) -> None:
        stamp = {"key": self.key(source),
                 "files": {p.relative_to(self.root).as_posix(): p.stat().st_size for p in files}}
        atomic_write(self._stamp(policy_id), json.dumps(stamp, indent=1, sort_keys=True).encode())
