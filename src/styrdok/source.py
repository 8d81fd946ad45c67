"""Source stage: a policy file (YAML front matter + Markdown) → validated `Policy`.

Every problem is collected with file and line; the caller decides whether to fail.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import re
import threading
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import jsonschema

from . import clock, files, pandoc, policy_text, validation, yamlread
from .validation import schema
from .errors import InvalidPolicy, Problem, Severity, StyrdokError
from .files import packaged
from .i18n import N_, _
from .model import (PREAMBLE_ID, Action, Block, Consultation, Contact, Decision, Metadata, Policy, Review,
                    Section, Status)

MAX_BYTES = 2 * 1024 * 1024  # far above any real policy; refuse before pandoc spends minutes on it
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID = 64  # ids become file, folder and anchor names; far below any file system's limit
UNSAFE_URL_CHAR = re.compile(r"[\x00-\x20\x7f]")
_TRANSLITERATION = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "ae", "ø": "o"})


def slugify(text: str) -> str:
    """An id from a heading or title: "Sociala företag" → "sociala-foretag"."""
    ascii_text = text.lower().translate(_TRANSLITERATION)
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PLACEHOLDER = re.compile(r"\b(\d{4}|ÅÅÅÅ)-XX-XX\b|§\s*XX\b|\bXX-XX\b")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>")
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)
EXPLICIT_ID = re.compile(r"\{[^}]*#([^}\s]+)[^}]*\}\s*$")
# Classes a policy may give a span or div: pandoc's own (underline, small caps, highlight). Any
# other class could borrow the page's styles (a hidden text, a fake marking) on the website.
KNOWN_CLASSES = frozenset({"underline", "smallcaps", "mark"})
# Ids the page makes itself: pandoc's footnotes and code lines, the redline's change anchors.
GENERATED_ID = re.compile(r"^(fn|fnref|cb)\d+(-\d+)?$|^andring-\d+$|^footnotes$|^sammanfattning$")


_PAGE_ID = re.compile(r'\bid(?:ent)?="([a-z0-9_-]+)"')


@cache
def page_ids() -> frozenset[str]:
    """The ids the packaged page templates use (titel, innehall …): a heading must not take one."""
    found = {ident for entry in packaged("templates").iterdir()
             if entry.name.endswith((".j2", ".typ")) for ident in _PAGE_ID.findall(entry.read_text("utf-8"))}
    return frozenset(found | {"titel"})


def reserved_id(ident: str) -> bool:
    return ident in page_ids() or bool(GENERATED_ID.match(ident))


def document_types() -> tuple[str, ...]:
    """The document types a policy may have (`type:`), as the schema lists them: the one list of them."""
    return tuple(schema()["properties"]["type"]["enum"])


_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
MAX_YAML_DEPTH = 10  # the front matter is three levels deep; anything far deeper is a mistake or an attack




@dataclass
class _Report:
    path: str
    problems: list[Problem]

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, hint))

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, hint, Severity.WARNING))


def read_file(path: Path, *, display: str | None = None, inside: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """A policy file's bytes, or None and the problem: only a regular file under MAX_BYTES, and
    with `inside` (the repository) only one that really lies there, not behind a symbolic link."""
    try:
        return files.read_regular(path, limit=MAX_BYTES, inside=inside), []
    except files.TooLarge as exc:
        report = _Report(display or str(path), [])
        _too_big(exc.size, report)
        return None, report.problems
    except files.Unreadable as exc:
        return None, [Problem(display or str(path), 0, _("cannot read the file: {reason}").format(reason=exc.why),
                              exc.fix)]


def check_file(path: Path, *, display: str | None = None, data: bytes | None = None,
               inside: Path | None = None, declared_id: bool = False,
               blocks: list[pandoc.Ast] | None = None) -> tuple[Policy | None, list[Problem]]:
    """Load and validate one policy file; returns the policy (None if it has errors) and all problems.

    Without `data` the file is read with `read_file` (`inside`: the repository it must lie in).
    `blocks`: the text's blocks when the caller has them, because pandoc wrote the text from
    them (the importer); they are used instead of parsing the text again when they pair up
    with its lines (`pandoc.known_blocks`).
    """
    report = _Report(display or str(path), [])
    if data is None:
        data, problems = read_file(path, display=report.path, inside=inside)
        if data is None:
            return None, problems
    elif len(data) > MAX_BYTES:
        _too_big(len(data), report)
        return None, report.problems
    policy = _parse(path.stem, data, report, declared_id, blocks)
    ok = not any(p.severity is Severity.ERROR for p in report.problems)
    return (policy if ok else None), sorted(report.problems, key=lambda p: p.line)  # stable: same line, found order


def _too_big(size: int, report: _Report) -> None:
    report.error(0, _("the file is {size:.1f} MB; styrdok refuses policy files over {limit} MB").format(
                 size=size / 2**20, limit=MAX_BYTES // 2**20),
                 _("split the document, or move appendices (bilagor) to files of their own"))


def load(path: Path, *, display: str | None = None, data: bytes | None = None, inside: Path | None = None,
         declared_id: bool = False) -> Policy:
    """The validated policy (InvalidPolicy otherwise). With `declared_id`, the front matter's `id:` (when it
    is a safe id) names the policy instead of the file name: a version compared outside its repository."""
    policy, problems = check_file(path, display=display, data=data, inside=inside, declared_id=declared_id)
    if policy is None:
        raise InvalidPolicy(problems)
    return policy


def read_ahead(path: Path) -> None:
    """Have pandoc start reading the text of the policy file at `path` now, as `load` will read it,
    while the caller imports and prepares the rest (`styrdok diff`: half a second of a 100-page
    redline). A file that is not a readable policy is left for `load` to report."""
    try:
        data = files.read_regular(path, limit=MAX_BYTES)
    except (OSError, StyrdokError):
        return
    if (split := _split(data, _Report(str(path), []))) is not None:
        _text, lines, end = split
        _read_ahead(policy_text.body(lines, end), end + 1)


def _read_ahead(body: str, offset: int) -> None:
    if _readable(body, offset, _Report("", [])):  # what is not is reported where `_read` meets it
        pandoc.read_ahead(body)


def _parse(stem: str, data: bytes, report: _Report, declared_id: bool = False,
           blocks: list[pandoc.Ast] | None = None) -> Policy | None:
    if (split := _split(data, report)) is None:
        return None
    text, lines, end = split
    body = policy_text.body(lines, end)
    if blocks is None and threading.current_thread() is threading.main_thread():
        # pandoc reads the text while the front matter is checked (not from a pool's worker, which
        # could wait on a read queued behind it)
        _read_ahead(body, end + 1)
    meta = _metadata(stem, "\n".join(lines[1:end]), report, declared_id)
    sections = _sections(body, end + 1, lines, report, blocks)
    if meta is None or sections is None:
        return None
    return Policy(meta=meta, sections=sections, path=report.path, source=text)


def _split(data: bytes, report: _Report) -> tuple[str, list[str], int] | None:
    """(text, its lines, index of the closing '---' line), or None after reporting why not."""
    try:
        text = policy_text.normalized(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(line, _("the file is not UTF-8 (byte 0x{byte:02x} at offset {offset})").format(
                     byte=data[exc.start], offset=exc.start),
                     _("save the file as UTF-8 (in Word: Spara som > Oformaterad text > Unicode (UTF-8))"))
        return None
    if not text.strip():
        report.error(1, _("the file is empty"), _("start with front matter between two '---' lines, then the text"))
        return None
    lines = text.split("\n")
    if not policy_text.opens_front_matter(lines):
        report.error(1, _("the file has no front matter"),
                     _("start the file with a '---' line, the decision metadata in YAML, and a closing '---' line"))
        return None
    if (end := policy_text.front_matter_end(lines)) is None:
        report.error(1, _("the front matter is not closed"), _("add a line with '---' after the metadata"))
        return None
    return text, lines, end


def check_metadata(path: Path, data: bytes, *, display: str | None = None) -> tuple[Metadata | None, list[Problem]]:
    """Validate only the front matter of `data` (no pandoc): quick enough for every revision in git."""
    report = _Report(display or str(path), [])
    split = _split(data, report)
    meta = _metadata(path.stem, "\n".join(split[1][1:split[2]]), report) if split else None
    return meta, sorted(report.problems, key=lambda p: p.line)


# --- front matter ---------------------------------------------------------------------------

def _metadata(stem: str, yaml_text: str, report: _Report, declared_id: bool = False) -> Metadata | None:
    """The front matter as Metadata, or None; every problem found is reported, not only the first."""
    def at(mark: Any) -> int:
        # YAML also breaks lines at U+0085, U+2028 and U+2029; the file's lines end at '\n' only.
        return yaml_text.count("\n", 0, mark.index)

    if not _plain_yaml(yaml_text, at, report):
        _check_file_name(stem, report)
        return None
    try:
        root = yamlread.compose(yaml_text, as_written=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = at(mark) + 2 if mark else 2
        problem = str(getattr(exc, "problem", None) or exc)
        report.error(line, _("the front matter is not valid YAML: {problem}").format(problem=yaml_problem(problem)),
                     _("check indentation and quote values containing ':' or '#'"))
        _check_file_name(stem, report)
        return None
    if root is None or not isinstance(root, yaml.MappingNode):
        report.error(2, _("the front matter must be a mapping of keys (title:, status:, decisions: …)"),
                     _("see the format in README.md"))
        _check_file_name(stem, report)
        return None
    lines: dict[tuple, int] = {}
    errors_before = _error_count(report)
    _index_lines(root, (), lines, report, at)
    if _error_count(report) > errors_before and _(_COMPLEX_KEY) in {p.message for p in report.problems}:
        _check_file_name(stem, report)
        return None
    raw = yamlread.load(yaml_text, as_written=True)
    if declared_id and isinstance(raw.get("id"), str) and SLUG.match(raw["id"]):
        stem = raw["id"]

    def line_of(path: tuple) -> int:
        while path not in lines and path:
            path = path[:-1]
        return lines.get(path, 0) + 2

    errors_before = _error_count(report)
    _numbers_as_written(raw, line_of, report)
    if _error_count(report) == errors_before:  # else a § read as written would be reported again by the schema
        for err in () if validation.conforms(raw) else validation.faults(raw):
            _schema_problem(_branch_error(err), line_of, report)

    # Everything below runs whatever the schema said, so one run tells every problem.
    if isinstance(raw.get("id"), str) and SLUG.match(raw["id"]) and raw["id"] != stem:
        report.error(line_of(("id",)), _("id '{id}' differs from the file name '{stem}.md'").format(id=raw["id"], stem=stem),
                     _("rename the file to {id}.md or set id: {stem}").format(id=raw["id"], stem=stem))
    _check_file_name(stem, report)
    items = raw.get("decisions") if isinstance(raw.get("decisions"), list) else []
    decisions = tuple(d for i, item in enumerate(items) if isinstance(item, dict)
                      and (d := _decision(item, ("decisions", i), line_of, report)))
    previous: Decision | None = None
    for i, decision in enumerate(decisions):
        if decision.pending and i != len(decisions) - 1:
            report.error(line_of(("decisions", i)), _("only the last decision may be pending"),
                         _("fill in date and paragraph of the earlier decision, or remove it"))
        if previous and previous.date and decision.date and decision.date < previous.date:
            report.error(line_of(("decisions", i, "date")),
                         _("decision date {date} is before the previous decision ({previous})").format(
                             date=decision.date, previous=previous.date),
                         _("decisions are listed oldest first"))
        previous = decision
    status = _enum(Status, raw.get("status"))
    if status is Status.ADOPTED and decisions and decisions[-1].pending:
        report.error(line_of(("status",)), _("status is adopted but the last decision is pending"),
                     _("record the decision with `styrdok adopt`, or set status: draft"))
    consultation = None
    if isinstance(c := raw.get("consultation"), dict):
        bodies = tuple(b for b in c.get("bodies") or () if isinstance(b, str)) if isinstance(c.get("bodies"), list) else ()
        consultation = Consultation(bodies=bodies,
                                    deadline=_date(c.get("deadline"), ("consultation", "deadline"), line_of, report),
                                    dnr=c.get("dnr") if isinstance(c.get("dnr"), str) else None,
                                    opened=_date(c.get("opened"), ("consultation", "opened"), line_of, report))
        _check_bodies(consultation.bodies, line_of(("consultation", "bodies")), report)
    valid_from = _date(raw.get("valid_from"), ("valid_from",), line_of, report)
    done = [d for d in decisions if d.date]
    if valid_from and done and valid_from < done[-1].date:  # type: ignore[operator]
        report.error(line_of(("valid_from",)), _("valid_from {date} is before the last decision ({decision})").format(
                         date=valid_from, decision=done[-1].date),
                     _("valid_from is when the last decision takes effect: correct it, or remove it "
                       "(the document then applies from the decision date)"))
    contact = raw.get("contact")
    if _error_count(report) > errors_before or status is None:
        return None
    review = raw.get("review", "mandate-period")
    return Metadata(id=stem, title=raw["title"].strip(), type=raw["type"], owner=raw["owner"],
                    coordinator=raw.get("coordinator"),
                    review=Review.YEARS if isinstance(review, int) else Review(review),
                    status=status, decisions=decisions, consultation=consultation,
                    keywords=tuple(raw.get("keywords", ())),
                    review_years=review if isinstance(review, int) else None, valid_from=valid_from,
                    responsible=raw.get("responsible"),
                    contact=(Contact(name=contact) if isinstance(contact, str) else
                             Contact(contact.get("name"), contact.get("email"), contact.get("phone"), contact.get("title"))
                             if contact else None))


# PyYAML's most common complaints, said for the reader; anything else is shown as PyYAML says it.
_YAML_PROBLEMS = (
    (re.compile(r"^mapping values are not allowed here"), N_("a ':' where no value may start (quote the value)")),
    (re.compile(r"^could not find expected ':'"), N_("a line without ':' where a key was expected")),
    (re.compile(r"^found character '\\t' that cannot start any token"), N_("a tab character (indent with spaces)")),
    (re.compile(r"^expected <block end>, but found"), N_("the indentation does not line up")),
    (re.compile(r"^expected ',' or '\]', but got"), N_("a list in [ ] is not closed")),
    (re.compile(r"^expected ',' or '\}', but got"), N_("a mapping in { } is not closed")),
    (re.compile(r"^found unexpected end of stream"), N_("a quotation mark is not closed")),
    (re.compile(r"^found undefined alias"), N_("a '*' starts a value (quote the value)")),
)


def yaml_problem(problem: str) -> str:
    """PyYAML's complaint in the reader's language, when it is one of the common ones."""
    return next((_(text) for pattern, text in _YAML_PROBLEMS if pattern.match(problem)), problem)


def _enum(kind: type[Status], value: object) -> Status | None:
    try:
        return kind(value)
    except ValueError:
        return None


def _check_file_name(stem: str, report: _Report) -> None:
    if not SLUG.match(stem):
        report.error(1, _("the file name '{stem}' is not a safe id (lower-case a–z, 0–9 and single hyphens)").format(stem=stem),
                     _("rename the file, e.g. {example}.md").format(example=_suggest(stem)[:MAX_ID] or "social-ekonomi"))
    elif len(stem) > MAX_ID:  # the id names folders and files (<id>.docx, temp files): keep far from 255 bytes
        report.error(1, _("the file name '{stem}…' is {n} characters long").format(stem=stem[:40], n=len(stem)),
                     _("rename the file to a short id, at most {n} characters, e.g. social-ekonomi.md").format(n=MAX_ID))


# Fixes for a missing key: what to add.
_ADD = {
    "title": N_("add title: with the document's name"),
    "type": N_("add type: policy (or riktlinje, plan, program …)"),
    "owner": N_("add owner: kommunstyrelsen (the deciding body)"),
    "status": N_("add status: draft (or utkast), consultation (remiss) or adopted (antagen)"),
    "decisions": N_("list the decisions, oldest first: - action: fastställd, body: kommunstyrelsen, date: YYYY-MM-DD, paragraph: N"),
    "action": N_("add action: fastställd, reviderad or upphävd"),
    "body": N_("add body: with the deciding body, e.g. kommunstyrelsen"),
}

# Fixes for a value of the wrong form, by key.
_FORM = {
    "paragraph": N_("the § number in the minutes is a positive whole number, e.g. paragraph: 129"),
    "date": N_("write the date as YYYY-MM-DD, e.g. 2018-03-06"),
    "deadline": N_("write the date as YYYY-MM-DD, e.g. 2027-02-15"),
    "opened": N_("write the date as YYYY-MM-DD, e.g. 2026-12-01"),
    "id": N_("use lower-case a–z, 0–9 and single hyphens, e.g. social-ekonomi"),
    "year": N_("write the year the decision is expected, e.g. year: 2027"),
    "pending": N_("write pending: true for a decision not taken yet, or remove the line"),
    "decisions": N_("list the decisions, oldest first: - action: fastställd, body: kommunstyrelsen, date: YYYY-MM-DD, paragraph: N"),
    "bodies": N_("list the remissinstanser, one '- name' line each"),
    "keywords": N_("list the keywords, one '- word' line each"),
    "consultation": N_("write deadline:, dnr: and bodies: indented under consultation:"),
    "review": N_("use review: mandate-period (or mandatperiod), review: none (or ingen), or a number of years, e.g. review: 2"),
    "valid_from": N_("write the date as YYYY-MM-DD, e.g. 2027-01-01"),
    "contact": N_("write contact: with name:, email: and/or phone:, e.g. email: kommunstyrelsen@timra.se"),
    "email": N_("write an e-mail address, e.g. anna.andersson@timra.se"),
    "phone": N_("write a phone number, e.g. 060-16 30 00"),
}

_TYPE_NAMES = {"integer": N_("a whole number"), "string": N_("text"), "array": N_("a list"),
               "object": N_("a mapping of keys"), "boolean": N_("true or false")}

_TYPE_FIXES = {"integer": N_("write a whole number"), "string": N_("write text (in quotes if it starts with a digit or holds ':')"),
               "array": N_("write a list, one '- ' line per item"), "object": N_("write the keys indented under it"),
               "boolean": N_("write true or false")}


def _schema_problem(err: jsonschema.ValidationError, line_of, report: _Report) -> None:
    """One schema violation as a problem whose fix matches the fault."""
    path = tuple(err.absolute_path)
    key = str(path[-1]) if path and not isinstance(path[-1], int) else ""
    where = _where(path)
    value = json.dumps(err.instance, ensure_ascii=False, default=str)
    match err.validator:
        case "additionalProperties":
            known = sorted(err.schema.get("properties", {}))
            for extra in sorted(set(err.instance) - set(known), key=str):
                close = difflib.get_close_matches(str(extra), known, n=1)
                fix = (_("did you mean '{key}'? Known keys here: {keys}").format(key=close[0], keys=", ".join(known))
                       if close else _("known keys here: {keys}").format(keys=", ".join(known)))
                report.warn(line_of(path + (extra,)), _("unknown key '{key}' is ignored").format(key=_where(path + (extra,))), fix)
        case "required":
            missing = err.message.split("'")[1]
            report.error(line_of(path), _("required key '{key}' is missing").format(key=_where(path + (missing,))),
                         _(_ADD[missing]) if missing in _ADD else _("add {key}:").format(key=missing))
        case "enum":
            words = [str(w) for w in err.validator_value]
            close = difflib.get_close_matches(str(err.instance), words, n=1)
            fix = (_("use one of {values}; did you mean '{close}'?").format(values=", ".join(words), close=close[0])
                   if close else _("use one of {values}").format(values=", ".join(words)))
            report.error(line_of(path), _("{key} has an unknown value {value}").format(key=where, value=value), fix)
        case "type":
            expected = str(err.validator_value)
            report.error(line_of(path), _("{key}: {value} is not {kind}").format(
                             key=where, value=value, kind=_(_TYPE_NAMES.get(expected, expected))),
                         _(_FORM[key]) if key in _FORM else _(_TYPE_FIXES.get(expected, N_("see the format in README.md"))))
        case "minimum" | "maximum":
            message = (_("{key}: {value} must be at least {limit}") if err.validator == "minimum"
                       else _("{key}: {value} must be at most {limit}"))
            report.error(line_of(path), message.format(key=where, value=value, limit=err.validator_value),
                         _(_FORM.get(key, N_("see the format in README.md"))))
        case "pattern":
            report.error(line_of(path), _("{key}: {value} has the wrong form").format(key=where, value=value),
                         _(_FORM.get(key, N_("see the format in README.md"))))
        case "const":
            report.error(line_of(path), _("{key}: {value} must be {expected}").format(
                             key=where, value=value, expected=json.dumps(err.validator_value)),
                         _(_FORM.get(key, N_("see the format in README.md"))))
        case "oneOf":
            report.error(line_of(path), _("{key}: {value} is not a valid value here").format(key=where, value=value),
                         _(_FORM.get(key, N_("see the format in README.md"))))
        case "minItems":
            report.error(line_of(path), _("{key}: the list is empty").format(key=where),
                         _(_FORM.get(key, N_("see the format in README.md"))))
        case "minLength":
            report.error(line_of(path), _("{key}: {value} is too short (at least {n} characters)").format(
                             key=where, value=value, n=err.validator_value),
                         _("write it out in full"))
        case "maxLength":
            shown = value if len(value) <= 60 else value[:40] + "…"
            report.error(line_of(path), _("{key}: {value} is too long (at most {n} characters)").format(
                             key=where, value=shown, n=err.validator_value),
                         _("shorten {key}: to at most {n} characters").format(key=key or where, n=err.validator_value))
        case _:
            report.error(line_of(path), _("{key}: {value} is not allowed here").format(key=where or "—", value=value),
                         _("see the format in README.md"))


def _branch_error(err: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a value allowed in several forms (oneOf), the error inside the form it is written in:
    a mapping given for `contact:` is judged as a mapping, so the message names the bad key."""
    if err.validator != "oneOf" or not err.context:
        return err
    kind = "object" if isinstance(err.instance, dict) else "integer" if isinstance(err.instance, int) else None
    inside = [e for e in err.context if kind and err.validator_value[e.schema_path[0]].get("type") == kind]
    return _branch_error(inside[0]) if inside else err


