"""DOCX rendering: pandoc with the municipal reference document, finished with python-docx."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from functools import cache
from pathlib import Path

from .. import fonts, pandoc
from ..templates import Templates
from ..theme import Logo, Theme
from .document import Presentation
from .docx_finish import DocxFinish, finish_docx
from .docx_fonts import EmbeddedFamily
from .docx_reference import build_reference_docx

REFERENCE = "reference.docx"


@cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="styrdok-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def reference_path(templates: Templates) -> Path:
    """The reference document as a file for pandoc: the repository's override or the generated one."""
    data = templates.bytes(REFERENCE) or _generated_reference(templates.theme)
    path = _scratch() / f"reference-{hashlib.sha256(data).hexdigest()[:16]}.docx"
    if not path.exists():
        path.write_bytes(data)
    return path


@cache
def _generated_reference(theme: Theme) -> bytes:
    return build_reference_docx(theme)


def render_docx(blocks: list[pandoc.Ast], view: Presentation, templates: Templates) -> bytes:
    epoch = int(view.timestamp.timestamp())
    raw = pandoc.write(pandoc.document(blocks), "docx", "--reference-doc", str(reference_path(templates)), epoch=epoch)
    labels, theme = templates.labels, templates.theme
    return finish_docx(raw, DocxFinish(title=view.title, subject=view.doctype, keywords=view.keywords,
                                       author=view.owner, revision=view.revision, timestamp=view.timestamp,
                                       header_note=view.header_note, watermark=view.watermark,
                                       page_of=labels("document.page_of", page="\0page\0", pages="\0pages\0"),
                                       logo=logo_png(theme.logo) if theme.logo else None,
                                       logo_alt=theme.logo.alt if theme.logo else "",
                                       logo_height_mm=theme.logo.height_mm if theme.logo else 0,
                                       watermark_font=theme.fonts.heading, control_caption=view.control_heading,
                                       landscape=view.landscape, fonts=embedded_families(templates)))


def embedded_families(templates: Templates) -> tuple[EmbeddedFamily, ...]:
    """The theme's body and heading families with their font files (none found: only named)."""
    return tuple(EmbeddedFamily(family, faces) for family in fonts.theme_families(templates)
                 if (faces := fonts.family_faces(templates, family)))


@cache
def logo_png(logo: Logo) -> bytes:
    """The logo as PNG for Word (python-docx places PNG, not SVG): an SVG is drawn by Typst at 600 dpi."""
    if not logo.is_svg:
        return logo.data
    from .pdf import _font_paths, _typst  # a missing typst is a clear error, as for the PDF
    source = ('#set page(width: auto, height: auto, margin: 0pt, fill: none)\n'
              f'#image(bytes(sys.inputs.svg), format: "svg", height: {logo.height_mm}mm)\n').encode()
    png = _typst().Compiler(font_paths=_font_paths(), ignore_system_fonts=True).compile(
        input=source, format="png", ppi=600.0, sys_inputs={"svg": logo.svg()})
    assert isinstance(png, bytes)
    return png
