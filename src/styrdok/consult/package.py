"""The consultation package (remiss): numbered draft, cover letter, response form, and the
redline against the version in force.

The content is built as pandoc blocks; the final renderers turn them into files, so only the
content differs from a normal build. `render_package` gives every file in memory.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import frontmatter, pandoc
from ..render import render_policy
from ..model import Contact, Policy, Status
from ..redline import render_redline
from ..render.document import Presentation, presentation
from ..render.docx import render_docx
from ..templates import Templates
from ..theme import Labels
from . import numbering
from .form import finish_form
from .numbering import RefNumber

REFNR_CLASS = "refnr"
MISSIV_TEMPLATE = "missiv.md.j2"
VERSION, FORM, MISSIV = "remissversion", "svarsmall.docx", "missiv.docx"
CHANGES = "andringar"  # andringar.html, andringar.pdf: the redline against the version in force
FORM_WIDTHS = (0.13, 0.35, 0.52)  # "2.3.12" fits the Nr column on one line


def swedish_date(day: dt.date, labels: Labels | None = None) -> str:
    """'15 februari 2027' (month names from the labels)."""
    return (labels or Labels.packaged()).date_long(day)


@dataclass(frozen=True)
class Remiss:
    """What every document of the package shows about the consultation."""

    policy: Policy
    view: Presentation  # the policy's final presentation, timestamped for the package
    deadline: dt.date
    bodies: tuple[str, ...]
    dnr: str | None
    issued: dt.date  # the date of the cover letter
    numbers: tuple[RefNumber, ...]
    labels: Labels = field(default_factory=Labels.packaged, compare=False, repr=False)
    in_force: Policy | None = None  # the adopted version the proposal revises (for the redline)
    in_force_label: str = ""  # how the redline names the version in force (default: the label remiss.in_force)

    @property
    def text_hash(self) -> str:
        return text_hash(self.policy)

    @property
    def reply_by(self) -> str:
        return self.labels("remiss.reply_by", date=self.labels.date_long(self.deadline))


def contact_lines(contact: Contact | None, labels: Labels | None = None) -> list[str]:
    """The handläggare as the missiv and the tjänsteskrivelse print them, one line each (any part may be missing)."""
    if contact is None:
        return []
    words = labels or Labels.packaged()
    name = ", ".join(part for part in (contact.name, contact.title) if part)
    return [line for line in (words("remiss.contact_name", name=name) if name else "",
                              words("remiss.contact_phone", phone=contact.phone) if contact.phone else "",
                              words("remiss.contact_email", email=contact.email) if contact.email else "") if line]


def text_hash(policy: Policy) -> str:
    """sha256 of the text sent out (the Markdown after the front matter, LF line endings): the
    reference numbers mean what they meant in the form only while this is unchanged."""
    body = frontmatter.split(policy.source.replace("\r\n", "\n").lstrip("\ufeff")).body
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def remiss_of(policy: Policy, templates: Templates, *, deadline: dt.date, bodies: tuple[str, ...], dnr: str | None,
              issued: dt.date, stamp: dt.datetime, in_force: Policy | None = None,
              in_force_label: str | None = None) -> Remiss:
    """The consultation of `policy` as its package presents it, dated `issued`, files timestamped `stamp`."""
    view = presentation(policy, final=True, labels=templates.labels, theme=templates.theme)
    return Remiss(policy=policy, view=replace(view, timestamp=stamp), deadline=deadline, bodies=bodies, dnr=dnr,
                  issued=issued, numbers=tuple(numbering.numbers(policy)), labels=templates.labels,
                  in_force=in_force, in_force_label=in_force_label or templates.labels("remiss.in_force"))


def render_package(remiss: Remiss, templates: Templates, *, changes_templates: Templates | None = None) -> dict[str, bytes]:
    """{file name: bytes}: the remissversion (DOCX, PDF, HTML), the missiv, the svarsmall and, when
    there is a version in force, the redline against it (andringar.html, andringar.pdf), rendered
    with `changes_templates` if given (the site gives it its own breadcrumb)."""
    version = render_policy(remiss.policy, templates, version_view(remiss), body=version_blocks(remiss))
    files = {VERSION + Path(name).suffix: data for name, data in version.items()}
    files[MISSIV] = render_docx(missiv_blocks(remiss, templates), missiv_view(remiss), templates)
    files[FORM] = finish_form(render_docx(form_blocks(remiss), form_view(remiss), templates), remiss)
    if remiss.in_force is not None:
        redline = render_redline(remiss.in_force, remiss.policy, changes_templates or templates,
                                 files=("redline.html", "redline.pdf"), when=remiss.view.timestamp,
                                 labels=(remiss.in_force_label, remiss.labels("site.redline_labels_remiss")))
        files.update({f"{CHANGES}{Path(name).suffix}": data for name, data in redline.files.items()})
    return files


# --- remissversion ---------------------------------------------------------------------------

def version_view(remiss: Remiss) -> Presentation:
    """The final presentation, marked as a consultation draft on every page."""
    mark = remiss.labels("remiss.mark")
    return replace(remiss.view, watermark=mark, header_note=remiss.labels("remiss.header", mark=mark, reply_by=remiss.reply_by),
                   status=remiss.labels(f"status.{Status.CONSULTATION.value}"))


def version_blocks(remiss: Remiss) -> list[pandoc.Ast]:
    """The notice for the first page, then the text with a reference number on every part."""
    labels = remiss.labels
    dnr = labels("remiss.dnr", dnr=remiss.dnr) if remiss.dnr else ""
    notice = pandoc.para([
        pandoc.strong(pandoc.text(labels("remiss.notice_lead", reply_by=remiss.reply_by))), {"t": "Space"},
        *pandoc.text(labels("remiss.notice", dnr=dnr)),
    ])
    return [pandoc.div([notice], classes=["remiss-notice"]), *numbered_body(remiss.policy, remiss.numbers)]


def numbered_body(policy: Policy, numbers: tuple[RefNumber, ...]) -> list[pandoc.Ast]:
    """The policy text as pandoc blocks, each numbered place starting with its number."""
    by_place = {ref.place: ref.number for ref in numbers}
    blocks: list[pandoc.Ast] = []
    for section in policy.sections:
        if section.heading_ast is not None:
            blocks += _prefixed(section.heading_ast, by_place[(section.id, None, None)])
        for index, block in enumerate(section.blocks):
            if block.kind in ("BulletList", "OrderedList"):
                items = copy.deepcopy(block.ast)  # numbered in place; the model's AST stays as it is
                _number_items(items, lambda item: by_place[(section.id, index, item)])
                blocks.append(items)
            elif (number := by_place.get((section.id, index, None))) is not None:
                blocks += _prefixed(block.ast, number)
            else:
                blocks.append(block.ast)
    return blocks


def refnr(number: str) -> pandoc.Ast:
    return pandoc.span([pandoc.strong(pandoc.text(number))], classes=[REFNR_CLASS])


def _prefixed(block: pandoc.Ast, number: str) -> list[pandoc.Ast]:
    """`block` with the number in front of its first line (or on a line of its own before it).

    Builds new containers and leaves `block` itself unchanged.
    """
    mark = [refnr(number), {"t": "Space"}]
    match block["t"]:
        case "Para" | "Plain":
            return [{**block, "c": mark + block["c"]}]
        case "Header":
            level, attr, inlines = block["c"]
            return [{**block, "c": [level, attr, mark + inlines]}]
        case "LineBlock" if block["c"]:
            return [{**block, "c": [mark + block["c"][0], *block["c"][1:]]}]
        case "BlockQuote" if block["c"]:
            return [{**block, "c": _prefixed(block["c"][0], number) + block["c"][1:]}]
        case "Div" if block["c"][1]:
            attr, inner = block["c"]
            return [{**block, "c": [attr, _prefixed(inner[0], number) + inner[1:]]}]
        case _:
            return [pandoc.para([refnr(number)]), block]


def _number_items(ast: pandoc.Ast, number_of: Callable[[int], str]) -> None:
    for i, item in enumerate(pandoc.list_items(ast)):
        if item:
            item[:1] = _prefixed(item[0], number_of(i))
        else:
            item.append(pandoc.plain([refnr(number_of(i))]))


# --- svarsmall (response form) ---------------------------------------------------------------

def form_view(remiss: Remiss) -> Presentation:
    return replace(remiss.view, title=remiss.labels("remiss.form_title", title=remiss.view.title),
                   doctype=remiss.labels("remiss.form_doctype"), watermark=None,
                   header_note=remiss.reply_by[:1].upper() + remiss.reply_by[1:], control=())


def form_blocks(remiss: Remiss) -> list[pandoc.Ast]:
    """Fields for the responding body, then one row per numbered place and one for general comments."""
    def cell(inlines: list[pandoc.Ast]) -> list[pandoc.Ast]:
        return [pandoc.plain(inlines)] if inlines else []

    labels = remiss.labels
    rows = [[[], cell([pandoc.strong(pandoc.text(labels("remiss.general_comments")))]), []]]
    for ref in remiss.numbers:
        label = pandoc.text(ref.label)
        rows.append([cell(pandoc.text(ref.number)), cell([pandoc.strong(label)] if ref.heading else label), []])
    meta = [labels("remiss.form_dnr", dnr=remiss.dnr)] if remiss.dnr else []
    reply_by = remiss.reply_by[:1].upper() + remiss.reply_by[1:]
    return [
        pandoc.div([pandoc.para(pandoc.text(labels("remiss.form_doctype")))], classes=["doctype"], custom_style="Dokumenttyp"),
        pandoc.header(1, pandoc.text(labels("remiss.form_title", title=remiss.view.title)), ident="titel"),
        pandoc.div([pandoc.para(pandoc.text(" · ".join([*meta, reply_by])))],
                   classes=["decisions"], custom_style="Beslutsrad"),
        pandoc.para(pandoc.text(labels("remiss.form_intro"))),
        # headings, not table captions: they show in Word's navigation pane and read as headings
        pandoc.header(2, pandoc.text(labels("remiss.form_fields_caption")), ident="uppgifter"),
        pandoc.table([[cell(pandoc.text(name)), []] for name in labels.list("remiss.form_fields")], [0.3, 0.7]),
        pandoc.header(2, pandoc.text(labels("remiss.form_comments_caption")), ident="synpunkter"),
        pandoc.table(rows, list(FORM_WIDTHS), head=[cell(pandoc.text(h)) for h in labels.list("remiss.form_head")]),
    ]


# --- missiv (cover letter) -------------------------------------------------------------------

def missiv_view(remiss: Remiss) -> Presentation:
    dnr, labels = remiss.dnr, remiss.labels
    return replace(remiss.view, title=labels("remiss.missiv_title", title=remiss.view.title),
                   doctype=labels("remiss.missiv_doctype"), watermark=None,
                   header_note=labels("remiss.missiv_header", dnr=dnr) if dnr else None, control=())


def missiv_blocks(remiss: Remiss, templates: Templates) -> list[pandoc.Ast]:
    """The cover letter from the Markdown template (values arrive escaped for Markdown)."""
    view = remiss.view
    markdown = templates.render(
        MISSIV_TEMPLATE, title=view.title, owner=view.owner,
        contact=view.coordinator or view.owner, handlaggare=contact_lines(remiss.policy.meta.contact, remiss.labels), dnr=remiss.dnr,
        bodies=list(remiss.bodies), date=remiss.labels.date_long(remiss.issued),
        deadline=remiss.labels.date_long(remiss.deadline), deadline_iso=remiss.deadline.isoformat(),
        version_file=f"{VERSION}.pdf", form_file=FORM,
        changes_file=f"{CHANGES}.pdf" if remiss.in_force is not None else None)
    return [block for _, block in pandoc.read_markdown(markdown)]
