"""Render a policy body (pandoc Typst output) to an accessible PDF with typst-py.

The compiled source is ``template + "\\n" + body_typst``. Metadata is passed
to Typst as JSON through ``sys.inputs["meta"]`` and decoded in the template,
so no metadata string is ever interpolated into Typst source.

Output is PDF/UA-1 and PDF/A-2a, tagged, and byte-identical for identical
input and timestamp.
"""

from __future__ import annotations

import atexit
import json
import logging
import re
import shutil
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import StyrdokError

if TYPE_CHECKING:
    import typst
    from typst import PDFStandard  # declared in typst-py's stub only, not at run time

    from ..templates import Templates

__all__ = ["PDF_STANDARDS", "TypstFailed", "render_pdf"]

log = logging.getLogger(__name__)

PDF_STANDARDS: list[PDFStandard] = ["ua-1", "a-2a"]

# Static TrueType faces of Source Sans Pro shipped by the PyPI package
# ``font-source-sans-pro`` (SIL OFL 1.1). The package ships every face twice
# (.otf and .ttf); Typst would pick whichever its directory walk meets first,
# which depends on the file system, so only the .ttf files are exposed to it
# through a private folder. That keeps the PDF bytes identical across machines.
_FONT_FACES = (
    "SourceSansPro-Regular.ttf",
    "SourceSansPro-It.ttf",
    "SourceSansPro-Semibold.ttf",
    "SourceSansPro-SemiboldIt.ttf",
    "SourceSansPro-Bold.ttf",
    "SourceSansPro-BoldIt.ttf",
)

class TypstFailed(StyrdokError, RuntimeError):
    """Typst refused the document: reported for that policy, never an internal error of the run."""


_lock = threading.Lock()
_compilers: dict[tuple[str, ...], typst.Compiler] = {}
_font_dir: str | None = None
FONTS_DIR = "fonts"  # the repository's templates/fonts/: extra font files for the theme's families


def font_dirs(templates: "Templates") -> tuple[str, ...]:
    """The repository's templates/fonts/ if it exists (the packaged fonts are always added)."""
    folder = templates.override_dir / FONTS_DIR if templates.override_dir else None
    return (str(folder.resolve()),) if folder and folder.is_dir() else ()


# Fallback fonts for what Source Sans Pro lacks, so that text in any script builds (PDF/A refuses a
# missing glyph): Noto Sans for Arabic, Hebrew, Indic and other scripts, Noto Sans Symbols and
# the monochrome Noto Emoji (PyPI `manimgx-fonts`), Noto Sans CJK (PyPI `noto-cjk-sans-otc`).
# Both folders hold one file per face, so Typst's choice does not depend on the file system.
_FALLBACK_PACKAGES = ("manimgx_fonts", "noto_cjk_sans_otc")


def _fallback_paths() -> list[str]:
    import importlib.util

    folders = []
    for name in _FALLBACK_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.append(str(Path(spec.origin).parent))
    return folders


def _font_paths() -> list[str]:
    """Folders with extra fonts: the body font, then the fallbacks (none if a package is missing)."""
    return _body_font_paths() + _fallback_paths()


def _body_font_paths() -> list[str]:
    global _font_dir
    if _font_dir is not None:
        return [_font_dir]
    try:
        import font_source_sans_pro
    except ImportError:
        return []
    source = Path(font_source_sans_pro.font_directory)
    faces = [source / name for name in _FONT_FACES if (source / name).is_file()]
    if not faces:
        return []
    folder = tempfile.mkdtemp(prefix="styrdok-fonts-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for face in faces:
        shutil.copyfile(face, Path(folder) / face.name)
    license_file = source / "LICENSE.txt"
    if license_file.is_file():
        shutil.copyfile(license_file, Path(folder) / "LICENSE-SourceSansPro.txt")
    _font_dir = folder
    return [folder]


class TypstMissing(StyrdokError):
    """The typst package (the PDF compiler) is not installed."""


def _typst() -> ModuleType:
    """typst-py, imported on first use: every command that makes no PDF works without it."""
    try:
        import typst
    except ImportError as exc:
        raise TypstMissing(f"typst is not installed ({exc}): styrdok makes every PDF with it\n"
                           "    fix: pip install typst (`make all` does this), then check with `styrdok doctor`") from None
    return typst


def _get_compiler(extra: tuple[str, ...] = ()) -> typst.Compiler:
    """One compiler per process and font folders: fonts are scanned once, caches are reused."""
    if extra not in _compilers:
        _compilers[extra] = _typst().Compiler(font_paths=[*_font_paths(), *extra], ignore_system_fonts=True)
    return _compilers[extra]


def render_pdf(
    body_typst: str,
    meta: dict,
    template: str,
    timestamp: datetime | None,
    font_dirs: tuple[str, ...] = (),
) -> bytes:
    """Compile ``template`` followed by ``body_typst`` to PDF bytes.

    ``meta`` must be JSON-serialisable; the template reads it with
    ``json(bytes(sys.inputs.meta))``. ``timestamp`` fixes the PDF creation
    date (and thereby the document ID), which makes the output reproducible;
    a naive datetime is taken as UTC; ``None`` lets Typst use the current time
    (output then differs between runs).

    Raises ``TypstFailed("Typst: ...")`` (a ``RuntimeError``) when Typst reports an error.
    """
    if timestamp is not None and timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=timezone.utc)
    source = (template + "\n" + body_typst).encode("utf-8")
    body_offset = template.count("\n") + 1  # source line of the body's line 1
    sys_inputs = {"meta": json.dumps(meta, ensure_ascii=False, sort_keys=True)}
    typst = _typst()
    with _lock:
        compiler = _get_compiler(tuple(font_dirs))
        try:
            pdf, warnings = compiler.compile_with_warnings(
                input=source,
                format="pdf",
                sys_inputs=sys_inputs,
                pdf_standards=PDF_STANDARDS,
                timestamp=timestamp,
            )
        except typst.TypstError as exc:
            raise TypstFailed(f"Typst: {_describe(exc, body_offset)}") from exc
        except RuntimeError as exc:  # other failures reported by typst-py
            raise TypstFailed(f"Typst: {exc}") from exc
    for warning in warnings or ():
        log.warning("Typst: %s", _describe(warning, body_offset))
    if not isinstance(pdf, bytes):
        raise TypstFailed(f"Typst: unexpected compiler result {type(pdf).__name__}")
    return pdf


_LOCATION = re.compile(r"__typst_py_bytes__\.typ:(\d+):(\d+)")


def _describe(diag: typst.TypstError | typst.TypstWarning, body_offset: int) -> str:
    """Typst's message, hints and source excerpt; locations in the body are
    translated to body line numbers (the template precedes the body)."""
    message = (getattr(diag, "message", None) or str(diag)).strip()
    diagnostic = (getattr(diag, "diagnostic", None) or "").strip()
    if not diagnostic:
        hints = [h for h in (getattr(diag, "hints", None) or []) if h]
        return "\n".join([message] + [f"hint: {h}" for h in hints])

    def where(match: re.Match[str]) -> str:
        line = int(match.group(1))
        if line > body_offset:
            return f"body line {line - body_offset}, column {match.group(2)}"
        return f"template line {line}, column {match.group(2)}"

    lines = diagnostic.splitlines()
    if lines and lines[0].split(": ", 1)[-1] == message:
        lines = lines[1:]  # Typst repeats the message as "error: ..."
    return "\n".join([message] + [_LOCATION.sub(where, line) for line in lines])
