"""The remissammanställning: every answer of a consultation in one table, for the secretariat's comments.

Stages, as everywhere in styrdok: gather (the policy, its consultation and the text that was sent
out; every form and letter; the comments already written in an earlier compilation) → check
(every problem of every file, then refuse once, writing nothing) → compile (rows in order) →
render in memory (DOCX, HTML, Markdown) → write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
from docx.oxml.ns import qn

from .. import clock, pandoc, source
from ..errors import InvalidPolicy, Problem, StyrdokError
from ..i18n import _, ngettext
from ..history import History
from ..model import Policy
from ..output import OutputDir
from ..render.document import presentation
from ..render.docx import render_docx
from ..render.docx_finish import normalize_zip
from ..render.html import body_html, render_html
from ..templates import Templates
from ..theme import Labels
from ..workspace import Workspace
from .form import (BODY, DATE, FormAnswer, Identity, NotAForm, content_control, keep_together, no_wrap,
                   paragraph_text, paragraphs_of, read_form, repeat_header, tags_of)
from .numbering import RefNumber, numbers
from .package import text_hash

FOLDER = "sammanstallning"
NAME = "remissammanstallning"
FILES = (f"{NAME}.docx", f"{NAME}.html", f"{NAME}.md")
ARCHIVE = "remiss"  # remiss/<id>/<deadline>/ in the policy repository: the compilation as committed for the site
SUMMARY = f"{NAME}.json"  # who was asked and who answered, for the tjänsteskrivelse and the site
WIDTHS = (0.06, 0.16, 0.17, 0.35, 0.26)  # "Arbetsförmedlingen" fits on one line
TAG_REMARK = "styrdok:kommentar:"
NO_COMMENTS = re.compile(r"\b(inga|ej|inte n[aå]gra)\s+(synpunkter|erinringar|invändningar|kommentarer)\b", re.I)
# "punkt 2.3", "punkterna 2.3 och 2.4", "avsnitt 4", "stycke 3.1.2", "nr 5"
REFERENCE = re.compile(r"\b(?:punkt(?:erna)?|avsnitt(?:en)?|stycke(?:na)?|nr|nummer|rad(?:erna)?)\.?\s+"
                       r"(\d+(?:\.\d+)*(?:\s*(?:,|och|samt|&)\s*\d+(?:\.\d+)*)*)", re.I)
NUMBER_IN = re.compile(r"\d+(?:\.\d+)*")


@dataclass(frozen=True)
class Answer:
    """One body's answer: a response form or a letter (skrivelse)."""

    body: str
    file: str  # as the user named it
    letter: bool
    date: str | None  # as the body gave it: ISO when it could be read as a date
    comments: tuple[tuple[str | None, tuple[str, ...]], ...]  # (number or None for general, paragraphs)
    no_comments: bool  # answered "inga synpunkter" (or left the form empty)
    asked: bool = True


@dataclass(frozen=True)
class Row:
    """One row of the compilation: one body's comment on one place."""

    number: str | None  # None: general comments
    place: str  # the heading or the first words of the paragraph; "Övergripande synpunkter" for general ones
    body: str
    text: tuple[str, ...]  # the comment's paragraphs, as the compilation shows them
    remark: tuple[str, ...] = ()  # the administration's comment (Kommentar), kept across runs

    @property
    def key(self) -> str:
        """What identifies the row when the compilation is read back: number, body and text."""
        return _key(self.number or "", self.body, " ".join(self.text))


@dataclass(frozen=True)
class Compilation:
    policy: Policy  # as sent out
    title: str
    dnr: str | None
    deadline: dt.date
    asked: tuple[str, ...]
    answers: tuple[Answer, ...]
    rows: tuple[Row, ...]
    orphans: tuple[Row, ...]  # comments from the earlier compilation whose row is gone
    day: dt.date

    @property
    def missing(self) -> tuple[str, ...]:
        answered = {a.body.casefold() for a in self.answers}
        return tuple(b for b in self.asked if b.casefold() not in answered)

    @property
    def unasked(self) -> tuple[Answer, ...]:
        return tuple(a for a in self.answers if not a.asked)


