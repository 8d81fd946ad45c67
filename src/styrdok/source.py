"""Source stage: a policy file (YAML front matter + Markdown) → validated `Policy`.

Every problem is collected with file and line; the caller decides whether to fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from . import pandoc
from .errors import InvalidPolicy, Problem, Severity
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
PLACEHOLDER = re.compile(r"\b(\d{4}|ÅÅÅÅ)-XX-XX\b|§\s*XX\b|\bXX-XX\b")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>")
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)
EXPLICIT_ID = re.compile(r"\{[^}]*#([^}\s]+)[^}]*\}\s*$")
# Classes a policy may give a span or div: pandoc's own (underline, small caps, highlight). Any
# other class could borrow the page's styles (a hidden text, a fake marking) on the website.
KNOWN_CLASSES = frozenset({"underline", "smallcaps", "mark"})
# Ids the page makes itself: pandoc's footnotes and code lines, the redline's change anchors.
GENERATED_ID = re.compile(r"^(fn|fnref|cb)\d+(-\d+)?$|^andring-\d+$|^footnotes$|^sammanfattning$")


@cache
def page_ids() -> frozenset[str]:
    """The ids the packaged page templates use (titel, innehall …): a heading must not take one."""
    folder = resources.files("styrdok").joinpath("templates")
    found: set[str] = set()
    for entry in folder.iterdir():
        if entry.name.endswith((".j2", ".typ")):
            found.update(re.findall(r'\bid="([a-z0-9_-]+)"', entry.read_text("utf-8")))
            found.update(re.findall(r'\bident="([a-z0-9_-]+)"', entry.read_text("utf-8")))
    return frozenset(found | {"titel"})


def reserved_id(ident: str) -> bool:
    return ident in page_ids() or bool(GENERATED_ID.match(ident))


@cache
def schema() -> dict[str, Any]:
    return json.loads(resources.files("styrdok").joinpath("schema/policy.schema.json").read_text("utf-8"))


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so an impossible date is our error, not YAML's."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class _Report:
    path: str
    problems: list[Problem]

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, hint))

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, hint, Severity.WARNING))


def check_file(path: Path, *, display: str | None = None, data: bytes | None = None) -> tuple[Policy | None, list[Problem]]:
    """Load and validate one policy file; returns the policy (None if it has errors) and all problems."""
    report = _Report(display or str(path), [])
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            report.error(0, f"cannot read the file: {exc.strerror}")
            return None, report.problems
        if size > MAX_BYTES:
            report.error(0, f"the file is {size / 2**20:.1f} MB; styrdok refuses policy files over {MAX_BYTES // 2**20} MB",
                         "split the document, or move appendices (bilagor) to files of their own")
            return None, report.problems
        data = path.read_bytes()
    elif len(data) > MAX_BYTES:
        report.error(0, f"the file is {len(data) / 2**20:.1f} MB; styrdok refuses policy files over {MAX_BYTES // 2**20} MB",
                     "split the document, or move appendices (bilagor) to files of their own")
        return None, report.problems
    policy = _parse(path.stem, data, report)
    ok = not any(p.severity is Severity.ERROR for p in report.problems)
    return (policy if ok else None), report.problems


def load(path: Path, *, display: str | None = None, data: bytes | None = None) -> Policy:
    policy, problems = check_file(path, display=display, data=data)
    if policy is None:
        raise InvalidPolicy(problems)
    return policy


def _parse(stem: str, data: bytes, report: _Report) -> Policy | None:
    if (split := _split(data, report)) is None:
        return None
    text, lines, end = split
    meta = _metadata(stem, "\n".join(lines[1:end]), report)
    sections = _sections("\n".join(lines[end + 1:]), end + 1, lines, report)
    if meta is None or sections is None:
        return None
    return Policy(meta=meta, sections=sections, path=report.path, source=text)


def _split(data: bytes, report: _Report) -> tuple[str, list[str], int] | None:
    """(text, its lines, index of the closing '---' line), or None after reporting why not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(line, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                     "save the file as UTF-8 (in Word: Spara som > Oformaterad text > Unicode (UTF-8))")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        report.error(1, "the file is empty", "start with front matter between two '---' lines, then the text")
        return None
    lines = text.split("\n")
    if lines[0].strip() != "---":
        report.error(1, "the file has no front matter",
                     "start the file with a '---' line, the decision metadata in YAML, and a closing '---' line")
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        report.error(1, "the front matter is not closed", "add a line with '---' after the metadata")
        return None
    return text, lines, end


