"""Finish a DOCX written by pandoc: page header/footer, watermark, core properties, reproducible zip.

pandoc cannot put per-document text into page headers, so this runs after it, with python-docx.
The package is written straight from python-docx's parts into one reproducible zip (see
render.zipped), the embedded fonts compressed once per user, not once per document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section, _Footer, _Header
from docx.shared import Cm, Length, Mm, Pt
from docx.text.paragraph import Paragraph

from ..wordstyles import CONTROL_STYLE
from . import zipped
from .docx_fonts import FONT_SUFFIX, EmbeddedFamily, embed_fonts

CONTENT_TYPES = zipped.CONTENT_TYPES
WATERMARK_FILL = "#D9D9D9"
WATERMARK_OPACITY = ".5"  # Word's "semitransparent" checkbox
# VML namespaces (python-docx's nsdecls() does not know them); declared on the run itself so the
# markup is valid whatever the header part's root declares.
VML_NS = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)


@dataclass(frozen=True)
class DocxFinish:
    title: str  # document title: page header of every section and core title
    subject: str  # core subject, e.g. "Policy"
    keywords: tuple[str, ...]
    author: str  # owning body, e.g. "Kommunstyrelsen"
    revision: int  # core revision number (>= 1)
    timestamp: datetime  # core created/modified and zip entry times (reproducible builds)
    header_note: str | None = None  # right-aligned header text, e.g. "UTKAST"
    watermark: str | None = None  # diagonal text watermark on every page, e.g. "REMISSVERSION"
    page_of: str = "Sida \0page\0 av \0pages\0"  # the footer; \0page\0 and \0pages\0 become fields
    logo: bytes | None = None  # PNG in the first page's header
    logo_alt: str = ""
    logo_height_mm: float = 12
    watermark_font: str = "Arial"
    control_caption: str = ""  # the caption of the document control table, styled as a compact block
    landscape: bool = False  # A4 landscape, for wide tables (the remissammanställning)
    fonts: tuple[EmbeddedFamily, ...] = ()  # the theme's font files, embedded (see docx_fonts)


Edit = Callable[[Document], None]


def finish_docx(docx_bytes: bytes, spec: DocxFinish, edit: Edit | None = None) -> bytes:
    """Add header, footer, optional watermark and core properties; return normalized bytes.

    `edit` changes the document's XML last, before it is written (the redline's tracked
    paragraph marks), so that the package is parsed and written once."""
    doc = docx.Document(io.BytesIO(docx_bytes))
    styles = _Styles(doc)
    shape_no = 0
    for index, section in enumerate(doc.sections):
        if spec.landscape and section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        if index == 0 and spec.logo:
            section.different_first_page_header_footer = True  # the logo on the first page only
        for variant, (header, footer) in enumerate(_variants(doc, section)):
            shape_no += 1
            first = index == 0 and variant == 1 and section.different_first_page_header_footer
            _write_header(doc, styles, section, header, spec, shape_no, first=first)
            _write_footer(doc, styles, footer, spec)
    if spec.control_caption:
        _style_control_tables(doc, styles, spec.control_caption)
    if spec.fonts:
        embed_fonts(doc, spec.fonts)
    _set_core(doc, spec)
    if edit is not None:
        edit(doc)
    return zipped.write(package_members(doc), spec.timestamp)


class _Members:
    """Collects what python-docx's package writer would put in the zip: {member name: bytes}."""

    def __init__(self) -> None:
        self.members: dict[str, bytes | zipped.Deflated] = {}

    def write(self, uri: object, blob: bytes) -> None:
        name = uri.membername  # type: ignore[attr-defined]
        # the font files are the same in every document: compressed once, in the per-user cache
        self.members[name] = zipped.deflate_cached(blob) if name.endswith(FONT_SUFFIX) else blob


def package_members(doc: Document) -> dict[str, bytes | zipped.Deflated]:
    """The document's package as zip members, as `Document.save` writes them."""
    package = doc.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    collected = _Members()
    PackageWriter._write_content_types_stream(collected, parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, parts)  # type: ignore[arg-type]  # duck-typed: only write() is called
    return collected.members