@dataclass(frozen=True)
class ResponsesResult:
    compilation: Compilation
    files: tuple[Path, ...]
    kept: int  # comments (Kommentar) carried over from the existing compilation
    notes: tuple[str, ...] = field(default=())


def compile_responses(workspace: Workspace, policy_id: str, forms: Sequence[Path], *,
                      letters: Sequence[str | tuple[str, Path]] = (), out: Path | None = None,
                      today: dt.date | None = None) -> ResponsesResult:
    """Read the returned forms and letters of the policy's consultation and write the
    remissammanställning (DOCX, HTML, Markdown) to `out` (default build/<id>/remiss/sammanstallning/).

    `letters` are "BODY=FILE" strings (or (body, path) pairs): answers written as a letter, DOCX
    or PDF. Every problem of every file is reported at once (InvalidPolicy) and nothing is written.
    The comments the secretariat wrote in an existing compilation in `out` are kept, row by row.
    """
    path = workspace.policy_path(policy_id)
    current = source.load(path, display=workspace.display(path))
    consultation = current.meta.consultation
    if not consultation or not consultation.deadline:
        raise InvalidPolicy([Problem(workspace.display(path), 0, _(
            "no consultation is recorded for '{id}' (consultation: deadline: is missing)").format(id=policy_id),
            _("send the proposal on consultation with `styrdok consult {id} --deadline YYYY-MM-DD`").format(
                id=policy_id))])
    target = OutputDir(out or workspace.root / "build" / policy_id / "remiss" / FOLDER)
    labels = workspace.templates.labels
    problems: list[Problem] = []
    sent = _SentTexts(workspace, current)
    answers: list[Answer] = []
    origin: dict[str, str] = {}  # body (casefolded) → the file its answer came from
    asked = {b.casefold(): b for b in consultation.bodies}

    def add(answer: Answer) -> None:
        key = answer.body.casefold()
        if key in origin:
            problems.append(Problem(answer.file, 0, _("two answers from the same body, {body}: {first} and {second}")
                                    .format(body=answer.body, first=origin[key], second=answer.file),
                                    _("keep only one of the answers, or merge them into one")))
            return
        origin[key] = answer.file
        answers.append(replace(answer, body=asked.get(key, answer.body), asked=key in asked))

    policy: Policy | None = None
    for form_path in forms:
        display = str(form_path)
        data = _read(form_path, display, problems)
        if data is None:
            continue
        try:
            form = read_form(data, labels)
        except NotAForm:
            problems.append(Problem(display, 0, _("the file is not a response form from styrdok (it carries no "
                                                  "consultation identity)"),
                                    _("if it is an answer written as a letter, give it as --letter \"BODY={file}\"")
                                    .format(file=display)))
            continue
        sent_policy = _check_identity(form.identity, current, sent, display, problems)
        if sent_policy is None:
            continue
        policy = policy or sent_policy
        if answer := _form_answer(form, display, numbers(sent_policy), problems):
            add(answer)
    policy = policy or sent.current_or_latest()
    refs = numbers(policy)
    for letter in letters:
        if answer := _letter_answer(letter, refs, problems):
            add(answer)
    previous = _previous_remarks(target.target(FILES[0]), labels.list("responses.head"), problems)
    if problems:
        raise InvalidPolicy(problems)
    day = today or clock.today()
    rows, orphans, kept = _rows(answers, refs, consultation.bodies, previous, labels)
    compilation = Compilation(policy, current.meta.title, consultation.dnr, consultation.deadline,
                              consultation.bodies, tuple(_ordered(answers, consultation.bodies)), rows, orphans, day)
    files = render_compilation(compilation, workspace.templates)
    written = target.write_all(files)
    notes = (ngettext("{n} comment no longer belongs to any answer; it is listed at the end of the compilation",
                      "{n} comments no longer belong to any answer; they are listed at the end of the compilation",
                      len(orphans)).format(n=len(orphans)),) if orphans else ()
    return ResponsesResult(compilation, tuple(written), kept, notes)


