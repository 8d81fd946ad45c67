"""Redlines: the DOCX accept/reject invariant through pandoc's reader, the HTML ins/del
invariant, paragraph marks, summary, PDF, the `styrdok diff` command in both forms."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from browser import axe_violations, format_violations, require_chromium
from seed_edits import ROOT, SEED, Doc, edited, load, seed_doc
from styrdok import pandoc, source
from styrdok.cli import main
from styrdok.model import Policy
from styrdok.compare import write_redline
from styrdok.redline import render_redline, view
from styrdok.render.document import body_blocks, title_blocks
from styrdok.render.docx import render_docx
from styrdok.render.html import body_html
from styrdok.templates import Templates

TEMPLATES = Templates(None)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div", "ul", "ol", "header", "section"}
LIST_MARKER = re.compile(r"^((-|\d+\.)(\s+|$))+")
OLD = load(seed_doc())


def _edit(change: Callable[[Doc], None]) -> Policy:
    doc = copy.deepcopy(seed_doc())
    change(doc)
    return load(doc)


def _section(doc: Doc, section_id: str):
    return next(s for s in doc.sections if s.id == section_id)


def _example(doc: Doc) -> None:
    """A word edit, a removed list item, a moved paragraph, a moved and a renamed section."""
    ansvar = _section(doc, "ansvar-och-genomforande")
    ansvar.blocks[0] = ansvar.blocks[0].replace("samordnar", "leder")
    del _section(doc, "sociala-foretag").blocks[1][3]
    ansvar.blocks.append(doc.sections[0].blocks.pop(3))
    moved = _section(doc, "malsattning")
    doc.sections.remove(moved)
    doc.sections.append(moved)
    _section(doc, "utgangspunkter").title = "Våra utgångspunkter"


def _lines(text: str) -> list[str]:
    """Text lines, whitespace squashed, list markers and empty lines dropped.

    pandoc's DOCX reader keeps an empty list item (also nested: "- - ") where a list paragraph's
    text and mark are both deleted (Word removes the paragraph), and numbers ordered lists itself.
    """
    out = []
    for line in text.splitlines():
        line = LIST_MARKER.sub("", " ".join(line.split()))
        if line:
            out.append(line)
    return out


# --- DOCX ----------------------------------------------------------------------------------

def docx_lines(docx: bytes, track_changes: str) -> list[str]:
    return _lines(pandoc.read_docx(docx, track_changes))


@cache
def plain_docx_lines(text: str) -> list[str]:
    """The text of the policy's plain DOCX, built like the redline (title area and body)."""
    policy = load_text(text)
    presented = view(policy)
    return docx_lines(render_docx(title_blocks(presented) + body_blocks(policy), presented, TEMPLATES), "accept")


@cache
def load_text(text: str) -> Policy:
    return source.load(Path("social-ekonomi.md"), data=text.encode("utf-8"))


def document_xml(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read("word/document.xml"))


# --- HTML ----------------------------------------------------------------------------------

def html_lines(root: lxml.html.HtmlElement, drop: str) -> list[str]:
    """The text of an HTML tree without `drop` elements (xpath), one line per block."""
    root = copy.deepcopy(root)
    for element in root.xpath(drop):
        element.drop_tree()  # keeps the tail: text after the element stays
    for element in root.iter():
        if element.tag in BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _lines(root.text_content())


def redline_article(html: bytes) -> lxml.html.HtmlElement:
    """The document part of the redline page: its article without summary and change links."""
    [article] = lxml.html.fromstring(html).xpath("//article")
    for element in article.xpath(".//*[contains(@class, 'summary') or contains(@class, 'change-nav')]"):
        element.drop_tree()
    return article


@cache
def plain_html_lines(text: str) -> list[str]:
    policy = load_text(text)
    fragment = body_html(title_blocks(view(policy)) + body_blocks(policy))
    return html_lines(lxml.html.fragment_fromstring(fragment, create_parent="div"), "//nothing")


# --- the invariants ------------------------------------------------------------------------

def document_lines(docx: bytes, track_changes: str, first: str = "Policy") -> list[str]:
    """The redline DOCX's text from its `first` line (the document type) on, after the summary
    page it opens with (which no change touches)."""
    lines = docx_lines(docx, track_changes)
    assert lines[0] == "Sammanfattning av ändringar", "the DOCX opens with the summary"
    return lines[lines.index(first):]


