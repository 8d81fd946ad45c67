"""The change summary in Swedish: what every redline shows first, and changes.md.

changes.md lists the changes section by section, in sentences ready to paste into the
officer's report (tjänsteskrivelse).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..i18n import ngettext
from ..diff import (FIELDS, BlockChange, BlockChanged, BlockDeleted, BlockInserted, BlockMovedFrom, BlockMovedTo,
                    DecisionChange, DecisionDeleted, DecisionInserted, Edit, FieldChange, Kind, ListEdit, PolicyDiff,
                    SectionChange, SectionChanged, SectionDeleted, SectionInserted, SectionKept, SectionMovedFrom, SectionMovedTo)
from .. import pandoc
from ..model import Review, Status
from ..theme import Labels
from .document import Unit, packaged_labels, places


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
    labels: Labels = field(default_factory=lambda: packaged_labels(), compare=False, repr=False)  # its words


# The summary's words come from the labels (templates/labels.sv.yaml, keys redline.*): nouns as
# [singular, plural, gender (t or n)], adjectives as [t-word singular, n-word singular, plural].
NOUN_KEYS = {"text": "text", "BulletList": "list", "OrderedList": "list", "Table": "table", "BlockQuote": "quote",
             "item": "item", "section": "section", "other": "other"}
ADJECTIVE_KEYS = {Kind.INSERTED: "inserted", Kind.DELETED: "deleted", Kind.CHANGED: "changed", Kind.MOVED_TO: "moved"}
VALUE_KEYS = {Status.DRAFT.value: "draft", Status.CONSULTATION.value: "consultation", Status.ADOPTED.value: "adopted",
              Review.MANDATE_PERIOD.value: "mandate_period", Review.NONE.value: "no_review"}


def _labels(labels: Labels | None) -> Labels:
    return labels if labels is not None else packaged_labels()


def noun(labels: Labels, family: str, count: int = 1) -> str:
    singular, plural, _gender = labels.list(f"redline.nouns.{NOUN_KEYS[family]}")
    return singular if count == 1 else plural


def phrase(count: int, kind: Kind, family: str, labels: Labels | None = None) -> str:
    """"1 nytt stycke", "2 borttagna listpunkter" …"""
    labels = _labels(labels)
    _singular, _plural, gender = labels.list(f"redline.nouns.{NOUN_KEYS[family]}")
    neuter, common, many = labels.list(f"redline.adjectives.{ADJECTIVE_KEYS[kind]}")
    adjective = many if count != 1 else neuter if gender == "t" else common
    return labels("redline.count", count=count, adjective=adjective, noun=noun(labels, family, count))


def words_phrase(inserted: int, deleted: int, labels: Labels | None = None) -> str:
    labels = _labels(labels)
    parts = [labels("redline.words_inserted_one" if inserted == 1 else "redline.words_inserted_many", count=inserted)
             if inserted else "",
             labels("redline.words_deleted_one" if deleted == 1 else "redline.words_deleted_many", count=deleted)
             if deleted else ""]
    return _join(parts, labels)


def _join(parts: Sequence[str], labels: Labels) -> str:
    parts = [p for p in parts if p]
    return ", ".join(parts[:-1]) + f" {labels('redline.and')} " + parts[-1] if len(parts) > 1 else "".join(parts)


def _quote(text: str, labels: Labels) -> str:
    return labels("redline.quote", text=text)


def _value(value: str | None, labels: Labels) -> str:
    if not value:
        return labels("redline.values.nothing")
    return labels(f"redline.values.{VALUE_KEYS[value]}") if value in VALUE_KEYS else value


def field_sentence(change: FieldChange, labels: Labels | None = None) -> str:
    labels = _labels(labels)
    name = labels(f"redline.fields.{change.name}") if change.name in FIELDS else change.name
    if change.name == "title":
        old, new = _quote(change.old or "", labels), _quote(change.new or "", labels)
    else:
        old, new = _value(change.old, labels), _value(change.new, labels)
    return labels("redline.field_changed", name=name, old=old, new=new)


def decision_sentence(change: DecisionChange, labels: Labels | None = None) -> str:
    labels = _labels(labels)
    if isinstance(change, DecisionInserted):
        return labels("redline.decision_new", line=change.new.line())
    if isinstance(change, DecisionDeleted):
        return labels("redline.decision_deleted", line=_quote(change.old.line(), labels))
    if change.old.pending and not change.new.pending:
        return labels("redline.decision_taken", line=change.new.line())
    return labels("redline.decision_changed", old=_quote(change.old.line(), labels), new=_quote(change.new.line(), labels))


def _family(change: BlockChange) -> str:
    block = change.old if isinstance(change, BlockDeleted) else change.new
    return "text" if block.kind in ("Para", "Plain") else block.kind if block.kind in NOUN_KEYS else "other"


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


def _edits(edit: Edit | None, labels: Labels) -> str:
    """What was edited in moved text: "1 borttagen listpunkt och 1 ändrad listpunkt", or ''."""
    if isinstance(edit, ListEdit):
        counts = Counter((item.kind, "item") for item in edit.items if item.kind is not Kind.EQUAL)
        return _join([phrase(n, kind, family, labels) for (kind, family), n in counts.items()], labels)
    return ""


def _sentence(parts: Sequence[str], words: str, labels: Labels) -> str:
    text = _join(parts, labels)
    text = text[0].upper() + text[1:]
    return labels("redline.sentence_words", text=text, words=words) if words else labels("redline.sentence", text=text)


def section_sentence(change: SectionChange, where: str, other_place: Callable[[int, Kind], str],
                     labels: Labels | None = None) -> str:
    """What happened to one section; '' when nothing did (or when the section only moved away)."""
    labels = _labels(labels)
    words = words_phrase(change.inserted, change.deleted, labels)
    if isinstance(change, SectionInserted) and not any(isinstance(b, BlockMovedTo) for b in change.blocks):
        return labels("redline.section_new_words", words=words) if words else labels("redline.section_new")
    if isinstance(change, SectionDeleted) and not any(isinstance(b, BlockMovedFrom) for b in change.blocks):
        return labels("redline.section_deleted_words", words=words) if words else labels("redline.section_deleted")
    if isinstance(change, (SectionKept, SectionMovedFrom)):
        return ""
    sentences = []
    if isinstance(change, SectionInserted):
        sentences.append(labels("redline.section_new"))
    elif isinstance(change, SectionDeleted):
        sentences.append(labels("redline.section_deleted"))
    elif isinstance(change, SectionMovedTo):
        if change.edited:
            edits = _join([phrase(n, kind, family, labels) for (kind, family), n in _counts(change.blocks).items() if n],
                          labels)
            detail = labels("redline.edits_words", edits=edits, words=words) if edits and words else edits or words
            sentences.append(labels("redline.section_moved_edited_detail", detail=detail) if detail
                             else labels("redline.section_moved_edited"))
        else:
            sentences.append(labels("redline.section_moved"))
    if isinstance(change, (SectionChanged, SectionMovedTo)):
        if change.renamed:
            sentences.append(labels("redline.renamed", old=_quote(change.old.title, labels),
                                    new=_quote(change.new.title, labels)))
        if change.level_changed:
            sentences.append(labels("redline.level_changed", old=change.old.level, new=change.new.level))
    if isinstance(change, SectionMovedTo):
        return " ".join(sentences)
    counts = _counts(change.blocks)
    moved: list[str] = []
    for block in change.blocks:
        if not isinstance(block, (BlockMovedFrom, BlockMovedTo)):
            continue
        there = other_place(block.move, block.kind)
        what = noun(labels, _family(block))
        if isinstance(block, BlockMovedFrom):
            if there != where:
                moved.append(labels("redline.moved_away", noun=what, place=_quote(there, labels)))
            continue
        edits = _edits(block.edit, labels)
        edited = labels("redline.also_edited_detail", edits=edits) if edits else \
            labels("redline.also_edited") if block.edit is not None else ""
        if there == where:  # moved within the section: counted once, at its new place
            moved.append(labels("redline.moved_within", noun=what, edited=edited))
        else:
            moved.append(labels("redline.moved_here", noun=what, place=_quote(there, labels), edited=edited))
    listed = [phrase(n, kind, family, labels) for (kind, family), n in counts.items() if n]
    if listed or moved:
        sentences.append(_sentence(listed + moved, words, labels))
    return " ".join(sentences)


def summarize(diff: PolicyDiff, units: Sequence[Unit], old_label: str, new_label: str,
              labels: Labels | None = None) -> Summary:
    labels = _labels(labels)
    where = places(diff.sections, labels)
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
                     if (text := section_sentence(change, place, other_place, labels)))
    document = tuple(field_sentence(f, labels) for f in diff.fields) + \
        tuple(decision_sentence(d, labels) for d in diff.decisions)
    return Summary(heading=labels("redline.heading", title=diff.new.meta.title),
                   compared=labels("redline.compared", old=old_label, new=new_label),
                   totals=totals(diff, labels), document=document, sections=sections, changes=len(units),
                   labels=labels)


def totals(diff: PolicyDiff, labels: Labels | None = None) -> str:
    labels = _labels(labels)
    if not diff.changed:
        return labels("redline.no_changes")
    c = diff.counts()
    renamed = labels("redline.renamed_one" if c.sections_renamed == 1 else "redline.renamed_many",
                     count=c.sections_renamed) if c.sections_renamed else ""
    parts = [phrase(c.sections_changed, Kind.CHANGED, "section", labels) if c.sections_changed else "",
             phrase(c.sections_inserted, Kind.INSERTED, "section", labels) if c.sections_inserted else "",
             phrase(c.sections_deleted, Kind.DELETED, "section", labels) if c.sections_deleted else "",
             phrase(c.sections_moved, Kind.MOVED_TO, "section", labels) if c.sections_moved else "", renamed]
    text = _join(parts, labels) or labels("redline.document_only")
    text = text[0].upper() + text[1:]
    words = words_phrase(c.words_inserted, c.words_deleted, labels)
    return labels("redline.totals_words", text=text, words=words) if words else labels("redline.sentence", text=text)


def summary_blocks(summary: Summary, legend: pandoc.Ast | None = None) -> list[pandoc.Ast]:
    """The summary as the PDF and the DOCX open with it: comparison, totals, legend (PDF),
    front-matter and per-section changes."""
    label = summary.labels
    blocks = [pandoc.header(2, pandoc.text(label("redline.summary")), ident="sammanfattning"),
              pandoc.para(pandoc.text(summary.compared)), pandoc.para(pandoc.text(summary.totals))]
    blocks += [legend] if legend is not None else []
    if summary.document:
        blocks += [pandoc.header(3, pandoc.text(label("redline.document_fields"))),
                   {"t": "BulletList", "c": [[{"t": "Plain", "c": pandoc.text(s)}] for s in summary.document]}]
    if summary.sections:
        items = [[{"t": "Plain", "c": [{"t": "Strong", "c": pandoc.text(f"{s.where}:")}, {"t": "Space"},
                                       *pandoc.text(s.text)]}] for s in summary.sections]
        blocks += [pandoc.header(3, pandoc.text(label("redline.per_section"))), {"t": "BulletList", "c": items}]
    return blocks


def markdown(summary: Summary) -> str:
    """changes.md: the summary as Markdown."""
    label = summary.labels
    lines = [f"# {_escape(summary.heading)}", "", _escape(summary.compared), "",
             f"**{_escape(label('redline.summary_lead'))}:** {_escape(summary.totals)}"]
    if summary.document:
        lines += ["", f"## {_escape(label('redline.document_fields'))}", ""] + [f"- {_escape(s)}" for s in summary.document]
    if summary.sections:
        lines += ["", f"## {_escape(label('redline.per_section'))}", ""]
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
