"""The command line: a thin face over the library. Each command maps options to one call.

Messages and help are Swedish unless English is asked for (`--lang en`, or an English LANG):
see styrdok.i18n. A command's docstring is its help (extracted for the catalogue); an option's
help is marked N_("…"); both are translated when help is shown, by the Command and Option
classes here. click's own words ("Usage:", "Missing option" …) go through the same catalogue.
"""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

from . import __version__, annotate, clock, i18n
from .errors import Problem, Severity, StyrdokError
from .i18n import N_, _, ngettext
from .model import status_word
from .workspace import Workspace
from .__main__ import EXIT_INTERRUPTED, INTERRUPTED


def _lazy(*names: str) -> None:
    """Put styrdok.<name> (each) in sys.modules as a module that is loaded at its first use
    (importlib.util.LazyLoader), and on its package as an import would.

    The commands' implementations are imported below as usual, so the types are checked, yet a
    command loads only what it uses: `styrdok --help` none of them, `check` the validation alone,
    not python-docx, lxml, Jinja, GitPython, Typst or ruamel (0.3 s of imports, issue 13). A
    package comes before its modules: they are found in its folder without running its __init__.
    Each is loaded by its command's first call, in the main thread, before any worker thread starts
    (Python 3.11's LazyLoader is not thread-safe).
    """
    for name in names:
        fullname = f"{__package__}.{name}"
        if fullname in sys.modules:  # already loaded (a test imported it): nothing to defer
            continue
        folder = Path(__file__).parent.joinpath(*name.split(".")[:-1])
        spec = importlib.machinery.PathFinder.find_spec(fullname, [str(folder)])
        if spec is None or spec.loader is None:
            raise ImportError(f"no module named {fullname!r}", name=fullname)
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[fullname] = module
        spec.loader.exec_module(module)
        parent, _dot, child = fullname.rpartition(".")
        setattr(sys.modules[parent], child, module)


_lazy("build", "changed", "compare", "consult", "consult.memo", "consult.responses", "doctor", "history",
      "importer", "importer.run", "lifecycle", "output", "publish", "redline", "scaffold")

from . import build as builder, changed as changes, compare, consult as consultation  # noqa: E402
from . import doctor as doctor_lib, history, importer, lifecycle, output, publish as publisher  # noqa: E402
from . import redline, scaffold  # noqa: E402

if TYPE_CHECKING:  # for mypy: the modules _lazy binds on their packages (an import would load them now)
    import styrdok.consult.memo
    import styrdok.consult.responses
    import styrdok.importer.run


def _route_click_messages() -> None:
    """click calls the stdlib's gettext (no catalogue of its own): give it styrdok's instead."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types, click.utils):
        if hasattr(module, "_"):
            setattr(module, "_", i18n._)
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", i18n.ngettext)


_route_click_messages()


def _set_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        i18n.set_language(value)


def _lang_option() -> click.Option:
    return Option(["--lang"], type=click.Choice(i18n.LANGUAGES), is_eager=True, expose_value=False,
                  callback=_set_language, metavar="sv|en",
                  help=N_("Language of the messages: sv or en (default: from LANG, else sv)."))


class Option(click.Option):
    """An option whose help (marked N_) is translated when shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        msgid = self.help
        self.help = _(msgid) if msgid else msgid
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = msgid


def option(*decls: str, **attrs: Any) -> Any:
    return click.option(*decls, cls=Option, **attrs)


class _Translated:
    """Help text, short help and the help option in the current language."""

    help: str | None

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        msgid, self.help = self.help, i18n.help_text(self.help)
        try:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
        finally:
            self.help = msgid

    def get_short_help_str(self, limit: int = 45) -> str:
        msgid, self.help = self.help, i18n.help_text(self.help)
        try:
            return super().get_short_help_str(limit)  # type: ignore[misc]
        finally:
            self.help = msgid

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        words = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        return [words.get(piece, piece) for piece in pieces]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:  # created once per command, perhaps in another language: say it now
            opt.help = _("Show this message and exit.")
        return opt


class Command(_Translated, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_lang_option())  # `styrdok check --lang en` as well as `styrdok --lang en check`


class Failed(click.ClickException):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        # click types exit_code as a ClassVar, yet exits with the instance's value (sys.exit(e.exit_code))
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(click.style("styrdok: ", bold=True) + self.format_message(), err=True)


