"""The register, the feed and the sitemap: the site's pages and data about every policy at once.

Pure: `register_files` takes the gathered entries and returns the files (index.html, the grouped
register views, register.csv, register.json, feed.xml and, with a base URL, sitemap.xml) as bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from collections.abc import Mapping
from pathlib import Path

from .. import clock, fonts
from ..consult.package import CHANGES, VERSION
from ..render.document import decision_line
from ..lifecycle import Due
from ..mandate import review_by
from ..mandate import MandatePeriod
from ..model import Action, Decision, Metadata, Status
from ..templates import Templates
from ..theme import Labels
from .frozen import as_json
from .gather import Entry
from .layout import (CHANGES_DIR, DOCUMENTS, FEED, FEED_TEMPLATE, GROUP_TEMPLATE, INDEX_TEMPLATE, PAGE, REDLINE_PAGE, REGISTER,
                     REGISTER_CSV, REGISTER_FORMAT, REGISTER_VIEWS, SITEMAP, SITEMAP_TEMPLATE, remiss_folder)
from .pages import Link, line


def register_files(entries: list[Entry], templates: Templates, today: dt.date, base_url: str | None,
                   sizes: Mapping[str, int]) -> dict[str, bytes]:
    """Every register file by its site path; sitemap.xml only with a base URL (it needs absolute URLs).
    `sizes` holds the site's files (path → bytes) the sitemap may list besides the known pages."""
    period = MandatePeriod.containing(today)
    labels = templates.labels
    rows = [_register_row(entry, labels, today) for entry in entries]
    views = [Link(labels("site.view_all"), PAGE), *(Link(labels(key), path) for path, key, _ in REGISTER_VIEWS)]
    index = templates.render(INDEX_TEMPLATE, rows=rows, period=str(period), today=today.isoformat(),
                             feed=FEED, register=REGISTER, register_csv=REGISTER_CSV, views=views)
    files = {PAGE: index.encode("utf-8"), **fonts.site_files(templates)}
    for path, key, group in REGISTER_VIEWS:
        title = labels(key.replace("view_by", "view_title_by"))
        page = templates.render(GROUP_TEMPLATE, title=title, root="../", page=Path(path).name, current=path,
                                views=views, groups=_groups(rows, group, labels))
        files[path] = page.encode("utf-8")
    files[REGISTER_CSV] = register_csv(entries, rows)
    files[REGISTER] = as_json(register_data(entries, period, today, base_url))
    files[FEED] = templates.render(FEED_TEMPLATE, **feed(entries, base_url, labels)).encode("utf-8")
    if base_url:
        urls = [(base_url + path, day.isoformat()) for path, day in site_pages(entries, sizes)]
        files[SITEMAP] = templates.render(SITEMAP_TEMPLATE, urls=urls).encode("utf-8")
    return files


@dataclass(frozen=True)
class RegisterRow:
    title: str
    href: str
    doctype: str
    owner: str
    status: str
    consultation: str | None  # the deadline of an open consultation
    last_decision: str | None
    decided: str | None  # the last decision's date and §, and the dnr
    paragraph: int | None
    dnr: str | None
    review_by: str | None  # ska revideras senast (the rule `styrdok status` uses)
    due: str
    due_text: str
    repealed: bool
    type: str = ""



def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def register_data(entries: list[Entry], period: MandatePeriod, today: dt.date, base_url: str | None) -> dict:
    return {"format": REGISTER_FORMAT, "base_url": base_url, "review_state_on": today.isoformat(),
            "mandate_period": str(period), "policies": [_policy_data(entry, today) for entry in entries]}

