"""DOCX rendering: pandoc with the municipal reference document, then finished (render.docx_finish).

What depends only on the theme (the generated reference document, the logo as PNG) is made
once per user (styrdok.usercache), not in every process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import fonts, pandoc, usercache
from ..preload import in_background
from ..templates import Templates
from ..theme import Logo, Theme
from .document import Presentation

if TYPE_CHECKING:
    from .docx_finish import Edit
    from .docx_fonts import EmbeddedFamily

REFERENCE = "reference.docx"
# what the generated reference document is made with: a change in any of them is a new cache entry
_REFERENCE_CODE = ("render.docx_reference", "render.docx_finish", "render.zipped")
_lock = threading.Lock()


def reference_path(templates: Templates) -> Path:
    """The reference document as a file for pandoc: the repository's override or the generated one."""
    override = templates.bytes(REFERENCE)
    if override is not None:
        return usercache.file("reference", usercache.key(override), lambda: override, ".docx")
    return _generated_reference(templates.theme)


@cache
def _generated_reference(theme: Theme) -> Path:
    def build() -> bytes:
        from .docx_reference import build_reference_docx
        return build_reference_docx(theme)

    name = usercache.key("reference", usercache.installed("docx"), usercache.source_of(*_REFERENCE_CODE), repr(theme))
    with _lock:
        return usercache.file("reference", name, build, ".docx")


def preload() -> None:
    """Import the finishing (lxml) in the background: while pandoc reads the versions of a redline,
    or writes the document in `render_docx`."""
    in_background(f"{__package__}.docx_finish")


def render_docx(blocks: list[pandoc.Ast], view: Presentation, templates: Templates, edit: Edit | None = None) -> bytes:
    """The DOCX of pandoc `blocks`; `edit` changes its XML before it is written (see finish_docx)."""
    return docx_job(blocks, view, templates, edit)()


def docx_job(blocks: list[pandoc.Ast], view: Presentation, templates: Templates,
             edit: Edit | None = None) -> Callable[[], bytes]:
    """`render_docx` in two steps: pandoc's input made now, then a job for a thread that runs
    pandoc and finishes its DOCX. The thread needs the interpreter only to start pandoc, which
    then writes while the caller goes on (with the Typst writer, which holds the interpreter)."""
    epoch = int(view.timestamp.timestamp())
    write = pandoc.writer(pandoc.document(blocks), "docx", "--reference-doc", str(reference_path(templates)),
                          epoch=epoch)
    preload()  # after pandoc's input, which the import would slow down

    def finish() -> bytes:
        raw = write()
        from .docx_finish import DocxFinish, finish_docx

        labels, theme = templates.labels, templates.theme
        return finish_docx(raw, DocxFinish(title=view.title, subject=view.doctype, keywords=view.keywords,
                                           author=view.owner, revision=view.revision, timestamp=view.timestamp,
                                           header_note=view.header_note, watermark=view.watermark,
                                           page_of=labels("document.page_of", page="\0page\0", pages="\0pages\0"),
                                           logo=logo_png(theme.logo) if theme.logo else None,
                                           logo_alt=theme.logo.alt if theme.logo else "",
                                           logo_height_mm=theme.logo.height_mm if theme.logo else 0,
                                           watermark_font=theme.fonts.heading, control_caption=view.control_heading,
                                           landscape=view.landscape, fonts=embedded_families(templates)), edit)
    return finish


def embedded_families(templates: Templates) -> tuple[EmbeddedFamily, ...]:
    """The theme's body and heading families with their font files (none found: only named)."""
    from .docx_fonts import EmbeddedFamily

    return tuple(EmbeddedFamily(family, faces) for family in fonts.theme_families(templates)
                 if (faces := fonts.family_faces(templates, family)))


@cache
def logo_png(logo: Logo) -> bytes:
    """The logo as PNG for Word (the header holds a PNG, not SVG): an SVG is drawn by Typst at 600 dpi."""
    if not logo.is_svg:
        return logo.data
    from .pdf import _font_paths, _typst  # a missing typst is a clear error, as for the PDF
    typst = _typst()
    name = usercache.key("logo", typst.__version__, usercache.source_of("render.docx"), repr(logo),
                         *(Path(folder).name for folder in _font_paths()))
    with _lock:
        return usercache.cached("logo", name, lambda: _draw(logo), ".png")


def _draw(logo: Logo) -> bytes:
    from .pdf import _font_paths, _typst
    source = ('#set page(width: auto, height: auto, margin: 0pt, fill: none)\n'
              f'#image(bytes(sys.inputs.svg), format: "svg", height: {logo.height_mm}mm)\n').encode()
    png = _typst().Compiler(font_paths=_font_paths(), ignore_system_fonts=True).compile(
        input=source, format="png", ppi=600.0, sys_inputs={"svg": logo.svg()})
    assert isinstance(png, bytes)
    return png