def check_invariants(old: Policy, new: Policy) -> dict[str, bytes]:
    redline = render_redline(old, new, TEMPLATES, files=("redline.docx", "redline.html"))
    files = redline.files
    if not redline.changed:  # an edit that changed nothing (a word replaced by itself …)
        assert files == {} and plain_docx_lines(old.source) == plain_docx_lines(new.source)
        return files
    docx, html = files["redline.docx"], files["redline.html"]
    new_lines, old_lines = plain_docx_lines(new.source), plain_docx_lines(old.source)
    assert document_lines(docx, "accept", new_lines[0]) == new_lines, "DOCX: accepting every change gives the new text"
    assert document_lines(docx, "reject", new_lines[0]) == old_lines, "DOCX: rejecting every change gives the old text"
    article = redline_article(html)
    assert html_lines(article, "//del") == plain_html_lines(new.source), "HTML: without <del>, the new text"
    assert html_lines(article, "//ins") == plain_html_lines(old.source), "HTML: without <ins>, the old text"
    return files


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_accepting_gives_the_new_text_and_rejecting_the_old(data: st.DataObject) -> None:
    doc, edits = edited(data.draw, max_edits=data.draw(st.sampled_from([3, 8, 30]), label="max edits"))
    old, new = OLD, load(doc)
    if data.draw(st.booleans(), label="reversed"):
        old, new = new, old
    check_invariants(old, new)


def test_invariants_hold_for_an_example_with_every_kind_of_change() -> None:
    check_invariants(OLD, _edit(_example))


RICH = """\
---
title: Riktlinje för *test* av formatering
type: riktlinje
owner: kommunfullmäktige
review: none
status: adopted
decisions:
  - action: fastställd
    body: kommunfullmäktige
    date: 2020-01-01
    paragraph: 1
---

Inledning med *kursiv text*, **fet text** och en [länk](https://www.timra.se) samt `kod`.

## Regler {#regler}

1. Första regeln gäller alla.
2. Andra regeln med **fetstil** i mitten.
3. Tredje regeln.

> Ett citat som står för sig
> över två rader.

| Kolumn A | Kolumn B |
|----------|----------|
| ett      | två      |

- punkt ett
  - underpunkt a
  - underpunkt b
- punkt två

## Slut {#slut}

Sista stycket. Med två meningar.
"""
RICH_EDITS = {
    "formatting": [("*kursiv text*", "*lutande text*"), ("med **fetstil** i mitten", "med fetstil i **mitten**")],
    "ordered list": [("2. Andra regeln med **fetstil** i mitten.\n3. Tredje", "2. Ny regel.\n3. Andra regeln.\n4. Tredje")],
    "quote and table cell": [("över två rader", "över tre rader"), ("| ett      | två      |", "| ett      | tre      |")],
    "table shape": [("| ett      | två      |", "| ett      | två      |\n| tre      | fyra     |")],
    "nested list": [("  - underpunkt b", "  - underpunkt c\n  - underpunkt d"), ("- punkt två", "- punkt två\n  - ny underpunkt")],
    "title": [("title: Riktlinje för *test*", "title: Riktlinje för *prov*")],
}


@pytest.mark.parametrize("edits", RICH_EDITS.values(), ids=RICH_EDITS.keys())
def test_invariants_hold_for_formatting_tables_quotes_and_nested_lists(edits: list[tuple[str, str]]) -> None:
    new = RICH
    for before, after in edits:
        assert before in new
        new = new.replace(before, after)
    old_policy, new_policy = load_text(RICH), load_text(new)
    if edits is not RICH_EDITS["table shape"]:  # pandoc's reader ignores tracked table rows (Word does not)
        check_invariants(old_policy, new_policy)
        check_invariants(new_policy, old_policy)
    docx = render_redline(old_policy, new_policy, TEMPLATES, files=("redline.docx",)).files["redline.docx"]
    root = document_xml(docx)
    for tag in ("ins", "del"):  # every paragraph mark tracked is in a paragraph tracked as a whole
        for mark in root.iterfind(f".//w:pPr/w:rPr/w:{tag}", NS):
            paragraph = mark.getparent().getparent().getparent()
            runs = paragraph.findall("w:r", NS) + paragraph.findall("w:hyperlink", NS)
            assert not [r for r in runs if "".join(r.itertext()).strip()], "no untracked text in it"


# --- DOCX details --------------------------------------------------------------------------

def test_unchanged_pair_renders_nothing() -> None:
    redline = render_redline(OLD, load(seed_doc()), TEMPLATES)
    assert not redline.changed and redline.files == {}
    assert redline.summary.totals == "Inga ändringar."


