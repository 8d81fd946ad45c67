"""Render: every part of a policy's site that is missing or out of date, in memory, one job per policy.

A job parses each version it needs once, renders what the site lacks (archived consultations, frozen
folders — a version's documents, its redline —, version pages, an open consultation's package, the
policy's page) and hands back bytes with the cache records to keep; nothing is written here. Page
models are built from the sizes of the bytes made (or recorded when published earlier), never from
files read back. Jobs run in a process pool, as `build` runs policies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from .. import clock, fonts, i18n, pandoc, source
from ..cache import BuildCache
from ..consult import remiss_of, render_package
from ..consult.package import CHANGES, VERSION
from ..errors import InvalidPolicy, Problem
from ..i18n import _
from ..model import Policy
from ..redline import Prepared, prepare, render_prepared
from ..render.document import Presentation, body_blocks, presentation
from ..render.html import HTML_OPTIONS, body_html, html_document, render_html
from ..render.pdf import TypstFailed, typst_document
from ..render.policy import render_documents
from ..templates import Templates
from ..workspace import POLICY_DIR, Workspace
from .frozen import Frozen, State, frozen_files, with_previous
from .gather import AdoptedVersion, Entry, Round
from .layout import PAGE, POLICY_TEMPLATE, REDLINE_PAGE, REMISS_TEMPLATE, remiss_folder
from .pages import PolicyPage, archives, consultation_info, history_rows, policy_page, version_page
from .register import _doctype


@dataclass(frozen=True)
class Job:
    """What to make of one policy: its entry, what the site holds of its frozen folders, and (to render)
    the committed bytes of its versions by blob id and its archived remissammanställningar by deadline."""

    entry: Entry
    states: tuple[tuple[Frozen, State], ...]
    site: Path
    cache: BuildCache
    today: dt.date
    sources: dict[str, bytes] = field(default_factory=dict)
    archived: dict[str, dict[str, bytes]] = field(default_factory=dict)


@dataclass
class Made:
    """What a job made: files by site path, the cache records to keep once they are written (name,
    key, paths), the folders and pages rendered, and the problems of a policy that could not be made."""

    policy_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    records: list[tuple[str, bytes, list[str]]] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # every file of the policy's site the pages know of


class NeedsRendering(Exception):
    """Planning found a part of the policy's site that must be rendered."""


def make(job: Job, templates: Templates, *, render: bool = True) -> Made:
    """Everything `job` lacks, rendered; with `render` False, NeedsRendering as soon as anything is
    missing (what is up to date costs no pandoc and no git). A policy that does not validate or cannot
    be rendered makes nothing (its problems say why)."""
    try:
        return _Maker(job, templates, render).make()
    except InvalidPolicy as exc:
        return Made(job.entry.id, problems=exc.problems)
    except (TypstFailed, pandoc.PandocFailed) as exc:  # one policy that cannot be rendered must not stop the others
        return Made(job.entry.id, problems=[Problem(f"{POLICY_DIR}/{job.entry.id}.md", 0,
                                                    _("could not be published: {error}").format(error=exc))])