def check_metadata(path: Path, data: bytes, *, display: str | None = None) -> tuple[Metadata | None, list[Problem]]:
    """Validate only the front matter of `data` (no pandoc): quick enough for every revision in git."""
    report = _Report(display or str(path), [])
    split = _split(data, report)
    meta = _metadata(path.stem, "\n".join(split[1][1:split[2]]), report) if split else None
    return meta, report.problems


# --- front matter ---------------------------------------------------------------------------

def _metadata(stem: str, yaml_text: str, report: _Report) -> Metadata | None:
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        report.error(line, f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                     "check indentation and quote values containing ':' or '#'")
        return None
    if root is None or not isinstance(root, yaml.MappingNode):
        report.error(2, "the front matter must be a mapping of keys (title:, status:, decisions: …)",
                     "see the format in README.md")
        return None
    lines: dict[tuple, int] = {}
    _index_lines(root, (), lines, report)
    raw = yaml.load(yaml_text, Loader=_Loader)

    def line_of(path: tuple) -> int:
        while path not in lines and path:
            path = path[:-1]
        return lines.get(path, 0) + 2

    errors_before = _error_count(report)
    for err in sorted(jsonschema.Draft202012Validator(schema()).iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            known = set(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - known, key=str):
                report.warn(line_of(path + (key,)), f"unknown key '{_where(path + (key,))}' is ignored",
                            f"known keys here: {', '.join(sorted(known))}")
        elif err.validator == "required":
            missing = err.message.split("'")[1]
            report.error(line_of(path), f"required key '{_where(path + (missing,))}' is missing", _HINTS.get(missing, ""))
        else:
            report.error(line_of(path), f"'{_where(path)}': {_describe(err)}", _HINTS.get(str(path[-1]) if path else "", ""))
    if _error_count(report) > errors_before:
        return None

    if raw.get("id", stem) != stem:
        report.error(line_of(("id",)), f"id '{raw['id']}' differs from the file name '{stem}.md'",
                     f"rename the file to {raw['id']}.md or set id: {stem}")
    if not SLUG.match(stem):
        report.error(1, f"the file name '{stem}' is not a safe id (lower-case a–z, 0–9 and single hyphens)",
                     "rename the file, e.g. social-ekonomi.md")
    elif len(stem) > MAX_ID:  # the id names folders and files (<id>.docx, temp files): keep far from 255 bytes
        report.error(1, f"the file name '{stem[:40]}…' is {len(stem)} characters long",
                     f"rename the file to a short id, at most {MAX_ID} characters, e.g. social-ekonomi.md")
    decisions = tuple(d for i, item in enumerate(raw["decisions"]) if (d := _decision(item, ("decisions", i), line_of, report)))
    previous: Decision | None = None
    for i, decision in enumerate(decisions):
        if decision.pending and i != len(decisions) - 1:
            report.error(line_of(("decisions", i)), "only the last decision may be pending",
                         "fill in date and paragraph of the earlier decision, or remove it")
        if previous and previous.date and decision.date and decision.date < previous.date:
            report.error(line_of(("decisions", i, "date")), f"decision date {decision.date} is before the previous decision ({previous.date})",
                         "decisions are listed oldest first")
        previous = decision
    status = Status(raw["status"])
    if status is Status.ADOPTED and decisions and decisions[-1].pending:
        report.error(line_of(("status",)), "status is adopted but the last decision is pending",
                     "record the KS decision with `styrdok adopt`, or set status: draft")
    consultation = None
    if c := raw.get("consultation"):
        consultation = Consultation(bodies=tuple(c.get("bodies", ())),
                                    deadline=_date(c.get("deadline"), ("consultation", "deadline"), line_of, report),
                                    dnr=c.get("dnr"))
        _check_bodies(consultation.bodies, line_of(("consultation", "bodies")), report)
    valid_from = _date(raw.get("valid_from"), ("valid_from",), line_of, report)
    done = [d for d in decisions if d.date]
    if valid_from and done and valid_from < done[-1].date:  # type: ignore[operator]
        report.error(line_of(("valid_from",)), f"valid_from {valid_from} is before the last decision ({done[-1].date})",
                     "valid_from is when the last decision takes effect: correct it, or remove it "
                     "(the document then applies from the decision date)")
    contact = raw.get("contact")
    if _error_count(report) > errors_before:
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


_HINTS = {
    "title": "add title: with the document's name",
    "type": "add type: policy (or riktlinje, plan, program …)",
    "owner": "add owner: kommunstyrelsen (the deciding body)",
    "status": "add status: draft, consultation or adopted",
    "decisions": "list the decisions, oldest first: - action: fastställd, body: kommunstyrelsen, date: YYYY-MM-DD, paragraph: N",
    "paragraph": "the § number in the minutes is a positive whole number, e.g. paragraph: 129",
    "date": "write the date as YYYY-MM-DD, e.g. 2018-03-06",
    "deadline": "write the date as YYYY-MM-DD, e.g. 2027-02-15",
    "id": "use lower-case a–z, 0–9 and single hyphens, e.g. social-ekonomi",
    "action": "use fastställd, reviderad or upphävd",
    "review": "use review: mandate-period, review: none, or a number of years, e.g. review: 2",
    "valid_from": "write the date as YYYY-MM-DD, e.g. 2027-01-01",
    "contact": "write contact: with name:, email: and/or phone:, e.g. email: kommunstyrelsen@timra.se",
    "email": "write an e-mail address, e.g. anna.andersson@timra.se",
    "phone": "write a phone number, e.g. 060-16 30 00",
}


def _where(path: tuple) -> str:
    return ".".join(f"[{p + 1}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _describe(err: jsonschema.ValidationError) -> str:
    value = json.dumps(err.instance, ensure_ascii=False, default=str)
    match err.validator:
        case "enum":
            return f"{value} is not one of {', '.join(map(str, err.validator_value))}"
        case "type":
            return f"{value} is not {_TYPE_NAMES.get(err.validator_value, err.validator_value)}"
        case "minimum":
            return f"{value} must be at least {err.validator_value}"
        case "pattern":
            return f"{value} has the wrong form"
        case "const":
            return f"{value} must be {json.dumps(err.validator_value)}"
        case "minItems":
            return "the list is empty"
        case "oneOf":
            return f"{value} is not a valid value here"
        case _:
            return err.message


_TYPE_NAMES = {"integer": "a whole number", "string": "text", "array": "a list", "object": "a mapping of keys",
               "boolean": "true or false"}


def _error_count(report: _Report) -> int:
    return sum(p.severity is Severity.ERROR for p in report.problems)


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int], report: _Report) -> None:
    lines[path] = node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value
            if name in seen:
                report.error(key.start_mark.line + 2, f"key '{name}' appears twice", "keep one of them")
            seen.add(name)
            lines[path + (name,)] = key.start_mark.line
            _index_lines(value, path + (name,), lines, report)
            lines[path + (name,)] = key.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines, report)


