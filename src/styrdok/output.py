"""Writing outputs: atomically (temp file + rename), only under the output folder, once per run.

A set of files (one policy's DOCX, PDF and HTML) is written as a set: every file is staged as a
temp file first, and only when all are on disk are they renamed into place, so a full disk or a
read-only folder leaves the old set, never a new file beside old ones. Temp files carry the
writer's host and pid: one run removes another's only when that run is provably gone, so two
runs on one folder never delete each other's work.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from . import lock
from .errors import StyrdokError
from .i18n import _

CACHE_DIR = ".styrdok-cache"  # hidden in every output folder: the build cache
ABANDONED_AFTER = 24 * 3600.0  # seconds: a temp file of another host (or an old styrdok) this old is stale
PROTECTED = ("policy", "templates", ".git")  # the repository's own folders: never an output folder


class OutputError(StyrdokError):
    """An output could not be written (full disk, read-only folder, …); nothing of its set was replaced."""


@cache
def _host() -> str:
    if hasattr(os, "uname"):  # what socket.gethostname() says, without importing socket (5 ms)
        name = os.uname().nodename
    else:
        import socket

        name = socket.gethostname()
    return hashlib.sha1(name.encode("utf-8", "replace")).hexdigest()[:6]


def _temp_name(path: Path) -> Path:
    return path.parent / f".{path.name}.{_host()}-{os.getpid()}.{os.urandom(4).hex()}.tmp"


def abandoned(temp: Path, now: float | None = None) -> bool:
    """True if `temp` was left by a run that is gone: its pid (on this host) is dead, or it is very old."""
    parts = temp.name.rsplit(".", 3)  # .<name>, <host>-<pid>, <random>, tmp
    owner = parts[1] if len(parts) == 4 else ""
    host, _sep, pid = owner.partition("-")
    if host == _host() and pid.isdigit():
        if not lock.alive(int(pid)):
            return True
    try:
        age = (now or time.time()) - temp.lstat().st_mtime
    except OSError:
        return False
    return age > ABANDONED_AFTER


def _remove_abandoned(path: Path) -> None:
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        if abandoned(stale):
            stale.unlink(missing_ok=True)


def _write_fd(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd` (the one place bytes reach the disk; tests inject ENOSPC here)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _why(exc: OSError) -> tuple[str, str]:
    """What an OSError means for the user, and how to fix it."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full"), lock.fix(exc)
    if exc.errno in (errno.EROFS,):
        return _("the file system is read-only"), _("choose an output folder you may write to (--out DIR)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied"), lock.fix(exc)
    if exc.errno in (errno.ENAMETOOLONG,):
        return _("the file name is too long"), _("use a shorter id or output folder")
    return exc.strerror or str(exc), _("check the output folder, then run the command again")


def write_error(path: Path, exc: OSError, kept: str = "") -> OutputError:
    why, fix = _why(exc)
    return OutputError.because(_("cannot write {path}").format(path=path), why + kept, fix)


def _stage(path: Path, data: bytes) -> Path:
    """`data` in a temp file beside `path`, flushed to disk; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(path)
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        _write_fd(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.chmod(tmp, 0o644)
    return tmp


def write_set(files: dict[Path, bytes]) -> None:
    """Write every file, or (on any error) none: stage all, then rename all into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            try:
                staged.append((_stage(path, data), path))
            except OSError as exc:
                kept = _("; nothing of this set was replaced") if len(files) > 1 else _("; the old file is kept")
                raise write_error(path, exc, kept) from None
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so a reader sees the old file or the new one, never a torn one."""
    write_set({path: data})


def _repository_folders(root: Path) -> list[Path]:
    """The folders of the policy repository holding `root` (if any) that must never receive output."""
    for folder in (root, *root.parents):
        policy = folder / "policy"
        if policy.is_dir() and ((folder / ".git").exists() or any(policy.glob("*.md"))):
            return [(folder / name).resolve() for name in PROTECTED]
    return []


class OutputDir:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.protected = _repository_folders(self.root)
        for folder in self.protected:
            if self.root.is_relative_to(folder):
                raise StyrdokError.because(
                    _("refusing to write into {folder}").format(folder=self.root),
                    _("it lies inside {name}/, which holds the repository's own files (outputs there would "
                      "overwrite them)").format(name=folder.name),
                    _("give an output folder outside policy/, templates/ and .git/, e.g. --out build/"))
        self.written: set[Path] = set()
        self.changed: set[Path] = set()  # written with new content (not skipped as unchanged)

    def target(self, relative: str | Path) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise StyrdokError.because(_("refusing to write {path}").format(path=relative),
                                       _("it lies outside the output folder {folder}").format(folder=self.root))
        if any(path.is_relative_to(folder) for folder in self.protected):
            raise StyrdokError.because(_("refusing to write {path}").format(path=path),
                                       _("it lies inside the repository's policy/, templates/ or .git/ folder"),
                                       _("give an output folder outside them, e.g. --out build/"))
        return path

    def _claim(self, relative: str | Path, data: bytes) -> Path | None:
        """The target of `relative`, or None if it already holds `data` (then it keeps its identity and mtime)."""
        path = self.target(relative)
        if path in self.written:
            raise StyrdokError.because(_("refusing to write {path} twice in one run").format(path=path),
                                       _("two outputs claim the same name"))
        self.written.add(path)
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
                    and path.read_bytes() == data:
                return None
        except OSError:
            pass  # unreadable: replaced below
        return path

    def write(self, relative: str | Path, data: bytes) -> Path:
        return self.write_all({str(relative): data})[0]

    def write_all(self, files: dict[str, bytes]) -> list[Path]:
        """Write the files as a set: all of them, or (full disk, read-only folder …) none."""
        targets = [(self.target(name), name) for name in files]
        todo = {path: files[name] for path, name in
                ((self._claim(name, files[name]), name) for _, name in targets) if path is not None}
        write_set(todo)
        self.changed.update(todo)
        return [path for path, _ in targets]

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the output folder for this run: a second run on the same folder waits until it is done.

        The lock lives in the user's temp folder, named after the output folder, so a run that
        is refused leaves no trace in the output folder (it need not even exist).
        """
        name = hashlib.sha256(str(self.root).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        with lock.hold(lock.folder() / f"out-{name}.lock", _("the output folder {folder}").format(folder=self.root)):
            yield
