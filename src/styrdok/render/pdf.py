"""The one PDF pipeline: pandoc blocks → Typst (`typst_writer`, else pandoc) → an accessible PDF (typst-py).

The compiled source is the templates (policy.typ, then e.g. redline.typ) followed by the body.
Metadata is passed to Typst as JSON through ``sys.inputs["meta"]`` and decoded in the template,
so no metadata string is ever interpolated into Typst source.

Output is PDF/UA-1 and PDF/A-2a, tagged, and byte-identical for identical
input and timestamp.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .. import fonts, pandoc, usercache
from ..errors import Problem, StyrdokError
from ..i18n import _
from ..templates import Templates
from .document import Presentation

if TYPE_CHECKING:
    import typst
    from typst import PDFStandard  # declared in typst-py's stub only, not at run time

__all__ = ["PDF_STANDARDS", "Part", "TypstFailed", "TypstMissing", "compile_pdf", "pdf_last_if_long", "render_pdf", "typst_first"]

TEMPLATE = "policy.typ"
LONG = 1_000_000  # characters of Typst (about 300 pages): compiled alone, not beside pandoc (see render_pdf)

log = logging.getLogger(__name__)

PDF_STANDARDS: list[PDFStandard] = ["ua-1", "a-2a"]

# The packaged Source Sans Pro faces come from styrdok.fonts (the same files the DOCX embeds and
# the site ships). The package has every face as .otf and .ttf; Typst would pick whichever its
# directory walk meets first, so only the .ttf files are exposed to it through a private folder.
# That keeps the PDF bytes identical across machines.

class TypstFailed(StyrdokError, RuntimeError):
    """Typst refused the document: reported for that policy, never an internal error of the run."""


_lock = threading.Lock()
_importing = threading.Lock()
_compilers: dict[tuple[tuple[str, ...], bool], typst.Compiler] = {}
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
# Typst takes 20–30 ms to read Noto Sans CJK (one 19 MB collection), so a compiler has it only for
# a text with a character that only it has: CJK, and the arrows, mathematical operators, box
# drawing and symbols it alone covers (tests/test_fonts.py checks this against the font files).
_CJK_PACKAGE = "noto_cjk_sans_otc"
_ONLY_IN_CJK = (0x1100, 0x1200, 0x2190, 0x2C00, 0x2E80, 0xA000, 0xA960, 0xA980, 0xAC00, 0xD800, 0xF900, 0xFB00,
                0xFE10, 0xFE20, 0xFE30, 0xFE70, 0xFF00, 0xFFF0, 0x1F100, 0x1F300, 0x20000, 0x40000)  # [start, end) pairs
_CJK_FAMILIES = ("noto sans cjk",)  # what the templates name it (Noto Sans CJK SC …): not missing when left out
_MISSING_GLYPH = "could not be displayed with font"  # Typst's PDF/A error for a character no font has


def needs_cjk(text: str) -> bool:
    """Whether the text has a character only the CJK fallback font has (a regular expression of
    these ranges takes 3 ms to compile)."""
    return any(bisect.bisect_right(_ONLY_IN_CJK, ord(c)) % 2 for c in set(text) if c >= "\u1100")


def _fallback_paths(cjk: bool = True) -> list[str]:
    import importlib.util

    folders = []
    for name in _FALLBACK_PACKAGES if cjk else [p for p in _FALLBACK_PACKAGES if p != _CJK_PACKAGE]:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.append(str(Path(spec.origin).parent))
    return folders


def _font_paths(cjk: bool = True) -> list[str]:
    """Folders with extra fonts: the body font, then the fallbacks (none if a package is missing)."""
    return _body_font_paths() + _fallback_paths(cjk)


def _body_font_paths() -> list[str]:
    global _font_dir
    if _font_dir is not None:
        return [_font_dir]
    faces = fonts.packaged_faces()
    if not faces:
        return []
    stats = [(face.name, face.stat().st_size, face.stat().st_mtime_ns) for face in faces]
    name = usercache.key("fonts", str(fonts.packaged_dir()), repr(stats))

    def files() -> dict[str, bytes]:
        out = {face.name: face.read_bytes() for face in faces}
        if license_file := fonts.packaged_license():
            out[license_file[0]] = license_file[1]
        return out

    _font_dir = str(usercache.folder_of("fonts", name, files))  # made once per user, not per process
    return [_font_dir]


class TypstMissing(StyrdokError):
    """The typst package (the PDF compiler) is not installed."""


def _typst() -> ModuleType:
    """typst-py, imported on first use: every command that makes no PDF works without it. One
    thread at a time: a thread importing it while another's import fails is handed the failed,
    empty module by Python (the DOCX's SVG logo and the PDF's compiler are made at once)."""
    try:
        with _importing:
            import typst
    except ImportError as exc:
        raise TypstMissing.because(_("typst is not installed ({error})").format(error=exc),
                                   _("styrdok makes every PDF with it"),
                                   _("pip install typst (`make all` does this), then check with `styrdok doctor`")) from None
    return typst


def _get_compiler(extra: tuple[str, ...] = (), cjk: bool = False) -> typst.Compiler:
    """One compiler per process, font folders and CJK font: fonts are scanned once, caches are reused."""
    if (extra, cjk) not in _compilers:
        _compilers[extra, cjk] = _typst().Compiler(font_paths=[*_font_paths(cjk), *extra], ignore_system_fonts=True)
    return _compilers[extra, cjk]


def render_pdf(blocks: list[pandoc.Ast], view: Presentation, templates: Templates, *,
               extra: Sequence[str] = (), body: str | None = None) -> bytes:
    """The PDF of pandoc `blocks` in the page design policy.typ (then the `extra` templates, e.g.
    redline.typ), with `view`'s metadata and timestamp: the one PDF pipeline (build, consult, redline).
    `body`: the blocks' Typst, when `typst_first` wrote it already."""
    dirs = font_dirs(templates)
    warming = threading.Thread(target=_warm, args=(dirs,), daemon=True)
    warming.start()  # Typst reads its fonts while pandoc writes the Typst source
    with pandoc.core():  # the slowest of a document's renderings: writer and compile in one go
        if body is None:
            body = pandoc.write(typst_document(blocks), "typst").decode("utf-8")
        parts = [Part(templates.origin(name), templates.text(name)) for name in (TEMPLATE, *extra)]
        warming.join()
        with pandoc.every_core() if len(body) > LONG else nullcontext():
            return compile_pdf(body, view.pdf_meta(templates.labels, templates.theme), parts, view.timestamp,
                               font_dirs=dirs)


