"""The command line: a thin face over the library. Each command maps options to one call."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import __version__, build as builder, lifecycle
from .errors import Severity, StyrdokError
from .history import History
from .workspace import Workspace


class Failed(click.ClickException):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(click.style("styrdok: ", bold=True) + self.format_message(), err=True)


class Group(click.Group):
    """Turns library errors into one clear message and an exit code; never a traceback for bad input."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StyrdokError as exc:
            raise Failed(str(exc), exc.exit_code) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, not bad input: say so briefly unless debugging
            if os.environ.get("STYRDOK_DEBUG"):
                raise
            raise Failed(f"internal error: {type(exc).__name__}: {exc}\n"
                         "  This is a bug in styrdok. Run again with STYRDOK_DEBUG=1 and report the traceback.",
                         70) from None


def _workspace() -> Workspace:
    return Workspace.find()


def _print_problems(report: builder.Report) -> None:
    for result in report.results:
        for problem in result.problems:
            colour = "red" if problem.severity is Severity.ERROR else "yellow"
            click.secho(str(problem), fg=colour, err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="styrdok")
def main() -> None:
    """styrdok: a municipality's governing documents (styrdokument) under version control.

    Run it in a policy repository: a folder with policy/*.md (and optionally templates/).
    """


@main.command()
@click.argument("ids", nargs=-1)
def check(ids: tuple[str, ...]) -> None:
    """Validate policies: front matter, decisions, headings and text.

    Every problem in every file is reported with file and line; exit 1 on any error.

    Example:

        styrdok check social-ekonomi
    """
    report = builder.check(_workspace(), ids)
    _print_problems(report)
    if not report.ok:
        raise Failed(f"{len(report.failed)} of {len(report.results)} policies have errors")
    click.echo(f"{len(report.results)} policies checked, no errors")


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/).")
@click.option("--final", is_flag=True, help="Final documents: refused while a decision is pending or a placeholder remains.")
@click.option("--keep-going/--stop", default=True, show_default=True,
              help="Go on with the other policies when one fails.")
def build(ids: tuple[str, ...], out: Path | None, final: bool, keep_going: bool) -> None:
    """Build DOCX, PDF and HTML of policies into OUT/<id>/.

    Without --final every output is marked UTKAST and pending decisions show as
    placeholders (2018-XX-XX, § XX).

    Example:

        styrdok build social-ekonomi --final --out build/
    """
    workspace = _workspace()

    def progress(result: builder.PolicyResult) -> None:
        mark = click.style("ok", fg="green") if result.ok else click.style("FAILED", fg="red")
        click.echo(f"  {mark}  {result.id}" + (f"  → {result.files[0].parent}" if result.files else ""), err=True)

    report = builder.build(workspace, ids, out=out, final=final, keep_going=keep_going, progress=progress)
    _print_problems(report)
    built = len(report.results) - len(report.failed)
    click.echo(f"{built} of {len(report.results)} policies built{' (final)' if final else ' (draft: UTKAST)'}", err=True)
    if not report.ok:
        raise Failed(f"{len(report.failed)} policies failed: {', '.join(r.id for r in report.failed)}")


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date written YYYY-MM-DD, e.g. 2026-11-25", param, ctx)


TODAY = click.option("--today", type=IsoDate(), envvar="STYRDOK_TODAY", default=None,
                     help="Take this date as today (default: the system date; env STYRDOK_TODAY).")


@main.command()
@click.argument("policy_id", metavar="ID")
@click.option("--body", default=None, help="The body that is to decide (default: the policy's owner).")
@TODAY
def revise(policy_id: str, body: str | None, today: dt.date | None) -> None:
    """Start a new revision of an adopted policy.

    Sets status: draft and appends a pending decision (reviderad, this year), shown as a
    placeholder in drafts (2026-XX-XX, § XX). Nothing is committed: edit the text, commit,
    and record the decision with `styrdok adopt` once KS has decided.

    Example:

        styrdok revise social-ekonomi
    """
    policy = lifecycle.revise(_workspace(), policy_id, today=today, body=body)
    click.echo(f"{policy.id}: revision started ({policy.meta.decisions[-1].line()}); status draft")