def _where(path: tuple) -> str:
    return ".".join(f"[{p + 1}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _error_count(report: _Report) -> int:
    return sum(p.severity is Severity.ERROR for p in report.problems)


_COMPLEX_KEY = N_("a key must be a plain name, not a list or mapping")


def _plain_yaml(yaml_text: str, at: Callable[[Any], int], report: _Report) -> bool:
    """Refuse what plain metadata never needs, before anything expands it: aliases (an alias
    bomb of 600 bytes expands to millions of values), explicit tags (!!python/…, !!int) and
    nesting far deeper than the format's. One pass over the parser's events, no recursion."""
    for number, text in enumerate(yaml_text.split("\n"), 2):
        if found := _YAML_BREAKS.search(text):
            name = {"\x85": "NEL, U+0085", "\u2028": "LINE SEPARATOR, U+2028", "\u2029": "PARAGRAPH SEPARATOR, U+2029"}
            report.error(number, _("the front matter holds an invisible line break ({name})").format(name=name[found.group(0)]),
                         _("remove it (it comes with text copied from Word or a web page): YAML would end the line there"))
            return False
    depth = 0
    try:
        for event in yamlread.parse(yaml_text, as_written=True):
            line: int = at(event.start_mark) + 2
            if isinstance(event, yaml.AliasEvent):
                report.error(line, _("YAML alias '*{name}' in the front matter").format(name=event.anchor),
                             _("write the value out in full; styrdok does not expand aliases (&name, *name, <<:)"))
                return False
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                report.error(line, _("YAML tag '{tag}' in the front matter").format(tag=tag),
                             _("remove the tag (the text starting with '!'); write values as plain text"))
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    report.error(line, _("the front matter is nested more than {n} levels deep").format(n=MAX_YAML_DEPTH),
                                 _("see the format in README.md: keys, the list of decisions and their keys"))
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported with its line by compose below
    return True


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int], report: _Report,
                 at: Callable[[Any], int]) -> None:
    lines[path] = at(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):  # "? [a, b]": a list or mapping as a key
                report.error(at(key.start_mark) + 2, _(_COMPLEX_KEY), _("write the key as text, e.g. title:"))
                continue
            name = key.value
            if name in seen:
                report.error(at(key.start_mark) + 2, _("key '{key}' appears twice").format(key=name), _("keep one of them"))
            seen.add(name)
            lines[path + (name,)] = at(key.start_mark)
            _index_lines(value, path + (name,), lines, report, at)
            lines[path + (name,)] = at(key.start_mark)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines, report, at)


