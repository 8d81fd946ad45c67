"""What every rendering shows of a policy: the presentation data and the pandoc body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from .. import clock, pandoc
from ..model import Policy

DRAFT_MARK = "UTKAST"


def doctype_label(doctype: str) -> str:
    """How documents and the site name a document type: 'riktlinje' → 'Riktlinje'.

    The types themselves are listed once, in the schema (policy.schema.json, `type`).
    """
    return doctype[:1].upper() + doctype[1:]


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

    def pdf_meta(self) -> dict[str, Any]:
        return {"title": self.title, "doctype": self.doctype, "owner": self.owner,
                "coordinator": self.coordinator, "decisions": list(self.decisions),
                "watermark": self.watermark, "header_note": self.header_note,
                "keywords": list(self.keywords), "date": self.timestamp.date().isoformat(),
                "lang": "sv", "region": "SE"}


def timestamp(policy: Policy) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH if set, else the last decision's date (reproducible)."""
    if stamp := clock.epoch():
        return stamp
    last = policy.meta.last_decision
    return clock.midnight(last.date if last and last.date else dt.date(1980, 1, 1))


def presentation(policy: Policy, *, final: bool) -> Presentation:
    meta = policy.meta
    view = Presentation(
        policy_id=meta.id, title=meta.title, doctype=doctype_label(meta.type),
        owner=meta.owner[:1].upper() + meta.owner[1:], coordinator=meta.coordinator,
        decisions=tuple(d.line() for d in meta.decisions),
        keywords=meta.keywords or (doctype_label(meta.type), meta.owner, "styrdokument"),
        revision=len(meta.decisions), timestamp=timestamp(policy), status=meta.status.swedish)
    return view if final else replace(view, watermark=DRAFT_MARK, header_note=DRAFT_MARK)


def body_blocks(policy: Policy) -> list[pandoc.Ast]:
    """The policy text as pandoc blocks: headings carry their stable ids."""
    blocks: list[pandoc.Ast] = []
    for section in policy.sections:
        if section.heading_ast is not None:
            blocks.append(section.heading_ast)
        blocks.extend(block.ast for block in section.blocks)
    return blocks


def title_blocks(view: Presentation, *, title_level: int = 1) -> list[pandoc.Ast]:
    """Document type, title and decision lines, as the first page shows them."""
    return [
        pandoc.div([pandoc.para(pandoc.text(view.doctype))], classes=["doctype"], custom_style="Dokumenttyp"),
        pandoc.header(title_level, pandoc.text(view.title), ident="titel"),
        pandoc.div([pandoc.para(pandoc.text(line)) for line in view.decisions], classes=["decisions"],
                   custom_style="Beslutsrad"),
    ]