def test_whole_paragraphs_have_their_marks_tracked() -> None:
    def change(doc: Doc) -> None:
        doc.sections[0].blocks.insert(1, "Ett helt nytt stycke.")
        del _section(doc, "utgangspunkter").blocks[0]

    docx = render_redline(OLD, _edit(change), TEMPLATES, author="Kommunledningskontoret").files["redline.docx"]
    root = document_xml(docx)
    [inserted] = [p for p in root.iter(f"{{{W}}}p") if "".join(p.itertext()) == "Ett helt nytt stycke."]
    mark = inserted.find("w:pPr/w:rPr/w:ins", NS)
    assert mark is not None and mark.get(f"{{{W}}}author") == "Kommunledningskontoret"
    assert mark.get(f"{{{W}}}date") == f"{dt.datetime.now(dt.timezone.utc).date()}T00:00:00Z", \
        "changes between files are dated today, never by the previous decision"
    [deleted] = [p for p in root.iter(f"{{{W}}}p") if "Utgångspunkter i arbetet" in "".join(p.itertext())]
    assert deleted.find("w:pPr/w:rPr/w:del", NS) is not None
    assert deleted.findall("w:del/w:r/w:delText", NS)
    changed = [p for p in root.iter(f"{{{W}}}p") if p.find("w:pPr/w:rPr/w:ins", NS) is not None
               or p.find("w:pPr/w:rPr/w:del", NS) is not None]
    assert len(changed) == 2, "paragraphs edited inside keep their marks"
    ids = [e.get(f"{{{W}}}id") for e in root.iter(f"{{{W}}}ins", f"{{{W}}}del", f"{{{W}}}bookmarkStart")]
    assert len(ids) == len(set(ids)), "every tracked change and bookmark has its own id"
    assert not [b for b in root.iter(f"{{{W}}}bookmarkStart") if b.get(f"{{{W}}}name", "").startswith("styrdok-mark")]


def test_a_one_word_edit_is_one_tracked_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1520294400")  # 2018-03-06
    def change(doc: Doc) -> None:
        section = _section(doc, "ansvar-och-genomforande")
        section.blocks[0] = section.blocks[0].replace("samordnar", "leder")

    new = _edit(change)
    first = render_redline(OLD, new, TEMPLATES, files=("redline.docx",)).files["redline.docx"]
    root = document_xml(first)
    assert ["".join(e.itertext()) for e in root.iter(f"{{{W}}}ins", f"{{{W}}}del")] == ["samordnar", "leder"]
    assert {e.get(f"{{{W}}}author") for e in root.iter(f"{{{W}}}ins")} == {"Kommunstyrelsen"}
    assert {e.get(f"{{{W}}}date") for e in root.iter(f"{{{W}}}ins")} == {"2018-03-06T00:00:00Z"}
    assert render_redline(OLD, new, TEMPLATES, files=("redline.docx",)).files["redline.docx"] == first, "reproducible"


# --- HTML details --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("redline")
    write_redline(OLD, _edit(_example), out, TEMPLATES, labels=("versionen i HEAD", "arbetskopian"))
    return {p.name: p for p in out.iterdir()}


def test_html_is_one_page_with_one_h1_headings_in_order_and_linked_changes(example_files: dict[str, Path]) -> None:
    root = lxml.html.fromstring(example_files["redline.html"].read_bytes())
    assert root.get("lang") == "sv"
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    ids = set(root.xpath("//@id"))
    changes = root.xpath("//*[contains(concat(' ', @class, ' '), ' change ')]/@id")
    assert changes == [f"andring-{n}" for n in range(1, len(changes) + 1)] and len(changes) >= 5
    targets = [a.get("href")[1:] for a in root.xpath("//a[starts-with(@href, '#')]")]
    assert set(targets) <= ids, "every link leads somewhere"
    assert {f"andring-{n}" for n in range(2, len(changes) + 1)} <= set(targets), "each change links to the next"
    moved_from = root.xpath("//*[contains(concat(' ', @class, ' '), ' change ') and contains(@class, 'moved-from')]")
    assert moved_from and all(d.xpath(".//del[@class='moved-from']") for d in moved_from)
    nav = moved_from[0].getnext()
    assert "Flyttat till" in nav.text_content()