def normalize_zip(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite a zip so identical content gives identical bytes (fixed order, times, attributes)."""
    return zipped.normalize(data, timestamp)


# --- header / footer -------------------------------------------------------------------------


def _variants(doc: Document, section: Section) -> list[tuple[_Header, _Footer]]:
    # Only the variants Word will actually show; an unused first-page header would be dead weight.
    pairs = [(section.header, section.footer)]
    if section.different_first_page_header_footer:
        pairs.append((section.first_page_header, section.first_page_footer))
    if doc.settings.odd_and_even_pages_header_footer:
        pairs.append((section.even_page_header, section.even_page_footer))
    return pairs



def _style_control_tables(doc: Document, styles: _Styles, caption: str) -> None:
    """The control block's table: rules between rows instead of a grid, small text, room below it."""
    style_id = doc.styles[CONTROL_STYLE].style_id if CONTROL_STYLE in styles else None
    for table in doc.tables:
        tbl_pr = table._tbl.tblPr
        found = tbl_pr.find(qn("w:tblCaption"))
        if found is None or found.get(qn("w:val")) != caption:
            continue
        for old in tbl_pr.findall(qn("w:tblBorders")):
            tbl_pr.remove(old)
        borders = parse_xml(
            f'<w:tblBorders {nsdecls("w")}>'
            '<w:top w:val="single" w:sz="8" w:space="0" w:color="auto"/>'
            '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:insideV w:val="nil"/></w:tblBorders>')
        tbl_pr.append(borders)
        for row in table._tbl.tr_lst:
            for tc in row.tc_lst:
                tc_pr = tc.get_or_add_tcPr()
                for old in tc_pr.findall(qn("w:tcBorders")):
                    tc_pr.remove(old)
                if style_id is not None:
                    for p in tc.p_lst:
                        p.style = style_id
        following = table._tbl.getnext()
        if following is not None and following.tag == qn("w:p"):
            Paragraph(following, table._parent).paragraph_format.space_before = Pt(14)


class _Styles:
    """The document's style names, and each header or footer style looked up once: python-docx
    searches the styles part on every lookup (a tenth of a document's finishing)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.names = frozenset(s.name for s in doc.styles)
        self._paragraph: dict[str, tuple[str | None, tuple[Length, ...]]] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def paragraph(self, name: str) -> tuple[str | None, tuple[Length, ...]]:
        """The style's id, and the tab stops it and its base styles set."""
        if name not in self._paragraph:
            style = self.doc.styles[name]
            stops: list[Length] = []
            base = style
            while base is not None:
                stops += [stop.position for stop in base.paragraph_format.tab_stops]
                base = base.base_style
            self._paragraph[name] = (self.doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH), tuple(stops))
        return self._paragraph[name]


def _fresh_paragraph(styles: _Styles, part: _Header | _Footer, style: str) -> Paragraph:
    """Unlink from the previous section (own part per section) and replace all content."""
    part.is_linked_to_previous = False
    element = part._element
    for child in list(element):
        element.remove(child)
    para = part.add_paragraph()
    if style in styles:  # the reference doc may lack Header/Footer
        style_id, stops = styles.paragraph(style)
        para._p.style = style_id
        # Clear inherited tab stops (python-docx/Word defaults are placed for US Letter).
        for position in stops:
            para.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    return para


def _text_width(section: Section) -> Length:
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:
        return Cm(16)  # A4 with 2.5 cm margins
    return Length(width - left - right)


def _write_header(doc: Document, styles: _Styles, section: Section, header: _Header, spec: DocxFinish,
                  shape_no: int, *, first: bool = False) -> None:
    """The first page: logo left, note right. Other pages: the note on a line of its own (right),
    then the title, so a long title never pushes the note onto two lines."""
    para = _fresh_paragraph(styles, header, "Header")
    width = _text_width(section)
    para.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    note = spec.header_note
    if first:
        if spec.logo:
            picture = para.add_run().add_picture(io.BytesIO(spec.logo), height=Mm(spec.logo_height_mm))
            _describe_picture(picture, spec.logo_alt)
        if note:
            para.add_run("\t" + note).bold = True
    elif note:
        para.add_run("\t" + note).bold = True
        para.add_run().add_break()
        para.add_run(spec.title)
    else:
        para.add_run(spec.title)
    if spec.watermark:
        para._p.append(parse_xml(_watermark_run(spec.watermark, shape_no, width, spec.watermark_font)))


