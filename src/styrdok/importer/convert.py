"""A Word document (not made by styrdok) → a new policy file, and its import report."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from .. import pandoc, source
from ..errors import Severity
from ..i18n import _, ngettext
from ..model import PREAMBLE_ID, Action, Decision
from ..wordstyles import SUMMARY_STYLE
from . import headings as heading_rules
from . import markdown, metadata
from .body import Body, Plan, build
from .headings import Heading
from .report import Entry, Report
from .wordfile import UNKNOWN_AUTHOR, Finding, WordFile

TOC_STYLE = re.compile(r"^(toc|innehåll) ?\d$")
SUMMARY = SUMMARY_STYLE.lower()  # styrdok's redline opens with its change summary in this style
TITLE_BOOKMARK = "titel"
DOCTYPE = "dokumenttyp"  # the document type line styrdok's DOCX puts above the title
TOC_TITLES = {"innehåll", "innehållsförteckning", "innehållsförteckning:"}


@dataclass(frozen=True)
class Converted:
    policy_id: str
    text: str  # the policy file
    report: Report


def file_id(path: Path) -> str:
    """A policy id from a file name: "Policy för social ekonomi.docx" → policy-for-social-ekonomi."""
    return source.heading_id(path.stem, limit=60)


def convert(doc: WordFile, *, policy_id: str, doc_type: str | None = None, display: str | None = None) -> Converted:
    report = Report(source=display or str(doc.path), policy_id=policy_id, target=f"policy/{policy_id}.md")
    # pandoc reads the document on another core while the paragraphs are sorted out here
    reading = pandoc.in_background(lambda: pandoc.read_word(doc.marked, track_changes="accept"))
    first, _first_title = heading_rules.find(doc, set())
    first_section = min(first, default=None)
    found = metadata.harvest(doc, first_section)
    skip = set(found.taken) | {n for t in found.tables for row in doc.tables[t] for cell in row for n in cell}
    toc = _toc(doc)
    skip |= toc
    summary, styrdok_type = _styrdok_parts(doc)
    skip |= summary | ({styrdok_type[0]} if styrdok_type else set())
    found_headings, title = heading_rules.find(doc, skip)
    type_line = styrdok_type or _type_line(doc, skip, found_headings, title)
    plan = Plan(drop=skip | ({title.paragraph} if title else set()) | ({type_line[0]} if type_line else set()),
                drop_tables=set(found.tables))
    for number, h in list(found_headings.items()):
        if shouting(h.text):
            found_headings[number] = replace(h, text=sentence_case(h.text))
            plan.recase.add(number)
    plan.headings = found_headings
    plan.levels = _levels(found_headings)
    plan.bullets = {p.number for p in doc.paragraphs if p.in_table is None and p.number not in plan.drop
                    and p.number not in found_headings and heading_rules.typed_bullet(p.text)}
    plan.numbered = _typed_items(doc, plan.drop | set(found_headings) | plan.bullets)
    ids: dict[int, str] = {}
    styrdok_made = bool(summary or styrdok_type)
    for h in sorted(found_headings.values(), key=lambda h: h.paragraph):  # known before links are cleaned
        # styrdok's own DOCX carries each section's id as a bookmark: the ids survive the trip
        kept = [m for m in doc.paragraph(h.paragraph).bookmarks if styrdok_made and source.SLUG.match(m)
                and m not in ids.values() and m not in (PREAMBLE_ID, TITLE_BOOKMARK)]
        base = source.heading_id(h.text)
        if source.reserved_id(base):  # "Innehåll" is the page's own table of contents: renamed as `check` does
            base += "-avsnitt"
        ident, n = (kept[0] if kept else base), 1
        while ident in ids.values() or ident == PREAMBLE_ID or source.reserved_id(ident):
            n += 1
            ident = f"{base}-{n}"
        ids[h.paragraph] = ident
        if base == PREAMBLE_ID and not kept:
            report.guesses.append(Entry(_("the heading ”{title}” got the id {id}: {preamble} is the id of the text "
                                          "before the first heading").format(title=h.text, id=ident,
                                                                             preamble=PREAMBLE_ID),
                                        doc.paragraph(h.paragraph).where()))
        for mark in doc.paragraph(h.paragraph).bookmarks:
            plan.anchors[mark] = ident

    def heading_id(number: int, text: str) -> str:
        return ids[number]

    result = build(doc, reading.result(), plan, heading_id)
    report.counts = result.counts

    title_text, title_where = _title(doc, title, found)
    if title is not None and title.guessed and title_text == title.text:
        report.guesses.append(Entry(_("taken as the title ({evidence})").format(evidence=title.evidence),
                                    doc.paragraph(title.paragraph).where()))
    if shouting(title_text):
        report.guesses.append(Entry(_("the title was in capitals; it is written ”{title}”")
                                    .format(title=sentence_case(title_text))))
        title_text = sentence_case(title_text)
    meta = _front_matter(doc, found, policy_id, title_text, title_where, doc_type, type_line, report)
    for h in sorted(found_headings.values(), key=lambda h: h.paragraph):
        where = doc.paragraph(h.paragraph).where()
        ident = ids[h.paragraph]
        level = plan.levels[h.paragraph]
        report.headings.append((level, h.text, ident, h.evidence))
        if h.guessed:
            report.guesses.append(Entry(_("taken as a level {level} heading ({evidence})")
                                        .format(level=level, evidence=h.evidence), where, heading=True))
    _signature(doc, result, report)
    if summary or styrdok_type:
        report.guesses.insert(0, Entry(_("the file is a Word document that styrdok made; to take edits made in it into "
                                         "an existing policy, use styrdok import FILE --into ID")))
    if summary:
        report.losses.append(Entry(_("the summary of changes that opens styrdok's redline was left out (it is about "
                                     "the changes, not policy text)"), doc.paragraph(min(summary)).where()))
    if toc:
        report.losses.append(Entry(_("the table of contents was left out (styrdok makes its own from the headings)"),
                                   doc.paragraph(min(toc)).where()))
    _losses(doc, report, legacy=True)
    for at, note in result.notes:
        report.losses.append(Entry(note, doc.paragraph(at).where() if at else ""))
    for target, words in plan.unlinked:
        linked = next((p for p in doc.paragraphs if words and words in p.text), None)
        report.losses.append(Entry(_("the link to {target} was left out, its text ”{text}” kept: policy text links "
                                     "only to https:, mailto: and relative addresses (publish the file and link to "
                                     "it)").format(target=target, text=words), linked.where() if linked else ""))
    text = markdown.front_matter(meta) + ("\n" + markdown.body(result.blocks) if result.blocks else "")
    _check(text, policy_id, report, result.blocks)
    return Converted(policy_id, text, report)


def shouting(text: str) -> bool:
    """A title or heading typed in capitals ("RIKTLINJER FÖR TJÄNSTERESOR")."""
    return text.isupper() and sum(c.isalpha() for c in text) > 3


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:].lower()


def _signature(doc: WordFile, result: Body, report: Report) -> None:
    """Short lines closing the text (a name, a title) look like a signature: say so, keep them."""
    tail: list[int] = []
    for block, number in zip(reversed(result.blocks), reversed(result.paragraphs)):
        text = pandoc.stringify(block).strip()
        if block["t"] != "Para" or number is None or len(text.split()) > 4 or text.endswith((".", ":")):
            break
        tail.insert(0, number)
    if 0 < len(tail) <= 3 and len(tail) < len(result.blocks):
        lines = ", ".join(f"”{doc.paragraph(n).text.strip()}”" for n in tail)
        report.guesses.append(Entry(_("the text ends with short lines ({lines}): a signature? They were kept as "
                                      "text; delete them from the policy if so").format(lines=lines),
                                    doc.paragraph(tail[0]).where()))


def _toc(doc: WordFile) -> set[int]:
    """Paragraphs of a table of contents (styles "toc 1" …, or typed: "2. Omfattning<tab>4") and its heading."""
    out = {p.number for p in doc.paragraphs if p.styles and TOC_STYLE.match(p.styles[0].name)}
    out |= _typed_toc(doc)
    if out:
        before = [p for p in doc.paragraphs if p.number < min(out) and p.text.strip()]
        if before and before[-1].text.strip().lower() in TOC_TITLES:
            out.add(before[-1].number)
    return out


def _typed_toc(doc: WordFile) -> set[int]:
    """Runs of typed table-of-contents lines: under a heading "Innehåll", or naming paragraphs further on."""
    body = [p for p in doc.paragraphs if p.in_table is None and p.text.strip()]
    later: dict[str, int] = {}  # a paragraph's text → its last position
    for at, p in enumerate(body):
        later[_plain(p.text)] = at
    out: set[int] = set()
    at = 0
    while at < len(body):
        end = at
        while end < len(body) and TYPED_TOC_LINE.match(body[end].text):
            end += 1
        entries = body[at:end]
        titled = at > 0 and body[at - 1].text.strip().lower() in TOC_TITLES
        named = sum(later.get(_plain(TOC_LEADER.sub("", e.text)), -1) >= end for e in entries)
        if entries and (titled and len(entries) >= 2 or named >= 2 and named * 2 > len(entries)):
            out |= {e.number for e in entries}
        at = max(end, at + 1)
    return out


def _typed_items(doc: WordFile, skip: set[int]) -> dict[int, tuple[str, list]]:
    """Runs of paragraphs typed "1)", "2)" … or "a.", "b." …, counted on from 1 or a: numbered list items
    (a single "1." is text; a run is broken by anything between, empty paragraphs aside)."""
    out: dict[int, tuple[str, list]] = {}
    run: list[tuple[int, str, list]] = []

    def end() -> None:
        if len(run) >= 2:
            out.update({n: (marker, attributes) for n, marker, attributes in run})
        run.clear()

    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        m = TYPED_ITEM.match(p.text) if p.in_table is None and p.number not in skip and not p.listed else None
        if m is None:
            end()
            continue
        label, delim = m.group(1), m.group(2)
        value = int(label) if label.isdigit() else ord(label) - ord("a") + 1
        style = "Decimal" if label.isdigit() else "LowerAlpha"
        attributes = [1, {"t": style}, {"t": "Period" if delim == "." else "OneParen"}]
        if run and not (run[-1][2] == attributes and value == len(run) + 1):
            end()
        if run or value == 1:
            run.append((p.number, label + delim, attributes))
    end()
    return out


TYPED_ITEM = re.compile(r"^\s*(\d{1,2}|[a-h])([.)])[\t ]+(?=\S)")


def _plain(text: str) -> str:
    """A line's words without its typed number, to match an entry of a typed contents to its heading."""
    return TYPED_NUMBER.sub("", " ".join(text.split()).lower())