# Whole numbers in the front matter, read from the text as written: (pattern, what it must be, hint).
_PARAGRAPH = re.compile(r"^[1-9][0-9]{0,5}$")
_YEAR = re.compile(r"^[12][0-9]{3}$")
_REVIEW_YEARS = re.compile(r"^[1-9][0-9]?$")


def _numbers_as_written(raw: Any, line_of: Callable[[tuple], int], report: _Report) -> None:
    """Turn the § (paragraph), year and review values into ints where they are plain decimal
    numbers, in place; report every § that is anything else. Everything else stays text."""
    if not isinstance(raw, dict):
        return
    if isinstance(review := raw.get("review"), str) and _REVIEW_YEARS.match(review):
        raw["review"] = int(review)
    for i, decision in enumerate(raw.get("decisions") or ()):
        if not isinstance(decision, dict):
            continue
        if isinstance(year := decision.get("year"), str) and _YEAR.match(year):
            decision["year"] = int(year)
        value = decision.get("paragraph")
        if not isinstance(value, str):
            continue
        path = ("decisions", i, "paragraph")
        shown = value if len(value) <= 20 else _("{start}… ({n} characters)").format(start=value[:12], n=len(value))
        if _PARAGRAPH.match(value):
            decision["paragraph"] = int(value)
        elif re.fullmatch(r"0[0-9]+", value):
            report.error(line_of(path), _("{key}: {value} starts with 0").format(key=_where(path), value=shown),
                         _("write the § as the minutes do, without leading zeros: paragraph: {n}").format(n=value.lstrip("0") or 1))
        elif re.fullmatch(r"-[0-9]{1,6}|0", value):
            fix = _FORM["paragraph"]
            report.error(line_of(path), _("{key}: {value} must be at least {limit}").format(key=_where(path), value=shown, limit=1),
                         _(fix))
        elif re.fullmatch(r"[0-9]+", value):
            report.error(line_of(path), _("{key}: a § of {n} digits is not a § in the minutes").format(key=_where(path), n=len(value)),
                         _("the § number in the minutes is a positive whole number of at most 6 digits"))
        else:
            report.error(line_of(path), _("{key}: {value} is not a whole number").format(
                             key=_where(path), value=json.dumps(shown, ensure_ascii=False)),
                         _("the § number in the minutes is a positive whole number, e.g. paragraph: 129 (digits only: no 0x, :, . or _)"))


