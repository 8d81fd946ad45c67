"""Reading the Word structure: the file checked and opened, every paragraph's facts (style and
the styles it is based on, outline level, bold, size, bookmarks, page), and what pandoc would
lose (images, text boxes, frozen fields, tracked changes, comments, insertions without author).

The document XML handed on to pandoc carries a marker at the start of every paragraph
(private-use characters around the paragraph's number), so each block pandoc returns can be
traced to its paragraph in Word.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import pandoc
from ..errors import StyrdokError
from ..i18n import _

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/"}
DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARKER = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
UNKNOWN_AUTHOR = "okänd författare"
TRACKED = ("ins", "del", "moveFrom", "moveTo")
FROZEN_FIELDS = {"DATE", "TIME", "CREATEDATE", "SAVEDATE", "PRINTDATE", "AUTHOR", "TITLE", "SUBJECT", "FILENAME",
                 "DOCPROPERTY", "REF", "PAGEREF", "NOTEREF", "SEQ", "MERGEFIELD", "LASTSAVEDBY", "KEYWORDS",
                 "NUMPAGES", "PAGE", "SECTIONPAGES", "USERNAME", "INFO", "STYLEREF", "DOCVARIABLE", "FILLIN"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class NotWord(StyrdokError):
    """A file that is not a Word document styrdok can read."""


@dataclass(frozen=True)
class Style:
    id: str
    name: str  # the language-neutral name ("heading 1" also in Swedish Word, whose id is "Rubrik1")
    based_on: str | None
    outline: int | None  # 1-based
    bold: bool | None
    size: float | None  # points
    num: tuple[str, int] | None = None  # the Word list it numbers its paragraphs with: (numId, level)
    indent: int | None = None  # left indentation, twips


@dataclass
class Paragraph:
    """One paragraph of the document body (tables included, text boxes and notes not)."""

    number: int  # 1-based, in document order
    text: str  # with tracked changes accepted
    style: str  # style id
    styles: tuple[Style, ...]  # the style and those it is based on, nearest first
    outline: int | None
    bold: bool  # every character with text is bold
    size: float | None  # largest font size of its text, points
    in_table: int | None  # index of the top-level table holding it
    listed: bool  # a Word list item (numbering)
    indent: int  # left indentation, twips
    bookmarks: tuple[str, ...]  # bookmarks starting at it (just before it, or inside before its text)
    page: int | None  # page as Word last laid it out, when the file says
    list_format: str | None = None  # a Word list item's number format: "decimal", "bullet" …
    list_level: int = 0  # its level in the list, 0 the top
    list_id: str | None = None  # the Word list (numId) numbering it

    def words(self, count: int = 8) -> str:
        parts = self.text.split()
        return " ".join(parts[:count]) + (" …" if len(parts) > count else "")

    def where(self) -> str:
        """Where it is, for the report: 'paragraph 12, page 2: ”The first words …”'."""
        place = _("paragraph {number}").format(number=self.number)
        if self.page:
            place += ", " + _("page {page}").format(page=self.page)
        return place + (f": ”{self.words()}”" if self.text.strip() else "")


@dataclass(frozen=True)
class Finding:
    """Something in the file that the policy text cannot hold, at its paragraph."""

    kind: str  # image, textbox, field, tracked, comment, unauthored
    paragraph: int
    detail: str = ""


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    paragraph: int
    text: str


@dataclass
class WordFile:
    """The opened document: its parts, paragraphs, findings and the XML for pandoc."""

    path: Path
    parts: dict[str, bytes]
    paragraphs: list[Paragraph]
    styles: dict[str, Style]
    findings: list[Finding] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    header_text: list[str] = field(default_factory=list)
    footer_text: list[str] = field(default_factory=list)
    core: dict[str, str] = field(default_factory=dict)
    converted_from: str | None = None  # "doc" or "odt" when the file was converted first
    converter: str = ""  # what converted it: "libreoffice" or "pandoc"
    marked: bytes = b""  # the DOCX with paragraph markers, for pandoc
    tables: list[list[list[list[int]]]] = field(default_factory=list)  # top-level tables: rows, cells, paragraphs
    body_size: float | None = None  # the most common font size of the text

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]


# --- opening --------------------------------------------------------------------------------

def load(path: Path, display: str | None = None) -> WordFile:
    """Open `path` as a Word document, or raise NotWord naming the file and what to do."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotWord.because(_("cannot import {name}").format(name=name),
                              _("the file cannot be read ({reason})").format(reason=exc.strerror),
                              _("check the file name and that you may read the file")) from None
    converted = through = None
    kind = sniff(data)
    if kind == "doc":
        data, converted = _from_doc(path, name), "doc"
    elif kind == "odt":
        # LibreOffice keeps the styles, bold and sizes the evidence rules need (pandoc's reading
        # turns a Title paragraph into plain text); pandoc when LibreOffice is not installed
        through = _through_libreoffice(path, "odt") if soffice() else None
        data, converted = (through or pandoc.convert(data, "odt", "docx")), "odt"
    elif kind == "empty":
        raise NotWord.because(_("cannot import {name}").format(name=name), _("the file is empty, not a Word document"),
                              _("save the document in Word as .docx and try again"))
    elif kind != "docx":
        raise NotWord.because(_("cannot import {name}").format(name=name),
                              _("the file is not a Word document (.docx); styrdok reads Word documents (.docx) and "
                                "OpenDocument text (.odt)"),
                              _("open the file in Word and save it as a Word document (.docx)"))
    try:
        doc = read(Path(name), data, converted)
        doc.converter = "libreoffice" if kind == "doc" or kind == "odt" and through else "pandoc" if converted else ""
        return doc
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise NotWord.because(_("cannot import {name}").format(name=name),
                              _("the Word document is damaged and cannot be read ({reason})").format(reason=exc),
                              _("open it in Word, save it again as .docx and try again")) from None


