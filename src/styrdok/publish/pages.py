"""Page models: what each page of the site shows, built from the gathered entries alone.

Pure functions: no file is read. File sizes come from `sizes` (site-relative path → bytes), which
the caller fills from the bytes it rendered or from the manifests and cache records of files
published earlier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Action, Decision, Status
from ..theme import Labels
from ..render.remiss import FORM, MISSIV, VERSION, swedish_date
from .frozen import with_previous
from .gather import AdoptedVersion, Entry, Round
from .layout import CHANGES_DIR, PAGE, PAGE_DOWNLOADS, REDLINE_FILES, REDLINE_PAGE, document_files

Sizes = Mapping[str, int]  # site-relative path → size in bytes


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    size: str = ""  # "84 kB" for a download
    context: str = ""  # read out after the label, for links whose label repeats ("PDF" in each row)


@dataclass(frozen=True)
class HistoryRow:
    decision: str  # the decision line
    current: bool
    page: Link | None  # the version's page, if the version is in git
    downloads: tuple[Link, ...] = ()
    changes: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ConsultationInfo:
    deadline: str  # "15 februari 2027"
    dnr: str | None
    open: bool
    bodies: tuple[str, ...]
    documents: tuple[Link, ...]


@dataclass(frozen=True)
class PolicyPage:
    """What site_policy.html.j2 shows around a version's text (`current`: the policy's own page)."""

    root: str  # from the page to the site root: "../" or "../../"
    policy_href: str
    current: bool
    date: str
    downloads: tuple[Link, ...]
    changes: tuple[Link, ...] = ()
    previous: Link | None = None
    history: tuple[HistoryRow, ...] = ()
    consultation: ConsultationInfo | None = None


@dataclass(frozen=True)
class RemissPage:
    """What site_remiss.html.j2 shows: a policy out on consultation that has no adopted version yet."""

    history: tuple[HistoryRow, ...]
    consultation: ConsultationInfo | None


@dataclass(frozen=True)
class RegisterRow:
    title: str
    href: str
    doctype: str
    status: str
    consultation: str | None  # the deadline of an open consultation
    last_decision: str | None
    due: str


def size_text(size: int) -> str:
    """'84 kB', '1,2 MB' (Swedish decimal comma)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def decision_line(decision: Decision) -> str:
    """The decision line for a web page: '§ 64' never breaks at the end of a line."""
    return decision.line().replace("§ ", "§\u00a0")


def file_link(label: str, relative: str, root: str, sizes: Sizes, context: str = "") -> Link:
    return Link(label, root + relative, size_text(sizes[relative]), context)


def downloads(version: AdoptedVersion, root: str, sizes: Sizes, context: str = "",
              labels: tuple[str, str] = ("PDF", "Word")) -> tuple[Link, ...]:
    return tuple(file_link(label, f"{version.folder}/{name}", root, sizes, context)
                 for label, name in document_files(version.policy_id, labels))


def version_page(entry: Entry, version: AdoptedVersion, previous: AdoptedVersion | None, sizes: Sizes) -> PolicyPage:
    """An adopted version's own page (`<id>/<date>/index.html`), frozen with its folder."""
    root = "../../"
    changes: tuple[Link, ...] = ()
    earlier: Link | None = None
    if previous:
        earlier = Link(f"Föregående version, antagen {previous.date.isoformat()}", f"{root}{previous.folder}/{PAGE}")
        changes = (Link("Ändringar jämfört med föregående version",
                        f"{root}{version.folder}/{CHANGES_DIR}/{REDLINE_PAGE}"),)
    return PolicyPage(root=root, policy_href=f"{root}{entry.id}/{PAGE}", current=False, date=version.date.isoformat(),
                      downloads=downloads(version, root, sizes, labels=PAGE_DOWNLOADS), changes=changes,
                      previous=earlier)


def policy_page(entry: Entry, sizes: Sizes, today: dt.date) -> PolicyPage | RemissPage:
    """The policy's own page (`<id>/index.html`): its current version, every decision and version, an open
    consultation; a RemissPage while no version is adopted."""
    root = "../"
    history = history_rows(entry, root, sizes)
    consultation = consultation_info(entry, root, sizes, today)
    current = entry.current
    if current is None:
        return RemissPage(history, consultation)
    return PolicyPage(root=root, policy_href=PAGE, current=True, date=current.date.isoformat(),
                      downloads=downloads(current, root, sizes, labels=PAGE_DOWNLOADS),
                      history=history, consultation=consultation)


def history_rows(entry: Entry, root: str, sizes: Sizes) -> tuple[HistoryRow, ...]:
    by_date = {version.date: (previous, version) for previous, version in with_previous(entry.versions)}
    rows = []
    for decision in reversed(entry.meta.decisions):
        if decision.date is None:  # pending: not in the history yet
            continue
        adopted = by_date.get(decision.date)
        if adopted is None:
            rows.append(HistoryRow(decision_line(decision), False, None))
            continue
        previous, version = adopted
        context = f"version {version.date.isoformat()}"
        changes: tuple[Link, ...] = ()
        if previous:
            changes_dir = f"{version.folder}/{CHANGES_DIR}"
            changes = (Link("Ändringar", f"{root}{changes_dir}/{REDLINE_PAGE}",
                            context=f"från {previous.date.isoformat()} till {version.date.isoformat()}"),
                       *(file_link(label, f"{changes_dir}/{name}", root, sizes, f"ändringar {context}")
                         for name, label in REDLINE_FILES))
        rows.append(HistoryRow(decision_line(decision), version is entry.current,
                               Link(f"Version {version.date.isoformat()}", f"{root}{version.folder}/{PAGE}"),
                               downloads(version, root, sizes, context), changes))
    return tuple(rows)


REMISS_DOCUMENTS = (("Remissversionen som PDF", f"{VERSION}.pdf"), ("Remissversionen i Word", f"{VERSION}.docx"),
                    ("Svarsmall i Word", FORM), ("Missiv (följebrev) i Word", MISSIV))


def consultation_info(entry: Entry, root: str, sizes: Sizes, today: dt.date) -> ConsultationInfo | None:
    consultation = entry.consultation
    if consultation is None:
        return None
    folder = consultation.folder(entry.id)
    documents = (Link("Remissversionen som webbsida", f"{root}{folder}/{VERSION}.html"),
                 *(file_link(label, f"{folder}/{name}", root, sizes) for label, name in REMISS_DOCUMENTS))
    return ConsultationInfo(swedish_date(consultation.deadline), consultation.dnr, consultation.deadline >= today,
                            consultation.bodies, documents)


def register_row(entry: Entry, labels: Labels) -> RegisterRow:
    meta = entry.meta
    last = meta.last_decision
    repealed = last is not None and last.action is Action.REPEALED
    status = "Upphävd" if repealed else Status.ADOPTED.swedish if entry.versions else Status.CONSULTATION.swedish
    deadline = swedish_date(entry.consultation.deadline) if entry.consultation else None
    return RegisterRow(meta.title, f"{entry.id}/{PAGE}", labels.doctype(meta.type), status, deadline,
                       decision_line(last) if last else None, entry.due.value)


def remiss_href(entry: Entry, consultation: Round) -> str:
    """The page a consultation is read on: its remissversion while open, else the policy's page."""
    if consultation is entry.consultation:
        return f"{consultation.folder(entry.id)}/{VERSION}.html"
    return f"{entry.id}/{PAGE}"
