"""The round trip: a DOCX that styrdok made for a policy (final, draft, remissversion or redline),
edited in Word, back into the policy file.

The front matter is kept byte for byte; what styrdok itself put into the DOCX (document type,
title, decision lines, the remiss notice and reference numbers) is recognised and dropped.
Heading ids come from the bookmarks styrdok writes around each section, else from position and
text similarity. Blocks whose text is unchanged keep their Markdown exactly as it was, so
importing an unedited DOCX changes nothing and `git diff` shows only what was edited in Word.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .. import frontmatter, pandoc, source
from ..errors import Severity, StyrdokError
from ..i18n import _, ngettext
from ..model import PREAMBLE_ID, Policy
from ..workspace import Workspace
from ..wordstyles import CONTROL_STYLE as CONTROL, SUMMARY_STYLE
from . import headings as heading_rules
from . import markdown, wordfile
from .body import Plan, build
from .convert import _losses, tracked_entry
from .report import Entry, Report

STYRDOK_STYLES = {"dokumenttyp", "beslutsrad", SUMMARY_STYLE.lower()}  # the last: a redline's summary
CONTROL_STYLE = CONTROL.lower()  # the control block's table
TITLE_BOOKMARK = "titel"
REMISS_NOTICE = re.compile(r"^Remissversion\s+–\s+svar senast\b")
REMISS_MARK = "REMISSVERSION"
SIMILAR = 0.6  # a heading without its bookmark keeps the id of an unclaimed old heading this alike


@dataclass(frozen=True)
class Unit:
    """A heading or a top-level block of the policy text, with its comparison key."""

    key: str
    markdown: str | None = None  # the source text (old units) or None (new: written by pandoc)
    sep: str = "\n\n"  # what followed it in the source
    ast: Any = None
    notes: tuple[Note, ...] = ()  # footnote definitions written after it in the source
    gap: str = ""  # between its text and those definitions


@dataclass(frozen=True)
class Note:
    """A footnote definition as written in the source: `[^label]: text` (and indented lines)."""

    label: str
    markdown: str
    sep: str  # what followed it in the source


def into(workspace: Workspace, file: Path, policy_id: str, *, changes: str = "accept") -> tuple[Report, bytes | None]:
    """(report, new file bytes or None when unchanged)."""
    path = workspace.policy_path(policy_id)
    raw = path.read_bytes()
    policy, problems = source.check_file(path, display=workspace.display(path), data=raw)
    if policy is None:
        raise StyrdokError(_("{path} has errors; correct them before taking edits from Word into it")
                           .format(path=workspace.display(path)), problems)
    doc = wordfile.load(file, str(file))
    if doc.converted_from:
        raise StyrdokError(_("{file}: --into takes a Word document (.docx) that styrdok made; this is a .{kind} file")
                           .format(file=file, kind=doc.converted_from))
    report = Report(source=str(file), policy_id=policy_id, target=workspace.display(path), mode="into")
    ast = pandoc.read_word(doc.marked, track_changes=changes)
    plan = _plan(doc, policy, report)
    provisional: dict[int, str] = {}

    def heading_id(number: int, title: str) -> str:
        provisional[number] = title
        return f"styrdok-heading-{number}"

    result = build(doc, ast, plan, heading_id)
    report.counts = result.counts
    _resolve_ids(doc, policy, result.blocks, provisional, report)
    _losses(doc, report, legacy=False)
    _changes(doc, report, changes)
    text, stored = frontmatter.decode(raw), frontmatter.Encoding.of(raw)
    new_text = splice(policy, text, result.blocks)
    _policy, after = source.check_file(path, display=workspace.display(path), data=new_text.encode("utf-8"))
    if errors := [p for p in after if p.severity is Severity.ERROR]:
        raise StyrdokError(_("the text from Word does not pass styrdok check; nothing was written"), errors)
    report.warnings = [str(p) for p in after]
    data = stored.encode(new_text)
    if data == raw:
        report.unchanged = True
        return report, None
    return report, data


# --- what to keep ---------------------------------------------------------------------------

def _plan(doc: wordfile.WordFile, policy: Policy, report: Report) -> Plan:
    plan = Plan(keep_heading_inlines=True)
    remiss = any(REMISS_MARK in t for t in doc.header_text)
    first_heading = None
    dropped = []
    for p in doc.paragraphs:
        names = {s.name for s in p.styles[:1]} | {p.style.lower()}
        if CONTROL_STYLE in names and p.in_table is not None:
            if p.in_table not in plan.drop_tables:
                dropped.append(p)
            plan.drop_tables.add(p.in_table)
            continue
        if names & STYRDOK_STYLES or TITLE_BOOKMARK in p.bookmarks:
            plan.drop.add(p.number)
            dropped.append(p)
            continue
        styled = heading_rules.style_level(p)
        outline = p.outline if styled is None else None
        if styled is None and outline is None:
            if first_heading is None and REMISS_NOTICE.match(p.text.strip()):
                plan.drop.add(p.number)
                remiss = True
                dropped.append(p)
            continue
        depth = styled[0] if styled else (outline or 2)
        if first_heading is None and depth == 1 and p.text.strip() == policy.meta.title:
            plan.drop.add(p.number)  # the title heading, its bookmark lost in Word
            continue
        first_heading = first_heading or p.number
        plan.headings[p.number] = heading_rules.Heading(p.number, depth, "formatmall", p.text.strip())
    plan.strip_refnr = remiss
    previous = 1
    for at in sorted(plan.headings):
        level = max(2, min(plan.headings[at].level, previous + 1))
        if plan.headings[at].level == 1:
            report.guesses.append(Entry(_("a level 1 heading (the title's level) became level 2"),
                                        doc.paragraph(at).where()))
        plan.levels[at] = level
        previous = level
    if dropped:
        report.guesses.append(Entry(ngettext(
            "{n} part styrdok itself put in (document type, title, decision lines, control block, remiss notice) was "
            "left out; the front matter is unchanged",
            "{n} parts styrdok itself put in (document type, title, decision lines, control block, remiss notice) were "
            "left out; the front matter is unchanged", len(dropped)).format(n=len(dropped))))
    if remiss:
        report.guesses.append(Entry(_("remissversion: the reference numbers before headings, paragraphs and items "
                                      "were removed")))
    return plan


# --- heading ids ----------------------------------------------------------------------------

def _resolve_ids(doc: wordfile.WordFile, policy: Policy, blocks: list[Any], titles: dict[int, str],
                 report: Report) -> None:
    """Give each heading its id: the section bookmark styrdok wrote, else the most similar old
    heading not claimed by another, else a new id from its text."""
    old = {s.id: s for s in policy.sections if s.level}
    headers = [(int(b["c"][1][0].rsplit("-", 1)[1]), b) for b in blocks if b["t"] == "Header"]
    chosen: dict[int, str] = {}
    for number, _block in headers:
        for mark in doc.paragraph(number).bookmarks:
            if mark in old and mark not in chosen.values():
                chosen[number] = mark
                break
    order = [s.id for s in policy.sections if s.level]
    for position, (number, block) in enumerate(headers):
        if number in chosen:
            continue
        title = titles[number]
        free = [i for i in order if i not in chosen.values()]
        scored = sorted(((SequenceMatcher(None, title.lower(), old[i].title.lower()).ratio(),
                          -abs(order.index(i) - position), i) for i in free), reverse=True)
        if scored and scored[0][0] >= SIMILAR:
            chosen[number] = scored[0][2]
            report.guesses.append(Entry(_("the heading ”{title}” has lost styrdok's bookmark; it keeps the id {id} of "
                                          "the most similar earlier heading (”{old}”)")
                                        .format(title=title, id=scored[0][2], old=old[scored[0][2]].title),
                                        doc.paragraph(number).where()))
    taken = set(chosen.values()) | {PREAMBLE_ID}
    for number, block in headers:
        if number not in chosen:
            base = source.heading_id(titles[number])
            ident, n = base, 1
            while ident in taken or (ident in old and ident not in chosen.values()):
                n += 1
                ident = f"{base}-{n}"
            chosen[number] = ident
            taken.add(ident)
            report.guesses.append(Entry(_("the new heading ”{title}” got the id {id}")
                                        .format(title=titles[number], id=ident), doc.paragraph(number).where()))
        block["c"][1][0] = chosen[number]
        report.headings.append((block["c"][0], titles[number], chosen[number],
                                _("bookmark") if chosen[number] in doc.paragraph(number).bookmarks
                                else _("see guesses")))


def _changes(doc: wordfile.WordFile, report: Report, changes: str) -> None:
    for f in doc.findings:
        if f.kind == "tracked" and (entry := tracked_entry(f, doc.paragraph(f.paragraph).where(),
                                                           accepted=changes == "accept")) is not None:
            report.changes.append(entry)


# --- the file -------------------------------------------------------------------------------

def canonical(node: Any) -> Any:
    """A block as text and structure only: what Word can change, without what the trip through
    DOCX changes by itself (loose/tight lists, soft breaks, split strings, quote marks)."""
    if isinstance(node, list):
        out: list[Any] = []
        for n in node:
            c = canonical(n)
            if isinstance(c, list) and isinstance(n, dict) and n.get("t") in ("Span", "Quoted", "Div"):
                out.extend(c)
            else:
                out.append(c)
        return _merge_str(out)
    if not isinstance(node, dict):
        return node
    t = node.get("t")
    if t in ("SoftBreak", "Space"):
        return {"t": "Space"}
    if t == "Para":
        return {"t": "Plain", "c": canonical(node["c"])}
    if t == "Span":
        return canonical(node["c"][1])
    if t == "Quoted":
        q = ("“", "”") if node["c"][0]["t"] == "DoubleQuote" else ("‘", "’")
        return [{"t": "Str", "c": q[0]}, *canonical(node["c"][1]), {"t": "Str", "c": q[1]}]
    if t == "Header":
        return {"t": "Header", "c": [node["c"][0], node["c"][1][0], canonical(node["c"][2])]}
    if t == "OrderedList":
        return {"t": "OrderedList", "c": canonical(node["c"][1])}
    if t == "Table":
        return {"t": "Table", "c": pandoc.stringify(node)}
    if t == "Link":
        return {"t": "Link", "c": [canonical(node["c"][1]), node["c"][2][0]]}
    return {k: canonical(v) for k, v in node.items()}


def _merge_str(inlines: list[Any]) -> list[Any]:
    out: list[Any] = []
    for n in inlines:
        if isinstance(n, dict) and n.get("t") == "Str" and out and isinstance(out[-1], dict) and out[-1].get("t") == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + n["c"]}
        elif isinstance(n, dict) and n.get("t") == "Str" and not n["c"]:
            continue
        else:
            out.append(n)
    return out


def key(block: Any) -> str:
    c = canonical(block)
    return json.dumps(c, ensure_ascii=False, sort_keys=True).replace("’", "'")


NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def old_units(policy: Policy, text: str) -> tuple[str, list[Unit], str]:
    """(the front matter and what precedes the first block, the units, the file's ending)."""
    lines = text.split("\n")
    starts: list[tuple[int, Any]] = []
    for section in policy.sections:
        if section.heading_ast is not None:
            starts.append((section.line, section.heading_ast))
        starts += [(b.line, b.ast) for b in section.blocks]
    if not starts:
        return text, [], ""
    head = "\n".join(lines[: starts[0][0] - 1])
    units = []
    for i, (line, ast) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
        chunk = "\n".join(lines[line - 1: end]) + ("\n" if i + 1 < len(starts) else "")
        content = chunk.rstrip("\n")
        units.append(_with_notes(Unit(key(ast), content, chunk[len(content):], ast)))
    last = units[-1]
    units[-1] = Unit(last.key, last.markdown, "", last.ast, last.notes, last.gap)
    return head + ("\n" if head else ""), units, last.sep


def _with_notes(unit: Unit) -> Unit:
    """A unit whose source text ends in footnote definitions: the block's text and the notes apart."""
    text = unit.markdown or ""
    found = [m for m in NOTE_DEF.finditer(text) if m.start() > 0 and text[:m.start()].endswith("\n\n")]
    if not found:
        return unit
    block = text[:found[0].start()].rstrip("\n")
    notes = []
    for n, m in enumerate(found):
        chunk = text[m.start(): found[n + 1].start() if n + 1 < len(found) else len(text)]
        body = chunk.rstrip("\n")
        notes.append(Note(m.group(1), body, chunk[len(body):]))
    return Unit(unit.key, block, unit.sep, unit.ast, tuple(notes), text[len(block):found[0].start()])


def _notes_in(node: Any) -> list[Any]:
    """The Note elements of a block in document order (the order pandoc numbers them)."""
    out: list[Any] = []
    if isinstance(node, list):
        for n in node:
            out += _notes_in(n)
    elif isinstance(node, dict):
        if node.get("t") == "Note":
            out.append(node)
        else:
            out += _notes_in(node.get("c"))
    return out


def _cited(markdown_text: str) -> list[str]:
    return list(dict.fromkeys(NOTE_REF.findall(markdown_text)))


def splice(policy: Policy, text: str, blocks: list[Any]) -> str:
    """The policy file with its text replaced by `blocks`: unchanged blocks keep their source
    Markdown (and the blank lines after them), footnotes their labels and definitions where
    they were (those at the end of the file stay at its end, whatever block comes last); changed
    and new blocks are written by pandoc."""
    head, olds, ending = old_units(policy, text)
    last = len(olds) - 1  # the definitions after the last block are the file's closing notes
    news = [Unit(key(b), None, "\n\n", b) for b in blocks]
    matcher = SequenceMatcher(None, [u.key for u in olds], [u.key for u in news], autojunk=False)
    out: list[tuple[Unit, int | None]] = []  # unit, its index among the old units
    orphans: dict[int, list[Note]] = {}  # notes of replaced old units, after the out position they follow
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [(olds[i], i) for i in range(i1, i2)]
        else:
            out += [(news[j], None) for j in range(j1, j2)]
            # -1: the text's first blocks were deleted; their notes go to the end with the new ones
            orphans.setdefault(len(out) - 1, []).extend(n for i in range(i1, i2) if i != last for n in olds[i].notes)
    if not out:
        return head.rstrip("\n") + "\n"
    kept_cites = {label for unit, i in out if i is not None for label in _cited(unit.markdown or "")}
    written, added = _written(olds, [u.ast for u, i in out if i is None], kept_cites)
    cited = kept_cites | {label for part in written for label in _cited(part)}
    parts = iter(written)
    pieces: list[str] = []
    for n, (unit, index) in enumerate(out):
        content = unit.markdown if index is not None else next(parts)
        notes = [note for note in (unit.notes if index is not None and index != last else ()) if note.label in cited]
        if notes:
            content = f"{content}{unit.gap}{_join(notes)}"
        if orphaned := [note for note in orphans.get(n, []) if note.label in cited]:
            content = f"{content}\n\n{_join(orphaned)}"
        nxt = out[n + 1][1] if n + 1 < len(out) else None
        sep = unit.sep if index is not None and nxt is not None and nxt == index + 1 else "\n\n"
        pieces.append(content + (sep if n + 1 < len(out) else ""))  # type: ignore[operator]
    if early := [note for note in orphans.get(-1, []) if note.label in cited]:
        added = [_join(early), *added]
    if closing := [note for note in (olds[last].notes if olds else ()) if note.label in cited]:
        pieces.append((olds[last].gap or "\n\n") + _join(closing))
    if added:
        pieces.append("\n\n" + "\n\n".join(added))
    return head + "".join(pieces) + (ending or "\n")


def _join(notes: list[Note]) -> str:
    return "".join(note.markdown + (note.sep if n + 1 < len(notes) else "") for n, note in enumerate(notes))


def _written(olds: list[Unit], blocks: list[Any], taken: set[str]) -> tuple[list[str], list[str]]:
    """The Markdown of the changed and new blocks, their footnotes labelled as in the source when
    the note's text is unchanged (its definition stays where it was), else with a new label; and
    the definitions of the new notes (they go at the end of the file)."""
    parts, defs = markdown.each_block_and_notes(blocks)
    notes = [n for b in blocks for n in _notes_in(b)]
    old_labels: dict[str, list[str]] = {}
    used = set(taken)
    for unit in olds:
        labels, found = _cited(unit.markdown or ""), _notes_in(unit.ast)
        used |= set(labels)
        if len(labels) == len(found):
            for label, note in zip(labels, found):
                old_labels.setdefault(key(note), []).append(label)
    if len(notes) != len(defs):  # pandoc's numbering not as expected: leave its labels as they are
        return parts, [defs[k] for k in defs]
    renamed: dict[str, str] = {}
    added: list[str] = []
    fresh = 1
    for number, note in enumerate(notes, 1):
        same = [label for label in old_labels.get(key(note), []) if label not in taken]
        if same:
            renamed[str(number)] = same[0]
            taken.add(same[0])
            continue
        while str(fresh) in used:
            fresh += 1
        renamed[str(number)] = str(fresh)
        used.add(str(fresh))
        added.append(f"[^{fresh}]:" + defs[str(number)][len(f"[^{number}]:"):])
    relabel = re.compile(r"\[\^(\d+)\]")
    return [relabel.sub(lambda m: f"[^{renamed.get(m.group(1), m.group(1))}]", part) for part in parts], added
