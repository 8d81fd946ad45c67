"""Swedish municipal mandate periods (mandatperioder) and when a document is to be revised: pure
date arithmetic, no I/O.

Since the 1994 election a municipal council is elected for four years counted from 15 October
of the election year (kommunallagen 5 kap. 5 §): 1994, 1998 … 2022, 2026, 2030. An extra
election (extra val) does not start a new period, so the calendar is fixed. Before 1994 terms
were three years and began on 1 January; styrdok's calendar starts with the 1994 period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .i18n import _
from .model import Action, Decision, Metadata, Review

FIRST_ELECTION = 1994
YEARS = 4
START_MONTH, START_DAY = 10, 15


@dataclass(frozen=True, order=True)
class MandatePeriod:
    """The period starting on 15 October of `election_year`; it ends where the next one starts."""

    election_year: int

    def __post_init__(self) -> None:
        if self.election_year < FIRST_ELECTION or (self.election_year - FIRST_ELECTION) % YEARS:
            raise ValueError(_("{year} is not a municipal election year ({first}, {second}, … every {n} years)").format(
                year=self.election_year, first=FIRST_ELECTION, second=FIRST_ELECTION + YEARS, n=YEARS))

    @classmethod
    def containing(cls, day: dt.date) -> MandatePeriod:
        year = _grid_year(day)
        if year < FIRST_ELECTION:
            raise ValueError(_("{day} lies before the {first} mandate period (styrdok's calendar starts {first}-10-15)")
                             .format(day=day, first=FIRST_ELECTION))
        return cls(year)

    @property
    def start(self) -> dt.date:
        return dt.date(self.election_year, START_MONTH, START_DAY)

    @property
    def end(self) -> dt.date:
        """The first day after the period (the next period's start)."""
        return dt.date(self.election_year + YEARS, START_MONTH, START_DAY)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> MandatePeriod:
        return MandatePeriod(self.election_year - YEARS)

    def next(self) -> MandatePeriod:
        return MandatePeriod(self.election_year + YEARS)

    def __str__(self) -> str:
        return f"{self.election_year}–{self.election_year + YEARS}"


@dataclass(frozen=True)
class ReviewWindow:
    """When a document decided on one day must be revised: `due_from` on it is due, after
    `deadline` (ska revideras senast) it is overdue."""

    due_from: dt.date
    deadline: dt.date


def review_window(last: dt.date, years: int | None = None) -> ReviewWindow:
    """The review window after the decision of `last`; `styrdok status` and every document's
    control block both use it, so the two never disagree.

    Every mandate period (`years` None): due from the start of the next period, overdue once that
    period has ended (a whole period passed without revision). Every `years` years: the deadline
    is the day before the `years`-th anniversary; due in the last year before it (the last half
    year for `years` = 1).
    """
    if years is None:
        start = _grid_year(last) + YEARS
        return ReviewWindow(dt.date(start, START_MONTH, START_DAY),
                            dt.date(start + YEARS, START_MONTH, START_DAY) - dt.timedelta(days=1))
    months = 12 * years
    return ReviewWindow(_add_months(last, months - min(12, 6 * years)), _add_months(last, months) - dt.timedelta(days=1))


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def periods_between(earlier: dt.date, later: dt.date) -> int:
    """How many period starts (15 October of an election year) lie in (earlier, later].

    0: the same period; 1: `earlier` is in the period before `later`'s; negative if `earlier`
    is the later date. Dates before 1994 count on the same four-year grid, which is all a
    "how long ago" comparison needs.
    """
    return (_grid_year(later) - _grid_year(earlier)) // YEARS


def _grid_year(day: dt.date) -> int:
    """The election year of the four-year period containing `day`, the grid extended before 1994."""
    year = day.year if (day.month, day.day) >= (START_MONTH, START_DAY) else day.year - 1
    return year - (year - FIRST_ELECTION) % YEARS


def last_decision(meta: Metadata, today: dt.date) -> Decision | None:
    """The newest decision taken by `today` (a later-dated one has not happened yet on that day)."""
    return next((d for d in reversed(meta.decisions) if d.date and d.date <= today), None)


def review_by(meta: Metadata, today: dt.date | None = None) -> dt.date | None:
    """Ska revideras senast: the deadline after the last decision (taken by `today`, if given);
    None if the document is not reviewed, repealed or never decided."""
    last = last_decision(meta, today) if today else meta.last_decision
    if last is None or last.date is None or last.action is Action.REPEALED or meta.review is Review.NONE:
        return None
    return review_window(last.date, meta.review_years).deadline