TOC_LEADER = re.compile(r"\s*(?:\t|\.{3,}|…+)[\s.…]*\d{1,3}\s*$")
TYPED_TOC_LINE = re.compile(r"^\S.{0,200}?" + TOC_LEADER.pattern)
TYPED_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?\s*")


def _styrdok_parts(doc: WordFile) -> tuple[set[int], tuple[int, str] | None]:
    """In a DOCX styrdok made: the redline's change summary (paragraphs), and the document type line."""
    summary: set[int] = set()
    type_line = None
    for p in doc.paragraphs:
        names = {p.style.lower()} | {s.name for s in p.styles[:1]}
        if SUMMARY in names:
            summary.add(p.number)
        elif DOCTYPE in names and type_line is None and (kind := metadata.type_from(p.text.strip())):
            type_line = (p.number, kind)
    return summary, type_line


def _type_line(doc: WordFile, skip: set[int], found: dict[int, Heading],
               title: Heading | None) -> tuple[int, str] | None:
    """A line naming only the document type ("RIKTLINJE") above the title."""
    for p in doc.paragraphs:
        if p.number in skip or p.in_table is not None or not p.text.strip():
            continue
        if title and p.number >= title.paragraph:
            return None
        kind = metadata.TYPES.get(p.text.strip().lower())
        return (p.number, kind) if kind else None
    return None