def _describe_picture(picture: object, alt: str) -> None:
    """Alt text for the inline picture (Word's Alt Text: wp:docPr descr and title)."""
    doc_pr = picture._inline.docPr  # type: ignore[attr-defined]
    doc_pr.set("descr", alt)
    doc_pr.set("title", alt)
    doc_pr.set("name", alt or doc_pr.get("name"))


FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def _write_footer(doc: Document, styles: _Styles, footer: _Footer, spec: DocxFinish) -> None:
    para = _fresh_paragraph(styles, footer, "Footer")
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, piece in enumerate(spec.page_of.split("\0")):
        if i % 2 and piece in FIELDS:
            _add_field(para, FIELDS[piece], "1")
        elif piece:
            para.add_run(piece)


def _add_field(para: Paragraph, instr: str, placeholder: str) -> None:
    # Complex field (begin/instr/separate/result/end): understood by Word and LibreOffice alike;
    # the placeholder result is what a reader shows until fields are updated.
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        f'<w:instrText xml:space="preserve"> {instr} </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        f"<w:t>{placeholder}</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        para._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))


def _watermark_run(text: str, shape_no: int, text_width: Length, font: str = "Arial") -> str:
    """The VML WordArt Word writes for Design > Watermark > custom text (shapetype 136)."""
    # Word sizes the box at about 3 characters per height unit; fitshape stretches the text
    # to the box. Keep the rotated box about as wide as the text area.
    span = text_width.pt * 1.3
    width = span / (1 + 3 / max(len(text), 1))
    height = width * 3 / max(len(text), 1)
    style = ";".join(
        [
            "position:absolute",
            "margin-left:0",
            "margin-top:0",
            f"width:{width:.1f}pt",
            f"height:{height:.1f}pt",
            "rotation:315",
            "z-index:-251657216",  # behind the text
            "mso-position-horizontal:center",
            "mso-position-horizontal-relative:margin",
            "mso-position-vertical:center",
            "mso-position-vertical-relative:margin",
        ]
    )
    formulas = "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3",
            "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6",
            "mid @8 @5", "mid @7 @8", "mid @6 @7", "sum @6 0 @5",
        )
    )
    return (
        f"<w:r {nsdecls('w')} {VML_NS}><w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        f"<v:formulas>{formulas}</v:formulas>"
        '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
        'o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/>'
        '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/>'
        "</v:shapetype>"
        f'<v:shape id="PowerPlusWaterMarkObject{shape_no}" o:spid="_x0000_s{2048 + shape_no}" '
        f'type="#_x0000_t136" style="{style}" o:allowincell="f" fillcolor="{WATERMARK_FILL}" stroked="f">'
        f'<v:fill opacity="{WATERMARK_OPACITY}"/>'
        f'<v:textpath style="font-family:&quot;{_escape(font)}&quot;;font-size:1pt" '
        f'string={_attr(text)}/>'
        '<w10:wrap anchorx="margin" anchory="margin"/>'
        "</v:shape></w:pict></w:r>"
    )


def _escape(text: str) -> str:
    """Text for an attribute in double quotes (xml.sax.saxutils would import urllib: 30 ms)."""
    return escape(text, quote=False).replace('"', "&quot;")


def _attr(value: str) -> str:
    return f'"{_escape(value)}"'


# --- core properties / times -----------------------------------------------------------------


def _utc_naive(ts: datetime) -> datetime:
    # python-docx writes datetimes with a literal "Z" and ignores tzinfo, so convert to UTC first.
    return ts.astimezone(timezone.utc).replace(tzinfo=None) if ts.tzinfo else ts


def _core_text(value: str) -> str:
    # Word's core properties hold at most 255 characters (python-docx refuses more); the text of
    # the document keeps the whole value, only the file's property is shortened.
    return value if len(value) <= 255 else value[:254] + "…"


def _set_core(doc: Document, spec: DocxFinish) -> None:
    core = doc.core_properties
    core.title = _core_text(spec.title)
    core.subject = _core_text(spec.subject)
    core.keywords = _core_text(", ".join(spec.keywords))
    core.author = _core_text(spec.author)
    core.last_modified_by = _core_text(spec.author)
    core.revision = spec.revision
    core.created = core.modified = _utc_naive(spec.timestamp)
    core.language = "sv-SE"
