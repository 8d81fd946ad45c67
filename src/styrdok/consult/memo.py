"""The tjänsteskrivelse: the officer's report that puts a revision on the deciding body's agenda.

Gather (the policy, the version in force and the change summary against it, the consultation
and the answers recorded by `styrdok responses`) → word the proposal for the deciding body →
render the Markdown template `tjansteskrivelse.md.j2` → DOCX → write. The template can be
overridden in the repository's templates/, like the missiv.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .. import clock, pandoc, source
from ..errors import InvalidPolicy, Problem
from ..i18n import _
from ..mandate import MandatePeriod
from ..model import Action, Contact, Decision, Policy
from ..output import OutputDir
from ..redline import render_redline
from ..redline.summary import field_sentence
from ..render.document import presentation
from ..render.docx import render_docx
from ..theme import Labels
from ..workspace import Workspace
from .package import contact_lines
from .responses import ARCHIVE, FOLDER, SUMMARY
from .send import version_in_force

TEMPLATE = "tjansteskrivelse.md.j2"
NAME = "tjansteskrivelse"
FILES = (f"{NAME}.docx", f"{NAME}.md")
COUNCIL = "kommunfullmäktige"
BOARD = "kommunstyrelsen"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class MemoResult:
    policy_id: str
    files: tuple[Path, ...]
    proposal: tuple[str, ...]  # förslag till beslut, one action per point
    markdown: str


def write_memo(workspace: Workspace, policy_id: str, *, out: Path | None = None, today: dt.date | None = None,
               contact: str | None = None) -> MemoResult:
    """Write tjansteskrivelse.docx and .md for the policy's pending decision to `out`
    (default build/<id>/remiss/). `contact` ("Namn, telefon, e-post") overrides the front matter's
    `contact:`; `today` the date of the memo (default: `clock.today()`)."""
    path = workspace.policy_path(policy_id)
    policy = source.load(path, display=workspace.display(path))
    problems: list[Problem] = []
    officer = parse_contact(contact, problems) if contact else policy.meta.contact
    pending = policy.meta.pending_decisions
    if not pending:
        problems.append(Problem(workspace.display(path), 0, _("'{id}' has no pending decision, so there is nothing "
                                                              "to write a tjänsteskrivelse about").format(id=policy_id),
                                _("start a revision with `styrdok revise {id}`").format(id=policy_id)))
    if problems:
        raise InvalidPolicy(problems)
    day = today or clock.today()
    target = OutputDir(out or workspace.root / "build" / policy_id / "remiss")
    in_force = version_in_force(workspace, policy_id)[0]
    consultation = policy.meta.consultation
    candidates = [workspace.root / "build" / policy_id / "remiss" / FOLDER / SUMMARY]
    if out:
        candidates.append(out / FOLDER / SUMMARY)
    if consultation and consultation.deadline:  # the compilation as committed for the site
        candidates.append(workspace.root / ARCHIVE / policy_id / consultation.deadline.isoformat() / SUMMARY)
    responses = _responses(candidates, problems)
    if problems:
        raise InvalidPolicy(problems)
    context = memo_context(policy, pending[-1], in_force, responses, officer, day, workspace)
    markdown = workspace.templates.render(TEMPLATE, **context)
    labels = workspace.templates.labels
    view = presentation(policy, final=True, labels=labels, theme=workspace.templates.theme)
    view = replace(view, title=labels("memo.title_revision", title=lower_first(policy.meta.title)) if context["revision"]
                   else policy.meta.title, doctype=labels("memo.doctype"), decisions=(), watermark=None,
                   timestamp=clock.midnight(day), control=(),
                   header_note=labels("memo.header_dnr", dnr=context["dnr"]) if context["dnr"] else None)
    docx = render_docx([block for _, block in pandoc.read_markdown(markdown)], view, workspace.templates)
    written = target.write_all({FILES[0]: docx, FILES[1]: markdown.encode("utf-8")})
    return MemoResult(policy_id, tuple(written), tuple(proposal(policy, pending[-1], labels)), markdown)


def parse_contact(text: str, problems: list[Problem]) -> Contact | None:
    """'Anna Andersson, 060-16 31 00, anna.andersson@timra.se' (phone and e-mail optional, any order)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or "@" in parts[0] or any(ch.isdigit() for ch in parts[0]):
        problems.append(Problem("--contact", 0, _("'{text}' does not start with a name").format(text=text),
                                '--contact "Anna Andersson, 060-16 31 00, anna.andersson@timra.se"'))
        return None
    email = next((p for p in parts[1:] if "@" in p), None)
    if email and not EMAIL.match(email):
        problems.append(Problem("--contact", 0, _("'{email}' is not an e-mail address").format(email=email),
                                "namn@kommun.se"))
    phone = next((p for p in parts[1:] if sum(ch.isdigit() for ch in p) >= 5 and "@" not in p), None)
    title = next((p for p in parts[1:] if p not in (email, phone)), None)
    return Contact(name=parts[0], email=email, phone=phone, title=title)


