"""What every rendering shows of a policy: the presentation data and the pandoc body.

Every word comes from the labels file and every colour and font from the theme (styrdok.theme),
so DOCX, PDF and HTML show the same title block and the same document control block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from .. import clock, pandoc
from ..mandate import review_by
from ..model import Action, Decision, Metadata, Policy, Review
from ..theme import Labels, Theme
from ..wordstyles import CONTROL_STYLE


@dataclass(frozen=True)
class ControlRow:
    """One line of the document control block: `key` names it (control.<key> in the labels)."""

    key: str
    label: str
    value: str
    href: str | None = None  # a mailto: link for the contact's e-mail


@dataclass(frozen=True)
class Presentation:
    """Everything around the body: title block, decision lines, markings, document properties."""

    policy_id: str
    title: str
    doctype: str
    owner: str
    coordinator: str | None
    decisions: tuple[str, ...]
    keywords: tuple[str, ...]
    revision: int
    timestamp: dt.datetime
    watermark: str | None = None
    header_note: str | None = None
    status: str = ""
    lang: str = "sv"
    control: tuple[ControlRow, ...] = ()
    control_heading: str = ""
    organisation: str = ""
    landscape: bool = False  # DOCX only: A4 landscape for wide tables

    def pdf_meta(self, labels: Labels, theme: Theme) -> dict[str, Any]:
        """Everything policy.typ shows, as JSON for `sys.inputs.meta` (never spliced into Typst source)."""
        logo = theme.logo
        return {"title": self.title, "doctype": self.doctype, "owner": self.owner,
                "coordinator": self.coordinator, "decisions": list(self.decisions),
                "watermark": self.watermark, "header_note": self.header_note,
                "keywords": list(self.keywords), "date": self.timestamp.date().isoformat(),
                "lang": "sv", "region": "SE",
                "control": [{"label": r.label, "value": r.value} for r in self.control],
                "control_heading": self.control_heading,
                "page_of": page_of_parts(labels("document.page_of", page="\0page\0", pages="\0pages\0")),
                "fonts": {"body": theme.fonts.body, "heading": theme.fonts.heading, "mono": theme.fonts.mono},
                "palette": theme.palette,
                "logo": {"svg": logo.svg(), "alt": logo.alt, "height_mm": logo.height_mm} if logo else None}


def page_of_parts(text: str) -> list[dict[str, str]]:
    """'Sida \0page\0 av \0pages\0' → [{"text": "Sida "}, {"field": "page"}, …] for the page footers."""
    parts: list[dict[str, str]] = []
    for i, piece in enumerate(text.split("\0")):
        if piece:
            parts.append({"field": piece} if i % 2 else {"text": piece})
    return parts


def timestamp(policy: Policy) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH if set, else the last decision's date (reproducible)."""
    if stamp := clock.epoch():
        return stamp
    last = policy.meta.last_decision
    return clock.midnight(last.date if last and last.date else dt.date(1980, 1, 1))


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def decision_date(decision: Decision, labels: Labels) -> str:
    """'2018-03-06', or the placeholder of a pending decision ('2018-XX-XX')."""
    if decision.date:
        return decision.date.isoformat()
    return labels("decision.placeholder_date", year=decision.year or labels("decision.placeholder_year"))


def decision_line(decision: Decision, labels: Labels) -> str:
    """The decision line as the documents print it, with placeholders while pending."""
    paragraph = decision.paragraph if decision.paragraph is not None else labels("decision.placeholder_paragraph")
    line = labels("decision.line", action=labels(f"decision.actions.{decision.action.value}"), body=decision.body,
                  date=decision_date(decision, labels), paragraph=paragraph)
    return labels("decision.with_dnr", line=line, dnr=decision.dnr) if decision.dnr else line


