"""The consultation package (remiss) as pandoc blocks: numbered draft, cover letter, response form.

The final renderers turn these blocks into files; only the content differs from a normal build.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from .. import pandoc
from ..model import Policy, Status
from ..numbering import RefNumber
from ..templates import Templates
from .document import Presentation

REMISS_MARK = "REMISSVERSION"
REFNR_CLASS = "refnr"
MISSIV_TEMPLATE = "missiv.md.j2"
GENERAL_COMMENTS = "Övergripande synpunkter"
FORM_FIELDS = ("Remissinstans", "Kontaktperson", "E-post", "Datum")
FORM_HEAD = ("Nr", "Avsnitt eller stycke", "Synpunkter")
VERSION, FORM, MISSIV = "remissversion", "svarsmall.docx", "missiv.docx"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


def swedish_date(day: dt.date) -> str:
    """'15 februari 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


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

    @property
    def reply_by(self) -> str:
        return f"svar senast {swedish_date(self.deadline)}"


# --- remissversion ---------------------------------------------------------------------------

def version_view(remiss: Remiss) -> Presentation:
    """The final presentation, marked as a consultation draft on every page."""
    return replace(remiss.view, watermark=REMISS_MARK, header_note=f"{REMISS_MARK} – {remiss.reply_by}",
                   status=Status.CONSULTATION.swedish)


def version_blocks(remiss: Remiss) -> list[pandoc.Ast]:
    """The notice for the first page, then the text with a reference number on every part."""
    dnr = f" (dnr {remiss.dnr})" if remiss.dnr else ""
    notice = pandoc.para([
        pandoc.strong(pandoc.text(f"Remissversion – {remiss.reply_by}.")), {"t": "Space"},
        *pandoc.text(f"Detta är ett förslag{dnr} som skickas på remiss, inte ett beslutat dokument. "
                     "Lämna synpunkter i svarsmallen och hänvisa till numren framför rubriker, "
                     "stycken och punkter."),
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
            if block.kind in pandoc.LISTS:
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
    return replace(remiss.view, title=f"Remissvar: {remiss.view.title}", doctype="Svarsmall", watermark=None,
                   header_note=remiss.reply_by.capitalize())


def form_blocks(remiss: Remiss) -> list[pandoc.Ast]:
    """Fields for the responding body, then one row per numbered place and one for general comments."""
    def cell(inlines: list[pandoc.Ast]) -> list[pandoc.Ast]:
        return [pandoc.plain(inlines)] if inlines else []

    rows = [[[], cell([pandoc.strong(pandoc.text(GENERAL_COMMENTS))]), []]]
    for ref in remiss.numbers:
        label = pandoc.text(ref.label)
        rows.append([cell(pandoc.text(ref.number)), cell([pandoc.strong(label)] if ref.heading else label), []])
    meta = [f"Dnr {remiss.dnr}"] if remiss.dnr else []
    return [
        pandoc.div([pandoc.para(pandoc.text("Svarsmall"))], classes=["doctype"], custom_style="Dokumenttyp"),
        pandoc.header(1, pandoc.text(f"Remissvar: {remiss.view.title}"), ident="titel"),
        pandoc.div([pandoc.para(pandoc.text(" · ".join([*meta, remiss.reply_by.capitalize()])))],
                   classes=["decisions"], custom_style="Beslutsrad"),
        pandoc.para(pandoc.text("Fyll i uppgifterna om er som svarar och skriv era synpunkter i tabellen. "
                                "Numren hänvisar till remissversionen. Rader utan synpunkter kan lämnas tomma; "
                                "lägg till rader om det behövs.")),
        pandoc.table([[cell(pandoc.text(field)), []] for field in FORM_FIELDS], [0.3, 0.7],
                     caption="Uppgifter om remissinstansen"),
        pandoc.table(rows, [0.08, 0.37, 0.55], head=[cell(pandoc.text(h)) for h in FORM_HEAD],
                     caption="Synpunkter på förslaget"),
    ]


# --- missiv (cover letter) -------------------------------------------------------------------

def missiv_view(remiss: Remiss) -> Presentation:
    dnr = remiss.dnr
    return replace(remiss.view, title=f"Remiss: {remiss.view.title}", doctype="Missiv", watermark=None,
                   header_note=f"Dnr {dnr}" if dnr else None)


def missiv_blocks(remiss: Remiss, templates: Templates) -> list[pandoc.Ast]:
    """The cover letter from the Markdown template (values arrive escaped for Markdown)."""
    view = remiss.view
    markdown = templates.render(
        MISSIV_TEMPLATE, title=view.title, owner=view.owner,
        contact=view.coordinator or view.owner, dnr=remiss.dnr, bodies=list(remiss.bodies),
        date=swedish_date(remiss.issued), deadline=swedish_date(remiss.deadline),
        deadline_iso=remiss.deadline.isoformat(), version_file=f"{VERSION}.pdf", form_file=FORM)
    return [block for _, block in pandoc.read_markdown(markdown)]