def _date(value: Any, path: tuple, line_of, report: _Report) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        report.error(line_of(path), f"'{_where(path)}': {value} is not a real date", _HINTS["date"])
        return None


def _decision(raw: dict, path: tuple, line_of, report: _Report) -> Decision | None:
    date = _date(raw.get("date"), path + ("date",), line_of, report)
    has = {k for k in ("date", "paragraph") if k in raw}
    if raw.get("pending"):
        if has:
            report.error(line_of(path), f"decision {path[1] + 1} is marked pending but has {' and '.join(sorted(has))}",
                         "a pending decision has no date or § yet: remove them, or remove pending: true")
            return None
    elif has != {"date", "paragraph"}:
        missing = {"date", "paragraph"} - has
        report.error(line_of(path), f"decision {path[1] + 1} lacks {' and '.join(sorted(missing))}",
                     "give both date and paragraph (§), or write pending: true for a decision not yet taken")
        return None
    elif "year" in raw:
        report.warn(line_of(path + ("year",)), "year is only used for pending decisions", "remove year:")
    if "date" in raw and date is None:
        return None
    return Decision(action=Action(raw["action"]), body=raw["body"], date=date, paragraph=raw.get("paragraph"),
                    dnr=raw.get("dnr"), year=raw.get("year"))