def control_rows(meta: Metadata, labels: Labels) -> tuple[ControlRow, ...]:
    """The document control block, in its fixed order; rows without a value are left out.

    The decision is the document's last one (a pending one shows its placeholders); "ska
    revideras senast" comes from `mandate.review_by`, the rule `styrdok status` uses.
    """
    decision = meta.decisions[-1] if meta.decisions else None
    rows: list[tuple[str, str | None]] = [("doctype", labels.doctype(meta.type))]
    if decision:
        paragraph = decision.paragraph if decision.paragraph is not None else labels("decision.placeholder_paragraph")
        rows += [("body", capitalized(decision.body)),
                 ("decided", labels("control.decided_value", date=decision_date(decision, labels), paragraph=paragraph)),
                 ("dnr", decision.dnr or next((d.dnr for d in reversed(meta.decisions) if d.dnr), None))]
        if decision.pending:
            valid, review = labels("control.pending"), labels("control.pending")
        else:
            valid = (meta.valid_from or decision.date).isoformat()  # type: ignore[union-attr]
            deadline = review_by(meta)
            review = (deadline.isoformat() if deadline else
                      labels("control.repealed") if decision.action is Action.REPEALED else labels("control.not_reviewed"))
        if meta.review is Review.NONE and not decision.pending:
            review = labels("control.not_reviewed")
        rows += [("valid_from", meta.valid_from.isoformat() if meta.valid_from and decision.pending else valid),
                 ("review_by", review)]
    rows += [("owner", capitalized(meta.owner)), ("responsible", meta.responsible or meta.coordinator)]
    contact = meta.contact
    out = [ControlRow(key, labels(f"control.{key}"), value) for key, value in rows if value]
    if contact and contact.parts():
        out.append(ControlRow("contact", labels("control.contact"), ", ".join(contact.parts()),
                              f"mailto:{contact.email}" if contact.email else None))
    return tuple(out)


def presentation(policy: Policy, *, final: bool, labels: Labels, theme: Theme | None = None) -> Presentation:
    meta = policy.meta
    doctype = labels.doctype(meta.type)
    view = Presentation(
        policy_id=meta.id, title=meta.title, doctype=doctype,
        owner=capitalized(meta.owner), coordinator=meta.coordinator,
        decisions=tuple(decision_line(d, labels) for d in meta.decisions),
        keywords=meta.keywords or (doctype, meta.owner, labels("document.keyword")),
        revision=len(meta.decisions), timestamp=timestamp(policy), status=labels(f"status.{meta.status.value}"),
        control=control_rows(meta, labels), control_heading=labels("control.heading"),
        organisation=theme.organisation if theme else "")
    mark = labels("document.draft_mark")
    return view if final else replace(view, watermark=mark, header_note=mark)


def body_blocks(policy: Policy) -> list[pandoc.Ast]:
    """The policy text as pandoc blocks: headings carry their stable ids."""
    blocks: list[pandoc.Ast] = []
    for section in policy.sections:
        if section.heading_ast is not None:
            blocks.append(section.heading_ast)
        blocks.extend(block.ast for block in section.blocks)
    return blocks


def title_blocks(view: Presentation, *, title_level: int = 1) -> list[pandoc.Ast]:
    """Document type, title, decision lines and the control block, as the first page shows them."""
    return [
        pandoc.div([pandoc.para(pandoc.text(view.doctype))], classes=["doctype"], custom_style="Dokumenttyp"),
        pandoc.header(title_level, pandoc.text(view.title), ident="titel"),
        pandoc.div([pandoc.para(pandoc.text(line)) for line in view.decisions], classes=["decisions"],
                   custom_style="Beslutsrad"),
        *control_blocks(view),
    ]




def control_blocks(view: Presentation) -> list[pandoc.Ast]:
    """The control block as a two-column table (DOCX); PDF and HTML draw the same rows themselves."""
    if not view.control:
        return []
    rows = [[[pandoc.plain([pandoc.strong(pandoc.text(row.label))])], [pandoc.plain(pandoc.text(row.value))]]
            for row in view.control]
    return [pandoc.div([pandoc.table(rows, [0.3, 0.7], caption=view.control_heading)], classes=["control"],
                       custom_style=CONTROL_STYLE)]
