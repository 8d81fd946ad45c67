"""styrdok import: realistic Word files (python-docx) in as policies — structure, front matter,
the report's guesses and losses, refusals, and the real command."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import wordgen
from conftest import run_sv
from docx_edit import read_parts, write_parts
from styrdok import build, pandoc, source
from styrdok.cli import main
from styrdok.importer import run as importer
from styrdok.importer import wordfile
from styrdok.model import Action
from styrdok.workspace import Workspace


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "policy").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


CHECK_FILE = source.check_file


@pytest.fixture(autouse=True)
def full_check_too(monkeypatch: pytest.MonkeyPatch):
    """Every import in these tests checks its result without reading its text back (the blocks
    pandoc wrote it from stand in): here the full check, which reads it back, runs beside it and
    must find the same, and the text must read back to those very blocks."""
    real = CHECK_FILE
    compared: list[str] = []

    def both(path: Path, *, blocks: list | None = None, **kw):
        cheap = real(path, blocks=blocks, **kw)
        if blocks is not None:
            full = real(path, **kw)
            assert [str(p) for p in cheap[1]] == [str(p) for p in full[1]]
            body = kw["data"].decode("utf-8").split("\n---\n", 1)[1]
            assert pandoc.normalize(blocks) == pandoc.normalize([b for _, b in pandoc.read_markdown(body)])
            compared.append(str(path))
        return cheap

    monkeypatch.setattr(source, "check_file", both)
    return compared


def cli(*args: str):
    """The command in-process (the real executable is run once, in the first command test)."""
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory):
    """The legacy file imported once: (policy, policy text, report)."""
    root = tmp_path_factory.mktemp("legacy")
    (root / "policy").mkdir()
    path = wordgen.legacy_policy(root / "Policy för föreningsstöd.docx")
    [report] = importer.import_files(Workspace(root), [path], policy_id="foreningsstod")
    assert report.ok, report.error
    target = root / "policy" / "foreningsstod.md"
    return source.load(target), target.read_text("utf-8"), report, root


def test_legacy_headings_from_bold_text_and_typed_numbers(legacy) -> None:
    policy, text, report, _ = legacy
    assert [(s.level, s.title, s.id) for s in policy.sections if s.level] == [
        (2, "Syfte", "syfte"), (2, "Mål", "mal"), (3, "Uppföljning", "uppfoljning"), (2, "Ansvar", "ansvar")]
    assert "## Syfte {#syfte}" in text and "### Uppföljning {#uppfoljning}" in text
    assert "1. Syfte" not in text and "2.1" not in text  # typed numbers are not heading text
    # the title is the front matter's, never a heading; the big bold first line is it
    assert policy.meta.title == "Policy för föreningsstöd i Timrå kommun"
    assert "Policy för föreningsstöd i Timrå kommun" not in text.split("---", 2)[2]
    guessed = [e.line() for e in report.guesses if "taken as a level" in e.text]
    assert len(guessed) == 4 and any(g.startswith("paragraph 24") and "2.1 Uppföljning" in g and "level 3 heading" in g
                                     for g in guessed)


def test_legacy_body_lists_tables_footnotes(legacy) -> None:
    policy, text, report, _ = legacy
    goal = policy.section("mal")
    assert goal.blocks[1].kind == "BulletList"
    assert tuple(pandoc.stringify(i).strip() for i in goal.blocks[1].ast["c"]) == ("fler unga ska vara aktiva i föreningar", "föreningarna ska ha tillgång till lokaler",
                                    "stödet ska vara enkelt att söka")  # •, – and - typed by hand
    follow = policy.section("uppfoljning")
    assert [b.kind for b in follow.blocks][:2] == ["Para", "Table"]
    assert "| Grundbidrag | 5 000 kr      |" in text
    assert "rättvist.[^1]" in text and "[^1]: Se kommunens regler för bidrag." in text
    assert report.counts.headings == 4 and report.counts.tables == 1 and report.counts.footnotes == 1
    assert report.counts.list_items == 3
    # the insertion without an author (pandoc drops those) is kept
    assert "Ansökan görs i e-tjänsten eller på blankett." in text


def test_legacy_front_matter_from_decision_lines_table_header_footer(legacy) -> None:
    policy, text, report, _ = legacy
    meta = policy.meta
    assert (meta.type, meta.owner, meta.responsible, meta.status.value) == (
        "policy", "kommunfullmäktige", "Arbetsmarknadsenheten", "draft")
    first, pending = meta.decisions
    assert (first.action, first.body, str(first.date), first.paragraph, first.dnr) == (
        Action.ADOPTED, "kommunfullmäktige", "2015-05-26", 129, "KS 2014/88")
    assert pending.pending and pending.year == 2018 and pending.action is Action.REVISED
    body = text.split("---", 2)[2]
    for metadata_text in ("Fastställd av", "2018-XX-XX", "Beslutad av", "Diarienummer", "Gäller för"):
        assert metadata_text not in body
    unmapped = {(label, value) for label, value, _ in report.unmapped}
    assert ("Gäller för", "Alla förvaltningar") in unmapped and ("Giltig till", "2026-12-31") in unmapped
    assert ("Author", "Anna Andersson") in unmapped and ("Text", "Timrå kommun") in unmapped


def test_legacy_report_names_every_loss_where_it_was(legacy) -> None:
    _, _, report, root = legacy
    losses = [e.line() for e in report.losses]
    assert any(line.startswith("paragraph 32: ”Logotyp:”") and "an image" in line for line in losses)
    assert any("text box" in line and "Sök senast 1 mars" in line for line in losses)
    assert any("field DATE" in line and line.startswith("paragraph 25") for line in losses)
    assert any("without an author" in line and "eller på blankett." in line for line in losses)
    [(comment, where)] = report.comments
    assert (comment.author, comment.text) == ("Eva Ek", "Ska blanketten finnas kvar?") and where.startswith("paragraph 34")
    written = (root / "build" / "import" / "foreningsstod.md").read_text("utf-8")
    assert "## Losses" in written and "Ska blanketten finnas kvar?" in written and "## Guesses" in written
    assert "Logotyp" in written


def test_swedish_styles_based_on_and_outline_level(repo: Path) -> None:
    path = wordgen.swedish_styled(repo / "sociala-medier.docx")
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok and not report.guesses, report.guesses
    policy = source.load(repo / "policy" / "sociala-medier.md")
    assert [(s.level, s.title) for s in policy.sections if s.level] == [
        (2, "Bakgrund"), (3, "Konton och ansvar"), (2, "Publicering"), (3, "Att tänka på")]
    assert policy.meta.title == "Riktlinjer för sociala medier" and policy.meta.type == "riktlinje"
    assert policy.meta.status.value == "adopted" and policy.meta.decisions[0].dnr == "KS 2019/400"
    assert tuple(pandoc.stringify(i).strip() for i in policy.section("att-tanka-pa").blocks[0].ast["c"]) == ("Skriv kort.", "Svara inom en dag.")
    evidence = {title: why for _, title, _, why in report.headings}
    assert evidence["Bakgrund"] == "style Rubrik1 (heading 1)"
    assert "based on heading 2" in evidence["Konton och ansvar"] and "outlineLvl" in evidence["Att tänka på"]


def test_the_command_imports_checks_and_refuses_to_overwrite(repo: Path) -> None:
    path = wordgen.legacy_policy(repo / "foreningsstod.docx")
    first = run_sv(["import", str(path)], repo)  # as a Swedish user: the report in Swedish
    assert first.returncode == 0, first.stderr
    assert "förlust: stycke 32: ”Logotyp:”" in first.stdout
    assert "## Förluster" in (repo / "build" / "import" / "foreningsstod.md").read_text("utf-8")
    assert build.check(Workspace(repo)).ok
    before = (repo / "policy" / "foreningsstod.md").read_bytes()
    again = cli("import", str(path))
    assert again.exit_code == 1 and "already exists" in again.output and "--force" in again.output
    assert (repo / "policy" / "foreningsstod.md").read_bytes() == before
    assert cli("import", str(path), "--force", "--type", "riktlinje").exit_code == 0
    assert "type: riktlinje" in (repo / "policy" / "foreningsstod.md").read_text("utf-8")


@pytest.mark.parametrize("name, content, says", [
    ("tom.docx", b"", "the file is empty"),
    ("anteckning.docx", "Bara text, inget Word.".encode(), "not a Word document"),
    ("trasig.docx", b"PK\x03\x04 not really a zip", "not a Word document"),
])
def test_files_that_are_not_word_are_refused_by_name(repo: Path, name: str, content: bytes, says: str) -> None:
    (repo / name).write_bytes(content)
    result = cli("import", name)
    assert result.exit_code == 1 and name in result.output and says in result.output
    assert "save" in result.output.lower()
    assert not any((repo / "policy").iterdir()) and not (repo / "build").exists()


def test_legacy_doc_without_libreoffice_says_save_as_docx(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "gammal.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    monkeypatch.setattr(wordfile, "soffice", lambda: None)
    [report] = importer.import_files(Workspace(repo), [repo / "gammal.doc"])
    assert not report.ok and ".doc" in report.error and "save it as a Word document (.docx)" in report.error
    assert not any((repo / "policy").iterdir())


@pytest.mark.skipif(wordfile.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_legacy_doc_is_converted_through_libreoffice(repo: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "foreningsstod.doc"  # saved by LibreOffice as Word 97–2003
    shutil.copy(fixture, repo / "foreningsstod.doc")
    [report] = importer.import_files(Workspace(repo), [repo / "foreningsstod.doc"])
    assert report.ok, report.error
    assert any("LibreOffice" in e.text for e in report.guesses)
    policy = source.load(repo / "policy" / "foreningsstod.md")
    assert [s.title for s in policy.sections if s.level] == ["Syfte", "Mål", "Uppföljning", "Ansvar"]


def test_many_files_in_parallel_with_progress_and_summary(repo: Path) -> None:
    docs = [wordgen.legacy_policy(repo / "a.docx"), wordgen.swedish_styled(repo / "b.docx")]
    (repo / "c.docx").write_bytes(b"inte word")
    seen: list[tuple[int, int]] = []
    reports = importer.import_files(Workspace(repo), [*docs, repo / "c.docx"], jobs=2,
                                    progress=lambda r, done, total: seen.append((done, total)))
    assert [r.ok for r in reports] == [True, True, False]
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    table = importer.summary(reports)
    assert "a.docx" in table and "FAILED" in table and "2 of 3 files imported" in table
    assert sorted(p.name for p in (repo / "policy").iterdir()) == ["a.md", "b.md"]


def test_id_and_type_options_are_checked(repo: Path) -> None:
    path = wordgen.swedish_styled(repo / "x.docx")
    result = cli("import", str(path), "--id", "Fel Id")
    assert result.exit_code == 2 and "--id" in result.output and not any((repo / "policy").iterdir())
    result = cli("import", str(path), "--type", "pamflett")
    assert result.exit_code == 2 and "--type" in result.output
    result = cli("import", str(path), str(path), "--id", "x")
    assert result.exit_code == 2 and "--id" in result.output


def test_a_plain_typed_document_without_metadata_gets_guesses_that_pass_check(repo: Path) -> None:
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för distansarbete")
    d.add_paragraph("Gäller medarbetare som arbetar hemifrån.")
    wordgen.bold(d, "Arbetsmiljö")
    d.add_paragraph("Chefen ansvarar för arbetsmiljön även hemma.")
    path = wordgen.save(d, repo / "distans.docx")
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok
    policy = source.load(repo / "policy" / "distans.md")
    assert (policy.meta.type, policy.meta.owner, policy.meta.status.value) == ("riktlinje", "kommunstyrelsen", "draft")
    assert policy.meta.decisions[0].pending
    guesses = " ".join(e.text for e in report.guesses)
    assert "owner: kommunstyrelsen was assumed" in guesses and "no decision" in guesses
    with zipfile.ZipFile(path) as z:
        assert "word/document.xml" in z.namelist()


def test_an_officers_file_capitals_title_blank_lines_and_signature(repo: Path) -> None:
    """Typed as officers do: the title in capitals, blank lines for spacing, Shift+Enter, a page
    break, and the name and title of the official who wrote it at the end."""
    d = docx.Document()
    wordgen.bold(d, "RIKTLINJER FÖR TJÄNSTERESOR", 16)
    d.add_paragraph("")
    d.add_paragraph("Antagen av kommunstyrelsen 2019-04-29, § 45")
    d.add_paragraph("")
    wordgen.bold(d, "1. INLEDNING")
    p = d.add_paragraph("Resor bokas via kommunens resebyrå.")
    p.add_run().add_break()
    p.add_run("Telefon 060-16 30 00.")
    d.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    wordgen.bold(d, "2. Ansvar")
    d.add_paragraph("Varje förvaltningschef ansvarar för att riktlinjerna följs.")
    d.add_paragraph("Anna Berg")
    d.add_paragraph("Kanslichef")
    path = wordgen.save(d, repo / "resor.docx")
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok, report.error
    text = (repo / "policy" / "resor.md").read_text("utf-8")
    policy = source.load(repo / "policy" / "resor.md")
    assert policy.meta.title == "Riktlinjer för tjänsteresor" and policy.meta.status.value == "adopted"
    assert [s.title for s in policy.sections if s.level] == ["Inledning", "Ansvar"]
    assert "Resor bokas via kommunens resebyrå.\\\nTelefon 060-16 30 00." in text  # the line break kept
    guesses = [e.line() for e in report.guesses]
    assert any("taken as the title" in g and g.startswith("paragraph 1") for g in guesses)
    assert any("capitals" in g for g in guesses)
    assert any("signature" in g and "”Anna Berg”, ”Kanslichef”" in g for g in guesses)
    assert all("page" not in g.split(":")[0] for g in guesses)  # no layout recorded by Word: no page numbers


def test_pandoc_reads_the_trimmed_styles_as_it_reads_the_file(repo: Path) -> None:
    """The copy for pandoc keeps only the styles in use (pandoc reads every style, and a template's
    hundreds made a one-page file slow); pandoc's reading must not change by it."""
    from test_import_into import draft_docx
    from conftest import SEED_POLICY
    (repo / "seed.docx").write_bytes(draft_docx(source.load(SEED_POLICY)))
    for path in (wordgen.legacy_policy(repo / "a.docx"), wordgen.swedish_styled(repo / "b.docx"), repo / "seed.docx"):
        doc = wordfile.load(path)
        parts = read_parts(doc.marked)
        assert len(parts[wordfile.STYLES]) < len(doc.parts[wordfile.STYLES]) / 2, path.name
        full = write_parts({**parts, wordfile.STYLES: doc.parts[wordfile.STYLES]})
        assert pandoc.read_word(doc.marked) == pandoc.read_word(full), path.name


