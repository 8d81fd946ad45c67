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
from pathlib import Path
from typing import TYPE_CHECKING

from . import clock, source
from .errors import InvalidPolicy, Problem, Severity, StyrdokError
from .i18n import _, ngettext
from .history import History, Revision
from .mandate import MandatePeriod, last_decision, review_by, review_window
from .model import Action, Consultation, Decision, Metadata, Policy, Review, Status, status_word
from .output import atomic_write
from .workspace import Workspace

if TYPE_CHECKING:  # the front-matter editor (ruamel) loads when a file is rewritten: a build asks only what is due
    from ruamel.yaml.comments import CommentedMap

# --- revise ---------------------------------------------------------------------------------

def revise(workspace: Workspace, policy_id: str, *, today: dt.date | None = None, body: str | None = None,
           year: int | None = None) -> Policy:
    """Start a new revision of an adopted policy: status draft and a pending decision (reviderad).

    The pending decision is for `body` (default: the policy's owner); its date and § stay open
    until `adopt`. With `year` its placeholder shows that year (2027-XX-XX), without it none
    (ÅÅÅÅ-XX-XX): the year a decision will be taken is not known from the day a revision starts.
    Only the policy file changes (status in the form the file uses); nothing is committed.
    `today` is accepted for symmetry with the other commands; nothing here depends on it.
    """
    what = _("cannot start a revision of {id}").format(id=policy_id)
    path = workspace.policy_path(policy_id)
    policy = _load_valid(workspace, path, what)
    meta = policy.meta
    if reasons := _revise_refusals(meta):
        raise StyrdokError(what, reasons)
    if year is not None and not 1971 <= year <= 2200:
        raise StyrdokError(what, [Problem.reason(_("the year {year} is not a year a decision can be expected in").format(year=year),
                                    _("give the year of the meeting, e.g. --year 2027, or leave --year out"))])
    from ruamel.yaml.comments import CommentedMap

    pending = CommentedMap([("action", Action.REVISED.value), ("body", body or meta.owner), ("pending", True)])
    if year is not None:
        pending["year"] = year

    def change(data: CommentedMap) -> None:
        data["status"] = Status.DRAFT.spelled_like(data.get("status"))
        data["decisions"].append(pending)

    return _rewrite(workspace, path, change, what)


def _revise_refusals(meta: Metadata) -> list[Problem]:
    if pending := meta.pending_decisions:
        return [Problem.reason(_("a revision is already in progress (pending: {decision})").format(decision=pending[-1].line()),
                               _("edit the draft, then record the decision with `styrdok adopt {id} --date YYYY-MM-DD --paragraph N`")
                               .format(id=meta.id))]
    if meta.status is not Status.ADOPTED:
        return [Problem.reason(_("its status is {status}, not adopted: a revision is already in progress").format(
                                   status=meta.status.value),
                               _("work on the current draft; a new revision starts from an adopted policy"))]
    last = meta.last_decision
    if last and last.action is Action.REPEALED:
        return [Problem.reason(_("it has been repealed ({decision})").format(decision=last.line()),
                               _("a repealed (upphävd) policy is not revised; write a new policy instead"))]
    return []


