"""Decisions that can have happened, and files that keep their own words.

adopt refuses a date before the consultation was opened, warns when it is before the remiss
deadline, and takes the case's dnr from the consultation; revise writes no guessed year; the
writing commands keep the Swedish (or English) values the file already uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gitrepo import ID, REL, TODAY, adopt_2018, commit, git, policy_text
from gitrepo import repo_fixture  # noqa: F401  (provides the `repo` fixture)
from styrdok import i18n, lifecycle
from styrdok.consult import consult
from styrdok.errors import StyrdokError
from styrdok.workspace import Workspace

OPENED = "consultation:\n  deadline: 2027-02-15\n  opened: 2026-12-01\n  dnr: KS 2026/45\n"


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language(None)


def _on_remiss(repo: Path) -> None:
    adopt_2018(repo)
    lifecycle.revise(Workspace(repo), ID, today=TODAY)
    text = policy_text(repo).replace("status: draft", "status: consultation").replace("consultation:\n", OPENED, 1)
    (repo / REL).write_text(text, "utf-8")
    commit(repo, "social-ekonomi: på remiss")


def test_a_decision_before_the_consultation_opened_is_refused(repo: Path) -> None:
    _on_remiss(repo)
    before = policy_text(repo)
    with pytest.raises(StyrdokError, match=r"the date 2026-11-30 is before the consultation was opened \(2026-12-01\)"):
        lifecycle.adopt(Workspace(repo), ID, date="2026-11-30", paragraph=1, today=dt.date(2027, 3, 1))
    assert policy_text(repo) == before and "social-ekonomi/2026-11-30" not in git(repo, "tag")


def test_a_decision_before_the_deadline_is_recorded_with_a_warning_and_the_cases_dnr(repo: Path) -> None:
    _on_remiss(repo)
    done = lifecycle.adopt(Workspace(repo), ID, date="2027-02-01", paragraph=12, today=dt.date(2027, 3, 1))
    assert done.warnings == ("the decision (2027-02-01) is dated before the remiss deadline (2027-02-15): "
                             "not every answer may have been in",)
    assert done.decision.dnr == "KS 2026/45"  # consult --dnr, as adopt got no --dnr
    assert done.revision.subject.endswith("2027-02-01, § 12 (dnr KS 2026/45)")
    later = _next_revision_after(repo)
    assert later.warnings == () and later.decision.dnr is None  # the old consultation is not this revision's


def _next_revision_after(repo: Path) -> lifecycle.Adoption:
    lifecycle.revise(Workspace(repo), ID, today=dt.date(2027, 3, 1))
    commit(repo, "social-ekonomi: nästa revidering")
    return lifecycle.adopt(Workspace(repo), ID, date="2027-04-01", paragraph=3, today=dt.date(2027, 5, 1))


def test_revise_writes_no_guessed_year(repo: Path) -> None:
    adopt_2018(repo)
    policy = lifecycle.revise(Workspace(repo), ID, today=dt.date(2026, 12, 20))
    assert policy.meta.decisions[-1].year is None
    assert policy.meta.decisions[-1].line() == "Reviderad av kommunstyrelsen ÅÅÅÅ-XX-XX, § XX"


def test_the_file_keeps_its_swedish_words(repo: Path) -> None:
    adopt_2018(repo)
    (repo / REL).write_text(policy_text(repo).replace("status: adopted", "status: antagen")
                            .replace("review: mandate-period", "review: mandatperiod"), "utf-8")
    commit(repo, "social-ekonomi: svenska värden")
    lifecycle.revise(Workspace(repo), ID, today=TODAY, year=2027)
    assert "status: utkast\n" in policy_text(repo) and "review: mandatperiod\n" in policy_text(repo)
    commit(repo, "social-ekonomi: revidering")
    consult(Workspace(repo), ID, "2027-02-15", dnr="KS 2026/45", today="2026-11-25", out=repo.parent / "remiss")
    assert "status: remiss\n" in policy_text(repo) and "  opened: 2026-11-25\n" in policy_text(repo)
    commit(repo, "social-ekonomi: på remiss")
    done = lifecycle.adopt(Workspace(repo), ID, date="2027-03-02", paragraph=40, today=dt.date(2027, 3, 3))
    assert "status: antagen\n" in policy_text(repo) and done.decision.dnr == "KS 2026/45" and not done.warnings
