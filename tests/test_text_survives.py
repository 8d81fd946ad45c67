"""No text is ever lost: every word of the source reaches the PDF, the DOCX and the HTML.

Oracles: pdftotext (poppler) for the PDF, pandoc's DOCX reader for the DOCX, Python's HTML
parser for the page. Words are compared as runs of letters and digits, in order: each source
line's words must appear one after the other in the output (Markdown may drop the markup
between them, never a word).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from styrdok import pandoc, source
from styrdok.render import render_policy
from styrdok.render.document import presentation
from styrdok.templates import Templates

CORPUS = Path(__file__).parent / "corpus"
WORD = re.compile(r"[^\W\d_]+|\d+")
ATTRIBUTES = re.compile(r"\{#[a-z0-9-]+\}\s*$")  # heading ids: not text
FOOTNOTE_LABEL = re.compile(r"\[\^\w+\]:?")  # becomes a number the outputs place on their own
LIST_MARKER = re.compile(r"^\s*(\d+[.)]|[-*+])\s")  # an HTML <ol> numbers without text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")

FRONT_MATTER = """\
---
title: Prov
type: policy
owner: kommunstyrelsen
status: draft
decisions:
  - action: fastställd
    body: kommunstyrelsen
    date: 2015-05-26
    paragraph: 129
---