def _date(value: Any, path: tuple, line_of, report: _Report) -> dt.date | None:
    """The date, or None; a date of the right form that does not exist (2024-13-01) is reported here,
    one of the wrong form by the schema."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return None
    try:
        return clock.parse_date(value)
    except ValueError:
        report.error(line_of(path), _("{key}: {value} is not a real date").format(key=_where(path), value=value),
                     _("check the month (01–12) and the day; write the date as YYYY-MM-DD, e.g. 2018-03-06"))
        return None


_HAS = {
    frozenset({"date"}): N_("decision {n} is marked pending but has a date"),
    frozenset({"paragraph"}): N_("decision {n} is marked pending but has a paragraph (§)"),
    frozenset({"date", "paragraph"}): N_("decision {n} is marked pending but has a date and a paragraph (§)"),
}
_LACKS = {
    frozenset({"date"}): N_("decision {n} lacks date"),
    frozenset({"paragraph"}): N_("decision {n} lacks paragraph"),
    frozenset({"date", "paragraph"}): N_("decision {n} lacks date and paragraph"),
}


def _decision(raw: dict, path: tuple, line_of, report: _Report) -> Decision | None:
    date = _date(raw.get("date"), path + ("date",), line_of, report)
    has = frozenset(k for k in ("date", "paragraph") if k in raw)
    n = path[1] + 1
    if raw.get("pending"):
        if has:
            report.error(line_of(path), _(_HAS[has]).format(n=n),
                         _("a pending decision has no date or § yet: remove them, or remove pending: true"))
            return None
    elif has != {"date", "paragraph"}:
        report.error(line_of(path), _(_LACKS[frozenset({"date", "paragraph"}) - has]).format(n=n),
                     _("give both date and paragraph (§), or write pending: true for a decision not yet taken"))
        return None
    elif "year" in raw:
        report.warn(line_of(path + ("year",)), _("year is only used for pending decisions"), _("remove year:"))
    if "date" in raw and date is None:
        return None
    try:
        action = Action(raw.get("action"))
    except ValueError:
        return None  # the schema has said so
    if not isinstance(raw.get("body"), str) or not isinstance(raw.get("paragraph", 0), int):
        return None
    return Decision(action=action, body=raw["body"], date=date, paragraph=raw.get("paragraph"),
                    dnr=raw.get("dnr"), year=raw.get("year") if isinstance(raw.get("year"), int) else None)


def _check_bodies(bodies: tuple[str, ...], line: int, report: _Report) -> None:
    seen: set[str] = set()
    for body in bodies:
        key = body.strip().casefold()
        if key in seen:
            report.error(line, _("remissinstans '{body}' is listed twice").format(body=body), _("remove the duplicate"))
        seen.add(key)


# --- body -----------------------------------------------------------------------------------

def _sections(body: str, offset: int, lines: list[str], report: _Report,
              known: list[pandoc.Ast] | None = None) -> tuple[Section, ...] | None:
    errors_before = _error_count(report)
    sections: list[Section] = []
    current = Section(id=PREAMBLE_ID, title="", level=0, line=offset + 1, blocks=())  # blocks added at the next heading
    blocks: list[Block] = []
    ids: dict[str, int] = {}
    anchors: list[tuple[str, int, int]] = []  # (target, first line, last line) of links within the document
    previous_level = 1
    parsed = _read(body, offset, lines, report, known)
    if parsed is None:
        return None
    for index, (rel_line, ast) in enumerate(parsed):
        line = rel_line + offset
        # the block's own lines: a problem is looked for there, never in a later block
        end = parsed[index + 1][0] + offset - 1 if index + 1 < len(parsed) else len(lines)
        if ast["t"] == "Header":
            sections.append(replace(current, blocks=tuple(blocks)))
            blocks = []
            level, (ident, _classes, _attrs), inlines = ast["c"]
            title = pandoc.stringify(inlines).strip()
            source_line = lines[line - 1] if 0 < line <= len(lines) else ""
            if level == 1:
                report.error(line, _("level-1 heading '{title}' in the text").format(title=title),
                             _("the title comes from the front matter; start sections with ## (level 2)"))
            elif level > previous_level + 1:
                report.error(line, _("heading '{title}' jumps from level {old} to {new}").format(
                                 title=title, old=previous_level, new=level),
                             _("use {marks} so headings stay in order").format(marks="#" * (previous_level + 1)))
            if not title:
                report.error(line, _("the heading has no text"),
                             _("write the heading's text after the #-signs, or remove the line"))
            elif len(title) > MAX_HEADING:  # a PDF bookmark holds at most 32767 characters; no reader wants 300
                report.error(line, _("the heading is {n} characters long").format(n=len(title)),
                             _("shorten it to at most {n} characters and put the rest in a paragraph").format(n=MAX_HEADING))
            if explicit := EXPLICIT_ID.search(source_line):
                ident = explicit.group(1)
                if not SLUG.match(ident):
                    report.error(line, _("heading id '{id}' is not a safe id").format(id=ident),
                                 _("use lower-case a–z, 0–9 and single hyphens, e.g. {example}").format(
                                     example="{#" + (_suggest(ident) or "begreppsdefinitioner") + "}"))
                elif reserved_id(ident):
                    report.error(line, _("heading id '{id}' is one the page itself uses").format(id=ident),
                                 _("choose another id, e.g. {example}").format(example="{#" + ident + "-avsnitt}"))
            else:
                ident = _suggest(title)
                if reserved_id(ident):  # an automatic id is renamed, never duplicated on the page
                    ident += "-avsnitt"
                report.warn(line, _("heading '{title}' has no id; '{id}' is used").format(title=title, id=ident),
                            _("add {marker} at the end of the heading line, so links and redlines stay stable").format(
                                marker="{#" + ident + "}"))
            if len(ident) > MAX_ID:
                report.error(line, _("heading id '{id}…' is {n} characters long").format(id=ident[:40], n=len(ident)),
                             _("use a short id, at most {n} characters").format(n=MAX_ID))
            if ident in ids or ident == PREAMBLE_ID:
                report.error(line, _("heading id '{id}' is used twice (first on line {line})").format(
                                 id=ident, line=ids.get(ident, offset)),
                             _("give each heading its own id"))
            ids.setdefault(ident, line)
            ast["c"][1][0] = ident
            _check_attributes(ast, line, lines, report, ids, end, heading=True)
            found = pandoc.links(ast)
            _check_block(ast, line, lines, report, end, found)
            anchors += _anchors(found, line, end)
            previous_level = level
            current = Section(id=ident, title=title, level=level, line=line, blocks=(), heading_ast=ast)
            continue
        found = pandoc.links(ast)
        _check_block(ast, line, lines, report, end, found)
        _check_attributes(ast, line, lines, report, ids, end)
        anchors += _anchors(found, line, end)
        blocks.append(Block(kind=ast["t"], text=pandoc.plain_text(ast), line=line, ast=ast))
    sections.append(replace(current, blocks=tuple(blocks)))
    for target, line, end in anchors:
        if target not in ids:
            listed = ", ".join(sorted(ids)[:8])
            report.error(_line_with(f"#{target}", line, lines, end),
                         _("link to '#{target}', but no heading has that id").format(target=target),
                         (_("link to one of the ids in the text ({ids}), or add {marker} to the heading") if listed else
                          _("add {marker} to the heading the link is meant for")).format(ids=listed, marker="{#" + target + "}"))
    if sections and sections[0].id == PREAMBLE_ID and not sections[0].blocks:
        sections.pop(0)
    if _error_count(report) > errors_before:
        return None
    return tuple(sections)


MAX_HEADING = 300
MAX_URL = 2000
MAX_NESTING = 16  # lists, quotes, emphases inside each other; Typst gives up near 30, real text needs 4
MAX_MARKS, MAX_BRACKETS = pandoc.MAX_MARKS, pandoc.MAX_BRACKETS


def _read(body: str, offset: int, lines: list[str], report: _Report,
          known: list[pandoc.Ast] | None = None) -> list[tuple[int, pandoc.Ast]] | None:
    """pandoc's blocks with their start lines, or None after reporting text that cannot be read
    in reasonable time or nested too deeply to render. `known`: the blocks pandoc wrote the
    text from (see `check_file`)."""
    if not _readable(body, offset, report):
        return None
    try:
        parsed = (known is not None and pandoc.known_blocks(body, known)) or pandoc.read_markdown(body)
    except RecursionError:
        parsed = None
    except pandoc.PandocFailed as exc:
        report.error(offset + 1, _("the text cannot be read: {error}").format(error=exc),
                     _("look for very long runs of *, _ or [ and split or remove them"))
        return None
    if parsed is not None:
        for rel_line, ast in parsed:
            if (depth := pandoc.nesting(ast)) > MAX_NESTING:
                report.error(rel_line + offset, _("the text is nested {depth} levels deep (lists, quotes or emphasis inside each other)")
                             .format(depth=depth), _("use at most {n} levels; split the list or quote").format(n=MAX_NESTING))
                return None
        return parsed
    deepest = max(range(offset, len(lines)), key=lambda i: len(lines[i]) - len(lines[i].lstrip(" >-*+[")), default=offset)
    report.error(deepest + 1, _("the text is nested too deeply to be read (lists, quotes or emphasis inside each other)"),
                 _("use at most {n} levels; split the list or quote").format(n=MAX_NESTING))
    return None


def _readable(body: str, offset: int, report: _Report) -> bool:
    """Refuse, before pandoc, paragraphs whose emphasis marks or brackets would take it minutes."""
    start = offset + 1
    marks = depth = deepest = 0
    for number, line in enumerate(body.split("\n"), offset + 1):
        if not line.strip():
            start, marks, depth, deepest = number + 1, 0, 0, 0
            continue
        marks += line.count("*") + line.count("_")
        if "[" not in line:  # (only closing brackets: each takes one off, down to none)
            depth = max(depth - line.count("]"), 0)
        else:
            for char in line:
                if char == "[":
                    depth += 1
                    deepest = max(deepest, depth)
                elif char == "]":
                    depth = max(depth - 1, 0)
        if marks > MAX_MARKS:
            report.error(start, _("the paragraph holds more than {n} '*' and '_' (emphasis marks)").format(n=MAX_MARKS),
                         _("split the paragraph, or write the marks as \\* and \\_ if they are text"))
            return False
        if deepest > MAX_BRACKETS:
            report.error(start, _("the paragraph opens more than {n} '[' without closing them").format(n=MAX_BRACKETS),
                         _("close or remove the brackets, or write them as \\[ if they are text"))
            return False
    return True


def _suggest(title: str) -> str:
    return heading_id(title)


def heading_id(title: str, limit: int = 60) -> str:
    """The id a heading gets from its text: "Sociala företag" → sociala-foretag (cut at a word)."""
    table = str.maketrans("åäöéüáàèëï", "aaoeuaaeei")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(table)).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut else slug[:limit]
    return slug.strip("-") or "avsnitt"


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _line_with(needle: str, start: int, lines: list[str], end: int | None = None) -> int:
    """The first line from `start` to `end` holding `needle` as written, or as Markdown reads it
    (entities such as &lt; decoded, backslash escapes removed); else `start`."""
    span = range(max(start - 1, 0), min(end or len(lines), len(lines)))
    return next((i + 1 for i in span if needle in lines[i]), None) or next(
        (i + 1 for i in span if needle in html.unescape(_ESCAPED.sub(r"\1", lines[i]))), start)


def _check_block(ast: pandoc.Ast, line: int, lines: list[str], report: _Report, end: int | None = None,
                 links: list[tuple[str, str]] | None = None) -> None:
    """Raw HTML, images and unsafe links in one block (`links`: pandoc.links(ast), if known)."""
    for match in HTML_TAG.finditer(pandoc.stringify(ast)):
        report.error(_line_with(match.group(0), line, lines, end), _("raw HTML {html} in the text").format(html=repr(match.group(0))),
                     _("write plain Markdown; styrdok never passes HTML through to the documents or the website"))
    for kind, target in pandoc.links(ast) if links is None else links:
        if kind == "Image":
            report.error(_line_with(target, line, lines, end), _("image {target} in the text").format(target=repr(target)),
                         _("images are not supported in policy text yet (the accessible PDF needs alt text); link to the file instead"))
        elif len(target) > MAX_URL:
            report.error(_line_with(target[:40], line, lines, end), _("link target of {n} characters").format(n=len(target)),
                         _("link to an address of at most {n} characters (browsers and PDF readers cut longer ones)").format(n=MAX_URL))
        elif not allowed_link(target):
            report.error(_line_with(target, line, lines, end), _("link target {target} is not allowed").format(target=repr(target)),
                         _("use an https:, mailto: or relative link, with '/' (never '\\') and spaces written as %20"))


def allowed_link(target: str) -> bool:
    """A link target policy text may have: https:, mailto:, tel:, #id or relative, of at most
    MAX_URL characters. Browsers read "\\\\host" as "//host" (another site) and drop tabs and
    newlines inside a URL."""
    return len(target) <= MAX_URL and bool(SAFE_URL.match(target)) and "\\" not in target \
        and not UNSAFE_URL_CHAR.search(target)


def _anchors(links: list[tuple[str, str]], line: int, end: int) -> list[tuple[str, int, int]]:
    """The in-document links among a block's `links` (pandoc.links)."""
    return [(target[1:], line, end) for kind, target in links if kind == "Link" and target.startswith("#")]