def _warm(font_dirs: tuple[str, ...], cjk: bool = False) -> None:
    """Make the compiler `compile_pdf` will use; a failure is left for compile_pdf to report."""
    try:
        with _lock:
            _get_compiler(font_dirs, cjk)
    except Exception:  # noqa: BLE001 - compile_pdf meets it again and says what it is
        pass


def typst_first(blocks: list[pandoc.Ast], templates: Templates) -> str | None:
    """The blocks' Typst (for `render_pdf`'s `body`) when Python writes it, else None, and the
    compiler made: called before a document's renderings start, these have the interpreter to
    themselves, and the compile (which leaves it to the others) starts sooner. Where pandoc writes
    the Typst, `render_pdf` has it written, beside the other renderings."""
    text = pandoc.typst_without_pandoc(typst_document(blocks))
    if text is None:
        return None
    body = text.decode("utf-8")
    _warm(font_dirs(templates), needs_cjk(body))
    return body


def pdf_last_if_long(pdf: Callable[[], bytes], others: Sequence[Callable[[], Any]],
                     typst: str | None) -> tuple[bytes, list[Any]]:
    """A document's PDF and its other renderings (`typst`: its Typst from `typst_first`), at once;
    for a long document the others first: the compile's memory (350 MB at 400 pages) is not given
    back to the system, and the writers beside it would add theirs (400-page redline: 685 MiB →
    620 MiB with what the others left given back first)."""
    if typst is not None and len(typst) > LONG:
        done = pandoc.concurrently(*others)
        _give_back()
        return pdf(), done
    first, *done = pandoc.concurrently(pdf, *others)
    return first, done