def _levels(found: dict[int, Heading]) -> dict[int, int]:
    """Word levels → Markdown levels: the top level used is ##, and no heading skips a level."""
    if not found:
        return {}
    top = min(h.level for h in found.values())
    out, previous = {}, 1
    for number in sorted(found):
        level = min(found[number].level - top + 2, previous + 1)
        out[number] = level
        previous = level
    return out


def _title(doc: WordFile, title: Heading | None, found: metadata.Harvest) -> tuple[str, str]:
    if title is not None and len(title.text) >= 3:
        return title.text, f"{doc.paragraph(title.paragraph).where()} ({title.evidence})"
    if "title" in found.values:
        return found.values["title"]
    if "core-title" in found.values:
        return found.values["core-title"]
    name = re.sub(r"[_]+", " ", doc.path.stem).strip()
    return (name if len(name) >= 3 else f"Dokument {name}"), _("the file name")


def _front_matter(doc: WordFile, found: metadata.Harvest, policy_id: str, title: str, title_where: str,
                  doc_type: str | None, type_line: tuple[int, str] | None, report: Report) -> dict:
    v = found.values
    meta: dict = {"id": policy_id, "title": title}
    report.metadata.append(("title", title, title_where))
    if title_where == _("the file name"):
        report.guesses.append(Entry(_("the document has no title; its file name is used as the title")))

    # type: --type, the information table, a type line, the title, else a guess
    kind, where = None, ""
    if doc_type:
        kind, where = doc_type, "--type"
    elif "type" in v and (t := metadata.type_from(v["type"][0])):
        kind, where = t, v["type"][1]
    elif type_line:
        kind, where = type_line[1], doc.paragraph(type_line[0]).where()
    elif t := metadata.type_from(title):
        kind, where = t, _("the title")
    else:
        kind, where = "policy", _("assumed")
        report.guesses.append(Entry(_("the document does not say its type; type: policy was assumed "
                                      "(give --type riktlinje, plan …)")))
    meta["type"] = kind
    report.metadata.append(("type", kind, where))

    decisions = _decisions(found, report)
    owner, owner_where = None, ""
    complete = [d for d, _where in decisions if not d.pending]
    if decisions:
        # the body of the last decision made: a revision still pending may be prepared by another body
        made = [(d, where) for d, where in decisions if not d.pending] or decisions
        owner, owner_where = made[-1][0].body, made[-1][1]
        others = sorted({d.body for d, _where in decisions if d.body and d.body != owner})
        if others:
            report.guesses.append(Entry(_("owner: {owner} is the body of the last decision made; the document also "
                                          "names {others} — change owner if the document is theirs now")
                                        .format(owner=owner, others=", ".join(others))))
    elif "owner" in v:
        owner, owner_where = metadata.body_name(v["owner"][0]), v["owner"][1]
    elif "body" in v:
        owner, owner_where = v["body"]
    if owner is None:
        owner = metadata.OWNER_BY_TYPE.get(kind, metadata.DEFAULT_OWNER)
        owner_where = _("assumed")
        report.guesses.append(Entry(_("the document does not say who decides it; owner: {owner} was assumed "
                                      "(the usual body for the type {type})").format(owner=owner, type=kind)))
    meta["owner"] = owner
    report.metadata.append(("owner", owner, owner_where))
    for key in ("coordinator", "responsible", "contact"):
        if key in v and len(v[key][0]) >= 2:
            meta[key] = v[key][0]
            report.metadata.append((key, *v[key]))
    meta["review"] = int(v["review"][0]) if "review" in v and v["review"][0].isdigit() else "mandate-period"
    if "review" in v:
        report.metadata.append(("review", str(meta["review"]), v["review"][1]))
    if "valid_from" in v:
        meta["valid_from"] = v["valid_from"][0]
        report.metadata.append(("valid_from", *v["valid_from"]))
    if not decisions:
        year = None
        if "date" in v and v["date"][0][:4].isdigit():
            year = int(v["date"][0][:4])
        d = Decision(action=Action.ADOPTED, body=owner, year=year)
        decisions = [(d, _("assumed"))]
        report.guesses.append(Entry(_("no decision with date and § was found; a pending decision ({decision}) was "
                                      "recorded: fill in date and § from the minutes").format(decision=d.line())))
    meta["decisions"] = [d for d, _where in decisions]
    for d, where in decisions:
        report.metadata.append(("decisions", d.line(), where))
    meta["status"] = "adopted" if complete and not decisions[-1][0].pending else "draft"
    report.metadata.append(("status", meta["status"], _("from the decisions")))
    if "keywords" in v:
        meta["keywords"] = [k.strip() for k in re.split(r"[,;]", v["keywords"][0]) if k.strip()]
        report.metadata.append(("keywords", ", ".join(meta["keywords"]), v["keywords"][1]))
    for key in ("core-title",):
        if key in v and v[key][0] != title:
            report.unmapped.append((_("Title"), v[key][0], v[key][1]))
    report.unmapped += found.unmapped
    return meta