def test_heading_styles_stored_under_their_swedish_names(repo: Path) -> None:
    """Some tools and old templates store the Swedish names themselves (Rubrik, Rubrik 1, Rubrik 2),
    with no language-neutral name and no style to base them on."""
    d = docx.Document()
    for english, swedish in (("Title", "Rubrik"), ("Heading 1", "Rubrik 1"), ("Heading 2", "Rubrik 2")):
        style = d.styles[english]
        d.add_paragraph({"Title": "Riktlinjer för bisysslor", "Heading 1": "Bakgrund",
                         "Heading 2": "Vad är en bisyssla"}[english], style=style)
        d.add_paragraph("Text under rubriken.")
        style.element.set(docx.oxml.ns.qn("w:styleId"), swedish.replace(" ", ""))
        style.element.find(docx.oxml.ns.qn("w:name")).set(docx.oxml.ns.qn("w:val"), swedish)
        for outline in style.element.iter(docx.oxml.ns.qn("w:outlineLvl")):  # the name is the only evidence
            outline.getparent().remove(outline)
    for p in d.paragraphs:  # the paragraphs name the styles by their new ids
        ppr = p._p.pPr
        if ppr is not None and ppr.pStyle is not None:
            ppr.pStyle.val = {"Title": "Rubrik", "Heading1": "Rubrik1", "Heading2": "Rubrik2"}[ppr.pStyle.val]
    path = wordgen.save(d, repo / "bisysslor.docx")
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:name w:val="Rubrik 1"' in styles and 'w:name w:val="heading 1"' not in styles
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok, report.error
    policy = source.load(repo / "policy" / "bisysslor.md")
    assert policy.meta.title == "Riktlinjer för bisysslor"
    assert [(s.level, s.title) for s in policy.sections if s.level] == [(2, "Bakgrund"), (3, "Vad är en bisyssla")]
    assert not [e for e in report.guesses if "heading" in e.text]  # from the styles: not guesses
    assert [why for _, _, _, why in report.headings] == ["style Rubrik1", "style Rubrik2"]