class Group(_Translated, click.Group):
    """Turns library errors into one clear message and an exit code; never a traceback for bad input."""

    command_class = Command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        i18n.set_language(None)  # from the environment until --lang says otherwise
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            _check_environment()
            return super().invoke(ctx)
        except StyrdokError as exc:
            raise Failed(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:  # Ctrl-C: temp files are gone already (the writers clean up on any exit)
            raise Failed(INTERRUPTED, EXIT_INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, not bad input: say so briefly unless debugging
            if os.environ.get("STYRDOK_DEBUG"):
                raise
            raise Failed(_("internal error: {kind}: {error}\n"
                           "  This is a bug in styrdok. Run again with STYRDOK_DEBUG=1 and report the traceback.")
                         .format(kind=type(exc).__name__, error=exc), 70) from None


MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z, the last second a date can hold


def _check_environment() -> None:
    """Settings from the environment that every command relies on, checked before it starts."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not (epoch.isascii() and epoch.isdigit() and 315532800 <= int(epoch) <= MAX_EPOCH):
        raise StyrdokError.because(
            _("SOURCE_DATE_EPOCH is '{value}', not a time styrdok can use").format(value=epoch[:40]),
            _("it must be a whole number of seconds since 1970-01-01 UTC, from 1980 on (DOCX files cannot hold "
              "earlier dates)"),
            _("unset it, or set it to a commit's time: {command}").format(
                command="export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"))


def _workspace() -> Workspace:
    return Workspace.find()


def _machine() -> bool:
    """In CI or without a terminal: no progress animation, no colour, one line per policy."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or not sys.stderr.isatty()


def _progress() -> builder.Progress:
    """One line per policy; on a terminal, one line updated in place."""
    def show(result: builder.PolicyResult, done: int, total: int) -> None:
        state = (_("unchanged") if result.cached else click.style(_("ok"), fg="green")) if result.ok \
            else click.style(_("FAILED"), fg="red")
        _progress_line(f"  [{done}/{total}] {state}  {result.id}", result.ok, done == total)

    return show


def _progress_line(line: str, ok: bool, last: bool) -> None:
    """A progress line: updated in place on a terminal; in CI or a log, one line each."""
    tty = not _machine()
    if tty and ok:
        click.echo(f"\r\033[K{line}", err=True, nl=last)
    else:
        click.echo(("\r\033[K" if tty else "") + line, err=True)


def _print_problem(problem: Problem) -> None:
    """A problem as `file:line: message` (and its fix); in GitHub Actions also as an annotation."""
    colour = "red" if problem.severity is Severity.ERROR else "yellow"
    click.secho(str(problem), fg=colour, err=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        click.echo(annotate.github(problem))


def _print_problems(report: builder.Report) -> None:
    for problem in report.templates + [p for result in report.results for p in result.problems]:
        _print_problem(problem)


def _versions() -> str:
    return "  ".join(f"{t.name} {t.version or _('missing')}" for t in doctor_lib.versions())


def _show_version(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        click.echo(f"styrdok {__version__}  {_versions()}")
        ctx.exit()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@option("--version", is_flag=True, expose_value=False, is_eager=True, help=N_("Show versions and exit."),
        callback=_show_version)
@option("--lang", type=click.Choice(i18n.LANGUAGES), is_eager=True, expose_value=False, callback=_set_language,
        metavar="sv|en", help=N_("Language of the messages: sv or en (default: from LANG, else sv)."))
@click.pass_context
def main(ctx: click.Context) -> None:
    """styrdok: a municipality's governing documents (styrdokument) under version control.

    Run it in a policy repository: a folder with policy/*.md (and optionally templates/).
    """
    if _machine():
        ctx.color = False


def _policy_ids(args: tuple[str, ...]) -> tuple[str, ...]:
    """Policy ids, also given as file names (policy/social-ekonomi.md), as a pre-commit hook passes them."""
    return tuple(Path(a).stem if a.endswith(".md") else a for a in args)


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD: --today, --deadline and --date (clock.parse_date, as the library reads dates)."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        try:
            return clock.parse_date(value if isinstance(value, dt.date) else str(value))
        except clock.BadDate:
            self.fail(_("'{value}' is not a date written YYYY-MM-DD, e.g. 2026-11-25").format(value=value), param, ctx)


DATE = IsoDate()
TODAY = option("--today", type=DATE, envvar=clock.TODAY_ENV, default=None,
               help=N_("Take this date as today (default: the system date; env STYRDOK_TODAY)."))


@main.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@option("--codequality", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
        help=N_("Also write the problems as a GitLab Code Quality report (JSON) to FILE."))
def check(ids: tuple[str, ...], codequality: Path | None) -> None:
    """Validate policies: front matter, decisions, headings and text.

    Every problem in every file is reported with file and line, sorted by line; exit 1 on
    any error. The files are never changed. IDs may also be given as file names (policy/ID.md).

    Example:

    \b
        styrdok check social-ekonomi
    """
    report = builder.check(_workspace(), _policy_ids(ids))
    _print_problems(report)
    if codequality:
        output.atomic_write(codequality, annotate.codequality([*report.templates, *(p for r in report.results for p in r.problems)]).encode())
    if report.templates:
        raise Failed(_("the templates in templates/ have errors; no policy can be built with them"))
    if not report.ok:
        raise Failed(ngettext("{failed} of {n} policy has errors", "{failed} of {n} policies have errors",
                              len(report.results)).format(failed=len(report.failed), n=len(report.results)))
    click.echo(ngettext("{n} policy checked, no errors", "{n} policies checked, no errors",
                        len(report.results)).format(n=len(report.results)))


@main.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help=N_("Output folder (default: build/)."))
@option("--final", is_flag=True, help=N_("Final documents: refused while a decision is pending or a placeholder remains."))
@option("--keep-going/--stop", default=True, show_default=True,
              help=N_("Go on with the other policies when one fails."))
@option("--changed", is_flag=True, help=N_("Only the policies changed since --from (default: their last adopted version)."))
@option("--from", "from_rev", metavar="REV", help=N_("With --changed: the revision to compare with (any git ref)."))
def build(ids: tuple[str, ...], out: Path | None, final: bool, keep_going: bool, changed: bool,
          from_rev: str | None) -> None:
    """Build DOCX, PDF and HTML of policies into OUT/<id>/.

    Without --final every output is marked UTKAST and pending decisions show as
    placeholders (2018-XX-XX, § XX).

    Example:

    \b
        styrdok build social-ekonomi --final --out build/
    """
    workspace = _workspace()
    if changed:
        if ids:
            raise click.UsageError(_("give either policy IDs or --changed, not both"))
        ids = tuple(p.id for p in changes.changed_policies(workspace, from_rev))
        if not ids:
            click.echo(_("no changed policies"), err=True)
            return
    elif from_rev:
        raise click.UsageError(_("--from is used with --changed"))
    report = builder.build(workspace, ids, out=out, final=final, keep_going=keep_going, progress=_progress())
    _print_problems(report)
    built = len(report.results) - len(report.failed)
    cached = sum(r.cached for r in report.results)
    total, where = len(report.results), f"{out or 'build'}/"
    summary = (ngettext("{built} of {n} policy built ({cached} unchanged), final → {out}",
                        "{built} of {n} policies built ({cached} unchanged), final → {out}", total) if final else
               ngettext("{built} of {n} policy built ({cached} unchanged), draft (UTKAST) → {out}",
                        "{built} of {n} policies built ({cached} unchanged), draft (UTKAST) → {out}", total))
    click.echo(summary.format(built=built, n=total, cached=cached, out=where), err=True)
    if not report.ok:
        raise Failed(ngettext("{n} policy failed: {ids}", "{n} policies failed: {ids}", len(report.failed))
                     .format(n=len(report.failed), ids=", ".join(r.id for r in report.failed)))


@main.command()
def doctor() -> None:
    """Report the versions of pandoc, typst, git and the other tools, and what is missing.

    Exit 1 if something needed for builds is missing.

    Example:

    \b
        styrdok doctor
    """
    missing = []
    for tool in doctor_lib.tools():
        state = click.style(tool.version, fg="green") if tool.ok else \
            click.style(f"{tool.version}: {tool.problem}" if tool.problem else _("missing"), fg="red")
        click.echo(f"{_(tool.name):12} {state}  ({_(tool.needed_for)})")
        if not tool.ok:
            click.echo(f"{'':12} " + _("install: {how}").format(how=_(tool.install)))
            missing.append(tool)
    if any(not t.optional for t in missing):
        raise Failed(_("some tools styrdok needs are missing (see above)"))


@main.command()
@click.argument("policy_id", metavar="ID")
@option("--deadline", required=True, type=DATE, help=N_("Last day for the answers (svar senast)."))
@option("--bodies", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help=N_("YAML file with a list of remissinstanser (default: consultation: bodies: in the front matter)."))
@option("--dnr", default=None, metavar="DNR", help=N_("The case number (diarienummer), e.g. 'KS 2026/45'; adopt uses it unless given --dnr."))
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help=N_("Output folder (default: build/<ID>/remiss/)."))
@option("--today", type=DATE, envvar=clock.TODAY_ENV, default=None,
        help=N_("Take this as today's date: the cover letter's date and the earliest deadline (env STYRDOK_TODAY)."))
def consult(policy_id: str, deadline: dt.date, bodies: Path | None, dnr: str | None, out: Path | None,
            today: dt.date | None) -> None:
    """Write the consultation package (remiss) of a policy and set its status to consultation.

    The package: remissversion.docx/.pdf/.html (marked REMISSVERSION, every heading,
    paragraph and list item numbered), missiv.docx (the cover letter) and svarsmall.docx
    (the response form, one row per number). The front matter then records status,
    deadline, dnr and bodies; nothing is written if any input is wrong.

    Example:

    \b
        styrdok consult social-ekonomi --deadline 2027-02-15 --dnr "KS 2026/45"
    """
    result = consultation.consult(_workspace(), policy_id, deadline, bodies=bodies, dnr=dnr, out=out, today=today)
    for path in result.files:
        click.echo("  " + _("wrote {path}").format(path=path), err=True)
    parts = ngettext("{n} numbered part", "{n} numbered parts", len(result.numbers)).format(n=len(result.numbers))
    listed = ngettext("{n} remissinstans", "{n} remissinstanser", len(result.bodies)).format(n=len(result.bodies))
    done = (_("{id}: {parts}, {bodies}, answers by {deadline}; {file} now has status: consultation")
            if result.source_changed else
            _("{id}: {parts}, {bodies}, answers by {deadline}; {file} unchanged (already recorded)"))
    click.echo(done.format(id=policy_id, parts=parts, bodies=listed, deadline=result.deadline,
                           file=result.policy_path.name), err=True)


@main.command()
@click.argument("policy_id", metavar="ID")
@click.argument("forms", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE...")
@option("--letter", "letters", multiple=True, metavar="BODY=FILE",
        help=N_("An answer written as a letter (DOCX or PDF), with the body that sent it; repeatable."))
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
        help=N_("Output folder (default: build/<ID>/remiss/sammanstallning/)."))
@TODAY
def responses(policy_id: str, forms: tuple[Path, ...], letters: tuple[str, ...], out: Path | None,
              today: dt.date | None) -> None:
    """Compile the returned response forms and letters into the remissammanställning.

    Writes remissammanstallning.docx, .html and .md (and .json for the memo): who was asked,
    who answered, who had no comments, who did not answer, then every comment in a table
    (general comments first, then by reference number and body) with an empty Kommentar
    column. Run it again when a late answer arrives: the comments already written in the
    Kommentar column of the existing remissammanstallning.docx are kept, row by row. Forms
    from another consultation, files that are not forms, a form without a Remissinstans,
    two answers from one body and numbers the remissversion does not have are refused,
    all at once, and nothing is written.

    Example:

    \b
        styrdok responses social-ekonomi svar/*.docx --letter "Näringslivet=svar/yttrande.pdf"
    """
    result = consultation.responses.compile_responses(_workspace(), policy_id, forms, letters=letters, out=out, today=today)
    for path in result.files:
        click.echo("  " + _("wrote {path}").format(path=path), err=True)
    for note in result.notes:
        click.echo("  " + _("note: {note}").format(note=note), err=True)
    compilation = result.compilation
    click.echo(_("{id}: {answers} of {asked} bodies answered, {rows} comments; {kept} earlier comments kept").format(
        id=policy_id, answers=len([a for a in compilation.answers if a.asked]), asked=len(compilation.asked),
        rows=len(compilation.rows), kept=result.kept), err=True)


@main.command()
@click.argument("policy_id", metavar="ID")
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
        help=N_("Output folder (default: build/<ID>/remiss/)."))
@option("--contact", default=None, metavar="TEXT",
        help=N_("The handläggare: 'Name, phone, e-mail' (default: contact: in the front matter)."))
@TODAY
def memo(policy_id: str, out: Path | None, contact: str | None, today: dt.date | None) -> None:
    """Write the tjänsteskrivelse (officer's report) for the policy's pending decision.

    tjansteskrivelse.docx and .md from the template tjansteskrivelse.md.j2: header with
    handläggare, Förslag till beslut worded for the deciding body, Sammanfattning,
    Ärendebeskrivning, the changes against the version in force, the consultation (with the
    answers compiled by `styrdok responses`), Beslutsunderlag and Beslut sänds till.

    Example:

    \b
        styrdok memo social-ekonomi --contact "Anna Andersson, 060-16 31 00, anna.andersson@timra.se"
    """
    result = consultation.memo.write_memo(_workspace(), policy_id, out=out, today=today, contact=contact)
    for path in result.files:
        click.echo("  " + _("wrote {path}").format(path=path), err=True)
    for point in result.proposal:
        click.echo(point)


@main.command()
@click.argument("policy_id", metavar="ID")
@option("--body", default=None, metavar="NAME", help=N_("The body that is to decide (default: the policy's owner)."))
@option("--year", type=int, default=None, metavar="YYYY",
        help=N_("The year the decision is expected, shown in its placeholder (default: none, ÅÅÅÅ-XX-XX)."))
@TODAY
def revise(policy_id: str, body: str | None, year: int | None, today: dt.date | None) -> None:
    """Start a new revision of an adopted policy.

    Sets status: draft and appends a pending decision (reviderad), shown as a placeholder
    in drafts: ÅÅÅÅ-XX-XX, § XX, or with --year the year it is expected, e.g. 2027-XX-XX.
    Nothing is committed: edit the text, commit, and record the decision with
    `styrdok adopt` once it has been taken.

    Example:

    \b
        styrdok revise social-ekonomi
    """
    policy = lifecycle.revise(_workspace(), policy_id, today=today, body=body, year=year)
    click.echo(_("{id}: revision started ({decision}); status {status}").format(
        id=policy.id, decision=policy.meta.decisions[-1].line(), status=status_word(policy.meta.status)))


@main.command()
@click.argument("policy_id", metavar="ID")
@option("--date", "date", required=True, type=DATE, help=N_("Date of the decision (the meeting)."))
@option("--paragraph", required=True, metavar="N", help=N_("The § of the decision in the minutes (protokoll)."))
@option("--dnr", default=None, metavar="DNR", help=N_("Diarienummer of the case, e.g. 'KS 2018/123'."))
@option("--body", default=None, metavar="NAME", help=N_("The body that decided, if not the one named in the pending decision."))
@TODAY
def adopt(policy_id: str, date: dt.date, paragraph: str, dnr: str | None, body: str | None, today: dt.date | None) -> None:
    """Record the decision adopting a pending revision; commit and tag it.

    Fills in the pending decision, sets status: adopted, commits the policy file (alone) and
    creates the annotated tag ID/DATE. Refuses, changing nothing, if no decision is pending,
    if the date is before the previous decision, before the consultation opened or in the
    future, if the tag exists, if the § is not a positive whole number, if other files are
    staged, or if the file is invalid. The dnr comes from the consultation when --dnr is not given.

    Example:

    \b
        styrdok adopt social-ekonomi --date 2018-03-06 --paragraph 64 --dnr "KS 2018/45"
    """
    done = lifecycle.adopt(_workspace(), policy_id, date=date, paragraph=paragraph, dnr=dnr, body=body, today=today)
    for note in done.recovered:
        click.echo("  " + _("note: {note}").format(note=note), err=True)
    for warning in done.warnings:
        click.secho("  " + _("warning: {text}").format(text=warning), fg="yellow", err=True)
    click.echo(_("{id}: {decision}\n  commit {commit} {subject}\n  tag    {tag}").format(
        id=policy_id, decision=done.decision.line(), commit=done.revision.short, subject=done.revision.subject,
        tag=done.tag))


@main.command()
@click.argument("policy_id", metavar="ID")
def log(policy_id: str) -> None:
    """List a policy's versions in git; adopted ones show their decision.

    Newest first: commit, date, status at that commit, and the decision (adopted versions)
    or the commit message.

    Adopted versions are found from the front matter at each commit, so tags are not needed.

    Example:

    \b
        styrdok log social-ekonomi
    """
    workspace = _workspace()
    workspace.policy_path(policy_id)
    versions = history.History(workspace).versions(policy_id)
    if not versions:
        click.echo(_("{id}: no commits yet").format(id=policy_id))
    for version in reversed(versions):
        rev = version.revision
        state = status_word(version.status) if version.status else _("deleted") if version.deleted else _("invalid")
        what = version.decision.line() if version.decision else rev.subject
        tags = f"  [{', '.join(version.tags)}]" if version.tags else ""
        line = f"{rev.short}  {rev.date.date()}  {state:<12}  {what}{tags}"
        click.echo(click.style(line, bold=True) if version.adopted else line)


@main.command()
@TODAY
@option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
        show_default=True, help=N_("table for the terminal, csv for a spreadsheet, markdown for a report, json for scripts."))