# --- adopt ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Adoption:
    """A recorded adoption: the policy as committed, its decision, the commit and the tag, and
    what the secretary should know about it (`warnings`: e.g. decided before the remiss deadline).

    `recovered` says what was done first about an adoption that had been interrupted (killed
    between writing the file and committing, or between committing and tagging): finished or undone.
    """

    policy: Policy
    decision: Decision
    revision: Revision
    tag: str
    warnings: tuple[str, ...] = ()
    recovered: tuple[str, ...] = ()


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

    One adopt at a time per repository (a lock in .git/): a second one waits, then sees the
    first one's result. An adoption interrupted earlier (see `Adoption.recovered`) is finished
    when asked with the same decision, and undone when asked with another.
    """
    what = _("cannot adopt {id}").format(id=policy_id)
    path = workspace.policy_path(policy_id)
    history = History(workspace)
    with history.locked():
        notes = [note] if (note := history.clear_abandoned_index_lock()) else []
        ask = _Asked(date, paragraph, dnr, body, clock.today(today))
        interrupted = _interrupted(workspace, history, policy_id, path)
        if interrupted is not None:
            if ask.matches(interrupted.decision):
                return _finish(workspace, history, path, interrupted, ask, what, notes)
            if interrupted.revision is not None:
                raise StyrdokError(what, [_untagged_reason(policy_id, interrupted)])
            # written but never committed: check the adoption asked for against the committed file first
            committed = _load_valid(workspace, path, what, data=interrupted.before)
            _decision(committed, history, ask, what=what)
            atomic_write(path, interrupted.before)
            notes.append(f"undid an interrupted adoption ({interrupted.decision.line()}), never committed: "
                         f"{workspace.display(path)} is back as committed")
        policy = _load_valid(workspace, path, what)
        decision = _decision(policy, history, ask, what=what)
        return _record(workspace, history, path, policy, decision, what, notes)


@dataclass(frozen=True)
class _Asked:
    """The decision as given to adopt, before it is checked."""

    date: dt.date | str
    paragraph: int | str
    dnr: str | None
    body: str | None
    today: dt.date

    def matches(self, decision: Decision) -> bool:
        reasons: list[Problem] = []
        return (_parse_date(self.date, reasons) == decision.date and
                _parse_paragraph(self.paragraph, reasons) == decision.paragraph and
                self.dnr in (None, decision.dnr) and self.body in (None, decision.body))


@dataclass(frozen=True)
class _Interrupted:
    """An adoption a killed adopt left half done: the file written but not committed (`before`: the
    committed file), or committed (`revision`) but not tagged."""

    decision: Decision
    revision: Revision | None = None
    before: bytes = b""


def _interrupted(workspace: Workspace, history: History, policy_id: str, path: Path) -> _Interrupted | None:
    """The half-done adoption in the repository, if there is one — proven, not guessed: the file on
    disk is byte for byte what adopt writes from the committed file, or the newest commit of the
    file is adopt's commit and its tag is missing."""
    if not history.is_committed(policy_id):
        return None
    committed, now = history.read(policy_id, "HEAD"), workspace.read(path)
    if committed != now:
        meta = source.check_metadata(path, now)[0]
        before = source.check_metadata(path, committed)[0]
        if not (meta and before and meta.status is Status.ADOPTED and before.decisions
                and before.decisions[-1].pending and len(meta.decisions) == len(before.decisions)):
            return None
        decision = meta.decisions[-1]
        if decision.pending or not decision.date:
            return None
        try:
            expected = _rewritten(committed, _fill_in(decision))
        except Exception:  # the committed file cannot be edited: not adopt's half-done state
            return None
        return _Interrupted(decision, before=committed) if expected == now else None
    adopted = history.adopted_versions(policy_id)
    revisions = history.revisions(policy_id)
    if not adopted or not revisions or adopted[-1].revision != revisions[-1]:
        return None
    version = adopted[-1]
    recorded = version.decision
    assert recorded is not None and recorded.date is not None
    if version.revision.subject != commit_message(policy_id, recorded) or \
            history.has_tag(tag_name(policy_id, recorded.date)):
        return None
    return _Interrupted(recorded, revision=version.revision)


def _untagged_reason(policy_id: str, interrupted: _Interrupted) -> Problem:
    decision, revision = interrupted.decision, interrupted.revision
    assert revision is not None and decision.date is not None
    return Problem.reason(
        _("there is no pending decision: the last one ({decision}) is committed ({commit}) but its tag {tag} "
          "is missing (an interrupted adopt, or a clone without tags)").format(
            decision=decision.line(), commit=revision.short, tag=tag_name(policy_id, decision.date)),
        _("to finish that adoption, run `styrdok adopt {id} --date {date} --paragraph {paragraph}` (it creates "
          "the tag); to adopt a new revision, start it with `styrdok revise {id}`").format(
            id=policy_id, date=decision.date, paragraph=decision.paragraph))


def _finish(workspace: Workspace, history: History, path: Path, interrupted: _Interrupted, ask: _Asked,
            what: str, notes: list[str]) -> Adoption:
    """Complete the interrupted adoption the user asked for again: commit (if need be) and tag it."""
    decision = interrupted.decision
    assert decision.date is not None
    policy = _load_valid(workspace, path, what)
    tag = tag_name(policy.id, decision.date)
    if interrupted.revision is None:
        reasons = _git_refusals(history, policy.id)
        if problem := history.tag_refusal(tag):
            reasons.append(Problem.reason(problem, _("check `git show {tag}`").format(tag=tag)))
        if reasons:
            raise StyrdokError(what, reasons)
        revision = _commit(workspace, history, path, policy.id, decision, before=interrupted.before)
        done = _("finished an interrupted adoption ({decision}): committed and tagged it")
    else:
        revision = interrupted.revision
        done = _("finished an interrupted adoption ({decision}): tagged it")
    _tag(history, tag, revision, policy, decision)
    notes.append(done.format(decision=decision.line()))
    return Adoption(policy, decision, revision, tag, recovered=tuple(notes))


