"""Page models: what each site page shows around a version's text, as plain frozen values.

The builders are pure: they take the entry, the labels and `sizes` (site path → bytes of every file
the pages link: from the bytes just rendered, or from the manifests and cache records of files
published earlier), and never look at the disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..consult.package import CHANGES, FORM, MISSIV, VERSION
from ..consult.responses import ARCHIVE_DOCUMENTS
from ..model import Action, Decision
from ..render.document import decision_line
from ..theme import Labels
from .frozen import with_previous
from .gather import AdoptedVersion, Entry, Round
from .layout import CHANGES_DIR, PAGE, REDLINE_FILES, REDLINE_PAGE, document_files, remiss_folder

Sizes = Mapping[str, int]  # site path → size in bytes


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
    changes: tuple[Link, ...] = ()  # the redline of the proposal against the version in force


@dataclass(frozen=True)
class Superseded:
    """The version in force that replaced this one: its page (relative), date and deciding body."""

    href: str
    date: str
    body: str
    paragraph: int | None


@dataclass(frozen=True)
class Repealed:
    text: str  # "Upphävd av kommunstyrelsen 2026-11-25, § 190."


@dataclass(frozen=True)
class ArchiveInfo:
    """A closed consultation, kept as the archive of the version it led to."""

    deadline: str  # "15 februari 2027"
    dnr: str | None
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
    superseded: Superseded | None = None  # a version no longer in force: what replaced it
    repealed: Repealed | None = None  # the policy has been repealed (upphävd)
    archive: ArchiveInfo | None = None  # the consultation that led to this version


def size_text(size: int) -> str:
    """'84 kB', '1,2 MB' (Swedish decimal comma)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def line(decision: Decision, labels: Labels) -> str:
    """The decision line for a web page, as the documents print it: '§ 64' never breaks at the end of a line."""
    return decision_line(decision, labels).replace("§ ", "§\u00a0")


def archives(entry: Entry) -> list[tuple[Round, AdoptedVersion, AdoptedVersion | None]]:
    """Every closed consultation that led to an adopted version: (the consultation, the first version
    adopted after its last commit, the version in force while it ran)."""
    found = []
    for closed in entry.rounds:
        if closed is entry.consultation:
            continue
        later = [v for v in entry.versions if entry.before(closed.sha, v.revision.sha)]
        if later:
            earlier = [v for v in entry.versions if entry.before(v.revision.sha, closed.sha)]
            found.append((closed, later[0], earlier[-1] if earlier else None))
    return found


def status_of(entry: Entry, version: AdoptedVersion | None, root: str, labels: Labels
              ) -> tuple[Superseded | None, Repealed | None]:
    """Whether `version` (None: the policy's page) is still in force: its page says so first if not."""
    last = entry.meta.last_decision
    if last is not None and last.action is Action.REPEALED and last.date:
        return None, Repealed(labels("site.repealed", body=last.body, date=last.date.isoformat(),
                                     paragraph=last.paragraph))
    current = entry.current
    if version is None or current is None or version is current:
        return None, None
    return Superseded(f"{root}{current.folder}/{PAGE}", current.date.isoformat(), current.decision.body,
                      current.decision.paragraph), None


def file_link(sizes: Sizes, label: str, relative: str, root: str, context: str = "") -> Link:
    return Link(label, root + relative, size_text(sizes[relative]), context)


def downloads(sizes: Sizes, words: Labels, version: AdoptedVersion, root: str, context: str = "",
              *, page: bool = False) -> tuple[Link, ...]:
    return tuple(file_link(sizes, words(key), f"{version.folder}/{name}", root, context)
                 for key, name in document_files(version.policy_id, page=page))


def archive_info(entry: Entry, version: AdoptedVersion, root: str, labels: Labels, sizes: Sizes) -> ArchiveInfo | None:
    closed = next((r for r, led_to, _ in archives(entry) if led_to == version), None)
    if closed is None:
        return None
    folder = remiss_folder(entry.id, closed.deadline)
    documents = tuple(
        Link(labels(key), f"{root}{folder}/{name}") if name.endswith(".html")
        else file_link(sizes, labels(key), f"{folder}/{name}", root)
        for key, name in ARCHIVE_DOCUMENTS if f"{folder}/{name}" in sizes)
    return ArchiveInfo(labels.date_long(closed.deadline), closed.dnr, documents)