def test_information_lines_typed_with_tabs_and_an_introduction_heading(repo: Path) -> None:
    """The officer's information lines ("Beslutad av:<tab>Kommunstyrelsen 2019-11-25, § 187") and a
    first section called Inledning, whose id is taken by the text before the first heading."""
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för representation och gåvor", 18)
    for line in ("Dokumenttyp:\tRiktlinje", "Beslutad av:\tKommunstyrelsen 2019-11-25, § 187",
                 "Gäller till:\t2023-12-31"):
        d.add_paragraph(line)
    wordgen.bold(d, "1. Inledning", 14)
    d.add_paragraph("Riktlinjerna gäller alla anställda.")
    t = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Tillfälle", (0, 1): "Högsta värde", (1, 0): "Avtackning", (1, 1): "1 000 kr"}.items():
        t.cell(r, c).text = text
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "representation.docx")])
    assert report.ok, report.error
    policy = source.load(repo / "policy" / "representation.md")
    [decision] = policy.meta.decisions
    assert (policy.meta.type, policy.meta.owner, decision.body, str(decision.date), decision.paragraph) == (
        "riktlinje", "kommunstyrelsen", "kommunstyrelsen", "2019-11-25", 187)
    assert ("Gäller till", "2023-12-31") in {(label, value) for label, value, _ in report.unmapped}
    assert [(s.id, s.title) for s in policy.sections if s.level] == [("inledning-2", "Inledning")]
    assert any("inledning-2" in e.text and "before the first heading" in e.text for e in report.guesses)
    assert report.counted() == "1 heading, 1 paragraph, 0 list items, 1 table, 0 footnotes, 0 links"


