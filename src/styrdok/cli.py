"""The command line: a thin face over the library. Each command maps options to one call."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, build as builder, redline
from .redline import summary as redline_summary
from .errors import Severity, StyrdokError
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


@main.command()
@click.argument("versions", nargs=-1, required=True, metavar="ID | OLD.md NEW.md")
@click.option("--from", "from_rev", metavar="REV", help="ID form: the old revision, any git ref (default: HEAD).")
@click.option("--to", "to_rev", metavar="REV", help="ID form: the new revision (default: the working tree).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/<id>/redline/, or build/redline/ for two files).")
@click.option("--author", help="Author of the DOCX tracked changes (default: the deciding body).")
def diff(versions: tuple[str, ...], from_rev: str | None, to_rev: str | None, out: Path | None,
         author: str | None) -> None:
    """Redline between two versions of a policy.

    \b
    Two forms:
      styrdok diff OLD.md NEW.md           two policy files, no git needed
      styrdok diff ID [--from REV] [--to REV]
                                           policy/ID.md at two git revisions

    Writes OUT/redline.html, redline.pdf, redline.docx (every change a Word tracked change,
    to accept or reject) and changes.md (the changes per section in Swedish, for the
    officer's report), and prints the summary.

    Exit status as diff(1): 0 no changes, 1 changes, 2 error.

    Example:

        styrdok diff social-ekonomi --from v2015 --out build/redline/
    """
    if len(versions) == 2 and not (from_rev or to_rev):
        result = redline.redline_files(Path(versions[0]), Path(versions[1]), out=out, author=author)
    elif len(versions) == 1:
        result = redline.redline_revisions(_workspace(), versions[0], from_rev=from_rev, to_rev=to_rev,
                                           out=out, author=author)
    else:
        raise click.UsageError("give one policy ID (with --from/--to), or two policy files without them")
    click.echo(redline_summary.screen(result.summary))
    click.echo(f"Wrote {', '.join(redline.FILES)} to {result.out}/", err=True)
    click.get_current_context().exit(1 if result.changed else 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
