"""The consultation package (remiss): numbering, the three DOCX files, PDF/HTML, validation, status."""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import docx
import pypdfium2
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from styrdok import pandoc, source
from styrdok.cli import main
from styrdok.consult import ConsultResult, consult
from styrdok.errors import InvalidPolicy, StyrdokError
from styrdok.model import Status
from styrdok.consult.numbering import excerpt, numbers
from styrdok.consult.package import REFNR_CLASS, numbered_body
from styrdok.templates import escape_markdown
from styrdok.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SEED_POLICY = ROOT / "tests" / "fixtures" / "social-ekonomi.md"  # the 2018 draft, pending
SEED_TEXTS = [ROOT / "tests" / "fixtures" / "seed.txt"]  # the municipality's text as given
EPOCH = "1764028800"  # 2025-11-25
TODAY = "2026-11-25"
DEADLINE = "2027-02-15"
DNR = "KS 2026/45"
NOTE = "REMISSVERSION – svar senast 15 februari 2027"
NUMBER = re.compile(r"\d+(?:\.\d+)*")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
FILES = ("remissversion.docx", "remissversion.pdf", "remissversion.html", "missiv.docx", "svarsmall.docx")


def squash(text: str) -> str:
    return " ".join(text.split())


def make_repo(root: Path, text: str | None = None) -> Path:
    (root / "policy").mkdir(parents=True)
    if text is None:
        shutil.copy(SEED_POLICY, root / "policy")
    else:
        (root / "policy" / "social-ekonomi.md").write_text(text, "utf-8")
    return root


def run_consult(repo: Path, **options: object) -> ConsultResult:
    args: dict = {"dnr": DNR, "today": TODAY} | options
    return consult(Workspace(repo), "social-ekonomi", args.pop("deadline", DEADLINE), **args)


def docx_paragraphs(data: bytes) -> list[docx.text.paragraph.Paragraph]:
    return docx.Document(io.BytesIO(data)).paragraphs


def cell_text(cell: docx.table._Cell) -> str:
    """A cell's text, also inside content controls (python-docx's cell.text skips them)."""
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in cell._tc.iter(f"{W}p"))


