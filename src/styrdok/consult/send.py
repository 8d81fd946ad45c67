"""Sending a policy on consultation: the remiss package, then its move to status consultation.

Everything is gathered and validated first (policy, deadline, bodies), every file is rendered in
memory, and only then are the files written and, last, the policy's front matter updated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from ruamel.yaml.comments import CommentedMap

from .. import clock, frontmatter, source, yamlread
from ..history import History
from ..errors import InvalidPolicy, Problem, StyrdokError
from ..i18n import _
from ..model import Policy, Status
from ..output import OutputDir, atomic_write
from ..render.document import decision_line
from ..workspace import Workspace
from .numbering import RefNumber
from .package import Remiss, remiss_of, render_package

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YAML_STR = "tag:yaml.org,2002:str"
YAML_NULL = "tag:yaml.org,2002:null"
BODIES_EXAMPLE = "- Socialnämnden\n      - Arbetsförmedlingen"


@dataclass(frozen=True)
class ConsultResult:
    policy_id: str
    policy_path: Path
    files: tuple[Path, ...]  # the package, as written
    deadline: dt.date
    bodies: tuple[str, ...]
    dnr: str | None
    numbers: tuple[RefNumber, ...]
    source_changed: bool  # False if the front matter already recorded this consultation


def consult(workspace: Workspace, policy_id: str, deadline: dt.date | str, *, bodies: Path | None = None,
            dnr: str | None = None, out: Path | None = None, today: dt.date | str | None = None) -> ConsultResult:
    """Write the remiss package of a policy to `out` (default build/<id>/remiss/) and record the
    consultation (status, deadline, dnr, bodies) in its front matter.

    `bodies` is a YAML file with a list of remissinstanser; without it the front matter's
    `consultation: bodies:` are used. `today` defaults to `clock.today()` (STYRDOK_TODAY, the
    SOURCE_DATE_EPOCH date, the system date).
    """
    path = workspace.policy_path(policy_id)
    data = workspace.read(path)
    policy = source.load(path, display=workspace.display(path), data=data)
    refuse_adopted(policy)
    problems: list[Problem] = []
    due = parse_date(deadline, "--deadline", problems)
    given_today = parse_date(today, "--today", problems) if today is not None else None
    names = read_bodies(bodies, workspace.display(bodies), problems) if bodies else policy_bodies(policy, problems)
    issued, stamp = issue_date(given_today)
    if due:
        problems += deadline_problems(policy, due, issued)
    if problems or due is None:
        raise InvalidPolicy(problems)
    recorded = policy.meta.consultation
    folder = OutputDir(out or workspace.root / "build" / policy.id / "remiss")  # refuses policy/ … before rendering
    in_force, label = version_in_force(workspace, policy.id)
    remiss = remiss_of(policy, workspace.templates, deadline=due, bodies=names,
                       dnr=dnr or (recorded.dnr if recorded else None), issued=issued, stamp=stamp,
                       in_force=in_force, in_force_label=label)
    files = render_package(remiss, workspace.templates)
    updated = _encoded_like(data, record(policy.source, remiss))
    source.load(path, display=workspace.display(path), data=updated)  # never write a policy styrdok rejects
    written = folder.write_all(files)
    changed = _replace_source(path, data, updated)
    return ConsultResult(policy.id, path, tuple(written), due, names, remiss.dnr, remiss.numbers, changed)


def version_in_force(workspace: Workspace, policy_id: str) -> tuple[Policy | None, str | None]:
    """The last adopted version in git and how the redline names it; (None, None) outside git or
    before a first adoption (a new policy has no version in force to compare with)."""
    try:
        history = History(workspace)
        adopted = history.adopted_versions(policy_id)
    except StyrdokError:
        return None, None
    if not adopted:
        return None, None
    decision = adopted[-1].decision
    labels = workspace.templates.labels
    label = labels("remiss.in_force_decided", version=labels("remiss.in_force"), decision=decision_line(decision, labels)) \
        if decision else labels("remiss.in_force")
    return history.load(policy_id, adopted[-1].revision.sha), label


def record(text: str, remiss: Remiss) -> str:
    """The policy file with status consultation and the consultation's deadline, dnr and bodies."""
    meta = remiss.policy.meta
    last = meta.last_decision
    opened = meta.consultation.opened if meta.consultation else None
    if opened is None or (last and last.date and opened <= last.date):  # none yet, or an earlier revision's
        opened = remiss.issued

    def change(data: CommentedMap) -> None:
        data["status"] = Status.CONSULTATION.spelled_like(data.get("status"))
        if data.get("consultation") is None:
            data["consultation"] = CommentedMap()
        section = data["consultation"]
        if list(section.get("bodies") or ()) != list(remiss.bodies):
            section["bodies"] = list(remiss.bodies)
        section["deadline"] = remiss.deadline
        if str(section.get("opened", "")) != opened.isoformat():
            section["opened"] = opened
        if remiss.dnr:
            section["dnr"] = remiss.dnr

    return frontmatter.edit(text, change)


# --- validation ------------------------------------------------------------------------------

