"""What styrdok runs on: versions of its converters and tools, and what is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from .i18n import N_


@dataclass(frozen=True)
class Tool:
    name: str
    version: str | None  # None: missing
    needed_for: str  # msgid (N_): the caller translates it when showing it
    install: str  # msgid (N_)
    optional: bool = False  # styrdok works without it (only the tests need it)

    @property
    def ok(self) -> bool:
        return self.version is not None


def _package(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _pandoc() -> str | None:
    try:
        from . import pandoc
        return pandoc.version()
    except Exception:  # a missing or broken binary is exactly what doctor reports
        return None


def _command(*args: str) -> str | None:
    if not shutil.which(args[0]):
        return None
    proc = subprocess.run(args, capture_output=True, text=True)
    found = re.search(r"\d+(\.\d+)+", proc.stdout or proc.stderr)
    return found.group(0) if proc.returncode == 0 and found else None


def tools() -> list[Tool]:
    return [
        Tool("pandoc", _pandoc(), N_("every build"), N_("pip install pypandoc_binary (make all does this)")),
        Tool("typst", _package("typst"), N_("PDF"), N_("pip install typst (make all does this)")),
        Tool("python-docx", _package("python-docx"), N_("DOCX"), N_("pip install python-docx")),
        Tool("git", _command("git", "--version"), N_("history, adopt, log, diff ID"),
             N_("apt-get install git (or your system's package manager)")),
        Tool("GitPython", _package("GitPython"), N_("history, adopt, log"), N_("pip install GitPython")),
        Tool("chromium", _command("chromium", "--version"), N_("accessibility tests only"),
             N_("make browser (installs Debian's chromium)"), optional=True),
    ]