def test_headings_numbered_by_a_word_list(repo: Path) -> None:
    """Bold lines numbered by Word's own list (style List Number, "Numrerad lista"), text under each,
    read as headings, the list level giving theirs; numbered items before them stay a list, and
    bold items in a row are a list, not headings."""
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för bisysslor", 16)
    d.add_paragraph("Antagen av kommunstyrelsen 2020-03-02, § 33")

    def numbered(text: str, *, bold: bool = True, level: int = 0):
        p = d.add_paragraph(style="List Number")
        p.add_run(text).bold = bold
        if level:
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = level
        return p

    numbered("Inledning")
    d.add_paragraph("Anställda får ha bisysslor som inte skadar förtroendet för kommunen.")
    numbered("Tillåtet")
    numbered("Förbjudet")
    d.add_paragraph("Så markeras de två slagen i blanketten.")
    numbered("Ansvar")
    numbered("Chefens ansvar", level=1)
    d.add_paragraph("Chefen prövar varje anmälan.")
    numbered("Lämna anmälan", bold=False)
    numbered("Vänta på beslut", bold=False)
    numbered("Uppföljning")
    d.add_paragraph("Chefen följer upp bisysslor varje år.")
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "bisysslor.docx")])
    assert report.ok, report.error
    policy = source.load(repo / "policy" / "bisysslor.md")
    assert [(s.level, s.title) for s in policy.sections if s.level] == [
        (2, "Inledning"), (2, "Ansvar"), (3, "Chefens ansvar"), (2, "Uppföljning")]
    lists = [[pandoc.stringify(i).strip() for i in pandoc.list_items(b.ast)] for s in policy.sections for b in s.blocks
             if b.kind == "OrderedList"]
    assert lists == [["Tillåtet", "Förbjudet"], ["Lämna anmälan", "Vänta på beslut"]]
    assert report.counts.headings == 4 and report.counts.list_items == 4
    assert any("numbered by a Word list (level 2)" in e.text and "Chefens ansvar" in e.where for e in report.guesses)