@option("--due", "due_only", is_flag=True, help=N_("Only the policies that need action this mandate period (due or overdue)."))
def status(today: dt.date | None, fmt: str, due_only: bool) -> None:
    """Show every policy's type, status, last decision and review state.

    Review states for the current mandate period (from 15 October of the election year):
    done (a decision in this period), due (none yet; the last is from the previous period),
    overdue (no decision in the previous period either), revision in progress, out on
    remiss until the deadline, not reviewed (review: none), repealed (upphävd).

    --due lists only what needs action this mandate period. Exit status: 0 when nothing is
    due or overdue, 1 when something is (for a scheduled job), 2 on error.

    Example:

    \b
        styrdok status --today 2026-11-25
    """
    from . import overview as report  # only this command needs it

    overview = lifecycle.status(_workspace(), today)
    colours = {lifecycle.Due.DONE: "green", lifecycle.Due.DUE: "yellow", lifecycle.Due.OVERDUE: "red"}

    def style(text: str, row: lifecycle.StatusRow) -> str:
        return click.style(text, fg=colours[row.due]) if row.due in colours else text

    click.echo(report.render(overview, fmt, due_only=due_only, style=style), nl=False)
    for row in overview.rows:
        for problem in row.problems:
            click.secho(str(problem), fg="red" if problem.severity is Severity.ERROR else "yellow", err=True)
    if invalid := [row.id for row in overview.rows if row.meta is None]:
        raise Failed(ngettext("{n} policy has errors in its front matter: {ids}",
                              "{n} policies have errors in their front matter: {ids}", len(invalid))
                     .format(n=len(invalid), ids=", ".join(invalid)), 2)
    click.get_current_context().exit(1 if any(row.needs_action for row in overview.rows) else 0)


