"""Closing the remiss loop: filled-in response forms and letters read back into the
remissammanställning, every refusal, comments kept across runs, and the tjänsteskrivelse."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import typst
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from conftest import run, run_sv
from gitrepo import adopt_2018, commit, git, init
from styrdok import lifecycle, pandoc, source
from styrdok.consult import consult
from styrdok.consult.form import read_form
from styrdok.consult.memo import proposal, write_memo
from styrdok.consult.responses import FILES, compile_responses, references
from styrdok.errors import InvalidPolicy as InvalidInput
from styrdok.workspace import Workspace

ID = "social-ekonomi"
TODAY = "2026-11-25"
DEADLINE = "2027-02-15"
DNR = "KS 2026/311"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NEW_GOAL = "- erbjuda sociala företag stöd vid offentlig upphandling\n"


@dataclass(frozen=True)
class Round:
    repo: Path
    form: bytes  # the svarsmall as sent
    numbers: dict[str, str]  # number → label
    remiss: Path  # the package folder


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Round]:
    """The seed adopted in 2018, revised in 2026 (a new list item) and sent on remiss, all committed."""
    repo = init(tmp_path_factory.mktemp("loop") / "repo")
    adopt_2018(repo)
    lifecycle.revise(Workspace(repo), ID, today=lifecycle_today())
    path = repo / "policy" / f"{ID}.md"
    text = path.read_text("utf-8").replace("- stimulera till en ökad delaktighet av civilsamhället.\n",
                                           "- stimulera till en ökad delaktighet av civilsamhället.\n" + NEW_GOAL)
    text = text.replace("coordinator: Arbetsmarknadsenheten\n", "coordinator: Arbetsmarknadsenheten\ncontact:\n"
                        "  name: Anna Andersson\n  title: utvecklingsstrateg\n  phone: 060-16 31 00\n"
                        "  email: anna.andersson@timra.se\n")
    path.write_text(text, "utf-8")
    commit(repo, "social-ekonomi: förslag till revidering")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = consult(Workspace(repo), ID, DEADLINE, dnr=DNR, today=TODAY)
    commit(repo, "social-ekonomi: på remiss")
    folder = result.files[0].parent
    yield Round(repo, (folder / "svarsmall.docx").read_bytes(), {r.number: r.label for r in result.numbers}, folder)


def lifecycle_today():
    import datetime as dt
    return dt.date.fromisoformat(TODAY)


# --- filling forms as responders do ----------------------------------------------------------

def cell_paragraphs(cell) -> list:
    return [Paragraph(p, cell) for p in cell._tc.iter(f"{W}p")]


def write(cell, paragraphs: list[str]) -> None:
    """Type into a cell as Word does: into the content control's paragraph, a new paragraph per Enter."""
    first = cell_paragraphs(cell)[0]
    first.add_run(paragraphs[0])
    anchor = first
    for text in paragraphs[1:]:
        new = anchor._p.makeelement(f"{W}p", {})
        anchor._p.addnext(new)
        anchor = Paragraph(new, cell)
        anchor.add_run(text)


def visible(cell) -> str:
    return " ".join(p.text for p in cell_paragraphs(cell)).strip()