# What a consultation's archive on the site links, in order: (labels key, file name); a file is linked
# when it is there (the remissammanställning only once committed, the changes only against a version).
ARCHIVE_DOCUMENTS = (("site.remiss_web", "remissversion.html"), ("site.remiss_pdf", "remissversion.pdf"),
                     ("site.remiss_docx", "remissversion.docx"), ("site.remiss_form", "svarsmall.docx"),
                     ("site.remiss_missiv", "missiv.docx"), ("site.archive_changes", "andringar.html"),
                     ("site.archive_compilation", f"{NAME}.html"), ("site.archive_compilation_docx", f"{NAME}.docx"))


def archived_compilation(history: History, policy_id: str, deadline: dt.date) -> dict[str, bytes]:
    """The remissammanställning as committed in the policy repository (remiss/<id>/<deadline>/), for
    the site: the files `responses` writes, and a PDF of it if one was committed; {} if none is."""
    found = history.committed_files(f"{ARCHIVE}/{policy_id}/{deadline.isoformat()}")
    return {name: data for name, data in found.items() if name in (*FILES, f"{NAME}.pdf")}


# --- gathering -------------------------------------------------------------------------------

class _SentTexts:
    """The policy as sent out for a form's consultation: the working tree when its text is the one
    sent, else the revision in git with that text and deadline."""

    def __init__(self, workspace: Workspace, current: Policy):
        self.workspace, self.current = workspace, current
        self._by_hash: dict[str, Policy] | None = None

    def find(self, identity: Identity) -> Policy | None:
        if text_hash(self.current) == identity.text_hash:
            return self.current
        return self._history().get(identity.text_hash)

    def current_or_latest(self) -> Policy:
        """For letters alone: the text of the consultation's last committed revision, else the working tree."""
        deadline = self.current.meta.consultation.deadline if self.current.meta.consultation else None
        for policy in reversed(list(self._history().values())):
            if policy.meta.consultation and policy.meta.consultation.deadline == deadline:
                return policy
        return self.current

    def _history(self) -> dict[str, Policy]:
        if self._by_hash is None:
            self._by_hash = {}
            try:
                history = History(self.workspace)
                for version in history.versions(self.current.id):
                    if version.status is None:
                        continue
                    policy = history.load(self.current.id, version.revision.sha)
                    self._by_hash.setdefault(text_hash(policy), policy)
            except StyrdokError:  # no git: only the working tree can be the text sent
                pass
        return self._by_hash


def _check_identity(identity: Identity, current: Policy, sent: _SentTexts, display: str,
                    problems: list[Problem]) -> Policy | None:
    """The policy as sent for this form, or None (and a problem) if the form is from another remiss."""
    consultation = current.meta.consultation
    assert consultation is not None and consultation.deadline is not None
    ours = f"'{current.id}', {consultation.deadline}" + (f", dnr {consultation.dnr}" if consultation.dnr else "")
    theirs = f"'{identity.policy_id}', {identity.deadline or '?'}" + (f", dnr {identity.dnr}" if identity.dnr else "")
    hint = _("include only answers to the current consultation ({current})").format(current=ours)
    if identity.policy_id != current.id:
        problems.append(Problem(display, 0, _("the response form belongs to another policy ({form})").format(
            form=theirs), hint))
        return None
    if identity.deadline != consultation.deadline.isoformat() or (identity.dnr and consultation.dnr
                                                                   and identity.dnr != consultation.dnr):
        problems.append(Problem(display, 0, _("the response form is from another consultation round ({form})")
                                .format(form=theirs), hint))
        return None
    policy = sent.find(identity)
    if policy is None:
        problems.append(Problem(display, 0, _("the text this form refers to is not in the history: the proposal "
                                              "was changed after the form was sent, so its numbers cannot be "
                                              "matched to the text"),
                                _("commit the remissversion before changing it (git commit), or send the form "
                                  "out again with `styrdok consult`")))
    return policy


def _read(path: Path, display: str, problems: list[Problem]) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        problems.append(Problem(display, 0, _("cannot read the file: {reason}").format(reason=exc.strerror),
                                _("check the path")))
        return None


