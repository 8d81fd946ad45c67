"""publish: the website bundle from git — links, feed, sitemap, open data, no draft leaks,
reproducibility, incremental and immutable versions, accessibility."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from browser import axe_violations, format_violations, reflow_overflow, require_chromium
from gitrepo import ID, REL, TODAY, adopt_2018, commit, git, init, policy_text
from golden import check_golden, tree
from styrdok import lifecycle, pandoc
from styrdok.cli import main
from styrdok.consult import consult
from styrdok.publish import HistoryRewritten, PublishResult, publish
from styrdok.workspace import Workspace

BASE = "https://www.timra.se/styrdokument/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
EDIT_2026 = "Ett nytt stycke om uppföljning 2026."
PROPOSAL = "FÖRSLAGSTEXT PÅ REMISS."  # committed, on consultation: only in the remiss package
UNCOMMITTED = "OPUBLICERAT UTKAST."  # never anywhere
UNDECIDED = "REDAKTIONELL ÄNDRING UTAN BESLUT."  # committed with status adopted, but no decision: not adopted
DRAFT_MARKS = ("XX-XX", "§ XX", "UTKAST", PROPOSAL, UNCOMMITTED, UNDECIDED)
V2018, V2026 = f"{ID}/2018-03-06", f"{ID}/2026-11-24"
CHANGES = f"{V2026}/andringar"
REMISS = f"{ID}/remiss/2027-02-15"


def append(repo: Path, text: str) -> None:
    (repo / REL).write_text(policy_text(repo) + f"\n{text}\n", "utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, fixed_git_dates: None) -> Path:
    """Adopted 2018 and 2026, an edit without decision, a revision on consultation (committed), uncommitted edits."""
    repo = init(tmp_path_factory.mktemp("publish") / "repo")
    workspace = Workspace(repo)
    adopt_2018(repo)
    lifecycle.revise(workspace, ID, today=TODAY)
    (repo / REL).write_text(policy_text(repo).replace("samhällliga", "samhälleliga"), "utf-8")
    append(repo, EDIT_2026)
    commit(repo, "social-ekonomi: revision 2026")
    lifecycle.adopt(workspace, ID, date="2026-11-24", paragraph=180, dnr="KS 2026/311", today=TODAY)
    append(repo, UNDECIDED)
    commit(repo, "social-ekonomi: redaktionell ändring")
    lifecycle.revise(workspace, ID, today=TODAY)
    append(repo, PROPOSAL)
    consult(workspace, ID, "2027-02-15", dnr="KS 2026/400", out=repo / "build" / "remiss", today=TODAY)
    commit(repo, "social-ekonomi: på remiss")
    append(repo, UNCOMMITTED)
    return repo


@pytest.fixture(scope="module")
def published(repo: Path) -> tuple[Path, PublishResult]:
    out = repo.parent / "site"
    return out, publish(Workspace(repo), out=out, base_url=BASE, today=TODAY)


@pytest.fixture(scope="module")
def site(published: tuple[Path, PublishResult]) -> Path:
    return published[0]


def copy_site(site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(site, tmp_path / "site"))


def copy_repo(repo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(repo, tmp_path / "repo"))


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "id" and value:
                self.ids.add(value)


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text("utf-8"))
    return parser


# --- the bundle --------------------------------------------------------------------------------------

def test_bundle_holds_every_adopted_version_the_consultation_and_the_register(
        published: tuple[Path, PublishResult]) -> None:
    site, result = published
    assert result.ok and result.policies == [ID]
    for name in ("index.html", "register.json", "feed.xml", "sitemap.xml", f"{ID}/index.html"):
        assert (site / name).is_file(), name
    for version in (V2018, V2026):
        assert {p.name for p in (site / version).iterdir()} >= {"index.html", f"{ID}.pdf", f"{ID}.docx",
                                                                 "manifest.json"}
    assert {p.name for p in (site / CHANGES).iterdir()} == {
        "redline.html", "redline.pdf", "redline.docx", "changes.md", "manifest.json"}
    assert not (site / V2018 / "andringar").exists()  # the first version has nothing to compare with
    assert {p.name for p in (site / REMISS).iterdir()} == {
        "remissversion.html", "remissversion.pdf", "remissversion.docx", "svarsmall.docx", "missiv.docx",
        "andringar.html", "andringar.pdf"}  # as `styrdok consult` sent it: with the redline against the version in force
    assert any("uncommitted changes are not published" in note for note in result.notes)


def test_every_local_link_resolves_and_is_relative(site: Path) -> None:
    checked = 0
    for page in html_pages(site):
        for link in parse(page).links:
            if link.startswith(("data:image/svg+xml;base64,", "data:image/png;base64,")):
                continue  # the logo, inside the page
            if link.startswith("mailto:"):
                continue  # where to send a consultation answer, a contact: not a page of the site
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), f"{page}: {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file() and target.is_relative_to(site.resolve()), f"{page}: {link} → {target}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{page}: {link}: no id {parts.fragment}"
            checked += 1
        assert BASE not in page.read_text("utf-8"), f"{page} uses the base URL; pages link relatively"
    assert checked > 50


def test_the_policy_page_shows_the_last_adopted_text_with_its_files_and_history(site: Path) -> None:
    page = (site / ID / "index.html").read_text("utf-8")
    assert EDIT_2026 in page and "samhälleliga" in page
    assert "Reviderad av kommunstyrelsen 2026-11-24, § 180 (dnr KS 2026/311)" in page
    assert "Fastställd av kommunstyrelsen 2015-05-26, §\u00a0129" in page  # decision history, before git
    for href in (f"../{V2026}/{ID}.pdf", f"../{V2026}/{ID}.docx", f"../{V2018}/index.html", f"../{V2018}/{ID}.pdf",
                 f"../{CHANGES}/redline.html", f"../{CHANGES}/redline.docx"):
        assert f'href="{href}"' in page, href
    newer = (site / V2026 / "index.html").read_text("utf-8")
    assert f'href="../../{CHANGES}/redline.html"' in newer and f'href="../../{V2018}/index.html"' in newer
    older = (site / V2018 / "index.html").read_text("utf-8")
    assert EDIT_2026 not in older and "samhällliga" in older
    # no longer in force: the page around the frozen documents says so first, with a link
    assert f'Gäller inte längre – ersatt av <a href="../../{V2026}/index.html">versionen som antogs 2026-11-24</a>' in older


def test_no_draft_placeholder_or_unadopted_text_outside_the_marked_consultation(site: Path) -> None:
    checked = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".xml", ".md") and REMISS not in path.as_posix():
            text = path.read_text("utf-8")
            assert not [mark for mark in DRAFT_MARKS if mark in text], path
            checked.append(path.relative_to(site).as_posix())
    assert {"index.html", f"{ID}/index.html", f"{V2026}/index.html", "feed.xml", "register.json"} <= set(checked)
    current_pdf = "".join(page.extract_text() for page in PdfReader(site / V2026 / f"{ID}.pdf").pages)
    current_docx = pandoc.read_docx((site / V2026 / f"{ID}.docx").read_bytes())
    for text in (current_pdf, current_docx):
        assert "XX" not in text and "UTKAST" not in text and PROPOSAL not in text and "Ett nytt stycke" in text


def test_an_open_consultation_is_published_marked_with_its_deadline_and_response_form(
        repo: Path, site: Path) -> None:
    page = (site / ID / "index.html").read_text("utf-8")
    assert "Remissversion – svar senast 15 februari 2027." in page and "dnr KS 2026/400" in page
    # where and how to answer, then what the text below is
    assert ("Skicka svaret senast 15 februari 2027, märkt med diarienummer KS 2026/400, till "
            '<a href="mailto:kommunstyrelsen@timra.se">kommunstyrelsen@timra.se</a>. '
            "Texten nedan är den gällande, antagna versionen.</p>") in page
    assert f'href="../{REMISS}/svarsmall.docx"' in page and f'href="../{REMISS}/remissversion.html"' in page
    assert PROPOSAL not in page
    remiss = (site / REMISS / "remissversion.html").read_text("utf-8")
    assert "REMISSVERSION – svar senast 15 februari 2027" in remiss and PROPOSAL in remiss
    assert UNCOMMITTED not in remiss
    assert UNCOMMITTED not in pandoc.read_docx((site / REMISS / "remissversion.docx").read_bytes())
    assert git(repo, "status", "--porcelain") == f" M {REL}"  # publish changed no front matter
    assert "status: consultation" in policy_text(repo)


def test_the_open_consultation_links_what_it_changes_in_the_version_in_force(site: Path) -> None:
    """The consultation box: where and how to answer (a mailto: link), and the redline of the
    proposal against the version in force, as `styrdok consult` sent it."""
    from lxml import html as lxml_html
    page = lxml_html.fromstring((site / ID / "index.html").read_bytes())
    [box] = page.xpath("//section[contains(@class, 'remiss')]")
    assert box.xpath(".//a[@href='mailto:kommunstyrelsen@timra.se']")
    links = {a.text_content(): a.get("href") for a in box.xpath(".//ul[@class='documents']//a")}
    assert links["Ändringar jämfört med den gällande versionen"] == f"../{REMISS}/andringar.html"
    assert links["Ändringarna som PDF"] == f"../{REMISS}/andringar.pdf"
    changes = lxml_html.fromstring((site / REMISS / "andringar.html").read_bytes())
    assert PROPOSAL in " ".join(changes.xpath("//ins//text()")), "the proposal is not marked as inserted"
    assert "versionen antagen 2026-11-24" in changes.text_content() and "remissversionen" in changes.text_content()
    crumbs = changes.xpath("//nav[@class='breadcrumbs']//a")
    assert [a.get("href") for a in crumbs] == ["../../../index.html", "../../index.html", "andringar.html"]
    assert crumbs[-1].get("aria-current") == "page" and crumbs[-1].text_content() == "Ändringar"
    assert any(PROPOSAL in " ".join(p.extract_text().split()) for p in PdfReader(site / REMISS / "andringar.pdf").pages)


def test_every_page_has_a_breadcrumb_back_to_the_register_also_remiss_and_redlines(site: Path) -> None:
    pages = [p for p in html_pages(site) if p != site / "index.html"]
    assert {site / REMISS / "remissversion.html", site / REMISS / "andringar.html",
            site / CHANGES / "redline.html"} <= set(pages)
    for page in pages:
        crumbs = [link for link in parse(page).links if link.endswith("index.html")]
        text = page.read_text("utf-8")
        assert 'class="breadcrumbs"' in text, page
        first = text.split('class="breadcrumbs"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
        assert (page.parent / first).resolve() == (site / "index.html").resolve(), f"{page}: {first}"
        assert crumbs
        # the theme's fonts, shipped with the site: every @font-face of every page finds its file
        fonts = re.findall(r'@font-face \{[^}]*url\("([^"]+)"\)', text)
        assert fonts, f"{page} declares no web font"
        for font in fonts:
            assert (page.parent / font).is_file(), f"{page}: {font}"


def test_feed_has_one_entry_per_adoption_and_consultation_with_ids_and_dates_from_git(site: Path) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    summary = [(e.findtext(f"{ATOM}updated"), e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}category").get("term"))
               for e in entries]
    assert summary == [
        ("2026-11-25T09:00:00Z", f"{BASE}{REMISS}/remissversion.html", "remiss"),
        ("2026-11-24T00:00:00Z", f"{BASE}{V2026}/index.html", "antagande"),
        ("2018-03-06T00:00:00Z", f"{BASE}{V2018}/index.html", "antagande"),
    ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    assert feed.findtext(f"{ATOM}updated") == "2026-11-25T09:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}feed.xml"
    assert "Reviderad av kommunstyrelsen 2026-11-24, § 180" in entries[1].findtext(f"{ATOM}summary")


def test_sitemap_lists_every_page_with_an_absolute_url(site: Path) -> None:
    urls = [u.findtext(f"{SITEMAP}loc") for u in ET.parse(site / "sitemap.xml").getroot()]
    assert all(url.startswith(BASE) for url in urls)
    pages = {url.removeprefix(BASE) for url in urls}
    assert pages == {p.relative_to(site).as_posix() for p in html_pages(site)}


def test_register_json_is_the_open_data_of_the_register(site: Path) -> None:
    register = json.loads((site / "register.json").read_text("utf-8"))
    assert register["format"] == "styrdok-register/1" and register["review_state_on"] == TODAY.isoformat()
    [entry] = register["policies"]
    assert (entry["id"], entry["status"], entry["review_state"]) == (ID, "adopted", "done")
    assert [v["date"] for v in entry["versions"]] == ["2018-03-06", "2026-11-24"]
    assert [d["paragraph"] for d in entry["decisions"]] == [129, 64, 180]
    assert entry["consultation"]["deadline"] == "2027-02-15" and entry["consultation"]["open"]
    for version in entry["versions"]:
        assert all((site / version[key]).is_file() for key in ("page", "pdf", "docx"))
    index = (site / "index.html").read_text("utf-8")
    assert '<html lang="sv">' in index and 'href="social-ekonomi/index.html"' in index
    assert '<span class="nowrap">2026-11-24</span> <span class="nowrap">§&nbsp;180</span>' in index and "På remiss" in index


def test_manifests_record_the_git_blobs_of_each_version_and_redline(repo: Path, site: Path) -> None:
    blob_2018, blob_2026 = (git(repo, "rev-parse", f"{ID}/{day}:{REL}") for day in ("2018-03-06", "2026-11-24"))
    for folder, source in ((V2018, blob_2018), (V2026, blob_2026), (CHANGES, f"{blob_2018}..{blob_2026}")):
        manifest = json.loads((site / folder / "manifest.json").read_text("utf-8"))
        assert manifest["source"] == source
        for name, record in manifest["files"].items():
            assert hashlib.sha256((site / folder / name).read_bytes()).hexdigest() == record["sha256"]


def test_the_redline_shows_what_the_2026_adoption_changed(site: Path) -> None:
    redline = (site / CHANGES / "redline.html").read_text("utf-8")
    assert "versionen antagen 2018-03-06" in redline and "versionen antagen 2026-11-24" in redline
    assert "<ins" in redline and EDIT_2026.split()[1] in redline
    assert not [mark for mark in DRAFT_MARKS if mark in redline]
    changes = (site / CHANGES / "changes.md").read_text("utf-8")
    assert "2026-11-24" in changes


# --- reproducible, incremental, immutable ----------------------------------------------------------------

def test_two_publishes_are_byte_identical(repo: Path, site: Path, tmp_path: Path) -> None:
    publish(Workspace(repo), out=tmp_path / "again", base_url=BASE, today=TODAY)
    assert hashes(tmp_path / "again") == hashes(site)


def test_the_day_defaults_to_source_date_epoch(repo: Path, site: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1924992000")  # 2031-01-01: a new mandate period
    copy = copy_site(site, tmp_path)
    result = publish(Workspace(repo), out=copy, base_url=BASE)
    assert f"site-{ID}-page" in result.rendered  # the consultation has closed
    assert not [part for part in result.rendered if part.startswith(f"{ID}/")]  # versions do not depend on the day
    register = json.loads((copy / "register.json").read_text("utf-8"))
    assert register["review_state_on"] == "2031-01-01" and register["policies"][0]["review_state"] == "due"
    assert "remisstiden gick ut 15 februari 2027" in (copy / ID / "index.html").read_text("utf-8")


def test_publishing_again_rewrites_nothing(repo: Path, site: Path, tmp_path: Path) -> None:
    copy = copy_site(site, tmp_path)
    before = mtimes(copy)
    result = publish(Workspace(repo), out=copy, base_url=BASE, today=TODAY)
    assert (result.rendered, result.written) == ([], [])
    assert mtimes(copy) == before


def test_without_base_url_links_stay_relative_and_no_sitemap(repo: Path, site: Path, tmp_path: Path) -> None:
    copy = copy_site(site, tmp_path)
    (copy / "sitemap.xml").unlink()
    result = publish(Workspace(repo), out=copy, today=TODAY)
    assert result.rendered == []  # only the register, feed and JSON change
    assert {p.relative_to(copy).as_posix() for p in result.written} == {"feed.xml", "register.json"}
    assert not (copy / "sitemap.xml").exists() and any("sitemap.xml not written" in n for n in result.notes)
    hrefs = [link.get("href") for link in ET.parse(copy / "feed.xml").getroot().iter(f"{ATOM}link")]
    assert f"{V2018}/index.html" in hrefs and not [h for h in hrefs if "://" in h]


def test_an_edit_rebuilds_only_what_it_changes(repo: Path, site: Path, tmp_path: Path) -> None:
    repo, copy = copy_repo(repo, tmp_path), copy_site(site, tmp_path)
    versions = {name: stamp for name, stamp in mtimes(copy).items() if name.startswith((V2018, V2026))}
    git(repo, "checkout", "--quiet", "--", REL)
    append(repo, "Ett tillägg under remisstiden.")
    commit(repo, "social-ekonomi: remissversionen kompletterad")
    result = publish(Workspace(repo), out=copy, base_url=BASE, today=TODAY)
    # the remiss package, and the policy page only if what it shows of the package changed
    assert f"site-{ID}-remiss" in result.rendered and set(result.rendered) <= {f"site-{ID}-remiss", f"site-{ID}-page"}
    assert "Ett tillägg under remisstiden." in (copy / REMISS / "remissversion.html").read_text("utf-8")
    assert {name: stamp for name, stamp in mtimes(copy).items() if name.startswith((V2018, V2026))} == versions


def test_a_removed_file_of_a_version_is_filled_in_identically(repo: Path, site: Path, tmp_path: Path) -> None:
    copy = copy_site(site, tmp_path)
    (copy / V2018 / f"{ID}.pdf").unlink()
    result = publish(Workspace(repo), out=copy, base_url=BASE, today=TODAY)
    assert result.rendered == [V2018]
    assert hashes(copy) == hashes(site)


def test_a_published_file_is_never_overwritten_with_other_content(repo: Path, site: Path, tmp_path: Path) -> None:
    copy = copy_site(site, tmp_path)
    (copy / V2018 / f"{ID}.pdf").write_bytes(b"%PDF edited by hand")
    with pytest.raises(HistoryRewritten, match="never overwritten"):
        publish(Workspace(repo), out=copy, base_url=BASE, today=TODAY)
    assert (copy / V2018 / f"{ID}.pdf").read_bytes() == b"%PDF edited by hand"


def test_rewritten_history_is_refused_and_nothing_is_written(site: Path, tmp_path: Path,
                                                             fixed_git_dates: None) -> None:
    other = init(tmp_path / "other")  # a 2018 adoption with another text than the one published
    (other / REL).write_text(policy_text(other).replace("samhällliga", "samhälleliga"), "utf-8")
    commit(other, "social-ekonomi: stavning")
    adopt_2018(other)
    copy = copy_site(site, tmp_path)
    before = mtimes(copy)
    with pytest.raises(HistoryRewritten) as refusal:
        publish(Workspace(other), out=copy, base_url=BASE, today=TODAY)
    message = str(refusal.value)
    assert f"{V2018}/ was published from" in message
    assert f"{V2026}/ was published, but git no longer has that adopted version" in message
    assert "fix:" in message
    assert mtimes(copy) == before


# --- a policy that is only on consultation ------------------------------------------------------------------

@pytest.fixture(scope="module")
def remiss_only(tmp_path_factory: pytest.TempPathFactory, fixed_git_dates: None) -> Path:
    """The seed (never adopted in git) sent on consultation and committed."""
    repo = init(tmp_path_factory.mktemp("remiss-only") / "repo")
    consult(Workspace(repo), ID, "2027-02-15", out=repo / "build" / "remiss", today=TODAY)
    commit(repo, "social-ekonomi: på remiss")
    out = repo.parent / "site"
    publish(Workspace(repo), out=out, today=TODAY)
    return out


def test_a_policy_never_adopted_in_git_is_published_only_as_its_consultation(remiss_only: Path) -> None:
    page = (remiss_only / ID / "index.html").read_text("utf-8")
    assert "Remissversion – svar senast 15 februari 2027." in page and "XX" not in page
    assert "Fastställd av kommunstyrelsen 2015-05-26, §\u00a0129" in page
    assert not [p for p in (remiss_only / ID).iterdir() if p.name[:1].isdigit()]  # no adopted version
    index = (remiss_only / "index.html").read_text("utf-8")
    assert "Remiss" in index and "XX" not in index
    feed = ET.parse(remiss_only / "feed.xml").getroot()
    assert [e.find(f"{ATOM}category").get("term") for e in feed.findall(f"{ATOM}entry")] == ["remiss"]


def test_a_policy_without_adoption_or_consultation_in_git_is_not_published(repo: Path, tmp_path: Path) -> None:
    draft = init(tmp_path / "draft")
    result = publish(Workspace(draft), out=tmp_path / "site", today=TODAY)
    assert result.ok and result.policies == [] and any("not published" in n for n in result.notes)
    assert "Inga styrdokument är publicerade ännu." in (tmp_path / "site" / "index.html").read_text("utf-8")


# --- accessibility, golden files, command line -------------------------------------------------------------

@pytest.mark.parametrize("page", ["index.html", f"{ID}/index.html", f"{V2018}/index.html",
                                  f"{CHANGES}/redline.html", f"{REMISS}/remissversion.html", f"{REMISS}/andringar.html"])
def test_accessibility_with_axe_and_reflow(site: Path, page: str) -> None:
    require_chromium()
    violations = axe_violations(site / page)
    assert not violations, format_violations(violations)
    assert not reflow_overflow(site / page), f"{page} scrolls sideways at 320 px (400 % zoom)"


def test_accessibility_of_a_consultation_only_page(remiss_only: Path) -> None:
    require_chromium()
    violations = axe_violations(remiss_only / ID / "index.html")
    assert not violations, format_violations(violations)


def test_golden_site(site: Path) -> None:
    """The whole bundle: pages, documents, redline, remiss package, manifests, register, feed and sitemap."""
    files = tree(site)
    assert {Path(name).suffix for name in files} == {".html", ".pdf", ".docx", ".md", ".json", ".xml", ".csv", ".ttf", ".txt"}
    assert not check_golden("site", files)


def test_cli_publish(repo: Path, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = copy_site(site, tmp_path)
    monkeypatch.chdir(repo)
    runner = CliRunner()
    done = runner.invoke(main, ["publish", "--out", str(copy), "--base-url", BASE, "--today", TODAY.isoformat()])
    assert done.exit_code == 0, done.output
    assert "1 policy published" in done.output and "0 parts rendered, 0 files written" in done.output
    wrong = runner.invoke(main, ["publish", "--out", str(copy), "--base-url", "www.timra.se"])
    assert wrong.exit_code == 2 and "not the web address of a folder" in wrong.output and "fix:" in wrong.output