def _check_bodies(bodies: tuple[str, ...], line: int, report: _Report) -> None:
    seen: set[str] = set()
    for body in bodies:
        key = body.strip().casefold()
        if key in seen:
            report.error(line, f"remissinstans '{body}' is listed twice", "remove the duplicate")
        seen.add(key)


# --- body -----------------------------------------------------------------------------------

def _sections(body: str, offset: int, lines: list[str], report: _Report) -> tuple[Section, ...] | None:
    errors_before = _error_count(report)
    sections: list[Section] = []
    current = Section(id=PREAMBLE_ID, title="", level=0, line=offset + 1, blocks=())  # blocks added at the next heading
    blocks: list[Block] = []
    ids: dict[str, int] = {}
    anchors: list[tuple[str, int]] = []  # (target, line) of links within the document
    previous_level = 1
    for rel_line, ast in pandoc.read_markdown(body):
        line = rel_line + offset
        if ast["t"] == "Header":
            sections.append(replace(current, blocks=tuple(blocks)))
            blocks = []
            level, (ident, _, _), inlines = ast["c"]
            title = pandoc.stringify(inlines).strip()
            source_line = lines[line - 1] if 0 < line <= len(lines) else ""
            if level == 1:
                report.error(line, f"level-1 heading '{title}' in the text",
                             "the title comes from the front matter; start sections with ## (level 2)")
            elif level > previous_level + 1:
                report.error(line, f"heading '{title}' jumps from level {previous_level} to {level}",
                             f"use {'#' * (previous_level + 1)} so headings stay in order")
            if not title:
                report.error(line, "the heading has no text",
                             "write the heading's text after the #-signs, or remove the line")
            if explicit := EXPLICIT_ID.search(source_line):
                ident = explicit.group(1)
                if not SLUG.match(ident):
                    report.error(line, f"heading id '{ident}' is not a safe id",
                                 "use lower-case a–z, 0–9 and single hyphens, e.g. {#begreppsdefinitioner}")
                elif reserved_id(ident):
                    report.error(line, f"heading id '{ident}' is one the page itself uses",
                                 f"choose another id, e.g. {{#{ident}-avsnitt}}")
            else:
                ident = _suggest(title)
                if reserved_id(ident):  # an automatic id is renamed, never duplicated on the page
                    ident += "-avsnitt"
                report.warn(line, f"heading '{title}' has no id; '{ident}' is used",
                            f"add {{#{ident}}} at the end of the heading line, so links and redlines stay stable")
            if len(ident) > MAX_ID:
                report.error(line, f"heading id '{ident[:40]}…' is {len(ident)} characters long",
                             f"use a short id, at most {MAX_ID} characters")
            if ident in ids or ident == PREAMBLE_ID:
                report.error(line, f"heading id '{ident}' is used twice (first on line {ids.get(ident, offset)})",
                             "give each heading its own id")
            ids.setdefault(ident, line)
            ast["c"][1][0] = ident
            _check_attributes(ast, line, lines, report, ids, heading=True)
            _check_block(ast, line, lines, report)
            anchors += _anchors(ast, line)
            previous_level = level
            current = Section(id=ident, title=title, level=level, line=line, blocks=(), heading_ast=ast)
            continue
        _check_block(ast, line, lines, report)
        _check_attributes(ast, line, lines, report, ids)
        anchors += _anchors(ast, line)
        blocks.append(Block(kind=ast["t"], text=pandoc.stringify(ast).strip(), line=line, ast=ast))
    sections.append(replace(current, blocks=tuple(blocks)))
    for target, line in anchors:
        if target not in ids:
            report.error(_line_with(f"#{target}", line, lines), f"link to '#{target}', but no heading has that id",
                         f"link to one of the ids in the text ({', '.join(sorted(ids)[:8]) or 'none yet'}), or add {{#{target}}} to the heading")
    if sections and sections[0].id == PREAMBLE_ID and not sections[0].blocks:
        sections.pop(0)
    if _error_count(report) > errors_before:
        return None
    return tuple(sections)


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


