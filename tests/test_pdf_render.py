"""PDF rendering: real pandoc (commonmark_x -> typst body) + real typst-py,
checked by reading the PDF back with pypdf."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pypandoc
import pytest
from pypdf import PdfReader

SRC = Path(__file__).resolve().parents[1] / "src"
from styrdok.errors import StyrdokError
from styrdok.render.pdf import Part, compile_pdf

TEMPLATE_PATH = SRC / "styrdok" / "templates" / "policy.typ"
TEMPLATE = TEMPLATE_PATH.read_text(encoding="utf-8")
TIMESTAMP = datetime(2018, 3, 6, 12, 0, tzinfo=timezone.utc)

TITLE = 'Policy för social ekonomi #1 *inte fet* $5 [bilaga] "citat" \\ slut'

PARAGRAPHS = [
    "Kommunen ska genom samverkan med den sociala ekonomin bidra till att fler "
    "invånare kommer i arbete och att den sociala sammanhållningen stärks.",
    "Med social ekonomi avses organiserad verksamhet som främst har "
    "samhälleliga ändamål, bygger på demokratiska värderingar och är "
    "organisatoriskt fristående från den offentliga sektorn.",
    "Arbetsmarknadsenheten ansvarar för att samordna kommunens kontakter med "
    "sociala företag och andra aktörer inom den sociala ekonomin.",
]
BULLETS = ["Ideella föreningar", "Sociala företag", "Kooperativ och stiftelser"]

SAMPLE_MD = f"""\
## Inledning {{#inledning}}

{PARAGRAPHS[0]}

## Begreppsdefinitioner {{#begreppsdefinitioner}}

### Social ekonomi {{#social-ekonomi}}

{PARAGRAPHS[1]}

- {BULLETS[0]}
- {BULLETS[1]}
- {BULLETS[2]}

## Ansvar {{#ansvar}}

{PARAGRAPHS[2]}
"""

# Every block construct ordinary Markdown produces, to make sure the body
# pandoc emits compiles against the template (helpers like horizontalrule).
FEATURES_MD = """\
## Formatering

