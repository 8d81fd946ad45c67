"""The shared pieces every stage uses: the clock, the front-matter editor, the one error type,
and the bugs they fixed (a broken PDF template, no git on PATH, a stale __all__)."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pickle
import pkgutil
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import styrdok
from conftest import SEED_POLICY, run
from styrdok import build, clock, frontmatter, source
from styrdok.cli import main
from styrdok.errors import InvalidPolicy, Problem, StyrdokError
from styrdok.workspace import Workspace


# --- clock ----------------------------------------------------------------------------------

def test_today_prefers_the_option_then_styrdok_today_then_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.TODAY_ENV, raising=False)
    monkeypatch.delenv(clock.EPOCH_ENV, raising=False)
    assert clock.today() == dt.date.today()
    monkeypatch.setenv(clock.EPOCH_ENV, "1520294400")  # 2018-03-06T00:00:00Z
    assert clock.today() == dt.date(2018, 3, 6)
    assert clock.epoch() == dt.datetime(2018, 3, 6, tzinfo=dt.timezone.utc) == clock.midnight(dt.date(2018, 3, 6))
    monkeypatch.setenv(clock.TODAY_ENV, "2026-11-25")
    assert clock.today() == dt.date(2026, 11, 25)
    assert clock.today("2027-01-02") == clock.today(dt.date(2027, 1, 2)) == dt.date(2027, 1, 2)


@pytest.mark.parametrize(("name", "value", "message"), [
    (clock.TODAY_ENV, "25/11", "STYRDOK_TODAY cannot be used: '25/11' is not a date written YYYY-MM-DD"),
    (clock.TODAY_ENV, "2026-02-30", "'2026-02-30' is not a real date"),
    (clock.EPOCH_ENV, "igår", "SOURCE_DATE_EPOCH=igår cannot be used"),
])
def test_a_bad_clock_setting_is_an_error_with_a_fix(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                                   message: str) -> None:
    monkeypatch.delenv(clock.TODAY_ENV, raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(StyrdokError) as caught:
        clock.today()
    assert message in str(caught.value) and "fix: " in str(caught.value)


@pytest.mark.parametrize("text", ["2026-1-5", "20261105", "2026-11-05T10:00", " ", "2026-13-01"])
def test_parse_date_accepts_only_real_dates_written_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(clock.BadDate):
        clock.parse_date(text)
    assert clock.parse_date(" 2026-11-05 ") == dt.date(2026, 11, 5)


# --- front matter -----------------------------------------------------------------------------

@pytest.mark.parametrize(("bom", "newline"), [(b"", b"\n"), (b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n"),
                                               (b"\xef\xbb\xbf", b"\r\n")])
def test_rewrite_changes_only_the_edited_line_keeping_bom_and_line_endings(bom: bytes, newline: bytes) -> None:
    original = bom + SEED_POLICY.read_bytes().replace(b"\n", newline)

    def change(data) -> None:
        data["status"] = "consultation"

    new = frontmatter.rewrite(original, change)
    assert new.startswith(bom) and (new.count(b"\r\n") == original.count(b"\r\n"))
    old_lines, new_lines = original.split(b"\n"), new.split(b"\n")
    assert len(old_lines) == len(new_lines)
    assert [(a, b) for a, b in zip(old_lines, new_lines) if a != b] == [
        (b"status: draft" + newline.rstrip(b"\n"), b"status: consultation" + newline.rstrip(b"\n"))]


def test_split_names_the_file_and_line() -> None:
    with pytest.raises(InvalidPolicy) as caught:
        frontmatter.split("---\ntitle: x\n", "policy/x.md")
    assert str(caught.value) == ("policy/x.md:1: error: the front matter is not closed\n"
                                 "    fix: add a line with '---' after the metadata")


# --- the error type -------------------------------------------------------------------------

def test_one_reason_reads_what_why_fix() -> None:
    error = StyrdokError.because("cannot adopt x", "it has no pending decision", "run `styrdok revise x`")
    assert str(error) == "cannot adopt x: it has no pending decision\n    fix: run `styrdok revise x`"


def test_several_problems_are_listed_each_with_its_fix() -> None:
    error = StyrdokError("cannot adopt x", [Problem.reason("the date is in the future", "give the meeting's date"),
                                            Problem("policy/x.md", 4, "placeholder 'XX'", "replace it")])
    assert str(error) == ("cannot adopt x:\n"
                          "  - the date is in the future\n      fix: give the meeting's date\n"
                          "  - policy/x.md:4: error: placeholder 'XX'\n      fix: replace it")


def test_errors_survive_the_process_pool() -> None:
    error = InvalidPolicy([Problem("policy/x.md", 3, "bad", "fix it")])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InvalidPolicy and again.problems == error.problems and str(again) == str(error)


# --- the bugs -------------------------------------------------------------------------------

def test_a_broken_pdf_template_override_is_a_template_error(policy_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not 'internal error … a bug in styrdok' (exit 70): the template, Typst's line, a fix; nothing written."""
    (policy_repo / "templates").mkdir()
    (policy_repo / "templates" / "policy.typ").write_text("#set page(paper: \"a4\")\n#let broken = (\n", "utf-8")
    monkeypatch.chdir(policy_repo)
    outcome = CliRunner().invoke(main, ["build", "social-ekonomi"])
    assert outcome.exit_code == 1, outcome.output
    assert "internal error" not in outcome.output
    template = str(policy_repo / "templates" / "policy.typ")
    assert f"{template}:2: error: the PDF template does not compile (Typst): unclosed delimiter" in outcome.output
    assert f"fix: correct {template} at line 2" in outcome.output
    assert not (policy_repo / "build" / "social-ekonomi").exists()