@main.command()
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help=N_("Output folder (default: build/site/)."))
@option("--base-url", default=None, metavar="URL",
              help=N_("The bundle's address on the web: absolute links in feed.xml, and sitemap.xml (needs it)."))
@TODAY
def publish(out: Path | None, base_url: str | None, today: dt.date | None) -> None:
    """Write the website bundle: every policy's adopted versions, from git.

    index.html (the register), a page per policy with its current adopted text, PDF and
    Word, its decisions and every earlier adopted version (OUT/<id>/<date>/), an open
    consultation (marked Remissversion, with the response form), feed.xml, register.json
    and, with --base-url, sitemap.xml. Uncommitted changes are never published. Only what
    changed is rendered; a published version is never changed or removed, and publishing
    refuses if git's history of it was rewritten. Links are relative: the folder works
    anywhere.

    Example:

    \b
        styrdok publish --base-url https://www.timra.se/styrdokument/
    """
    result = publisher.publish(_workspace(), out=out, base_url=base_url, today=today)
    for note in result.notes:
        click.echo("  " + _("note: {note}").format(note=note), err=True)
    for problem in result.problems:
        click.secho(str(problem), fg="red", err=True)
    click.echo(ngettext("{n} policy published → {out} ({rendered} parts rendered, {written} files written)",
                        "{n} policies published → {out} ({rendered} parts rendered, {written} files written)",
                        len(result.policies)).format(n=len(result.policies), out=f"{out or 'build/site'}/",
                                                     rendered=len(result.rendered), written=len(result.written)),
               err=True)
    if not result.ok:
        failed = len({p.path for p in result.problems})
        raise Failed(ngettext("{n} policy could not be published (see above)",
                              "{n} policies could not be published (see above)", failed).format(n=failed))


