"""styrdok import FILE --into ID: styrdok's own DOCX kinds unedited change nothing; comments go
to the report; heading ids survive lost bookmarks; BOM and line endings are kept."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import SEED_POLICY, adopted
from docx_edit import read_parts, write_parts
from styrdok import source
from styrdok.consult import remiss_of
from styrdok.cli import main
from styrdok.importer.into import into
from styrdok.redline import render_redline
from styrdok.render.docx import render_docx
from styrdok.render.document import body_blocks, presentation, title_blocks
from styrdok.consult.package import version_blocks, version_view
from styrdok.workspace import Workspace

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "policy").mkdir()
    shutil.copy(SEED_POLICY, tmp_path / "policy")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def draft_docx(policy) -> bytes:
    templates = Workspace(SEED_POLICY.parent).templates
    view = presentation(policy, final=False, labels=templates.labels, theme=templates.theme)
    return render_docx(title_blocks(view) + body_blocks(policy), view, templates)


def remiss_docx(policy) -> bytes:
    templates = Workspace(SEED_POLICY.parent).templates
    remiss = remiss_of(policy, templates, deadline=dt.date(2027, 2, 15), bodies=("Kommunens nämnder",),
                       dnr="KS 2026/45", issued=dt.date(2026, 12, 1), stamp=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    view = version_view(remiss)
    return render_docx(title_blocks(view) + version_blocks(remiss), view, templates)


def test_unedited_draft_remissversion_and_redline_change_nothing(repo: Path) -> None:
    policy = source.load(SEED_POLICY)
    earlier = source.load(Path("social-ekonomi.md"), data=SEED_POLICY.read_text("utf-8").replace(
        "Denna policy anger", "Policyn anger").encode())
    redline = render_redline(earlier, policy, Workspace(repo).templates, files=["redline.docx"]).files["redline.docx"]
    for name, data in (("draft", draft_docx(policy)), ("remiss", remiss_docx(policy)), ("redline", redline)):
        (repo / f"{name}.docx").write_bytes(data)
        report, text = into(Workspace(repo), repo / f"{name}.docx", "social-ekonomi")
        assert text is None and report.unchanged, name
    # the redline's tracked changes rejected: the earlier text
    _, text = into(Workspace(repo), repo / "redline.docx", "social-ekonomi", changes="reject")
    assert text is not None and b"Policyn anger Timr\xc3\xa5" in text and b"Denna policy anger" not in text


def _with_comment_and_edit(data: bytes) -> bytes:
    document = docx.Document(io.BytesIO(data))
    target = next(p for p in document.paragraphs if p.text.startswith("Socialt entreprenörskap innebär"))
    document.add_comment(target.runs, text="Behövs definitionen?", author="Per Persson", initials="PP")
    heading = next(p for p in document.paragraphs if p.text == "Utgångspunkter")
    heading.runs[0].text = "Utgångspunkter för arbetet"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_comments_are_reported_not_imported_and_edited_headings_keep_their_ids(repo: Path) -> None:
    (repo / "svar.docx").write_bytes(_with_comment_and_edit(draft_docx(source.load(SEED_POLICY))))
    result = CliRunner().invoke(main, ["import", "svar.docx", "--into", "social-ekonomi"])
    assert result.exit_code == 0, result.output
    text = (repo / "policy" / "social-ekonomi.md").read_text("utf-8")
    assert "## Utgångspunkter för arbetet {#utgangspunkter}" in text and "Behövs definitionen" not in text
    before = SEED_POLICY.read_text("utf-8")
    assert text.replace(" för arbetet", "", 1) == before  # nothing else changed
    written = (repo / "build" / "import" / "social-ekonomi.md").read_text("utf-8")
    assert "Per Persson" in written and "Behövs definitionen?" in written and "Socialt entreprenörskap" in written
    assert "comment: Per Persson" in result.output


def _docx(parts: dict[str, bytes | etree._Element]) -> bytes:
    """A DOCX of the parts of one (docx_edit.read_parts), some of them edited as XML trees."""
    return write_parts({name: etree.tostring(part) if isinstance(part, etree._Element) else part
                        for name, part in parts.items()})


def _without_bookmarks(data: bytes, rename: tuple[str, str], new_heading_after: str) -> bytes:
    parts = read_parts(data)
    root = etree.fromstring(parts["word/document.xml"])
    for mark in list(root.iter(f"{{{W}}}bookmarkStart")) + list(root.iter(f"{{{W}}}bookmarkEnd")):
        mark.getparent().remove(mark)
    for t in root.iter(f"{{{W}}}t"):
        if t.text == rename[0]:
            t.text = rename[1]
        if t.text == new_heading_after:
            heading = t.getparent().getparent()
            new = etree.fromstring(etree.tostring(heading))
            next(new.iter(f"{{{W}}}t")).text = "Uppföljning"
            paragraph = etree.fromstring(etree.tostring(heading.getnext()))
            next(paragraph.iter(f"{{{W}}}t")).text = "Policyn följs upp varje år."
            heading.getnext().addnext(new)
            new.addnext(paragraph)
            break
    return _docx({**parts, "word/document.xml": root})


def test_without_bookmarks_ids_come_from_position_and_similarity(repo: Path) -> None:
    data = _without_bookmarks(draft_docx(source.load(SEED_POLICY)), ("Målsättning", "Målsättningar"), "Riktlinjer")
    (repo / "edited.docx").write_bytes(data)
    report, text = into(Workspace(repo), repo / "edited.docx", "social-ekonomi")
    assert text is not None
    policy = source.load(Path("social-ekonomi.md"), data=text)
    ids = [(s.id, s.title) for s in policy.sections if s.level]
    assert ("malsattning", "Målsättningar") in ids and ("ideburen-sektor", "Idéburen sektor och idéburen organisation") in ids
    assert ("uppfoljning", "Uppföljning") in ids
    assert [i for i, _ in ids] == ["begreppsdefinitioner", "ideburen-sektor", "social-ekonomi", "sociala-foretag",
                                   "kommunens-forhallningssatt", "utgangspunkter", "malsattning", "riktlinjer",
                                   "uppfoljning", "ansvar-och-genomforande"]
    assert any("Målsättningar" in e.text and "most similar" in e.text for e in report.guesses)
    assert any("new heading" in e.text and "uppfoljning" in e.text for e in report.guesses)


def test_bom_and_crlf_line_endings_are_kept(repo: Path) -> None:
    text = adopted(SEED_POLICY.read_text("utf-8"))
    target = repo / "policy" / "social-ekonomi.md"
    target.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    policy = source.load(target)
    (repo / "final.docx").write_bytes(draft_docx(policy))
    report, unchanged = into(Workspace(repo), repo / "final.docx", "social-ekonomi")
    assert unchanged is None and report.unchanged
    edited = draft_docx(source.load(Path("social-ekonomi.md"), data=text.replace("Denna policy anger",
                                                                                  "Policyn anger").encode()))
    (repo / "edited.docx").write_bytes(edited)
    _, data = into(Workspace(repo), repo / "edited.docx", "social-ekonomi")
    assert data is not None and data.startswith("\ufeff---\r\n".encode()) and b"\n" not in data.replace(b"\r\n", b"")
    assert data.decode("utf-8") == target.read_bytes().decode("utf-8").replace("Denna policy anger", "Policyn anger")


def test_a_styrdok_redline_imported_as_a_new_policy_leaves_its_summary_out(repo: Path) -> None:
    """Without --into, styrdok's own DOCX is recognised too: the redline's change summary, the
    document type line and the title are not text, and the section bookmarks give the ids."""
    from styrdok import pandoc
    from styrdok.importer.run import import_files
    policy = source.load(SEED_POLICY)
    earlier = source.load(Path("social-ekonomi.md"), data=SEED_POLICY.read_text("utf-8").replace(
        "Denna policy anger", "Policyn anger").encode())
    (repo / "andringar.docx").write_bytes(
        render_redline(earlier, policy, Workspace(repo).templates, files=["redline.docx"]).files["redline.docx"])
    [report] = import_files(Workspace(repo), [repo / "andringar.docx"])
    assert report.ok, report.error
    new = source.load(repo / "policy" / "andringar.md")
    assert (new.meta.title, new.meta.type, new.meta.decisions) == (policy.meta.title, policy.meta.type,
                                                                    policy.meta.decisions)
    assert [(s.level, s.id, s.title) for s in new.sections] == [(s.level, s.id, s.title) for s in policy.sections]
    assert [[pandoc.stringify(b.ast) for b in s.blocks] for s in new.sections] == \
        [[pandoc.stringify(b.ast) for b in s.blocks] for s in policy.sections]  # the newer text, changes accepted
    assert "Sammanfattning av ändringar" not in (repo / "policy" / "andringar.md").read_text("utf-8")
    assert any("summary of changes" in e.text for e in report.losses)
    assert any("--into" in e.text for e in report.guesses)


def _footnoted() -> str:
    """The seed with footnotes as people write them: one defined right after its paragraph, one in
    a list item defined at the end, and emphasis written with underscores (pandoc writes *…*)."""
    text = SEED_POLICY.read_text("utf-8")
    text = text.replace("samfundheter och byalag.\n", "samfundheter och byalag.[^lag]\n\n"
                        "[^lag]: Se lagen (1987:667) om ekonomiska föreningar.\n", 1)
    text = text.replace("få och/eller behålla ett arbete,", "få och/eller behålla ett arbete[^ais],", 1)
    text = text.replace("samhällsnyttigt syfte", "_samhällsnyttigt_ syfte", 1)
    return text.rstrip("\n") + "\n\n[^ais]: Arbetsintegrerande sociala företag, se Tillväxtverket.\n"


def _edit_words(data: bytes, start: str, old: str, new: str) -> bytes:
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(start))
    run = next(r for r in paragraph.runs if old in r.text)
    run.text = run.text.replace(old, new, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _edit_footnote(data: bytes, old: str, new: str) -> bytes:
    parts = read_parts(data)
    return _docx({**parts, "word/footnotes.xml": parts["word/footnotes.xml"].replace(old.encode(), new.encode())})


def test_footnotes_keep_their_labels_and_places_and_only_edited_parts_change(repo: Path) -> None:
    text = _footnoted()
    target = repo / "policy" / "social-ekonomi.md"
    target.write_text(text, "utf-8")
    word = draft_docx(source.load(target))
    workspace = Workspace(repo)
    cases = {
        "unedited": (word, text),
        "plain paragraph": (_edit_words(word, "Policydokumentet riktar", "Policydokumentet", "Policyn"),
                            text.replace("Policydokumentet riktar", "Policyn riktar", 1)),
        "paragraph citing a note": (_edit_words(word, "Policyn tar sin", "tar sin", "har sin"),
                                    text.replace("Policyn tar sin", "Policyn har sin", 1)),
    }
    for name, (data, expected) in cases.items():
        (repo / "edited.docx").write_bytes(data)
        report, new = into(workspace, repo / "edited.docx", "social-ekonomi")
        assert (new.decode("utf-8") if new is not None else text) == expected, name
    # a footnote's own text edited in Word: that note is rewritten, every other line stays
    (repo / "edited.docx").write_bytes(_edit_footnote(word, "se Tillväxtverket", "se Tillväxtverkets vägledning"))
    _, new = into(workspace, repo / "edited.docx", "social-ekonomi")
    assert new is not None
    after = source.load(Path("social-ekonomi.md"), data=new)
    assert "Tillväxtverkets vägledning" in new.decode("utf-8") and "se Tillväxtverket." not in new.decode("utf-8")
    changed = set(new.decode("utf-8").splitlines()) ^ set(text.splitlines())
    assert all("ais" in line or "[^1]" in line or "Tillväxtverket" in line for line in changed), changed
    assert [s.id for s in after.sections] == [s.id for s in source.load(target).sections]


def _add_footnote(data: bytes, paragraph_start: str, text: str) -> bytes:
    """A footnote added in Word at the end of a paragraph (w:footnoteReference and its note)."""
    parts = read_parts(data)
    root = etree.fromstring(parts["word/document.xml"])
    paragraph = next(p for p in root.iter(f"{{{W}}}p")
                     if "".join(t.text or "" for t in p.iter(f"{{{W}}}t")).startswith(paragraph_start))
    paragraph.append(etree.fromstring(f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                                      '<w:footnoteReference w:id="99"/></w:r>'))
    notes = etree.fromstring(parts["word/footnotes.xml"])
    notes.append(etree.fromstring(f'<w:footnote xmlns:w="{W}" w:id="99"><w:p><w:r><w:footnoteRef/></w:r>'
                                  f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'))
    return _docx({**parts, "word/document.xml": root, "word/footnotes.xml": notes})


def test_a_footnote_added_in_word_gets_a_new_label_and_its_definition_at_the_end(repo: Path) -> None:
    text = _footnoted()
    target = repo / "policy" / "social-ekonomi.md"
    target.write_text(text, "utf-8")
    (repo / "edited.docx").write_bytes(_add_footnote(draft_docx(source.load(target)), "Policydokumentet riktar",
                                                     "Se kommunens styrdokumentsplan."))
    _, new = into(Workspace(repo), repo / "edited.docx", "social-ekonomi")
    line = next(line for line in text.splitlines() if line.startswith("Policydokumentet riktar"))
    assert new is not None and new.decode("utf-8") == text.replace(line, line + "[^1]", 1) + \
        "\n[^1]: Se kommunens styrdokumentsplan.\n"


def test_after_into_git_diff_and_styrdok_diff_show_the_word_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The round trip is an ordinary working-tree change: git diff is the one edited line, and
    `styrdok diff ID` (working tree against HEAD) the one word."""
    import gitrepo
    repo = gitrepo.init(tmp_path / "repo")
    monkeypatch.chdir(repo)
    word = _edit_words(draft_docx(source.load(repo / gitrepo.REL)), "Policydokumentet riktar", "Policydokumentet",
                       "Policyn")
    (tmp_path / "svar.docx").write_bytes(word)
    result = CliRunner().invoke(main, ["import", str(tmp_path / "svar.docx"), "--into", gitrepo.ID])
    assert result.exit_code == 0, result.output
    assert gitrepo.git(repo, "diff", "--numstat") == f"1\t1\t{gitrepo.REL}"
    changed = [line for line in gitrepo.git(repo, "diff", "--unified=0").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert [line[:18] for line in changed] == ["-Policydokumentet ", "+Policyn riktar si"]
    shown = CliRunner().invoke(main, ["diff", gitrepo.ID, "--from", "HEAD", "--out", str(tmp_path / "out")])
    assert shown.exit_code == 1, shown.output  # diff(1): changes found
    assert "1 ord infogat och 1 ord borttaget" in (tmp_path / "out" / "changes.md").read_text("utf-8")
    from styrdok import pandoc
    redline = (tmp_path / "out" / "redline.docx").read_bytes()  # the word as Word's tracked change
    accepted, rejected = (" ".join(pandoc.read_docx(redline, track_changes=how).split()) for how in ("accept", "reject"))
    assert "Policyn riktar sig" in accepted and "Policydokumentet riktar sig" in rejected
    assert accepted.replace("Policyn riktar", "Policydokumentet riktar") == rejected


def test_a_deleted_first_paragraph_keeps_the_definitions_written_after_it() -> None:
    """Definitions written after a paragraph that is deleted in Word survive while another block cites them."""
    from styrdok.importer.into import splice
    text = (SEED_POLICY.read_text("utf-8").split("\n---\n", 1)[0] + "\n---\n\nFörsta stycket.\n\n"
            "[^x]: Fotnoten.\n\nAndra stycket[^x].\n")
    policy = source.load(Path("social-ekonomi.md"), data=text.encode())
    blocks = [b.ast for s in policy.sections for b in s.blocks][1:]  # the first paragraph deleted
    assert splice(policy, text, blocks).endswith("---\n\nAndra stycket[^x].\n\n[^x]: Fotnoten.\n")
