"""A per-user cache of what styrdok derives from its own code, the templates and the tools, never
from a policy: the generated reference DOCX, the logo as PNG, the compressed font parts, the
font folder Typst reads, pandoc's version.

Every command would otherwise make these again in each process (python-docx building the
reference document, Typst drawing the logo, zlib compressing 600 kB of fonts). Entries are
named by a hash of everything they are made from (inputs, generator code, tool versions), so an
entry never goes stale: a changed template, theme, font or tool is a new name. They are
written to a temp file and renamed, so concurrent processes never read half an entry; anything
unreadable or unwritable is a miss, and the output is the same bytes with or without the cache.

Where: ``$STYRDOK_CACHE_DIR``, else ``$XDG_CACHE_HOME/styrdok``, else ``~/.cache/styrdok``;
``STYRDOK_CACHE_DIR=off`` turns it off. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

ENV = "STYRDOK_CACHE_DIR"
OFF = "off"
VERSION = b"1"  # bump to leave every entry of an older layout behind


def folder() -> Path | None:
    """The cache folder (created, private to the user), or None when it is off or cannot be made."""
    return _folder(os.environ.get(ENV), os.environ.get("XDG_CACHE_HOME"))


@cache
def _folder(setting: str | None, xdg: str | None) -> Path | None:
    if setting is not None and setting.strip().lower() in (OFF, ""):
        return None
    base = Path(setting) if setting else Path(xdg) / "styrdok" if xdg else Path.home() / ".cache" / "styrdok"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK | os.X_OK) else None


def key(*parts: bytes | str) -> str:
    """A name for what is made from `parts` (each length-prefixed, so no two lists collide)."""
    digest = hashlib.sha256(VERSION)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:40]


@cache
def source_of(*modules: str) -> bytes:
    """The code of styrdok modules (dotted names below styrdok): part of a key, so that a new
    styrdok version makes its entries afresh."""
    root = Path(__file__).parent
    return b"".join(name.encode() + b"\0" + (root / (name.replace(".", "/") + ".py")).read_bytes()
                    for name in modules)


def installed(package: str) -> str:
    """An installed package as part of a key, known without importing it: its folder, and the
    name, size and time of each of its files (another version is another key)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return "missing"
    folder = Path(spec.origin).parent
    return f"{folder} " + repr(sorted((entry.name, (st := entry.stat()).st_size, st.st_mtime_ns)
                                      for entry in os.scandir(folder) if entry.is_file()))


def path(kind: str, name: str, suffix: str = "") -> Path | None:
    """Where the entry `kind`/`name` is or would be (None: no cache)."""
    base = folder()
    return None if base is None else base / f"{kind}-{name}{suffix}"


def get(kind: str, name: str, suffix: str = "") -> bytes | None:
    where = path(kind, name, suffix)
    if where is None:
        return None
    try:
        return where.read_bytes()
    except OSError:
        return None


def put(kind: str, name: str, data: bytes, suffix: str = "") -> Path | None:
    """Store an entry; its path, or None if it could not be written (the caller goes on without)."""
    where = path(kind, name, suffix)
    if where is None:
        return None
    temp = where.with_name(f".{where.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, where)
    except OSError:
        temp.unlink(missing_ok=True)
        return None
    return where


def cached(kind: str, name: str, make: Callable[[], bytes], suffix: str = "") -> bytes:
    """The entry's bytes, made (and stored) if it is not there yet."""
    found = get(kind, name, suffix)
    if found is not None:
        return found
    data = make()
    put(kind, name, data, suffix)
    return data


@cache
def _scratch() -> Path:
    import atexit
    import shutil
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="styrdok-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    return scratch


def file(kind: str, name: str, make: Callable[[], bytes], suffix: str = "") -> Path:
    """The entry as a file a tool can read (pandoc's --reference-doc): in the cache, or in a
    temp folder of this process when there is none."""
    where = path(kind, name, suffix)
    if where is not None and where.is_file():
        return where
    data = make()
    stored = put(kind, name, data, suffix)
    if stored is not None:
        return stored
    scratch = _scratch() / f"{kind}-{name}{suffix}"
    if not scratch.exists():
        scratch.write_bytes(data)
    return scratch


def folder_of(kind: str, name: str, files: Callable[[], dict[str, bytes]]) -> Path:
    """A folder holding `files` ({name: bytes}), made once (Typst's font folder): in the cache,
    or in a temp folder of this process when there is none."""
    import shutil

    base = folder()
    contents = None
    if base is not None:
        where = base / f"{kind}-{name}"
        if where.is_dir():
            return where
        contents = files()
        staging = where.with_name(f".{where.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
        try:
            staging.mkdir(mode=0o700)
            for file_name, data in contents.items():
                (staging / file_name).write_bytes(data)
            os.replace(staging, where)  # a folder another process renamed there first stays
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
        if where.is_dir():
            return where
    private = _scratch() / f"{kind}-{name}"
    if not private.is_dir():
        private.mkdir()
        for file_name, data in (contents if contents is not None else files()).items():
            (private / file_name).write_bytes(data)
    return private
