"""The pandoc reference document (``--reference-doc``) that gives DOCX output the municipal look.

Built in code from python-docx's default template so every style choice is reviewable here.
pandoc takes styles.xml, the last section's page setup (sectPr) and settings.xml from it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from ..templates import Templates
from ..theme import Theme
from .docx_finish import normalize_zip

LANGUAGE = "sv-SE"
FIXED_DATE = datetime(2000, 1, 1)  # keeps the reference doc byte-identical between builds

P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE


@dataclass(frozen=True)
class StyleSpec:
    """One style; None means "inherit / leave as is". Sizes and spacing in points."""

    name: str
    kind: WD_STYLE_TYPE = P
    base: str | None = None
    next: str | None = None  # style Word switches to after Enter
    custom: bool = False  # not a Word built-in (pandoc's own styles and ours)
    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    small_caps: bool | None = None
    underline: bool | None = None
    color: str | None = None
    before: float | None = None
    after: float | None = None
    line: float | None = None  # line spacing as a multiple
    keep_next: bool | None = None
    contextual: bool = False  # no space between paragraphs of this same style (Word's "Don't add space")


def styles(theme: Theme) -> tuple[StyleSpec, ...]:
    """The styles, with the theme's fonts and colours (the same as the PDF's and the HTML's)."""
    body, heading_font = theme.fonts.body, theme.fonts.heading
    accent, muted, ink = (theme.palette[k].lstrip("#").upper() for k in ("accent", "muted", "ink"))
    heading: dict[str, Any] = dict(base="Normal", next="Body Text", font=heading_font, bold=True, color=accent,
                                   keep_next=True)
    small: dict[str, Any] = dict(base="Normal", font=body, size=9.5, color=muted, before=0, after=0)
    # Names are the ones pandoc looks up (checked against `pandoc --print-default-data-file
    # reference.docx`), plus the custom-style names our Markdown uses. Body 11 pt as in the PDF;
    # headings clearly larger (24, 15, 12.5 pt).
    return (
        StyleSpec("Normal", font=body, size=11, color=ink, before=0, after=6, line=1.15),
        StyleSpec("Body Text", base="Normal", before=0, after=6),
        StyleSpec("First Paragraph", base="Body Text", next="Body Text", custom=True),
        StyleSpec("Compact", base="Body Text", before=0, after=2, custom=True),  # tight list items
        StyleSpec("List Paragraph", base="Normal", after=2),
        StyleSpec("Dokumenttyp", small_caps=True, custom=True, **{**small, "color": accent, "bold": True}),
        StyleSpec("Title", **{**heading, "size": 24, "before": 0, "after": 6, "line": 1.0}),
        StyleSpec("Beslutsrad", custom=True, contextual=True, **{**small, "after": 10}),  # decision lines
        StyleSpec("Dokumentinformation", custom=True, **{**small, "color": ink, "line": 1.0}),  # control block
        StyleSpec("Table Caption", base="Normal", font=heading_font, size=9.5, bold=True, color=accent,
                  before=6, after=2, keep_next=True),
        StyleSpec("Heading 1", size=24, before=0, after=6, **heading),
        StyleSpec("Heading 2", size=15, before=18, after=6, **heading),
        StyleSpec("Heading 3", size=12.5, before=12, after=4, **heading),
        StyleSpec("Header", **{**small, "size": 8.5, "line": 1.0}),
        StyleSpec("Footer", **{**small, "size": 8.5, "line": 1.0}),
        StyleSpec("Hyperlink", kind=C, base="Default Paragraph Font", color=accent, underline=True),
        # pandoc tags every table with style "Table"; without it Word draws tables with no borders.
        StyleSpec("Table", kind=T, base="Table Grid", custom=True),
    )

# A4 portrait; Word's own A4 twips so Word shows "A4" rather than a custom size.
PAGE = dict(
    page_width=Twips(11906),
    page_height=Twips(16838),
    left_margin=Cm(2.5),
    right_margin=Cm(2.5),
    top_margin=Cm(2.5),
    bottom_margin=Cm(2.0),
    header_distance=Cm(1.25),
    footer_distance=Cm(1.25),
)


def build_reference_docx(theme: Theme | None = None) -> bytes:
    """Return the reference DOCX for `theme` (default: the packaged one); identical bytes on every call."""
    theme = theme or Theme.load(Templates(None))
    specs = styles(theme)
    doc = docx.Document()
    _set_doc_defaults(doc.styles.element, theme.fonts.body)
    for spec in specs:
        _apply(doc, spec)
    for attr, value in PAGE.items():
        setattr(doc.sections[0], attr, value)
    _swedish_settings(doc.settings.element)
    _prune(doc, specs)
    core = doc.core_properties
    core.author = core.last_modified_by = core.comments = core.title = core.subject = ""
    core.created = core.modified = FIXED_DATE
    core.revision = 1
    core.language = LANGUAGE
    out = io.BytesIO()
    doc.save(out)
    return normalize_zip(out.getvalue(), FIXED_DATE)


