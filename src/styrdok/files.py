"""Reading the repository's files: regular files only, under a size limit, never from outside.

A policy or template that is a folder, a named pipe (FIFO, reading would hang), a device
(/dev/zero never ends) or a symbolic link out of the repository (/etc/passwd must never reach
a published page) is refused with what it is and how to fix it, before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem, StyrdokError
from .i18n import _

# styrdok's own folder, with the packaged templates/ and schema/: a wheel installs them as plain
# files (importlib.resources would cost a command 8 ms of imports to find them)
PACKAGE = Path(__file__).resolve().parent


def packaged(*parts: str) -> Path:
    """A file or folder shipped in the styrdok package (templates/…, schema/…)."""
    return PACKAGE.joinpath(*parts)


class Unreadable(StyrdokError):
    """A file styrdok will not read: `why` it is refused and how to `fix` it."""

    def __init__(self, path: Path | str, why: str, fix: str):
        self.path, self.why, self.fix = str(path), why, fix
        super().__init__(_("cannot read {path}").format(path=path), [Problem.reason(why, fix)])


class TooLarge(Unreadable):
    def __init__(self, path: Path | str, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(path, _("the file is {size:.1f} MB, over the limit of {limit} MB").format(
                             size=size / 2**20, limit=limit // 2**20),
                         _("split the document, or move appendices (bilagor) to files of their own"))


def outside_fix() -> str:
    return _("copy the file into the repository instead of linking to it: styrdok never reads files "
             "from outside the repository")


def outside(path: Path, root: Path) -> Path | None:
    """Where `path` really leads if that is outside `root` (through a symbolic link), else None."""
    real = path.resolve()
    return None if real.is_relative_to(root.resolve()) else real


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("it is a folder, not a regular file")
    if stat.S_ISFIFO(mode):
        return _("it is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("it is a device, not a regular file")
    if stat.S_ISSOCK(mode):
        return _("it is a socket, not a regular file")
    return _("it is not a regular file")


def read_regular(path: Path, *, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of the regular file `path` (at most `limit`); with `inside`, only if it really lies there.

    Opened without blocking, so a named pipe is refused instead of waiting for a writer.
    """
    if inside is not None and (real := outside(path, inside)) is not None:
        raise Unreadable(path, _("it is a symbolic link to {target}, outside the repository").format(target=real),
                         outside_fix())
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if path.is_symlink():
            raise Unreadable(path, _("it is a symbolic link to {target}, which does not exist").format(
                target=os.readlink(path)), _("remove the link, or replace it with the file itself")) from None
        raise Unreadable(path, _("it does not exist"), _("check the name (see `styrdok check`)")) from None
    except OSError as exc:
        raise Unreadable(path, exc.strerror or str(exc), _("check the file's permissions")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            fix = (_("rename or remove the folder: only files are read here") if stat.S_ISDIR(info.st_mode)
                   else _("replace it with a regular file (a Markdown text file)"))
            raise Unreadable(path, _kind(info.st_mode), fix)
        if info.st_size > limit:
            raise TooLarge(path, info.st_size, limit)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # grew while being read
            raise TooLarge(path, total, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(path, exc.strerror or str(exc), _("check the file, then run the command again")) from None
    finally:
        os.close(fd)
