"""Render: every part of a policy's site that is missing or out of date, in memory, one job per policy.

A job parses each version it needs once, renders the frozen folders the site lacks (a version's
documents and page, its redline), an open consultation's package and the policy's page, and hands
back bytes; nothing is written here. Jobs run in a process pool, as `build` runs policies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import clock, pandoc, source
from ..cache import BuildCache
from ..consult import remiss_of, render_package
from ..errors import InvalidPolicy, Problem
from ..model import Policy
from ..redline import Prepared, prepare, render_prepared
from ..render.document import Presentation, body_blocks, presentation
from ..render.html import HTML_OPTIONS, html_document, render_html
from ..render.pdf import TypstFailed, typst_document
from ..render.policy import render_documents
from ..templates import Templates
from ..workspace import POLICY_DIR
from .frozen import Frozen, Record, State, record
from .gather import AdoptedVersion, Entry
from .layout import PAGE, POLICY_TEMPLATE, REMISS_TEMPLATE
from .pages import PolicyPage, RemissPage, policy_page, version_page
from .register import as_json


@dataclass(frozen=True)
class Job:
    """What to make of one policy: the frozen folders it lacks (with what of them is published), whether
    its consultation's package is stale, the sizes of everything published earlier, and the committed
    bytes of the versions it may render (by blob id)."""

    entry: Entry
    units: tuple[tuple[Frozen, State], ...]
    remiss: bool
    sizes: dict[str, int]
    sources: dict[str, bytes]
    templates: Templates
    cache: BuildCache
    today: dt.date


@dataclass(frozen=True)
class FrozenFolder:
    """A frozen folder as rendered: the files to write (those not kept as published) and its manifest."""

    unit: Frozen
    files: dict[str, bytes]
    manifest: bytes


@dataclass
class Made:
    """What a job rendered; `page` is None when the policy's page is up to date."""

    policy_id: str
    folders: list[FrozenFolder] = field(default_factory=list)
    remiss: dict[str, bytes] = field(default_factory=dict)  # site path: bytes
    remiss_key: bytes = b""
    page: bytes | None = None
    page_key: bytes | None = None  # None: not cached (a page without an adopted version is always written)
    problems: list[Problem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.folders or self.remiss or self.page is not None)


def page_cache_name(policy_id: str) -> str:
    return f"site-{policy_id}-page"


def remiss_cache_name(policy_id: str) -> str:
    return f"site-{policy_id}-remiss"


def make(job: Job) -> Made:
    """Render everything `job` asks for; a policy that does not validate or cannot be rendered makes nothing
    (its problems say why)."""
    try:
        return _Maker(job).make()
    except InvalidPolicy as exc:
        return Made(job.entry.id, problems=exc.problems)
    except (TypstFailed, pandoc.PandocFailed) as exc:  # one policy that cannot be rendered must not stop the others
        return Made(job.entry.id, problems=[Problem(f"{POLICY_DIR}/{job.entry.id}.md", 0, f"could not be published: {exc}")])