def _check_attributes(ast: pandoc.Ast, line: int, lines: list[str], report: _Report, ids: dict[str, int],
                      end: int | None = None, *, heading: bool = False) -> None:
    """Only id, a known class and lang: any other attribute ({onclick=…}, style=, formaction= …)
    would reach the website's HTML as live markup."""
    allowed = ", ".join(sorted(KNOWN_CLASSES))
    for number, (kind, (ident, classes, pairs)) in enumerate(pandoc.attributes(ast)):
        what = _KINDS.get(kind, _KINDS["Span"])
        for key, value in pairs:
            if key == "lang" and pandoc.LANG.match(value) or (key, value) == ("wrapper", "1"):
                continue  # wrapper=1: pandoc's own mark on a bare {…}; never written to a page
            report.error(_line_with(f"{key}=", line, lines, end), _(what[0]).format(key=key),
                         _("remove {key}={value}; allowed are an id, lang=sv|en|… and the classes {allowed}").format(
                             key=key, value=value[:30], allowed=allowed))
        for name in classes:
            if name in KNOWN_CLASSES or kind in ("Code", "CodeBlock") and name in pandoc.highlight_languages():
                continue
            report.error(_line_with(f".{name}", line, lines, end), _(what[1]).format(name=name),
                         _("remove .{name}; allowed are the classes {allowed}").format(name=name, allowed=allowed))
        if ident and not (heading and number == 0):
            where = _line_with(f"#{ident}", line, lines, end)
            if not SLUG.match(ident) or len(ident) > MAX_ID:
                report.error(where, _("id '{id}' is not a safe id").format(id=ident[:40]),
                             _("use lower-case a–z, 0–9 and single hyphens, at most 64 characters"))
            elif reserved_id(ident) or ident in ids:
                report.error(where, (_("id '{id}' is already used (by the page itself)") if reserved_id(ident) else
                                     _("id '{id}' is already used (line {line})")).format(id=ident, line=ids.get(ident)),
                             _("give it an id of its own"))
            else:
                ids[ident] = where