def version_page(entry: Entry, version: AdoptedVersion, previous: AdoptedVersion | None, labels: Labels,
                 sizes: Sizes) -> PolicyPage:
    """A version's page around its frozen documents."""
    root = "../../"
    links = downloads(sizes, labels, version, root, page=True)
    changes: tuple[Link, ...] = ()
    earlier: Link | None = None
    if previous:
        earlier = Link(labels("site.previous_version", date=previous.date.isoformat()), f"{root}{previous.folder}/{PAGE}")
        changes = (Link(labels("site.changes_since_previous"), f"{root}{version.folder}/{CHANGES_DIR}/{REDLINE_PAGE}"),)
    superseded, repealed = status_of(entry, version, root, labels)
    return PolicyPage(root=root, policy_href=f"{root}{entry.id}/{PAGE}", current=False,
                      date=version.date.isoformat(), downloads=links, changes=changes, previous=earlier,
                      superseded=superseded, repealed=repealed,
                      archive=archive_info(entry, version, root, labels, sizes))


def policy_page(entry: Entry, labels: Labels, sizes: Sizes, today: dt.date) -> PolicyPage:
    """The policy's own page: its version in force, its history and an open consultation."""
    current = entry.current
    assert current is not None
    root = "../"
    return PolicyPage(root=root, policy_href=PAGE, current=True, date=current.date.isoformat(),
                      downloads=downloads(sizes, labels, current, root, page=True),
                      history=history_rows(entry, root, labels, sizes),
                      consultation=consultation_info(entry, root, labels, sizes, today),
                      repealed=status_of(entry, None, root, labels)[1],
                      archive=archive_info(entry, current, root, labels, sizes))


def history_rows(entry: Entry, root: str, words: Labels, sizes: Sizes) -> tuple[HistoryRow, ...]:
    by_date = {version.date: (previous, version) for previous, version in with_previous(entry.versions)}
    rows = []
    for decision in reversed(entry.meta.decisions):
        if decision.date is None:  # pending: not in the history yet
            continue
        adopted = by_date.get(decision.date)
        if adopted is None:
            rows.append(HistoryRow(line(decision, words), False, None))
            continue
        previous, version = adopted
        day = version.date.isoformat()
        context = words("site.version_context", date=day)
        changes: tuple[Link, ...] = ()
        if previous:
            changes_dir = f"{version.folder}/{CHANGES_DIR}"
            changes = (Link(words("site.changes"), f"{root}{changes_dir}/{REDLINE_PAGE}",
                            context=words("site.changes_context", old=previous.date.isoformat(), new=day)),
                       *(file_link(sizes, words(key), f"{changes_dir}/{name}", root,
                                   words("site.changes_file_context", date=day))
                         for name, key in REDLINE_FILES))
        rows.append(HistoryRow(line(decision, words), version is entry.current,
                               Link(words("site.version_crumb", date=day), f"{root}{version.folder}/{PAGE}"),
                               downloads(sizes, words, version, root, context), changes))
    return tuple(rows)


def consultation_info(entry: Entry, root: str, words: Labels, sizes: Sizes, today: dt.date) -> ConsultationInfo | None:
    consultation = entry.consultation
    if consultation is None:
        return None
    folder = remiss_folder(entry.id, consultation.deadline)
    documents = (Link(words("site.remiss_web"), f"{root}{folder}/{VERSION}.html"),
                 *(file_link(sizes, words(key), f"{folder}/{name}", root) for key, name in (
                     ("site.remiss_pdf", f"{VERSION}.pdf"),
                     ("site.remiss_docx", f"{VERSION}.docx"),
                     ("site.remiss_form", FORM),
                     ("site.remiss_missiv", MISSIV))))
    changes: tuple[Link, ...] = ()
    if f"{folder}/{CHANGES}.html" in sizes:  # the proposal against the version in force
        changes = (Link(words("site.remiss_redline"), f"{root}{folder}/{CHANGES}.html"),
                   *(file_link(sizes, words("site.remiss_redline_pdf"), f"{folder}/{CHANGES}.pdf", root)
                     for _ in (1,) if f"{folder}/{CHANGES}.pdf" in sizes))
    return ConsultationInfo(words.date_long(consultation.deadline), consultation.dnr, consultation.deadline >= today,
                            consultation.bodies, documents, changes)
