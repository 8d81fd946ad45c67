"""The bad-input corpus: every file gets a clear message with file, line and fix; nothing is written for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import click.testing
import pytest
import yaml
from click.testing import CliRunner

from conftest import SEED_POLICY, run
from styrdok.cli import main

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.stem for p in CORPUS.glob("*.md"))


def _repo_with(tmp_path: Path, name: str) -> Path:
    (tmp_path / "policy").mkdir()
    shutil.copy(SEED_POLICY, tmp_path / "policy")
    shutil.copy(CORPUS / f"{name}.md", tmp_path / "policy" / f"{name}.md")
    return tmp_path


@pytest.fixture(scope="module")
def corpus_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository holding every corpus file (each case checks and builds its own id)."""
    repo = tmp_path_factory.mktemp("corpus")
    (repo / "policy").mkdir()
    for path in CORPUS.glob("*.md"):
        shutil.copy(path, repo / "policy" / path.name)
    return repo


def _styrdok(args: list[str], repo: Path, monkeypatch: pytest.MonkeyPatch,
             env: dict[str, str] | None = None) -> click.testing.Result:
    """The command in-process (the corpus is large; an interpreter per case would cost minutes)."""
    monkeypatch.chdir(repo)
    monkeypatch.delenv("STYRDOK_DEBUG", raising=False)
    return CliRunner().invoke(main, args, env=env)


SWEDISH = {"LANG": "sv_SE.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}  # a Swedish user's locale
SEVERITY_SV = {"error": "fel", "warning": "varning"}


def _reported(stderr: str, location: str, message: str, hint: str, fix: str = "fix: ") -> bool:
    lines = stderr.splitlines()
    return any(line.startswith(location) and message in line and i + 1 < len(lines)
               and lines[i + 1].lstrip().startswith(fix) and hint in lines[i + 1]
               for i, line in enumerate(lines))


def test_every_corpus_case_says_what_a_swedish_user_reads() -> None:
    assert not [name for name, want in EXPECTED.items() if want["severity"] != "none" and "sv" not in want]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_and_build_report_the_problem(corpus_repo: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    want = EXPECTED[name]
    repo = corpus_repo

    checked = _styrdok(["check", name], repo, monkeypatch, SWEDISH)  # as a user sees it: in Swedish
    built = _styrdok(["build", name], repo, monkeypatch)  # in English (--lang en, or an English LANG)

    for result in (checked, built):
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        if want["severity"] == "none":
            assert result.exit_code == 0, result.stderr
            assert f"policy/{name}.md:" not in result.stderr, result.stderr
            continue
        if result is checked:
            location = f"policy/{name}.md:{want['line']}: {SEVERITY_SV[want['severity']]}: "
            said = want.get("sv", {"message": "(no sv: in expected.yaml)", "hint": ""})
            assert _reported(result.stderr, location, said["message"], said["hint"], "åtgärd: "), result.stderr
        else:
            location = f"policy/{name}.md:{want['line']}: {want['severity']}: "
            assert _reported(result.stderr, location, want["message"], want["hint"]), result.stderr
        assert result.exit_code == (1 if want["severity"] == "error" else 0), result.stderr
    outputs = repo / "build" / name
    if want["severity"] == "error":
        assert not outputs.exists(), "a policy with errors must not get any output"
        assert f"1 policy failed: {name}" in built.stderr
    else:
        assert sorted(p.suffix for p in outputs.iterdir()) == [".docx", ".html", ".pdf"]


def test_the_other_policies_of_a_run_still_build(tmp_path: Path) -> None:
    bad = sorted(name for name, want in EXPECTED.items() if want["severity"] == "error")
    repo = _repo_with(tmp_path, bad[0])
    for name in bad[1:]:
        shutil.copy(CORPUS / f"{name}.md", repo / "policy" / f"{name}.md")
    result = run(["build"], repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"1 of {len(bad) + 1} policies built" in result.stderr
    assert f"{len(bad)} policies failed: " in result.stderr
    assert sorted(p.name for p in (repo / "build").iterdir() if not p.name.startswith(".")) == ["social-ekonomi"]
    assert sorted(p.suffix for p in (repo / "build" / "social-ekonomi").iterdir()) == [".docx", ".html", ".pdf"]


def test_jinja_syntax_in_the_text_stays_text(tmp_path: Path) -> None:
    repo = _repo_with(tmp_path, "jinja-in-text")
    assert run(["build", "jinja-in-text"], repo).returncode == 0
    html = (repo / "build" / "jinja-in-text" / "jinja-in-text.html").read_text("utf-8")
    assert "{{ config }}" in html and "{% raw %}" in html


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    repo = _repo_with(tmp_path, "unknown-key")
    huge = repo / "policy" / "enorm.md"
    huge.write_bytes(SEED_POLICY.read_bytes() + b"\nOrd och ord.\n" * 2_500_000)  # ~35 MB
    result = run(["build"], repo)
    assert result.returncode == 1
    assert "policy/enorm.md: error: the file is 3" in result.stderr and "refuses policy files over 2 MB" in result.stderr
    assert not (repo / "build" / "enorm").exists()
    assert (repo / "build" / "social-ekonomi" / "social-ekonomi.docx").is_file()


def test_stop_on_first_failure_when_asked(tmp_path: Path) -> None:
    repo = _repo_with(tmp_path, "empty")
    result = run(["build", "--stop"], repo)
    assert result.returncode == 1
    assert not (repo / "build" / "social-ekonomi").exists()  # 'empty' sorts first and stops the run


def test_markup_in_the_text_never_becomes_live_html() -> None:
    from styrdok import pandoc
    from styrdok.render.html import body_html

    hostile = ('Text <script>alert(1)</script> <img src=x onerror="alert(2)"> `x`{=html}\n\n'
               '```{=html}\n<iframe src="https://evil.example"></iframe>\n```\n')
    blocks = [block for _, block in pandoc.read_markdown(hostile)]
    html = body_html(blocks)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not any(b["t"] in ("RawBlock", "RawInline") for b in blocks)
