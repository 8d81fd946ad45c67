"""The website around the versions: superseded and repealed versions, the register and its views,
register.csv, and the details a citizen sees (no tool names, breadcrumbs, stale sitemap)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from browser import axe_violations, format_violations, reflow_overflow, require_chromium
from gitrepo import ID, REL, TODAY, adopt_2018, commit, init, policy_text
from golden import check_golden
from styrdok import lifecycle
from styrdok.publish import publish
from styrdok.workspace import Workspace

V1, V2, V3 = f"{ID}/2018-03-06", f"{ID}/2022-11-15", f"{ID}/2026-11-24"
OTHER = "riktlinje-inkop"


def _revise(repo: Path, date: str, paragraph: int, text: str, body: str | None = None) -> None:
    workspace = Workspace(repo)
    lifecycle.revise(workspace, ID, today=TODAY, body=body)
    (repo / REL).write_text(policy_text(repo) + f"\n{text}\n", "utf-8")
    commit(repo, f"{ID}: revision {date}")
    lifecycle.adopt(workspace, ID, date=date, paragraph=paragraph, dnr=f"KS {date[:4]}/{paragraph}", today=TODAY)


def _other_policy(repo: Path) -> None:
    """A second document, owned by another body, with the new control keys."""
    (repo / "policy" / f"{OTHER}.md").write_text("""---
title: Riktlinje för inköp
type: riktlinje
owner: socialnämnden
responsible: Inköpschef
contact:
  name: Anna Andersson
  email: anna.andersson@timra.se
review: 2
status: adopted
decisions:
  - action: fastställd
    body: socialnämnden
    date: 2026-11-20
    paragraph: 41
    dnr: SN 2026/12
---

Riktlinjen gäller alla inköp.

## Ansvar {#ansvar}