def sniff(data: bytes) -> str:
    if not data.strip():
        return "empty"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if DOCUMENT in names:
                    return "docx"
                if "mimetype" in names and z.read("mimetype").startswith(b"application/vnd.oasis.opendocument.text"):
                    return "odt"
        except zipfile.BadZipFile:
            return "other"
    return "other"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _through_libreoffice(path: Path, suffix: str) -> bytes | None:
    """The file converted to .docx by LibreOffice (an own profile, so parallel conversions do not
    collide); None when it could not."""
    office = soffice()
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="styrdok-office-") as tmp:
        source = Path(tmp) / f"in.{suffix}"
        source.write_bytes(path.read_bytes())
        try:
            subprocess.run([office, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                            "--convert-to", "docx", "--outdir", tmp, str(source)], capture_output=True, timeout=180,
                           check=False)
        except subprocess.TimeoutExpired:
            return None
        out = Path(tmp) / "in.docx"
        return out.read_bytes() if out.is_file() and sniff(out.read_bytes()) == "docx" else None


def _from_doc(path: Path, name: str) -> bytes:
    """A legacy binary .doc converted to .docx by LibreOffice, when it is installed."""
    office = soffice()
    what = _("cannot import {name}").format(name=name)
    advice = _("open it in Word, save it as a Word document (.docx) (File > Save As) and import that file")
    if office is None:
        raise NotWord.because(what, _("the file is an older Word document (.doc, Word 97–2003) or a password-protected "
                                      "document"),
                              _("{advice} (with LibreOffice installed, the soffice command, styrdok converts .doc "
                                "files itself)").format(advice=advice))
    with tempfile.TemporaryDirectory(prefix="styrdok-doc-") as tmp:
        source = Path(tmp) / "in.doc"
        source.write_bytes(path.read_bytes())
        profile = Path(tmp, "profile").as_uri()  # an own profile: parallel conversions do not collide
        try:
            subprocess.run([office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                            "--outdir", tmp, str(source)], capture_output=True, timeout=180, check=False)
        except subprocess.TimeoutExpired:
            raise NotWord.because(what, _("LibreOffice could not convert the file within 3 minutes"), advice) from None
        out = Path(tmp) / "in.docx"
        if not out.is_file() or sniff(out.read_bytes()) != "docx":
            raise NotWord.because(what, _("LibreOffice could not read the file (a password-protected or damaged "
                                          "document?)"), advice)
        return out.read_bytes()


# --- reading --------------------------------------------------------------------------------

