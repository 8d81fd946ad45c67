"""The change summary in Swedish: what every redline shows first, and changes.md.

changes.md lists the changes section by section, in sentences ready to paste into the
officer's report (tjänsteskrivelse).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..diff import BlockChange, DecisionChange, FieldChange, Kind, PolicyDiff, SectionChange
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
    if change.kind is Kind.INSERTED:
        return f"Nytt beslut: {change.new.line()}."  # type: ignore[union-attr]
    if change.kind is Kind.DELETED:
        return f"Beslutet {_quote(change.old.line())} har tagits bort."  # type: ignore[union-attr]
    if change.old.pending and not change.new.pending:  # type: ignore[union-attr]
        return f"Beslutet har fattats: {change.new.line()}."  # type: ignore[union-attr]
    return f"Beslutet {_quote(change.old.line())} har ändrats till {_quote(change.new.line())}."  # type: ignore[union-attr]


def _family(change: BlockChange) -> str:
    block = change.new or change.old
    kind = block.kind  # type: ignore[union-attr]
    return "text" if kind in ("Para", "Plain") else kind if kind in NOUNS else "other"


def section_sentence(change: SectionChange, where: str, other_place: Callable[[BlockChange], str]) -> str:
    """What happened to one section; '' when nothing did (or when the section only moved away)."""
    words = words_phrase(change.inserted_words, change.deleted_words)
    if change.kind is Kind.INSERTED:
        return f"Nytt avsnitt ({words})." if words else "Nytt avsnitt."
    if change.kind is Kind.DELETED:
        return f"Avsnittet har tagits bort ({words})." if words else "Avsnittet har tagits bort."
    if change.kind is Kind.MOVED_FROM:
        return ""
    sentences = []
    if change.kind is Kind.MOVED_TO:
        sentences.append("Avsnittet har flyttats.")
    if change.renamed:
        sentences.append(f"Rubriken har ändrats från {_quote(change.old.title)} till {_quote(change.new.title)}.")  # type: ignore[union-attr]
    if change.level_changed:
        sentences.append(f"Rubriknivån har ändrats från {change.old.level} till {change.new.level}.")  # type: ignore[union-attr]
    counts: Counter[tuple[Kind, str]] = Counter()
    moved: list[str] = []
    for block in change.blocks if change.kind is not Kind.MOVED_TO else ():
        if block.kind in (Kind.INSERTED, Kind.DELETED) or (block.kind is Kind.CHANGED and not block.items):
            counts[(block.kind, _family(block))] += 1
        counts.update((item.kind, "item") for item in block.items if item.kind is not Kind.EQUAL)
        if block.move is None:
            continue
        there = other_place(block)
        if there == where:  # moved within the section: counted once, at its new place
            counts[(Kind.MOVED_TO, _family(block))] += block.kind is Kind.MOVED_TO
        else:
            direction = "hit från" if block.kind is Kind.MOVED_TO else "till"
            moved.append(f"1 {NOUNS[_family(block)][0]} har flyttats {direction} {_quote(there)}")
    listed = [phrase(n, kind, noun) for (kind, noun), n in counts.items() if n]
    if listed or moved:
        text = _join(listed + moved)
        sentences.append(text[0].upper() + text[1:] + (f" ({words})." if words else "."))
    elif words and change.kind is Kind.MOVED_TO:
        sentences.append(f"Texten har också ändrats ({words}).")
    return " ".join(sentences)


def summarize(diff: PolicyDiff, units: Sequence[Unit], old_label: str, new_label: str) -> Summary:
    where = places(diff.sections)
    halves = {(block.move, block.kind): place for change, place in zip(diff.sections, where)
              if change.kind is not Kind.MOVED_TO for block in change.blocks if block.move is not None}

    def other_place(block: BlockChange) -> str:
        if block.move is None:  # not moved: no other place
            return ""
        other = Kind.MOVED_TO if block.kind is Kind.MOVED_FROM else Kind.MOVED_FROM
        return halves.get((block.move, other), "")

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
        lines.append(f"  … and {len(summary.sections) - max_sections} more sections (see changes.md)")
    return "\n".join(lines)