class _Maker:
    def __init__(self, job: Job, templates: Templates, render: bool):
        self.job, self.entry, self.templates, self.render = job, job.entry, templates, render
        self.labels = templates.labels
        self.made = Made(job.entry.id)
        self.sizes: dict[str, int] = {}
        self.policies: dict[str, Policy] = {}  # by blob id: each version parsed once
        self.bodies: dict[str, str] = {}  # by blob id: a version's HTML body, made with its documents
        self.redlines: dict[str, Prepared] = {}  # by folder: laid out, their HTML and Typst prefetched

    def need(self) -> None:
        if not self.render:
            raise NeedsRendering(self.entry.id)

    def add(self, files: dict[str, bytes], name: str | None = None, key: bytes = b"") -> None:
        self.made.files.update(files)
        self.sizes.update({path: len(data) for path, data in files.items()})
        if name is not None:
            self.made.records.append((name, key, list(files)))
            self.made.rendered.append(name)

    def cached(self, name: str, key: bytes) -> bool:
        """Whether the files `key` made under `name` last time are all there (their sizes then known)."""
        sizes = self.job.cache.sizes(name, key)
        if sizes is None:
            return False
        self.sizes.update(sizes)
        return True

    def make(self) -> Made:
        try:
            if self.render:
                self.prepare()
            return self._make()
        finally:
            pandoc.forget_prefetched()

    def prepare(self) -> None:
        """Parse every version the frozen folders to render need, concurrently; lay their redlines out; and
        convert the HTML and the Typst of all their bodies and redlines, each format in one pandoc run
        (starting pandoc costs more than converting a policy): the renderers take them from there."""
        units = [unit for unit, known in self.job.states if not known.intact]
        versions = {v.blob: v for unit in units for v in (unit.version, unit.previous) if v is not None}
        if versions:
            pandoc.concurrently(*(partial(self.load, v) for v in versions.values()))
        self.redlines = {unit.folder: self.prepare_redline(unit) for unit in units if unit.redline}
        bodies = [body_blocks(self.load(unit.version)) for unit in units if not unit.redline]
        redlines = [r.documents() for r in self.redlines.values()]
        html = [html_document(blocks) for blocks in bodies] + [documents["html5"] for documents in redlines]
        typst = [typst_document(blocks) for blocks in bodies] + [documents["typst"] for documents in redlines]
        if len(html) > 1:
            pandoc.concurrently(lambda: pandoc.prefetch(html, "html5", *HTML_OPTIONS),
                                lambda: pandoc.prefetch(typst, "typst"))

    def _make(self) -> Made:
        entry = self.entry
        for closed, _led_to, in_force in archives(entry):  # first: the version pages link them
            name = f"site-{entry.id}-remiss-{closed.deadline.isoformat()}"
            key = closed.key + (in_force.blob.encode() if in_force else b"")
            if not self.cached(name, key):
                self.need()
                self.add(self.archive_files(closed, in_force), name, key)
        for unit, known in self.job.states:
            if known.intact:
                self.sizes.update({f"{unit.folder}/{n}": record["bytes"] for n, record in known.recorded.items()})
                continue
            self.need()
            files, sizes = frozen_files(self.job.site, unit, known, self.frozen_files(unit))
            self.made.files.update({f"{unit.folder}/{n}": data for n, data in files.items()})
            self.sizes.update({f"{unit.folder}/{n}": size for n, size in sizes.items()})
            self.made.rendered.append(unit.folder)
        for previous, version in with_previous(entry.versions):
            self.version_page(version, previous)
        if entry.consultation:
            name = f"site-{entry.id}-remiss"
            key = entry.consultation.key + (entry.current.blob.encode() if entry.current else b"")
            if not self.cached(name, key):
                self.need()
                self.add(self.remiss_files(entry.consultation), name, key)
        self.policy_page()
        self.made.sizes = self.sizes
        return self.made

    # parsing ----------------------------------------------------------------------------------------

    def parse(self, blob: str, rev: str) -> Policy:
        if blob not in self.policies:
            pid = self.entry.id
            self.policies[blob] = source.load(Path(f"{pid}.md"), display=f"{POLICY_DIR}/{pid}.md@{rev}",
                                              data=self.job.sources[blob])
        return self.policies[blob]

    def load(self, version: AdoptedVersion) -> Policy:
        policy = self.parse(version.blob, version.revision.short)
        if left := source.placeholders(policy):
            raise InvalidPolicy(left)
        return policy

    def view(self, policy: Policy, day: dt.date) -> Presentation:
        """The final presentation, dated by the version's decision: its files never depend on when they were built."""
        return replace(presentation(policy, final=True, labels=self.labels, theme=self.templates.theme),
                       timestamp=clock.midnight(day))

    # frozen folders ---------------------------------------------------------------------------------

    def frozen_files(self, unit: Frozen) -> dict[str, bytes]:
        if unit.redline and unit.previous:
            prepared = self.redlines.get(unit.folder) or self.prepare_redline(unit)
            return render_prepared(prepared).files
        policy = self.load(unit.version)
        documents = render_documents(policy, self.templates, self.view(policy, unit.version.date))
        self.bodies[unit.version.blob] = documents.body_html  # the version's page shows the same body
        return documents.files(policy.id)

    def prepare_redline(self, unit: Frozen) -> Prepared:
        """The redline from one adopted version to the next (redline.html, .docx, .pdf, changes.md), laid out."""
        old, new = unit.previous, unit.version
        assert old is not None
        words = self.labels
        labels = (words("site.redline_labels_old", date=old.date.isoformat()),
                  words("site.redline_labels_new", date=new.date.isoformat()))
        crumbs = [(words("site.title"), "../../../index.html"), (self.load(new).meta.title, f"../../{PAGE}"),
                  (words("site.version_crumb", date=new.date.isoformat()), f"../{PAGE}"),
                  (words("site.redline_crumb"), REDLINE_PAGE)]
        return prepare(self.load(old), self.load(new), self.templates.with_globals(crumbs=crumbs),
                       labels=labels, when=clock.midnight(new.date))

    # pages ------------------------------------------------------------------------------------------

    def body(self, version: AdoptedVersion, policy: Policy) -> str:
        if version.blob not in self.bodies:
            self.bodies[version.blob] = body_html(body_blocks(policy))
        return self.bodies[version.blob]

    def version_page(self, version: AdoptedVersion, previous: AdoptedVersion | None) -> None:
        """A version's page around its frozen documents: re-rendered when its status changes."""
        page = version_page(self.entry, version, previous, self.labels, self.sizes)
        self.page(version, page, f"site-{self.entry.id}-{version.date.isoformat()}-page", f"{version.folder}/{PAGE}")

    def page(self, version: AdoptedVersion, page: PolicyPage, name: str, path: str) -> None:
        """The page of `version` around its text, showing `page`, unless the cache holds it as it is."""
        key = version.blob.encode() + json.dumps(dataclasses.asdict(page), separators=(",", ":")).encode()
        if self.cached(name, key):
            return
        self.need()
        policy = self.load(version)
        html = render_html(policy, self.view(policy, version.date), self.templates, template=POLICY_TEMPLATE,
                           extra={"site": page}, body=self.body(version, policy))
        self.add({path: html}, name, key)

    def policy_page(self) -> None:
        entry, root = self.entry, "../"
        path = f"{entry.id}/{PAGE}"
        current = entry.current
        if current is None:  # only a consultation so far: a small page, made every run (no pandoc)
            page = self.templates.render(REMISS_TEMPLATE, meta=entry.meta, doctype=_doctype(entry.meta, self.labels),
                                         root=root, history=history_rows(entry, root, self.labels, self.sizes),
                                         consultation=consultation_info(entry, root, self.labels, self.sizes,
                                                                        self.job.today))
            self.add({path: page.encode("utf-8")})
            return
        self.page(current, policy_page(entry, self.labels, self.sizes, self.job.today), f"site-{entry.id}-page", path)

    # consultations ----------------------------------------------------------------------------------

    def remiss_files(self, consultation: Round) -> dict[str, bytes]:
        """The open consultation's package as it was sent: with the redline against the version in
        force (andringar.html, .pdf) when there is one, each page with its breadcrumb."""
        policy = self.parse(consultation.blob, consultation.sha[:8])
        words = self.labels
        in_force = self.entry.current
        remiss = remiss_of(policy, self.templates, deadline=consultation.deadline, bodies=consultation.bodies,
                           dnr=consultation.dnr, issued=consultation.opened.date(),
                           stamp=clock.midnight(consultation.opened.date()),
                           in_force=self.load(in_force) if in_force else None,
                           in_force_label=words("site.redline_labels_old", date=in_force.date.isoformat())
                           if in_force else None)
        folder = remiss_folder(self.entry.id, consultation.deadline)
        crumbs = [(words("site.title"), "../../../index.html"), (policy.meta.title, f"../../{PAGE}")]
        package = render_package(
            remiss, self.templates.with_globals(crumbs=[*crumbs, (words("site.remiss_crumb"), f"{VERSION}.html")]),
            changes_templates=self.templates.with_globals(crumbs=[*crumbs, (words("site.redline_crumb"), f"{CHANGES}.html")]))
        return {f"{folder}/{name}": data for name, data in package.items()}

    def archive_files(self, closed: Round, in_force: AdoptedVersion | None) -> dict[str, bytes]:
        """A closed consultation's package, with the redline against the version then in force and the
        remissammanställning as committed in remiss/<id>/<deadline>/."""
        policy = self.parse(closed.blob, closed.sha[:8])
        remiss = remiss_of(policy, self.templates, deadline=closed.deadline, bodies=closed.bodies, dnr=closed.dnr,
                           issued=closed.opened.date(), stamp=clock.midnight(closed.opened.date()),
                           in_force=self.load(in_force) if in_force else None,
                           in_force_label=self.labels("site.redline_labels_old", date=in_force.date.isoformat())
                           if in_force else None)
        files = {**render_package(remiss, self.templates), **self.job.archived.get(closed.deadline.isoformat(), {})}
        folder = remiss_folder(self.entry.id, closed.deadline)
        return {f"{folder}/{name}": data for name, data in files.items()}


