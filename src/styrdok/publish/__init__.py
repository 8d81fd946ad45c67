"""Publish stage: the website bundle, built from git and never from uncommitted files.

The stages, each a module, pass plain values forward:

1. gather (`gather`): every policy's adopted versions and consultations, one pass over git;
2. check (`frozen`): no version published earlier would change, else refuse before writing;
3. plan: which frozen folders, consultation packages and pages are missing or out of date;
4. render (`render`, page models in `pages`): only those, in memory, one job per policy in a process pool;
5. write (`write`): each policy's parts as its job finishes, then the register (`register`): index.html,
   register.json, feed.xml and sitemap.xml.

Every link between pages is relative, so the bundle works from any folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from .. import clock
from ..cache import CACHE_DIR, BuildCache, HistoryCache, fingerprint
from ..errors import StyrdokError
from ..history import History
from ..output import OutputDir
from ..templates import Templates
from ..workspace import Workspace
from .frozen import Frozen, HistoryRewritten, State, check_frozen, frozen_units, state
from .gather import Entry, gather, sources
from .layout import HISTORY_CACHE, SITE_DIR
from .register import register_files
from .render import Job, remiss_cache_name, run
from .write import PublishResult, write_made


def publish(workspace: Workspace, out: Path | None = None, base_url: str | None = None,
            today: dt.date | None = None, *, jobs: int | None = None) -> PublishResult:
    """Write the website bundle into `out` (default build/site/).

    `base_url` (the bundle's address on the web) makes the feed's links absolute and enables
    sitemap.xml, which needs absolute URLs. `today` (default: `clock.today()`) decides review
    states and whether a consultation is still open. `jobs` caps the rendering processes (default:
    one per core).
    """
    base = site_url(base_url)
    day = clock.today(today)
    site = OutputDir(out or workspace.root / SITE_DIR)
    templates = workspace.templates
    cache = BuildCache(site.root, fingerprint(templates, "site"))
    result = PublishResult(site.root)

    known = HistoryCache(site.root / CACHE_DIR / HISTORY_CACHE)
    history = History(workspace, known)
    gathered = gather(workspace, history, day)
    result.notes += gathered.notes
    states = {entry.id: [(unit, state(site.root, unit)) for unit in frozen_units(entry)] for entry in gathered.entries}
    check_frozen(site.root, gathered.entries, states)
    planned = [plan(entry, states[entry.id], history, templates, cache, day) for entry in gathered.entries]
    published: set[str] = set()
    for made in run(planned, jobs):
        if made.problems:
            result.problems += made.problems
            continue
        write_made(site, cache, made, result)
        published.add(made.policy_id)
    entries = [entry for entry in gathered.entries if entry.id in published]
    result.policies = [entry.id for entry in entries]
    files, notes = register_files(entries, templates, day, base)
    site.write_all(files)
    result.notes += notes
    result.written = sorted(site.changed)
    known.save(keep_head=history.head)
    return result


def plan(entry: Entry, folders: list[tuple[Frozen, State]], history: History, templates: Templates,
         cache: BuildCache, today: dt.date) -> Job:
    """What of `entry` the site lacks: frozen folders not intact, a stale consultation package; the sizes
    of everything already published (from the folders' manifests and the cache's records), and the bytes
    of the versions that may be rendered."""
    units: list[tuple[Frozen, State]] = []
    sizes: dict[str, int] = {}
    for unit, published in folders:
        if published.intact:
            sizes.update({f"{unit.folder}/{name}": rec["bytes"] for name, rec in published.recorded.items()})
        else:
            units.append((unit, published))
    stale = False
    if entry.consultation:
        recorded = cache.sizes(remiss_cache_name(entry.id), entry.consultation.key)
        stale = recorded is None
        sizes.update(recorded or {})
    blobs = {v.blob for unit, _ in units for v in (unit.version, unit.previous) if v is not None}
    if entry.current:
        blobs.add(entry.current.blob)  # the policy's page, should it be stale
    if stale and entry.consultation:
        blobs.add(entry.consultation.blob)
    return Job(entry, tuple(units), stale, sizes, sources(history, blobs), templates, cache, today)


def site_url(value: str | None) -> str | None:
    """`--base-url` as the address of a folder (ending in '/'), or None."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise StyrdokError.because(f"--base-url '{value}' cannot be used", "it is not the web address of a folder",
                                   "give an absolute http(s) URL, e.g. https://www.timra.se/styrdokument/")
    return value if value.endswith("/") else value + "/"


__all__ = ["HistoryRewritten", "PublishResult", "publish"]