Varje förvaltning ansvarar för sina inköp.
""", "utf-8")
    commit(repo, f"{OTHER}: fastställd av socialnämnden 2026-11-20, § 41")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, fixed_git_dates: None) -> Path:
    """Three adopted versions of the seed policy (2018, 2022, 2026) and a second, newly fastställd riktlinje."""
    repo = init(tmp_path_factory.mktemp("register") / "repo")
    adopt_2018(repo)
    _revise(repo, "2022-11-15", 150, "Ett stycke från 2022.")
    _revise(repo, "2026-11-24", 180, "Ett stycke från 2026.")
    _other_policy(repo)
    return repo


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    out = repo.parent / "site"
    result = publish(Workspace(repo), out=out, today=TODAY)
    assert result.ok, result.problems
    return out


def _page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def _first_in_main(path: Path) -> lxml_html.HtmlElement:
    main = _page(path).xpath("//main")[0]
    return next(el for el in main.iterchildren() if el.tag not in ("script",))


# --- superseded and repealed ---------------------------------------------------------------------

def test_superseded_versions_say_so_first_who_replaced_them_and_link_to_the_version_in_force(site: Path) -> None:
    for folder in (V1, V2):
        first = _first_in_main(site / folder / "index.html")
        text = " ".join(first.text_content().split())
        assert text.startswith("Gäller inte längre – ersatt av versionen som antogs 2026-11-24"), text
        assert "kommunstyrelsen" in text and "§ 180" in text
        links = first.xpath(".//a/@href")
        assert "../../" + V3 + "/index.html" in links
    third = " ".join(_first_in_main(site / V3 / "index.html").text_content().split())
    assert "Gäller inte längre" not in third


def test_version_documents_stay_frozen_and_the_page_around_them_follows_the_status(
        repo: Path, site: Path, tmp_path_factory: pytest.TempPathFactory, fixed_git_dates: None) -> None:
    """Publish after the first two adoptions, then after the third: the 2018 and 2022 PDF and DOCX
    are byte for byte the same; their pages now say they are replaced; the manifest says which is which."""
    early = init(tmp_path_factory.mktemp("early") / "repo")
    adopt_2018(early)
    _revise(early, "2022-11-15", 150, "Ett stycke från 2022.")
    out = early.parent / "site"
    publish(Workspace(early), out=out, today=TODAY)
    before = {name: (out / V2 / name).read_bytes() for name in (f"{ID}.pdf", f"{ID}.docx", "index.html")}
    assert "Gäller inte längre" not in before["index.html"].decode()
    _revise(early, "2026-11-24", 180, "Ett stycke från 2026.")
    publish(Workspace(early), out=out, today=TODAY)
    for name in (f"{ID}.pdf", f"{ID}.docx"):
        assert (out / V2 / name).read_bytes() == before[name]
    assert "Gäller inte längre – ersatt av" in (out / V2 / "index.html").read_text("utf-8")
    manifest = json.loads((out / V2 / "manifest.json").read_text("utf-8"))
    assert set(manifest["files"]) == {f"{ID}.pdf", f"{ID}.docx"}  # frozen: never changed
    assert manifest["page"]["file"] == "index.html" and manifest["page"]["frozen"] is False
    for name, record in manifest["files"].items():
        assert hashlib.sha256((out / V2 / name).read_bytes()).hexdigest() == record["sha256"]


@pytest.fixture(scope="module")
def repealed(repo: Path, tmp_path_factory: pytest.TempPathFactory, fixed_git_dates: None) -> Path:
    """The three-version repository, then the policy repealed by kommunstyrelsen 2026-11-25, § 190."""
    import shutil
    clone = Path(shutil.copytree(repo, tmp_path_factory.mktemp("repealed") / "repo"))
    repeal = ("  - action: upphävd\n    body: kommunstyrelsen\n    date: 2026-11-25\n    paragraph: 190\n"
              "    dnr: KS 2026/350\n")
    text = policy_text(clone)
    assert "\nconsultation:\n" in text  # the decisions list ends there
    (clone / REL).write_text(text.replace("\nconsultation:\n", "\n" + repeal + "consultation:\n", 1), "utf-8")
    commit(clone, f"{ID}: upphävd av kommunstyrelsen 2026-11-25, § 190")
    out = clone.parent / "site"
    assert publish(Workspace(clone), out=out, today=TODAY).ok
    return out


def test_a_repealed_policy_says_so_on_every_page_and_stays_in_the_register(repealed: Path) -> None:
    for page in (f"{ID}/index.html", f"{V1}/index.html", f"{V3}/index.html"):
        text = " ".join(_first_in_main(repealed / page).text_content().split())
        assert text.startswith("Upphävd av kommunstyrelsen 2026-11-25, § 190"), (page, text)
    index = _page(repealed / "index.html")
    row = index.xpath(f"//tr[.//a[@href='{ID}/index.html']]")[0]
    assert "Upphävd" in row.text_content()
    assert "repealed" in row.get("class", "")
    policy_page = (repealed / ID / "index.html").read_text("utf-8")
    assert "Version 2018-03-06" in policy_page and "Version 2022-11-15" in policy_page  # the history stays


# --- the register --------------------------------------------------------------------------------

def test_the_register_lists_type_owner_decision_dnr_status_and_review_deadline(site: Path) -> None:
    index = _page(site / "index.html")
    headers = [" ".join(th.text_content().split()) for th in index.xpath("//table[contains(@class,'register')]//thead//th")]
    assert headers == ["Dokument", "Typ", "Dokumentägare", "Beslut", "Dnr", "Status", "Ska revideras senast"]
    row = index.xpath(f"//tr[.//a[@href='{OTHER}/index.html']]")[0]
    cells = [" ".join(td.text_content().split()) for td in row.xpath("./td")]
    assert cells[:5] == ["Riktlinje", "Socialnämnden", "2026-11-20 § 41", "SN 2026/12", "Antagen"]
    assert cells[5].startswith("2028-11-19")  # review: 2 (years)
    # dates and "§ 41" never break across lines
    assert row.xpath(".//span[@class='nowrap' and text()='2026-11-20']")
    assert "§\u00a041" in row.text_content()


def test_grouped_views_are_linked_from_the_index_and_list_every_document(site: Path) -> None:
    index = _page(site / "index.html")
    views = index.xpath("//nav[contains(@class,'register-views')]//a/@href")
    assert {"register/typ.html", "register/agare.html", "register/revidering.html"} <= set(views)
    by_owner = _page(site / "register" / "agare.html")
    groups = [" ".join(h.text_content().split()) for h in by_owner.xpath("//main//section/h2")]
    assert groups == ["Kommunstyrelsen", "Socialnämnden"]
    assert by_owner.xpath(f"//section[h2='Socialnämnden']//a[@href='../{OTHER}/index.html']")
    by_type = _page(site / "register" / "typ.html")
    assert [h.text_content() for h in by_type.xpath("//main//section/h2")] == ["Policy", "Riktlinje"]
    for view in ("typ", "agare", "revidering"):
        page = _page(site / "register" / f"{view}.html")
        assert page.xpath("//nav[@class='breadcrumbs']//a[@href='../index.html']")
        assert len(page.xpath("//table//tbody/tr")) == 2


def test_register_csv_opens_with_the_csv_module_and_holds_every_policy(site: Path) -> None:
    data = (site / "register.csv").read_bytes()
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel reads å, ä, ö right
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {row["id"] for row in rows} == {ID, OTHER}
    other = next(row for row in rows if row["id"] == OTHER)
    assert other["dokumentägare"] == "socialnämnden" and other["beslutsdatum"] == "2026-11-20"
    assert other["paragraf"] == "41" and other["diarienummer"] == "SN 2026/12"
    assert other["ska_revideras_senast"] == "2028-11-19" and other["titel"] == "Riktlinje för inköp"
    assert (site / "index.html").read_text("utf-8").count('href="register.csv"') == 1


# --- site details ---------------------------------------------------------------------------------

def test_no_page_names_the_tool(site: Path) -> None:
    for page in site.rglob("*.html"):
        root = _page(page)
        for style in root.xpath("//style"):
            style.drop_tree()
        assert not re.search(r"\bstyrdok\b", root.text_content(), re.IGNORECASE), page


def test_a_newly_adopted_document_is_not_called_revised(site: Path) -> None:
    row = _page(site / "index.html").xpath(f"//tr[.//a[@href='{OTHER}/index.html']]")[0]
    assert "Reviderad" not in row.text_content()
    assert "Fastställd 2026-11-20" in row.text_content()


def test_every_page_has_a_breadcrumb_back_to_the_register(site: Path) -> None:
    for page in site.rglob("*.html"):
        if page == site / "index.html":
            continue
        crumbs = _page(page).xpath("//nav[@class='breadcrumbs']//a/@href")
        assert crumbs, page
        assert (page.parent / crumbs[0]).resolve() == (site / "index.html").resolve(), page


def test_a_stale_sitemap_is_removed_without_base_url(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(Workspace(repo), out=out, base_url="https://www.timra.se/styrdokument/", today=TODAY)
    assert (out / "sitemap.xml").is_file()
    result = publish(Workspace(repo), out=out, today=TODAY)
    assert not (out / "sitemap.xml").exists()
    assert any("sitemap.xml" in note for note in result.notes)


@pytest.mark.parametrize("page", ["index.html", "register/agare.html", "register/revidering.html",
                                  f"{V1}/index.html"])
def test_register_views_and_a_superseded_page_pass_axe_and_reflow(site: Path, page: str) -> None:
    require_chromium()
    violations = axe_violations(site / page)
    assert not violations, format_violations(violations)
    assert not reflow_overflow(site / page)


def test_golden_register_and_superseded_page(site: Path, repealed: Path) -> None:
    files = {"register.html": (site / "index.html").read_bytes(),
             "register-agare.html": (site / "register" / "agare.html").read_bytes(),
             "superseded.html": (site / V1 / "index.html").read_bytes(),
             "repealed.html": (repealed / V3 / "index.html").read_bytes(),
             "repealed-policy.html": (repealed / ID / "index.html").read_bytes()}
    files["register.csv"] = (site / "register.csv").read_bytes()
    assert not check_golden("site-register", files)


def test_dates_in_the_register_are_iso_and_unbroken(site: Path) -> None:
    text = (site / "index.html").read_text("utf-8")
    assert not re.search(r"\d{4}-\s+\d{2}", text)


# --- one look: the theme's font in the PDF, the DOCX and on the site ------------------------------

FONT = "Source Sans Pro"  # the packaged theme's body and heading family


def _docx_fonts(docx: Path) -> tuple[dict[str, str], dict[str, bytes], bytes, bytes]:
    """(slot → font key, part name → bytes, fontTable.xml, settings.xml) of a DOCX's embedded fonts."""
    import zipfile
    from lxml import etree
    with zipfile.ZipFile(docx) as z:
        table, settings = z.read("word/fontTable.xml"), z.read("word/settings.xml")
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        targets = {r.get("Id"): "word/" + r.get("Target") for r in rels}
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        r_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
        font = etree.fromstring(table).find(f"{w}font[@{w}name='{FONT}']")
        assert font is not None, f"{FONT} is not in the DOCX's font table"
        keys, parts = {}, {}
        for embed in font:
            if embed.tag.startswith(f"{w}embed"):
                slot = embed.tag.removeprefix(w)
                keys[slot] = embed.get(f"{w}fontKey")
                parts[slot] = z.read(targets[embed.get(f"{r_ns}id")])
        assert "odttf" in z.read("[Content_Types].xml").decode() and "obfuscatedFont" in z.read("[Content_Types].xml").decode()
    return keys, parts, table, settings


