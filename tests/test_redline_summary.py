"""The change summary every redline opens with: the same in the DOCX, the PDF, the HTML and
changes.md; its words from the labels (templates/labels.sv.yaml, overridable by the
repository); versions named so two drafts of one day read apart."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from seed_edits import load
from styrdok import pandoc
from styrdok.redline import render_redline
from styrdok.redline.names import Origin, Version, version_names
from styrdok.templates import Templates
from test_redline import OLD, _edit, _example

TEMPLATES = Templates(None)


def _words(text: str) -> str:
    return " ".join(text.split())


def summary_lines(files: dict[str, bytes]) -> dict[str, list[str]]:
    """The summary's sentences as each output shows them: the DOCX up to the page break (pandoc's
    reader), the PDF's first page (pdftotext), the HTML's summary section."""
    docx = [_words(line).removeprefix("– ") for line in pandoc.read_docx(files["redline.docx"]).split("\n\n")]
    docx = [line for line in docx[:docx.index("Policy")] if line] if "Policy" in docx else docx
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    pdf_text = subprocess.run(["pdftotext", "-l", "1", "-", "-"], input=files["redline.pdf"], capture_output=True,
                              check=True).stdout.decode("utf-8")
    [section] = lxml.html.fromstring(files["redline.html"]).xpath("//section[contains(@class, 'summary')]")
    html = [_words(e.text_content()) for e in section.iter("h2", "h3", "p", "li")]
    return {"docx": docx, "pdf": [_words(pdf_text)], "html": html}


@pytest.fixture(scope="module")
def example() -> dict[str, bytes]:
    return render_redline(OLD, _edit(_example), TEMPLATES, labels=("gällande version", "förslaget")).files


def test_the_docx_opens_with_the_summary_the_pdf_and_html_show(example: dict[str, bytes]) -> None:
    shown = summary_lines(example)
    summary = render_redline(OLD, _edit(_example), TEMPLATES, labels=("gällande version", "förslaget"),
                             files=("changes.md",)).summary
    expected = [summary.compared, summary.totals, *summary.document,
                *(f"{s.where}: {s.text}" for s in summary.sections)]
    assert all(line in shown["docx"] for line in expected), shown["docx"]
    assert all(line in shown["html"] for line in expected), shown["html"]
    assert all(_words(line) in shown["pdf"][0] for line in expected), shown["pdf"]
    assert shown["docx"][0] == "Sammanfattning av ändringar" and shown["html"][0] == "Sammanfattning av ändringar"


def test_a_label_overridden_by_the_repository_changes_every_redline_file(tmp_path: Path) -> None:
    (tmp_path / "labels.sv.yaml").write_text(
        "redline:\n  renamed: \"Ny rubrik: {new} (förut {old}).\"\n  summary: Ändringarna i korthet\n"
        "  back_to_summary: Upp till sammanfattningen\n  legend: Så läser du markeringarna\n", "utf-8")
    files = render_redline(OLD, _edit(_example), Templates(tmp_path), labels=("a", "b")).files
    wanted = "Ny rubrik: ”Våra utgångspunkter” (förut ”Utgångspunkter”)."
    shown = summary_lines(files)
    assert any(wanted in line for line in shown["docx"]) and shown["docx"][0] == "Ändringarna i korthet"
    assert any(wanted in line for line in shown["html"]) and shown["html"][0] == "Ändringarna i korthet"
    assert wanted in shown["pdf"][0] and "Ändringarna i korthet" in shown["pdf"][0]
    assert wanted in files["changes.md"].decode("utf-8")
    assert "Rubriken har ändrats" not in files["changes.md"].decode("utf-8")
    assert "Upp till sammanfattningen" in lxml.html.fromstring(files["redline.html"]).text_content()
    assert "Så läser du markeringarna:" in shown["pdf"][0]


def _draft(hour: int, minute: int) -> Version:
    when = dt.datetime(2026, 11, 24, hour, minute, tzinfo=dt.timezone.utc).astimezone()
    return Version(OLD, Origin.COMMIT, when=when)


def test_two_drafts_of_one_day_are_told_apart() -> None:
    morning, afternoon = _draft(9, 15), _draft(13, 40)
    older, newer = version_names(morning, afternoon)
    assert older != newer and older.startswith("förslaget (2026-11-24 kl. ") and newer.startswith("förslaget (2026-11-24 kl. ")
    same = version_names(morning, _draft(9, 15))
    assert same[0] != same[1] and "det tidigare" in same[0] and "det senare" in same[1]
    assert version_names(_draft(9, 15), Version(OLD, Origin.COMMIT, when=dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.timezone.utc))) \
        == ("förslaget (2026-11-24)", "förslaget (2026-11-25)"), "other days: the date is enough"


def test_two_files_of_one_name_are_named_by_their_paths() -> None:
    older = Version(OLD, Origin.FILE, file="2015/social-ekonomi.md")
    newer = Version(OLD, Origin.FILE, file="forslag/social-ekonomi.md")
    assert version_names(older, newer) == ("förslaget (2015/social-ekonomi.md)", "förslaget (forslag/social-ekonomi.md)")
    assert version_names(Version(OLD, Origin.FILE, file="a/old.md"), newer)[0] == "förslaget (old.md)"


def test_two_copies_of_one_adopted_version_are_named_by_their_files(tmp_path: Path) -> None:
    """An adopted file and an edited copy whose front matter still says adopted would both read
    "versionen antagen (KS 2018-03-06, § 64)": each is named with its file, in every output."""
    from conftest import ROOT
    from styrdok.compare import redline_files

    adopted = (ROOT / "policy" / "social-ekonomi.md").read_text("utf-8")
    (tmp_path / "gammal.md").write_text(adopted, "utf-8")
    (tmp_path / "ny.md").write_text(adopted.replace("samverkan", "samarbete", 1), "utf-8")
    redline = redline_files(tmp_path / "gammal.md", tmp_path / "ny.md", out=tmp_path / "out")
    names = ("versionen antagen (KS 2018-03-06, § 64) i filen gammal.md",
             "versionen antagen (KS 2018-03-06, § 64) i filen ny.md")
    shown = {"changes.md": redline.files["changes.md"].decode("utf-8"),
             "redline.html": " ".join(lxml.html.fromstring(redline.files["redline.html"]).text_content().split()),
             "redline.docx": " ".join(pandoc.read_docx(redline.files["redline.docx"]).split())}
    for output, text in shown.items():
        assert all(name in text for name in names), (output, text[:400])
    same_path = version_names(Version(OLD, Origin.FILE, file="a/x.md"), Version(OLD, Origin.FILE, file="b/x.md"))
    assert same_path == ("förslaget (a/x.md)", "förslaget (b/x.md)")
