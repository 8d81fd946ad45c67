"""What styrdok runs on: versions of its converters and tools, and what is missing."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from .i18n import N_, _


@dataclass(frozen=True)
class Tool:
    name: str
    version: str | None  # None: missing
    needed_for: str  # msgid (N_): the caller translates it when showing it
    install: str  # msgid (N_)
    optional: bool = False  # styrdok works without it (only the tests need it)
    problem: str | None = None  # found but unusable (too old, broken): why, translated

    @property
    def ok(self) -> bool:
        return self.version is not None and self.problem is None


def _package(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _module(module: str, package: str) -> str | None:
    """The installed version of `package`, if its `module` also imports (a broken install is missing)."""
    if (found := _package(package)) is None:
        return None
    try:
        importlib.import_module(module)
    except Exception:
        return None
    return found


def _pandoc() -> tuple[str | None, str | None]:
    """(version, problem) of the pandoc styrdok would run."""
    from . import pandoc
    try:
        path, found = pandoc.located()
    except Exception:  # a missing or broken binary is exactly what doctor reports
        return None, None
    if pandoc.too_old(found):
        need = ".".join(map(str, pandoc.MIN_VERSION))
        return found, _("too old ({path}): styrdok needs pandoc {need} or later").format(path=path, need=need)
    return found, None


def _command(*args: str) -> str | None:
    if not shutil.which(args[0]):
        return None
    proc = subprocess.run(args, capture_output=True, text=True)
    found = re.search(r"\d+(\.\d+)+", proc.stdout or proc.stderr)
    return found.group(0) if proc.returncode == 0 and found else None


FALLBACK_FONT_PACKAGES = ("manimgx-fonts", "noto-cjk-sans-otc")


def _theme_fonts() -> Tool:
    """The theme's body and heading families: found as files (embedded in PDF and DOCX, shipped
    with the site), or only named (readers then see a substitute)."""
    from . import fonts
    from .errors import StyrdokError
    from .templates import Templates
    from .workspace import Workspace
    try:
        templates = Workspace.find().templates
    except StyrdokError:  # not in a policy repository: the packaged theme
        templates = Templates(None)
    try:
        families = fonts.theme_families(templates)
    except StyrdokError as exc:
        return Tool(N_("fonts"), None, N_("the look of PDF, DOCX and the site"), N_("correct templates/theme.yaml"),
                    optional=True, problem=str(exc))
    missing = [family for family in families if not fonts.family_faces(templates, family)]
    problem = _("no font file for {families}: PDF, DOCX and the site show another font").format(
        families=", ".join(missing)) if missing else None
    return Tool(N_("fonts"), ", ".join(families), N_("the look of PDF, DOCX and the site"),
                N_("put the family's font files (.ttf or .otf) in templates/fonts/"), optional=True, problem=problem)


def _fallback_fonts() -> Tool:
    found = [f"{name} {_package(name)}" for name in FALLBACK_FONT_PACKAGES if _package(name)]
    missing = [name for name in FALLBACK_FONT_PACKAGES if not _package(name)]
    problem = _("missing: {packages}").format(packages=", ".join(missing)) if missing and found else None
    return Tool("Noto", ", ".join(found) or None, N_("PDF text in other scripts: Arabic, Hebrew, CJK, symbols, emoji"),
                N_("pip install manimgx-fonts noto-cjk-sans-otc (make all does this)"), optional=True, problem=problem)


def _converters() -> list[Tool]:
    pandoc_version, pandoc_problem = _pandoc()
    return [Tool("pandoc", pandoc_version, N_("every build"), N_("pip install pypandoc_binary (make all does this)"),
                 problem=pandoc_problem),
            Tool("typst", _module("typst", "typst"), N_("PDF"), N_("pip install typst (make all does this)"))]


def _git() -> Tool:
    return Tool("git", _command("git", "--version"), N_("history, adopt, log, diff ID"),
                N_("apt-get install git (or your system's package manager)"))


def versions() -> list[Tool]:
    """pandoc, typst and git, as `styrdok --version` names them (not the fonts and packages `tools` adds)."""
    return [*_converters(), _git()]


def tools() -> list[Tool]:
    return [
        *_converters(),
        Tool("python-docx", _module("docx", "python-docx"), N_("DOCX"), N_("pip install python-docx")),
        _git(),
        Tool("GitPython", _package("GitPython"), N_("history, adopt, log"), N_("pip install GitPython")),
        _theme_fonts(),
        _fallback_fonts(),
        Tool("chromium", _command("chromium", "--version"), N_("accessibility tests only"),
             N_("make browser (installs Debian's chromium)"), optional=True),
    ]