def test_the_docx_embeds_the_theme_font_as_word_does(site: Path) -> None:
    """ECMA-376 §17.8.1: each face an obfuscated part whose first 32 bytes, XORed with the GUID's
    bytes taken backwards, give back the unmodified font file the PDF uses."""
    from styrdok.fonts import packaged_faces, read_face
    keys, parts, _table, settings = _docx_fonts(site / V3 / f"{ID}.docx")
    assert b"<w:embedTrueTypeFonts/>" in settings
    originals = {p.read_bytes(): p for p in packaged_faces()}
    found = {}
    for slot, key in keys.items():
        digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
        data = parts[slot]
        assert data[:4] != b"\x00\x01\x00\x00", "the font part is not obfuscated"
        plain = bytes(b ^ digits[i % 16] for i, b in enumerate(data[:32])) + data[32:]
        assert plain in originals, f"{slot} is not an unmodified packaged face"
        face = read_face(originals[plain])
        assert face is not None and face.family == FONT
        found[slot] = (face.weight, face.italic)
    assert found["embedRegular"] == (400, False) and found["embedBold"] == (700, False)
    assert found.get("embedItalic", (400, True)) == (400, True)


def _isolated_fontconfig(tmp_path: Path) -> dict[str, str] | None:
    """An environment whose fontconfig sees every system font folder except those holding FONT,
    so a renderer can only draw it from the document; None if fontconfig is not usable."""
    import os
    import shutil
    import subprocess
    if not shutil.which("fc-list"):
        return None
    listed = subprocess.run(["fc-list", ":", "file", "family"], capture_output=True, text=True).stdout.splitlines()
    folders = sorted({str(Path(line.split(":")[0]).parent) for line in listed if line.strip()})
    hidden = {str(Path(line.split(":")[0]).parent) for line in listed if FONT in line}
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in folders if d not in hidden)
        + f"  <cachedir>{tmp_path}/fc-cache</cachedir>\n</fontconfig>\n", "utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    left = subprocess.run(["fc-list", FONT], capture_output=True, text=True, env=env).stdout
    assert not left.strip(), f"{FONT} is still installed for the renderer: {left}"
    return env


