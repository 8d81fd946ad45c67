"""The website around the versions: superseded and repealed versions, the register and its views,
register.csv, and the details a citizen sees (no tool names, breadcrumbs, stale sitemap)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from browser import axe_violations, format_violations, reflow_overflow, require_chromium
from gitrepo import ID, REL, TODAY, adopt_2018, commit, init, policy_text
from golden import check_golden
from styrdok import lifecycle
from styrdok.publish import publish
from styrdok.workspace import Workspace

GIT_DATE = "2026-11-25T10:00:00+01:00"
V1, V2, V3 = f"{ID}/2018-03-06", f"{ID}/2022-11-15", f"{ID}/2026-11-24"
OTHER = "riktlinje-inkop"


@pytest.fixture(scope="module")
def fixed_git_dates() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_AUTHOR_DATE", GIT_DATE)
        patch.setenv("GIT_COMMITTER_DATE", GIT_DATE)
        yield


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
