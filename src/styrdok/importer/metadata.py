"""Harvesting what a document says about itself: decision lines in the text, the first-page
information table, "Etikett: värde" lines, page header and footer, document properties.

What has a front-matter key goes there; the rest goes to the import report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import clock
from ..i18n import _
from ..model import Action, Decision
from .wordfile import Paragraph, WordFile

ACTIONS = {"fastställd": Action.ADOPTED, "fastställt": Action.ADOPTED, "fastställda": Action.ADOPTED,
           "antagen": Action.ADOPTED, "antaget": Action.ADOPTED, "antagna": Action.ADOPTED,
           "beslutad": Action.ADOPTED, "beslutat": Action.ADOPTED, "reviderad": Action.REVISED,
           "reviderat": Action.REVISED, "reviderade": Action.REVISED, "upphävd": Action.REPEALED,
           "upphävt": Action.REPEALED}
DATE = r"(?:\d{4}|ÅÅÅÅ)-(?:\d{2}|XX)-(?:\d{2}|XX)"
DECISION = re.compile(
    rf"^(?P<action>{'|'.join(ACTIONS)})(?:\s+av\s*:?|\s*:)?\s+(?P<body>[^\d,§]+?)\s*,?\s*(?:den\s+)?(?P<date>{DATE})"
    r"\s*(?:,?\s*§\s*(?P<par>\d+|XX))?"
    r"(?:\s*[,(]?\s*(?:dnr|diarienummer|diarienr)\.?:?\s*(?P<dnr>[^)]+?)\s*\)?)?\s*\.?$", re.IGNORECASE)
DNR = re.compile(r"\b(?:dnr|diarienummer|diarienr)\.?:?\s*([A-ZÅÄÖ]{1,6}[ .-]?\d{2,4}[/.:-]\d{1,6}(?:[/.:-]\d{1,4})?)",
                 re.IGNORECASE)
LABEL_LINE = re.compile(r"^(?P<label>[A-ZÅÄÖa-zåäö][\wåäöÅÄÖ §.]{1,40}?)\s*:\s*(?P<value>\S.*)$")
ABBREVIATIONS = {"ks": "kommunstyrelsen", "kf": "kommunfullmäktige", "ksau": "kommunstyrelsens arbetsutskott"}
TYPES = {"policy": "policy", "riktlinje": "riktlinje", "riktlinjer": "riktlinje", "plan": "plan", "program": "program",
         "reglemente": "reglemente", "strategi": "strategi", "taxa": "taxa", "taxor": "taxa", "föreskrift": "föreskrift",
         "föreskrifter": "föreskrift", "instruktion": "instruktion", "instruktioner": "instruktion"}
# Usual deciding body when the document names none (kommunallagen: policies and plans go to KF).
OWNER_BY_TYPE = {"riktlinje": "kommunstyrelsen", "instruktion": "kommunstyrelsen"}
DEFAULT_OWNER = "kommunfullmäktige"

LABELS = {
    "body": ("beslutad av", "fastställd av", "antagen av", "beslutsinstans", "beslutande organ", "beslutande",
             "beslutsfattare", "fastställt av", "antaget av"),
    "owner": ("dokumentägare", "ägare", "ägare av dokumentet"),
    "date": ("datum", "beslutsdatum", "fastställd", "antagen", "beslutad", "fastställd datum", "datum för beslut",
             "fastställt", "antaget", "beslutat", "fastställelsedatum"),
    "paragraph": ("paragraf", "§", "beslutsparagraf", "protokollsparagraf", "paragrafnummer", "protokoll §"),
    "dnr": ("diarienummer", "dnr", "diarienr", "ärendenummer", "dnr."),
    "responsible": ("dokumentansvarig", "ansvarig", "ansvarig för dokumentet", "dokumentansvarig tjänsteperson"),
    "coordinator": ("samordnare", "ansvarig enhet", "ansvarig förvaltning", "samordnande enhet", "samordnas av"),
    "contact": ("kontaktperson", "kontakt", "handläggare", "upplysningar"),
    "valid_from": ("giltig från", "gäller från", "gäller fr.o.m.", "giltig fr.o.m.", "gäller fr o m", "ikraftträdande",
                   "träder i kraft"),
    "review": ("revideras", "revidering", "revideringsintervall", "ska revideras", "revideringsperiod"),
    "type": ("dokumenttyp", "typ av dokument", "dokumentslag", "styrdokument"),
    "title": ("dokumentnamn", "titel", "dokumenttitel", "namn på dokument"),
    "keywords": ("sökord", "nyckelord"),
    "revised": ("reviderad", "senast reviderad", "revideringsdatum", "reviderad datum", "senaste revidering",
                "reviderat"),
}
REPORT_ONLY = ("gäller för", "giltig till", "gäller till", "giltighetstid", "ersätter", "uppföljning",
               "nästa revidering", "relaterade dokument", "målgrupp", "version", "senast ändrad", "tidigare beslut",
               "gäller", "giltighet", "diarieplan", "upprättad av", "framtagen av", "beslutshistorik", "status",
               "tillämpning", "ska revideras senast", "revideras senast")
KEY_OF = {label: key for key, labels in LABELS.items() for label in labels}


def label_key(text: str) -> str | None:
    """The front-matter concern of an information label, "report" for known labels without a key."""
    label = " ".join(text.strip().rstrip(":").split()).lower()
    if label in KEY_OF:
        return KEY_OF[label]
    return "report" if label in REPORT_ONLY else None


@dataclass
class Harvest:
    """What the document says about itself, and where each value came from."""

    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # key: (value, where)
    decisions: list[tuple[Decision, str]] = field(default_factory=list)
    dnrs: list[tuple[str, str]] = field(default_factory=list)
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, where)
    taken: set[int] = field(default_factory=set)  # paragraphs that are metadata, not text
    tables: set[int] = field(default_factory=set)  # information tables, not text

    def put(self, key: str, value: str, where: str) -> None:
        if value and key not in self.values:
            self.values[key] = (value, where)


def body_name(text: str) -> str:
    name = " ".join(text.strip().rstrip(".,").split())
    return ABBREVIATIONS.get(name.lower(), name[:1].lower() + name[1:] if name[1:2].islower() else name.lower())


def parse_decision(line: str) -> Decision | None:
    """A decision line ("Fastställd av kommunstyrelsen 2015-05-26, § 129"), placeholders pending."""
    m = DECISION.match(" ".join(line.split()))
    if not m:
        return None
    action = ACTIONS[m.group("action").lower()]
    body = body_name(m.group("body"))
    date_text, par = m.group("date"), m.group("par")
    dnr = m.group("dnr").strip() if m.group("dnr") else None
    year = int(date_text[:4]) if date_text[:4].isdigit() else None
    try:
        date = clock.parse_date(date_text)
    except ValueError:
        date = None
    if date is None or par is None or not par.isdigit():
        return Decision(action=action, body=body, dnr=dnr, year=year)
    return Decision(action=action, body=body, date=date, paragraph=int(par), dnr=dnr)


# A line naming only the municipality or region ("Lilla kommun", "Region Gävleborg", "Göteborgs Stad")
ORGANISATION = re.compile(r"(?:[A-ZÅÄÖ][\w-]*(?: [A-ZÅÄÖ][\w-]*){0,2}s? (?:kommun|stad|Stad|kommunkoncern)"
                          r"|Region [A-ZÅÄÖ][\w-]*(?: [A-ZÅÄÖ][\w-]*)?)")


def harvest(doc: WordFile, first_heading: int | None) -> Harvest:
    """Everything the document says about itself, before its first section heading for tables
    and label lines, anywhere for decision lines."""
    found = Harvest()
    for p in doc.paragraphs:
        if p.in_table is not None or not p.text.strip():
            continue
        lines = [line.strip() for line in p.text.split("\n") if line.strip()]
        decisions = [parse_decision(line) for line in lines]
        if all(decisions):
            for d in decisions:
                found.decisions.append((d, _("the decision line in {where}").format(where=p.where())))  # type: ignore[arg-type]
            found.taken.add(p.number)
            continue
        early = first_heading is None or p.number < first_heading
        if early and ORGANISATION.fullmatch(" ".join(lines)):  # "Lilla kommun" under the title: who, not text
            found.unmapped.append((_("Organisation"), " ".join(lines), p.where()))
            found.taken.add(p.number)
            continue
        if early and all(_label_line(line, found, f"{p.where()}") for line in lines):
            found.taken.add(p.number)
    _tables(doc, found, first_heading)
    for kind, texts in ((_("the page header"), doc.header_text), (_("the page footer"), doc.footer_text)):
        for text in texts:
            for line in text.replace("\t", "\n").split("\n"):
                _header_line(line.strip(), found, kind)
    _core(doc, found)
    return found


def _label_line(line: str, found: Harvest, where: str) -> bool:
    m = LABEL_LINE.match(line)
    if not m or (key := label_key(m.group("label"))) is None:
        return False
    _value(key, m.group("label").strip(), m.group("value").strip(), found, where)
    return True


def _value(key: str, label: str, value: str, found: Harvest, where: str) -> None:
    value = " ".join(value.split())
    if not value:
        return
    if key == "report":
        found.unmapped.append((label, value, where))
    elif key == "dnr":
        found.dnrs.append((value, where))
    elif key == "body" and (d := parse_decision(f"Fastställd av {value}")) is not None:
        found.put("body", d.body, where)  # "Kommunfullmäktige 2015-05-26, § 129" in one cell
        found.put("date", d.date.isoformat() if d.date else "", where)
        if d.paragraph:
            found.put("paragraph", str(d.paragraph), where)
    elif key == "body":
        found.put("body", body_name(value), where)
    elif key == "valid_from":
        m = re.match(r"^(\d{4}-\d{2}-\d{2})\b", value)
        if m:
            found.put(key, m.group(1), where)
        else:
            found.unmapped.append((label, value, where))
    elif key == "review":
        years = re.search(r"(\d+)\s*år|vart\s+(\d+)", value.lower())
        words = {"vartannat": 2, "vart annat": 2, "vart tredje": 3, "vart fjärde": 4, "varje år": 1, "årligen": 1}
        if "mandatperiod" in value.lower():
            found.put(key, "mandate-period", where)
        elif years and 1 <= int(years.group(1) or years.group(2)) <= 10:
            found.put(key, str(int(years.group(1) or years.group(2))), where)
        elif (n := next((v for k, v in words.items() if k in value.lower()), None)) is not None:
            found.put(key, str(n), where)
        else:
            found.unmapped.append((label, value, where))
    elif key in ("date", "revised"):
        m = re.match(rf"^({DATE})\s*(?:,?\s*§\s*(\d+))?", value)
        if not m:
            found.unmapped.append((label, value, where))
            return
        found.put(key, m.group(1), where)
        if m.group(2):
            found.put(f"{key}-paragraph", m.group(2), where)
    elif key == "paragraph":
        if m := re.search(r"\d+", value):
            found.put("paragraph", m.group(0), where)
    else:
        found.put(key, value, where)


def _tables(doc: WordFile, found: Harvest, first_heading: int | None) -> None:
    """The information table: a table before the first heading with at least two known labels."""
    cells: dict[int, dict[tuple[int, int], list[Paragraph]]] = {}
    for p in doc.paragraphs:
        if p.in_table is not None and (first_heading is None or p.number < first_heading or p.number <= 40):
            cells.setdefault(p.in_table, {})
    for table in sorted(cells):
        grid = _grid(doc, table)
        labels = sum(1 for row in grid for cell in row if _is_label(_first_line(cell)))
        if labels < 2:
            continue
        found.tables.add(table)
        where = _("the information table (paragraph {number})").format(number=_first_para(doc, table))
        used: set[tuple[int, int]] = set()
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if (r, c) in used:
                    continue
                lines = [ln for ln in _lines(cell) if ln]
                if not lines:
                    continue
                key = label_key(lines[0])
                if key and len(lines) > 1:  # label above its value in one cell
                    _value(key, lines[0].rstrip(":"), " ".join(lines[1:]), found, where)
                elif key:
                    right = row[c + 1] if c + 1 < len(row) else None
                    below = grid[r + 1][c] if r + 1 < len(grid) and c < len(grid[r + 1]) else None
                    for other, pos in ((right, (r, c + 1)), (below, (r + 1, c))):
                        if other is not None and label_key(_first_line(other)) is None and pos not in used:
                            _value(key, lines[0].rstrip(":"), " ".join(_lines(other)), found, where)
                            used.add(pos)
                            break
                else:
                    for line in lines:
                        _label_line(line, found, where)
        return  # only the first such table is the document's information table


def _grid(doc: WordFile, table: int) -> list[list[list[Paragraph]]]:
    return [[[doc.paragraph(n) for n in cell] for cell in row] for row in doc.tables[table]]


def _is_label(text: str) -> bool:
    if label_key(text) is not None:
        return True
    m = LABEL_LINE.match(text)
    return bool(m and label_key(m.group("label")))


def _lines(cell: list[Paragraph]) -> list[str]:
    return [line.strip() for p in cell for line in p.text.split("\n") if line.strip()]


def _first_line(cell: list[Paragraph]) -> str:
    lines = _lines(cell)
    return lines[0] if lines else ""


def _first_para(doc: WordFile, table: int) -> int:
    return next(p.number for p in doc.paragraphs if p.in_table == table)


def _header_line(line: str, found: Harvest, where: str) -> None:
    if not line or re.fullmatch(r"(sida|page)?\s*(\d+)?\s*((av|of)\s*\d*)?", line, re.IGNORECASE):
        return
    if (d := parse_decision(line)) is not None:
        found.decisions.append((d, where))
        return
    if _label_line(line, found, where):
        return
    if m := DNR.search(line):
        found.dnrs.append((m.group(1), where))
        return
    found.unmapped.append((_("Text"), line, where))


def _core(doc: WordFile, found: Harvest) -> None:
    core = doc.core
    where = _("the document properties")
    if title := core.get("title"):
        found.put("core-title", title, where)
    if keywords := core.get("keywords"):
        found.put("keywords", keywords, where)
    for key, label in (("creator", _("Author")), ("lastModifiedBy", _("Last saved by")), ("subject", _("Subject")),
                       ("description", _("Comments")), ("created", _("Created")), ("modified", _("Last modified"))):
        if value := core.get(key):
            found.unmapped.append((label, value[:10] if key in ("created", "modified") else value, where))


def type_from(text: str) -> str | None:
    """The document type named in a title ("Riktlinjer för …", "Arbetsmiljöpolicy")."""
    for word in re.findall(r"[\wåäöÅÄÖ]+", text.lower()):
        if word in TYPES:
            return TYPES[word]
    for word in re.findall(r"[\wåäöÅÄÖ]+", text.lower()):
        for ending, kind in sorted(TYPES.items(), key=lambda kv: -len(kv[0])):
            if word.endswith(ending) and len(word) > len(ending) + 2:
                return kind
    return None