def _record(workspace: Workspace, history: History, path: Path, policy: Policy, decision: Decision, what: str,
            notes: list[str]) -> Adoption:
    assert decision.date
    tag = tag_name(policy.id, decision.date)
    warnings = _date_warnings(policy.meta, decision.date)
    old = workspace.read(path)
    adopted = _rewrite(workspace, path, _fill_in(decision), what, final=True)
    revision = _commit(workspace, history, path, policy.id, decision, before=old)
    _tag(history, tag, revision, policy, decision)
    return Adoption(adopted, decision, revision, tag, warnings, tuple(notes))


def _commit(workspace: Workspace, history: History, path: Path, policy_id: str, decision: Decision, *,
            before: bytes) -> Revision:
    """Commit the adopted file; if git refuses, put `before` back, so nothing has changed."""
    try:
        return history.commit_file(policy_id, commit_message(policy_id, decision))
    except StyrdokError:
        atomic_write(path, before)
        raise


def _tag(history: History, tag: str, revision: Revision, policy: Policy, decision: Decision) -> None:
    try:
        history.tag(tag, revision, f"{policy.meta.title}\n\n{decision.line()}")
    except StyrdokError as exc:
        raise StyrdokError.because(_("the adoption is committed ({commit}) but not tagged").format(commit=revision.short),
                                   str(exc), _("styrdok adopt … (again: it finishes the adoption), or {command}").format(
                                       command=f"git tag -a {tag} {revision.short} -m '{decision.line()}'")) from None


def _decision(policy: Policy, history: History, ask: _Asked, *, what: str) -> Decision:
    """The pending decision completed from the arguments, or StyrdokError with every reason not to."""
    date, paragraph, dnr, body, today = ask.date, ask.paragraph, ask.dnr, ask.body, ask.today
    last = policy.meta.decisions[-1]
    if not last.pending:
        raise StyrdokError(what, [Problem.reason(_("it has no pending decision (status {status}; last decision: {decision})").format(
                                        status=status_word(policy.meta.status), decision=last.line()),
                                    _("start a revision with `styrdok revise {id}`, edit and commit it, "
                                      "then adopt it once the decision has been taken").format(id=policy.id))])
    reasons: list[Problem] = []
    day = _parse_date(date, reasons)
    number = _parse_paragraph(paragraph, reasons)
    if day:
        reasons += _date_refusals(policy.meta, day, today)
        if history.has_tag(tag := tag_name(policy.id, day)):
            reasons.append(Problem.reason(_("the tag {tag} already exists: an adoption on that date is already recorded "
                                    "(styrdok never moves or replaces a tag)").format(tag=tag),
                                  _("check `styrdok log {id}` and `git show {tag}`; "
                                    "if the date is wrong, give the right one").format(id=policy.id, tag=tag)))
        elif problem := history.tag_refusal(tag):
            reasons.append(Problem.reason(_("{problem}, so the adoption could be committed but not tagged").format(
                                              problem=problem),
                                          _("rename the blocking tag (`git tag NEW OLD && git tag -d OLD`), then adopt")))
    reasons += _git_refusals(history, policy.id)
    if problem := history.identity_refusal():
        reasons.append(Problem.reason(problem, _("tell git who you are: {command}").format(
            command='git config user.name "Förnamn Efternamn" && git config user.email namn@kommun.se')))
    if reasons or day is None or number is None:
        raise StyrdokError(what, reasons)
    consultation = _this_consultation(policy.meta)
    return Decision(last.action, body or last.body, day, number,
                    dnr or last.dnr or (consultation.dnr if consultation else None))