# Other built-in styles pandoc may refer to; all the rest of python-docx's template is dropped.
PANDOC_EXTRA = ("Block Text", "Footnote Text", "Footnote Reference", "Caption", "Subtitle", "Quote",
                "Heading 4", "Heading 5", "Heading 6", "TOC Heading", "Default Paragraph Font",
                "Normal Table", "No List", "Table Grid")
UNUSED_PARTS = ("stylesWithEffects", "customXml", "thumbnail")


def _prune(doc: Document, specs: tuple[StyleSpec, ...]) -> None:
    """Drop the template's ~150 unused styles, latent styles and extra parts.

    pandoc parses the reference's styles on every conversion: 340 kB of them cost ~200 ms a build.
    """
    styles = doc.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    by_name = {style.name: style for style in doc.styles}
    keep = {spec.name for spec in specs} | set(PANDOC_EXTRA)
    pending = list(keep)
    while pending:  # keep the styles that kept ones are based on
        base = getattr(by_name.get(pending.pop()), "base_style", None)
        if base is not None and base.name not in keep:
            keep.add(base.name)
            pending.append(base.name)
    for style in by_name.values():
        if style.name not in keep:
            styles.remove(style.element)
    for rels, drop in ((doc.part.rels, doc.part.drop_rel), (doc.part.package.rels, doc.part.package.rels.pop)):
        for rel in list(rels.values()):
            if rel.reltype.rsplit("/", 1)[-1] in UNUSED_PARTS:
                drop(rel.rId)


def _apply(doc: Document, spec: StyleSpec) -> None:
    styles = doc.styles
    if spec.name in {s.name for s in styles}:
        style = cast(CharacterStyle, styles[spec.name])
    else:
        style = cast(CharacterStyle, styles.add_style(spec.name, spec.kind, builtin=not spec.custom))
        style.quick_style = spec.custom  # show our custom styles in Word's style gallery
    if spec.base:
        style.base_style = styles[spec.base]
    _reset_template_decoration(style)
    font = style.font
    if spec.font:
        _set_font_name(style, spec.font)
    if spec.size is not None:
        font.size = Pt(spec.size)
        _set_cs_size(style, spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.small_caps is not None:
        font.small_caps = spec.small_caps
    if spec.underline is not None:
        font.underline = spec.underline
    if spec.color:
        font.color.rgb = RGBColor.from_string(spec.color)  # also drops any theme colour
    if not isinstance(style, ParagraphStyle):
        return
    if spec.next:
        style.next_paragraph_style = styles[spec.next]
    fmt = style.paragraph_format
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.line is not None:
        fmt.line_spacing = spec.line
    if spec.keep_next is not None:
        fmt.keep_with_next = spec.keep_next
    if spec.contextual:
        style.element.get_or_add_pPr().append(OxmlElement("w:contextualSpacing"))


def _set_font_name(style: BaseStyle, name: str) -> None:
    # python-docx's font.name sets only ascii/hAnsi and leaves *Theme attributes, which win over
    # explicit names in the same element; so set all four scripts and drop the theme links.
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)


def _set_cs_size(style: BaseStyle, points: float) -> None:
    # font.size sets only w:sz; keep the complex-script size (w:szCs, right after it) in step.
    rpr = style.element.get_or_add_rPr()
    szcs = rpr.find(qn("w:szCs"))
    if szcs is None:
        szcs = OxmlElement("w:szCs")
        rpr.find(qn("w:sz")).addnext(szcs)
    szcs.set(qn("w:val"), str(round(points * 2)))  # half-points


def _reset_template_decoration(style: BaseStyle) -> None:
    # python-docx's template gives Title a blue bottom border, letter spacing and kerning.
    for parent, tag in (("w:pPr", "w:pBdr"), ("w:rPr", "w:spacing"), ("w:rPr", "w:kern")):
        container = style.element.find(qn(parent))
        if container is not None:
            for child in container.findall(qn(tag)):
                container.remove(child)


def _set_doc_defaults(styles_el: BaseOxmlElement, font: str) -> None:
    """The body font at 11 pt, Swedish proofing language for every run not styled otherwise."""
    rpr = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:rFonts", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    rfonts = OxmlElement("w:rFonts", {qn(f"w:{a}"): font for a in ("ascii", "hAnsi", "eastAsia", "cs")})
    size = str(2 * 11)  # half-points
    lang = OxmlElement("w:lang", {qn("w:val"): LANGUAGE, qn("w:eastAsia"): LANGUAGE, qn("w:bidi"): "ar-SA"})
    # CT_RPr child order: rFonts first, then sz, szCs, ..., lang last.
    rpr.insert(0, rfonts)
    rpr.append(OxmlElement("w:sz", {qn("w:val"): size}))
    rpr.append(OxmlElement("w:szCs", {qn("w:val"): size}))
    rpr.append(lang)


def _swedish_settings(settings_el: BaseOxmlElement) -> None:
    """Swedish theme-font language, decimal comma and ';' list separator (for fields)."""
    for tag, value in (("w:themeFontLang", LANGUAGE), ("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        el = settings_el.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), value)