def read(path: Path, data: bytes, converted: str | None = None) -> WordFile:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist() if not name.endswith("/")}
    root = etree.fromstring(parts[DOCUMENT])
    styles = _styles(parts.get("word/styles.xml"))
    defaults = _defaults(parts.get("word/styles.xml"))
    doc = WordFile(path, parts, [], styles, converted_from=converted)
    body = root.find(w("body"))
    if body is None:
        raise KeyError("w:body")
    comment_texts = _comments(parts.get("word/comments.xml"))
    numbering = _numbering(parts.get("word/numbering.xml"))
    paragraphs = _body_paragraphs(body)
    table_elements = _top_tables(body)  # kept alive: lxml proxies (and their ids) live as long as referenced
    tables = {id(t): i for i, t in enumerate(table_elements)}
    sizes: dict[float, int] = {}
    page = 1
    # Pages are known only where Word recorded its layout (w:lastRenderedPageBreak, written on
    # save); explicit page breaks alone would give wrong numbers for text that spills over.
    has_pages = root.find(f".//{w('lastRenderedPageBreak')}") is not None
    pending_marks: list[str] = []
    for number, p in enumerate(paragraphs, 1):
        ppr = p.find(w("pPr"))
        style_id = _val(ppr, "pStyle") or "Normal"
        chain = _chain(styles, style_id)
        if ppr is not None and ppr.find(w("pageBreakBefore")) is not None:
            page += 1
        page += sum(1 for _ in p.iter(w("lastRenderedPageBreak")))
        text = paragraph_text(p)
        bold, size = _emphasis(p, chain, styles, defaults)
        if text.strip() and size:
            sizes[size] = sizes.get(size, 0) + len(text)
        outline = _outline(ppr, chain)
        table = next((tables[id(a)] for a in p.iterancestors(w("tbl")) if id(a) in tables), None)
        marks = tuple(pending_marks) + _leading_bookmarks(p)
        pending_marks = []
        direct = ppr.find(w("numPr")) if ppr is not None else None
        num = _paragraph_num(direct, next((s.num for s in chain if s.num), None))
        doc.paragraphs.append(Paragraph(
            number=number, text=text, style=style_id, styles=chain, outline=outline, bold=bold, size=size,
            in_table=table, listed=direct is not None or _style_numbered(chain, parts) or num is not None,
            indent=_effective_indent(ppr, chain, numbering.get(num[0], {}).get(num[1]) if num else None),
            bookmarks=marks, page=page if has_pages else None,
            list_format=numbering.get(num[0], {}).get(num[1], ("decimal", None))[0] if num else None,
            list_level=num[1] if num else 0, list_id=num[0] if num else None))
        pending_marks = _trailing_bookmarks(p)
        _find_losses(doc, p, number, comment_texts)
        page += sum(1 for br in p.iter(w("br")) if br.get(w("type")) == "page")
    numbers = {id(p): n for n, p in enumerate(paragraphs, 1)}
    doc.tables = [[[[numbers[id(p)] for p in tc.iter(w("p")) if id(p) in numbers] for tc in tr.findall(w("tc"))]
                   for tr in tbl.findall(w("tr"))] for tbl in table_elements]
    doc.body_size = max(sizes, key=lambda s: sizes[s]) if sizes else None
    doc.header_text = _part_texts(parts, "header")
    doc.footer_text = _part_texts(parts, "footer")
    doc.core = _core(parts.get("docProps/core.xml"))
    doc.marked = _marked(parts, root, paragraphs)
    return doc


def _top_tables(body: etree._Element) -> list[etree._Element]:
    """Tables of the text, not inside another table or a text box; also those in a content
    control (w:sdt), where templates often put the first page's information table."""
    return [t for t in body.iter(w("tbl"))
            if not any(a.tag in (w("tbl"), w("txbxContent")) for a in t.iterancestors())]


def _body_paragraphs(body: etree._Element) -> list[etree._Element]:
    """Paragraphs in reading order, without those inside text boxes (they are not body text)."""
    out = []
    for p in body.iter(w("p")):
        if any(a.tag == w("txbxContent") for a in p.iterancestors()):
            continue
        out.append(p)
    return out