# --- the pool ----------------------------------------------------------------------------------------

def site_templates(workspace: Workspace) -> Templates:
    """The repository's templates with the site's globals (its web fonts)."""
    templates = workspace.templates
    return templates.with_globals(web_fonts=fonts.web_fonts(templates))


def run(workspace: Workspace, jobs: list[Job], templates: Templates, workers: int | None = None) -> Iterator[Made]:
    """Make every job, in a process pool when there is more than one (as `build` does)."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        for job in jobs:
            yield make(job, templates)
        return
    context = multiprocessing.get_context("forkserver")  # workers start clean, whatever the caller runs
    with ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_ignore_sigint) as pool:
        lang = i18n.language()
        futures = [pool.submit(_make_in, lang, workspace, job) for job in _largest_first(jobs)]
        for future in as_completed(futures):
            yield future.result()


def _largest_first(jobs: Iterable[Job]) -> list[Job]:
    """The policies with the most to render first, so no worker is left with a long one at the end."""
    return sorted(jobs, key=lambda job: -sum(len(data) for data in job.sources.values()))


_templates: dict[Path, Templates] = {}  # in a worker: read once per repository


def _make_in(lang: str, workspace: Workspace, job: Job) -> Made:
    i18n.set_language(lang)
    if workspace.root not in _templates:
        _templates[workspace.root] = site_templates(workspace)
    return make(job, _templates[workspace.root])


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
