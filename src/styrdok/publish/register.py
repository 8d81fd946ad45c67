"""The register of every published policy: the index page, register.json (open data), the Atom feed
and the sitemap. Rendered in memory from the gathered entries; ids and dates come from git, never
the clock (only the review states depend on the day)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from .. import clock
from ..mandate import MandatePeriod
from ..model import Decision
from ..render.remiss import VERSION, swedish_date
from ..templates import Templates
from .gather import Entry
from .layout import (CHANGES_DIR, FEED, FEED_TEMPLATE, INDEX_TEMPLATE, PAGE, REDLINE_PAGE, REGISTER, REGISTER_FORMAT,
                     SITEMAP, SITEMAP_TEMPLATE)
from .pages import register_row, remiss_href


def register_files(entries: list[Entry], templates: Templates, today: dt.date,
                   base_url: str | None) -> tuple[dict[str, bytes], list[str]]:
    """({site path: bytes} of index.html, register.json, feed.xml and, with `base_url`, sitemap.xml; notes)."""
    period = MandatePeriod.containing(today)
    rows = [register_row(entry, templates.labels) for entry in entries]
    index = templates.render(INDEX_TEMPLATE, rows=rows, period=str(period), today=today.isoformat(),
                             feed=FEED, register=REGISTER)
    files = {PAGE: index.encode("utf-8"),
             REGISTER: as_json(register_data(entries, period, today, base_url)),
             FEED: templates.render(FEED_TEMPLATE, **feed(entries, base_url)).encode("utf-8")}
    notes = []
    if base_url:
        urls = [(base_url + path, day.isoformat()) for path, day in pages(entries)]
        files[SITEMAP] = templates.render(SITEMAP_TEMPLATE, urls=urls).encode("utf-8")
    else:
        notes.append(f"{SITEMAP} not written: a sitemap needs absolute URLs; give --base-url")
    return files, notes


def register_data(entries: list[Entry], period: MandatePeriod, today: dt.date, base_url: str | None) -> dict:
    return {"format": REGISTER_FORMAT, "base_url": base_url, "review_state_on": today.isoformat(),
            "mandate_period": str(period), "policies": [policy_data(entry, today) for entry in entries]}


def policy_data(entry: Entry, today: dt.date) -> dict:
    meta = entry.meta
    consultation = entry.consultation
    return {
        "id": entry.id, "title": meta.title, "type": meta.type, "owner": meta.owner,
        "coordinator": meta.coordinator, "review": meta.review.value, "status": meta.status.value,
        "review_state": entry.due.value, "page": f"{entry.id}/{PAGE}",
        "decisions": [decision_data(d) for d in meta.decisions if d.date],
        "versions": [{"date": v.date.isoformat(), "decision": decision_data(v.decision),
                      "page": f"{v.folder}/{PAGE}", "source_blob": v.blob,
                      **{kind: f"{v.folder}/{name}" for kind, name in (("pdf", f"{entry.id}.pdf"),
                                                                       ("docx", f"{entry.id}.docx"))},
                      "redline": f"{v.folder}/{CHANGES_DIR}/{REDLINE_PAGE}" if i else None}
                     for i, v in enumerate(entry.versions)],
        "consultation": {"deadline": consultation.deadline.isoformat(), "dnr": consultation.dnr,
                         "open": consultation.deadline >= today, "bodies": list(consultation.bodies),
                         "opened": iso_utc(consultation.opened),
                         "folder": consultation.folder(entry.id)} if consultation else None,
    }


def decision_data(decision: Decision) -> dict:
    return {"action": decision.action.value, "body": decision.body,
            "date": decision.date.isoformat() if decision.date else None,
            "paragraph": decision.paragraph, "dnr": decision.dnr}


def feed(entries: list[Entry], base_url: str | None) -> dict:
    items = sorted((item for entry in entries for item in feed_items(entry)),
                   key=lambda item: (item["updated"], item["id"]), reverse=True)
    prefix = base_url or ""
    for item in items:
        item["href"] = prefix + item["href"]
    return {"id": urn(f"styrdok:register:{base_url or ''}"), "items": items,
            "updated": items[0]["updated"] if items else "1970-01-01T00:00:00Z",
            "home": prefix + PAGE, "self_href": base_url + FEED if base_url else None}


def feed_items(entry: Entry) -> list[dict]:
    """One item per adoption and per consultation opened; ids and dates come from git, never the clock."""
    title = entry.meta.title
    items = [{"id": urn(f"styrdok:{entry.id}:{version.decision.action.value}:{version.date}:"
                        f"{version.decision.paragraph}"),
              "title": f"{title}: {version.decision.action.value} {version.date.isoformat()}",
              "updated": iso_utc(clock.midnight(version.date)), "href": f"{version.folder}/{PAGE}",
              "author": version.decision.body.capitalize(), "category": "antagande",
              "summary": f"{version.decision.line()}."}
             for version in entry.versions]
    for consultation in entry.rounds:
        dnr = f" (dnr {consultation.dnr})" if consultation.dnr else ""
        items.append({"id": urn(f"styrdok:{entry.id}:remiss:{consultation.deadline}"),
                      "title": f"{title}: på remiss till {swedish_date(consultation.deadline)}",
                      "updated": iso_utc(consultation.opened), "href": remiss_href(entry, consultation),
                      "author": entry.meta.owner.capitalize(), "category": "remiss",
                      "summary": f"Förslag{dnr} på remiss, svar senast {swedish_date(consultation.deadline)}."})
    return items


def pages(entries: list[Entry]) -> list[tuple[str, dt.date]]:
    """Every HTML page of the bundle with the date it last changed, for the sitemap."""
    found = []
    for entry in entries:
        dates = [v.date for v in entry.versions] + [r.opened.date() for r in entry.rounds]
        found.append((f"{entry.id}/{PAGE}", max(dates)))
        for i, version in enumerate(entry.versions):
            found.append((f"{version.folder}/{PAGE}", version.date))
            if i:
                found.append((f"{version.folder}/{CHANGES_DIR}/{REDLINE_PAGE}", version.date))
        if entry.consultation:
            found.append((f"{entry.consultation.folder(entry.id)}/{VERSION}.html", entry.consultation.opened.date()))
    newest = max((day for _, day in found), default=dt.date(1970, 1, 1))
    return [(PAGE, newest), *found]


def urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