def _responses(candidates: list[Path], problems: list[Problem]) -> dict | None:
    """What `styrdok responses` recorded (remissammanstallning.json), if it has been run."""
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(Problem(str(path), 0, _("cannot read the compilation's data: {reason}").format(reason=exc),
                                _("run `styrdok responses` again")))
        return None


def lower_first(title: str) -> str:
    """'Policy för …' → 'policy för …' inside a sentence; acronyms ('IT-policy', 'KF:s') stay."""
    return title[:1].lower() + title[1:] if len(title) > 1 and title[1].islower() else title


def capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def proposal(policy: Policy, decision: Decision, labels: Labels | None = None) -> list[str]:
    """Förslag till beslut, worded for the minutes: one action per point, right for the deciding body."""
    words = labels if labels is not None else Labels.packaged()
    title = lower_first(policy.meta.title)
    if decision.action is Action.REPEALED:
        adopt = words("memo.repeal", title=title)
    elif _is_revision(policy, decision):
        adopt = words("memo.adopt_revised", revised=revised(policy, words), title=title)
    else:
        adopt = words("memo.adopt", title=title)
    if decision.body.casefold() == COUNCIL:
        return [words("memo.proposal_council", action=adopt)]
    return [words("memo.proposal", body=capital(decision.body), action=adopt)]


def revised(policy: Policy, labels: Labels) -> str:
    """'reviderad', or the form the document type takes ('reviderat program')."""
    return labels.get(f"memo.revised.{policy.meta.type}", labels("memo.revised_default"))


def definite(policy: Policy, labels: Labels) -> str:
    """The document type in its definite form ('riktlinjen'), for the memo's sentences."""
    kind = policy.meta.type
    return labels.get(f"memo.definite.{kind}", f"{kind}en")


def _is_revision(policy: Policy, decision: Decision) -> bool:
    return decision.action is Action.REVISED or policy.meta.last_decision is not None


def memo_context(policy: Policy, decision: Decision, in_force: Policy | None, responses: dict | None,
                 officer: Contact | None, day: dt.date, workspace: Workspace) -> dict[str, object]:
    """Every value the template shows, as plain data (the template escapes them for Markdown)."""
    meta = policy.meta
    labels = workspace.templates.labels
    consultation = meta.consultation
    dnr = decision.dnr or (consultation.dnr if consultation else None)
    council = decision.body.casefold() == COUNCIL
    writer = capital(BOARD) if council or decision.body.casefold() == BOARD else capital(decision.body)
    changes = None
    if in_force is not None:
        redline = render_redline(in_force, policy, workspace.templates, files=("changes.md",))
        summary = redline.summary
        # the status and the pending decision change in every revision: not news for the reader
        document = [field_sentence(f) for f in redline.diff.fields if f.name not in ("status",)]
        changes = {"totals": summary.totals, "document": document,
                   "sections": [{"where": s.where, "text": s.text} for s in summary.sections]}
    earlier = [d for d in meta.decisions if not d.pending]
    last = meta.last_decision
    period = MandatePeriod.containing(day)
    answered = responses["answered"] if responses else None
    revision = _is_revision(policy, decision)
    attachments = [labels("memo.attachment_proposal", revised=revised(policy, labels) + " " if revision else "",
                          title=lower_first(meta.title))]
    if changes:
        attachments.append(labels("memo.attachment_changes", number=2))
    if responses:
        attachments.append(labels("memo.attachment_responses", date=labels.date_long(dt.date.fromisoformat(responses["date"])),
                                  number=len(attachments) + 1))
    recipients = list(dict.fromkeys(x for x in (capital(meta.owner), meta.coordinator) if x))
    return {
        "writer": writer, "date": labels.date_long(day), "date_iso": day.isoformat(), "dnr": dnr,
        "contact": contact_lines(officer, labels), "title": meta.title, "title_lower": lower_first(meta.title), "revision": revision,
        "doctype": labels.doctype(meta.type).lower(), "revised": revised(policy, labels),
        "definite": definite(policy, labels), "owner": capital(meta.owner),
        "coordinator": meta.coordinator, "deciding": capital(decision.body), "council": council,
        "proposal": proposal(policy, decision, labels), "earlier": [d.line() for d in earlier],
        "last": last.line() if last else None, "last_period": str(MandatePeriod.containing(last.date))
        if last and last.date and last.date.year >= 1994 else None,
        "mandate_period": meta.review.value == "mandate-period", "period": str(period),
        "changes": changes, "consultation": {
            "bodies": list(consultation.bodies), "deadline": labels.date_long(consultation.deadline),
            "dnr": consultation.dnr} if consultation and consultation.deadline else None,
        "responses": responses, "answered": answered, "attachments": attachments, "recipients": recipients,
    }


__all__ = ["FILES", "MemoResult", "lower_first", "memo_context", "parse_contact", "proposal", "write_memo"]