@main.command()
@click.argument("versions", nargs=-1, metavar="ID | OLD.md NEW.md")
@option("--from", "from_rev", metavar="REV", help=N_("ID form: the old revision, any git ref or the date of a decision (default: the last adopted version, else HEAD)."))
@option("--to", "to_rev", metavar="REV", help=N_("ID form: the new revision, a git ref or a decision date (default: the working tree)."))
@option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help=N_("Output folder (default: build/<id>/redline/, or build/redline/ for two files)."))
@option("--author", metavar="NAME", help=N_("Author of the DOCX tracked changes (default: the deciding body)."))
@option("--changed", is_flag=True,
        help=N_("A redline for every policy changed since --from (default: each one's last adopted version)."))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help=N_("With --changed: the summary as text or as JSON (for CI and other tools)."))
def diff(versions: tuple[str, ...], from_rev: str | None, to_rev: str | None, out: Path | None,
         author: str | None, changed: bool, fmt: str) -> None:
    """Redline between two versions of a policy.

    \b
    Two forms:
      styrdok diff OLD.md NEW.md           two policy files, no git needed
      styrdok diff ID [--from REV] [--to REV]
                                           policy/ID.md at two git revisions

    Writes OUT/redline.html, redline.pdf, redline.docx (every change a Word tracked change,
    to accept or reject) and changes.md (the changes per section in Swedish, for the
    officer's report), and prints the summary.

    With --changed, a redline for every policy whose file changed since --from (default:
    each policy's last adopted version) into OUT/<id>/redline/ (default build/), and one
    summary; --format json prints it as JSON.

    Exit status as diff(1): 0 no changes, 1 changes, 2 error.

    Example:

    \b
        styrdok diff social-ekonomi --from 2018-03-06 --out build/redline/
    """
    if changed:
        if versions or to_rev:
            raise click.UsageError(_("--changed takes no policy IDs or files, and no --to"))
        _diff_changed(from_rev, out, author, fmt)
    if not versions:
        raise click.UsageError(_("give one policy ID (with --from/--to), two policy files, or --changed"))
    if len(versions) == 2 and not (from_rev or to_rev):
        from . import source

        for version in versions:  # pandoc reads them while the redline's modules load
            source.read_ahead(Path(version))
        result = compare.redline_files(Path(versions[0]), Path(versions[1]), out=out, author=author)
    elif len(versions) == 1:
        result = compare.redline_revisions(_workspace(), versions[0], from_rev=from_rev, to_rev=to_rev,
                                           out=out, author=author)
    else:
        raise click.UsageError(_("give one policy ID (with --from/--to), or two policy files without them"))
    click.echo(redline.summary.screen(result.summary))
    if result.changed:
        click.echo(_("Wrote {files} to {out}").format(files=", ".join(redline.FILES), out=f"{result.out}/"), err=True)
    else:
        click.echo(_("No changes: nothing written."), err=True)
    click.get_current_context().exit(1 if result.changed else 0)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@option("--id", "policy_id", metavar="ID", help=N_("Id of the new policy (one file only; default: from the file name)."))