@pytest.fixture
def no_git_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has no git (styrdok's own script and converters need no PATH)."""
    empty = tmp_path / "bin"
    empty.mkdir()
    return {**os.environ, "PATH": str(empty)}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is absent anyway")
def test_without_git_doctor_reports_it_and_diff_of_two_files_works(tmp_path: Path,
                                                                  no_git_on_path: dict[str, str]) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    text = SEED_POLICY.read_text("utf-8")
    old.write_text(text, "utf-8")
    new.write_text(text.replace("samverkan", "samarbete", 1), "utf-8")
    doctor = run(["doctor"], tmp_path, env=no_git_on_path)
    assert "Traceback" not in doctor.stderr and doctor.returncode == 1, doctor.stderr
    assert any(line.startswith("git ") and "missing" in line for line in doctor.stdout.splitlines()), doctor.stdout
    diff = run(["diff", str(old), str(new), "--out", str(tmp_path / "out")], tmp_path, env=no_git_on_path)
    assert diff.returncode == 1 and "Traceback" not in diff.stderr, diff.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["changes.md", "redline.docx", "redline.html",
                                                                     "redline.pdf"]
    (tmp_path / "policy").mkdir()
    shutil.copy(SEED_POLICY, tmp_path / "policy")
    log = run(["log", "social-ekonomi"], tmp_path, env=no_git_on_path)  # needs git: a clear error instead
    assert log.returncode == 2 and "Traceback" not in log.stderr, log.stderr
    assert "git is not installed" in log.stderr and "fix: install git" in log.stderr


def test_every_name_in_every_all_exists() -> None:
    modules = [styrdok, *(importlib.import_module(m.name) for m in pkgutil.walk_packages(styrdok.__path__, "styrdok."))]
    missing = [f"{module.__name__}.{name}" for module in modules for name in getattr(module, "__all__", ())
               if not hasattr(module, name)]
    assert missing == []


def test_front_matter_id_names_a_file_compared_outside_its_repository(tmp_path: Path) -> None:
    path = tmp_path / "version-2015.md"
    path.write_bytes(SEED_POLICY.read_bytes())
    assert source.load(path, declared_id=True).id == "social-ekonomi"
    assert source.check_file(path)[0] is None  # without declared_id the file name must match


def test_build_reports_template_errors_per_policy(policy_repo: Path) -> None:
    (policy_repo / "templates").mkdir()
    (policy_repo / "templates" / "policy.html.j2").write_text("{% if %}\n", "utf-8")
    report = build.build(Workspace(policy_repo), out=policy_repo / "out")
    assert not report.ok
    (problem,) = report.results[0].problems
    assert problem.line == 1 and problem.path.endswith("policy.html.j2")
