"""The revision lifecycle: start a revision, record its adoption in git, and what is due.

A policy moves draft → consultation → adopted. `revise` opens a new revision of an adopted
policy with a pending decision; `adopt` fills in that decision from the minutes (protokoll),
commits the policy file and tags the adoption; `status` tells, per policy, whether the review
every mandate period is done, due or overdue. Every check runs before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
import re
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from . import frontmatter, source
from .errors import InvalidPolicy, Problem, RefusedError, StyrdokError
from .history import History, Revision
from .mandate import MandatePeriod, review_window
from .model import Action, Decision, Metadata, Policy, Review, Status
from .output import atomic_write
from .workspace import Workspace

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Reason:
    """Why a command refused, and how to fix it."""

    why: str
    fix: str


def refused(what: str, reasons: list[Reason]) -> RefusedError:
    """One error naming what was refused, then each reason with its fix."""
    if len(reasons) == 1:
        return RefusedError(f"{what}: {reasons[0].why}\n    fix: {reasons[0].fix}")
    return RefusedError(f"{what}:\n" + "\n".join(f"  - {r.why}\n    fix: {r.fix}" for r in reasons))


# --- revise ---------------------------------------------------------------------------------

def revise(workspace: Workspace, policy_id: str, *, today: dt.date | None = None, body: str | None = None) -> Policy:
    """Start a new revision of an adopted policy: status draft and a pending decision (reviderad).

    The pending decision is for `body` (default: the policy's owner) and this year; its date
    and § stay open until `adopt`. Only the policy file changes; nothing is committed.
    """
    what = f"cannot start a revision of {policy_id}"
    path = workspace.policy_path(policy_id)
    policy = _load_valid(workspace, path, what)
    meta = policy.meta
    if reasons := _revise_refusals(meta):
        raise refused(what, reasons)
    year = (today or dt.date.today()).year
    pending = CommentedMap([("action", Action.REVISED.value), ("body", body or meta.owner),
                            ("pending", True), ("year", year)])

    def change(data: CommentedMap) -> None:
        data["status"] = Status.DRAFT.value
        data["decisions"].append(pending)

    return _rewrite(workspace, path, change, what)


def _revise_refusals(meta: Metadata) -> list[Reason]:
    if pending := meta.pending_decisions:
        return [Reason(f"a revision is already in progress (pending: {pending[-1].line()})",
                       f"edit the draft, then record the decision with `styrdok adopt {meta.id} --date YYYY-MM-DD --paragraph N`")]
    if meta.status is not Status.ADOPTED:
        return [Reason(f"its status is {meta.status.value}, not adopted: a revision is already in progress",
                       "work on the current draft; a new revision starts from an adopted policy")]
    last = meta.last_decision
    if last and last.action is Action.REPEALED:
        return [Reason(f"it has been repealed ({last.line()})",
                       "a repealed (upphävd) policy is not revised; write a new policy instead")]
    return []


# --- adopt ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Adoption:
    """A recorded adoption: the policy as committed, its decision, the commit and the tag."""

    policy: Policy
    decision: Decision
    revision: Revision
    tag: str


def tag_name(policy_id: str, date: dt.date) -> str:
    return f"{policy_id}/{date.isoformat()}"


def commit_message(policy_id: str, decision: Decision) -> str:
    """E.g. 'social-ekonomi: reviderad av kommunstyrelsen 2018-03-06, § 64'."""
    line = decision.line()
    return f"{policy_id}: {line[:1].lower()}{line[1:]}"


def adopt(workspace: Workspace, policy_id: str, *, date: dt.date | str, paragraph: int | str,
          dnr: str | None = None, body: str | None = None, today: dt.date | None = None) -> Adoption:
    """Record the decision that adopts the pending revision, from the minutes (protokoll).

    Fills in date, § (and dnr, body) of the pending decision, sets status adopted, commits the
    policy file alone and creates the annotated tag `<id>/<date>`. Refuses, changing nothing
    (file, index, commits, tags), when any check fails; every failed check is reported.
    """
    what = f"cannot adopt {policy_id}"
    path = workspace.policy_path(policy_id)
    policy = _load_valid(workspace, path, what)
    history = History(workspace)
    decision = _decision(policy, history, date=date, paragraph=paragraph, dnr=dnr, body=body,
                         today=today or dt.date.today(), what=what)
    assert decision.date
    tag = tag_name(policy_id, decision.date)
    old = path.read_bytes()
    adopted = _rewrite(workspace, path, _fill_in(decision), what, final=True)
    try:
        revision = history.commit_file(policy_id, commit_message(policy_id, decision))
    except StyrdokError:
        atomic_write(path, old)
        raise
    try:
        history.tag(tag, revision, f"{policy.meta.title}\n\n{decision.line()}")
    except StyrdokError as exc:
        raise StyrdokError(f"the adoption is committed ({revision.short}) but not tagged: {exc}\n"
                           f"    fix: git tag -a {tag} {revision.short} -m '{decision.line()}'") from None
    return Adoption(adopted, decision, revision, tag)


def _decision(policy: Policy, history: History, *, date: dt.date | str, paragraph: int | str, dnr: str | None,
              body: str | None, today: dt.date, what: str) -> Decision:
    """The pending decision completed from the arguments, or RefusedError with every reason not to."""
    last = policy.meta.decisions[-1]
    if not last.pending:
        raise refused(what, [Reason(f"it has no pending decision (status {policy.meta.status.value}; "
                                    f"last decision: {last.line()})",
                                    f"start a revision with `styrdok revise {policy.id}`, edit and commit it, "
                                    "then adopt it once KS has decided")])
    reasons: list[Reason] = []
    day = _parse_date(date, reasons)
    number = _parse_paragraph(paragraph, reasons)
    if day:
        reasons += _date_refusals(policy.meta, day, today)
        if history.has_tag(tag := tag_name(policy.id, day)):
            reasons.append(Reason(f"the tag {tag} already exists: an adoption on that date is already recorded "
                                  "(styrdok never moves or replaces a tag)",
                                  f"check `styrdok log {policy.id}` and `git show {tag}`; "
                                  "if the date is wrong, give the right one"))
    reasons += _git_refusals(history, policy.id)
    if reasons or day is None or number is None:
        raise refused(what, reasons)
    return Decision(last.action, body or last.body, day, number, dnr or last.dnr)


def _fill_in(decision: Decision) -> Callable[[CommentedMap], None]:
    """The front-matter change: status adopted, the last (pending) decision completed in key order."""
    def change(data: CommentedMap) -> None:
        data["status"] = Status.ADOPTED.value
        entry = data["decisions"][-1]
        for key in ("pending", "year", "date", "paragraph", "dnr"):
            entry.pop(key, None)
        entry["body"] = decision.body
        entry["date"] = decision.date
        entry["paragraph"] = decision.paragraph
        if decision.dnr:
            entry["dnr"] = decision.dnr
    return change


def _parse_date(value: dt.date | str, reasons: list[Reason]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        if ISO_DATE.match(value.strip()):
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    reasons.append(Reason(f"the date '{value}' is not a real date written YYYY-MM-DD",
                          "give the date of the meeting from the minutes (protokoll), e.g. --date 2018-03-06"))
    return None


def _parse_paragraph(value: int | str, reasons: list[Reason]) -> int | None:
    text = str(value).strip()
    if not isinstance(value, bool) and text.isascii() and text.isdigit() and int(text) > 0:
        return int(text)
    reasons.append(Reason(f"§ '{value}' is not a positive whole number",
                          "give the number of the paragraph (§) in the minutes, e.g. --paragraph 64"))
    return None


def _date_refusals(meta: Metadata, day: dt.date, today: dt.date) -> list[Reason]:
    reasons = []
    if (last := meta.last_decision) and last.date and day < last.date:
        reasons.append(Reason(f"the date {day} is before the previous decision ({last.line()})",
                              "decisions are recorded in order; check the date in the minutes (protokoll)"))
    if day > today:
        reasons.append(Reason(f"the date {day} is in the future (today is {today}): only a decision "
                              "that has been taken can be recorded",
                              "adopt after the meeting, or correct the date (see the minutes, protokoll)"))
    return reasons


def _git_refusals(history: History, policy_id: str) -> list[Reason]:
    relpath = history.relpath(policy_id)
    reasons = []
    if not history.is_committed(policy_id):
        reasons.append(Reason(f"{relpath} is not committed: the adopted version must follow its draft in git",
                              f"commit the draft first: git add {relpath} && git commit"))
    if others := [p for p in history.staged() if p != relpath]:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        reasons.append(Reason(f"other changes are staged for commit ({shown}); the adoption commit "
                              "must hold the policy file alone",
                              "commit them first, or unstage them with `git restore --staged <file>`"))
    return reasons


# --- editing the file -----------------------------------------------------------------------

def _load_valid(workspace: Workspace, path: Path, what: str) -> Policy:
    try:
        return source.load(path, display=workspace.display(path))
    except InvalidPolicy as exc:
        raise _invalid(what, path.stem, exc.problems) from None


def _invalid(what: str, policy_id: str, problems: list[Problem]) -> RefusedError:
    listing = "\n".join(f"      {line}" for p in problems for line in str(p).split("\n"))
    return refused(what, [Reason(f"the policy file has errors:\n{listing}",
                                 f"correct them (see `styrdok check {policy_id}`) and run the command again")])


def _rewrite(workspace: Workspace, path: Path, change: Callable[[CommentedMap], None], what: str,
             *, final: bool = False) -> Policy:
    """Edit the front matter, validate the whole new file, then write it atomically.

    With `final`, the result must also be free of pending decisions and placeholders.
    """
    data = path.read_bytes()
    text = data.decode("utf-8")
    bom, text = ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)
    crlf = "\r\n" in text
    new = bom + frontmatter.edit(text.replace("\r\n", "\n"), change)
    new_data = (new.replace("\n", "\r\n") if crlf else new).encode("utf-8")
    policy, problems = source.check_file(path, display=workspace.display(path), data=new_data)
    if policy is None:
        raise _invalid(what, path.stem, problems)
    if final and (left := source.placeholders(policy)):
        raise _invalid(what, path.stem, left)
    atomic_write(path, new_data)
    return policy


# --- status ---------------------------------------------------------------------------------

class Due(str, Enum):
    """Where a policy stands against its review every mandate period (see README, Lifecycle)."""

    DONE = "done"  # a decision dated in the current mandate period
    DUE = "due"  # none yet this period: the last is from the previous period, or it was never adopted
    OVERDUE = "overdue"  # the last decision predates the previous period: a whole period was missed
    NOT_REVIEWED = "not reviewed"  # review: none
    REPEALED = "repealed"  # the last decision is upphävd


def last_decision(meta: Metadata, today: dt.date) -> Decision | None:
    """The newest decision taken by `today` (a later-dated one has not happened yet on that day)."""
    return next((d for d in reversed(meta.decisions) if d.date and d.date <= today), None)


def due(meta: Metadata, today: dt.date) -> Due:
    last = last_decision(meta, today)
    if last and last.action is Action.REPEALED:
        return Due.REPEALED
    if meta.review is Review.NONE:
        return Due.NOT_REVIEWED
    if last is None or last.date is None:
        return Due.DUE
    window = review_window(last.date, meta.review_years)
    return Due.DONE if today < window.due_from else Due.DUE if today <= window.deadline else Due.OVERDUE


def review_by(meta: Metadata, today: dt.date | None = None) -> dt.date | None:
    """Ska revideras senast: the deadline after the last decision (taken by `today`, if given);
    None if the document is not reviewed, repealed or never decided."""
    last = last_decision(meta, today) if today else meta.last_decision
    if last is None or last.date is None or last.action is Action.REPEALED or meta.review is Review.NONE:
        return None
    return review_window(last.date, meta.review_years).deadline


@dataclass(frozen=True)
class StatusRow:
    """One policy in the status table; `meta` is None (and `problems` say why) if it is invalid."""

    id: str
    meta: Metadata | None
    last: Decision | None = None
    due: Due | None = None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Overview:
    today: dt.date
    period: MandatePeriod
    rows: tuple[StatusRow, ...]


def status(workspace: Workspace, today: dt.date | None = None) -> Overview:
    """Every policy's type, status, last decision and review state in the current mandate period."""
    today = today or dt.date.today()
    try:
        period = MandatePeriod.containing(today)
    except ValueError as exc:
        raise StyrdokError(f"no mandate period for {today}: {exc}") from None
    rows = []
    for path in workspace.paths():
        meta, problems = source.check_metadata(path, path.read_bytes(), display=workspace.display(path))
        if meta is None:
            rows.append(StatusRow(path.stem, None, problems=tuple(problems)))
        else:
            rows.append(StatusRow(path.stem, meta, last_decision(meta, today), due(meta, today), tuple(problems)))
    return Overview(today, period, tuple(rows))