def _this_consultation(meta: Metadata) -> Consultation | None:
    """The consultation of the revision now pending, if it went out on remiss (not an earlier one's)."""
    c, last = meta.consultation, meta.last_decision
    if c is None or not meta.pending_decisions:
        return None
    sent = c.opened or c.deadline
    if last and last.date and sent and sent <= last.date:
        return None  # left over from the consultation before the last decision
    return c


def _fill_in(decision: Decision) -> Callable[[CommentedMap], None]:
    """The front-matter change: status adopted, the last (pending) decision completed in key order."""
    def change(data: CommentedMap) -> None:
        data["status"] = Status.ADOPTED.spelled_like(data.get("status"))
        entry = data["decisions"][-1]
        for key in ("pending", "year", "date", "paragraph", "dnr"):
            entry.pop(key, None)
        entry["body"] = decision.body
        entry["date"] = decision.date
        entry["paragraph"] = decision.paragraph
        if decision.dnr:
            entry["dnr"] = decision.dnr
    return change


def _parse_date(value: dt.date | str, reasons: list[Problem]) -> dt.date | None:
    try:
        return clock.parse_date(value)
    except clock.BadDate:
        pass
    reasons.append(Problem.reason(_("the date '{value}' is not a real date written YYYY-MM-DD").format(value=value),
                                  _("give the date of the meeting from the minutes (protokoll), e.g. --date 2018-03-06")))
    return None


def _parse_paragraph(value: int | str, reasons: list[Problem]) -> int | None:
    text = str(value).strip()
    if not isinstance(value, bool) and text.isascii() and text.isdigit() and int(text) > 0:
        return int(text)
    reasons.append(Problem.reason(_("§ '{value}' is not a positive whole number").format(value=value),
                                  _("give the number of the paragraph (§) in the minutes, e.g. --paragraph 64")))
    return None


def _date_refusals(meta: Metadata, day: dt.date, today: dt.date) -> list[Problem]:
    reasons = []
    if (last := meta.last_decision) and last.date and day < last.date:
        reasons.append(Problem.reason(_("the date {date} is before the previous decision ({decision})").format(
                                          date=day, decision=last.line()),
                                      _("decisions are recorded in order; check the date in the minutes (protokoll)")))
    if (c := _this_consultation(meta)) and c.opened and day < c.opened:
        reasons.append(Problem.reason(_("the date {date} is before the consultation was opened ({opened}): the body "
                                        "cannot have decided on the proposal before it went out on remiss").format(
                                          date=day, opened=c.opened),
                                      _("check the date in the minutes (protokoll)")))
    if day > today:
        reasons.append(Problem.reason(_("the date {date} is in the future (today is {today}): only a decision "
                                        "that has been taken can be recorded").format(date=day, today=today),
                                      _("adopt after the meeting, or correct the date (see the minutes, protokoll)")))
    return reasons


def _date_warnings(meta: Metadata, day: dt.date) -> tuple[str, ...]:
    if (c := _this_consultation(meta)) and c.deadline and day < c.deadline:
        return (_("the decision ({date}) is dated before the remiss deadline ({deadline}): not every answer "
                  "may have been in").format(date=day, deadline=c.deadline),)
    return ()


def _git_refusals(history: History, policy_id: str) -> list[Problem]:
    relpath = history.relpath(policy_id)
    reasons = []
    if not history.is_committed(policy_id):
        reasons.append(Problem.reason(_("{path} is not committed: the adopted version must follow its draft in git").format(
                                          path=relpath),
                                      _("commit the draft first: git add {path} && git commit").format(path=relpath)))
    if others := [p for p in history.staged() if p != relpath]:
        shown = ", ".join(others[:5])
        if len(others) > 5:
            shown = ngettext("{files} and {n} more", "{files} and {n} more", len(others) - 5).format(
                files=shown, n=len(others) - 5)
        reasons.append(Problem.reason(_("other changes are staged for commit ({files}); the adoption commit "
                                        "must hold the policy file alone").format(files=shown),
                                      _("commit them first, or unstage them with `git restore --staged <file>`")))
    return reasons


# --- editing the file -----------------------------------------------------------------------

def _load_valid(workspace: Workspace, path: Path, what: str, data: bytes | None = None) -> Policy:
    try:
        return source.load(path, display=workspace.display(path), data=data, inside=workspace.root)
    except InvalidPolicy as exc:
        raise _invalid(what, path.stem, exc.problems) from None