Text med *kursiv*, **fet**, ~~struken~~ stil, `kod`, H~2~O och x^2^,
en [extern länk](https://www.example.se/) och en [intern länk](#formatering).
Fotnot här.[^1]

1. Första
2. Andra
   - Underpunkt

> Ett citat ur regeringens strategi.

Begrepp
:   Definitionen av begreppet.

| Kolumn A | Kolumn B |
|----------|---------:|
| Värde 1  |      100 |

---

```python
print("hej")
```

<div>rå html ignoreras</div>

[^1]: En fotnot.
"""


def meta(**overrides) -> dict:
    base = {
        "title": TITLE,
        "doctype": "Policy",
        "owner": "Kommunstyrelsen",
        "coordinator": "Arbetsmarknadsenheten",
        "decisions": [
            "Fastställd av kommunstyrelsen 2015-05-26, § 129",
            "Reviderad av kommunstyrelsen 2018-XX-XX, § XX",
        ],
        "watermark": None,
        "header_note": None,
        "keywords": ["social ekonomi", "idéburen sektor"],
        "date": "2018-03-06",
        "lang": "sv",
        "region": "SE",
        "control": [{"label": "Dokumentägare", "value": "Kommunstyrelsen"},
                    {"label": "Dokumentansvarig", "value": "Arbetsmarknadsenheten"}],
    }
    base.update(overrides)
    return base


def to_typst(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "typst", format="commonmark_x")


def render(markdown: str = SAMPLE_MD, **meta_overrides) -> bytes:
    return compile_pdf(to_typst(markdown), meta(**meta_overrides), TEMPLATE, TIMESTAMP)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def normalise(text: str) -> str:
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # undo hyphenation
    return re.sub(r"\s+", " ", text).strip()


def all_text(reader: PdfReader) -> str:
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def long_markdown(sections: int = 7) -> str:
    parts = []
    for s in range(1, sections + 1):
        parts.append(f"## Avsnitt {s}\n")
        for k in range(1, 3):
            parts.append(f"### Underavsnitt {s}.{k}\n")
            parts.extend(" ".join(PARAGRAPHS) + "\n" for _ in range(2))
            parts.append("\n".join(f"- {b}" for b in BULLETS) + "\n")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render()


@pytest.fixture(scope="module")
def sample(sample_pdf) -> PdfReader:
    return read(sample_pdf)


@pytest.fixture(scope="module")
def long_doc() -> PdfReader:
    return read(
        render(
            long_markdown(),
            watermark="REMISSVERSION",
            header_note="REMISSVERSION – svar senast 15 februari 2027",
        )
    )


# ------------------------------------------------------------------ content


def test_every_paragraph_and_list_item_is_in_the_text(sample):
    text = all_text(sample)
    for paragraph in PARAGRAPHS:
        assert normalise(paragraph) in text
    for bullet in BULLETS:
        assert bullet in text
    for heading in ("Inledning", "Begreppsdefinitioner", "Social ekonomi", "Ansvar"):
        assert heading in text


def test_title_prints_literally_despite_typst_markup_characters(sample):
    assert normalise(TITLE) in all_text(sample)


def test_title_block_shows_doctype_and_decisions(sample):
    first_page = normalise(sample.pages[0].extract_text())
    assert first_page.startswith("Policy ")
    assert "Fastställd av kommunstyrelsen 2015-05-26, § 129" in first_page
    assert "Reviderad av kommunstyrelsen 2018-XX-XX, § XX" in first_page
    assert "Kommunstyrelsen" in first_page
    assert "Arbetsmarknadsenheten" in first_page


def test_markdown_constructs_compile_and_render():
    text = all_text(read(render(FEATURES_MD)))
    for expected in (
        "kursiv",
        "fet",
        "struken",
        "extern länk",
        "Underpunkt",
        "Ett citat ur regeringens strategi.",
        "Begrepp",
        "Definitionen av begreppet.",
        "Kolumn A",
        "Värde 1",
        'print("hej")',
        "En fotnot.",
    ):
        assert expected in text


# ----------------------------------------------------------------- metadata


def test_language_is_swedish(sample):
    assert sample.trailer["/Root"]["/Lang"] in ("sv-SE", "sv")


def test_document_info(sample):
    info = sample.metadata
    assert info.title == TITLE
    assert info.author == "Kommunstyrelsen"
    assert "social ekonomi" in (info.get("/Keywords") or "")
    assert info.creation_date == TIMESTAMP


def test_document_is_tagged_and_claims_pdf_ua_and_pdf_a(sample):
    root = sample.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)


def test_outline_bookmarks_title_and_headings(sample):
    assert outline_titles(sample) == [
        (0, TITLE),
        (1, "Inledning"),
        (1, "Begreppsdefinitioner"),
        (2, "Social ekonomi"),
        (1, "Ansvar"),
    ]


def test_all_fonts_are_embedded(sample):
    for page in sample.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"]
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)


def test_body_font_is_source_sans_pro_when_installed(sample):
    pytest.importorskip("font_source_sans_pro")
    names = {
        str(font.get_object()["/BaseFont"])
        for page in sample.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("SourceSansPro" in name for name in names), names


# ------------------------------------------------------- page furniture


def test_footer_page_numbers(sample, long_doc):
    n = len(sample.pages)
    assert f"Sida 1 av {n}" in normalise(sample.pages[0].extract_text())
    pages = len(long_doc.pages)
    assert pages >= 5
    for number, page in enumerate(long_doc.pages, start=1):
        assert f"Sida {number} av {pages}" in normalise(page.extract_text())


def test_running_header_after_first_page(long_doc):
    note = "REMISSVERSION – svar senast 15 februari 2027"
    for page in long_doc.pages[1:]:
        # The watermark (page background) is drawn first; drop its line.
        lines = [ln for ln in page.extract_text().splitlines() if ln.strip() != "REMISSVERSION"]
        text = normalise("\n".join(lines))
        assert text.startswith(normalise(TITLE)), text[:120]
        assert note in text
    # Page one carries the title once (as the heading), not in a header too.
    assert normalise(long_doc.pages[0].extract_text()).count(normalise(TITLE)) == 1


def test_watermark_present_on_every_page_when_set(long_doc):
    for page in long_doc.pages:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        assert "REMISSVERSION" in lines


def test_watermark_absent_when_not_set(sample):
    for mark in ("UTKAST", "REMISSVERSION"):
        assert mark not in all_text(sample)
    assert "UTKAST" in all_text(read(render(watermark="UTKAST")))


def test_empty_optional_metadata_is_tolerated():
    pdf = render(
        owner=None, coordinator=None, decisions=[], keywords=[], date=None,
        watermark="", header_note="",
    )
    assert normalise(TITLE) in all_text(read(pdf))


# ---------------------------------------------------------- reproducibility


def test_two_renders_are_byte_identical(sample_pdf):
    assert render() == sample_pdf


def test_render_in_a_fresh_process_is_byte_identical(sample_pdf, tmp_path):
    body = tmp_path / "body.typ"
    body.write_text(to_typst(SAMPLE_MD), encoding="utf-8")
    out = tmp_path / "out.pdf"
    script = (
        "import json, sys; from datetime import datetime\n"
        f"sys.path.insert(0, {str(SRC)!r})\n"
        "from styrdok.render.pdf import compile_pdf\n"
        "body, meta, tpl, ts, out = sys.argv[1:]\n"
        "pdf = compile_pdf(open(body, encoding='utf-8').read(), json.loads(meta),\n"
        "                 open(tpl, encoding='utf-8').read(), datetime.fromisoformat(ts))\n"
        "open(out, 'wb').write(pdf)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(body), json.dumps(meta()),
         str(TEMPLATE_PATH), TIMESTAMP.isoformat(), str(out)],
        check=True,
    )
    assert out.read_bytes() == sample_pdf


def test_timestamp_changes_only_with_input(sample_pdf):
    other = compile_pdf(
        to_typst(SAMPLE_MD), meta(), TEMPLATE, datetime(2020, 1, 1, tzinfo=timezone.utc)
    )
    assert other != sample_pdf
    assert read(other).metadata.creation_date == datetime(2020, 1, 1, tzinfo=timezone.utc)


# ------------------------------------------------------------------- errors


def test_typst_error_names_the_body_line():
    with pytest.raises(StyrdokError, match=r"Typst: unknown variable: nonexistent") as info:
        compile_pdf("== Rubrik\n\n#nonexistent", meta(), TEMPLATE, TIMESTAMP)
    assert "body line 3" in str(info.value)


def test_pdf_ua_violation_is_reported():
    with pytest.raises(StyrdokError, match=r"(?s)Typst: .*heading level"):
        render("## Rubrik\n\ntext\n\n#### För djup rubrik\n")


def test_broken_template_is_reported_with_its_name_and_line():
    parts = [Part("templates/policy.typ", "#let ok = 1\n#let x = (\n"), Part("templates/redline.typ", "")]
    with pytest.raises(StyrdokError) as info:
        compile_pdf("text", meta(), parts, TIMESTAMP)
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("templates/policy.typ", 2)
    assert "unclosed delimiter" in problem.message and "templates/policy.typ" in problem.hint


def test_a_later_template_is_named_by_its_own_line():
    parts = [Part("policy.typ", TEMPLATE), Part("templates/redline.typ", "#let ok = 1\n\n#nonexistent\n")]
    with pytest.raises(StyrdokError) as info:
        compile_pdf("text", meta(), parts, TIMESTAMP)
    assert [(p.path, p.line) for p in info.value.problems] == [("templates/redline.typ", 3)]


def test_a_long_documents_compile_comes_after_its_other_renderings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typst keeps the compile's memory (350 MB at 400 pages): a long document's DOCX and HTML are
    written before its PDF is compiled, and what they left behind given back to the system first; a
    short one's beside it; the files are the same either way."""
    from styrdok import pandoc, source
    from styrdok.redline import render_redline
    from styrdok.render import pdf as render_pdf_module
    from styrdok.templates import Templates

    from conftest import SEED_POLICY

    old = source.load(SEED_POLICY)
    new = source.load(SEED_POLICY, data=SEED_POLICY.read_bytes().replace(b"samverkan", b"samarbete"))
    when = datetime(2026, 12, 3, 9, 0)
    events: list[str] = []
    real_compile, real_write = render_pdf_module.compile_pdf, pandoc._write
    monkeypatch.setattr(render_pdf_module, "compile_pdf",
                        lambda *a, **k: (events.append("compile"), real_compile(*a, **k))[1])
    monkeypatch.setattr(pandoc, "_write", lambda payload, to, *a: (real_write(payload, to, *a), events.append(to))[0])
    real_give_back = render_pdf_module._give_back
    monkeypatch.setattr(render_pdf_module, "_give_back", lambda: (events.append("give back"), real_give_back())[1])
    short = render_redline(old, new, Templates(None), when=when).files
    assert sorted(events) == ["compile", "docx", "html5"]  # beside each other, nothing given back
    events.clear()
    monkeypatch.setattr(render_pdf_module, "LONG", 100)
    long = render_redline(old, new, Templates(None), when=when).files
    assert events[-2:] == ["give back", "compile"] and sorted(events) == ["compile", "docx", "give back", "html5"]
    assert long == short
