"""Publish stage: the website bundle, built from git and never from uncommitted files.

The stages, each a module, pass plain values forward:

1. gather (`gather`): every policy's adopted versions and consultations, one pass over git (front
   matter parsed once per blob and cached between runs with the commits, `HistoryCache`);
2. check (`frozen`): no version published earlier would change, else refuse before writing;
3. plan (here): which policies lack anything (a frozen folder, a stale page or package) — found from
   manifests and cache records alone, so a publish with nothing to do starts no pandoc and reads no blob;
4. render (`render`, page models in `pages`): only those, in memory, one job per policy in a process pool;
5. write (here): each policy's files as its job finishes, then the register, feed and sitemap (`register`).

Every link between pages is relative, so the bundle works from any folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from urllib.parse import urlsplit

from .. import clock
from ..cache import BuildCache, HistoryCache, fingerprint
from ..consult.responses import archived_compilation
from ..errors import Problem, StyrdokError
from ..history import History
from ..i18n import _
from ..output import CACHE_DIR, OutputDir
from ..workspace import Workspace
from .frozen import Frozen, HistoryRewritten, State, check_frozen, frozen_units, state
from .gather import Entry, gather
from .layout import HISTORY_CACHE, SITE_DIR, SITEMAP
from .pages import archives
from .register import register_files
from .render import Job, Made, NeedsRendering, make, run, site_templates


@dataclass
class PublishResult:
    out: Path
    policies: list[str] = field(default_factory=list)  # published
    rendered: list[str] = field(default_factory=list)  # folders and pages rendered this run (not up to date)
    written: list[Path] = field(default_factory=list)  # files created or changed
    problems: list[Problem] = field(default_factory=list)  # policies that could not be published
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def publish(workspace: Workspace, out: Path | None = None, base_url: str | None = None,
            today: dt.date | None = None, *, jobs: int | None = None) -> PublishResult:
    """Write the website bundle into `out` (default build/site/).

    `base_url` (the bundle's address on the web) makes the feed's links absolute and enables
    sitemap.xml, which needs absolute URLs. `today` (default: `clock.today()`: STYRDOK_TODAY, the
    SOURCE_DATE_EPOCH date, the system date) decides review states and whether a consultation is
    still open. `jobs` caps the rendering processes (default: one per core).
    """
    base = site_url(base_url)
    site = OutputDir(out or workspace.root / SITE_DIR)
    known = HistoryCache(site.root / CACHE_DIR / HISTORY_CACHE)
    history = History(workspace, known)
    if history.is_shallow():
        raise StyrdokError.because(_("cannot publish from a shallow clone"),
                                   _("git holds only the newest commits, so the site would lack the older adopted "
                                     "versions (and published ones would look removed)"),
                                   _("fetch the whole history with `git fetch --unshallow` (in CI: a clone with "
                                     "full depth, e.g. GIT_DEPTH: 0 or fetch-depth: 0), then publish"))
    day = clock.today(today)
    with site.locked():  # a second publish to the same folder waits: runs never mix their files
        result = PublishResult(site.root)
        templates = site_templates(workspace)
        cache = BuildCache(site.root, fingerprint(templates, "site"))
        gathered = gather(workspace, history, day)
        result.notes += gathered.notes
        result.problems += gathered.problems
        states = {entry.id: [(unit, state(site.root, unit)) for unit in frozen_units(entry)]
                  for entry in gathered.entries}
        check_frozen(site.root, gathered.entries, states)
        made: list[Made] = []
        todo: list[Job] = []
        for entry in gathered.entries:
            job = Job(entry, tuple(states[entry.id]), site.root, cache, day)
            try:
                made.append(make(job, templates, render=False))
            except NeedsRendering:
                todo.append(_with_sources(job, history))
        published: set[str] = set()
        sizes: dict[str, int] = {}
        for done in chain(made, run(workspace, todo, templates, jobs)):  # each written as its job finishes
            if done.problems:
                result.problems += done.problems
                continue
            _write(site, cache, done, result)
            published.add(done.policy_id)
            sizes.update(done.sizes)
        entries = [entry for entry in gathered.entries if entry.id in published]
        result.policies = [entry.id for entry in entries]
        site.write_all(register_files(entries, templates, day, base, sizes))
        if not base:
            result.notes.append(_sitemap_note(site.root / SITEMAP))
        result.written = sorted(site.changed)
        known.save(keep_head=history.head)
        return result


def _with_sources(job: Job, history: History) -> Job:
    """The job with the committed bytes it may render (read from git here: workers have no repository)."""
    entry = job.entry
    archived = {closed.deadline.isoformat(): archived_compilation(history, entry.id, closed.deadline)
                for closed, _led_to, _in_force in archives(entry)}
    return Job(job.entry, job.states, job.site, job.cache, job.today,
               {blob: history.blob(blob) for blob in sorted(entry.blobs())}, archived)


def _write(site: OutputDir, cache: BuildCache, made: Made, result: PublishResult) -> None:
    """A policy's files as a set, then the cache records that let the next run skip them."""
    if made.files:
        site.write_all(made.files)
    for name, key, paths in made.records:
        cache.record(name, key, [site.root / path for path in paths])
    result.rendered += made.rendered


def _sitemap_note(stale: Path) -> str:
    if stale.is_file():  # one from an earlier run with --base-url would list addresses no longer meant
        stale.unlink()
        return _("{file} removed: a sitemap needs absolute URLs; give --base-url").format(file=SITEMAP)
    return _("{file} not written: a sitemap needs absolute URLs; give --base-url").format(file=SITEMAP)


def site_url(value: str | None) -> str | None:
    """`--base-url` as the address of a folder (ending in '/'), or None."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise StyrdokError.because(_("--base-url '{value}' is not the web address of a folder").format(value=value),
                                   _("the feed's links and the sitemap need an absolute http(s) address, without "
                                     "a query or a fragment"),
                                   _("give an absolute http(s) URL, e.g. https://www.timra.se/styrdokument/"))
    return value if value.endswith("/") else value + "/"


__all__ = ["Frozen", "HistoryRewritten", "PublishResult", "State", "publish"]