def test_screen_reader_labels_come_from_css_not_from_the_text(example_files: dict[str, Path]) -> None:
    from styrdok.templates import Templates
    css = Templates(None).render("styrdok.css")  # the labels come from labels.sv.yaml
    for label in ("Infogat:", "Borttaget:", "Flyttat hit:", "Flyttat härifrån:"):
        assert label in css
        assert label not in "".join(redline_article(example_files["redline.html"].read_bytes()).itertext())


def test_html_passes_axe(example_files: dict[str, Path]) -> None:
    require_chromium()
    violations = axe_violations(example_files["redline.html"])
    assert not violations, format_violations(violations)


# --- summary, changes.md and PDF -----------------------------------------------------------

def test_changes_md_summarises_each_section_in_swedish(example_files: dict[str, Path]) -> None:
    text = example_files["changes.md"].read_text("utf-8")
    assert text.startswith("# Ändringar i Policy för den sociala ekonomin")
    assert "Jämförelse mellan versionen i HEAD och arbetskopian." in text
    assert ("**Sammanfattning:** 3 ändrade avsnitt, 1 flyttat avsnitt och 1 avsnitt har fått ny rubrik; "
            "3 ord infogade och 24 ord borttagna.") in text
    assert "- **Inledande text:** 1 stycke har flyttats till ”Ansvar och genomförande”." in text
    assert "- **Begreppsdefinitioner › Sociala företag:** 1 borttagen listpunkt (22 ord borttagna)." in text
    assert "- **Våra utgångspunkter:** Rubriken har ändrats från ”Utgångspunkter” till ”Våra utgångspunkter”." in text
    assert "- **Målsättning:** Avsnittet har flyttats." in text
    assert ("- **Ansvar och genomförande:** 1 ändrat stycke och 1 stycke har flyttats hit från ”Inledande text” "
            "(1 ord infogat och 1 ord borttaget).") in text


def test_pdf_starts_with_a_summary_page_and_marks_the_text(example_files: dict[str, Path]) -> None:
    reader = PdfReader(example_files["redline.pdf"])
    first = reader.pages[0].extract_text()
    assert "Sammanfattning av ändringar" in first and "Teckenförklaring" in first
    assert "Denna policy anger" not in first, "the text starts on a page of its own"
    rest = " ".join(page.extract_text() for page in reader.pages[1:])
    assert "samordnar" in rest and "leder" in rest, "deleted and inserted words are both printed"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == OLD.meta.title, "the title is the first heading (PDF/UA)"


# --- the command ---------------------------------------------------------------------------

def _run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args)


