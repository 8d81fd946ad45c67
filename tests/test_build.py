"""Final renderings of the seed policy: content, markings, refusals, reproducibility, accessibility."""

from __future__ import annotations

import hashlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SEED_POLICY, adopted, run, seed_paragraphs, squash
from styrdok import build, pandoc, preload, source
from styrdok.errors import StyrdokError
from styrdok.output import OutputDir
from styrdok.render import render_policy
from styrdok.render.document import body_blocks, presentation, title_blocks
from styrdok.workspace import Workspace

OUT = "social-ekonomi"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> tuple[str, list[tuple[str, dict[str, str | None]]]]:
    parser = _Text()
    parser.feed(html)
    return squash(" ".join(parser.parts)), parser.tags


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return squash(re.sub(r"(\w)-\n(\w)", r"\1\2", text))


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    repo = tmp_path_factory.mktemp("draft")
    (repo / "policy").mkdir()
    (repo / "policy" / "social-ekonomi.md").write_bytes(SEED_POLICY.read_bytes())
    report = build.build(Workspace(repo), out=repo / "build")
    assert report.ok, report.failed
    return {p.suffix: p.read_bytes() for p in (repo / "build" / OUT).iterdir()}


@pytest.fixture(scope="module")
def final(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    repo = tmp_path_factory.mktemp("final")
    (repo / "policy").mkdir()
    (repo / "policy" / "social-ekonomi.md").write_text(adopted(SEED_POLICY.read_text("utf-8")), "utf-8")
    report = build.build(Workspace(repo), out=repo / "build", final=True)
    assert report.ok, [str(p) for r in report.failed for p in r.problems]
    return {p.suffix: p.read_bytes() for p in (repo / "build" / OUT).iterdir()}


def test_build_writes_three_files(draft: dict[str, bytes]) -> None:
    assert sorted(draft) == [".docx", ".html", ".pdf"]


def test_every_seed_paragraph_is_in_every_rendering(draft: dict[str, bytes]) -> None:
    texts = {
        "docx": squash(pandoc.read_docx(draft[".docx"])),
        "pdf": pdf_text(draft[".pdf"]),
        "html": html_text(draft[".html"].decode("utf-8"))[0],
    }
    for kind, text in texts.items():
        missing = [p for p in seed_paragraphs() if squash(p) not in text]
        assert not missing, f"{kind} lacks {missing[:3]}"


def test_draft_is_marked_and_shows_the_placeholder(draft: dict[str, bytes]) -> None:
    placeholder = "Reviderad av kommunstyrelsen 2018-XX-XX, § XX"
    assert placeholder in pandoc.read_docx(draft[".docx"])
    assert placeholder in pdf_text(draft[".pdf"]) and "UTKAST" in pdf_text(draft[".pdf"])
    html = draft[".html"].decode("utf-8")
    assert placeholder in html and "UTKAST" in html
    headers = _docx_part_texts(draft[".docx"], "word/header")
    assert headers and all("UTKAST" in h for h in headers)


def test_final_build_of_adopted_version_shows_both_decisions_unmarked(final: dict[str, bytes]) -> None:
    lines = ["Fastställd av kommunstyrelsen 2015-05-26, § 129", "Reviderad av kommunstyrelsen 2018-03-06, § 64"]
    for text in (pandoc.read_docx(final[".docx"]), pdf_text(final[".pdf"]), final[".html"].decode("utf-8")):
        assert all(line in text for line in lines)
        assert "UTKAST" not in text and "XX" not in text


def test_final_build_is_refused_while_a_decision_is_pending(policy_repo: Path) -> None:
    result = run(["build", "--final"], policy_repo)
    assert result.returncode == 1
    assert "final build refused: decision 'Reviderad av kommunstyrelsen 2018-XX-XX, § XX' is pending" in result.stderr
    assert "styrdok adopt" in result.stderr and "Traceback" not in result.stderr
    assert not (policy_repo / "build").exists()


def test_final_build_is_refused_for_a_placeholder_in_the_text(policy_repo: Path) -> None:
    path = policy_repo / "policy" / "social-ekonomi.md"
    path.write_text(adopted(path.read_text("utf-8")).replace("pågår 2016 - 2018.", "beslutades 2018-XX-XX, § XX."), "utf-8")
    result = run(["build", "--final"], policy_repo)
    assert result.returncode == 1
    assert re.search(r"policy/social-ekonomi.md:\d+: error: final build refused: placeholder '2018-XX-XX'", result.stderr)
    assert not (policy_repo / "build").exists()


def test_docx_round_trip_equals_the_source_text(policy_repo: Path) -> None:
    policy = source.load(policy_repo / "policy" / "social-ekonomi.md")
    templates = Workspace(policy_repo).templates
    view = presentation(policy, final=False, labels=templates.labels, theme=templates.theme)
    expected = pandoc.write(pandoc.document(title_blocks(view) + body_blocks(policy)), "plain", "--wrap=none")
    docx = render_policy(policy, Workspace(policy_repo).templates, view)["social-ekonomi.docx"]
    def rules(text: str) -> str:  # a table's rule lines are as wide as Word's column widths read back
        return re.sub(r"-{3,}", "---", text).strip()

    assert rules(pandoc.read_docx(docx)) == rules(expected.decode("utf-8"))


def test_docx_properties_header_and_footer(draft: dict[str, bytes]) -> None:
    import docx

    document = docx.Document(io.BytesIO(draft[".docx"]))
    props = document.core_properties
    assert props.title.startswith("Policy för den sociala ekonomin") and props.author == "Kommunstyrelsen"
    assert props.subject == "Policy" and props.revision == 2 and "styrdokument" in props.keywords
    footer = " ".join(_docx_part_texts(draft[".docx"], "word/footer"))
    assert "Sida" in footer and "PAGE" in footer and "NUMPAGES" in footer
    assert document.styles["Heading 2"].font.name


def test_pdf_is_tagged_swedish_titled_and_bookmarked(draft: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(draft[".pdf"]))
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("sv")
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Policy för den sociala ekonomin")
    titles = [o.title for o in _flatten(reader.outline)]
    assert "Begreppsdefinitioner" in titles and "Ansvar och genomförande" in titles
    assert "Sida 1 av" in reader.pages[0].extract_text()


def test_html_is_an_accessible_standalone_page(draft: dict[str, bytes]) -> None:
    html = draft[".html"].decode("utf-8")
    _, tags = html_text(html)
    assert '<html lang="sv">' in html
    headings = [int(t[1]) for t, _ in tags if re.fullmatch(r"h[1-6]", t)]
    assert headings.count(1) == 1 and headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    assert any(t == "a" and a.get("href") == "#innehall" for t, a in tags)
    assert "@media print" in html and 'name="viewport"' in html
    assert "<script" not in html


def test_builds_are_byte_identical(tmp_path: Path, policy_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def digests(out: Path) -> dict[str, str]:
        build.build(Workspace(policy_repo), out=out)
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (out / OUT).iterdir()}

    default = digests(tmp_path / "a")
    assert default == digests(tmp_path / "b")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pinned = digests(tmp_path / "c")
    assert pinned == digests(tmp_path / "d")
    assert pinned[f"{OUT}.docx"] != default[f"{OUT}.docx"] and pinned[f"{OUT}.pdf"] != default[f"{OUT}.pdf"]


def test_output_is_confined_to_the_output_folder(tmp_path: Path) -> None:
    out = OutputDir(tmp_path / "build")
    with pytest.raises(StyrdokError, match="outside the output folder"):
        out.write("../escape.txt", b"x")
    out.write("a/b.txt", b"1")
    with pytest.raises(StyrdokError, match="twice"):
        out.write("a/b.txt", b"2")
    assert not (tmp_path / "escape.txt").exists()
    assert [p.name for p in (tmp_path / "build" / "a").iterdir()] == ["b.txt"]  # no temp files left


def test_repository_templates_override_packaged_ones(policy_repo: Path) -> None:
    (policy_repo / "templates").mkdir()
    (policy_repo / "templates" / "policy.html.j2").write_text(
        '<!DOCTYPE html><html lang="sv"><title>{{ view.title }}</title><main>EGEN MALL {{ body | safe }}</main></html>',
        "utf-8")
    assert run(["build"], policy_repo).returncode == 0
    html = (policy_repo / "build" / OUT / f"{OUT}.html").read_text("utf-8")
    assert "EGEN MALL" in html and "Begreppsdefinitioner" in html


def test_accessibility_with_axe(draft: dict[str, bytes], tmp_path: Path) -> None:
    from browser import axe_violations, format_violations, reflow_overflow, require_chromium

    require_chromium()
    page = tmp_path / "policy.html"
    page.write_bytes(draft[".html"])
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert not reflow_overflow(page), "the page scrolls sideways at 320 px (400 % zoom)"


def _docx_part_texts(data: bytes, prefix: str) -> list[str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith(prefix)]


def _flatten(outline: list) -> list:
    items = []
    for entry in outline:
        items.extend(_flatten(entry) if isinstance(entry, list) else [entry])
    return items


def test_the_renderers_are_imported_while_pandoc_reads_the_policy(policy_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build has pandoc read the policy, then imports its renderers (Typst, Jinja, lxml …) on a
    thread while the policy is read and checked, not after."""
    import threading

    imported: list[tuple[tuple[str, ...], bool]] = []
    started = threading.Event()
    real_check, real_read_ahead = source.check_file, pandoc.read_ahead
    reading: list[int] = []

    def load(names: tuple[str, ...]) -> None:
        imported.append((names, threading.current_thread() is threading.main_thread()))
        assert reading, "the renderers were imported before pandoc started reading"
        started.set()

    def check_file(*args: object, **kwargs: object) -> object:
        assert started.wait(10), "the check began, and no import of the renderers had been started"
        return real_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pandoc, "read_ahead", lambda text: (reading.append(len(text)), real_read_ahead(text))[1])
    monkeypatch.setattr(preload, "_import", load)
    monkeypatch.setattr(source, "check_file", check_file)
    monkeypatch.setattr(build, "RENDERERS", ("styrdok.render", "a_module_not_yet_imported"))
    result = build.build_one(Workspace(policy_repo), policy_repo / "policy" / "social-ekonomi.md",
                             policy_repo / "build", final=False)
    assert result.ok and imported == [(("styrdok.render", "a_module_not_yet_imported"), False)]


def test_the_docx_input_is_made_before_its_thread_starts_and_jinja_after_the_typst(
        policy_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc starts writing the DOCX at once, not when its thread gets the interpreter from the
    Typst writer; the finishing's lxml is imported once its input is made, and the page's Jinja
    once the Typst is written (while Typst compiles), not beside the writing of it."""
    import threading

    from styrdok.render import docx
    from styrdok.render import policy as rendering

    events: list[tuple[str, bool]] = []
    real_payload, real_run = pandoc._payload, pandoc.run
    monkeypatch.setattr(pandoc, "_payload", lambda doc, to, args: (
        events.append((f"input {to}", threading.current_thread() is threading.main_thread())),
        real_payload(doc, to, args))[1])
    monkeypatch.setattr(pandoc, "run", lambda args, data, **kw: (
        events.append((f"run {args[3]}", False)), real_run(args, data, **kw))[1])
    monkeypatch.setattr(rendering, "html_preload", lambda: events.append(("jinja", True)))
    monkeypatch.setattr(docx, "preload", lambda: events.append(("lxml", True)))
    real_typst_first = rendering.typst_first
    monkeypatch.setattr(rendering, "typst_first", lambda *a: (real_typst_first(*a), events.append(("typst", True)))[0])
    policy = source.load(policy_repo / "policy" / "social-ekonomi.md")
    templates = Workspace(policy_repo).templates
    events.clear()  # the read
    files = render_policy(policy, templates, presentation(policy, final=False, labels=templates.labels,
                                                          theme=templates.theme))
    assert set(files) == {"social-ekonomi.docx", "social-ekonomi.pdf", "social-ekonomi.html"}
    assert [e for e in events if e[0] in ("input docx", "lxml", "typst", "jinja")][:4] == [
        ("input docx", True), ("lxml", True), ("typst", True), ("jinja", True)]