@main.command()
@click.argument("policy_id", metavar="ID")
@click.option("--date", "date", required=True, metavar="YYYY-MM-DD", help="Date of the decision (the meeting).")
@click.option("--paragraph", required=True, metavar="N", help="The § of the decision in the minutes (protokoll).")
@click.option("--dnr", default=None, help="Diarienummer of the case, e.g. 'KS 2018/123'.")
@click.option("--body", default=None, help="The body that decided, if not the one named in the pending decision.")
@TODAY
def adopt(policy_id: str, date: str, paragraph: str, dnr: str | None, body: str | None, today: dt.date | None) -> None:
    """Record the decision adopting a pending revision; commit and tag it.

    Fills in the pending decision, sets status: adopted, commits the policy file (alone) and
    creates the annotated tag ID/DATE. Refuses, changing nothing, if there is no pending
    decision, the date is before the previous decision or in the future, the tag exists,
    the § is not a positive whole number, other files are staged, or the file is invalid.

    Example:

        styrdok adopt social-ekonomi --date 2018-03-06 --paragraph 64 --dnr "KS 2018/45"
    """
    done = lifecycle.adopt(_workspace(), policy_id, date=date, paragraph=paragraph, dnr=dnr, body=body, today=today)
    click.echo(f"{policy_id}: {done.decision.line()}\n  commit {done.revision.short} {done.revision.subject}\n"
               f"  tag    {done.tag}")


@main.command()
@click.argument("policy_id", metavar="ID")
def log(policy_id: str) -> None:
    """List a policy's versions in git; adopted ones show their decision.

    Newest first: commit, date, status at that commit, and the decision (adopted versions)
    or the commit message.

    Adopted versions are found from the front matter at each commit, so tags are not needed.

    Example:

        styrdok log social-ekonomi
    """
    workspace = _workspace()
    workspace.policy_path(policy_id)
    versions = History(workspace).versions(policy_id)
    if not versions:
        click.echo(f"{policy_id}: no commits yet")
    for version in reversed(versions):
        rev = version.revision
        state = version.status.value if version.status else "deleted" if version.deleted else "invalid"
        what = version.decision.line() if version.decision else rev.subject
        tags = f"  [{', '.join(version.tags)}]" if version.tags else ""
        line = f"{rev.short}  {rev.date.date()}  {state:<12}  {what}{tags}"
        click.echo(click.style(line, bold=True) if version.adopted else line)


@main.command()
@TODAY
def status(today: dt.date | None) -> None:
    """Show every policy's type, status, last decision and review state.

    Review states for the current mandate period (from 15 October of the election year):
    done (a decision in this period), due (none yet; the last is from the previous period),
    overdue (no decision in the previous period either), not reviewed (review: none),
    repealed (upphävd).

    Example:

        styrdok status --today 2026-11-25
    """
    overview = lifecycle.status(_workspace(), today)
    click.echo(f"Mandate period {overview.period} (from {overview.period.start}); today {overview.today}\n")
    table = [("id", "type", "status", "last decision", "review")]
    for row in overview.rows:
        meta = row.meta
        last = row.last.line() if row.last else "—"
        table.append((row.id, meta.type if meta else "?", meta.status.value if meta else "invalid", last,
                      row.due.value if row.due else "?"))
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    colours = {"done": "green", "due": "yellow", "overdue": "red"}
    for n, cells in enumerate(table):
        text = "  ".join(cell.ljust(w) for cell, w in zip(cells[:-1], widths)) + "  "
        click.echo(text + (click.style(cells[-1], fg=colours.get(cells[-1])) if n else cells[-1]))
    for row in overview.rows:
        for problem in row.problems:
            click.secho(str(problem), fg="red" if problem.severity is Severity.ERROR else "yellow", err=True)
    if invalid := [row.id for row in overview.rows if row.meta is None]:
        raise Failed(f"{len(invalid)} policies have errors in their front matter: {', '.join(invalid)}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