def _invalid(what: str, policy_id: str, problems: list[Problem]) -> StyrdokError:
    listing = "\n".join(f"      {line}" for p in problems for line in str(p).split("\n"))
    return StyrdokError(what, [Problem.reason(_("the policy file has errors:") + f"\n{listing}",
                                 _("correct them (see `styrdok check {id}`) and run the command again").format(id=policy_id))])


def _rewrite(workspace: Workspace, path: Path, change: Callable[[CommentedMap], None], what: str,
             *, final: bool = False) -> Policy:
    """Edit the front matter, validate the whole new file, then write it atomically.

    With `final`, the result must also be free of pending decisions and placeholders.
    """
    new_data = _rewritten(workspace.read(path), change)
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


class Work(str, Enum):
    """What is going on with a policy now, whatever the calendar says."""

    NEW = "new"  # never adopted: a draft with its first decision (fastställd) pending
    REVISION = "revision"  # a revision is under way: a decision is pending
    CONSULTATION = "consultation"  # the revision is out on remiss, until the deadline


def work(meta: Metadata) -> Work | None:
    if not meta.pending_decisions:
        return None
    if meta.status is Status.CONSULTATION:
        return Work.CONSULTATION
    return Work.NEW if meta.last_decision is None else Work.REVISION


@dataclass(frozen=True)
class StatusRow:
    """One policy in the status table; `meta` is None (and `problems` say why) if it is invalid.

    `due` is the review state by the calendar, `work` what is under way (a revision, a remiss
    until `deadline`). A policy needs action this mandate period while it is due or overdue,
    also while its revision is under way: until the decision is taken.
    """

    id: str
    meta: Metadata | None
    last: Decision | None = None
    due: Due | None = None
    problems: tuple[Problem, ...] = ()
    work: Work | None = None
    deadline: dt.date | None = None

    @property
    def needs_action(self) -> bool:
        return self.due in (Due.DUE, Due.OVERDUE)


@dataclass(frozen=True)
class Overview:
    today: dt.date
    period: MandatePeriod
    rows: tuple[StatusRow, ...]


def status(workspace: Workspace, today: dt.date | None = None) -> Overview:
    """Every policy's type, status, last decision and review state in the current mandate period."""
    today = clock.today(today)
    try:
        period = MandatePeriod.containing(today)
    except ValueError as exc:
        raise StyrdokError(_("no mandate period for {today}: {error}").format(today=today, error=exc)) from None
    rows = []
    for path in workspace.paths():
        data, problems = source.read_file(path, display=workspace.display(path), inside=workspace.root)
        meta, more = source.check_metadata(path, data, display=workspace.display(path)) if data is not None \
            else (None, [])
        problems += more
        if meta is None:
            rows.append(StatusRow(path.stem, None, problems=tuple(problems)))
            continue
        if meta.status is Status.ADOPTED and (warning := _uncommitted_adoption(workspace, path)):
            problems.append(warning)
        deadline = meta.consultation.deadline if meta.consultation and work(meta) is Work.CONSULTATION else None
        rows.append(StatusRow(path.stem, meta, last_decision(meta, today), due(meta, today), tuple(problems),
                              work(meta), deadline))
    return Overview(today, period, tuple(rows))


def _uncommitted_adoption(workspace: Workspace, path: Path) -> Problem | None:
    """A warning if the file holds an adoption an interrupted `adopt` wrote but never committed."""
    try:
        history = History(workspace)
        if not history.is_committed(path.stem) or history.read(path.stem, "HEAD") == workspace.read(path):
            return None
        found = _interrupted(workspace, history, path.stem, path)
    except StyrdokError:  # no git, not a repository …: status needs neither
        return None
    if found is None or found.revision is not None or found.decision.date is None:
        return None
    decision = found.decision
    return Problem(workspace.display(path), 0,
                   _("the adoption ({decision}) is not committed: an adopt was interrupted, so git does not hold it "
                     "yet").format(decision=decision.line()),
                   _("finish it with `styrdok adopt {id} --date {date} --paragraph {paragraph}`, or undo it with "
                     "`git restore {path}`").format(id=path.stem, date=decision.date, paragraph=decision.paragraph,
                                                   path=workspace.display(path)),
                   Severity.WARNING)


def _rewritten(data: bytes, change: Callable[[CommentedMap], None]) -> bytes:
    from . import frontmatter

    return frontmatter.rewrite(data, change)
