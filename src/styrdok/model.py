"""The policy model: frozen values, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .i18n import _


class _Bilingual(str, Enum):
    """A front-matter value written in English or in Swedish: `Status("antagen") is Status.ADOPTED`.

    The value (`.value`) is the English word; `.sv` the Swedish one. Files keep the form they
    use: a writing command spells a new value like the old one (`spelled_like`).
    """

    @classmethod
    def _missing_(cls, value: object) -> _Bilingual | None:
        return next((m for m in cls if m.sv == value), None)

    @property
    def sv(self) -> str:
        raise NotImplementedError

    @classmethod
    def words(cls) -> list[str]:
        """Every accepted word: the English ones, then the Swedish ones."""
        return [m.value for m in cls] + [m.sv for m in cls]

    def spelled_like(self, old: object) -> str:
        """This value as the file would write it: in Swedish if its old value was a Swedish word."""
        return self.sv if isinstance(old, str) and old in {m.sv for m in type(self)} else self.value


class Status(_Bilingual):
    DRAFT = "draft"  # utkast
    CONSULTATION = "consultation"  # remiss
    ADOPTED = "adopted"  # antagen

    @property
    def sv(self) -> str:
        return {"draft": "utkast", "consultation": "remiss", "adopted": "antagen"}[self.value]

    @property
    def swedish(self) -> str:
        return self.sv.capitalize()


def status_word(status: Status) -> str:
    """The status in the user's language (messages and tables; the front matter keeps its own form)."""
    return {Status.DRAFT: _("draft"), Status.CONSULTATION: _("consultation"), Status.ADOPTED: _("adopted")}[status]


class Action(str, Enum):
    """What a decision did to the document, in the words of the minutes."""

    ADOPTED = "fastställd"
    REVISED = "reviderad"
    REPEALED = "upphävd"


class Review(_Bilingual):
    MANDATE_PERIOD = "mandate-period"  # mandatperiod
    YEARS = "years"  # every `Metadata.review_years` years (front matter: `review: 2`)
    NONE = "none"  # ingen

    @property
    def sv(self) -> str:
        return {"mandate-period": "mandatperiod", "years": "år", "none": "ingen"}[self.value]


@dataclass(frozen=True)
class Decision:
    """One decision on the document; date and paragraph (§) are None while pending."""

    action: Action
    body: str
    date: dt.date | None = None
    paragraph: int | None = None
    dnr: str | None = None
    year: int | None = None  # expected year of a pending decision, shown in its placeholder

    @property
    def pending(self) -> bool:
        return self.date is None

    def line(self) -> str:
        """The decision line as the document prints it, with placeholders while pending."""
        date = self.date.isoformat() if self.date else f"{self.year or 'ÅÅÅÅ'}-XX-XX"
        paragraph = self.paragraph if self.paragraph is not None else "XX"
        text = f"{self.action.value.capitalize()} av {self.body} {date}, § {paragraph}"
        return f"{text} (dnr {self.dnr})" if self.dnr else text


@dataclass(frozen=True)
class Consultation:
    bodies: tuple[str, ...] = ()
    deadline: dt.date | None = None
    dnr: str | None = None  # the case's diarienummer, used by adopt unless given another
    opened: dt.date | None = None  # the day `styrdok consult` sent it out


@dataclass(frozen=True)
class Contact:
    """Who answers questions about the document (front matter `contact:`): the handläggare named
    in the missiv and the tjänsteskrivelse."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None  # the officer's title, e.g. "utvecklingsstrateg"

    def parts(self) -> tuple[str, ...]:
        return tuple(p for p in (self.name, self.email, self.phone) if p)


@dataclass(frozen=True)
class Metadata:
    id: str
    title: str
    type: str
    owner: str
    coordinator: str | None
    review: Review
    status: Status
    decisions: tuple[Decision, ...]
    consultation: Consultation | None = None
    keywords: tuple[str, ...] = ()
    review_years: int | None = None  # with review YEARS
    valid_from: dt.date | None = None  # giltig från, when not the decision date
    responsible: str | None = None  # dokumentansvarig (default: coordinator)
    contact: Contact | None = None

    @property
    def pending_decisions(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.pending)

    @property
    def last_decision(self) -> Decision | None:
        done = [d for d in self.decisions if not d.pending]
        return done[-1] if done else None


@dataclass(frozen=True)
class Block:
    """A top-level block of the body: a paragraph, a list, a table …

    `ast` is the pandoc JSON of the block; `text` its plain text; `line` where it starts
    in the source file.
    """

    kind: str
    text: str
    line: int
    ast: Any = field(compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Section:
    """A heading and the blocks up to the next heading. The preamble has level 0 and no title."""

    id: str
    title: str
    level: int
    line: int
    blocks: tuple[Block, ...]
    heading_ast: Any = field(default=None, compare=False, hash=False, repr=False)


PREAMBLE_ID = "inledning"


@dataclass(frozen=True)
class Policy:
    meta: Metadata
    sections: tuple[Section, ...]
    path: str
    source: str = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)
