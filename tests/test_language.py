"""Every command speaks one language at a time: Swedish with LANG=sv_SE.UTF-8 (the default), English
with --lang en. A day's work — check, build, adopt, revise, consult, diff, log, status, publish, the
refusals and every --help — runs once in each language; the Swedish output must hold no word that
only English messages use, and the English output no word that only Swedish messages use.

The vocabularies come from the catalogue itself (the words of the msgids and of the Swedish
msgstrs), so a message added without its translation shows up here as English in Swedish output.
Allowed anywhere: command and option names, ids, YAML keys and values, metavars (CAPITALS), and
the text of the documents themselves, which is Swedish in both languages (decision lines such as
"Reviderad av kommunstyrelsen", the redline's change summary, titles and headings).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from babel.messages import pofile
from click.testing import CliRunner

from conftest import ROOT
import wordgen
from gitrepo import ID, REL, commit, git, init
from styrdok.cli import main

PO = ROOT / "src/styrdok/locale/sv/LC_MESSAGES/styrdok.po"
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+")
# Tokens that are code, not language: options, paths, file names, `commands`, URLs, quoted values.
CODE = re.compile(r"--?[\w-]+|`[^`]*`|\S*[/\\.@_]\S*|'[^'\s]*'|\"[^\"]*\"|\[[A-Z|.]+\]|\b[A-Z][A-Z0-9_-]+\b")
ALLOWED = {
    # commands and the words of command lines shown in fixes
    "styrdok", "check", "build", "diff", "consult", "revise", "adopt", "log", "status", "publish", "doctor",
    "init", "new", "git", "add", "commit", "tag", "show", "restore", "staged", "make", "browser", "pip",
    "install", "apt", "get", "pandoc", "typst", "chromium", "docx", "pypandoc", "binary", "GitPython",
    # YAML keys and values as written in the front matter
    "id", "title", "type", "owner", "coordinator", "review", "decisions", "action", "body", "date", "paragraph",
    "dnr", "pending", "year", "consultation", "bodies", "deadline", "opened", "keywords", "true", "false",
    "draft", "adopted", "mandate", "period", "none", "policy", "riktlinje", "plan", "program",
    "table", "csv", "json", "markdown", "text", "sv", "en", "gitlab", "github", "ok", "keep", "going", "stop",
}


def _vocabulary() -> tuple[set[str], set[str]]:
    english: set[str] = set()
    swedish: set[str] = set()
    with PO.open("rb") as f:
        for entry in pofile.read_po(f):
            if not entry.id:
                continue
            ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
            strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
            for text, into in [(t, english) for t in ids] + [(t, swedish) for t in strings]:
                into.update(w.lower() for w in WORD.findall(CODE.sub(" ", re.sub(r"\{[^}]*\}", " ", text))))
    return english - swedish - ALLOWED, swedish - english - ALLOWED


ONLY_ENGLISH, ONLY_SWEDISH = _vocabulary()


def _document_words(repo: Path) -> set[str]:
    """Words of the documents' own Swedish text (titles, headings, decision lines, Word files' text)."""
    words = {"fastställd", "reviderad", "upphävd", "av", "kommunstyrelsen", "utkast", "remissversion"}
    for path in (repo / "policy").glob("*.md"):
        words.update(w.lower() for w in WORD.findall(path.read_text("utf-8")))
    for path in repo.glob("*.docx"):  # quoted by the import report: text boxes, comments
        with zipfile.ZipFile(path) as docx:
            for name in docx.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", docx.read(name).decode("utf-8")))
                    words.update(w.lower() for w in WORD.findall(text))
    return words


def _foreign(output: str, foreign: set[str], allowed: set[str]) -> set[str]:
    words = {w.lower() for w in WORD.findall(CODE.sub(" ", output))}
    return (words & foreign) - allowed


SCENARIO: list[tuple[str, list[str], bool]] = [  # (name, args, stdout only from the documents' text)
    ("check", ["check"], False),
    ("build", ["build", ID], False),
    ("status", ["status", "--today", "2026-11-25"], False),
    ("status-md", ["status", "--today", "2026-11-25", "--format", "markdown", "--due"], False),
    ("status-csv", ["status", "--today", "2026-11-25", "--format", "csv"], False),
    ("log", ["log", ID], False),
    ("adopt-refused", ["adopt", ID, "--date", "2026-13-01", "--paragraph", "x", "--today", "2026-11-25"], False),
    ("adopt", ["adopt", ID, "--date", "2018-03-06", "--paragraph", "64", "--today", "2026-11-25"], False),
    ("consult-refused", ["consult", ID, "--deadline", "2027-02-15", "--today", "2026-11-25"], False),
    ("revise", ["revise", ID, "--year", "2027", "--today", "2026-11-25"], False),
    ("revise-refused", ["revise", ID, "--today", "2026-11-25"], False),
    ("consult", ["consult", ID, "--deadline", "2027-02-15", "--dnr", "KS 2026/45", "--today", "2026-11-25"], False),
    ("diff", ["diff", ID], True),
    ("publish", ["publish", "--today", "2026-11-25"], False),
    ("responses", ["responses", ID], False),
    ("memo", ["memo", ID, "--today", "2026-11-25"], True),  # stdout: the förslag till beslut
    ("doctor", ["doctor"], False),
    ("import", ["import", "foreningsstod.docx", "--type", "riktlinje"], False),
    ("output-refused", ["build", ID, "--out", "policy/ut"], False),
    ("usage", ["consult", ID], False),
    ("no-such-policy", ["log", "finns-inte"], False),
    ("bad-date", ["status", "--today", "igår"], False),
]


EXIT_CODES = {"check": 0, "build": 0, "status": 1, "status-md": 1, "status-csv": 1, "log": 0, "adopt-refused": 2,
              "adopt": 0, "consult-refused": 2, "revise": 0, "revise-refused": 2, "consult": 0, "diff": 1, "publish": 0,
              "responses": 0, "memo": 0, "doctor": 0, "import": 0, "output-refused": 2, "usage": 2, "no-such-policy": 2, "bad-date": 2}


@pytest.fixture(scope="module")
def helps() -> list[str]:
    return ["--help"] + [f"{name} --help" for name in sorted(main.commands)]


def _invoke(args: list[str], lang: str) -> tuple[str, str, int]:
    env = {"LANG": "sv_SE.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    result = CliRunner().invoke(main, (["--lang", "en"] if lang == "en" else []) + args, env=env)
    assert "Traceback" not in result.output and not isinstance(result.exception, (TypeError, KeyError, AttributeError)), \
        (args, result.output, result.exception)
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_one_language_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helps: list[str], lang: str) -> None:
    repo = init(tmp_path / "repo")
    git(repo, "commit", "--quiet", "--amend", "--message", "social-ekonomi: revideringen 2018 (utkast)")
    broken = repo / "policy" / "trasig.md"
    wordgen.legacy_policy(repo / "foreningsstod.docx")
    monkeypatch.chdir(repo)
    foreign = ONLY_ENGLISH if lang == "sv" else ONLY_SWEDISH
    found: dict[str, set[str]] = {}
    codes: dict[str, int] = {}
    for name, args, stdout_is_document in SCENARIO:
        stdout, stderr, code = _invoke(args, lang)
        codes[name] = code
        allowed = _document_words(repo)
        said = stderr + ("" if stdout_is_document else stdout)
        if bad := _foreign(said, foreign, allowed):
            found[name] = bad
        if name == "revise":
            text = (repo / REL).read_text("utf-8")
            (repo / REL).write_text(text.replace("Med social ekonomi avses", "Med social ekonomi menas", 1), "utf-8")
            commit(repo, "social-ekonomi: ny formulering")
    assert codes == EXIT_CODES, codes  # the day went as planned: refusals refused, the rest done
    broken.write_text("---\ntitle: Trasig\nstatus: antagna\nrevew: x\ndecisions:\n  - action: fastställd\n"
                      "    body: kommunstyrelsen\n    date: 2024-13-01\n---\n\n# Rubrik\n", "utf-8")
    stdout, stderr, code = _invoke(["check"], lang)
    assert code == 1
    if bad := _foreign(stderr + stdout, foreign, _document_words(repo)):
        found["check-broken"] = bad
    broken.unlink()
    allowed = _document_words(repo)
    for name, make in [("fifo", lambda p: os.mkfifo(p)), ("link-out", lambda p: p.symlink_to("/etc/passwd")),
                       ("folder", lambda p: p.mkdir())]:
        odd = repo / "policy" / "udda.md"
        make(odd)
        stdout, stderr, code = _invoke(["check"], lang)
        assert code == 1, (name, stdout, stderr)
        if bad := _foreign(stderr + stdout, foreign, allowed):
            found[name] = bad
        odd.rmdir() if name == "folder" else odd.unlink()
    for args in helps:
        stdout, stderr, code = _invoke(args.split(), lang)
        assert code == 0, (args, stdout, stderr)
        if bad := _foreign(stdout, foreign, set()):
            found[args] = bad
    fresh = tmp_path / "ny"
    fresh.mkdir()
    monkeypatch.chdir(fresh)
    for name, args in [("init", ["init"]), ("new", ["new", "riktlinje-inkop", "--type", "riktlinje",
                                                     "--title", "Riktlinje för inköp"]),
                       ("new-refused", ["new", "inkop", "--type", "rutin", "--title", "Rutin för inköp"])]:
        stdout, stderr, _code = _invoke(args, lang)
        if bad := _foreign(stderr + stdout, foreign, _document_words(fresh)):
            found[name] = bad
    assert not found, f"{'English' if lang == 'sv' else 'Swedish'} words in the {lang} output: {found}"


def test_the_vocabularies_are_not_empty() -> None:
    assert {"policies", "missing", "error", "fix"} <= ONLY_ENGLISH
    assert {"granskade", "saknas", "fel", "åtgärd"} <= ONLY_SWEDISH


def test_a_swedish_user_gets_swedish_without_asking(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures", tmp_path / "policy", ignore=shutil.ignore_patterns("*.txt", "*.docx"))
    result = CliRunner().invoke(main, ["--help"], env={"LANG": "sv_SE.UTF-8", "LANGUAGE": "", "LC_ALL": ""})
    assert "Kommandon:" in result.output and not _foreign(result.output, ONLY_ENGLISH, set())
