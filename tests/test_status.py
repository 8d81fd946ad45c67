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
    assert result.exit_code == 1, result.output  # something is overdue: a scheduled job notices
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
    assert result.exit_code == 2  # an error, not "something is due"
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[3:6]}
    assert rows["a-plan"][1:3] == ["plan", "adopted"] and rows["a-plan"][-1] == "due"
    assert rows[ID][-1] == "due"
    assert rows["trasig"][1:] == ["?", "invalid", "—", "?"]
    assert "policy/trasig.md" in result.output and "1 policy has errors in its front matter: trasig" in result.output


# --- what is going on, formats, --due and the exit status -----------------------------------

PENDING = "  - action: reviderad\n    body: kommunstyrelsen\n    pending: true\n"
CONSULTATION = "consultation:\n  deadline: 2027-02-15\n  dnr: KS 2026/45\n"


def _three(tmp_path: Path) -> Path:
    """A revision under way (overdue by the calendar), one on remiss, one done this period."""
    policy_with(tmp_path, decided("2018-03-06") + PENDING, status="draft")
    text = (tmp_path / REL).read_text("utf-8")
    (tmp_path / "policy" / "remiss-plan.md").write_text(
        text.replace("id: social-ekonomi\n", "").replace("status: draft", "status: remiss")
        .replace("decisions:\n", CONSULTATION + "decisions:\n"), "utf-8")
    (tmp_path / "policy" / "klar-plan.md").write_text(
        text.replace("id: social-ekonomi\n", "").replace(PENDING, "").replace("2018-03-06", "2026-11-01")
        .replace("status: draft", "status: antagen"), "utf-8")
    return tmp_path


def test_the_review_state_says_what_is_going_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _three(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["--lang", "sv", "status", "--today", "2026-11-25"])
    assert result.exit_code == 1, result.output
    review = {line.split()[0]: line.split("  ")[-1].strip() for line in result.output.splitlines()[3:]}
    assert review == {"klar-plan": "klar", "remiss-plan": "på remiss till 2027-02-15 (försenad)",
                      ID: "revision pågår (försenad)"}
    assert result.output.splitlines()[0] == "Mandatperiod 2026–2030 (från 2026-10-15); i dag 2026-11-25"


def test_due_only_and_exit_zero_when_nothing_is_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _three(tmp_path)
    monkeypatch.chdir(tmp_path)
    due = CliRunner().invoke(cli.main, ["status", "--today", "2026-11-25", "--due", "--format", "csv"])
    assert due.exit_code == 1
    assert [line.split(",")[0] for line in due.output.splitlines()] == ["id", "remiss-plan", ID]
    for name in ("remiss-plan.md", "social-ekonomi.md"):
        (tmp_path / "policy" / name).unlink()
    calm = CliRunner().invoke(cli.main, ["status", "--today", "2026-11-25", "--due"])
    assert calm.exit_code == 0, calm.output
    assert calm.output.splitlines()[-1] == "Nothing is due or overdue this mandate period."


def test_json_and_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    _three(tmp_path)
    monkeypatch.chdir(tmp_path)
    data = json.loads(CliRunner().invoke(cli.main, ["status", "--today", "2026-11-25", "--format", "json"]).output)
    assert data["format"] == "styrdok-status/1" and data["period"]["start"] == "2026-10-15"
    assert data["needs_action"] == ["remiss-plan", ID]
    by_id = {p["id"]: p for p in data["policies"]}
    want = {"status": "consultation", "review": "overdue", "work": "consultation", "deadline": "2027-02-15",
            "needs_action": True}
    assert {k: by_id["remiss-plan"][k] for k in want} == want
    assert by_id["klar-plan"]["last_decision"]["date"] == "2026-11-01" and by_id["klar-plan"]["work"] is None
    md = CliRunner().invoke(cli.main, ["status", "--today", "2026-11-25", "--format", "markdown"]).output
    lines = md.splitlines()
    assert lines[2] == "| id | type | status | last decision | review |" and lines[3] == "| --- | --- | --- | --- | --- |"
    assert "| klar-plan | policy | adopted | Reviderad av kommunstyrelsen 2026-11-01, § 1 | done |" in lines


# --- review in years, and the deadline the documents print ------------------------------------

@pytest.mark.parametrize(("last", "today", "state"), [
    ("2024-03-01", "2025-02-28", Due.DONE),  # review: 2 — due in the last year before the deadline
    ("2024-03-01", "2025-03-01", Due.DUE),
    ("2024-03-01", "2026-02-28", Due.DUE),  # the deadline itself
    ("2024-03-01", "2026-03-01", Due.OVERDUE),
])
def test_review_every_n_years(tmp_path: Path, last: str, today: str, state: Due) -> None:
    ws = policy_with(tmp_path, decided(last), review="2")
    row = lifecycle.status(ws, dt.date.fromisoformat(today)).rows[0]
    assert row.meta.review_years == 2 and row.due is state


@pytest.mark.parametrize(("last", "review", "deadline"), [
    ("2018-03-06", "mandate-period", "2022-10-14"),
    ("2022-12-01", "mandate-period", "2030-10-14"),
    ("2024-02-29", "1", "2025-02-27"),  # the anniversary of 29 February is 28 February
    ("2024-03-01", "2", "2026-02-28"),
])
def test_the_control_block_prints_the_deadline_status_goes_by(tmp_path: Path, last: str, review: str,
                                                                deadline: str) -> None:
    """'Ska revideras senast' is the last day `styrdok status` says due; the next day it says overdue."""
    from styrdok import source
    from styrdok.render.document import control_rows
    from styrdok.templates import Templates

    ws = policy_with(tmp_path, decided(last), review=review)
    rows = {row.key: row.value for row in control_rows(source.load(tmp_path / REL).meta, Templates(None).labels)}
    assert rows["review_by"] == deadline
    day = dt.date.fromisoformat(deadline)
    assert lifecycle.status(ws, day).rows[0].due is Due.DUE
    assert lifecycle.status(ws, day + dt.timedelta(days=1)).rows[0].due is Due.OVERDUE