def fill(form: bytes, body: str, comments: dict[str | None, list[str]], *, date: str = "2027-02-10",
         delete: tuple[str, ...] = (), text_above: bool = False, widths: bool = False,
         extra_rows: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A filled-in form: the body's details, comments by number (None: general), rows deleted …"""
    document = docx.Document(io.BytesIO(form))
    fields, table = document.tables[0], document.tables[-1]
    for row, value in zip(fields.rows, (body, "Eva Svensson", "eva@example.se", date)):
        if value:
            write(row.cells[1], [value])
    for row in list(table.rows[1:]):
        number = visible(row.cells[0]) or None
        if number in delete:
            table._tbl.remove(row._tr)
        elif number in comments:
            write(row.cells[2], comments[number])
    for number, text in extra_rows:  # "lägg till rader om det behövs": a plain row, no content controls
        cells = table.add_row().cells
        cells[0].text, cells[2].text = number, text
    if widths:
        for row in table.rows:
            row.cells[0].width, row.cells[1].width, row.cells[2].width = Cm(1.2), Cm(4), Cm(11)
    if text_above:
        heading = document.paragraphs[0].insert_paragraph_before("Yttrande från " + body)
        heading.insert_paragraph_before("Vårt dnr SN 2027/3")
        table._tbl.addprevious(document.add_paragraph("Nämnden har behandlat ärendet den 8 februari.")._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def save(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def compiled_rows(data: bytes) -> list[tuple[str, str, str, str, str]]:
    """(Nr, Avsnitt, Remissinstans, Synpunkt, Kommentar) of the compilation DOCX, read with python-docx."""
    table = docx.Document(io.BytesIO(data)).tables[-1]
    return [tuple("\n".join(p.text for p in cell_paragraphs(c) if p.text) for c in row.cells)
            for row in table.rows[1:]]


def letter_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_pdf(paragraphs: list[str]) -> bytes:
    source_text = '#set text(lang: "sv")\n' + "\n\n".join(paragraphs)
    return typst.compile(source_text.encode("utf-8"))


# --- reading forms back ----------------------------------------------------------------------

def test_filled_forms_land_in_the_right_rows_with_their_body(sent: Round, tmp_path: Path) -> None:
    numbers = list(sent.numbers)
    first, item, last = numbers[1], numbers[20], numbers[-1]
    social = fill(sent.form, "Socialnämnden", {None: ["Bra att policyn revideras."],
                                               first: ["Första stycket.", "Andra stycket, samma synpunkt."],
                                               last: ["Sista raden."]},
                  delete=tuple(numbers[2:15]), text_above=True, widths=True)
    answer = read_form(social)
    assert answer.fields["remissinstans"] == "Socialnämnden"
    assert [(c.number, c.paragraphs) for c in answer.comments] == [
        (None, ("Bra att policyn revideras.",)), (first, ("Första stycket.", "Andra stycket, samma synpunkt.")),
        (last, ("Sista raden.",))]
    forms = [save(tmp_path, "socialnamnden.docx", social),
             save(tmp_path, "foreningar.docx", fill(sent.form, "Föreningslivet och den idéburna sektorn",
                                                    {item: ["Lägg till idrotten."], first: ["Instämmer."]},
                                                    extra_rows=(("", "En rad vi lade till själva."),))),
             save(tmp_path, "bolag.docx", fill(sent.form, "kommunala bolag", {None: ["Inga synpunkter."]}))]
    result = compile_responses(Workspace(sent.repo), ID, forms, out=tmp_path / "out", today=lifecycle_today())
    rows = compiled_rows((tmp_path / "out" / FILES[0]).read_bytes())
    # bodies in the missiv's order, those not asked (Socialnämnden) after them
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("", "Föreningslivet och den idéburna sektorn", "En rad vi lade till själva."),
        ("", "Socialnämnden", "Bra att policyn revideras."),
        (first, "Föreningslivet och den idéburna sektorn", "Instämmer."),
        (first, "Socialnämnden", "Första stycket.\nAndra stycket, samma synpunkt."),
        (item, "Föreningslivet och den idéburna sektorn", "Lägg till idrotten."),
        (last, "Socialnämnden", "Sista raden."),
    ]
    assert rows[4][1] == sent.numbers[item] and all(r[4] == "" for r in rows)
    compilation = result.compilation
    assert [a.body for a in compilation.answers if a.no_comments] == ["Kommunala bolag"]  # the asked body's name
    assert "Socialnämnden" in [a.body for a in compilation.unasked]
    assert "Näringslivet" in compilation.missing
    opening = pandoc.read_docx((tmp_path / "out" / FILES[0]).read_bytes())
    for text in ("Har inte svarat:", "Inga synpunkter:", "Kommunala bolag (svarsmall, 10 februari 2027)",
                 "Svar från andra än remissinstanserna:", "Diarienummer KS 2026/311", "Svar senast 15 februari 2027"):
        assert text in opening
    html = (tmp_path / "out" / FILES[1]).read_text("utf-8")
    assert "Lägg till idrotten." in html and 'lang="sv"' in html
    assert "Lägg till idrotten." in (tmp_path / "out" / FILES[2]).read_text("utf-8")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_form_saved_by_libreoffice_reads_back(sent: Round, tmp_path: Path) -> None:
    numbers = list(sent.numbers)
    filled = save(tmp_path / "in", "svar.docx", fill(sent.form, "Näringslivet", {
        None: ["Övergripande."], numbers[3]: ["Om stycket.", "Fortsättning."]}, delete=(numbers[1],)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"), str(filled)],
                   check=True, capture_output=True, timeout=180)
    answer = read_form((tmp_path / "lo" / "svar.docx").read_bytes())
    assert answer.identity.deadline == DEADLINE and answer.fields["remissinstans"] == "Näringslivet"
    assert [(c.number, c.paragraphs) for c in answer.comments] == [
        (None, ("Övergripande.",)), (numbers[3], ("Om stycket.", "Fortsättning."))]


# --- refusals --------------------------------------------------------------------------------

def with_property(form: bytes, name: str, value: str) -> bytes:
    """The form with one custom document property changed (as a form from another remiss has it)."""
    source_zip = zipfile.ZipFile(io.BytesIO(form))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source_zip.infolist():
            data = source_zip.read(info.filename)
            if info.filename == "docProps/custom.xml":
                data = re.sub(rf'(name="{name}"><vt:lpwstr>)[^<]*', rf"\g<1>{value}", data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()


def test_every_problem_is_reported_at_once_and_nothing_is_written(sent: Round, tmp_path: Path) -> None:
    numbers = list(sent.numbers)
    good = fill(sent.form, "Näringslivet", {numbers[1]: ["Ok."]})
    files = [
        save(tmp_path, "annan-omgang.docx", with_property(good, "styrdok-deadline", "2023-02-15")),
        save(tmp_path, "annan-policy.docx", with_property(good, "styrdok-policy", "avfallsplan")),
        save(tmp_path, "brev.docx", letter_docx(["Vi har synpunkter."])),
        save(tmp_path, "tom.docx", fill(sent.form, "", {numbers[1]: ["Utan avsändare."]})),
        save(tmp_path, "naringslivet-1.docx", good),
        save(tmp_path, "naringslivet-2.docx", fill(sent.form, "näringslivet", {numbers[2]: ["Igen."]})),
        save(tmp_path, "fel-nummer.docx", fill(sent.form, "Arbetsförmedlingen", {},
                                               extra_rows=(("9.9", "Finns inte."),))),
    ]
    out = tmp_path / "out"
    with pytest.raises(InvalidInput) as caught:
        compile_responses(Workspace(sent.repo), ID, files, out=out)
    message = str(caught.value)
    assert "annan-omgang.docx" in message and "another consultation round" in message and "2023-02-15" in message
    assert "annan-policy.docx" in message and "another policy" in message
    assert "brev.docx" in message and "not a response form" in message and "--letter" in message
    assert "tom.docx" in message and "field Remissinstans is empty" in message
    assert re.search(r"two answers from the same body, näringslivet: \S*naringslivet-1\.docx and "
                     r"\S*naringslivet-2\.docx", message)
    assert "fel-nummer.docx" in message and "number 9.9 does not exist" in message
    assert len(caught.value.problems) == 6
    assert not out.exists()


def test_the_command_refuses_with_a_non_zero_exit(sent: Round, tmp_path: Path) -> None:
    bad = save(tmp_path, "brev.docx", letter_docx(["Hej"]))
    result = run_sv(["responses", ID, str(bad), "--out", str(tmp_path / "out")], cwd=sent.repo)
    assert result.returncode != 0 and not (tmp_path / "out").exists()
    assert "brev.docx" in result.stderr and "inte en svarsmall" in result.stderr  # in Swedish by default


# --- letters and re-runs ---------------------------------------------------------------------

def test_references_in_letters() -> None:
    assert references("Vi tycker att punkt 2.3 och 2.4 ska strykas, liksom avsnitt 4.") == ["2.3", "2.4", "4"]
    assert references("Se stycke 3.1.2. Inget om 2018.") == ["3.1.2"]


def test_letters_and_rerun_keep_the_secretariats_comments(sent: Round, tmp_path: Path) -> None:
    numbers = list(sent.numbers)
    section = next(n for n, label in sent.numbers.items() if "." not in n and n != "1")
    out = tmp_path / "out"
    forms = [save(tmp_path, "sn.docx", fill(sent.form, "Socialnämnden", {numbers[1]: ["Stryk stycket."]}))]
    letter = save(tmp_path, "yttrande.docx", letter_docx([
        "Yttrande 2027-02-12", f"Vi anser att punkt {numbers[1]} bör stå kvar.",
        f"Avsnitt {section} saknar en tidplan.", "Med vänlig hälsning, Näringslivet"]))
    compile_responses(Workspace(sent.repo), ID, forms, letters=[f"Näringslivet={letter}"], out=out)
    rows = compiled_rows((out / FILES[0]).read_bytes())
    assert [(r[0], r[2]) for r in rows] == [("", "Näringslivet"), (numbers[1], "Näringslivet"),
                                          (numbers[1], "Socialnämnden"), (section, "Näringslivet")]
    assert rows[0][3].startswith("Skrivelse: Yttrande 2027-02-12") and "tidplan" in rows[3][3]
    # the secretariat writes its comments into the compilation, in Word
    document = docx.Document(out / FILES[0])
    table = document.tables[-1]
    write(table.rows[3].cells[4], ["Förvaltningen instämmer.", "Stycket stryks."])
    write(table.rows[4].cells[4], ["En tidplan läggs till."])
    document.save(out / FILES[0])
    # a late answer arrives, as a PDF letter
    late = save(tmp_path, "sent-svar.pdf", letter_pdf([f"Arbetsförmedlingen har synpunkter på punkt {numbers[1]}.",
                                                       "Datum 20 februari 2027"]))
    result = compile_responses(Workspace(sent.repo), ID, forms, out=out,
                               letters=[f"Näringslivet={letter}", f"Arbetsförmedlingen={late}"])
    rows = compiled_rows((out / FILES[0]).read_bytes())
    assert [(r[0], r[2], r[4]) for r in rows] == [
        ("", "Näringslivet", ""), ("", "Arbetsförmedlingen", ""),
        (numbers[1], "Näringslivet", ""), (numbers[1], "Arbetsförmedlingen", ""),
        (numbers[1], "Socialnämnden", "Förvaltningen instämmer.\nStycket stryks."),
        (section, "Näringslivet", "En tidplan läggs till.")]
    assert result.kept == 2 and not result.compilation.orphans
    assert next(a for a in result.compilation.answers if a.body == "Arbetsförmedlingen").date == "2027-02-20"


# --- the tjänsteskrivelse --------------------------------------------------------------------

def _policy(owner: str, body: str):
    text = (Path(__file__).parent / "fixtures" / f"{ID}.md").read_text("utf-8")
    text = text.replace("owner: kommunstyrelsen", f"owner: {owner}").replace(
        "  - action: reviderad\n    body: kommunstyrelsen", f"  - action: reviderad\n    body: {body}")
    return source.load(Path(f"{ID}.md"), data=text.encode())


def test_the_proposal_is_right_for_the_deciding_body() -> None:
    title = "policy för den sociala ekonomin och socialt företagande i Timrå kommun"
    ks = _policy("kommunstyrelsen", "kommunstyrelsen")
    assert proposal(ks, ks.meta.decisions[-1]) == [f"Kommunstyrelsen beslutar att anta reviderad {title} enligt bilaga 1."]
    kf = _policy("kommunfullmäktige", "kommunfullmäktige")
    assert proposal(kf, kf.meta.decisions[-1]) == [
        f"Kommunstyrelsen föreslår kommunfullmäktige besluta att anta reviderad {title} enligt bilaga 1."]


def test_memo_for_a_council_owned_policy(sent: Round, tmp_path: Path) -> None:
    repo = tmp_path / "kf"
    shutil.copytree(sent.repo, repo)
    path = repo / "policy" / f"{ID}.md"
    text = path.read_text("utf-8").replace("owner: kommunstyrelsen", "owner: kommunfullmäktige")
    path.write_text(re.sub(r"(- action: reviderad\n    body: )kommunstyrelsen\n    pending", r"\1kommunfullmäktige\n    pending", text), "utf-8")
    memo = write_memo(Workspace(repo), ID, out=tmp_path / "memo", today=lifecycle_today())
    text = squash(pandoc.read_docx((tmp_path / "memo" / "tjansteskrivelse.docx").read_bytes()))
    assert "Kommunstyrelsen föreslår kommunfullmäktige besluta att anta reviderad policy" in text
    assert memo.proposal[0].startswith("Kommunstyrelsen föreslår kommunfullmäktige")


def squash(text: str) -> str:
    return " ".join(text.split())


# --- end to end ------------------------------------------------------------------------------

def test_revise_consult_answers_responses_memo_adopt_publish(sent: Round, tmp_path: Path) -> None:
    """The whole loop in a real git repository, through the commands a secretariat runs."""
    from styrdok.publish import publish

    repo = tmp_path / "repo"
    shutil.copytree(sent.repo, repo)
    numbers = list(sent.numbers)
    answers = tmp_path / "svar"
    forms = [save(answers, "kn.docx", fill(sent.form, "Kommunens nämnder", {numbers[1]: ["Tydligare mål."]})),
             save(answers, "fk.docx", fill(sent.form, "Försäkringskassan", {None: ["Inga synpunkter."]})),
             save(answers, "af.docx", fill(sent.form, "Arbetsförmedlingen", {numbers[-1]: ["Nämn oss här."]},
                                           delete=tuple(numbers[2:10])))]
    letter = save(answers, "yttrande.docx", letter_docx(["Näringslivet 2027-02-14", f"Om punkt {numbers[1]}: bra."]))
    done = run(["responses", ID, *map(str, forms), "--letter", f"Näringslivet={letter}", "--today", "2027-03-01"],
               cwd=repo)
    assert done.returncode == 0, done.stderr
    compiled = repo / "build" / ID / "remiss" / "sammanstallning"
    rows = compiled_rows((compiled / FILES[0]).read_bytes())
    assert [(r[0], r[2]) for r in rows] == [("", "Näringslivet"), (numbers[1], "Kommunens nämnder"),
                                          (numbers[1], "Näringslivet"), (numbers[-1], "Arbetsförmedlingen")]
    memo = run(["memo", ID, "--today", "2027-03-01"], cwd=repo)
    assert memo.returncode == 0, memo.stderr
    assert memo.stdout.strip() == ("Kommunstyrelsen beslutar att anta reviderad policy för den sociala ekonomin och "
                                   "socialt företagande i Timrå kommun enligt bilaga 1.")
    text = squash(pandoc.read_docx((repo / "build" / ID / "remiss" / "tjansteskrivelse.docx").read_bytes()))
    for expected in ("Revidering av policy för den sociala ekonomin", "Handläggare: Anna Andersson",
                     "Telefon: 060-16 31 00", "E-post: anna.andersson@timra.se", "Förslag till beslut",
                     "4 av 7 remissinstanser har svarat, varav 1 utan synpunkter",
                     "1 ny listpunkt", "Remissammanställning 1 mars 2027 (bilaga 3)", "Beslut sänds till"):
        assert expected in text, expected
    assert not re.search(r"\b[0-9a-f]{8}\b", text)  # no commit ids
    # the secretariat commits the compilation with the policy, then KS decides
    archive = repo / "remiss" / ID / DEADLINE
    archive.mkdir(parents=True)
    for name in FILES:
        shutil.copy(compiled / name, archive / name)
    commit(repo, "social-ekonomi: remissammanställning")
    lifecycle.adopt(Workspace(repo), ID, date="2027-03-15", paragraph=45, today=lifecycle_today().replace(year=2027, month=3, day=20))
    site = tmp_path / "site"
    result = publish(Workspace(repo), out=site, today=lifecycle_today().replace(year=2027, month=3, day=20))
    assert result.ok
    folder = site / ID / "remiss" / DEADLINE
    for name in ("remissversion.html", "remissversion.pdf", "svarsmall.docx", "missiv.docx", "andringar.html",
                 "andringar.pdf", "remissammanstallning.docx", "remissammanstallning.html"):
        assert (folder / name).is_file(), name
    assert "1 ny listpunkt" in (folder / "andringar.html").read_text("utf-8")  # against the 2018 version
    # the version the consultation led to, and the policy's page while that version is current, link it
    for page, root in ((site / ID / "2027-03-15" / "index.html", "../../"), (site / ID / "index.html", "../")):
        html = page.read_text("utf-8")
        archive = html[html.index('class="archived-remiss"'):]
        assert "svar senast 15 februari 2027 (dnr KS 2026/311)" in archive
        for name in ("remissversion.html", "svarsmall.docx", "andringar.html", "remissammanstallning.html"):
            assert f'href="{root}{ID}/remiss/{DEADLINE}/{name}"' in archive, (page, name)
    assert 'class="archived-remiss"' not in (site / ID / "2018-03-06" / "index.html").read_text("utf-8")


def test_a_form_whose_text_is_in_no_revision_and_bad_letters_are_refused(sent: Round, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sent.repo, repo)
    path = repo / "policy" / f"{ID}.md"
    path.write_text(path.read_text("utf-8").replace("stimulera till en ökad delaktighet", "öka delaktigheten"), "utf-8")
    # a form whose text is in no revision: neither the working tree nor any commit has its hash
    form = save(tmp_path, "svar.docx", with_property(fill(sent.form, "Näringslivet", {}), "styrdok-text-sha256",
                                                     "0" * 64))
    letter = save(tmp_path, "yttrande.txt", b"Vi har synpunkter.")
    with pytest.raises(InvalidInput) as caught:
        compile_responses(Workspace(repo), ID, [form], letters=[f"Näringslivet={letter}", "utan-likhetstecken"],
                          out=tmp_path / "out")
    message = str(caught.value)
    assert "svar.docx" in message and "the proposal was changed after the form was sent" in message
    assert "yttrande.txt" in message and "neither DOCX nor PDF" in message
    assert "--letter utan-likhetstecken" in message and "equals sign" in message
    assert not (tmp_path / "out").exists()


def test_contact_given_on_the_command_line() -> None:
    from styrdok.consult.memo import parse_contact

    problems: list = []
    contact = parse_contact("Anna Andersson, utvecklingsstrateg, 060-16 31 00, anna.andersson@timra.se", problems)
    assert contact is not None and not problems
    assert (contact.name, contact.title, contact.phone, contact.email) == (
        "Anna Andersson", "utvecklingsstrateg", "060-16 31 00", "anna.andersson@timra.se")
    assert parse_contact("anna@timra.se", problems) is None and problems


def test_nested_list_items_are_kept_apart_in_the_excerpt() -> None:
    from styrdok.consult.numbering import numbers

    text = (Path(__file__).parent / "fixtures" / f"{ID}.md").read_text("utf-8")
    head = text[:text.index("\n---\n", 4) + 5]
    policy = source.load(Path(f"{ID}.md"), data=(head + "\n## Mål {#mal}\n\n- Stöd till\n  - idrotten\n  - kulturen\n"
                                                 "- Samverkan\n").encode())
    labels = [ref.label for ref in numbers(policy) if ref.section_id == "mal" and not ref.heading]
    assert labels == ["Stöd till – idrotten – kulturen", "Samverkan"]
