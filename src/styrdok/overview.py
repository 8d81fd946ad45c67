"""The status overview (`styrdok status`) for a desk and for a machine: a table on the terminal,
CSV (for a spreadsheet) and Markdown (for a report) in the user's language, JSON with stable
English codes (`"format": "styrdok-status/1"`) for scripts and scheduled jobs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from .i18n import _
from .lifecycle import Due, Overview, StatusRow, Work
from .model import status_word

FORMATS = ("table", "csv", "json", "markdown")


def due_word(due: Due) -> str:
    return {Due.DONE: _("done"), Due.DUE: _("due"), Due.OVERDUE: _("overdue"),
            Due.NOT_REVIEWED: _("not reviewed"), Due.REPEALED: _("repealed")}[due]


def review_text(row: StatusRow) -> str:
    """What is going on, in words: the work under way if any (and the calendar's verdict while
    it still needs a decision), else the review state."""
    if row.due is None:
        return "?"
    state = due_word(row.due)
    if row.work is Work.CONSULTATION and row.deadline:
        text = _("on remiss until {deadline}").format(deadline=row.deadline.isoformat())
    elif row.work is Work.CONSULTATION:
        text = _("on remiss")
    elif row.work is Work.REVISION:
        text = _("revision in progress")
    elif row.work is Work.NEW:
        return _("new, not adopted yet")
    else:
        return state
    return _("{work} ({state})").format(work=text, state=state) if row.needs_action else text


def headers() -> list[str]:
    return [_("id"), _("type"), _("status"), _("last decision"), _("review")]


def cells(row: StatusRow) -> list[str]:
    meta = row.meta
    return [row.id, meta.type if meta else "?", status_word(meta.status) if meta else _("invalid"),
            row.last.line() if row.last else "—", review_text(row)]


def selected(overview: Overview, due_only: bool) -> list[StatusRow]:
    return [row for row in overview.rows if row.needs_action or not due_only]


def heading(overview: Overview) -> str:
    return _("Mandate period {period} (from {start}); today {today}").format(
        period=overview.period, start=overview.period.start, today=overview.today)


def render(overview: Overview, fmt: str = "table", *, due_only: bool = False,
           style: Callable[[str, StatusRow], str] = lambda text, row: text) -> str:
    """The overview in `fmt` (one of FORMATS); `style` may colour a table's review cell."""
    rows = selected(overview, due_only)
    if fmt == "json":
        return json.dumps(as_json(overview, rows), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers())
        writer.writerows(cells(row) for row in rows)
        return out.getvalue()
    nothing = _("Nothing is due or overdue this mandate period.") if due_only and not rows else ""
    if fmt == "markdown":
        lines = [heading(overview), "", "| " + " | ".join(headers()) + " |", "|" + " --- |" * len(headers())]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in cells(row)) + " |" for row in rows]
        return "\n".join(lines + ([f"\n{nothing}"] if nothing else [])) + "\n"
    if nothing:
        return "\n".join([heading(overview), "", nothing]) + "\n"
    table = [headers()] + [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = [heading(overview), ""]
    for n, line in enumerate(table):
        text = "  ".join(cell.ljust(w) for cell, w in zip(line[:-1], widths)) + "  "
        lines.append(text + (style(line[-1], rows[n - 1]) if n else line[-1]))
    return "\n".join(lines + ([nothing] if nothing else [])) + "\n"


def as_json(overview: Overview, rows: list[StatusRow]) -> dict:
    def decision(row: StatusRow) -> dict | None:
        if row.last is None:
            return None
        d = row.last
        return {"action": d.action.value, "body": d.body, "date": d.date.isoformat() if d.date else None,
                "paragraph": d.paragraph, "dnr": d.dnr, "line": d.line()}

    return {
        "format": "styrdok-status/1",
        "today": overview.today.isoformat(),
        "period": {"name": str(overview.period), "start": overview.period.start.isoformat(),
                   "end": overview.period.end.isoformat()},
        "needs_action": [row.id for row in overview.rows if row.needs_action],
        "policies": [{
            "id": row.id,
            "valid": row.meta is not None,
            "type": row.meta.type if row.meta else None,
            "status": row.meta.status.value if row.meta else None,
            "last_decision": decision(row),
            "review": row.due.value if row.due else None,
            "work": row.work.value if row.work else None,
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "needs_action": row.needs_action,
        } for row in rows],
    }