@pytest.mark.skipif(wordfile.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_list_items_after_headings_taken_out_of_their_word_list_are_numbered_from_1(repo: Path) -> None:
    """Word's numbers counted the headings ("1. Inledning" … "2. Tillåtet"); taken out as headings,
    they leave the items numbered as the policy's reader sees them: from 1 in each section, on
    across text within a section, and the items before the first heading as Word numbered them."""
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för bisysslor", 16)
    d.add_paragraph("Antagen av kommunstyrelsen 2020-03-02, § 33")

    def numbered(text: str, *, bold: bool = False, level: int = 0) -> None:
        p = d.add_paragraph(style="List Number")
        p.add_run(text).bold = bold
        if level:
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = level

    numbered("Läs riktlinjen")
    numbered("Fråga chefen")
    numbered("Inledning", bold=True)
    d.add_paragraph("Anställda får ha bisysslor.")
    numbered("Tillåtet")
    numbered("Förbjudet")
    d.add_paragraph("Och ett slag till:")
    numbered("Anmälningspliktigt")
    numbered("Ansvar", bold=True)
    numbered("Chefens ansvar", bold=True, level=1)
    d.add_paragraph("Chefen prövar varje anmälan.")
    numbered("Lämna anmälan")
    numbered("Vänta på beslut")
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "bisysslor.docx")])
    assert report.ok, report.error
    body = (repo / "policy" / "bisysslor.md").read_text("utf-8").split("---\n", 2)[2]
    assert [line for line in body.splitlines() if line[:1].isdigit()] == [
        "1.  Läs riktlinjen", "2.  Fråga chefen", "1.  Tillåtet", "2.  Förbjudet", "3.  Anmälningspliktigt",
        "1.  Lämna anmälan", "2.  Vänta på beslut"]
    assert "## Inledning" in body and "### Chefens ansvar" in body


@pytest.mark.skipif(wordfile.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_opendocument_text_through_libreoffice_keeps_title_and_styles(repo: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "sociala-medier.odt"  # swedish_styled() saved by LibreOffice
    shutil.copy(fixture, repo / "sociala-medier.odt")
    [report] = importer.import_files(Workspace(repo), [repo / "sociala-medier.odt"])
    assert report.ok, report.error
    policy = source.load(repo / "policy" / "sociala-medier.md")
    assert (policy.meta.title, policy.meta.type) == ("Riktlinjer för sociala medier", "riktlinje")
    assert [(s.level, s.title) for s in policy.sections if s.level] == [
        (2, "Bakgrund"), (3, "Konton och ansvar"), (2, "Publicering"), (3, "Att tänka på")]
    assert "converted with LibreOffice" in report.guesses[0].text


def test_opendocument_text_without_libreoffice_is_read_by_pandoc(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(Path(__file__).parent / "fixtures" / "sociala-medier.odt", repo / "sociala-medier.odt")
    monkeypatch.setattr(wordfile, "soffice", lambda: None)
    [report] = importer.import_files(Workspace(repo), [repo / "sociala-medier.odt"])
    assert report.ok, report.error
    policy = source.load(repo / "policy" / "sociala-medier.md")
    assert [s.title for s in policy.sections if s.level][:2] == ["Bakgrund", "Konton och ansvar"]
    assert "read through pandoc" in report.guesses[0].text and "LibreOffice" in report.guesses[0].text


def test_an_information_table_in_a_content_control_is_read_as_the_table(repo: Path, legacy) -> None:
    """Templates often put page 1's information table in a content control (w:sdt)."""
    d = docx.Document(str(wordgen.legacy_policy(repo / "plain.docx")))
    table = d.element.body.find(docx.oxml.ns.qn("w:tbl"))
    control = docx.oxml.parse_xml(f'<w:sdt {wordgen.W}><w:sdtPr><w:alias w:val="Dokumentinformation"/></w:sdtPr>'
                                  '<w:sdtContent/></w:sdt>')
    table.addprevious(control)
    control[1].append(table)
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "kontroll.docx")], policy_id="foreningsstod")
    assert report.ok, report.error
    assert (repo / "policy" / "foreningsstod.md").read_text("utf-8") == legacy[1]