def test_libreoffice_draws_the_docx_in_the_embedded_font_alone(site: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess
    if not shutil.which("soffice") or not shutil.which("pdffonts"):
        pytest.skip("LibreOffice (soffice) or pdffonts (poppler-utils) is not installed")
    env = _isolated_fontconfig(tmp_path)
    if env is None:
        pytest.skip("fontconfig (fc-list) is not installed")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(site / V3 / f"{ID}.docx")],
                   check=True, capture_output=True, env=env, timeout=120)
    fonts = subprocess.run(["pdffonts", str(tmp_path / f"{ID}.pdf")], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert {"SourceSansPro-Regular", "SourceSansPro-Bold"} <= names, names
    assert names <= {"SourceSansPro-Regular", "SourceSansPro-Bold", "SourceSansPro-It", "SourceSansPro-BoldIt",
                     "OpenSymbol"}, f"LibreOffice substituted fonts: {names}"


def test_the_site_ships_the_font_files_of_the_pdf_and_chromium_draws_with_them(site: Path) -> None:
    from pypdf import PdfReader
    from browser import rendered_fonts
    from styrdok.fonts import SITE_FONTS, packaged_faces
    shipped = site / SITE_FONTS
    for face in packaged_faces():
        assert (shipped / face.name).read_bytes() == face.read_bytes(), face.name
    assert "SIL Open Font License" in (shipped / "LICENSE-SourceSansPro.txt").read_text("utf-8")
    pdf_fonts = {str(font["/BaseFont"]).split("+")[-1] for page in PdfReader(site / V3 / f"{ID}.pdf").pages
                 for font in page["/Resources"]["/Font"].values()}
    assert {"SourceSansPro-Regular", "SourceSansPro-Bold"} <= pdf_fonts
    require_chromium()
    for page in (site / ID / "index.html", site / V1 / "index.html", site / "index.html", site / "register" / "typ.html"):
        drawn = rendered_fonts(page, ["h1", "main p, main td"])
        for selector in ("h1", "main p, main td"):
            assert drawn[selector], f"{page}: nothing drawn for {selector}"
            for font in drawn[selector]:
                # the semibold face names itself "Source Sans Pro Semibold" (its legacy family)
                assert font["familyName"].startswith(FONT) and font["isCustomFont"], f"{page} {selector}: {font}"
        assert {"loaded"} == {f["status"] for f in drawn["document.fonts"] if f["weight"] == "400" and f["style"] == "normal"}


# --- PDF/UA: the final PDF's first page, its document control block and its logo ------------------

def test_the_final_pdf_tags_its_first_page_for_pdf_ua(site: Path) -> None:
    """What a PDF/UA validator checks of the first page, read from the published PDF's structure
    tree: language, title, the logo kept out of the reading order (a header artifact, or a Figure
    with Alt), and the control block a tagged table with the same rows as the web page's."""
    from pypdf import PdfReader
    from pdf_tags import marked_content, structure
    reader = PdfReader(site / V3 / f"{ID}.pdf")
    catalog = reader.trailer["/Root"]
    title = reader.metadata.title
    assert catalog["/Lang"] == "sv-SE" and catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp) and f">{title}<" in xmp  # dc:title, as /Info's
    first = marked_content(reader.pages[0])
    tree = structure(reader)
    elements = tree.walk()
    assert not first.tagged_in_artifact, "tagged content inside an artifact"
    # The logo: drawn on the first page, never as untagged content of the reading order.
    figures = {m for e in elements if e.role == "/Figure" for _, m in e.mcids}
    assert first.draws, "no logo drawn on the first page"
    for name, tags, mcid in first.draws:
        assert "/Artifact" in tags or mcid in figures, f"{name} is drawn outside an artifact and no Figure"
    for figure in (e for e in elements if e.role == "/Figure"):
        assert str(figure.attrs.get("/Alt", "")).strip(), "a Figure without alt text"
    # The document control block: a Table on page 1, right after the title block, row by row
    # the labels and values of the web page's block.
    pages = {0: first}
    document = tree.children[0]
    roles = [c.role for c in document.children]
    table = document.children[roles.index("/Table")]
    assert "/H1" in roles[:roles.index("/Table")], roles
    assert {e.page for e in table.walk() if e.mcids} == {0}
    head = [e for e in table.walk() if e.role == "/TH"]
    rows = [[c.text(pages) for c in tr.children] for tr in table.walk() if tr.role == "/TR" and tr not in
            [t for h in table.children if h.role == "/THead" for t in h.walk()]]
    page = lxml_html.fromstring((site / V3 / "index.html").read_bytes())
    heading = page.xpath("string(//*[@id='_dokumentinformation'])").strip()
    expected = [[" ".join(row.xpath("string(dt)").split()), " ".join(row.xpath("string(dd)").split())]
                for row in page.xpath("//section[@class='control']//div[contains(@class,'control-row')]")]
    assert [h.text(pages) for h in head] == [heading]
    assert rows == expected and len(rows) >= 6, rows


