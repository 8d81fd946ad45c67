"""Reference document and DOCX finishing, checked against real pandoc output."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docx
import pypandoc
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from styrdok.render.docx_finish import DocxFinish, finish_docx, normalize_zip
from styrdok.render.docx_reference import build_reference_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
NS = {"w": W, "v": V}

# Two sections: the raw OpenXML paragraph carries a section break, as an appendix would.
MARKDOWN = """\
---
title: Policy för informationssäkerhet
---

::: {custom-style="Beslutsrad"}
Beslutad av kommunfullmäktige 2026-03-12, § 45.
:::

# Syfte

Kommunens information ska skyddas så att den är tillgänglig, riktig och konfidentiell.

## Omfattning

- Alla förvaltningar
- Alla helägda bolag

### Ansvar

Kommunstyrelsen följer upp policyn årligen.

```{=openxml}
<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr></w:p>
```

# Bilaga

Här börjar bilagan om åtgärder.
"""

SPEC = DocxFinish(
    title="Policy för informationssäkerhet",
    subject="Policy",
    keywords=("informationssäkerhet", "IT-säkerhet"),
    author="Kommunstyrelsen",
    revision=3,
    timestamp=datetime(2026, 3, 12, 10, 30, 4),
    header_note="REMISSVERSION – Svar senast 15 februari 2027",
    watermark="REMISSVERSION",
)
PLAIN = DocxFinish(
    title=SPEC.title, subject="Policy", keywords=(), author="Kommunstyrelsen", revision=1,
    timestamp=SPEC.timestamp,
)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docx")


@pytest.fixture(scope="module")
def reference(work: Path) -> Path:
    path = work / "reference.docx"
    path.write_bytes(build_reference_docx())
    return path


@pytest.fixture(scope="module")
def pandoc_docx(work: Path, reference: Path) -> bytes:
    out = work / "pandoc.docx"
    pypandoc.convert_text(MARKDOWN, "docx", format="markdown", outputfile=str(out),
                          extra_args=["--reference-doc", str(reference)])
    return out.read_bytes()


@pytest.fixture(scope="module")
def finished(pandoc_docx: bytes) -> bytes:
    return finish_docx(pandoc_docx, SPEC)


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def xml_of(element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


# --- reference document ----------------------------------------------------------------------


def test_reference_is_byte_identical_between_builds() -> None:
    assert build_reference_docx() == build_reference_docx()


def test_reference_styles_give_the_municipal_look(reference: Path) -> None:
    styles = open_docx(reference.read_bytes()).styles
    normal = styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Source Sans Pro", Pt(11))  # theme.yaml's body font
    assert normal.paragraph_format.line_spacing == pytest.approx(1.15, abs=0.01)
    assert normal.paragraph_format.space_after == Pt(6)
    for name, size in (("Heading 1", 24), ("Heading 2", 15), ("Heading 3", 12.5)):  # clearly larger than 11 pt
        style = styles[name]
        assert (style.font.name, style.font.size, style.font.bold) == ("Source Sans Pro", Pt(size), True)
        assert style.font.color.rgb == RGBColor(0x1F, 0x4E, 0x79)  # the theme's accent
        assert style.paragraph_format.keep_with_next
        # A theme font in the same w:rFonts would override "Arial" in Word.
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        assert not [a for a in rfonts.attrib if a.endswith("Theme") or a.endswith("theme")]
    beslut = styles["Beslutsrad"]
    assert beslut.type == WD_STYLE_TYPE.PARAGRAPH
    assert (beslut.font.name, beslut.font.size, beslut.paragraph_format.space_after) == ("Source Sans Pro", Pt(9.5), Pt(10))
    assert beslut.element.pPr.find(qn("w:contextualSpacing")) is not None  # no space between decision lines
    assert beslut.font.color.rgb == RGBColor(0x4A, 0x4A, 0x4A)  # the theme's muted
    assert styles["Dokumenttyp"].font.small_caps
    for pandoc_name in ("Body Text", "First Paragraph", "Compact", "Title"):
        assert styles[pandoc_name].type == WD_STYLE_TYPE.PARAGRAPH
    assert styles["Hyperlink"].type == WD_STYLE_TYPE.CHARACTER
    assert styles["Table"].type == WD_STYLE_TYPE.TABLE


def test_reference_language_and_page(reference: Path) -> None:
    doc = open_docx(reference.read_bytes())
    lang = doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "sv-SE"
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    assert [round(m.cm, 2) for m in margins] == [2.5, 2.5, 2.5, 2.0]
    assert round(section.header_distance.cm, 2) == round(section.footer_distance.cm, 2) == 1.25


# --- pandoc output finished ------------------------------------------------------------------


def test_pandoc_uses_the_reference_styles(finished: bytes) -> None:
    doc = open_docx(finished)
    used = [p.style.name for p in doc.paragraphs]
    assert {"Title", "Beslutsrad", "Heading 1", "Heading 2", "Heading 3", "Compact"} <= set(used)
    assert doc.styles["Heading 1"].font.name == "Source Sans Pro"
    assert doc.styles["Normal"].font.name == "Source Sans Pro"
    for section in doc.sections:  # pandoc carries the reference page setup
        assert abs(section.page_width - Cm(21.0)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)


def test_every_section_has_its_own_header_with_title_note_and_watermark(finished: bytes) -> None:
    doc = open_docx(finished)
    assert len(doc.sections) == 2
    shape_ids = []
    for section in doc.sections:
        header = section.header
        assert not header.is_linked_to_previous
        text = "\n".join(p.text for p in header.paragraphs)
        assert SPEC.title in text and SPEC.header_note in text
        tree = xml_of(header._element)
        assert tree.xpath("//v:textpath/@string", namespaces=NS) == ["REMISSVERSION"]
        assert "rotation:315" in tree.xpath("//v:shape/@style", namespaces=NS)[0]
        assert tree.xpath("//w:tab[@w:val='right']", namespaces=NS)  # note is right-aligned by a tab
        shape_ids += tree.xpath("//v:shape/@id", namespaces=NS)
    assert len(set(shape_ids)) == len(shape_ids) == 2


def test_footer_has_swedish_page_x_of_y_fields(finished: bytes) -> None:
    for section in open_docx(finished).sections:
        tree = xml_of(section.footer._element)
        assert [t.strip() for t in tree.xpath("//w:instrText/text()", namespaces=NS)] == ["PAGE", "NUMPAGES"]
        assert "".join(tree.xpath("//w:t/text()", namespaces=NS)).startswith("Sida 1 av 1")
        assert tree.xpath("//w:jc/@w:val", namespaces=NS) == ["center"]


def test_core_properties(finished: bytes) -> None:
    core = open_docx(finished).core_properties
    assert (core.title, core.subject, core.author, core.last_modified_by) == (
        SPEC.title, "Policy", "Kommunstyrelsen", "Kommunstyrelsen")
    assert core.keywords == "informationssäkerhet, IT-säkerhet"
    assert core.revision == 3 and core.language == "sv-SE"
    assert core.created.replace(tzinfo=None) == core.modified.replace(tzinfo=None) == SPEC.timestamp


def test_body_text_survives_and_header_is_not_in_body(work: Path, finished: bytes) -> None:
    path = work / "finished.docx"
    path.write_bytes(finished)
    text = pypandoc.convert_file(str(path), "plain", format="docx", extra_args=["--wrap=none"])
    for expected in ("Syfte", "Kommunens information ska skyddas", "Alla helägda bolag", "Här börjar bilagan"):
        assert expected in text
    assert "Svar senast" not in text and "REMISSVERSION" not in text and "Sida" not in text


def test_without_note_or_watermark(pandoc_docx: bytes) -> None:
    doc = open_docx(finish_docx(pandoc_docx, PLAIN))
    for section in doc.sections:
        assert [p.text for p in section.header.paragraphs] == [PLAIN.title]
        assert not xml_of(section.header._element).xpath("//v:textpath", namespaces=NS)


def test_existing_and_first_page_headers_are_replaced() -> None:
    src = docx.Document()
    src.add_paragraph("Brödtext")
    section = src.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "GAMMAL RUBRIK"
    section.first_page_header.paragraphs[0].text = "GAMMAL FÖRSTASIDA"
    buf = io.BytesIO()
    src.save(buf)
    section = open_docx(finish_docx(buf.getvalue(), SPEC)).sections[0]
    for first, header in ((False, section.header), (True, section.first_page_header)):
        text = "\n".join(p.text for p in header.paragraphs)
        # the note on a line of its own, so it never wraps; the first page shows no title (it is below)
        expected = f"\t{SPEC.header_note}" if first else f"\t{SPEC.header_note}\n{SPEC.title}"
        assert text == expected
    assert "Sida" in "".join(p.text for p in section.first_page_footer.paragraphs)


# --- reproducibility -------------------------------------------------------------------------


def test_finishing_is_deterministic(pandoc_docx: bytes, finished: bytes) -> None:
    assert finish_docx(pandoc_docx, SPEC) == finished
    later = finish_docx(pandoc_docx, DocxFinish(**{**SPEC.__dict__, "timestamp": SPEC.timestamp + timedelta(days=1)}))
    assert later != finished
    with zipfile.ZipFile(io.BytesIO(finished)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    # zip stores seconds in 2 s steps
    assert {i.date_time for i in infos} == {(2026, 3, 12, 10, 30, 4)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def _zip(entries: list[tuple[str, bytes]], when: tuple[int, ...]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, when), data)
    return buf.getvalue()


@settings(max_examples=40, deadline=None)
@given(
    entries=st.dictionaries(st.from_regex(r"[a-z]{1,8}/[a-z]{1,8}\.xml", fullmatch=True), st.binary(max_size=200),
                            min_size=1, max_size=6),
    order=st.randoms(use_true_random=False),
    year=st.integers(1980, 2100),
)
def test_normalize_zip_ignores_input_order_and_times(entries: dict[str, bytes], order, year: int) -> None:
    items = sorted(entries.items()) + [("[Content_Types].xml", b"<Types/>")]
    shuffled = list(items)
    order.shuffle(shuffled)
    when = datetime(2026, 1, 2, 3, 4, 6)
    a = normalize_zip(_zip(items, (year, 1, 1, 0, 0, 0)), when)
    b = normalize_zip(_zip(shuffled, (1999, 5, 5, 5, 5, 5)), when)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {z.read(n) for n in z.namelist()} == set(dict(items).values())


def test_normalize_zip_clamps_and_uses_utc() -> None:
    data = _zip([("[Content_Types].xml", b"x")], (2000, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(io.BytesIO(normalize_zip(data, datetime(1970, 1, 1)))) as z:
        assert z.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
    cet = timezone(timedelta(hours=1))
    with zipfile.ZipFile(io.BytesIO(normalize_zip(data, datetime(2026, 3, 12, 11, 0, tzinfo=cet)))) as z:
        assert z.infolist()[0].date_time == (2026, 3, 12, 10, 0, 0)


# --- optional: a real layout engine ----------------------------------------------------------


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (optional check)")
def test_libreoffice_lays_out_page_numbers_and_a4(work: Path, finished: bytes) -> None:
    pypdf = pytest.importorskip("pypdf")
    src = work / "lo.docx"
    src.write_bytes(finished)
    profile = (work / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(src)], check=True, capture_output=True, timeout=180)
    reader = pypdf.PdfReader(str(work / "lo.pdf"))
    assert len(reader.pages) == 2  # the section break starts a new page
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Sida {number} av 2" in text and SPEC.title in text
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
