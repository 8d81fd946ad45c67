"""The one module that reads the clock: today's date, SOURCE_DATE_EPOCH, and dates written YYYY-MM-DD.

"Today" is, in order: the date given (an option such as `--today`), the environment's
STYRDOK_TODAY, the SOURCE_DATE_EPOCH date (a reproducible build), the system date. Timestamps
inside files are midnight UTC of a day, or SOURCE_DATE_EPOCH itself.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import StyrdokError
from .i18n import _

TODAY_ENV = "STYRDOK_TODAY"
EPOCH_ENV = "SOURCE_DATE_EPOCH"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadDate(ValueError):
    """A date that is not a real date written YYYY-MM-DD; the message says which."""


def parse_date(value: dt.date | str) -> dt.date:
    """A date written YYYY-MM-DD (exactly that form) that exists on the calendar; else BadDate."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not ISO_DATE.match(text):
        raise BadDate(_("'{value}' is not a date written YYYY-MM-DD").format(value=value))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(_("'{value}' is not a real date (check the month and the day)").format(value=value)) from None


def epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as an aware UTC datetime, or None when it is not set."""
    value = os.environ.get(EPOCH_ENV, "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise StyrdokError.because(_("{name}={value} cannot be used").format(name=EPOCH_ENV, value=value),
                                   _("it is not a number of seconds since 1970-01-01"),
                                   _("unset it, or set it to e.g. {example}").format(
                                       example=f"{EPOCH_ENV}=$(git log -1 --format=%ct)")) from None


def today(given: dt.date | str | None = None) -> dt.date:
    """The day a command acts on (see the module's docstring for the order)."""
    if given is not None:
        return _parse_or_refuse(given, "--today")
    if value := os.environ.get(TODAY_ENV, "").strip():
        return _parse_or_refuse(value, TODAY_ENV)
    if stamp := epoch():
        return stamp.date()
    return dt.date.today()


def midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in UTC: the timestamp of a file dated by a decision or a consultation."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _parse_or_refuse(value: dt.date | str, name: str) -> dt.date:
    try:
        return parse_date(value)
    except BadDate as exc:
        example = f"{name}=2026-11-25" if name == TODAY_ENV else f"{name} 2026-11-25"
        raise StyrdokError.because(_("{name} cannot be used").format(name=name), str(exc),
                                   _("give e.g. {example}").format(example=example)) from None
