"""Realistic Word files for the import tests, built with python-docx as municipal offices make them."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

W = nsdecls("w")
# A 1×1 PNG: an image in the text (a logo, a diagram).
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def swedish_styles(document: docx.document.Document) -> None:
    """Style ids as Swedish Word writes them: Rubrik1 … with the language-neutral names kept."""
    for name, sid in (("Heading 1", "Rubrik1"), ("Heading 2", "Rubrik2"), ("Heading 3", "Rubrik3"),
                      ("Title", "Rubrik"), ("List Bullet", "Punktlista")):
        document.styles[name].element.set(qn("w:styleId"), sid)
    styles = document.styles.element
    for el in styles.iter(qn("w:basedOn"), qn("w:next"), qn("w:link")):
        el.set(qn("w:val"), {"Heading1": "Rubrik1", "Heading2": "Rubrik2", "Heading3": "Rubrik3",
                             "Title": "Rubrik", "ListBullet": "Punktlista"}.get(el.get(qn("w:val")),
                                                                               el.get(qn("w:val"))))


def bold(document, text: str, size: float | None = None):
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)
    return p


def add_comment(paragraph, document, author: str, text: str, date: str = "2026-11-20T10:00:00Z") -> None:
    """A Word comment anchored on the paragraph (python-docx ≥ 1.2 writes comments.xml)."""
    document.add_comment(paragraph.runs, text=text, author=author, initials=author[:2])


def tracked_insertion(paragraph, text: str, author: str | None = None) -> None:
    who = f' w:author="{author}"' if author else ""
    paragraph._p.append(parse_xml(f'<w:ins {W} w:id="{900 + len(text)}"{who} w:date="2026-11-20T10:00:00Z">'
                                  f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'))


def text_box(paragraph, text: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:50pt">'
        f'<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        '</v:shape></w:pict></w:r>'))


def frozen_date_field(paragraph, shown: str) -> None:
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> DATE \\@ "yyyy-MM-dd" </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', f'<w:t>{shown}</w:t>', '<w:fldChar w:fldCharType="end"/>'):
        paragraph._p.append(parse_xml(f"<w:r {W}>{xml}</w:r>"))


def footnote(document, paragraph, text: str) -> None:
    """A real footnote (python-docx has no API: the part is added by hand)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    part = document.part
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
           '</w:footnotes>')
    notes = Part(PackURI("/word/footnotes.xml"),
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", xml.encode(), part.package)
    part.relate_to(notes, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  '<w:footnoteReference w:id="1"/></w:r>'))


def image(document, paragraph) -> None:
    paragraph.add_run().add_picture(io.BytesIO(PNG))


def save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def legacy_policy(path: Path) -> Path:
    """The common legacy file: everything Normal, bold headings with typed numbers, typed bullets,
    the information table on page 1, decision lines, header and footer text."""
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "Timrå kommun\tDnr KS 2014/88"
    section.footer.paragraphs[0].text = "Dokumentansvarig: Kanslichef"
    table = d.add_table(rows=3, cols=4)
    for (r, c), text in {(0, 0): "Beslutad av", (0, 1): "Kommunfullmäktige", (0, 2): "Datum", (0, 3): "2015-05-26",
                         (1, 0): "Diarienummer", (1, 1): "KS 2014/88", (1, 2): "Dokumentansvarig",
                         (1, 3): "Arbetsmarknadsenheten", (2, 0): "Gäller för", (2, 1): "Alla förvaltningar",
                         (2, 2): "Giltig till", (2, 3): "2026-12-31"}.items():
        table.cell(r, c).text = text
    bold(d, "Policy för föreningsstöd i Timrå kommun", 16)
    d.add_paragraph("Fastställd av kommunfullmäktige 2015-05-26, § 129")
    d.add_paragraph("Reviderad av kommunfullmäktige 2018-XX-XX, § XX")
    d.add_paragraph("Kommunen stödjer föreningslivet eftersom det bidrar till en levande bygd.")
    bold(d, "1. Syfte")
    p = d.add_paragraph("Policyn anger hur kommunen ger stöd till föreningar. Stödet ska vara rättvist.")
    footnote(d, p, "Se kommunens regler för bidrag.")
    bold(d, "2. Mål")
    d.add_paragraph("Kommunen har som mål att:")
    d.add_paragraph("•\tfler unga ska vara aktiva i föreningar")
    d.add_paragraph("–\tföreningarna ska ha tillgång till lokaler")
    d.add_paragraph("- stödet ska vara enkelt att söka")
    bold(d, "2.1 Uppföljning")
    p = d.add_paragraph("Kultur- och fritidsnämnden följer upp målen varje år. ")
    frozen_date_field(p, "2015-05-26")
    t = d.add_table(rows=3, cols=2)
    for (r, c), text in {(0, 0): "Stöd", (0, 1): "Belopp", (1, 0): "Grundbidrag", (1, 1): "5 000 kr",
                         (2, 0): "Lokalbidrag", (2, 1): "Efter ansökan"}.items():
        t.cell(r, c).text = text
    p = d.add_paragraph("Logotyp: ")
    image(d, p)
    p = d.add_paragraph("Rutan nedan sammanfattar stödet.")
    text_box(p, "Sök senast 1 mars")
    p = d.add_paragraph("Ansökan görs i e-tjänsten")
    tracked_insertion(p, " eller på blankett.")
    add_comment(p, d, "Eva Ek", "Ska blanketten finnas kvar?")
    bold(d, "3. Ansvar")
    d.add_paragraph("Kommunstyrelsen ansvarar för policyn.")
    d.core_properties.title = "Föreningsstöd"
    d.core_properties.author = "Anna Andersson"
    return save(d, path)


def swedish_styled(path: Path) -> Path:
    """A file written in Swedish Word with its heading styles (ids Rubrik1 …), a style based on a
    heading style, an outline-level paragraph and real bullets."""
    d = docx.Document()
    swedish_styles(d)
    d.add_paragraph("Riktlinjer för sociala medier", style="Title")
    d.add_paragraph("Antagen av kommunstyrelsen 2020-02-04, § 12 (dnr KS 2019/400)")
    d.add_paragraph("Riktlinjerna gäller alla kommunens konton.")
    d.add_paragraph("Bakgrund", style="Heading 1")
    d.add_paragraph("Kommunen finns på flera plattformar.")
    custom = d.styles.add_style("KS Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = d.styles["Heading 2"]
    d.add_paragraph("Konton och ansvar", style="KS Rubrik 2")
    d.add_paragraph("Varje konto har en ansvarig.")
    d.add_paragraph("Publicering", style="Heading 1")
    p = d.add_paragraph("Att tänka på")
    p._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="1"/>'))
    d.add_paragraph("Skriv kort.", style="List Bullet")
    d.add_paragraph("Svara inom en dag.", style="List Bullet")
    return save(d, path)