def _policy_data(entry: Entry, today: dt.date) -> dict:
    meta = entry.meta
    consultation = entry.consultation
    return {
        "id": entry.id, "title": meta.title, "type": meta.type, "owner": meta.owner,
        "coordinator": meta.coordinator, "review": meta.review.value, "status": meta.status.value,
        "review_state": entry.due.value, "page": f"{entry.id}/{PAGE}",
        "decisions": [_decision_data(d) for d in meta.decisions if d.date],
        "versions": [{"date": v.date.isoformat(), "decision": _decision_data(v.decision),
                      "page": f"{v.folder}/{PAGE}", "source_blob": v.blob,
                      **{suffix: f"{v.folder}/{entry.id}.{suffix}" for suffix, _short, _on_page in DOCUMENTS},
                      "redline": f"{v.folder}/{CHANGES_DIR}/{REDLINE_PAGE}" if i else None}
                     for i, v in enumerate(entry.versions)],
        "consultation": {"deadline": consultation.deadline.isoformat(), "dnr": consultation.dnr,
                         "open": consultation.deadline >= today, "bodies": list(consultation.bodies),
                         "opened": iso_utc(consultation.opened),
                         "folder": remiss_folder(entry.id, consultation.deadline)} if consultation else None,
    }

def feed(entries: list[Entry], base_url: str | None, labels: Labels) -> dict:
    items = sorted((item for entry in entries for item in _feed_items(entry, labels)),
                   key=lambda item: (item["updated"], item["id"]), reverse=True)
    prefix = base_url or ""
    for item in items:
        item["href"] = prefix + item["href"]
    return {"id": _urn(f"styrdok:register:{base_url or ''}"), "items": items,
            "updated": items[0]["updated"] if items else "1970-01-01T00:00:00Z",
            "home": prefix + PAGE, "self_href": base_url + FEED if base_url else None}

def site_pages(entries: list[Entry], sizes: Mapping[str, int]) -> list[tuple[str, dt.date]]:
    """Every HTML page of the bundle with the date it last changed, for the sitemap."""
    pages = []
    for entry in entries:
        dates = [v.date for v in entry.versions] + [r.opened.date() for r in entry.rounds]
        pages.append((f"{entry.id}/{PAGE}", max(dates)))
        for i, version in enumerate(entry.versions):
            pages.append((f"{version.folder}/{PAGE}", version.date))
            if i:
                pages.append((f"{version.folder}/{CHANGES_DIR}/{REDLINE_PAGE}", version.date))
        if entry.consultation:
            folder = remiss_folder(entry.id, entry.consultation.deadline)
            pages.append((f"{folder}/{VERSION}.html", entry.consultation.opened.date()))
            if f"{folder}/{CHANGES}.html" in sizes:  # the proposal against the version in force
                pages.append((f"{folder}/{CHANGES}.html", entry.consultation.opened.date()))
    newest = max((day for _, day in pages), default=dt.date(1970, 1, 1))
    return [(PAGE, newest), *((path, newest) for path, _, _ in REGISTER_VIEWS), *pages]


def _doctype(meta: Metadata, labels: Labels) -> str:
    return labels.doctype(meta.type)


DUE_ORDER = ("overdue", "due", "done", "not reviewed", "repealed")  # what needs doing first


