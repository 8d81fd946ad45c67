"""`styrdok import` as stages: gather and check every input, convert in parallel (in memory),
then write each policy file and its report. A file that fails writes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import source
from ..errors import StyrdokError
from ..i18n import _, ngettext
from ..output import atomic_write
from ..workspace import Workspace
from . import wordfile
from .convert import convert, file_id
from .report import Entry, Report

REPORT_DIR = Path("build", "import")
__all__ = ["REPORT_DIR", "Progress", "Report", "import_files", "import_into", "summary"]
Progress = Callable[[Report, int, int], None]


@dataclass(frozen=True)
class Job:
    path: Path
    policy_id: str
    display: str
    doc_type: str | None


def report_path(workspace: Workspace, policy_id: str) -> Path:
    return workspace.root / REPORT_DIR / f"{policy_id}.md"


def import_files(workspace: Workspace, files: list[Path], *, policy_id: str | None = None, doc_type: str | None = None,
                 force: bool = False, progress: Progress | None = None, jobs: int | None = None) -> list[Report]:
    """Import Word files as new policies `policy/<id>.md`; one report per file, in the order given."""
    if policy_id is not None and len(files) != 1:
        raise StyrdokError(_("--id can only be given when one file is imported; without --id each policy gets its "
                             "id from the file name"))
    if policy_id is not None and not source.SLUG.match(policy_id):
        raise StyrdokError(_("--id {id!r} is not a valid id: use a–z, 0–9 and single hyphens, e.g. --id foreningsstod")
                           .format(id=policy_id))
    types = source.document_types()
    if doc_type is not None and doc_type not in types:
        raise StyrdokError(_("--type {type!r} is not a document type; choose one of {types}")
                           .format(type=doc_type, types=", ".join(types)))
    reports: dict[int, Report] = {}
    todo: dict[int, Job] = {}
    claimed: dict[str, str] = {}
    for i, path in enumerate(files):
        display = str(path)
        pid = policy_id or file_id(path)
        target = workspace.policy_dir / f"{pid}.md"
        error = None
        if not path.is_file():
            error = _("the file does not exist")
        elif pid in claimed:
            error = _("gives the same id '{id}' as {other}; rename one of the files or import them one by one with "
                      "--id").format(id=pid, other=claimed[pid])
        elif target.exists() and not force:
            error = _("policy/{id}.md already exists; nothing was written. Give --force to overwrite it, --id for "
                      "another id, or --into {id} to take edits from Word into it").format(id=pid)
        claimed.setdefault(pid, display)
        if error:
            reports[i] = Report(source=display, policy_id=pid, target=f"policy/{pid}.md", error=error)
            _show(progress, reports[i], len(reports), len(files))
        else:
            todo[i] = Job(path.resolve(), pid, display, doc_type)
    texts: dict[int, str] = {}
    for i, (report, text) in _convert_all(todo, jobs):
        reports[i] = report
        if report.ok and text is not None:
            texts[i] = text
            _write(workspace, report, text)
        _show(progress, report, len(reports), len(files))
    return [reports[i] for i in range(len(files))]


def _convert_all(todo: dict[int, Job], jobs: int | None):
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        for i, job in todo.items():
            yield i, convert_job(job)
        return
    import multiprocessing  # here: one file, the usual case, needs no worker processes
    from concurrent.futures import ProcessPoolExecutor, as_completed
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(convert_job, job): i for i, job in todo.items()}
        for future in as_completed(futures):
            yield futures[future], future.result()


def convert_job(job: Job) -> tuple[Report, str | None]:
    """One file converted in memory: (report, policy text or None when it failed)."""
    try:
        doc = wordfile.load(job.path, job.display)
        converted = convert(doc, policy_id=job.policy_id, doc_type=job.doc_type, display=job.display)
    except StyrdokError as exc:  # the report names the file: its error says why, and the fix
        why = "\n".join(str(p) for p in exc.problems) or str(exc).removeprefix(f"{job.display}: ")
        return Report(source=job.display, policy_id=job.policy_id, target=f"policy/{job.policy_id}.md",
                      error=why), None
    report = converted.report
    if doc.converted_from == "doc":
        report.guesses.insert(0, Entry(_("the file was an older Word document (.doc), converted with LibreOffice")))
    elif doc.converted_from == "odt" and doc.converter == "libreoffice":
        report.guesses.insert(0, Entry(_("the file was OpenDocument text (.odt), converted with LibreOffice")))
    elif doc.converted_from == "odt":
        report.guesses.insert(0, Entry(_("the file was OpenDocument text (.odt), read through pandoc (with "
                                         "LibreOffice installed, the soffice command, its styles would be kept)")))
    return report, (converted.text if report.ok else None)


def _write(workspace: Workspace, report: Report, text: str) -> None:
    target = workspace.policy_dir / f"{report.policy_id}.md"
    atomic_write(target, text.encode("utf-8"))
    report.written = True
    atomic_write(report_path(workspace, report.policy_id), report.markdown().encode("utf-8"))


def _show(progress: Progress | None, report: Report, done: int, total: int) -> None:
    if progress:
        progress(report, done, total)


def summary(reports: list[Report]) -> str:
    """The table printed after a batch: one row per file."""
    rows: list[tuple[str, ...]] = [(_("file"), "id", _("headings"), _("paragraphs"), _("list items"), _("tables"),
                                    _("guesses"), _("losses"), "")]
    for r in reports:
        c = r.counts
        rows.append((r.source, r.policy_id, *(str(n) for n in (c.headings, c.paragraphs, c.list_items, c.tables,
                                                               len(r.guesses), len(r.losses))),
                     "ok" if r.ok else _("FAILED")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    done = sum(r.ok for r in reports)
    lines.append(ngettext("{done} of {n} file imported; {guesses} guesses and {losses} losses to check (see "
                          "build/import/)", "{done} of {n} files imported; {guesses} guesses and {losses} losses to "
                          "check (see build/import/)", len(reports))
                 .format(done=done, n=len(reports), guesses=sum(len(r.guesses) for r in reports),
                         losses=sum(len(r.losses) for r in reports)))
    return "\n".join(lines)


def import_into(workspace: Workspace, file: Path, policy_id: str, *, changes: str = "accept") -> Report:
    """The round trip: the edited text of a styrdok DOCX into policy/<id>.md (front matter kept)."""
    from .into import into
    report, text = into(workspace, file, policy_id, changes=changes)
    target = workspace.policy_path(policy_id)
    if text is not None:
        atomic_write(target, text)
        report.written = True
    atomic_write(report_path(workspace, policy_id), report.markdown().encode("utf-8"))
    return report