def refuse_adopted(policy: Policy) -> None:
    if policy.meta.status is Status.ADOPTED and not policy.meta.pending_decisions:
        raise StyrdokError(problems=[Problem(str(policy.path), 0, _(
            "'{id}' is adopted and has no pending revision, so there is no proposal to send on consultation").format(
                id=policy.id), _("run `styrdok revise {id}` first, edit the text, then consult").format(id=policy.id))])


def parse_date(value: dt.date | str, option: str, problems: list[Problem]) -> dt.date | None:
    try:
        return clock.parse_date(value)
    except clock.BadDate as exc:
        problems.append(Problem(option, 0, str(exc), _("e.g. 2027-02-15")))
        return None


def deadline_problems(policy: Policy, deadline: dt.date, today: dt.date) -> list[Problem]:
    found = []
    if deadline <= today:
        found.append(Problem("--deadline", 0, _("the deadline {deadline} is not after today ({today})").format(
                                 deadline=deadline, today=today),
                             _("give a later date; consultations usually run 6–8 weeks, e.g. --deadline {example}")
                             .format(example=today + dt.timedelta(weeks=8))))
    last = policy.meta.last_decision
    if last and last.date and deadline <= last.date:
        found.append(Problem("--deadline", 0, _("the deadline {deadline} is not after the policy's last decision "
                                                "({decision})").format(deadline=deadline, decision=last.line()),
                             _("give a date after that decision")))
    return found


def issue_date(today: dt.date | None) -> tuple[dt.date, dt.datetime]:
    """The package's date (`today`, else `clock.today()`) and its files' timestamp (SOURCE_DATE_EPOCH if set,
    so a package is reproducible, else midnight of that date)."""
    day = clock.today(today)
    return day, clock.epoch() or clock.midnight(day)


def policy_bodies(policy: Policy, problems: list[Problem]) -> tuple[str, ...]:
    """The front matter's bodies (the source has checked them for duplicates and type)."""
    bodies = policy.meta.consultation.bodies if policy.meta.consultation else ()
    if not bodies:
        line = next((i for i, text in enumerate(policy.source.split("\n"), 1)
                     if text.strip().startswith("bodies:")), 0)
        problems.append(Problem(policy.path, line, _("no remissinstanser: the list of consultation bodies is empty"),
                                _("add them to the front matter (consultation:\n      bodies:\n      {example}), "
                                  "or give --bodies FILE with a YAML list").format(example=BODIES_EXAMPLE)))
    return tuple(bodies)


def read_bodies(path: Path, display: str, problems: list[Problem]) -> tuple[str, ...]:
    """A YAML file's list of remissinstanser; every problem is added with its line."""
    def problem(line: int, message: str, hint: str) -> tuple[str, ...]:
        problems.append(Problem(display, line, message, hint))
        return ()

    try:
        root = yamlread.compose(path.read_text("utf-8"))
    except OSError as exc:
        return problem(0, _("cannot read the file: {reason}").format(reason=exc.strerror),
                       _("check the path given with --bodies"))
    except UnicodeDecodeError:
        return problem(0, _("the file is not UTF-8"), _("save it as UTF-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return problem(mark.line + 1 if mark else 0,
                       _("not valid YAML: {problem}").format(problem=source.yaml_problem(str(getattr(exc, "problem", exc)))),
                       _("write one body per line, each starting with '- '"))
    if not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root else 1
        return problem(line, _("the file must be a YAML list of remissinstanser"),
                       _("write one body per line:\n      {example}").format(example=BODIES_EXAMPLE))
    if not root.value:
        return problem(root.start_mark.line + 1, _("the list of remissinstanser is empty"), _("add at least one body"))
    names: list[str] = []
    first_line: dict[str, int] = {}
    for number, node in enumerate(root.value, 1):
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode) and node.tag == YAML_NULL:
            problem(line, _("item {n} is empty").format(n=number), _("write the body's name after '- ', or remove the line"))
        elif not (isinstance(node, yaml.ScalarNode) and node.tag == YAML_STR):
            problem(line, _("item {n} is not text").format(n=number),
                    _("write the name as text; quote it if it looks like a number or yes/no, e.g. - \"1000 Föreningar\""))
        elif len(name := " ".join(node.value.split())) < 2:
            problem(line, _("item {n} ('{name}') is too short for a name").format(n=number, name=name),
                    _("write the body's full name"))
        elif (key := name.casefold()) in first_line:
            problem(line, _("remissinstans '{name}' is listed twice (first on line {line})").format(
                        name=name, line=first_line[key]), _("remove one of them"))
        else:
            first_line[key] = line
            names.append(name)
    return tuple(names)


# --- writing the policy ----------------------------------------------------------------------

def _encoded_like(original: bytes, text: str) -> bytes:
    """`text` with the original file's BOM and line endings, so only the changed lines differ."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")


def _replace_source(path: Path, before: bytes, after: bytes) -> bool:
    if after == before:
        return False
    if path.read_bytes() != before:
        raise StyrdokError.because(_("{path} changed while the package was built").format(path=path),
                                   _("its status was not changed"), _("run styrdok consult again"))
    atomic_write(path, after)
    return True