def test_symbol_font_bullets_are_list_items(repo: Path) -> None:
    """Bullets typed in the Symbol font (U+F0B7, as old converted files and text pasted from PDFs carry)."""
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för möten", 16)
    d.add_paragraph("Ett möte ska:")
    d.add_paragraph("\uf0b7\tha en dagordning")
    d.add_paragraph("\uf0a7 sluta i tid")
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "moten.docx")])
    assert report.ok, report.error
    [section] = source.load(repo / "policy" / "moten.md").sections
    assert [b.kind for b in section.blocks] == ["Para", "BulletList"]
    assert [pandoc.stringify(i).strip() for i in pandoc.list_items(section.blocks[1].ast)] == [
        "ha en dagordning", "sluta i tid"]


def test_merged_table_cells_keep_every_cell_in_its_column(repo: Path) -> None:
    """A pipe table has no merged cells: a merged cell's text goes in its first cell, the cells it
    covered stay empty, so no later cell moves to another column (pandoc's reading as the oracle)."""
    d = docx.Document()
    wordgen.bold(d, "Taxa för bygglov", 16)
    d.add_paragraph("Avgifterna framgår av tabellen.")
    t = d.add_table(rows=4, cols=3)
    for (r, c), text in {(0, 0): "Åtgärd", (0, 1): "Avgift", (0, 2): "Not", (1, 2): "a", (2, 1): "5 000 kr",
                         (2, 2): "b", (3, 0): "Rivning", (3, 1): "2 000 kr", (3, 2): "c"}.items():
        t.cell(r, c).text = text
    t.cell(1, 0).merge(t.cell(1, 1)).text = "Bygglov, över två kolumner"
    t.cell(2, 0).text = "Tillbyggnad"
    t.cell(2, 0).merge(t.cell(3, 0))  # two rows high
    t.cell(2, 0).paragraphs[-1].text = ""
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "taxa.docx")])
    assert report.ok, report.error
    [section] = source.load(repo / "policy" / "taxa.md").sections
    table = next(b.ast for b in section.blocks if b.kind == "Table")
    head, body = table["c"][3][1], table["c"][4][0][3]
    grid = [[pandoc.stringify(cell[4]).strip() for cell in row[1]] for row in head + body]
    assert grid == [["Åtgärd", "Avgift", "Not"], ["Bygglov, över två kolumner", "", "a"],
                    ["Tillbyggnad", "5 000 kr", "b"], ["", "2 000 kr", "c"]]
    assert any("merged table cells were split" in e.text for e in report.losses)


def test_a_list_indented_under_another_word_list_is_nested_in_it(repo: Path) -> None:
    """Bullets (List Bullet 2: another Word list, indented) under a numbered item are nested in it,
    and the numbered list goes on after them, as Word shows it."""
    d = docx.Document()
    wordgen.bold(d, "Plan för krisberedskap", 16)
    d.add_paragraph("Kommunen ska:")
    d.add_paragraph("ha en krisledningsnämnd", style="List Number")
    d.add_paragraph("som sammanträder vid behov", style="List Bullet 2")
    d.add_paragraph("som leds av ordföranden", style="List Bullet 2")
    d.add_paragraph("öva varje år", style="List Number")
    d.add_paragraph("Planen följs upp årligen.")
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "kris.docx")])
    assert report.ok, report.error
    [section] = source.load(repo / "policy" / "kris.md").sections
    assert [b.kind for b in section.blocks] == ["Para", "OrderedList", "Para"]
    first, second = pandoc.list_items(section.blocks[1].ast)
    assert [b["t"] for b in first] == ["Plain", "BulletList"] and pandoc.stringify(second).strip() == "öva varje år"
    assert [pandoc.stringify(i).strip() for i in pandoc.list_items(first[1])] == [
        "som sammanträder vid behov", "som leds av ordföranden"]
    assert report.counts.list_items == 4


