"""The change summary in Swedish: what every redline shows first, and changes.md.

changes.md lists the changes section by section, in sentences ready to paste into the
officer's report (tjänsteskrivelse).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..i18n import ngettext
from ..diff import (BlockChange, BlockChanged, BlockDeleted, BlockInserted, BlockMovedFrom, BlockMovedTo,
                    DecisionChange, DecisionDeleted, DecisionInserted, Edit, FieldChange, Kind, ListEdit, PolicyDiff,
                    SectionChange, SectionChanged, SectionDeleted, SectionInserted, SectionKept, SectionMovedFrom, SectionMovedTo)
from .. import pandoc
from ..model import Review, Status
from .document import Unit, places


@dataclass(frozen=True)
class SectionSummary:
    """What happened to one section, in Swedish; `unit` is its first numbered change."""

    where: str
    text: str
    unit: int | None = None


@dataclass(frozen=True)
class Summary:
    heading: str
    compared: str
    totals: str
    document: tuple[str, ...]
    sections: tuple[SectionSummary, ...]
    changes: int  # numbered changes in the redline


# Swedish forms: (singular, plural) of nouns; adjectives for neuter/common singular and plural.
NOUNS = {"text": ("stycke", "stycken", "t"), "BulletList": ("lista", "listor", "n"),
         "OrderedList": ("lista", "listor", "n"), "Table": ("tabell", "tabeller", "n"),
         "BlockQuote": ("citat", "citat", "t"),
         "item": ("listpunkt", "listpunkter", "n"), "section": ("avsnitt", "avsnitt", "t"),
         "other": ("textblock", "textblock", "t")}
ADJECTIVES = {Kind.INSERTED: ("nytt", "ny", "nya"), Kind.DELETED: ("borttaget", "borttagen", "borttagna"),
              Kind.CHANGED: ("ändrat", "ändrad", "ändrade"), Kind.MOVED_TO: ("flyttat", "flyttad", "flyttade")}
FIELD_NAMES = {"id": "Dokumentets id", "title": "Titeln", "type": "Dokumenttypen", "owner": "Dokumentägaren",
               "coordinator": "Dokumentansvarig", "review": "Revideringen", "status": "Statusen",
               "keywords": "Nyckelorden"}
VALUES = {Status.DRAFT.value: "utkast", Status.CONSULTATION.value: "remiss", Status.ADOPTED.value: "antagen",
          Review.MANDATE_PERIOD.value: "varje mandatperiod", Review.NONE.value: "ingen fast revidering"}


def phrase(count: int, kind: Kind, noun: str) -> str:
    """"1 nytt stycke", "2 borttagna listpunkter" …"""
    singular, plural, gender = NOUNS[noun]
    neuter, common, many = ADJECTIVES[kind]
    adjective = many if count != 1 else neuter if gender == "t" else common
    return f"{count} {adjective} {singular if count == 1 else plural}"


def words_phrase(inserted: int, deleted: int) -> str:
    parts = [f"{inserted} ord {'infogat' if inserted == 1 else 'infogade'}" if inserted else "",
             f"{deleted} ord {'borttaget' if deleted == 1 else 'borttagna'}" if deleted else ""]
    return " och ".join(p for p in parts if p)


def _join(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    return ", ".join(parts[:-1]) + " och " + parts[-1] if len(parts) > 1 else "".join(parts)


def _quote(text: str) -> str:
    return f"”{text}”"


def _value(value: str | None) -> str:
    return VALUES.get(value, value) if value else "inget"


def field_sentence(change: FieldChange) -> str:
    name = FIELD_NAMES.get(change.name, change.name)
    if change.name == "title":
        return f"{name} har ändrats från {_quote(change.old or '')} till {_quote(change.new or '')}."
    return f"{name} har ändrats från {_value(change.old)} till {_value(change.new)}."


def decision_sentence(change: DecisionChange) -> str:
    if isinstance(change, DecisionInserted):
        return f"Nytt beslut: {change.new.line()}."
    if isinstance(change, DecisionDeleted):
        return f"Beslutet {_quote(change.old.line())} har tagits bort."
    if change.old.pending and not change.new.pending:
        return f"Beslutet har fattats: {change.new.line()}."
    return f"Beslutet {_quote(change.old.line())} har ändrats till {_quote(change.new.line())}."


def _family(change: BlockChange) -> str:
    block = change.old if isinstance(change, BlockDeleted) else change.new
    return "text" if block.kind in ("Para", "Plain") else block.kind if block.kind in NOUNS else "other"


def _counts(blocks: Sequence[BlockChange]) -> Counter[tuple[Kind, str]]:
    """Blocks and list items inserted, deleted or changed in place."""
    counts: Counter[tuple[Kind, str]] = Counter()
    for block in blocks:
        edit = block.edit if isinstance(block, BlockChanged) else None
        if isinstance(block, (BlockInserted, BlockDeleted)) or (edit is not None and not isinstance(edit, ListEdit)):
            counts[(block.kind, _family(block))] += 1
        if isinstance(edit, ListEdit):
            counts.update((item.kind, "item") for item in edit.items if item.kind is not Kind.EQUAL)
    return counts


def _edits(edit: Edit | None) -> str:
    """What was edited in moved text: "1 borttagen listpunkt och 1 ändrad listpunkt", or ''."""
    if isinstance(edit, ListEdit):
        counts = Counter((item.kind, "item") for item in edit.items if item.kind is not Kind.EQUAL)
        return _join([phrase(n, kind, noun) for (kind, noun), n in counts.items()])
    return ""


def _sentence(parts: Sequence[str], words: str) -> str:
    text = _join(parts)
    return text[0].upper() + text[1:] + (f" ({words})." if words else ".")


def section_sentence(change: SectionChange, where: str, other_place: Callable[[int, Kind], str]) -> str:
    """What happened to one section; '' when nothing did (or when the section only moved away)."""
    words = words_phrase(change.inserted, change.deleted)
    if isinstance(change, SectionInserted) and not any(isinstance(b, BlockMovedTo) for b in change.blocks):
        return f"Nytt avsnitt ({words})." if words else "Nytt avsnitt."
    if isinstance(change, SectionDeleted) and not any(isinstance(b, BlockMovedFrom) for b in change.blocks):
        return f"Avsnittet har tagits bort ({words})." if words else "Avsnittet har tagits bort."
    if isinstance(change, (SectionKept, SectionMovedFrom)):
        return ""
    sentences = []
    if isinstance(change, SectionInserted):
        sentences.append("Nytt avsnitt.")
    elif isinstance(change, SectionDeleted):
        sentences.append("Avsnittet har tagits bort.")
    elif isinstance(change, SectionMovedTo):
        if change.edited:
            edits = _join([phrase(n, kind, noun) for (kind, noun), n in _counts(change.blocks).items() if n])
            detail = f"{edits} ({words})" if edits and words else edits or words
            sentences.append(f"Avsnittet har flyttats och ändrats: {detail}." if detail
                             else "Avsnittet har flyttats och ändrats.")
        else:
            sentences.append("Avsnittet har flyttats.")
    if isinstance(change, (SectionChanged, SectionMovedTo)):
        if change.renamed:
            sentences.append(f"Rubriken har ändrats från {_quote(change.old.title)} till {_quote(change.new.title)}.")
        if change.level_changed:
            sentences.append(f"Rubriknivån har ändrats från {change.old.level} till {change.new.level}.")
    if isinstance(change, SectionMovedTo):
        return " ".join(sentences)
    counts = _counts(change.blocks)
    moved: list[str] = []
    for block in change.blocks:
        if not isinstance(block, (BlockMovedFrom, BlockMovedTo)):
            continue
        there = other_place(block.move, block.kind)
        if isinstance(block, BlockMovedFrom):
            if there != where:
                moved.append(f"1 {NOUNS[_family(block)][0]} har flyttats till {_quote(there)}")
            continue
        edits = _edits(block.edit) or ("ändrats" if block.edit is not None else "")
        also = f" och ändrats: {edits}" if edits and edits != "ändrats" else " och ändrats" if edits else ""
        if there == where:  # moved within the section: counted once, at its new place
            moved.append(f"1 {NOUNS[_family(block)][0]} har flyttats inom avsnittet{also}")
        else:
            moved.append(f"1 {NOUNS[_family(block)][0]} har flyttats hit från {_quote(there)}{also}")
    listed = [phrase(n, kind, noun) for (kind, noun), n in counts.items() if n]
    if listed or moved:
        sentences.append(_sentence(listed + moved, words))
    return " ".join(sentences)


def summarize(diff: PolicyDiff, units: Sequence[Unit], old_label: str, new_label: str) -> Summary:
    where = places(diff.sections)
    halves = {(block.move, block.kind): place for change, place in zip(diff.sections, where)
              for block in change.blocks if isinstance(block, (BlockMovedFrom, BlockMovedTo))}

    def other_place(move: int, kind: Kind) -> str:
        other = Kind.MOVED_TO if kind is Kind.MOVED_FROM else Kind.MOVED_FROM
        return halves.get((move, other), "")

    first_unit: dict[str, int] = {}
    for unit in units:
        if unit.section is not None:
            first_unit.setdefault(unit.section, unit.number)
    sections = tuple(SectionSummary(place, text, first_unit.get(change.id))
                     for change, place in zip(diff.sections, where)
                     if (text := section_sentence(change, place, other_place)))
    document = tuple(field_sentence(f) for f in diff.fields) + tuple(decision_sentence(d) for d in diff.decisions)
    return Summary(heading=f"Ändringar i {diff.new.meta.title}",
                   compared=f"Jämförelse mellan {old_label} och {new_label}.",
                   totals=totals(diff), document=document, sections=sections, changes=len(units))


def totals(diff: PolicyDiff) -> str:
    if not diff.changed:
        return "Inga ändringar."
    c = diff.counts()
    parts = [phrase(c.sections_changed, Kind.CHANGED, "section") if c.sections_changed else "",
             phrase(c.sections_inserted, Kind.INSERTED, "section") if c.sections_inserted else "",
             phrase(c.sections_deleted, Kind.DELETED, "section") if c.sections_deleted else "",
             phrase(c.sections_moved, Kind.MOVED_TO, "section") if c.sections_moved else "",
             (f"{c.sections_renamed} {'avsnitt har fått ny rubrik' if c.sections_renamed == 1 else 'avsnitt har fått nya rubriker'}"
              if c.sections_renamed else "")]
    text = _join(parts) or "Ändrade uppgifter om dokumentet"
    words = words_phrase(c.words_inserted, c.words_deleted)
    return f"{text[0].upper()}{text[1:]}{'; ' + words if words else ''}."


def summary_blocks(summary: Summary, legend: pandoc.Ast | None = None) -> list[pandoc.Ast]:
    """The summary as the PDF and the DOCX open with it: comparison, totals, legend (PDF),
    front-matter and per-section changes."""
    blocks = [pandoc.header(2, pandoc.text("Sammanfattning av ändringar"), ident="sammanfattning"),
              pandoc.para(pandoc.text(summary.compared)), pandoc.para(pandoc.text(summary.totals))]
    blocks += [legend] if legend is not None else []
    if summary.document:
        blocks += [pandoc.header(3, pandoc.text("Dokumentets uppgifter")),
                   {"t": "BulletList", "c": [[{"t": "Plain", "c": pandoc.text(s)}] for s in summary.document]}]
    if summary.sections:
        items = [[{"t": "Plain", "c": [{"t": "Strong", "c": pandoc.text(f"{s.where}:")}, {"t": "Space"},
                                       *pandoc.text(s.text)]}] for s in summary.sections]
        blocks += [pandoc.header(3, pandoc.text("Ändringar per avsnitt")), {"t": "BulletList", "c": items}]
    return blocks


def markdown(summary: Summary) -> str:
    """changes.md: the summary as Markdown."""
    lines = [f"# {_escape(summary.heading)}", "", _escape(summary.compared), "", f"**Sammanfattning:** {_escape(summary.totals)}"]
    if summary.document:
        lines += ["", "## Dokumentets uppgifter", ""] + [f"- {_escape(s)}" for s in summary.document]
    if summary.sections:
        lines += ["", "## Ändringar per avsnitt", ""]
        lines += [f"- **{_escape(s.where)}:** {_escape(s.text)}" for s in summary.sections]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#" else ch for ch in text)


def screen(summary: Summary, max_sections: int = 12) -> str:
    """The summary for a terminal: one screen at most, the rest is in changes.md."""
    lines = [summary.compared, summary.totals, *summary.document]
    lines += [f"  {s.where}: {s.text}" for s in summary.sections[:max_sections]]
    if len(summary.sections) > max_sections:
        more = len(summary.sections) - max_sections
        lines.append("  " + ngettext("… and {n} more section (see changes.md)", "… and {n} more sections (see changes.md)",
                                     more).format(n=more))
    return "\n".join(lines)