def _form_answer(form: FormAnswer, display: str, refs: list[RefNumber], problems: list[Problem]) -> Answer | None:
    body = form.fields.get(BODY, "").strip()
    known = {ref.number for ref in refs}
    ok = True
    if not body:
        problems.append(Problem(display, 0, _("the field Remissinstans is empty, so the answer cannot be "
                                              "attributed to a body"),
                                _("write the body's name in the field Remissinstans")))
        ok = False
    for comment in form.comments:
        if comment.number is not None and comment.number not in known:
            problems.append(Problem(display, 0, _("row {row} of the table: number {number} does not exist in the "
                                                  "remissversion").format(row=comment.row, number=comment.number),
                                    _("correct the number (they run from {first} to {last}), or write the comment "
                                      "in the row Övergripande synpunkter").format(first=refs[0].number,
                                                                                    last=refs[-1].number)))
            ok = False
    if not ok:
        return None
    comments = tuple((c.number, c.paragraphs) for c in form.comments)
    return Answer(body, display, False, _date(form.fields.get(DATE, "")), comments,
                  no_comments=_says_no_comments(comments))


def _letter_answer(letter: str | tuple[str, Path], refs: list[RefNumber], problems: list[Problem]) -> Answer | None:
    if isinstance(letter, str):
        body, sep, name = letter.partition("=")
        if not sep or not body.strip() or not name.strip():
            problems.append(Problem(f"--letter {letter}", 0, _("give the body and the file with an equals sign"),
                                    '--letter "Näringslivet=yttrande.docx"'))
            return None
        body, path = body.strip(), Path(name.strip())
    else:
        body, path = letter
    display = str(path)
    data = _read(path, display, problems)
    if data is None:
        return None
    paragraphs = letter_paragraphs(data, display, problems)
    if paragraphs is None:
        return None
    if not paragraphs:
        problems.append(Problem(display, 0, _("the letter holds no text that can be read"),
                                _("if it is a scanned PDF: type the text into a DOCX and give that instead")))
        return None
    known = {ref.number for ref in refs}
    comments: list[tuple[str | None, tuple[str, ...]]] = [(None, paragraphs)]
    for number in dict.fromkeys(n for p in paragraphs for n in references(p)):
        if number in known:
            comments.append((number, tuple(p for p in paragraphs if number in references(p))))
    date = next((d for p in paragraphs[:8] if (d := _date_in(p))), None)
    no_comments = len(comments) == 1 and sum(len(p.split()) for p in paragraphs) < 60 and any(
        NO_COMMENTS.search(p) for p in paragraphs)
    return Answer(body, display, True, date, tuple(comments), no_comments)


def letter_paragraphs(data: bytes, display: str, problems: list[Problem]) -> tuple[str, ...] | None:
    """The paragraphs of a letter: DOCX (python-docx) or PDF (pypdf, paragraphs at blank lines)."""
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except (PyPdfError, ValueError, KeyError) as exc:
            problems.append(Problem(display, 0, _("cannot read the PDF file: {reason}").format(reason=exc),
                                    _("save the letter as PDF again")))
            return None
        blocks = re.split(r"\n\s*\n", text)
        return tuple(t for block in blocks if (t := " ".join(block.split())))
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for what is not a DOCX
        problems.append(Problem(display, 0, _("the letter is neither DOCX nor PDF"),
                                _("save the letter as .docx or .pdf and give that file")))
        return None
    texts = [" ".join(paragraph_text(p).split()) for p in document.element.body.iter(qn("w:p"))]
    return tuple(t for t in texts if t)


def references(text: str) -> list[str]:
    """The reference numbers a text mentions: "punkt 2.3", "avsnitten 4 och 5" …"""
    return [n.rstrip(".") for m in REFERENCE.finditer(text) for n in NUMBER_IN.findall(m.group(1))]


def _says_no_comments(comments: tuple[tuple[str | None, tuple[str, ...]], ...]) -> bool:
    return all(number is None and all(NO_COMMENTS.search(p) and len(p.split()) < 25 for p in paragraphs)
               for number, paragraphs in comments)