def _groups(rows: list[RegisterRow], key: str, labels: Labels) -> list[dict]:
    """Rows grouped by `key` ("doctype", "owner", "due"), each group titled and anchored, titles sorted
    (review states in the order they need attention)."""
    groups: dict[str, list[RegisterRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    if key == "due":
        order = sorted(groups, key=lambda state: DUE_ORDER.index(state) if state in DUE_ORDER else 99)
        titles = {state: labels(f"site.review_state.{state}") for state in groups}
    else:
        order = sorted(groups, key=lambda title: title.casefold())
        titles = {title: title for title in groups}
    return [{"title": titles[name], "anchor": f"grupp-{i}", "rows": sorted(groups[name], key=lambda r: r.title.casefold())}
            for i, name in enumerate(order, 1)]


CSV_COLUMNS = ("id", "titel", "typ", "dokumentägare", "beslutsinstans", "beslutsdatum", "paragraf", "diarienummer",
               "status", "giltig_från", "ska_revideras_senast", "revideringsläge", "dokumentansvarig", "sida")


def register_csv(entries: list[Entry], rows: list[RegisterRow]) -> bytes:
    """The register for Excel and other spreadsheets: UTF-8 with BOM, so å, ä and ö read right."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry, row in zip(entries, rows):
        meta, last = entry.meta, entry.meta.last_decision
        valid = meta.valid_from or (last.date if last else None)
        writer.writerow([entry.id, meta.title, row.doctype, meta.owner, last.body if last else "",
                         last.date.isoformat() if last and last.date else "", last.paragraph if last else "",
                         row.dnr or "", row.status, valid.isoformat() if valid else "", row.review_by or "",
                         row.due_text, meta.responsible or meta.coordinator or "", row.href])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _due_text(entry: Entry, labels: Labels) -> str:
    """The review state in words; a document first decided (fastställd) is never called revised."""
    state = entry.due.value
    last = entry.meta.last_decision
    new = last is not None and last.action is Action.ADOPTED
    if entry.due is Due.DONE:
        if entry.meta.review_years and last and last.date:
            return labels("site.review_state.done_years_new" if new else "site.review_state.done_years",
                          date=last.date.isoformat())
        return labels("site.review_state.done_new" if new else "site.review_state.done")
    if entry.due is Due.DUE and entry.meta.review_years:
        return labels("site.review_state.due_years")
    return labels(f"site.review_state.{state}")


def _register_row(entry: Entry, labels: Labels, today: dt.date) -> RegisterRow:
    meta = entry.meta
    last = meta.last_decision
    repealed = last is not None and last.action is Action.REPEALED
    state = "repealed" if repealed else Status.ADOPTED.value if entry.versions else Status.CONSULTATION.value
    status = labels(f"status.{state}")
    deadline = labels.date_long(entry.consultation.deadline) if entry.consultation else None
    deadline_day = review_by(meta, today)
    dnr = next((d.dnr for d in reversed(meta.decisions) if d.date and d.dnr), None)
    return RegisterRow(meta.title, f"{entry.id}/{PAGE}", _doctype(meta, labels), meta.owner[:1].upper() + meta.owner[1:],
                       status, deadline, line(last, labels) if last else None,
                       last.date.isoformat() if last and last.date else None, last.paragraph if last else None, dnr,
                       deadline_day.isoformat() if deadline_day else None, entry.due.value, _due_text(entry, labels),
                       repealed, meta.type)


def _decision_data(decision: Decision) -> dict:
    return {"action": decision.action.value, "body": decision.body,
            "date": decision.date.isoformat() if decision.date else None,
            "paragraph": decision.paragraph, "dnr": decision.dnr}


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _feed_items(entry: Entry, labels: Labels) -> list[dict]:
    """One item per adoption and per consultation opened; ids and dates come from git, never the clock."""
    title = entry.meta.title
    items = [{"id": _urn(f"styrdok:{entry.id}:{version.decision.action.value}:{version.date}:"
                         f"{version.decision.paragraph}"),
              "title": labels("site.feed_adopted", title=title,
                              action=labels(f"decision.actions.{version.decision.action.value}").lower(),
                              date=version.date.isoformat()),
              "updated": iso_utc(clock.midnight(version.date)), "href": f"{version.folder}/{PAGE}",
              "author": version.decision.body.capitalize(), "category": labels("site.feed_category_adopted"),
              "summary": f"{decision_line(version.decision, labels)}."}
             for version in entry.versions]
    for consultation in entry.rounds:
        href = (f"{remiss_folder(entry.id, consultation.deadline)}/{VERSION}.html" if consultation is entry.consultation
                else f"{entry.id}/{PAGE}")
        dnr = labels("site.archive_dnr", dnr=consultation.dnr) if consultation.dnr else ""
        deadline = labels.date_long(consultation.deadline)
        items.append({"id": _urn(f"styrdok:{entry.id}:remiss:{consultation.deadline}"),
                      "title": labels("site.feed_remiss", title=title, date=deadline),
                      "updated": iso_utc(consultation.opened), "href": href,
                      "author": entry.meta.owner.capitalize(), "category": labels("site.feed_category_remiss"),
                      "summary": labels("site.feed_remiss_summary", dnr=dnr, date=deadline)})
    return items