def form_rows(data: bytes) -> list[list[str]]:
    """The cells of the response form's comment table (its last table), header row excluded."""
    table = docx.Document(io.BytesIO(data)).tables[-1]
    return [[cell_text(cell) for cell in row.cells] for row in table.rows[1:]]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ConsultResult, dict[str, bytes]]]:
    """The seed policy consulted once: (repository, result, {file name: bytes})."""
    repo = make_repo(tmp_path_factory.mktemp("remiss"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run_consult(repo)
    yield repo, result, {path.name: path.read_bytes() for path in result.files}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


# --- numbering -------------------------------------------------------------------------------

SYNTHETIC = """\
---
title: Testpolicy för numrering
type: policy
owner: kommunstyrelsen
status: draft
decisions:
  - action: fastställd
    body: kommunstyrelsen
    pending: true
---

## Syfte {#syfte}

Första stycket.

### Del {#del}

Text i del.

1. ett
2. två

> Citat

| a | b |
|---|---|
| 1 | 2 |

---

## Ansvar {#ansvar}

Sista stycket.
"""


def test_numbers_follow_headings_and_order() -> None:
    policy = source.load(Path("numrering.md"), data=SYNTHETIC.encode())
    found = [(r.number, r.section_id, r.label) for r in numbers(policy)]
    assert found == [
        ("1", "syfte", "Syfte"),
        ("1.1", "syfte", "Första stycket."),
        ("1.2", "del", "Del"),
        ("1.2.1", "del", "Text i del."),
        ("1.2.2", "del", "ett"),
        ("1.2.3", "del", "två"),
        ("1.2.4", "del", "Citat"),
        ("1.2.5", "del", "Tabell: a b 1 2"),
        ("2", "ansvar", "Ansvar"),  # the horizontal rule has no number
        ("2.1", "ansvar", "Sista stycket."),
    ]


def _inline_lists(node: object) -> Iterator[list]:
    """Every paragraph's, plain block's and heading's inlines, in document order."""
    if isinstance(node, list):
        for child in node:
            yield from _inline_lists(child)
    elif isinstance(node, dict):
        if node.get("t") in ("Para", "Plain"):
            yield node["c"]
        elif node.get("t") == "Header":
            yield node["c"][2]
        else:
            yield from _inline_lists(node.get("c"))


def _refnr(inline: dict) -> str | None:
    is_span = inline.get("t") == "Span" and REFNR_CLASS in inline["c"][0][1]
    return pandoc.stringify(inline) if is_span else None


def test_numbered_body_puts_each_number_first() -> None:
    policy = source.load(Path("numrering.md"), data=SYNTHETIC.encode())
    refs = tuple(numbers(policy))
    body = numbered_body(policy, refs)
    lists = list(_inline_lists(body))
    first = [number for inlines in lists if inlines and (number := _refnr(inlines[0]))]
    anywhere = [number for inlines in lists for inline in inlines if (number := _refnr(inline))]
    assert first == anywhere == [r.number for r in refs]
    table = next(i for i, block in enumerate(body) if block["t"] == "Table")
    assert pandoc.stringify(body[table - 1]) == "1.2.5"  # a table gets its number on a line before it
    assert pandoc.stringify(body[-1]) == "2.1 Sista stycket."
    assert policy.sections[0].blocks[0].ast["c"][0]["t"] == "Str"  # the model's AST is left alone


def test_seed_numbers_are_unique_and_start_with_the_preamble(package) -> None:
    _, result, _ = package
    found = [r.number for r in result.numbers]
    assert len(found) == len(set(found)) == 53
    assert found[:7] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2"]
    assert {r.section_id for r in result.numbers if r.number.startswith("1.")} == {"inledning"}


def test_excerpt() -> None:
    assert excerpt("ett två tre", words=2) == "ett två …"
    assert excerpt("  ett\n två ", words=2) == "ett två"


# --- the remissversion ---------------------------------------------------------------------

def test_every_header_of_the_remissversion_is_marked(package) -> None:
    _, _, files = package
    document = docx.Document(io.BytesIO(files["remissversion.docx"]))
    assert document.sections
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            assert not header.is_linked_to_previous
            assert NOTE in "".join(p.text for p in header.paragraphs)
            marks = [el.get("string") for el in header._element.iter(V_TEXTPATH) if el.get("string")]
            assert marks == ["REMISSVERSION"]


def test_every_seed_paragraph_is_in_the_remissversion(package) -> None:
    _, _, files = package
    in_docx = squash(" ".join(p.text for p in docx_paragraphs(files["remissversion.docx"])))
    via_pandoc = squash(pandoc.read_docx(files["remissversion.docx"]))
    html = squash(pandoc.run(["-f", "html", "-t", "plain", "--wrap=none"], files["remissversion.html"]).decode())
    lines = [line.strip().removeprefix("- ") for path in SEED_TEXTS for line in path.read_text("utf-8").splitlines()]
    paragraphs = [squash(line) for line in lines if line.strip()]
    assert len(paragraphs) > 50
    missing = {name: [p for p in paragraphs if p not in text]
               for name, text in (("docx", in_docx), ("pandoc", via_pandoc), ("html", html))}
    assert missing == {"docx": [], "pandoc": [], "html": []}


def test_numbers_in_the_remissversion_match_the_response_form(package) -> None:
    _, result, files = package
    expected = [r.number for r in result.numbers]
    in_docx = [p.runs[0].text for p in docx_paragraphs(files["remissversion.docx"])
               if p.runs and p.runs[0].bold and NUMBER.fullmatch(p.runs[0].text)]
    html = files["remissversion.html"].decode()
    in_html = re.findall(rf'<span class="{REFNR_CLASS}"><strong>([\d.]+)</strong></span>', html)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files["remissversion.pdf"])).pages)
    in_pdf = re.findall(r"(?m)^(?:• )?(\d+(?:\.\d+)*) \S", pdf)
    rows = form_rows(files["svarsmall.docx"])
    assert rows[0] == ["", "Övergripande synpunkter", ""]
    assert [row[0] for row in rows[1:]] == in_docx == in_html == in_pdf == expected
    assert [row[1] for row in rows[1:]] == [r.label for r in result.numbers]
    assert all(row[2] == "" for row in rows)