@option("--type", "doc_type", metavar="TYPE",
        help=N_("Document type (policy, riktlinje, plan …) when the title does not say."))
@option("--force", is_flag=True, help=N_("Overwrite an existing policy file."))
@option("--into", "into", metavar="ID",
        help=N_("Take the edited text of a DOCX styrdok made for policy ID back into policy/ID.md."))
@option("--changes", type=click.Choice(["accept", "reject"]), default="accept", show_default=True,
        help=N_("With --into: accept or reject the DOCX's tracked changes (typed edits are always kept)."))
def import_(files: tuple[Path, ...], policy_id: str | None, doc_type: str | None, force: bool, into: str | None,
            changes: str) -> None:
    """Import Word documents (.docx, .odt; .doc through LibreOffice) as policies.

    \b
    Two forms:
      styrdok import FILE... [--id ID] [--type TYPE] [--force]
                  new policies policy/<id>.md, one per file (in parallel)
      styrdok import FILE --into ID [--changes accept|reject]
                  the text of a styrdok DOCX edited in Word, back into policy/ID.md

    Headings are found from Word's heading styles, styles based on them, outline levels and,
    in files of plain Normal text, short bold or larger lines (a typed number gives the
    level). Decision lines, the information table, page header and footer and the document
    properties become the front matter. Every guess and every loss (images, text boxes,
    comments …) is in the report, printed and written to build/import/<id>.md. Nothing is
    written for a file that fails; an existing policy is overwritten only with --force.

    Example:

    \b
        styrdok import "Policy för föreningsstöd.docx" --id foreningsstod
        styrdok import remissversion-med-synpunkter.docx --into social-ekonomi
    """
    workspace = _workspace()
    if into is not None:
        if len(files) != 1 or policy_id or doc_type or force:
            raise click.UsageError(_("--into takes one file and none of --id, --type, --force"))
        report = importer.run.import_into(workspace, files[0], into, changes=changes)
        click.echo(report.screen())
        click.echo(_("report: {path}").format(path=importer.run.REPORT_DIR / f"{into}.md"), err=True)
        return
    try:
        reports = importer.run.import_files(workspace, list(files), policy_id=policy_id, doc_type=doc_type, force=force,
                                        progress=_import_progress() if len(files) > 1 else None)
    except StyrdokError as exc:
        raise click.UsageError(str(exc)) from None
    failed = [r for r in reports if not r.ok]
    click.echo(reports[0].screen() if len(files) == 1 else importer.run.summary(reports))
    for report in reports:
        if report.ok:
            click.echo(_("report: {path}").format(path=importer.run.REPORT_DIR / f"{report.policy_id}.md"), err=True)
        elif len(files) > 1:
            click.secho(f"{report.source}: {report.error}", fg="red", err=True)
    if failed:
        raise Failed(ngettext("{n} of {total} file could not be imported; nothing was written for it",
                              "{n} of {total} files could not be imported; nothing was written for them",
                              len(reports)).format(n=len(failed), total=len(reports)))
    click.echo(ngettext("{n} file imported into policy/ (run styrdok check)",
                        "{n} files imported into policy/ (run styrdok check)", len(reports)).format(n=len(reports)),
               err=True)


