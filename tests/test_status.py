"""Mandate periods and the status table: done, due, overdue at and around 15 October."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from gitrepo import ID, REL, SEED, TODAY, adopt_2018
from gitrepo import repo_fixture  # noqa: F401  (provides the `repo` fixture)
from styrdok import cli, lifecycle
from styrdok.errors import StyrdokError
from styrdok.lifecycle import Due
from styrdok.mandate import MandatePeriod, periods_between
from styrdok.workspace import Workspace

DAYS = st.dates(min_value=dt.date(1994, 10, 15), max_value=dt.date(2200, 1, 1))
ANY_DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1))

# --- mandate periods ------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "election_year"), [
    ("2026-11-25", 2026), ("2026-10-15", 2026), ("2026-10-14", 2022), ("2022-10-15", 2022),
    ("2018-03-06", 2014), ("2015-05-26", 2014), ("1994-10-15", 1994), ("2030-10-15", 2030),
])
def test_the_period_containing_a_day(day: str, election_year: int) -> None:
    assert MandatePeriod.containing(dt.date.fromisoformat(day)).election_year == election_year


def test_a_period_reads_as_its_years() -> None:
    period = MandatePeriod(2026)
    assert (str(period), period.start, period.end) == ("2026–2030", dt.date(2026, 10, 15), dt.date(2030, 10, 15))
    assert period.previous() == MandatePeriod(2022) and period.next() == MandatePeriod(2030)


@pytest.mark.parametrize("year", [2025, 2027, 1990, 1993])
def test_only_election_years_start_a_period(year: int) -> None:
    with pytest.raises(ValueError, match="not a municipal election year"):
        MandatePeriod(year)


def test_the_calendar_starts_in_1994() -> None:
    with pytest.raises(ValueError, match="before the 1994 mandate period"):
        MandatePeriod.containing(dt.date(1994, 10, 14))
    with pytest.raises(ValueError):
        MandatePeriod(1994).previous()


@given(DAYS)
def test_every_day_lies_in_exactly_its_period(day: dt.date) -> None:
    period = MandatePeriod.containing(day)
    assert day in period and period.start <= day < period.end
    assert (period.start.month, period.start.day) == (10, 15) and period.end == period.next().start
    assert day not in period.next()
    if period.election_year > 1994:
        assert day not in period.previous() and period.previous().end == period.start


@given(DAYS, DAYS)
def test_periods_between_counts_period_starts(a: dt.date, b: dt.date) -> None:
    earlier, later = sorted((a, b))
    count = periods_between(earlier, later)
    assert count == (MandatePeriod.containing(later).election_year - MandatePeriod.containing(earlier).election_year) // 4
    assert periods_between(later, earlier) == -count
    assert count == sum(1 for y in range(1994, 2201, 4) if earlier < dt.date(y, 10, 15) <= later)


@given(ANY_DAYS, ANY_DAYS, ANY_DAYS)
def test_periods_between_adds_up_even_before_1994(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert periods_between(a, b) + periods_between(b, c) == periods_between(a, c)
    assert periods_between(a, a) == 0


# --- review states --------------------------------------------------------------------------

def policy_with(tmp_path: Path, decisions: str, *, review: str = "mandate-period", status: str = "adopted") -> Workspace:
    text = SEED.read_text("utf-8")
    head, body = text.split("decisions:\n", 1)
    head = head.replace("status: draft", f"status: {status}").replace("review: mandate-period", f"review: {review}")
    (tmp_path / "policy").mkdir(exist_ok=True)
    (tmp_path / REL).write_text(head + "decisions:\n" + decisions + "---\n" + body.split("\n---\n", 1)[1], "utf-8")
    return Workspace(tmp_path)


def decided(date: str, action: str = "reviderad") -> str:
    return (f"  - action: fastställd\n    body: kommunstyrelsen\n    date: 2015-05-26\n    paragraph: 129\n"
            f"  - action: {action}\n    body: kommunstyrelsen\n    date: {date}\n    paragraph: 1\n")


@pytest.mark.parametrize(("last", "today", "state"), [
    ("2022-12-01", "2026-10-14", Due.DONE),  # the last day of the 2022 period
    ("2022-12-01", "2026-10-15", Due.DUE),  # the first day of the 2026 period
    ("2022-12-01", "2030-10-14", Due.DUE),
    ("2022-12-01", "2030-10-15", Due.OVERDUE),
    ("2019-01-01", "2026-10-14", Due.DUE),
    ("2019-01-01", "2026-10-15", Due.OVERDUE),
    ("2026-10-15", "2026-10-15", Due.DONE),
    ("2026-10-14", "2026-10-15", Due.DUE),
    ("2018-03-06", "2026-11-25", Due.OVERDUE),  # Timrå's social-ekonomi: nothing since 2018
    ("2018-03-06", "2018-10-14", Due.DONE),
    ("2018-03-06", "2018-10-15", Due.DUE),
])
def test_review_state(tmp_path: Path, last: str, today: str, state: Due) -> None:
    ws = policy_with(tmp_path, decided(last))
    row = lifecycle.status(ws, dt.date.fromisoformat(today)).rows[0]
    assert row.due is state
    assert row.last.date == dt.date.fromisoformat(last)


def test_a_decision_after_today_has_not_happened_yet(tmp_path: Path) -> None:
    ws = policy_with(tmp_path, decided("2026-12-08"))
    row = lifecycle.status(ws, dt.date(2026, 12, 7)).rows[0]
    assert row.last.date == dt.date(2015, 5, 26) and row.due is Due.OVERDUE


def test_repealed_not_reviewed_and_never_adopted(tmp_path: Path) -> None:
    assert lifecycle.status(policy_with(tmp_path, decided("2020-01-01", "upphävd")), TODAY).rows[0].due is Due.REPEALED
    assert lifecycle.status(policy_with(tmp_path, decided("2016-01-01"), review="none"), TODAY).rows[0].due is Due.NOT_REVIEWED
    new = "  - action: fastställd\n    body: kommunstyrelsen\n    pending: true\n"
    row = lifecycle.status(policy_with(tmp_path, new, status="draft"), TODAY).rows[0]
    assert row.due is Due.DUE and row.last is None


def test_status_before_the_calendar_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StyrdokError, match="no mandate period for 1990-01-01"):
        lifecycle.status(policy_with(tmp_path, decided("2020-01-01")), dt.date(1990, 1, 1))


# --- the table ------------------------------------------------------------------------------

def table(root: Path, monkeypatch: pytest.MonkeyPatch, today: str):
    monkeypatch.chdir(root)
    return CliRunner().invoke(cli.main, ["status", "--today", today])


def test_social_ekonomi_is_overdue_after_its_2018_adoption(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lifecycle.status(Workspace(repo), TODAY).rows[0].due is Due.OVERDUE  # draft: only 2015 decided
    adopt_2018(repo)
    result = table(repo, monkeypatch, "2026-11-25")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Mandate period 2026–2030 (from 2026-10-15); today 2026-11-25"
    assert lines[2].split() == ["id", "type", "status", "last", "decision", "review"]
    assert lines[3].split("  ")[0] == ID
    assert [c.strip() for c in lines[3].split("  ") if c.strip()] == [
        ID, "policy", "adopted", "Reviderad av kommunstyrelsen 2018-03-06, § 64", "overdue"]


def test_the_table_lists_every_policy_and_flags_invalid_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy_with(tmp_path, decided("2023-02-01"))
    shutil.copy(tmp_path / REL, tmp_path / "policy" / "a-plan.md")
    (tmp_path / "policy" / "a-plan.md").write_text(
        (tmp_path / REL).read_text("utf-8").replace("id: social-ekonomi\n", "").replace("type: policy", "type: plan"), "utf-8")
    (tmp_path / "policy" / "trasig.md").write_text("---\ntitle: x\n---\n", "utf-8")
    result = table(tmp_path, monkeypatch, "2026-11-25")
    assert result.exit_code == 1
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[3:6]}
    assert rows["a-plan"][1:3] == ["plan", "adopted"] and rows["a-plan"][-1] == "due"
    assert rows[ID][-1] == "due"
    assert rows["trasig"][1:] == ["?", "invalid", "—", "?"]
    assert "policy/trasig.md" in result.output and "1 policy has errors in its front matter: trasig" in result.output