def test_first_page_says_remissversion_and_the_deadline(package) -> None:
    _, _, files = package
    pages = PdfReader(io.BytesIO(files["remissversion.pdf"])).pages
    first = pages[0].extract_text()
    assert "Remissversion – svar senast 15 februari 2027." in first and DNR in first
    assert all(NOTE in page.extract_text() for page in pages)
    assert "Remissversion – svar senast 15 februari 2027." in pandoc.read_docx(files["remissversion.docx"])
    html = files["remissversion.html"].decode()
    assert f"<strong>{NOTE}</strong>" in html and "REMISSVERSION – REMISSVERSION" not in html
    assert "<title>Policy för den sociala ekonomin och socialt företagande i Timrå kommun (REMISSVERSION)" in html


def test_watermark_is_visible_but_light(package) -> None:
    """Page 1 has a large area in the watermark's light grey, while the text stays near black."""
    _, _, files = package
    image = pypdfium2.PdfDocument(files["remissversion.pdf"])[0].render(scale=0.6).to_pil().convert("L")
    histogram = image.histogram()
    watermark = sum(histogram[210:235]) / sum(histogram)
    assert 0.02 < watermark < 0.25
    assert min(i for i, count in enumerate(histogram) if count) < 60


# --- missiv and svarsmall ------------------------------------------------------------------

def test_missiv_states_deadline_address_bodies_and_contact(package) -> None:
    _, result, files = package
    text = squash(pandoc.read_docx(files["missiv.docx"]))
    for expected in ("Remiss: Policy för den sociala ekonomin och socialt företagande i Timrå kommun",
                     "Diarienummer: KS 2026/45", "Datum: 25 november 2026",
                     "senast 15 februari 2027 (2027-02-15)", "kommunstyrelsen@timra.se",
                     "Timrå kommun, Kommunstyrelsen, 861 82 Timrå", "Arbetsmarknadsenheten samordnar remissen",
                     "remissversion.pdf", "svarsmall.docx"):
        assert expected in text
    items = [p.text for p in docx_paragraphs(files["missiv.docx"])]
    assert all(body in items for body in result.bodies)
    assert result.bodies == ("Kommunens nämnder", "Kommunala bolag", "Föreningslivet och den idéburna sektorn",
                             "Näringslivet", "Arbetsförmedlingen", "Försäkringskassan", "Fackliga organisationer")


def test_response_form_has_fields_for_the_responding_body(package) -> None:
    _, _, files = package
    document = docx.Document(io.BytesIO(files["svarsmall.docx"]))
    fields = document.tables[0]
    assert [row.cells[0].text for row in fields.rows] == ["Remissinstans", "Kontaktperson", "E-post", "Datum"]
    assert all(cell_text(row.cells[1]) == "" for row in fields.rows)
    comments = document.tables[-1]
    assert [c.text for c in comments.rows[0].cells] == ["Nr", "Avsnitt eller stycke", "Synpunkter"]
    assert "Svar senast 15 februari 2027" in "".join(p.text for p in document.sections[0].header.paragraphs)


def test_policy_text_cannot_inject_markdown_into_the_missiv(tmp_path: Path) -> None:
    title = "Policy *för* [länk](https://example.org) # <b>x</b> _och_ `kod` &amp; 1. ---"
    text = SEED_POLICY.read_text("utf-8").replace(
        "title: Policy för den sociala ekonomin och socialt företagande i Timrå kommun", f"title: '{title}'")
    result = run_consult(make_repo(tmp_path, text))
    missiv = next(p.read_bytes() for p in result.files if p.name == "missiv.docx")
    assert f"Remiss: {title}" in [p.text for p in docx_paragraphs(missiv)]


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=40))
def test_escaped_markdown_reads_literally(value: str) -> None:
    blocks = [block for _, block in pandoc.read_markdown("x " + escape_markdown(value))]
    assert squash(pandoc.stringify(blocks)) == squash("x " + unicodedata.normalize("NFC", value))  # pandoc NFCs