def paragraph_text(p: etree._Element, *, boxed: bool = False) -> str:
    """Text as Word shows it with every change accepted; tabs and line breaks kept. Text boxes
    anchored in the paragraph are not its text (unless `boxed`: the paragraph is in one)."""
    parts: list[str] = []
    skip = (w("del"), w("moveFrom")) if boxed else (w("del"), w("moveFrom"), w("txbxContent"))
    for el in p.iter(w("t"), w("tab"), w("br"), w("cr"), w("noBreakHyphen"), w("delText"), w("instrText")):
        if any(a.tag in skip for a in el.iterancestors()):
            continue
        if el.tag == w("t"):
            parts.append(el.text or "")
        elif el.tag == w("tab"):
            if el.getparent() is not None and el.getparent().tag == w("r"):
                parts.append("\t")
        elif el.tag in (w("br"), w("cr")):
            parts.append("\n")
        elif el.tag == w("noBreakHyphen"):
            parts.append("-")
    return "".join(parts).replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def _val(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    el = parent.find(w(tag))
    return el.get(w("val")) if el is not None else None


def _on(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    return el.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


def _styles(xml: bytes | None) -> dict[str, Style]:
    if not xml:
        return {}
    root = etree.fromstring(xml)
    out = {}
    for s in root.iter(w("style")):
        sid = s.get(w("styleId"), "")
        ppr, rpr = s.find(w("pPr")), s.find(w("rPr"))
        outline = _val(ppr, "outlineLvl")
        size = _val(rpr, "sz")
        out[sid] = Style(id=sid, name=(_val(s, "name") or sid).strip().lower(), based_on=_val(s, "basedOn"),
                         outline=int(outline) + 1 if outline and outline.isdigit() and int(outline) < 9 else None,
                         bold=_on(rpr.find(w("b"))) if rpr is not None else None,
                         size=int(size) / 2 if size and size.isdigit() else None,
                         num=_num(ppr.find(w("numPr")) if ppr is not None else None), indent=_indent(ppr))
    return out


def _num(num_pr: etree._Element | None) -> tuple[str, int] | None:
    """(numId, level) of a w:numPr; None when absent or numbering is switched off (numId 0)."""
    if num_pr is None:
        return None
    num_id, level = _val(num_pr, "numId"), _val(num_pr, "ilvl")
    if not num_id or num_id == "0":
        return None
    return num_id, int(level) if level and level.isdigit() else 0


def _paragraph_num(direct: etree._Element | None, by_style: tuple[str, int] | None) -> tuple[str, int] | None:
    """A paragraph's list and level: its own w:numPr (which may give only the level) over its style's."""
    if direct is None:
        return by_style
    num_id, level = _val(direct, "numId"), _val(direct, "ilvl")
    if num_id == "0":
        return None
    num_id = num_id or (by_style[0] if by_style else None)
    if not num_id:
        return None
    if level and level.isdigit():
        return num_id, int(level)
    return num_id, by_style[1] if by_style and by_style[0] == num_id else 0


def _numbering(xml: bytes | None) -> dict[str, dict[int, tuple[str, int | None]]]:
    """numId → {level: (number format, left indentation)} from numbering.xml."""
    if not xml:
        return {}
    root = etree.fromstring(xml)
    abstract = {a.get(w("abstractNumId")): {int(lvl.get(w("ilvl"), "0")): (_val(lvl, "numFmt") or "decimal",
                                                                           _indent(lvl.find(w("pPr"))))
                                            for lvl in a.findall(w("lvl")) if lvl.get(w("ilvl"), "0").isdigit()}
                for a in root.findall(w("abstractNum"))}
    return {n.get(w("numId"), ""): abstract.get(_val(n, "abstractNumId"), {}) for n in root.findall(w("num"))}


def _defaults(xml: bytes | None) -> float | None:
    if not xml:
        return None
    root = etree.fromstring(xml)
    sz = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('sz')}")
    value = sz.get(w("val")) if sz is not None else None
    return int(value) / 2 if value and value.isdigit() else None


def _chain(styles: dict[str, Style], style_id: str) -> tuple[Style, ...]:
    chain: list[Style] = []
    current: str | None = style_id
    while current and current in styles and len(chain) < 20 and styles[current] not in chain:
        chain.append(styles[current])
        current = styles[current].based_on
    return tuple(chain)


def _outline(ppr: etree._Element | None, chain: tuple[Style, ...]) -> int | None:
    direct = _val(ppr, "outlineLvl")
    if direct is not None:
        return int(direct) + 1 if direct.isdigit() and int(direct) < 9 else None
    return next((s.outline for s in chain if s.outline), None)


def _style_numbered(chain: tuple[Style, ...], parts: dict[str, bytes]) -> bool:
    return any(s.name.startswith(("list bullet", "list number", "list paragraph", "punktlista", "numrerad lista",
                                  "liststycke")) for s in chain[:1])


def _indent(ppr: etree._Element | None) -> int | None:
    """The left indentation (twips) a w:pPr gives, None when it gives none."""
    if ppr is None or (ind := ppr.find(w("ind"))) is None:
        return None
    value = ind.get(w("left")) or ind.get(w("start"))
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _effective_indent(ppr: etree._Element | None, chain: tuple[Style, ...],
                      level: tuple[str, int | None] | None) -> int:
    """The indentation Word shows: the paragraph's own, else its list level's, else its style's."""
    for value in (_indent(ppr), level[1] if level else None, *(s.indent for s in chain)):
        if value is not None:
            return value
    return 0


def _emphasis(p: etree._Element, chain: tuple[Style, ...], styles: dict[str, Style],
              default_size: float | None) -> tuple[bool, float | None]:
    """(all text bold, largest size) from run formatting, character and paragraph styles."""
    style_bold = next((s.bold for s in chain if s.bold is not None), False)
    style_size = next((s.size for s in chain if s.size), None) or default_size
    bold_all, any_text, largest = True, False, None
    for r in p.iter(w("r")):
        if any(a.tag in (w("del"), w("moveFrom"), w("txbxContent")) for a in r.iterancestors()):
            continue
        text = "".join(t.text or "" for t in r.findall(w("t")))
        if not text.strip():
            continue
        any_text = True
        rpr = r.find(w("rPr"))
        run_style = styles.get(_val(rpr, "rStyle") or "")
        bold = _on(rpr.find(w("b"))) if rpr is not None else None
        if bold is None and run_style is not None:
            bold = run_style.bold
        if bold is None:
            bold = style_bold
        bold_all = bold_all and bool(bold)
        size_val = _val(rpr, "sz")
        size = int(size_val) / 2 if size_val and size_val.isdigit() else (run_style.size if run_style and run_style.size
                                                                            else style_size)
        if size and (largest is None or size > largest):
            largest = size
    return (bold_all and any_text), largest


def _leading_bookmarks(p: etree._Element) -> tuple[str, ...]:
    names = []
    for child in p:
        if child.tag == w("bookmarkStart"):
            names.append(child.get(w("name"), ""))
        elif child.tag in (w("pPr"), w("bookmarkEnd"), w("proofErr")):
            continue
        elif child.tag == w("r") and not "".join(t.text or "" for t in child.iter(w("t"))).strip():
            continue
        else:
            break
    return tuple(names)


def _trailing_bookmarks(p: etree._Element) -> list[str]:
    """Bookmarks between this paragraph and the next one (body level): they belong to the next."""
    names = []
    sibling = p.getnext()
    while sibling is not None and sibling.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        if sibling.tag == w("bookmarkStart"):
            names.append(sibling.get(w("name"), ""))
        sibling = sibling.getnext()
    return names


def _comments(xml: bytes | None) -> dict[str, tuple[str, str, str]]:
    if not xml:
        return {}
    root = etree.fromstring(xml)
    out = {}
    for c in root.iter(w("comment")):
        text = "\n".join(paragraph_text(p) for p in c.iter(w("p"))).strip()
        out[c.get(w("id"), "")] = (c.get(w("author"), UNKNOWN_AUTHOR), (c.get(w("date")) or "")[:10], text)
    return out


def _find_losses(doc: WordFile, p: etree._Element, number: int, comments: dict[str, tuple[str, str, str]]) -> None:
    for drawing in p.iter(w("drawing"), w("pict"), w("object")):
        if any(a.tag in (w("drawing"), w("pict"), w("object")) for a in drawing.iterancestors()):
            continue
        boxes = list(drawing.iter(w("txbxContent")))
        if boxes:
            text = " ".join(paragraph_text(q, boxed=True) for q in boxes[0].iter(w("p"))).strip()
            doc.findings.append(Finding("textbox", number, text))
        elif drawing.tag == w("object"):
            doc.findings.append(Finding("object", number))
        elif not _is_watermark(drawing):
            doc.findings.append(Finding("image", number, _image_name(drawing)))
    for instr in _field_instructions(p):
        name = instr.split()[0].upper() if instr.split() else ""
        if name in FROZEN_FIELDS:
            doc.findings.append(Finding("field", number, instr.strip()))
        elif name == "TOC":
            doc.findings.append(Finding("toc", number))
    for tag in TRACKED:
        for change in p.iter(w(tag)):
            if change.getparent() is not None and change.getparent().tag == w("rPr"):
                kind = "paragraph mark"
            else:
                kind = tag
            text = "".join(t.text or "" for t in change.iter(w("t"), w("delText")))
            author = change.get(w("author"))
            if tag in ("ins", "moveTo") and not author:
                doc.findings.append(Finding("unauthored", number, text))
            doc.findings.append(Finding("tracked", number, f"{kind}\u0000{author or UNKNOWN_AUTHOR}\u0000{text}"))
    for ref in p.iter(w("commentReference")):
        if (c := comments.get(ref.get(w("id"), ""))) is not None:
            doc.comments.append(Comment(author=c[0], date=c[1], paragraph=number, text=c[2]))


def _is_watermark(el: etree._Element) -> bool:
    return any("WaterMark" in (s.get("id") or "") for s in el.iter("{urn:schemas-microsoft-com:vml}shape"))


def _image_name(el: etree._Element) -> str:
    for node in el.iter():
        if node.tag.endswith("}docPr") or node.tag.endswith("}cNvPr"):
            return node.get("descr") or node.get("name") or ""
    return ""


def _field_instructions(p: etree._Element) -> list[str]:
    out = [f.get(w("instr"), "") for f in p.iter(w("fldSimple"))]
    current: list[str] | None = None
    for el in p.iter(w("fldChar"), w("instrText")):
        if el.tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                current = []
            elif kind == "separate" and current is not None:
                out.append("".join(current))
                current = None
        elif current is not None:
            current.append(el.text or "")
    return out


def _part_texts(parts: dict[str, bytes], kind: str) -> list[str]:
    texts = []
    for name in sorted(parts):
        if re.fullmatch(rf"word/{kind}\d*\.xml", name):
            root = etree.fromstring(parts[name])
            for p in root.iter(w("p")):
                text = _visible_text(p).strip()
                if text and text not in texts:
                    texts.append(text)
    return texts


def _visible_text(p: etree._Element) -> str:
    """Paragraph text without field results such as page numbers."""
    out, in_field = [], 0
    for el in p.iter(w("t"), w("tab"), w("fldChar")):
        if el.tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            in_field += 1 if kind == "begin" else -1 if kind == "end" else 0
            continue
        if in_field or any(a.tag in (w("fldSimple"), w("txbxContent"), w("del")) for a in el.iterancestors()):
            continue
        out.append("\t" if el.tag == w("tab") else el.text or "")
    return "".join(out)


def _core(xml: bytes | None) -> dict[str, str]:
    if not xml:
        return {}
    root = etree.fromstring(xml)
    out = {}
    for el in root:
        name = etree.QName(el).localname
        if el.text and el.text.strip():
            out[name] = el.text.strip()
    return out


# --- the copy for pandoc ---------------------------------------------------------------------

def _marked(parts: dict[str, bytes], root: etree._Element, paragraphs: list[etree._Element]) -> bytes:
    """The DOCX with a marker opening every paragraph, and every insertion given an author
    (pandoc silently drops insertions without one). The marker opens the text of the paragraph's
    first run where that is plain text; else it is a run of its own (a run more for each
    paragraph made pandoc's reading a third slower)."""
    for number, p in enumerate(paragraphs, 1):
        if (first := _plain_first_text(p)) is not None:
            first.text = f"{MARK_OPEN}{number}{MARK_CLOSE}{first.text}"
            continue
        run = etree.Element(w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = f"{MARK_OPEN}{number}{MARK_CLOSE}"
        holder = _tracked_whole(p)
        if holder is not None:  # the paragraph came or went as a whole: so does its marker
            wrapper = etree.Element(holder.tag, {k: v for k, v in holder.attrib.items()})
            if wrapper.tag in (w("del"), w("moveFrom")):
                t.tag = w("delText")
            wrapper.append(run)
            run = wrapper
        ppr = p.find(w("pPr"))
        p.insert(0 if ppr is None else list(p).index(ppr) + 1, run)
    for tag in ("ins", "moveTo", "del", "moveFrom"):
        for change in root.iter(w(tag)):
            if not change.get(w("author")):
                change.set(w("author"), UNKNOWN_AUTHOR)
    out = io.BytesIO()
    styles = _used_styles(parts)
    # UTF-8 as Word writes it: lxml's default, ASCII with "&#246;" for every "ö", took pandoc a fifth longer to read
    document = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, document if name == DOCUMENT else styles if name == STYLES and styles is not None else data)
    return out.getvalue()


STYLE_REF = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink)\s+w:val="([^"]+)"')