def test_a_repository_label_override_shows_on_the_site(repo: Path, site: Path, tmp_path: Path) -> None:
    """Every sentence of the site comes from labels.sv.yaml: an override in the repository's
    templates/ changes the pages and the feed (the frozen PDF and DOCX stay as published)."""
    import shutil
    clone = Path(shutil.copytree(repo, tmp_path / "repo"))
    out = Path(shutil.copytree(site, tmp_path / "site"))
    (clone / "templates").mkdir(exist_ok=True)
    (clone / "templates" / "labels.sv.yaml").write_text(
        "site:\n  version_crumb: \"Utgåva {date}\"\n  changes: Vad som ändrades\n"
        "  download_pdf: Ladda ner som PDF\n  feed_category_adopted: beslut\n", "utf-8")
    frozen = (out / V1 / f"{ID}.pdf").read_bytes()
    result = publish(Workspace(clone), out=out, today=TODAY)
    assert result.ok, result.problems
    policy_page = (out / ID / "index.html").read_text("utf-8")
    assert "Utgåva 2018-03-06" in policy_page and "Version 2018-03-06" not in policy_page
    assert ">Vad som ändrades<" in policy_page
    version_page = (out / V1 / "index.html").read_text("utf-8")
    assert "Utgåva 2018-03-06" in version_page and "Ladda ner som PDF" in version_page
    assert 'term="beslut"' in (out / "feed.xml").read_text("utf-8")
    assert (out / V1 / f"{ID}.pdf").read_bytes() == frozen