class _Maker:
    def __init__(self, job: Job):
        self.job = job
        self.entry = job.entry
        self.templates = job.templates
        self.sizes = dict(job.sizes)
        self.policies: dict[str, Policy] = {}  # by blob id: each version parsed once
        self.bodies: dict[str, str] = {}  # by blob id: each version's HTML body made once

    def make(self) -> Made:
        made = Made(self.entry.id)
        self._parse([unit.version for unit, _ in self.job.units] +
                    [unit.previous for unit, _ in self.job.units if unit.redline and unit.previous])
        redlines = {unit.folder: self._prepare(unit) for unit, _ in self.job.units if unit.redline}
        self._prefetch([unit.version for unit, _ in self.job.units if not unit.redline], list(redlines.values()))
        try:
            for unit, published in self.job.units:
                made.folders.append(self._frozen(unit, published, redlines.get(unit.folder)))
        finally:
            pandoc.forget_prefetched()
        if self.job.remiss and self.entry.consultation:
            made.remiss, made.remiss_key = self._remiss(), self.entry.consultation.key
            self.sizes.update({path: len(data) for path, data in made.remiss.items()})
        made.page, made.page_key = self._page()
        return made

    def _parse(self, versions: list[AdoptedVersion]) -> None:
        todo = {v.blob: v for v in versions if v.blob not in self.policies}
        sources = self.job.sources
        parsed = pandoc.concurrently(*(lambda v=v: _load(v, sources[v.blob]) for v in todo.values())) if todo else []
        self.policies.update(zip(todo, parsed))

    def _prefetch(self, versions: list[AdoptedVersion], redlines: list[Prepared]) -> None:
        """The HTML and the Typst of every version's body and every redline, each format in one pandoc run
        (starting pandoc costs more than converting a policy); the renderers then take them from there."""
        bodies = [body_blocks(self.policies[v.blob]) for v in versions]
        html = [html_document(blocks) for blocks in bodies] + [r.documents()["html5"] for r in redlines]
        typst = [typst_document(blocks) for blocks in bodies] + [r.documents()["typst"] for r in redlines]
        if len(html) > 1:
            pandoc.concurrently(lambda: pandoc.prefetch(html, "html5", *HTML_OPTIONS),
                                lambda: pandoc.prefetch(typst, "typst"))

    def _policy(self, version: AdoptedVersion) -> Policy:
        if version.blob not in self.policies:
            self._parse([version])
        return self.policies[version.blob]

    # frozen folders --------------------------------------------------------------------------------

    def _frozen(self, unit: Frozen, published: State, redline: Prepared | None) -> FrozenFolder:
        files = render_prepared(redline).files if redline else self._version(unit, published)
        listing: dict[str, Record] = {name: published.kept.get(name) or record(data) for name, data in files.items()}
        self.sizes.update({f"{unit.folder}/{name}": rec["bytes"] for name, rec in listing.items()})
        manifest = as_json({**unit.about(), "files": dict(sorted(listing.items()))})
        return FrozenFolder(unit, {n: d for n, d in files.items() if n not in published.kept}, manifest)

    def _prepare(self, unit: Frozen) -> Prepared:
        """The redline from one adopted version to the next (redline.html, .docx, .pdf, changes.md), laid out."""
        old, new = unit.previous, unit.version
        assert old is not None
        labels = (f"versionen antagen {old.date.isoformat()}", f"versionen antagen {new.date.isoformat()}")
        return prepare(self._policy(old), self._policy(new), self.templates, labels=labels)

    def _version(self, unit: Frozen, published: State) -> dict[str, bytes]:
        """A version's PDF and Word, and its page (which links them with their sizes)."""
        version = unit.version
        policy = self._policy(version)
        view = dated_view(policy, version.date, self.templates)
        documents = render_documents(policy, self.templates, view)
        self.bodies[version.blob] = documents.body_html
        files = {f"{policy.id}.docx": documents.docx, f"{policy.id}.pdf": documents.pdf}
        sizes = {f"{unit.folder}/{name}": published.kept[name]["bytes"] if name in published.kept else len(data)
                 for name, data in files.items()}
        page = version_page(self.entry, version, unit.previous, sizes)
        files[PAGE] = render_html(policy, view, self.templates, body=documents.body_html, template=POLICY_TEMPLATE,
                                  extra={"site": page})
        return files

    # the consultation and the policy's page ---------------------------------------------------------

    def _remiss(self) -> dict[str, bytes]:
        consultation = self.entry.consultation
        assert consultation is not None
        policy = source.load(Path(f"{self.entry.id}.md"), data=self.job.sources[consultation.blob],
                             display=f"{POLICY_DIR}/{self.entry.id}.md@{consultation.sha[:8]}")
        day = consultation.opened.date()
        remiss = remiss_of(policy, self.templates, deadline=consultation.deadline, bodies=consultation.bodies,
                           dnr=consultation.dnr, issued=day, stamp=clock.midnight(day))
        folder = consultation.folder(self.entry.id)
        return {f"{folder}/{name}": data for name, data in render_package(remiss, self.templates).items()}

    def _page(self) -> tuple[bytes | None, bytes | None]:
        """The policy's page, unless the page the cache recorded for the same content is there."""
        page = policy_page(self.entry, self.sizes, self.job.today)
        current = self.entry.current
        if isinstance(page, RemissPage) or current is None:
            return self._remiss_page(page), None
        key = current.blob.encode() + as_json(dataclasses.asdict(page))
        if self.job.cache.fresh(page_cache_name(self.entry.id), key) is not None:
            return None, None
        policy = self._policy(current)
        view = dated_view(policy, current.date, self.templates)
        body = self.bodies.get(current.blob)
        html = render_html(policy, view, self.templates, body=body, template=POLICY_TEMPLATE, extra={"site": page})
        return html, key

    def _remiss_page(self, page: PolicyPage | RemissPage) -> bytes:
        assert isinstance(page, RemissPage)
        meta = self.entry.meta
        html = self.templates.render(REMISS_TEMPLATE, meta=meta, doctype=self.templates.labels.doctype(meta.type), root="../",
                                     history=page.history, consultation=page.consultation)
        return html.encode("utf-8")


def dated_view(policy: Policy, day: dt.date, templates: Templates) -> Presentation:
    """The final presentation, dated by the version's decision: its files never depend on when they were built."""
    view = presentation(policy, final=True, labels=templates.labels, theme=templates.theme)
    return replace(view, timestamp=clock.midnight(day))


def _load(version: AdoptedVersion, data: bytes) -> Policy:
    """The policy in a version's committed bytes: exactly those its manifest names; a final document, so no
    placeholders."""
    policy = source.load(Path(f"{version.policy_id}.md"), data=data,
                         display=f"{POLICY_DIR}/{version.policy_id}.md@{version.revision.short}")
    if left := source.placeholders(policy):
        raise InvalidPolicy(left)
    return policy


def run(jobs: list[Job], workers: int | None = None) -> Iterator[Made]:
    """Every job's result, as the jobs finish: in a process pool when there is more than one job to render."""
    heavy = [job for job in jobs if job.units or job.remiss]
    for job in jobs:
        if not (job.units or job.remiss):
            yield make(job)  # at most the policy's page: not worth a process
    count = min(workers or os.cpu_count() or 1, len(heavy))
    if count <= 1:
        yield from map(make, heavy)
        return
    # forkserver: workers start from a clean single-threaded process, whatever the caller runs.
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("forkserver")) as pool:
        for future in as_completed([pool.submit(make, job) for job in heavy]):
            yield future.result()