def _decisions(found: metadata.Harvest, report: Report) -> list[tuple[Decision, str]]:
    """Decision lines oldest first (a pending one last); the information table's decision and
    diarienummer merged in."""
    seen: dict[tuple, tuple[Decision, str]] = {}
    for d, where in found.decisions:
        key = (d.action, d.body, d.date, d.paragraph, d.year if d.pending else None)
        seen.setdefault(key, (d, where))
    decisions = list(seen.values())
    v = found.values
    table_date = v.get("date")
    if table_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", table_date[0]):
        same = [i for i, (d, _where) in enumerate(decisions) if d.date and d.date.isoformat() == table_date[0]]
        par = v.get("paragraph") or v.get("date-paragraph")
        if not same and not decisions and par:
            body = v.get("body", (None, ""))[0] or None
            if body:
                made = metadata.parse_decision(f"Fastställd av {body} {table_date[0]}, § {par[0]}")
                if made is not None:
                    decisions.append((made, table_date[1]))
        elif not same and not decisions:
            report.unmapped.append((_("Date"), table_date[0], _("{where} (no §: not a complete decision)")
                                    .format(where=table_date[1])))
    pending = [x for x in decisions if x[0].pending]
    done = sorted((x for x in decisions if not x[0].pending), key=lambda x: x[0].date)  # type: ignore[arg-type, return-value]
    if len(pending) > 1:
        for d, where in pending[:-1]:
            report.guesses.append(Entry(_("more than one pending decision; only the last was kept ({decision} was "
                                          "left out)").format(decision=d.line()), where))
    decisions = done + pending[-1:]
    if found.dnrs and decisions:
        dnr, where = found.dnrs[0]
        # the decision dated as in the information table, else the last one taken, else the last
        at = next((i for i, (d, _where) in enumerate(decisions) if table_date and d.date
                   and d.date.isoformat() == table_date[0]), None)
        if at is None:
            at = max((i for i, (d, _where) in enumerate(decisions) if not d.pending), default=len(decisions) - 1)
        chosen = decisions[at][0]
        if not chosen.dnr and 3 <= len(dnr) <= 40:
            decisions[at] = (replace(chosen, dnr=dnr), decisions[at][1])
            report.guesses.append(Entry(_("the case number {dnr} ({where}) was given to the decision {decision}")
                                        .format(dnr=dnr, where=where, decision=chosen.line())))
        for other, w in found.dnrs[1:]:
            if other != dnr:
                report.unmapped.append((_("Case number"), other, w))
    return decisions