"""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("style", "script", "head")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script", "head")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_text(page: bytes) -> str:
    parser = _Text()
    parser.feed(page.decode("utf-8"))
    return " ".join(parser.parts)


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def _outputs(path: Path, data: bytes) -> dict[str, list[str]]:
    policy, problems = source.check_file(path, data=data)
    assert policy is not None, "\n".join(map(str, problems))
    templates = Templates(None)
    files = render_policy(policy, templates, presentation(policy, final=True, labels=templates.labels,
                                                          theme=templates.theme))
    by_kind = {name.rsplit(".", 1)[1]: content for name, content in files.items()}
    texts = {"pdf": _pdf_text(by_kind["pdf"]), "docx": pandoc.read_docx(by_kind["docx"]),
             "html": _html_text(by_kind["html"])}
    return {kind: WORD.findall(text) for kind, text in texts.items()}


def _contains(words: list[str], run: list[str]) -> bool:
    """`run` appears in `words` word after word; only a number the output adds (a footnote mark) may come between."""
    for start in range(len(words)):
        matched, at = 0, start
        while matched < len(run) and at < len(words):
            if words[at] == run[matched]:
                matched += 1
            elif not (matched and words[at].isdigit()):
                break
            at += 1
        if matched == len(run):
            return True
    return False


def _missing(body: str, outputs: dict[str, list[str]]) -> list[str]:
    missing = []
    for line in body.splitlines():
        text = FOOTNOTE_LABEL.sub(" ", ATTRIBUTES.sub("", LIST_MARKER.sub("", line)))
        run = WORD.findall(html.unescape(text))  # Markdown reads entities as the characters they name
        for kind, words in outputs.items():
            if run and not _contains(words, run):
                missing.append(f"{kind}: {line!r}")
    return missing


def test_every_word_of_the_special_characters_corpus_survives() -> None:
    path = CORPUS / "special-characters.md"
    data = path.read_bytes()
    body = data.decode("utf-8").split("\n---\n", 1)[1]
    assert _missing(body, _outputs(path, data)) == []


def test_double_slash_beside_a_loose_list_prints_whole() -> None:
    """The case reported: the sourcepos parse split '//' into two Strs, and Typst read it as a comment."""
    for extra in ("\n\n- a\n\n- b\n", "\n\nFotnot.[^1]\n\n[^1]: Noten.\n", ""):
        body = "Kontakt: enheten // kommunstyrelsen, se sidan.\n\nA /* b */ c /* d.\n" + extra
        outputs = _outputs(Path("prov.md"), (FRONT_MATTER + body).encode("utf-8"))
        assert _missing(body, outputs) == [], extra


# Sequences special in Typst (comments, code, math, labels, references, markup), Markdown
# (emphasis, escapes, code, links, footnotes, entities) or XML/HTML (tags, entities, quotes).
SPECIALS = ["//", "/*", "*/", "/", "#", "#set", "#let x =", "$", "@", "<", ">", "<=", "->", "*", "**", "_", "__",
            "\\", "\\\\", "]", "[", "];", "[^", "&", "&amp;", "&lt;", "&#35;", "`", "``", "~", "~~", "^", "=",
            "-", "+", "\"", "'", "%", ";", ":", "|", "!", "...", "<!--", "-->", "]]>", "<![CDATA[", "\u00a0"]
WORDS = ["kommun", "styrelsen", "enheten", "beslut", "åtgärd", "ärende", "nämnd", "öppen", "plan", "mål", "ansvar"]
token = st.tuples(st.sampled_from(SPECIALS), st.sampled_from(WORDS), st.sampled_from(SPECIALS),
                  st.sampled_from(["", " "])).map(lambda t: f"{t[0]}{t[3]}{t[1]}{t[3]}{t[2]}")
paragraph = st.lists(token, min_size=2, max_size=8).map(lambda tokens: "Början " + " ".join(tokens) + " slut.")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(paragraph, min_size=1, max_size=3), loose_list=st.booleans(), footnote=st.booleans())
def test_every_word_survives_special_characters(paragraphs: list[str], loose_list: bool, footnote: bool) -> None:
    body = "\n\n".join(paragraphs) + "\n"
    if loose_list:  # forces the sourcepos parse, where the lost text came from
        body += "\n- " + paragraphs[0] + "\n\n- Andra punkten\n"
    if footnote:
        body += "\nFotnot.[^1]\n\n[^1]: " + paragraphs[-1] + "\n"
    data = (FRONT_MATTER + body).encode("utf-8")
    policy, problems = source.check_file(Path("prov.md"), data=data)
    if policy is None:  # refused (e.g. '<' + word + '>' is raw HTML): then with a line and a fix
        errors = [p for p in problems if p.severity.value == "error"]
        assert errors and all(p.line > 0 and p.hint for p in errors), errors
        return
    assert _missing(body, _outputs(Path("prov.md"), data)) == []


def test_text_in_any_script_builds_and_every_word_survives() -> None:
    """Emoji, CJK, Arabic and Hebrew: fallback fonts, because PDF/A refuses a character no font has."""
    path = CORPUS / "scripts-emoji-cjk-arabic.md"
    data = path.read_bytes()
    body = data.decode("utf-8").split("\n---\n", 1)[1]
    outputs = _outputs(path, data)
    # pdftotext splits Arabic ligatures into pieces, so the PDF is read for the other scripts only;
    # DOCX and HTML hold every word
    right_to_left = re.compile(r"[\u0590-\u06ff]")
    missing = [m for m in _missing(body, outputs) if not (m.startswith("pdf:") and right_to_left.search(m))]
    assert missing == []
    for word in ("😀🎉", "中文文本", "日本語", "한국어"):
        assert word in " ".join(outputs["pdf"]) or word in _pdf_words_raw(path, data)
    assert {"العربية", "עברית"} <= set(outputs["docx"]) & set(outputs["html"])


def _pdf_words_raw(path: Path, data: bytes) -> str:
    policy, _ = source.check_file(path, data=data)
    assert policy is not None
    templates = Templates(None)
    files = render_policy(policy, templates, presentation(policy, final=True, labels=templates.labels,
                                                          theme=templates.theme))
    return _pdf_text(next(content for name, content in files.items() if name.endswith(".pdf")))


def test_double_slash_survives_in_the_redline_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The redline's PDF goes through the same Typst writer, with its own inline markup around changes."""
    from click.testing import CliRunner

    from styrdok.cli import main

    old = FRONT_MATTER + "Kontakt: enheten // kommunstyrelsen, se sidan.\n\n- a\n\n- b\n"
    new = FRONT_MATTER + "Kontakt: enheten // nämnden /* och */ kommunstyrelsen, se sidan.\n\n- a\n\n- b // c\n"
    (tmp_path / "old.md").write_text(old, "utf-8")
    (tmp_path / "new.md").write_text(new, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["diff", "old.md", "new.md", "--out", "redline"])
    assert result.exit_code == 1, result.stderr  # like diff: 1 = there are changes
    words = WORD.findall(_pdf_text((tmp_path / "redline" / "redline.pdf").read_bytes()))
    for line in ("Kontakt: enheten // nämnden /* och */ kommunstyrelsen, se sidan.", "b // c"):
        assert _contains(words, WORD.findall(line)), line