def _give_back() -> None:
    """Return what the other renderings left behind to the system before a long compile: their
    payloads and XML trees are garbage by now, but the C allocator keeps freed memory."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the collection only
        pass


def typst_document(blocks: list[pandoc.Ast]) -> pandoc.Ast:
    """The pandoc document `render_pdf` converts to Typst (what `pandoc.prefetch` is given)."""
    return pandoc.document(blocks)


@dataclass(frozen=True)
class Part:
    """One template of the compiled source, named as the user knows it (templates/policy.typ)."""

    name: str
    text: str


def compile_pdf(body_typst: str, meta: dict, template: str | Sequence[Part], timestamp: datetime | None,
                font_dirs: Sequence[str] = ()) -> bytes:
    """Compile ``template`` (one text, or templates in order) followed by ``body_typst`` to PDF bytes,
    with the fonts in ``font_dirs`` besides the packaged ones.

    ``meta`` must be JSON-serialisable; the template reads it with
    ``json(bytes(sys.inputs.meta))``. ``timestamp`` fixes the PDF creation
    date (and thereby the document ID), which makes the output reproducible;
    a naive datetime is taken as UTC; ``None`` lets Typst use the current time
    (output then differs between runs).

    A Typst error is a TypstFailed naming the template and its line (a broken override of
    policy.typ), or the line of the body: one policy's problem, never an internal error of the run.
    """
    parts = [Part(TEMPLATE, template)] if isinstance(template, str) else list(template)
    if timestamp is not None and timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=timezone.utc)
    source = ("\n".join(part.text for part in parts) + "\n" + body_typst).encode("utf-8")
    sources = _Sources(parts)
    sys_inputs = {"meta": json.dumps(meta, ensure_ascii=False, sort_keys=True)}
    typst = _typst()
    cjk = needs_cjk(body_typst) or needs_cjk(sys_inputs["meta"])
    with _lock:
        while True:
            try:
                pdf, warnings = _get_compiler(tuple(font_dirs), cjk).compile_with_warnings(
                    input=source,
                    format="pdf",
                    sys_inputs=sys_inputs,
                    pdf_standards=PDF_STANDARDS,
                    timestamp=timestamp,
                )
                break
            except typst.TypstError as exc:
                if not cjk and _MISSING_GLYPH in str(exc):  # a character only the CJK font has after all
                    cjk = True
                    continue
                raise sources.error(exc, left_out=() if cjk else _CJK_FAMILIES) from None
            except RuntimeError as exc:  # other failures reported by typst-py
                raise TypstFailed.because(_("the PDF could not be made"), f"Typst: {exc}") from None
    for warning in warnings or ():
        _warn(sources, warning, left_out=() if cjk else _CJK_FAMILIES)
    if not isinstance(pdf, bytes):
        raise TypstFailed.because(_("the PDF could not be made"),
                                  _("Typst returned {kind}, not PDF bytes").format(kind=type(pdf).__name__))
    return pdf


_UNKNOWN_FONT = re.compile(r"unknown font family: (.+)")
_fonts_reported: set[str] = set()


def _warn(sources: "_Sources", warning: typst.TypstWarning, left_out: tuple[str, ...] = ()) -> None:
    """Typst's warning for the user: a missing font once per process and family, in one line; not
    for a family the compiler was made without (`left_out`: name prefixes, lower case)."""
    message = (getattr(warning, "message", None) or str(warning)).strip()
    if found := _UNKNOWN_FONT.fullmatch(message):
        if (family := found.group(1)) not in _fonts_reported and not family.lower().startswith(left_out):
            _fonts_reported.add(family)
            log.warning(_("the font '{family}' is not installed: the PDF uses another font for what only it "
                          "would show (see `styrdok doctor`)").format(family=family))
        return
    log.warning("Typst: %s", sources.describe(warning)[0])


_LOCATION = re.compile(r"__typst_py_bytes__\.typ:(\d+):(\d+)")
_DIAGNOSTIC_START = re.compile(r"^(?=(?:error|warning): )", re.M)


def _without_left_out(diagnostic: str, left_out: tuple[str, ...]) -> str:
    """Typst's rendered diagnostics without the unknown-font warnings of the `left_out` families."""
    if not left_out:
        return diagnostic
    kept = [block for block in _DIAGNOSTIC_START.split(diagnostic)
            if not ((found := _UNKNOWN_FONT.fullmatch(block.split("\n", 1)[0].removeprefix("warning: ").strip()))
                    and found.group(1).lower().startswith(left_out))]
    return "".join(kept).strip()


class _Sources:
    """Where each template and the body start in the compiled source, to name Typst's locations."""

    def __init__(self, parts: Sequence[Part]):
        self.parts = parts
        self.starts: list[int] = []  # 1-based first line of each part
        line = 1
        for part in parts:
            self.starts.append(line)
            line += part.text.count("\n") + 1
        self.body_start = line

    def where(self, line: int) -> tuple[str | None, int]:
        """(template name, its line), or (None, body line)."""
        if line >= self.body_start:
            return None, line - self.body_start + 1
        index = max(i for i, start in enumerate(self.starts) if start <= line)
        return self.parts[index].name, line - self.starts[index] + 1

    def describe(self, diag: typst.TypstError | typst.TypstWarning,
                 left_out: tuple[str, ...] = ()) -> tuple[str, tuple[str | None, int] | None]:
        """Typst's message, hints and source excerpt with locations as template or body lines; and the
        first location. Warnings of a missing font family the compiler was made without are left out."""
        message = (getattr(diag, "message", None) or str(diag)).strip()
        diagnostic = _without_left_out((getattr(diag, "diagnostic", None) or "").strip(), left_out)
        if not diagnostic:
            hints = [h for h in (getattr(diag, "hints", None) or []) if h]
            return "\n".join([message] + [f"hint: {h}" for h in hints]), None
        first: list[tuple[str | None, int]] = []

        def name(match: re.Match[str]) -> str:
            found = self.where(int(match.group(1)))
            first.append(found)
            template, line = found
            return (f"{template}:{line}:{match.group(2)}" if template
                    else _("body line {line}, column {column}").format(line=line, column=match.group(2)))

        lines = diagnostic.splitlines()
        if lines and lines[0].split(": ", 1)[-1] == message:
            lines = lines[1:]  # Typst repeats the message as "error: ..."
        text = "\n".join([message] + [_LOCATION.sub(name, line) for line in lines])
        return text, first[0] if first else None

    def error(self, exc: typst.TypstError, left_out: tuple[str, ...] = ()) -> TypstFailed:
        text, location = self.describe(exc, left_out)
        template, line = location or (None, 0)
        if template:
            return TypstFailed(_("the PDF could not be made"), [Problem(
                template, line, _("the PDF template does not compile (Typst): {message}").format(message=text),
                _("correct {template} at line {line}, or remove the override to use the packaged template").format(
                    template=template, line=line))])
        return TypstFailed.because(_("the PDF could not be made"), f"Typst: {text}",
                                    _("check the text near that line; if it looks right, this is a bug in styrdok"))