def _losses(doc: WordFile, report: Report, *, legacy: bool) -> None:
    for f in doc.findings:
        where = doc.paragraph(f.paragraph).where()
        if f.kind == "image":
            report.losses.append(Entry(_("an image{name} was left out (policy text has no images; link to it or put "
                                         "it in an appendix)").format(name=f" ({f.detail})" if f.detail else ""), where))
        elif f.kind == "textbox":
            report.losses.append(Entry(_("a text box was left out: ”{text}”").format(text=_words(f.detail)), where))
        elif f.kind == "object":
            report.losses.append(Entry(_("an embedded object was left out"), where))
        elif f.kind == "field":
            report.losses.append(Entry(_("the field {field} is now fixed text (it is no longer updated)")
                                       .format(field=f.detail.split()[0]), where))
        elif f.kind == "unauthored":
            report.losses.append(Entry(_("an insertion without an author (pandoc drops those; the text is kept): "
                                         "”{text}”").format(text=_words(f.detail)), where))
        elif f.kind == "tracked" and legacy and (entry := tracked_entry(f, where, accepted=True)) is not None:
            report.changes.append(entry)
    for c in doc.comments:
        report.comments.append((c, doc.paragraph(c.paragraph).where()))
    if legacy and report.changes:
        report.losses.append(Entry(ngettext("{n} tracked change was accepted (the text is as Word shows it without "
                                            "markup); see Tracked changes",
                                            "{n} tracked changes were accepted (the text is as Word shows it without "
                                            "markup); see Tracked changes", len(report.changes))
                                   .format(n=len(report.changes))))
    if report.comments:
        report.losses.append(Entry(ngettext("{n} comment was not taken into the text; see Comments",
                                            "{n} comments were not taken into the text; see Comments",
                                            len(report.comments)).format(n=len(report.comments))))