def _date(text: str) -> str | None:
    text = " ".join(text.split())
    if not text:
        return None
    day = parse_day(text)
    return day.isoformat() if day else text


def _date_in(text: str) -> str | None:
    for m in re.finditer(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+[a-zåäö]+\s+\d{4}", text, re.I):
        if day := parse_day(m.group(0)):
            return day.isoformat()
    return None


def parse_day(text: str) -> dt.date | None:
    """A date as responders write it: 2027-02-10, 2027-2-10, 10/2 2027, 10 februari 2027."""
    text = text.strip().lower()
    if m := re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text):
        year, month, day = map(int, m.groups())
    elif m := re.match(r"^(\d{1,2})/(\d{1,2})[ ,-]+(\d{4})$", text):
        day, month, year = map(int, m.groups())
    elif (m := re.match(r"^(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})$", text)) and (
            month := next((i for i, name in enumerate(Labels.packaged().list("dates.months"), 1) if len(m.group(2)) >= 3
                           and name.startswith(m.group(2))), 0)):
        day, year = int(m.group(1)), int(m.group(3))
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- the earlier compilation's comments ------------------------------------------------------

@dataclass(frozen=True)
class _Remark:
    key: str
    loose: tuple[str, str]  # (number, body): the fallback when the comment's text was edited
    row: Row


def _previous_remarks(path: Path, head: list[str], problems: list[Problem]) -> list[_Remark]:
    """The Kommentar of every row of an existing compilation (none if there is none yet)."""
    if not path.is_file():
        return []
    try:
        document = docx.Document(io.BytesIO(path.read_bytes()))
    except Exception:
        problems.append(Problem(str(path), 0, _("the existing compilation cannot be read, so the comments in it "
                                                "would be lost"),
                                _("move the file away (or give another folder with --out) and run again")))
        return []
    remarks = []
    for table in document.tables:
        rows = table._tbl.tr_lst
        if not rows or [" ".join(paragraphs_of(tc)) for tc in rows[0].tc_lst] != head:
            continue
        for tr in rows[1:]:
            cells = tr.tc_lst
            if len(cells) != len(head):
                continue
            remark = paragraphs_of(cells[4])
            if not remark:
                continue
            number, place, body = (" ".join(paragraphs_of(tc)) for tc in cells[:3])
            text = paragraphs_of(cells[3])
            tag = next((t.removeprefix(TAG_REMARK) for t in tags_of(tr) if t.startswith(TAG_REMARK)), None)
            row = Row(number or None, place, body, text, remark)
            remarks.append(_Remark(tag or row.key, (number, body.casefold()), row))
            if tag and tag != row.key:  # the text was edited in the compilation: its tag still names the row
                remarks.append(_Remark(row.key, (number, body.casefold()), row))
    return remarks


def _key(number: str, body: str, text: str) -> str:
    plain = "\n".join((number, body.casefold(), " ".join(text.split())))
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]


# --- compiling -------------------------------------------------------------------------------

def _ordered(answers: list[Answer], asked: tuple[str, ...]) -> list[Answer]:
    """Bodies in the order the missiv listed them; bodies that were not asked after them, by name."""
    rank = {b.casefold(): i for i, b in enumerate(asked)}
    return sorted(answers, key=lambda a: (rank.get(a.body.casefold(), len(rank)), a.body.casefold()))