# --- the policy's status ---------------------------------------------------------------------

def test_status_moves_to_consultation_and_nothing_else_changes(package) -> None:
    repo, result, _ = package
    after = (repo / "policy" / "social-ekonomi.md").read_text("utf-8")
    changes = [line for line in difflib.ndiff(SEED_POLICY.read_text("utf-8").splitlines(), after.splitlines())
               if line.startswith(("+ ", "- "))]
    assert changes == ["- status: draft", "+ status: consultation", f"+   deadline: {DEADLINE}", f"+   opened: {TODAY}",
                       f"+   dnr: {DNR}"]
    assert result.source_changed
    meta = source.load(repo / "policy" / "social-ekonomi.md").meta
    assert meta.status is Status.CONSULTATION
    assert meta.consultation and str(meta.consultation.deadline) == DEADLINE and meta.consultation.dnr == DNR


def test_package_is_reproducible(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same source and SOURCE_DATE_EPOCH: identical bytes, also after the status has moved."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = run_consult(repo, out=repo / "one")
    policy_after_first = (repo / "policy" / "social-ekonomi.md").read_bytes()
    second = run_consult(repo, out=repo / "two")
    assert first.source_changed and not second.source_changed
    assert (repo / "policy" / "social-ekonomi.md").read_bytes() == policy_after_first

    def digests(result: ConsultResult) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in result.files}

    assert sorted(digests(first)) == sorted(FILES)
    assert digests(first) == digests(second)


def test_refuses_an_adopted_policy_without_pending_revision(tmp_path: Path) -> None:
    text = (SEED_POLICY.read_text("utf-8").replace("status: draft", "status: adopted")
            .replace("    pending: true\n    year: 2018", "    date: 2018-03-06\n    paragraph: 64"))
    repo = make_repo(tmp_path, text)
    with pytest.raises(StyrdokError, match=r"styrdok revise social-ekonomi"):
        run_consult(repo)
    assert not (repo / "build").exists()
    assert (repo / "policy" / "social-ekonomi.md").read_text("utf-8") == text


def test_failed_rendering_leaves_the_policy_alone(repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "missiv.md.j2").write_text("# {{ no_such_value }}\n", "utf-8")
    with pytest.raises(StyrdokError, match="no_such_value"):
        run_consult(repo)
    assert not (repo / "build").exists()
    assert (repo / "policy" / "social-ekonomi.md").read_bytes() == SEED_POLICY.read_bytes()


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(("deadline", "today", "message"), [
    ("2027-02-30", TODAY, "'2027-02-30' is not a real date"),
    ("15/2 2027", TODAY, "'15/2 2027' is not a date written YYYY-MM-DD"),
    ("20270215", TODAY, "is not a date written YYYY-MM-DD"),
    ("2026-11-01", TODAY, "the deadline 2026-11-01 is not after today (2026-11-25)"),
    ("2026-11-25", TODAY, "is not after today"),
    ("2015-05-01", "2015-01-01", "is not after the policy's last decision (Fastställd av kommunstyrelsen 2015-05-26"),
])
def test_bad_deadline_is_refused_and_nothing_is_written(repo: Path, deadline: str, today: str, message: str) -> None:
    with pytest.raises(InvalidPolicy) as caught:
        run_consult(repo, deadline=deadline, today=today)
    assert message in str(caught.value) and "--deadline" in str(caught.value)
    assert not (repo / "build").exists()
    assert (repo / "policy" / "social-ekonomi.md").read_bytes() == SEED_POLICY.read_bytes()