def _import_progress() -> importer.run.Progress:
    """One line per file; on a terminal, one line updated in place."""
    def show(report: importer.run.Report, done: int, total: int) -> None:
        state = click.style(_("ok"), fg="green") if report.ok else click.style(_("FAILED"), fg="red")
        _progress_line(f"  [{done}/{total}] {state}  {report.source} → {report.policy_id}", report.ok, done == total)

    return show


def _diff_changed(from_rev: str | None, out: Path | None, author: str | None, fmt: str) -> None:
    results = changes.redline_changed(_workspace(), from_rev, out=out, author=author)
    if fmt == "json":
        click.echo(changes.summary_json(results, from_rev), nl=False)
    else:
        for item in results:
            click.echo(click.style(f"== {item.policy.id}", bold=True))
            if item.redline is None:
                click.echo("  " + _("new policy: no earlier adopted version to compare with"))
            else:
                click.echo(redline.summary.screen(item.redline.summary))
                click.echo(f"  → {item.redline.out}/", err=True)
        if not results:
            click.echo(_("no changed policies"))
    differs = any(item.redline is None or item.redline.changed for item in results)
    click.get_current_context().exit(1 if differs else 0)


CI_SERVICES = ("github", "gitlab")  # scaffold.CI_FILES, named here so that --help loads no scaffold (test_startup)


