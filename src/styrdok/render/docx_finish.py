"""Finish a DOCX written by pandoc: page header/footer, watermark, core properties, reproducible zip.

pandoc cannot put per-document text into page headers, so this runs after it, on the package's
XML with lxml alone (render.docx_package): importing python-docx was a build's largest single
cost. The bytes are those python-docx wrote (its element order, part names and relationship
ids). The embedded fonts are compressed once per user, not once per document (render.zipped).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape

from lxml import etree

from ..wordstyles import CONTROL_STYLE
from . import zipped
from .docx_fonts import FONT_SUFFIX, EmbeddedFamily, embed_fonts
from .docx_package import (CORE_PROPERTIES, CORE_TYPE, FOOTER, FOOTER_TYPE, HEADER, HEADER_TYPE, IMAGE, NS, SETTINGS,
                           STYLES, Package, Part, element, get_or_add, insert_before, parse, qn, xmlns)

WATERMARK_FILL = "#D9D9D9"
WATERMARK_OPACITY = ".5"  # Word's "semitransparent" checkbox
W_NS = xmlns("w")
# VML namespaces, declared on the run itself so the markup is valid whatever the header part's root declares.
VML_NS = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
EMU_PER_PT, EMU_PER_TWIP, EMU_PER_INCH, EMU_PER_MM = 12700, 635, 914400, 36000
TEXT_WIDTH = 5760000  # 16 cm: A4 with 2.5 cm margins, when the section does not say
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# The schema order of the children python-docx inserts (CT_SectPr, CT_PPr, CT_Style).
SECT_PR = ("w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType",
           "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
           "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
P_PR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
        "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
        "w:sectPr", "w:pPrChange")
AFTER_STYLE_P_PR = ("w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
# The roots of python-docx's default-header.xml and default-footer.xml (their paragraph is replaced at once).
STORY_NS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in (
    ("m", "http://schemas.openxmlformats.org/officeDocument/2006/math"),
    ("mc", "http://schemas.openxmlformats.org/markup-compatibility/2006"),
    ("mo", "http://schemas.microsoft.com/office/mac/office/2008/main"), ("mv", "urn:schemas-microsoft-com:mac:vml"),
    ("o", "urn:schemas-microsoft-com:office:office"), ("r", NS["r"]), ("v", "urn:schemas-microsoft-com:vml"),
    ("w10", "urn:schemas-microsoft-com:office:word"), ("w14", "http://schemas.microsoft.com/office/word/2010/wordml"),
    ("w", NS["w"]), ("wne", "http://schemas.microsoft.com/office/word/2006/wordml"),
    ("wp14", "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"), ("wp", NS["wp"]),
    ("wpc", "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"),
    ("wpg", "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"),
    ("wpi", "http://schemas.microsoft.com/office/word/2010/wordprocessingInk"),
    ("wps", "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"))) + ' mc:Ignorable="w14 wp14"'
STORIES = {"header": (HEADER, HEADER_TYPE, "hdr"), "footer": (FOOTER, FOOTER_TYPE, "ftr")}
# Style names python-docx shows differently from styles.xml's (its BabelFish).
STYLE_ALIASES = {"Caption": "caption", "Footer": "footer", "Header": "header",
                 **{f"Heading {n}": f"heading {n}" for n in range(1, 10)}}
UI_NAMES = {internal: ui for ui, internal in STYLE_ALIASES.items()}


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


Edit = Callable[[Package], None]


def finish_docx(docx_bytes: bytes, spec: DocxFinish, edit: Edit | None = None) -> bytes:
    """Add header, footer, optional watermark and core properties; return normalized bytes.

    `edit` changes the package's XML last, before it is written (the redline's tracked
    paragraph marks), so that the package is parsed and written once."""
    package = Package(docx_bytes)
    document = package.document.element
    styles = _Styles(package.document.related(STYLES))
    settings = package.document.related(SETTINGS)
    odd_and_even = settings is not None and _on(settings.element.find(qn("w:evenAndOddHeaders")))
    shape_no = 0
    for index, sect_pr in enumerate(document.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=NS)):
        if spec.landscape:
            _landscape(sect_pr)
        if index == 0 and spec.logo:  # the logo on the first page only
            _in_order(sect_pr, "w:titlePg", SECT_PR).attrib.pop(qn("w:val"), None)
        # Only the variants Word will actually show; an unused first-page header would be dead weight.
        shown = (True, _on(sect_pr.find(qn("w:titlePg"))), odd_and_even)
        kinds = [kind for kind, show in zip(("default", "first", "even"), shown) if show]
        for kind in kinds:
            shape_no += 1
            _write_header(package, styles, sect_pr, kind, spec, shape_no, first=index == 0 and kind == "first")
            _write_footer(package, styles, sect_pr, kind, spec)
    if spec.control_caption:
        _style_control_tables(document.find(qn("w:body")), styles, spec.control_caption)
    if spec.fonts:
        embed_fonts(package, spec.fonts)
    _set_core(package, spec)
    if edit is not None:
        edit(package)
    # the font files are the same in every document: compressed once, in the per-user cache
    members = {name: zipped.deflate_cached(data) if name.endswith(FONT_SUFFIX) else data
               for name, data in package.members().items()}
    return zipped.write(members, spec.timestamp)


def normalize_zip(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite a zip so identical content gives identical bytes (fixed order, times, attributes)."""
    return zipped.normalize(data, timestamp)