def _line_with(needle: str, start: int, lines: list[str]) -> int:
    return next((i + 1 for i in range(max(start - 1, 0), len(lines)) if needle in lines[i]), start)


def _check_block(ast: pandoc.Ast, line: int, lines: list[str], report: _Report) -> None:
    for match in HTML_TAG.finditer(pandoc.stringify(ast)):
        report.error(_line_with(match.group(0), line, lines), f"raw HTML {match.group(0)!r} in the text",
                     "write plain Markdown; styrdok never passes HTML through to the documents or the website")
    for kind, target in pandoc.links(ast):
        if kind == "Image":
            report.error(_line_with(target, line, lines), f"image {target!r} in the text",
                         "images are not supported in policy text yet (the accessible PDF needs alt text); link to the file instead")
        elif not SAFE_URL.match(target) or "\\" in target or UNSAFE_URL_CHAR.search(target):
            # Browsers read "\\host" as "//host" (another site) and drop tabs and newlines inside a URL.
            report.error(_line_with(target, line, lines), f"{kind.lower()} target {target!r} is not allowed",
                         "use an https:, mailto: or relative link, with '/' (never '\\') and no spaces")


def _anchors(ast: pandoc.Ast, line: int) -> list[tuple[str, int]]:
    return [(target[1:], line) for kind, target in pandoc.links(ast) if kind == "Link" and target.startswith("#")]


def _check_attributes(ast: pandoc.Ast, line: int, lines: list[str], report: _Report, ids: dict[str, int],
                      *, heading: bool = False) -> None:
    """Only id, a known class and lang: any other attribute ({onclick=…}, style=, formaction= …)
    would reach the website's HTML as live markup."""
    allowed = ", ".join(sorted(KNOWN_CLASSES))
    for number, (kind, (ident, classes, pairs)) in enumerate(pandoc.attributes(ast)):
        what = _KINDS.get(kind, f"a {kind.lower() or 'text'}")
        for key, value in pairs:
            if key == "lang" and pandoc.LANG.match(value) or (key, value) == ("wrapper", "1"):
                continue  # wrapper=1: pandoc's own mark on a bare {…}; never written to a page
            report.error(_line_with(f"{key}=", line, lines), f"attribute '{key}' on {what} is not allowed",
                         f"remove {key}={value[:30]}; allowed are an id, lang=sv|en|… and the classes {allowed}")
        for name in classes:
            if name in KNOWN_CLASSES or kind in ("Code", "CodeBlock") and name in pandoc.highlight_languages():
                continue
            report.error(_line_with(f".{name}", line, lines), f"class '{name}' on {what} is not allowed",
                         f"remove .{name}; allowed are the classes {allowed}")
        if ident and not (heading and number == 0):
            where = _line_with(f"#{ident}", line, lines)
            if not SLUG.match(ident) or len(ident) > MAX_ID:
                report.error(where, f"id '{ident[:40]}' is not a safe id",
                             "use lower-case a–z, 0–9 and single hyphens, at most 64 characters")
            elif reserved_id(ident) or ident in ids:
                report.error(where, f"id '{ident}' is already used ({'by the page itself' if reserved_id(ident) else f'line {ids[ident]}'})",
                             "give it an id of its own")
            else:
                ids[ident] = where


_KINDS = {"Span": "a span", "Div": "a div (:::)", "Link": "a link", "Code": "a code span", "CodeBlock": "a code block",
          "Header": "a heading", "Table": "a table", "Figure": "a figure", "Image": "an image"}


def placeholders(policy: Policy) -> list[Problem]:
    """Placeholders such as '2018-XX-XX, § XX' in the text or pending decisions: never in a final document."""
    found = [Problem(policy.path, 0, f"decision '{d.line()}' is pending",
                     "record the decision with `styrdok adopt ID --date YYYY-MM-DD --paragraph N`")
             for d in policy.meta.pending_decisions]
    for section in policy.sections:
        for block in section.blocks:
            if m := PLACEHOLDER.search(block.text):
                found.append(Problem(policy.path, block.line, f"placeholder '{m.group(0)}' in the text",
                                     "replace it with the real date and § before a final build"))
    return found