@pytest.mark.parametrize(("content", "message"), [
    ("[]\n", "bodies.yaml:1: error: the list of remissinstanser is empty"),
    ("- Socialnämnden\n- Arbetsförmedlingen\n- SOCIALNÄMNDEN\n",
     "bodies.yaml:3: error: remissinstans 'SOCIALNÄMNDEN' is listed twice (first on line 1)"),
    ("- Socialnämnden\n- 42\n", "bodies.yaml:2: error: item 2 is not text"),
    ("- Socialnämnden\n- [a, b]\n", "bodies.yaml:2: error: item 2 is not text"),
    ("- Socialnämnden\n-\n", "bodies.yaml:2: error: item 2 is empty"),
    ("bodies: Socialnämnden\n", "bodies.yaml:1: error: the file must be a YAML list of remissinstanser"),
    ("", "bodies.yaml:1: error: the file must be a YAML list"),
    ("- Socialnämnden\n- 'unclosed\n", "bodies.yaml:3: error: not valid YAML"),
])
def test_bad_bodies_file_is_refused(repo: Path, content: str, message: str) -> None:
    (repo / "bodies.yaml").write_text(content, "utf-8")
    with pytest.raises(InvalidPolicy) as caught:
        run_consult(repo, bodies=repo / "bodies.yaml")
    assert message in str(caught.value)
    assert "fix: " in str(caught.value)
    assert not (repo / "build").exists()


def test_empty_front_matter_bodies_name_the_policy_file(tmp_path: Path) -> None:
    text = re.sub(r"  bodies:\n(    - .*\n)+", "  bodies: []\n", SEED_POLICY.read_text("utf-8"))
    with pytest.raises(InvalidPolicy, match=r"policy/social-ekonomi.md:\d+: error: no remissinstanser"):
        run_consult(make_repo(tmp_path, text))


def test_duplicate_front_matter_bodies_are_a_policy_error(tmp_path: Path) -> None:
    text = SEED_POLICY.read_text("utf-8").replace("    - Näringslivet\n", "    - Näringslivet\n    - näringslivet\n")
    with pytest.raises(InvalidPolicy, match="remissinstans 'näringslivet' is listed twice"):
        run_consult(make_repo(tmp_path, text))


def test_bodies_file_replaces_and_is_recorded(repo: Path) -> None:
    (repo / "bodies.yaml").write_text("- Socialnämnden\n- 'Företagarna i Timrå'\n", "utf-8")
    result = run_consult(repo, bodies=repo / "bodies.yaml", out=repo / "ut", dnr=None)
    assert result.bodies == ("Socialnämnden", "Företagarna i Timrå") and result.dnr is None
    assert result.files[0].parent == (repo / "ut").resolve()
    meta = source.load(repo / "policy" / "social-ekonomi.md").meta
    assert meta.consultation and meta.consultation.bodies == result.bodies
    missiv = next(p.read_bytes() for p in result.files if p.name == "missiv.docx")
    assert "Företagarna i Timrå" in [p.text for p in docx_paragraphs(missiv)]
    assert "Diarienummer" not in pandoc.read_docx(missiv)


# --- command line ----------------------------------------------------------------------------

def test_cli_writes_the_package_to_build_id_remiss(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    outcome = CliRunner().invoke(main, ["consult", "social-ekonomi", "--deadline", DEADLINE, "--dnr", DNR,
                                        "--today", TODAY])
    assert outcome.exit_code == 0, outcome.output
    assert sorted(p.name for p in (repo / "build" / "social-ekonomi" / "remiss").iterdir()) == sorted(FILES)
    assert "status: consultation" in outcome.output


def test_cli_bad_deadline_exits_non_zero(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    outcome = CliRunner().invoke(main, ["consult", "social-ekonomi", "--deadline", "snart", "--today", TODAY])
    assert outcome.exit_code == 2
    assert "'--deadline': 'snart' is not a date written YYYY-MM-DD, e.g." in outcome.output
    assert not (repo / "build").exists()


def test_cli_today_comes_from_styrdok_today(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """consult reads STYRDOK_TODAY like every other command: a deadline before it is refused."""
    monkeypatch.chdir(repo)
    outcome = CliRunner().invoke(main, ["consult", "social-ekonomi", "--deadline", "2030-01-01"],
                                 env={"STYRDOK_TODAY": "2030-06-01"})
    assert outcome.exit_code == 2, outcome.output
    assert "the deadline 2030-01-01 is not after today (2030-06-01)" in outcome.output
    assert not (repo / "build").exists()