def test_the_self_check_does_not_read_the_text_back(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's `styrdok check` of its result uses the blocks pandoc wrote the text from:
    one pandoc run fewer (a second parse of a 100-page text). The autouse fixture proves it
    finds what the full check finds, for every import in this file."""
    path = wordgen.legacy_policy(repo / "foreningsstod.docx")
    reads: list[str] = []
    real = pandoc.read_markdown
    monkeypatch.setattr(pandoc, "read_markdown", lambda text: reads.append(text) or real(text))
    monkeypatch.setattr(source, "check_file", CHECK_FILE)  # without the full check beside it
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok and not report.warnings and reads == []


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent / "corpus").glob("*.md")))
def test_known_blocks_check_as_the_text_read_back(name: str) -> None:
    """Hostile texts (tests/corpus) read, written again by pandoc and checked both ways: with
    the blocks the text was written from, and by reading it back."""
    data = (Path(__file__).parent / "corpus" / name).read_bytes()
    head, sep, body = data.decode("utf-8", errors="replace").partition("\n---\n")
    if not sep or not head.startswith("---"):
        pytest.skip("no front matter to keep")
    try:
        blocks = [b for _, b in pandoc.read_markdown(body)]
    except (pandoc.PandocFailed, RecursionError):
        pytest.skip("pandoc cannot read it")
    text = (head + sep + pandoc.write_markdown(blocks)).encode("utf-8")
    cheap = CHECK_FILE(Path(name), data=text, blocks=blocks)
    full = CHECK_FILE(Path(name), data=text)
    if name == "link-backslashes.md":  # pandoc's writer doubles a link's backslashes: errors both ways
        assert cheap[1] and full[1]  # (with any problem the import checks again by reading back)
    else:
        assert [str(p) for p in cheap[1]] == [str(p) for p in full[1]]


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A hyperlink as Word writes one (Ctrl+K): w:hyperlink with a relationship to the address."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run, t = OxmlElement("w:r"), OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def test_links_to_the_intranet_file_share_keep_their_text_and_are_reported(repo: Path) -> None:
    """Officers link to forms on the file share (file://, \\\\server): a policy cannot link there, so
    the text stays, the link goes, and the report says where it went (the import does not fail)."""
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för representation", 16)
    d.add_paragraph("Fastställd av kommunfullmäktige 2019-04-23, § 45")
    wordgen.bold(d, "1. Gåvor")
    _hyperlink(d.add_paragraph("Se "), "https://www.skatteverket.se/gavor", "Skatteverket")
    _hyperlink(d.add_paragraph("Blanketten finns på "), "file://///kommun.local/dfs/Blanketter/gava.docx", "intranätet")
    _hyperlink(d.add_paragraph("Mallen ligger i "), "\\\\filserver\\mallar\\gava.dotx", "mallarkivet")
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "representation.docx")])
    assert report.ok, report.error
    body = (repo / "policy" / "representation.md").read_text("utf-8").split("---\n", 2)[2]
    assert "Se [Skatteverket](https://www.skatteverket.se/gavor)" in body
    assert "Blanketten finns på intranätet\n" in body and "Mallen ligger i mallarkivet\n" in body
    lost = [e.line() for e in report.losses if "link to" in e.text]
    assert len(lost) == 2 and lost[0].startswith("paragraph 5: ”Blanketten finns på intranätet”")
    assert "file://///kommun.local/dfs/Blanketter/gava.docx" in lost[0] and "filserver" in lost[1]
    assert report.counts.links == 1


def test_many_headings_guessed_are_one_line_on_the_terminal(repo: Path) -> None:
    """A long legacy file: the terminal says how many headings were taken from bold text; the
    report file lists each."""
    d = docx.Document()
    wordgen.bold(d, "Riktlinjer för representation", 16)
    d.add_paragraph("Fastställd av kommunfullmäktige 2019-04-23, § 45")
    for n in range(1, 15):
        wordgen.bold(d, f"{n}. Avsnitt {n}")
        d.add_paragraph(f"Text i avsnitt {n}.")
    [report] = importer.import_files(Workspace(repo), [wordgen.save(d, repo / "lang.docx")])
    screen = report.screen()
    assert "14 paragraphs taken as headings by their look" in screen and "Avsnitt 3" not in screen
    assert sum("taken as a level 2 heading" in line for line in report.markdown().splitlines()) == 14


def test_the_copy_for_pandoc_is_utf8_with_markers_in_the_first_plain_run(repo: Path) -> None:
    """What pandoc reads costs what the file costs: UTF-8 (not "&#246;" for each "ö"), and no run
    more for a paragraph whose text opens in a plain run (a run of its own for the others)."""
    path = wordgen.legacy_policy(repo / "a.docx")
    doc = wordfile.load(path)
    marked, given = read_parts(doc.marked)[wordfile.DOCUMENT], read_parts(path.read_bytes())[wordfile.DOCUMENT]
    assert b"&#" not in marked and "föreningsstöd".encode() in marked
    assert marked.count(b"<w:r>") + marked.count(b"<w:r ") - given.count(b"<w:r>") - given.count(b"<w:r ") < \
        len(doc.paragraphs) / 2


def _officer_file(path: Path, *, contents: bool = True) -> Path:
    """Normal text only, as an officer types it: a typed table of contents, bold headings with
    typed numbers (one without its full stop), a pending revision by another body."""
    d = docx.Document()

    def para(text: str, bold: bool = False) -> None:
        d.add_paragraph().add_run(text).bold = bold

    para("Riktlinje för sociala medier", bold=True)
    para("Lilla kommun")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Beslutad av:", "Kommunfullmäktige"
    if contents:
        para("Innehåll", bold=True)
        para("1. Syfte\t2")
        para("2. Omfattning ........ 2")
        para("3 Ansvar\t3")
    para("1. Syfte", bold=True)
    para("Riktlinjen beskriver hur kommunen använder sociala medier.")
    para("2. Omfattning", bold=True)
    para("Riktlinjen gäller alla konton som kommunen driver. Innan ett konto startas ska förvaltningen:")
    for item in ("1)\tbeskriva syfte och målgrupp", "2)\tutse två ansvariga", "a. med en ersättare", "b. och en chef"):
        para(item)
    para("1. Ett ensamt nummer är text.")
    para("3 Ansvar", bold=True)
    para("Förvaltningschefen ansvarar för förvaltningens konton.")
    para("Innehåll", bold=True)  # a section of that name: not the page's own table of contents
    para("Kontona innehåller kommunens nyheter.")
    para("2024 års uppföljning", bold=True)  # a year, not a section number
    para("Uppföljningen görs av kommunstyrelsen.")
    para("Fastställd av kommunfullmäktige 2019-04-23, § 45")
    para("Reviderad av kommunstyrelsen 2021-XX-XX, § XX")
    d.save(path)
    return path


def test_officer_file_typed_contents_bare_numbers_owner(repo: Path) -> None:
    path = _officer_file(repo / "sociala-medier.docx")
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok, report.error
    policy = source.load(repo / "policy" / "sociala-medier.md")
    assert [(s.level, s.title, s.id) for s in policy.sections if s.level] == [
        (2, "Syfte", "syfte"), (2, "Omfattning", "omfattning"), (2, "Ansvar", "ansvar"),
        (2, "Innehåll", "innehall-avsnitt"), (2, "2024 års uppföljning", "2024-ars-uppfoljning")]
    text = (repo / "policy" / "sociala-medier.md").read_text("utf-8")
    assert "\t2" not in text and "...." not in text and "3 Ansvar" not in text
    assert "Lilla kommun" not in text and any(value == "Lilla kommun" for _label, value, _where in report.unmapped)
    assert any("table of contents was left out" in e.text for e in report.losses)
    # typed numbers before text are list items, counted from 1 or a; a lone "1." stays text
    scope = policy.section("omfattning").blocks
    assert [b.kind for b in scope] == ["Para", "OrderedList", "Para"]
    first, second = scope[1].ast["c"][1]
    assert scope[1].ast["c"][0][1:] == [{"t": "Decimal"}, {"t": "OneParen"}]
    assert second[1]["t"] == "OrderedList" and second[1]["c"][0][1:] == [{"t": "LowerAlpha"}, {"t": "Period"}]
    assert "1)  beskriva syfte och målgrupp\n\n2)  utse två ansvariga\n\n    a.  med en ersättare\n" in text
    assert scope[2].text.startswith("1. Ett ensamt")
    # the pending revision is prepared by another body: the owner is the last decision made's, said so
    assert policy.meta.owner == "kommunfullmäktige"
    assert any("the document also names kommunstyrelsen" in e.text for e in report.guesses)


def test_typed_lines_ending_in_numbers_are_text_without_contents_heading(repo: Path) -> None:
    d = docx.Document()
    d.add_paragraph().add_run("Taxa för uthyrning").bold = True
    for line in ("Avgiften per timme är\t150", "Avgiften per dag är\t900", "Städning\t400"):
        d.add_paragraph(line)
    path = repo / "taxa.docx"
    d.save(path)
    [report] = importer.import_files(Workspace(repo), [path])
    assert report.ok, report.error
    text = (repo / "policy" / "taxa.md").read_text("utf-8")
    assert "150" in text and "900" in text and "400" in text
    assert not any("table of contents" in e.text for e in report.losses)