@main.command()
@option("--ci", type=click.Choice(CI_SERVICES), default=None,
        help=N_("Also write the CI configuration: .gitlab-ci.yml or .github/workflows/styrdok.yml."))
@option("--pre-commit", "pre_commit", is_flag=True,
        help=N_("Also write .pre-commit-config.yaml running `styrdok check` before each commit."))
def init(ci: str | None, pre_commit: bool) -> None:
    """Make the current folder a policy repository.

    Creates a git repository if the folder is not in one, policy/, templates/ (with a README
    on overriding the packaged templates) and a .gitignore holding build/ and the caches.
    Existing files are kept, so it can be run again on an existing repository, e.g. to add CI.

    Example:

    \b
        styrdok init --ci gitlab --pre-commit
    """
    done = scaffold.init(Path.cwd(), ci=ci, pre_commit=pre_commit)
    if done.created_repository:
        click.echo(_("created a git repository in {root}").format(root=done.root))
    for path in done.written:
        click.echo("  " + _("wrote {path}").format(path=path.relative_to(done.root)))
    for path in done.kept:
        click.echo("  " + _("kept {path} (already there)").format(path=path.relative_to(done.root)))
    click.echo(_("Done. Next: styrdok new ID --type policy --title \"…\""))


@main.command()
@click.argument("policy_id", metavar="ID")
@option("--type", "doc_type", required=True, metavar="TYPE",
        help=N_("Document type (policy, riktlinje, plan …: the types templates/new-policy.yaml has sections for)."))
@option("--title", required=True, metavar="TITLE", help=N_("The document's name, e.g. \"Riktlinje för inköp\"."))
@option("--owner", default="kommunstyrelsen", show_default=True, metavar="BODY",
        help=N_("The owning and deciding body."))
@option("--year", type=int, default=None, metavar="YYYY", help=N_("Expected year of the decision, shown in its placeholder."))
def new(policy_id: str, doc_type: str, title: str, owner: str, year: int | None) -> None:
    """Write a new policy: policy/ID.md, a draft with a pending decision (fastställd).

    The text starts with the sections a document of its type usually has
    (templates/new-policy.yaml), each with a sentence saying what belongs there.

    Example:

    \b
        styrdok new riktlinje-inkop --type riktlinje --title "Riktlinje för inköp"
    """
    path = scaffold.new_policy(_workspace(), policy_id, type=doc_type, title=title, owner=owner, year=year)
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    click.echo(_("wrote {path}: a draft with a pending decision (fastställd). Write the text and run styrdok check.")
               .format(path=shown))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