def _rows(answers: list[Answer], refs: list[RefNumber], asked: tuple[str, ...],
          previous: list[_Remark], labels: Labels) -> tuple[tuple[Row, ...], tuple[Row, ...], int]:
    """General comments first, then by reference number, then by body; earlier Kommentar kept."""
    order = {ref.number: i for i, ref in enumerate(refs)}
    label = {ref.number: ref.label for ref in refs}
    rows = []
    for rank, answer in enumerate(_ordered(answers, asked)):
        if answer.no_comments:
            continue
        for number, paragraphs in answer.comments:
            text = ((labels("responses.letter_prefix", text=paragraphs[0]),) + paragraphs[1:]) if answer.letter \
                else paragraphs
            place = label[number] if number else labels("remiss.general_comments")
            rows.append((-1 if number is None else order[number], rank,
                         Row(number, place, answer.body, text)))
    rows.sort(key=lambda item: item[:2])
    by_key: dict[str, _Remark] = {}
    by_loose: dict[tuple[str, str], list[_Remark]] = {}
    for earlier in previous:
        by_key.setdefault(earlier.key, earlier)
        by_loose.setdefault(earlier.loose, []).append(earlier)
    used: set[int] = set()
    result = []
    for *_order, row in rows:
        remark: _Remark | None = by_key.get(row.key)
        if remark is None or id(remark.row) in used:
            loose = [r for r in by_loose.get((row.number or "", row.body.casefold()), []) if id(r.row) not in used]
            remark = loose[0] if len(loose) == 1 else None
        if remark is not None:
            used.add(id(remark.row))
            row = replace(row, remark=remark.row.remark)
        result.append(row)
    orphans = tuple(dict.fromkeys(r.row for r in previous if id(r.row) not in used))
    return tuple(result), orphans, len(used)


# --- rendering -------------------------------------------------------------------------------

