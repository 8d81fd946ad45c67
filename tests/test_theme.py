"""theme.yaml and labels.sv.yaml: one overridable place for the look and the words of every output."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import SEED_POLICY, adopted, run_sv
from styrdok import build, pandoc
from styrdok.templates import Templates
from styrdok.theme import LabelError
from styrdok.workspace import Workspace


def _repo(tmp_path: Path, labels: str = "", theme: str = "") -> Path:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "social-ekonomi.md").write_text(adopted(SEED_POLICY.read_text("utf-8")), "utf-8")
    (tmp_path / "templates").mkdir()
    if labels:
        (tmp_path / "templates" / "labels.sv.yaml").write_text(labels, "utf-8")
    if theme:
        (tmp_path / "templates" / "theme.yaml").write_text(theme, "utf-8")
    return tmp_path


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_one_changed_label_shows_in_docx_pdf_and_html(tmp_path: Path) -> None:
    repo = _repo(tmp_path, labels="control:\n  owner: Ansvarig nämnd för dokumentet\n")
    report = build.build(Workspace(repo), final=True, jobs=1)
    assert report.ok, [str(p) for r in report.results for p in r.problems]
    out = repo / "build" / "social-ekonomi"
    word = pandoc.read_docx((out / "social-ekonomi.docx").read_bytes())
    html = (out / "social-ekonomi.html").read_text("utf-8")
    pdf = _pdf_text((out / "social-ekonomi.pdf").read_bytes())
    for text in (word, html, pdf):
        assert "Ansvarig nämnd för dokumentet" in text
        assert "Dokumentägare" not in text


def test_an_unknown_override_key_is_an_error_naming_file_line_and_key(tmp_path: Path) -> None:
    repo = _repo(tmp_path, labels="control:\n  heading: Om dokumentet\n  ownr: Ägare\n")
    with pytest.raises(LabelError) as caught:
        Workspace(repo).templates.labels
    message = str(caught.value)
    assert "templates/labels.sv.yaml:3: error: unknown key 'control.ownr'" in message


def test_a_placeholder_the_default_does_not_offer_is_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, labels='remiss:\n  reply_by: "svar senast {datum}"\n')
    with pytest.raises(LabelError, match=r"labels.sv.yaml:2: error: 'remiss.reply_by' uses \{datum\}"):
        Workspace(repo).templates.labels


def test_a_missing_label_is_an_error_naming_the_key() -> None:
    labels = Templates(None).labels
    with pytest.raises(LabelError, match="label 'control.nonexistent' is not defined"):
        labels("control.nonexistent")
    assert labels("remiss.reply_by", date="5 januari 2027") == "svar senast 5 januari 2027"


def test_theme_fonts_and_palette_reach_every_format(tmp_path: Path) -> None:
    repo = _repo(tmp_path, theme='palette:\n  accent: "#7a1f4e"\nlogo:\n  file: null\n')
    report = build.build(Workspace(repo), final=True, jobs=1)
    assert report.ok
    out = repo / "build" / "social-ekonomi"
    document = docx.Document(io.BytesIO((out / "social-ekonomi.docx").read_bytes()))
    assert str(document.styles["Heading 2"].font.color.rgb) == "7A1F4E"
    assert document.styles["Normal"].font.name == "Source Sans Pro"
    html = (out / "social-ekonomi.html").read_text("utf-8")
    assert "--accent: #7a1f4e" in html and '"Source Sans Pro"' in html and "<img" not in html
    assert not [p for p in document.sections[0].first_page_header.paragraphs if p._p.xpath(".//pic:pic")]


def test_a_bad_theme_lists_every_problem(tmp_path: Path) -> None:
    repo = _repo(tmp_path, theme='palette:\n  accent: blue\nlogo:\n  file: saknas.svg\n')
    with pytest.raises(LabelError) as caught:
        Workspace(repo).templates.theme
    message = str(caught.value)
    assert "'palette.accent': 'blue' is not a colour" in message
    assert "the logo saknas.svg is not in templates/" in message


def test_the_logo_has_alt_text_in_the_docx_and_html(tmp_path: Path) -> None:
    repo = _repo(tmp_path, theme="logo:\n  alt: Timrå kommuns logotyp\n")
    assert build.build(Workspace(repo), final=True, jobs=1).ok
    out = repo / "build" / "social-ekonomi"
    document = docx.Document(io.BytesIO((out / "social-ekonomi.docx").read_bytes()))
    header = document.sections[0].first_page_header._element
    assert header.xpath(".//wp:docPr/@descr") == ["Timrå kommuns logotyp"]
    assert 'alt="Timrå kommuns logotyp"' in (out / "social-ekonomi.html").read_text("utf-8")



def test_check_reports_a_broken_labels_override_with_file_and_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, labels="control:\n  heading: Om dokumentet\n  ownr: Ägare\n")
    done = run_sv(["check"], repo)
    assert done.returncode == 1
    assert "templates/labels.sv.yaml:3: fel: okänd nyckel 'control.ownr'" in done.stderr
    assert "åtgärd: se nycklarna i den medföljande labels.sv.yaml" in done.stderr
