"""The command line: a thin face over the library. Each command maps options to one call."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, build as builder, doctor as doctor_lib
from .consult import consult as consult_policy
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


def _progress() -> builder.Progress:
    """One line per policy; on a terminal, one line updated in place."""
    tty = sys.stderr.isatty()

    def show(result: builder.PolicyResult, done: int, total: int) -> None:
        state = ("unchanged" if result.cached else click.style("ok", fg="green")) if result.ok \
            else click.style("FAILED", fg="red")
        line = f"  [{done}/{total}] {state}  {result.id}"
        if tty and result.ok:
            click.echo(f"\r\033[K{line}", err=True, nl=done == total)
        else:
            click.echo(("\r\033[K" if tty else "") + line, err=True)

    return show


def _print_problems(report: builder.Report) -> None:
    for result in report.results:
        for problem in result.problems:
            colour = "red" if problem.severity is Severity.ERROR else "yellow"
            click.secho(str(problem), fg=colour, err=True)


def _versions() -> str:
    return "  ".join(f"{t.name} {t.version or 'missing'}" for t in doctor_lib.tools() if t.name in ("pandoc", "typst", "git"))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, help="Show versions and exit.",
              callback=lambda ctx, _, value: value and (click.echo(f"styrdok {__version__}  {_versions()}"), ctx.exit()))
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
    report = builder.build(_workspace(), ids, out=out, final=final, keep_going=keep_going, progress=_progress())
    _print_problems(report)
    built = len(report.results) - len(report.failed)
    cached = sum(r.cached for r in report.results)
    click.echo(f"{built} of {len(report.results)} policies built ({cached} unchanged)"
               f"{' (final)' if final else ' (draft: UTKAST)'} → {out or 'build'}/", err=True)
    if not report.ok:
        raise Failed(f"{len(report.failed)} policies failed: {', '.join(r.id for r in report.failed)}")


@main.command()
def doctor() -> None:
    """Report the versions of pandoc, typst, git and the other tools, and what is missing.

    Exit 1 if something needed for builds is missing.

    Example:

        styrdok doctor
    """
    missing = []
    for tool in doctor_lib.tools():
        state = click.style(tool.version, fg="green") if tool.ok else click.style("missing", fg="red")
        click.echo(f"{tool.name:12} {state}  ({tool.needed_for})")
        if not tool.ok:
            click.echo(f"{'':12} install: {tool.install}")
            missing.append(tool)
    if any(t.needed_for != "accessibility tests only" for t in missing):
        raise Failed("some tools styrdok needs are missing (see above)")


@main.command()
@click.argument("policy_id", metavar="ID")
@click.option("--deadline", required=True, metavar="YYYY-MM-DD", help="Last day for the answers (svar senast).")
@click.option("--bodies", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML file with a list of remissinstanser (default: consultation: bodies: in the front matter).")
@click.option("--dnr", default=None, help="The case number (diarienummer), e.g. 'KS 2026/45'.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/<ID>/remiss/).")
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="Take this as today's date: the cover letter's date and the earliest deadline.")
def consult(policy_id: str, deadline: str, bodies: Path | None, dnr: str | None, out: Path | None,
            today: str | None) -> None:
    """Write the consultation package (remiss) of a policy and set its status to consultation.

    The package: remissversion.docx/.pdf/.html (marked REMISSVERSION, every heading,
    paragraph and list item numbered), missiv.docx (the cover letter) and svarsmall.docx
    (the response form, one row per number). The front matter then records status,
    deadline, dnr and bodies; nothing is written if any input is wrong.

    Example:

        styrdok consult social-ekonomi --deadline 2027-02-15 --dnr "KS 2026/45"
    """
    result = consult_policy(_workspace(), policy_id, deadline, bodies=bodies, dnr=dnr, out=out, today=today)
    for path in result.files:
        click.echo(f"  wrote {path}", err=True)
    change = "status: consultation" if result.source_changed else "unchanged (already recorded)"
    click.echo(f"{policy_id}: {len(result.numbers)} numbered parts, {len(result.bodies)} remissinstanser, "
               f"svar senast {result.deadline}; {result.policy_path.name} {change}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