def render_compilation(compilation: Compilation, templates: Templates) -> dict[str, bytes]:
    """{file name: bytes}: the compilation as DOCX (landscape), HTML and Markdown, and its opening part as JSON."""
    labels = templates.labels
    blocks = compilation_blocks(compilation, labels)
    policy = compilation.policy
    day = compilation.day
    view = replace(presentation(policy, final=True, labels=labels, theme=templates.theme),
                   title=labels("responses.title", title=compilation.title), doctype=labels("responses.doctype"),
                   decisions=(), watermark=None, control=(), header_note=_header(compilation, labels),
                   timestamp=clock.midnight(day), landscape=True)
    docx_bytes, html, markdown = pandoc.concurrently(
        lambda: _tag_remarks(render_docx(blocks, view, templates), compilation.rows, view.timestamp, labels),
        lambda: render_html(replace(policy, sections=()), view, templates, body=body_html(blocks[3:])),
        lambda: pandoc.write(pandoc.document(blocks), "markdown", "--wrap=none"))
    return {FILES[0]: docx_bytes, FILES[1]: html, FILES[2]: markdown,
            SUMMARY: json.dumps(summary_data(compilation), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"}


def summary_data(c: Compilation) -> dict[str, object]:
    """The compilation's opening part as data (format styrdok-remissammanstallning/1)."""
    def answer(a: Answer) -> dict[str, object]:
        return {"body": a.body, "date": a.date, "letter": a.letter, "no_comments": a.no_comments, "asked": a.asked}

    return {"format": "styrdok-remissammanstallning/1", "policy": c.policy.id, "title": c.title, "dnr": c.dnr,
            "deadline": c.deadline.isoformat(), "date": c.day.isoformat(), "asked": list(c.asked),
            "answered": [answer(a) for a in c.answers], "missing": list(c.missing), "comments": len(c.rows)}


def _header(c: Compilation, labels: Labels) -> str:
    return labels("responses.header_dnr", dnr=c.dnr) if c.dnr else \
        labels("responses.reply_by", date=labels.date_long(c.deadline))


def _list(items: Sequence[str]) -> list[pandoc.Ast]:
    return [{"t": "BulletList", "c": [[pandoc.plain(pandoc.text(item))] for item in items]}]


def compilation_blocks(c: Compilation, labels: Labels) -> list[pandoc.Ast]:
    """The opening part (the consultation and who answered), then the table of comments."""
    def p(key: str, **values: object) -> pandoc.Ast:
        return pandoc.para(pandoc.text(labels(f"responses.{key}", **values)))

    def answered(a: Answer) -> str:
        how = labels("responses.letter" if a.letter else "responses.form")
        if a.date:
            return labels("responses.answer_dated", body=a.body, how=how, date=_long(a.date, labels))
        return labels("responses.answer", body=a.body, how=how)

    meta = [labels("responses.dnr", dnr=c.dnr)] if c.dnr else []
    line = [*meta, labels("responses.reply_by", date=labels.date_long(c.deadline)),
            labels("responses.compiled", date=labels.date_long(c.day))]
    blocks: list[pandoc.Ast] = [
        pandoc.div([pandoc.para(pandoc.text(labels("responses.doctype")))], classes=["doctype"],
                   custom_style="Dokumenttyp"),
        pandoc.header(1, pandoc.text(labels("responses.title", title=c.title)), ident="titel"),
        pandoc.div([pandoc.para(pandoc.text(" · ".join(line)))], classes=["decisions"], custom_style="Beslutsrad"),
        pandoc.header(2, pandoc.text(labels("responses.consultation_heading")), ident="remissen"),
        p("consultation", title=c.title, dnr=labels("responses.consultation_dnr", dnr=c.dnr) if c.dnr else "",
          date=labels.date_long(c.deadline), count=len(c.asked)),
        *_list(c.asked),
    ]
    asked_answers = [a for a in c.answers if a.asked]
    with_comments = [a for a in asked_answers if not a.no_comments]
    none = [a for a in c.answers if a.no_comments]
    count = labels("responses.answered", answered=len(asked_answers), asked=len(c.asked))
    if c.unasked:
        count += " " + labels("responses.unasked_count", count=len(c.unasked))
    blocks += [pandoc.header(2, pandoc.text(labels("responses.answers_heading")), ident="svar"),
               pandoc.para(pandoc.text(count))]
    for key, items in (("with_comments", [answered(a) for a in with_comments]),
                       ("no_comments", [answered(a) for a in none]), ("missing", list(c.missing)),
                       ("unasked", [answered(a) for a in c.unasked])):
        if items:
            blocks += [p(key), *_list(items)]
    head = labels.list("responses.head")
    blocks += [pandoc.header(2, pandoc.text(labels("responses.comments_heading")), ident="synpunkter"),
               p("comments_intro")]
    blocks.append(_table(c.rows, head) if c.rows else p("none"))
    if c.orphans:
        blocks += [pandoc.header(2, pandoc.text(labels("responses.orphans_heading")), ident="utan-synpunkt"),
                   p("orphans_intro"), _table(c.orphans, head)]
    return blocks


def _table(rows: Sequence[Row], head: Sequence[str]) -> pandoc.Ast:
    def cell(paragraphs: Sequence[str], strong: bool = False) -> list[pandoc.Ast]:
        return [pandoc.para([pandoc.strong(pandoc.text(t))] if strong else pandoc.text(t)) for t in paragraphs if t]

    body = [[cell([r.number or ""]), cell([r.place], strong=r.number is None), cell([r.body]), cell(r.text),
             cell(r.remark)] for r in rows]
    return pandoc.table(body, list(WIDTHS), head=[cell([h]) for h in head])


def _long(date: str, labels: Labels) -> str:
    try:
        return labels.date_long(dt.date.fromisoformat(date))
    except ValueError:
        return date


def _tag_remarks(data: bytes, rows: Sequence[Row], stamp: dt.datetime, labels: Labels) -> bytes:
    """A content control in each Kommentar cell, tagged with its row's key, so a comment stays with its
    row when the compilation is read back, even if the secretariat edits the Synpunkt text."""
    head = labels.list("responses.head")
    document = docx.Document(io.BytesIO(data))
    tables = [t for t in document.tables if [" ".join(paragraphs_of(tc)) for tc in t._tbl.tr_lst[0].tc_lst] == head]
    if not tables:
        return data
    table = tables[0]._tbl
    for number, (tr, row) in enumerate(zip(table.tr_lst[1:], rows), 1):
        no_wrap(tr.tc_lst[0])
        keep_together(tr)
        alias = labels("responses.remark_alias", number=row.number or row.place, body=row.body)
        content_control(tr.tc_lst[4], TAG_REMARK + row.key, alias, 2000 + number)
    repeat_header(table.tr_lst[0])
    out = io.BytesIO()
    document.save(out)
    return normalize_zip(out.getvalue(), stamp)


__all__ = ["FILES", "Answer", "Compilation", "ResponsesResult", "Row", "compile_responses", "letter_paragraphs",
           "references", "render_compilation"]