def test_cli_two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "old.md").write_text(seed_doc().markdown(), "utf-8")  # any name: the id is in the front matter
    (tmp_path / "new.md").write_text(copy.deepcopy(seed_doc()).markdown().replace("Arbetsmarknadsenheten samordnar",
                                                                                 "Arbetsmarknadsenheten leder"), "utf-8")
    result = _run(["diff", "old.md", "new.md"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "Ansvar och genomförande: 1 ändrat stycke (1 ord infogat och 1 ord borttaget)." in result.output
    assert sorted(p.name for p in (tmp_path / "build" / "redline").iterdir()) == [
        "changes.md", "redline.docx", "redline.html", "redline.pdf"]
    assert "Jämförelse mellan förslaget (old.md) och förslaget (new.md)." in result.output
    same = _run(["diff", "old.md", "old.md", "--out", "same"], tmp_path, monkeypatch)
    assert same.exit_code == 0 and "Inga ändringar." in same.output
    assert "No changes: nothing written." in same.output and not (tmp_path / "same").exists()
    missing = _run(["diff", "old.md", "nope.md"], tmp_path, monkeypatch)
    assert missing.exit_code == 2 and "cannot read nope.md" in missing.output


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.se", *args], cwd=repo,
                   check=True, capture_output=True)


def test_cli_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = tmp_path / "policy" / "social-ekonomi.md"
    policy.parent.mkdir()
    shutil.copy(SEED, policy)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "fastställd 2015")
    _git(tmp_path, "tag", "v2015")
    policy.write_text(SEED.read_text("utf-8").replace("## Målsättning {#malsattning}", "## Mål {#malsattning}"), "utf-8")
    _git(tmp_path, "commit", "-qam", "ny rubrik")

    clean = _run(["diff", "social-ekonomi"], tmp_path, monkeypatch)  # HEAD against an unchanged working tree
    assert clean.exit_code == 0, clean.output
    assert not (tmp_path / "build").exists(), "no changes: nothing written"
    result = _run(["diff", "social-ekonomi", "--from", "v2015", "--to", "HEAD", "--out", "out"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    compared = re.search(r"Jämförelse mellan (.*) och (.*)\.\n", result.output)
    assert compared and compared[1] != compared[2], "two drafts of one day are named apart"
    assert compared[1].startswith("förslaget (") and "det tidigare" in compared[1] and "det senare" in compared[2]
    assert "Mål: Rubriken har ändrats från ”Målsättning” till ”Mål”." in result.output
    docx = (tmp_path / "out" / "redline.docx").read_bytes()
    assert document_lines(docx, "reject") == plain_docx_lines(SEED.read_text("utf-8"))
    committed = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=tmp_path, capture_output=True, text=True).stdout
    stamp = dt.datetime.fromtimestamp(int(committed), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert {e.get(f"{{{W}}}date") for e in document_xml(docx).iter(f"{{{W}}}ins", f"{{{W}}}del")} == {stamp}, \
        "the changes are dated by the commit of --to"
    unknown = _run(["diff", "social-ekonomi", "--from", "v1999"], tmp_path, monkeypatch)
    assert unknown.exit_code == 2 and "'v1999'" in unknown.output
    both = _run(["diff", "a.md", "b.md", "--from", "HEAD"], tmp_path, monkeypatch)
    assert both.exit_code == 2


def test_diff_defaults_to_the_last_adopted_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gitrepo import REL, adopt_2018, commit, init

    repo = init(tmp_path / "repo")
    adopt_2018(repo)
    policy = repo / REL
    policy.write_text(policy.read_text("utf-8").replace("samordnar verksamheten", "leder verksamheten"), "utf-8")
    commit(repo, "utkast: Arbetsmarknadsenheten leder")  # HEAD moves past the adopted version
    result = _run(["diff", "social-ekonomi"], repo, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "Jämförelse mellan gällande version (KS 2018-03-06, § 64) och förslaget (arbetskopia)." in result.output
    changes = (repo / "build" / "social-ekonomi" / "redline" / "changes.md").read_text("utf-8")
    assert "Ansvar och genomförande" in changes
    assert not re.search(r"\b[0-9a-f]{7,40}\b", changes), "no commit ids in changes.md"
    by_date = _run(["diff", "social-ekonomi", "--from", "2018-03-06", "--out", "by-date"], repo, monkeypatch)
    assert by_date.exit_code == 1 and (repo / "by-date" / "changes.md").read_text("utf-8") == changes
    no_such = _run(["diff", "social-ekonomi", "--from", "2018-03-07"], repo, monkeypatch)
    assert no_such.exit_code == 2 and "2018-03-06" in no_such.output, "the error names the decisions there are"


def test_cli_help_documents_both_forms_and_the_exit_codes() -> None:
    text = CliRunner().invoke(main, ["diff", "--help"]).output
    assert "OLD.md NEW.md" in text and "--from" in text and "--author" in text
    assert "0 no changes, 1 changes, 2 error" in text


# --- LibreOffice (optional) ----------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_docx_and_shows_the_changes(example_files: dict[str, Path], tmp_path: Path) -> None:
    script = ROOT / "scripts" / "check-redline-libreoffice.sh"
    done = subprocess.run([str(script), str(example_files["redline.docx"]), str(tmp_path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(done.stdout.strip()).pages)
    assert "samordnar" in text and "leder" in text, "both the deleted and the inserted word are shown"


# --- moved and edited (issue 13) -----------------------------------------------------------

from seed_edits import MOVES_AND_EDITS  # noqa: E402

MOVE_TAGS = ("moveFrom", "moveTo")


def check_move_marks(docx: bytes) -> int:
    """Word's move marks are well formed: every w:moveFrom/w:moveTo (runs and paragraph marks)
    inside a range pair of its kind, ranges paired by id and by name, from and to alike; ids
    unique; no w:delText inside w:moveFrom. Returns the number of moves."""
    root = document_xml(docx)
    ids = [e.get(f"{{{W}}}id") for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] in
           ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart", "bookmarkStart")]
    assert len(ids) == len(set(ids)), "every revision, range and bookmark id is unique"
    names: dict[str, set[str]] = {}
    for tag in MOVE_TAGS:
        open_ranges: dict[str, str] = {}
        for element in root.iter(f"{{{W}}}{tag}RangeStart", f"{{{W}}}{tag}RangeEnd", f"{{{W}}}{tag}"):
            kind = element.tag.rsplit("}", 1)[-1]
            if kind.endswith("RangeStart"):
                assert element.get(f"{{{W}}}author") and element.get(f"{{{W}}}date")
                open_ranges[element.get(f"{{{W}}}id")] = element.get(f"{{{W}}}name")
                names.setdefault(element.get(f"{{{W}}}name"), set()).add(tag)
            elif kind.endswith("RangeEnd"):
                assert open_ranges.pop(element.get(f"{{{W}}}id"), None) is not None, "an end closes an open range"
            else:
                assert open_ranges, f"w:{tag} inside its range"
        assert not open_ranges, "every range is closed"
    assert all(kinds == set(MOVE_TAGS) for kinds in names.values()), "each move name has both halves"
    assert not root.findall(".//w:moveFrom//w:delText", NS)
    return len(names)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_moved_and_edited_text_keeps_the_invariants_and_word_moves(data: st.DataObject) -> None:
    doc = copy.deepcopy(seed_doc())
    for edit in data.draw(st.lists(st.sampled_from(MOVES_AND_EDITS), min_size=1, max_size=3), label="edits"):
        edit(doc, data.draw)
    files = check_invariants(OLD, load(doc))
    if files:
        check_move_marks(files["redline.docx"])


def _move_and_reword(doc: Doc) -> None:
    paragraph = doc.sections[0].blocks.pop(3)
    _section(doc, "ansvar-och-genomforande").blocks.append(paragraph.replace("nyskapande", "nya"))
    moved = _section(doc, "malsattning")
    doc.sections.remove(moved)
    doc.sections.append(moved)
    moved.blocks[1][0] = moved.blocks[1][0].replace("positivt", "nyfiket")
    del moved.blocks[1][2]


def test_edits_inside_moved_text_are_marked_word_by_word() -> None:
    new = _edit(_move_and_reword)
    files = {**render_redline(OLD, new, TEMPLATES, files=("changes.md",)).files, **check_invariants(OLD, new)}
    root = lxml.html.fromstring(files["redline.html"])
    [moved_paragraph] = [i for i in root.xpath("//ins[@class='moved-to']") if "entreprenörskap" in i.text_content()]
    assert [e.text_content() for e in moved_paragraph.xpath(".//del")] == ["nyskapande"]
    assert [e.text_content() for e in moved_paragraph.xpath(".//ins")] == ["nya"]
    inner = root.xpath("//ins[@class='moved-to']//del")
    assert "positivt" in [e.text_content() for e in inner]
    assert any(e.text_content().startswith("samverka på lokal") for e in inner), "the deleted item is marked"
    changes = files["changes.md"].decode()
    assert ("- **Ansvar och genomförande:** 1 stycke har flyttats hit från ”Inledande text” och ändrats "
            "(1 ord infogat och 1 ord borttaget).") in changes
    assert "- **Målsättning:** Avsnittet har flyttats och ändrats: 1 ändrad listpunkt och 1 borttagen listpunkt" in changes

    xml = document_xml(files["redline.docx"])
    assert check_move_marks(files["redline.docx"]) == 2
    assert ["".join(e.itertext()) for e in xml.iterfind(".//w:ins", NS)] == ["nya", "nyfiket"]
    assert "nyskapande" in ["".join(e.itertext()) for e in xml.iterfind(".//w:del", NS)], \
        "a word deleted from moved text is deleted where it stood"
    assert all(e.getparent().tag == f"{{{W}}}p" for e in xml.iterfind(".//w:ins", NS)), "inserted words stand beside the move"


def test_a_reworded_list_item_is_a_word_change_inside_it() -> None:
    new = RICH.replace("2. Andra regeln med **fetstil** i mitten.", "2. En helt annan formulering av punkten.")
    html = render_redline(load_text(RICH), load_text(new), TEMPLATES, files=("redline.html",)).files["redline.html"]
    [ol] = lxml.html.fromstring(html).xpath("//article//ol")
    assert len(ol.xpath("./li")) == 3, "no item deleted and another inserted"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_move(tmp_path: Path) -> None:
    docx = tmp_path / "redline.docx"
    docx.write_bytes(render_redline(OLD, _edit(_move_and_reword), TEMPLATES, files=("redline.docx",)).files["redline.docx"])
    script = ROOT / "scripts" / "check-redline-libreoffice.sh"
    done = subprocess.run([str(script), str(docx), str(tmp_path)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(done.stdout.strip()).pages)
    assert text.count("Socialt entreprenörskap innebär") == 2, "both places of the moved paragraph are shown"
    assert "nyskapande" in text and "nya idéer" in text