def _used_styles(parts: dict[str, bytes]) -> bytes | None:
    """styles.xml with only the styles the document uses (and those they are based on or linked
    to): pandoc reads every style of the file, and templates carry hundreds (python-docx's and
    many municipal ones: 350 kB), which made reading a one-page file take ten times as long."""
    xml = parts.get(STYLES)
    if not xml:
        return xml
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return xml
    used = {m.decode() for name, data in parts.items() if name.endswith(".xml") and name != STYLES
            for m in STYLE_REF.findall(data)}
    styles = {s.get(w("styleId"), ""): s for s in root.findall(w("style"))}
    todo = [*used, *(sid for sid, s in styles.items() if _on(s.find(w("default"))) or s.get(w("default")) in ("1", "true"))]
    keep: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in styles:
            continue
        keep.add(sid)
        todo += [v for tag in ("basedOn", "link") if (v := _val(styles[sid], tag))]
        todo += [m.decode() for m in STYLE_REF.findall(etree.tostring(styles[sid]))]
    for sid, style in styles.items():
        if sid not in keep:
            root.remove(style)
    for latent in root.findall(w("latentStyles")):  # how Word shows styles not in the file: not read by pandoc
        root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


SKIPPED = frozenset(w(tag) for tag in ("pPr", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd"))
# run properties pandoc reads as a container that `body.leading_marker` looks into (or as nothing)
PLAIN_RUN = frozenset(w(tag) for tag in ("b", "bCs", "i", "iCs", "u", "strike", "smallCaps", "caps", "sz", "szCs",
                                         "color", "rFonts", "lang", "noProof", "kern", "spacing", "highlight"))


def _plain_first_text(p: etree._Element) -> etree._Element | None:
    """The w:t opening the paragraph's text, when it is in a plain run (no character style,
    superscript, field, link or tracked change around it) and the paragraph is not tracked as a whole."""
    for child in p:
        if child.tag in SKIPPED:
            if child.tag == w("pPr") and _tracked_whole(p) is not None:
                return None
            continue
        if child.tag != w("r"):
            return None
        for part in child:
            if part.tag == w("rPr"):
                if any(prop.tag not in PLAIN_RUN for prop in part):
                    return None
                continue
            return part if part.tag == w("t") and part.text else None
        return None
    return None


def _tracked_whole(p: etree._Element) -> etree._Element | None:
    """The paragraph mark's tracked change when the whole paragraph was inserted or deleted."""
    ppr = p.find(w("pPr"))
    rpr = ppr.find(w("rPr")) if ppr is not None else None
    if rpr is None:
        return None
    mark = next((c for c in rpr if c.tag in (w("ins"), w("del"), w("moveFrom"), w("moveTo"))), None)
    if mark is None:
        return None
    for r in p.iter(w("r")):
        if not any(t.text for t in r.iter(w("t"), w("delText"))):
            continue
        if not any(a.tag == mark.tag for a in r.iterancestors()):
            return None
    return mark
