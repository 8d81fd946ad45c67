"""Locks between styrdok runs: one `adopt` at a time per repository, one run at a time per output folder.

A lock is `flock` on a file that stays in place (removing lock files races). The kernel
releases it when its holder exits, however it exits, so a killed run never leaves a stale
lock behind. The holder writes its pid into the file, so a waiting run can say whom it waits for.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StyrdokError
from .i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: runs are not serialised
    fcntl = None  # type: ignore[assignment]

WAIT = 600.0  # seconds: far longer than any run on a real repository


class Busy(StyrdokError):
    """Another run held the lock for longer than we would wait."""


def folder() -> Path:
    """The current user's folder for locks that must not appear anywhere else (e.g. in an output folder)."""
    import tempfile

    return Path(tempfile.gettempdir()) / f"styrdok-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def alive(pid: int) -> bool:
    """True if process `pid` runs on this host (perhaps someone else's); a zombie has ended."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:  # a killed process no one has reaped yet still has its pid
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _say(message: str) -> None:
    print(f"styrdok: {message}", file=sys.stderr, flush=True)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "?"
    return text or "?"


@contextmanager
def hold(path: Path, what: str, *, wait: float = WAIT, notify: Callable[[str], None] | None = _say) -> Iterator[None]:
    """Hold the lock `path` for the `with` block; wait (saying so) while another process holds it.

    `what` names what the lock protects ("the output folder build/"), for the messages.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StyrdokError.because(_("cannot lock {what}").format(what=what), f"{exc.strerror} ({path})",
                                   fix(exc)) from None
    try:
        if fcntl is not None:
            _acquire(fd, path, what, wait, notify)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, path: Path, what: str, wait: float, notify: Callable[[str], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    holder = _holder(fd)
    if notify:
        notify(_("waiting: another styrdok run (pid {pid}) is using {what}").format(pid=holder, what=what))
    deadline = time.monotonic() + wait
    while True:
        time.sleep(0.05)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                holder = _holder(fd)
                raise Busy.because(_("another styrdok run (pid {pid}) has been using {what} for over {seconds:.0f} s")
                                   .format(pid=holder, what=what, seconds=wait),
                                   _("the lock is {path}").format(path=path),
                                   _("wait for it to finish, or stop it (kill {pid})").format(pid=holder)) from None


def fix(exc: OSError) -> str:
    """How to get past an OSError from writing a file or folder."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _("choose an output folder you may write to (--out DIR), or change the folder's permissions")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("free space on the disk (or give --out on another disk), then run the command again")
    return _("check the folder, then run the command again")
