"""Writing outputs: atomically (temp file + rename), only under the output folder, once per run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import StyrdokError
from .i18n import _


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so a reader sees the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a build that was killed
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class OutputDir:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.written: set[Path] = set()
        self.changed: set[Path] = set()  # written with new content (not skipped as unchanged)

    def target(self, relative: str | Path) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise StyrdokError(_("refusing to write {path}: it lies outside the output folder {folder}").format(
                path=relative, folder=self.root))
        return path

    def write(self, relative: str | Path, data: bytes) -> Path:
        path = self.target(relative)
        if path in self.written:
            raise StyrdokError(_("refusing to write {path} twice in one run (two outputs claim the same name)").format(path=path))
        self.written.add(path)
        if path.is_file() and path.read_bytes() == data:
            return path  # unchanged: keep the file's identity and mtime
        atomic_write(path, data)
        self.changed.add(path)
        return path

    def write_all(self, files: dict[str, bytes]) -> list[Path]:
        return [self.write(name, data) for name, data in files.items()]