def tracked_entry(f: Finding, where: str, *, accepted: bool) -> Entry | None:
    """A tracked change for the report ("insertion by Eva Ek accepted: ”…”"); None for paragraph marks."""
    kind, author, text = f.detail.split("\u0000")
    labels = {"ins": _("insertion"), "del": _("deletion"), "moveFrom": _("move (from here)"),
              "moveTo": _("move (to here)")}
    if kind not in labels:
        return None
    who = _("unknown author") if author == UNKNOWN_AUTHOR else author
    message = _("{change} by {author} accepted: ”{text}”") if accepted else _("{change} by {author} rejected: ”{text}”")
    return Entry(message.format(change=labels[kind], author=who, text=_words(text)), where)


def _words(text: str, count: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:count]) + (" …" if len(parts) > count else "")


def _check(text: str, policy_id: str, report: Report, blocks: list[pandoc.Ast] | None = None) -> None:
    """`styrdok check` of the result; `blocks`: those pandoc wrote its text from, which spare
    reading the text back."""
    path, display, data = Path(f"{policy_id}.md"), f"policy/{policy_id}.md", text.encode("utf-8")
    _policy, problems = source.check_file(path, display=display, data=data, blocks=blocks)
    if problems and blocks is not None:  # said as `styrdok check` will say it, reading the text
        _policy, problems = source.check_file(path, display=display, data=data)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    report.warnings = [str(p) for p in problems if p.severity is not Severity.ERROR]
    if errors:
        report.error = _("the imported document does not pass styrdok check (a bug in styrdok; please report it "
                         "with the Word file): {problems}").format(problems="; ".join(str(p) for p in errors))