# What carries an attribute or a class: (the message for an attribute, the message for a class).
_KINDS = {
    "Span": (N_("attribute '{key}' on a span is not allowed"), N_("class '{name}' on a span is not allowed")),
    "Div": (N_("attribute '{key}' on a div (:::) is not allowed"), N_("class '{name}' on a div (:::) is not allowed")),
    "Link": (N_("attribute '{key}' on a link is not allowed"), N_("class '{name}' on a link is not allowed")),
    "Code": (N_("attribute '{key}' on a code span is not allowed"), N_("class '{name}' on a code span is not allowed")),
    "CodeBlock": (N_("attribute '{key}' on a code block is not allowed"), N_("class '{name}' on a code block is not allowed")),
    "Header": (N_("attribute '{key}' on a heading is not allowed"), N_("class '{name}' on a heading is not allowed")),
    "Table": (N_("attribute '{key}' on a table is not allowed"), N_("class '{name}' on a table is not allowed")),
    "Figure": (N_("attribute '{key}' on a figure is not allowed"), N_("class '{name}' on a figure is not allowed")),
    "Image": (N_("attribute '{key}' on an image is not allowed"), N_("class '{name}' on an image is not allowed")),
}


def placeholders(policy: Policy) -> list[Problem]:
    """Placeholders such as '2018-XX-XX, § XX' in the text or pending decisions: never in a final document."""
    found = [Problem(policy.path, 0, _("decision '{decision}' is pending").format(decision=d.line()),
                     _("record the decision with `styrdok adopt {id} --date YYYY-MM-DD --paragraph N`").format(id=policy.id))
             for d in policy.meta.pending_decisions]
    for section in policy.sections:
        for block in section.blocks:
            if m := PLACEHOLDER.search(block.text):
                found.append(Problem(policy.path, block.line, _("placeholder '{text}' in the text").format(text=m.group(0)),
                                     _("replace it with the real date and § before a final build")))
    return found