# --- XML as python-docx reads and writes it ------------------------------------------------


def _on(switch: etree._Element | None) -> bool:
    """A switch like w:titlePg: present and not turned off."""
    return switch is not None and _true(switch.get(qn("w:val"), "true"))


def _true(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _emu(measure: str, *, signed: bool = False) -> int:
    """A measure in twips (or with a unit: '2.5cm') as a length in EMU."""
    if "i" in measure or "m" in measure or "p" in measure:
        units = {"mm": EMU_PER_MM, "cm": 360000, "in": EMU_PER_INCH, "pt": EMU_PER_PT, "pc": 152400, "pi": 152400}
        return int(round(float(measure[:-2]) * units[measure[-2:]]))
    return (int(round(float(measure))) if signed else int(measure)) * EMU_PER_TWIP


def _twips(emu: int) -> str:
    return str(int(round(emu / EMU_PER_TWIP)))


def _attr_emu(parent: etree._Element | None, name: str) -> int | None:
    value = parent.get(qn(name)) if parent is not None else None
    return None if value is None else _emu(value)


def _in_order(parent: etree._Element, tag: str, order: tuple[str, ...]) -> etree._Element:
    """`parent`'s `tag` child, added before the children that follow it in the schema's `order` if missing."""
    return get_or_add(parent, tag, order[order.index(tag) + 1:])


def _paragraph_property(paragraph: etree._Element, tag: str) -> etree._Element:
    props = get_or_add(paragraph, "w:pPr", first=True)
    return _in_order(props, tag, P_PR)


def _set_style(paragraph: etree._Element, style_id: str | None) -> None:
    if style_id is None:
        props = get_or_add(paragraph, "w:pPr", first=True)
        for old in props.findall(qn("w:pStyle")):
            props.remove(old)
    else:
        _paragraph_property(paragraph, "w:pStyle").set(qn("w:val"), style_id)


def _add_tab_stop(paragraph: etree._Element, position: int, alignment: str) -> None:
    """A tab stop among the paragraph's, in order of position."""
    tabs = _paragraph_property(paragraph, "w:tabs")
    new = element("w:tab")
    new.set(qn("w:pos"), _twips(position))
    new.set(qn("w:val"), alignment)
    at = _emu(new.get(qn("w:pos")), signed=True)
    following = next((tab for tab in tabs.findall(qn("w:tab")) if at < _emu(tab.get(qn("w:pos")), signed=True)), None)
    if following is None:
        tabs.append(new)
    else:
        following.addprevious(new)


def _add_run(paragraph: etree._Element, text: str = "", *, bold: bool = False) -> etree._Element:
    """A run of `text`: a tab is w:tab, a line break w:br."""
    run = element("w:r")
    paragraph.append(run)
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            run.append(element("w:tab"))
        elif piece in ("\r", "\n"):
            run.append(element("w:br"))
        elif piece:
            t = element("w:t")
            t.text = piece
            run.append(t)
            if len(piece.strip()) < len(piece):
                t.set(XML_SPACE, "preserve")
    if bold:
        props = element("w:rPr")
        run.insert(0, props)
        props.append(element("w:b"))
    return run


class _Styles:
    """The styles part, looked up by the names python-docx shows ('Header' is 'header' in styles.xml).
    Each header or footer style is looked up once: a tenth of a document's finishing."""

    def __init__(self, part: Part | None):
        self.styles = part.element.findall(qn("w:style")) if part is not None else []
        self.names = frozenset(_ui_name(style) for style in self.styles)
        self._paragraph: dict[str, tuple[str | None, tuple[int, ...]]] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def find(self, name: str) -> etree._Element | None:
        internal = STYLE_ALIASES.get(name, name)
        for style in self.styles:
            if any(n.get(qn("w:val")) == internal for n in style.findall(qn("w:name"))):
                return style
        return self._by_id(name)

    def _by_id(self, style_id: str) -> etree._Element | None:
        return next((style for style in self.styles if style.get(qn("w:styleId")) == style_id), None)

    def paragraph(self, name: str) -> tuple[str | None, tuple[int, ...]]:
        """The style's id (None for the default paragraph style), and the tab stops it and its
        base styles set."""
        if name not in self._paragraph:
            style = self.find(name)
            if style is None:
                raise KeyError(f"no style with name {name!r}")
            stops: list[int] = []
            base: etree._Element | None = style
            while base is not None:
                # python-docx gives a style without paragraph properties an empty w:pPr as it reads its tab stops
                tabs = get_or_add(base, "w:pPr", AFTER_STYLE_P_PR).find(qn("w:tabs"))
                if tabs is not None:
                    stops += [_emu(tab.get(qn("w:pos")), signed=True) for tab in tabs.findall(qn("w:tab"))]
                based_on = base.find(qn("w:basedOn"))
                base = self._by_id(based_on.get(qn("w:val"))) if based_on is not None else None
            defaults = [s for s in self.styles if s.get(qn("w:type")) == "paragraph" and _true(s.get(qn("w:default")))]
            style_id = None if defaults and defaults[-1] is style else style.get(qn("w:styleId"))
            self._paragraph[name] = (style_id, tuple(stops))
        return self._paragraph[name]


def _ui_name(style: etree._Element) -> str | None:
    name = style.find(qn("w:name"))
    if name is None:
        return None
    value = name.get(qn("w:val"))
    return UI_NAMES.get(value, value)


# --- sections, header / footer -------------------------------------------------------------


def _landscape(sect_pr: etree._Element) -> None:
    size = sect_pr.find(qn("w:pgSz"))
    if size is not None and size.get(qn("w:orient")) == "landscape":
        return
    size = _in_order(sect_pr, "w:pgSz", SECT_PR)
    size.set(qn("w:orient"), "landscape")
    width, height = _attr_emu(size, "w:w"), _attr_emu(size, "w:h")
    for name, value in (("w:w", height), ("w:h", width)):
        if value is None:
            size.attrib.pop(qn(name), None)
        else:
            size.set(qn(name), _twips(value))


def _story(package: Package, sect_pr: etree._Element, story: str, kind: str) -> Part:
    """The section's header or footer (`story`) of `kind` (default, first, even), a part of its own:
    new if the section has none (as python-docx unlinks it from the previous section's)."""
    tag = qn(f"w:{story}Reference")
    for reference in sect_pr.findall(tag):
        if reference.get(qn("w:type")) == kind:
            return package.document.part_for(reference.get(qn("r:id")))
    reltype, content_type, root = STORIES[story]
    part = Part(package.next_name(f"/word/{story}%d.xml"), content_type, root=parse(f"<w:{root} {STORY_NS}/>"))
    rel_id = package.document.relate(part, reltype)
    reference = insert_before(sect_pr, element(f"w:{story}Reference"), SECT_PR)
    reference.set(qn("w:type"), kind)
    reference.set(qn("r:id"), rel_id)
    return part


def _fresh_paragraph(styles: _Styles, part: Part, style: str) -> etree._Element:
    """Replace all the header's or footer's content with one paragraph of `style`."""
    root = part.element
    for child in list(root):
        root.remove(child)
    paragraph = element("w:p")
    root.append(paragraph)
    if style in styles:  # the reference doc may lack Header/Footer
        style_id, stops = styles.paragraph(style)
        _set_style(paragraph, style_id)
        # Clear inherited tab stops (python-docx/Word defaults are placed for US Letter).
        for position in stops:
            _add_tab_stop(paragraph, position, "clear")
    return paragraph


def _text_width(sect_pr: etree._Element) -> int:
    margins = sect_pr.find(qn("w:pgMar"))
    width, left, right = (_attr_emu(sect_pr.find(qn("w:pgSz")), "w:w"), _attr_emu(margins, "w:left"),
                          _attr_emu(margins, "w:right"))
    if width is None or left is None or right is None:
        return TEXT_WIDTH
    return width - left - right


def _write_header(package: Package, styles: _Styles, sect_pr: etree._Element, kind: str, spec: DocxFinish,
                  shape_no: int, *, first: bool = False) -> None:
    """The first page: logo left, note right. Other pages: the note on a line of its own (right),
    then the title, so a long title never pushes the note onto two lines."""
    part = _story(package, sect_pr, "header", kind)
    para = _fresh_paragraph(styles, part, "Header")
    width = _text_width(sect_pr)
    _add_tab_stop(para, width, "right")
    note = spec.header_note
    if first:
        if spec.logo:
            _add_picture(package, part, _add_run(para), spec.logo, int(spec.logo_height_mm * EMU_PER_MM), spec.logo_alt)
        if note:
            _add_run(para, "\t" + note, bold=True)
    elif note:
        _add_run(para, "\t" + note, bold=True)
        _add_run(para).append(element("w:br"))
        _add_run(para, spec.title)
    else:
        _add_run(para, spec.title)
    if spec.watermark:
        para.append(parse(_watermark_run(spec.watermark, shape_no, width, spec.watermark_font)))


def _add_picture(package: Package, part: Part, run: etree._Element, png: bytes, height: int, alt: str) -> None:
    """The PNG inline in `run`, `height` high (EMU), with alt text (Word's Alt Text: wp:docPr descr
    and title), as python-docx's add_picture writes it."""
    rel_id = part.relate(package.image(png), IMAGE)
    # python-docx's size: the PNG's own at its dpi, scaled to `height`
    pixels_wide, pixels_high, dpi_x, dpi_y = _png_size(png)
    native_width, native_height = int(pixels_wide / dpi_x * EMU_PER_INCH), int(pixels_high / dpi_y * EMU_PER_INCH)
    width = round(native_width * (float(height) / float(native_height)))
    ids = [int(value) for value in part.element.xpath("//@id") if value.isdigit()]
    shape_id = max(ids) + 1 if ids else 1
    inline = parse(
        f'<wp:inline {xmlns("wp", "a", "pic", "r")}>'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:docPr id="{shape_id}" name="Picture {shape_id}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{NS["pic"]}"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>')
    drawing = element("w:drawing")
    run.append(drawing)
    drawing.append(inline)
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", alt)
    doc_pr.set("title", alt)
    doc_pr.set("name", alt or doc_pr.get("name"))


def _png_size(png: bytes) -> tuple[int, int, int, int]:
    """Width and height in pixels, and horizontal and vertical dots per inch (72 when the PNG
    does not say), from the chunks python-docx reads."""
    size = dpi = None
    offset = 8
    while True:
        length, kind = struct.unpack_from(">L4s", png, offset)
        if kind == b"IHDR" and size is None:
            size = struct.unpack_from(">LL", png, offset + 8)
        elif kind == b"pHYs" and dpi is None:
            x, y, unit = struct.unpack_from(">LLB", png, offset + 8)
            dpi = tuple(int(round(n * 0.0254)) if unit == 1 and n else 72 for n in (x, y))
        if kind == b"IEND":
            break
        offset += 12 + length
    if size is None:
        raise ValueError("no IHDR chunk in the logo PNG")
    return (*size, *(dpi or (72, 72)))


FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def _write_footer(package: Package, styles: _Styles, sect_pr: etree._Element, kind: str, spec: DocxFinish) -> None:
    para = _fresh_paragraph(styles, _story(package, sect_pr, "footer", kind), "Footer")
    _paragraph_property(para, "w:jc").set(qn("w:val"), "center")
    for i, piece in enumerate(spec.page_of.split("\0")):
        if i % 2 and piece in FIELDS:
            _add_field(para, FIELDS[piece], "1")
        elif piece:
            _add_run(para, piece)


def _add_field(para: etree._Element, instr: str, placeholder: str) -> None:
    # Complex field (begin/instr/separate/result/end): understood by Word and LibreOffice alike;
    # the placeholder result is what a reader shows until fields are updated.
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        f'<w:instrText xml:space="preserve"> {instr} </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        f"<w:t>{placeholder}</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        para.append(parse(f"<w:r {W_NS}>{xml}</w:r>"))


def _style_control_tables(body: etree._Element, styles: _Styles, caption: str) -> None:
    """The control block's table: rules between rows instead of a grid, small text, room below it."""
    style = styles.find(CONTROL_STYLE) if CONTROL_STYLE in styles else None
    style_id = style.get(qn("w:styleId")) if style is not None else None
    for table in body.findall(qn("w:tbl")):
        tbl_pr = table.find(qn("w:tblPr"))
        found = tbl_pr.find(qn("w:tblCaption")) if tbl_pr is not None else None
        if found is None or found.get(qn("w:val")) != caption:
            continue
        for old in tbl_pr.findall(qn("w:tblBorders")):
            tbl_pr.remove(old)
        tbl_pr.append(parse(
            f'<w:tblBorders {W_NS}>'
            '<w:top w:val="single" w:sz="8" w:space="0" w:color="auto"/>'
            '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            '<w:insideV w:val="nil"/></w:tblBorders>'))
        for row in table.findall(qn("w:tr")):
            for cell in row.findall(qn("w:tc")):
                tc_pr = get_or_add(cell, "w:tcPr", first=True)
                for old in tc_pr.findall(qn("w:tcBorders")):
                    tc_pr.remove(old)
                if style_id is not None:
                    for p in cell.findall(qn("w:p")):
                        _set_style(p, style_id)
        following = table.getnext()
        if following is not None and following.tag == qn("w:p"):
            _paragraph_property(following, "w:spacing").set(qn("w:before"), _twips(14 * EMU_PER_PT))


def _watermark_run(text: str, shape_no: int, text_width: int, font: str = "Arial") -> str:
    """The VML WordArt Word writes for Design > Watermark > custom text (shapetype 136)."""
    # Word sizes the box at about 3 characters per height unit; fitshape stretches the text
    # to the box. Keep the rotated box about as wide as the text area.
    span = text_width / EMU_PER_PT * 1.3
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
        f"<w:r {W_NS} {VML_NS}><w:rPr><w:noProof/></w:rPr><w:pict>"
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
    # the core times are written with a literal "Z": in UTC
    return ts.astimezone(timezone.utc).replace(tzinfo=None) if ts.tzinfo else ts


def _core_text(value: str) -> str:
    # Word's core properties hold at most 255 characters (python-docx refused more); the text of
    # the document keeps the whole value, only the file's property is shortened.
    return value if len(value) <= 255 else value[:254] + "…"


def _set_core(package: Package, spec: DocxFinish) -> None:
    core = package.root.related(CORE_PROPERTIES)
    if core is None:  # as python-docx makes one: its defaults first, overwritten below
        core = Part("/docProps/core.xml", CORE_TYPE, root=parse(f"<cp:coreProperties {xmlns('cp', 'dc', 'dcterms')}/>"))
        package.root.relate(core, CORE_PROPERTIES)
        for tag in ("dc:title", "cp:lastModifiedBy", "cp:revision", "dcterms:modified"):
            core.element.append(element(tag))
    root = core.element
    for tag, text in (("dc:title", _core_text(spec.title)), ("dc:subject", _core_text(spec.subject)),
                      ("cp:keywords", _core_text(", ".join(spec.keywords))), ("dc:creator", _core_text(spec.author)),
                      ("cp:lastModifiedBy", _core_text(spec.author)), ("cp:revision", str(spec.revision))):
        get_or_add(root, tag).text = text
    stamp = _utc_naive(spec.timestamp).strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("dcterms:created", "dcterms:modified"):
        dated = get_or_add(root, tag)
        dated.text = stamp
        root.set(qn("xsi:foo"), "bar")  # python-docx's way to declare xsi on the root, not on each element
        dated.set(qn("xsi:type"), "dcterms:W3CDTF")
        del root.attrib[qn("xsi:foo")]
    get_or_add(root, "dc:language").text = "sv-SE"
