"""Publish stage: the website bundle, built from git and never from uncommitted files.

Gather every policy's adopted versions and consultations from git, check that no version
published earlier would change, then render only what changed: each adopted version's page and
files (frozen once published), the redline between consecutive versions, an open consultation's
remiss package, each policy's page, and the register as HTML and JSON, the Atom feed and the
sitemap. Every link between pages is relative, so the bundle works from any folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from . import fonts, pandoc, source
from .render import render_policy
from .cache import BuildCache, fingerprint
from .consult import remiss_of, render_package
from .consult.responses import ARCHIVE_DOCUMENTS, archived_compilation
from .errors import InvalidPolicy, Problem, StyrdokError
from .files import Unreadable
from .history import History, Revision, Version, blob_id
from .lifecycle import Due, due, review_by
from .mandate import MandatePeriod
from .model import Action, Decision, Metadata, Policy, Status
from .output import OutputDir
from .redline import render_redline
from .render.document import Presentation, decision_line, presentation
from .theme import Labels
from .render.html import render_html
from .render.pdf import TypstFailed
from .consult.package import CHANGES, FORM, MISSIV, VERSION
from .workspace import POLICY_DIR, Workspace
from .i18n import _

SITE_DIR = Path("build") / "site"
PAGE = "index.html"
MANIFEST = "manifest.json"
CHANGES_DIR = "andringar"  # a version's redline against the version before it
REDLINE_PAGE = "redline.html"
REDLINE_FILES = (("redline.pdf", "site.redline_pdf"), ("redline.docx", "site.redline_docx"))  # (file, label key), linked with the page
REMISS_DIR = "remiss"
REGISTER, FEED, SITEMAP = "register.json", "feed.xml", "sitemap.xml"
REGISTER_FORMAT = "styrdok-register/1"
POLICY_TEMPLATE, REMISS_TEMPLATE, INDEX_TEMPLATE = "site_policy.html.j2", "site_remiss.html.j2", "site_index.html.j2"
FEED_TEMPLATE, SITEMAP_TEMPLATE = "site_feed.xml.j2", "site_sitemap.xml.j2"


class HistoryRewritten(StyrdokError):
    """Publishing would change or drop a version published earlier."""


# --- what git holds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AdoptedVersion:
    """An adopted version of a policy: the decision it recorded and the file as committed then."""

    policy_id: str
    decision: Decision
    revision: Revision
    source: bytes = field(repr=False)

    @property
    def date(self) -> dt.date:
        assert self.decision.date is not None  # an adoption records a complete decision
        return self.decision.date

    @property
    def folder(self) -> str:
        return f"{self.policy_id}/{self.date.isoformat()}"

    @property
    def blob(self) -> str:
        return blob_id(self.source)


@dataclass(frozen=True)
class Round:
    """A consultation found in git: its deadline, when it was first committed, and its last committed text."""

    deadline: dt.date
    dnr: str | None
    bodies: tuple[str, ...]
    opened: dt.datetime
    source: bytes = field(repr=False)
    sha: str = ""  # the last commit with this consultation


@dataclass(frozen=True)
class Entry:
    """A policy as the site shows it: `meta` is its last adopted version's (else the consultation's)."""

    id: str
    meta: Metadata
    versions: tuple[AdoptedVersion, ...]  # oldest first
    rounds: tuple[Round, ...]  # every consultation in git, oldest first
    consultation: Round | None  # open: the committed policy (HEAD) says status consultation
    due: Due
    order: dict[str, int] = field(default_factory=dict, compare=False)  # commit → its place in the history

    def before(self, earlier: str, later: str) -> bool:
        """Whether commit `earlier` comes before `later` in the policy's history (commit times tie)."""
        return self.order.get(earlier, -1) < self.order.get(later, -1)

    @property
    def current(self) -> AdoptedVersion | None:
        return self.versions[-1] if self.versions else None


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
            today: dt.date | None = None) -> PublishResult:
    """Write the website bundle into `out` (default build/site/).

    `base_url` (the bundle's address on the web) makes the feed's links absolute and enables
    sitemap.xml, which needs absolute URLs. `today` (default: the SOURCE_DATE_EPOCH date, else
    the clock's) decides review states and whether a consultation is still open.
    """
    base = _base_url(base_url)
    site = OutputDir(out or workspace.root / SITE_DIR)
    history = History(workspace)
    if history.is_shallow():
        raise StyrdokError.because(_("cannot publish from a shallow clone"),
                                   _("git holds only the newest commits, so the site would lack the older adopted "
                                     "versions (and published ones would look removed)"),
                                   _("fetch the whole history with `git fetch --unshallow` (in CI: a clone with "
                                     "full depth, e.g. GIT_DEPTH: 0 or fetch-depth: 0), then publish"))
    with site.locked():  # a second publish to the same folder waits: runs never mix their files
        run = _Run(workspace, site, _today(today), base)
        entries = run.gather()
        run.check_frozen(entries)
        published = [entry for entry in entries if run.publish_policy(entry)]
        run.publish_register(published)
        run.result.written = sorted(run.site.changed)
        return run.result


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise StyrdokError(_("--base-url '{value}' is not the web address of a folder").format(value=value) + "\n    "
                           + _("fix: {hint}").format(hint=_("give an absolute http(s) URL, e.g. https://www.timra.se/styrdokument/")))
    return value if value.endswith("/") else value + "/"


def _today(today: dt.date | None) -> dt.date:
    if today:
        return today
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _meta(policy_id: str, data: bytes) -> Metadata | None:
    return source.check_metadata(Path(f"{policy_id}.md"), data)[0]


def _parse(policy_id: str, data: bytes, revision: Revision | str) -> Policy:
    """The policy in `data` (the file at `revision`): exactly the bytes its cache key and manifest name."""
    rev = revision.short if isinstance(revision, Revision) else revision
    return source.load(Path(f"{policy_id}.md"), display=f"{POLICY_DIR}/{policy_id}.md@{rev}", data=data)


def gather_entry(history: History, policy_id: str, today: dt.date) -> Entry | None:
    """What the site shows of a policy, from git; None if git holds neither an adopted version nor a consultation."""
    versions = history.versions(policy_id)
    adopted = tuple(AdoptedVersion(policy_id, v.decision, v.revision, history.read(policy_id, v.revision.sha))
                    for v in versions if v.decision)
    rounds = _rounds(history, policy_id, versions)
    head = versions[-1].revision.sha if versions else None
    open_round = next((r for r in rounds if r.sha == head), None)
    shown = adopted[-1].source if adopted else open_round.source if open_round else None
    meta = _meta(policy_id, shown) if shown is not None else None
    if meta is None:
        return None
    return Entry(policy_id, meta, adopted, tuple(rounds), open_round, due(meta, today),
                 {v.revision.sha: i for i, v in enumerate(versions)})


def _rounds(history: History, policy_id: str, versions: list[Version]) -> list[Round]:
    """Every consultation (by deadline) in the policy's history, oldest first."""
    rounds: dict[dt.date, Round] = {}
    for version in versions:
        if version.status is not Status.CONSULTATION:
            continue
        data = history.read(policy_id, version.revision.sha)
        meta = _meta(policy_id, data)
        if not (meta and meta.consultation and meta.consultation.deadline):
            continue
        first = rounds.get(meta.consultation.deadline)
        rounds[meta.consultation.deadline] = Round(
            meta.consultation.deadline, meta.consultation.dnr, meta.consultation.bodies,
            first.opened if first else version.revision.date, data, version.revision.sha)
    return sorted(rounds.values(), key=lambda r: r.opened)


# --- frozen folders: an adopted version and its redline, never changed once published -----------------

@dataclass(frozen=True)
class Frozen:
    """A folder made from fixed sources, named by `key` (their git blob ids): a version's page and
    files, or (`redline`) its redline against the previous version."""

    folder: str
    key: str
    version: AdoptedVersion
    previous: AdoptedVersion | None
    redline: bool = False

    def about(self) -> dict[str, str]:
        """What the folder's manifest says besides its files."""
        about = {"policy": self.version.policy_id, "version": self.version.date.isoformat(),
                 "decision": self.version.decision.line(), "source": self.key}
        return {**about, "compared_with": self.previous.date.isoformat()} if self.redline and self.previous else about


def with_previous(versions: tuple[AdoptedVersion, ...]) -> list[tuple[AdoptedVersion | None, AdoptedVersion]]:
    """Each version with the adopted version before it (None for the first)."""
    return list(zip((None, *versions), versions))


def frozen_units(entry: Entry) -> list[Frozen]:
    units = []
    for previous, version in with_previous(entry.versions):
        units.append(Frozen(version.folder, version.blob, version, previous))
        if previous:
            units.append(Frozen(f"{version.folder}/{CHANGES_DIR}", f"{previous.blob}..{version.blob}",
                                version, previous, redline=True))
    return units


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _intact(folder: Path, files: dict[str, dict]) -> bool:
    return bool(files) and all((folder / name).is_file() and (folder / name).stat().st_size == record.get("bytes")
                               for name, record in files.items())


# --- page data --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    label: str
    href: str
    size: str = ""  # "84 kB" for a download
    context: str = ""  # read out after the label, for links whose label repeats ("PDF" in each row)


@dataclass(frozen=True)
class HistoryRow:
    decision: str  # the decision line
    current: bool
    page: Link | None  # the version's page, if the version is in git
    downloads: tuple[Link, ...] = ()
    changes: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ConsultationInfo:
    deadline: str  # "15 februari 2027"
    dnr: str | None
    open: bool
    bodies: tuple[str, ...]
    documents: tuple[Link, ...]
    changes: tuple[Link, ...] = ()  # the redline of the proposal against the version in force


@dataclass(frozen=True)
class PolicyPage:
    """What site_policy.html.j2 shows around a version's text (`current`: the policy's own page)."""

    root: str  # from the page to the site root: "../" or "../../"
    policy_href: str
    current: bool
    date: str
    downloads: tuple[Link, ...]
    changes: tuple[Link, ...] = ()
    previous: Link | None = None
    history: tuple[HistoryRow, ...] = ()
    consultation: ConsultationInfo | None = None
    superseded: Superseded | None = None  # a version no longer in force: what replaced it
    repealed: Repealed | None = None  # the policy has been repealed (upphävd)
    archive: ArchiveInfo | None = None  # the consultation that led to this version


@dataclass(frozen=True)
class Superseded:
    """The version in force that replaced this one: its page (relative), date and deciding body."""

    href: str
    date: str
    body: str
    paragraph: int | None


@dataclass(frozen=True)
class Repealed:
    text: str  # "Upphävd av kommunstyrelsen 2026-11-25, § 190."


def status_of(entry: Entry, version: AdoptedVersion | None, root: str, labels: Labels
              ) -> tuple[Superseded | None, Repealed | None]:
    """Whether `version` (None: the policy's page) is still in force: its page says so first if not."""
    last = entry.meta.last_decision
    if last is not None and last.action is Action.REPEALED and last.date:
        return None, Repealed(labels("site.repealed", body=last.body, date=last.date.isoformat(),
                                     paragraph=last.paragraph))
    current = entry.current
    if version is None or current is None or version is current:
        return None, None
    return Superseded(f"{root}{current.folder}/{PAGE}", current.date.isoformat(), current.decision.body,
                      current.decision.paragraph), None


@dataclass(frozen=True)
class ArchiveInfo:
    """A closed consultation, kept as the archive of the version it led to."""

    deadline: str  # "15 februari 2027"
    dnr: str | None
    documents: tuple[Link, ...]


@dataclass(frozen=True)
class RegisterRow:
    title: str
    href: str
    doctype: str
    owner: str
    status: str
    consultation: str | None  # the deadline of an open consultation
    last_decision: str | None
    decided: str | None  # the last decision's date and §, and the dnr
    paragraph: int | None
    dnr: str | None
    review_by: str | None  # ska revideras senast (the rule `styrdok status` uses)
    due: str
    due_text: str
    repealed: bool
    type: str = ""


def size_text(size: int) -> str:
    """'84 kB', '1,2 MB' (Swedish decimal comma)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the run ---------------------------------------------------------------------------------------

class _Run:
    def __init__(self, workspace: Workspace, site: OutputDir, today: dt.date, base_url: str | None):
        self.workspace = workspace
        self.site = site
        self.today = today
        self.base_url = base_url
        self.history = History(workspace)
        self.templates = workspace.templates.with_globals(web_fonts=fonts.web_fonts(workspace.templates))
        self.cache = BuildCache(site.root, fingerprint(self.templates, "site"))
        self.result = PublishResult(site.root)

    # gather and check -----------------------------------------------------------------------------

    def gather(self) -> list[Entry]:
        entries = []
        for policy_id in self.workspace.ids():
            try:
                entry = gather_entry(self.history, policy_id, self.today)
            except Unreadable as exc:  # e.g. a symbolic link committed as the policy: the others are published
                self.result.problems.append(Problem(exc.path, 0, f"cannot read the file: {exc.why}", exc.fix))
                continue
            if entry is None:
                self.result.notes.append(_("{id}: not published: git holds no adopted version and no "
                                           "consultation of it yet").format(id=policy_id))
            else:
                entries.append(entry)
            if self._uncommitted(policy_id):
                self.result.notes.append(_("{path}: uncommitted changes are not published (the site shows what git "
                                           "holds; commit a consultation to publish it)").format(path=f"{POLICY_DIR}/{policy_id}.md"))
        return entries

    def _uncommitted(self, policy_id: str) -> bool:
        try:
            return self.history.read(policy_id, "HEAD") != self.history.read(policy_id)
        except StyrdokError:
            return True

    def check_frozen(self, entries: list[Entry]) -> None:
        """Refuse, writing nothing, if a published version would change or has gone from git."""
        conflicts = []
        for entry in entries:
            units = {unit.folder: unit for unit in frozen_units(entry)}
            for unit in units.values():
                recorded = _manifest(self.site.root / unit.folder).get("source")
                if recorded and recorded != unit.key:
                    conflicts.append(f"{unit.folder}/ was published from {recorded}, git now has {unit.key}")
            for manifest in sorted((self.site.root / entry.id).glob(f"*/{MANIFEST}")):
                folder = manifest.parent.relative_to(self.site.root).as_posix()
                if folder not in units:
                    conflicts.append(f"{folder}/ was published, but git no longer has that adopted version")
        if conflicts:
            raise HistoryRewritten(
                "published versions would change:\n" + "\n".join(f"  - {c}" for c in conflicts) +
                "\n  The git history of these policies was rewritten (a rebase, or an amended or removed adoption "
                "commit); a published version is never changed.\n"
                "    fix: restore the history, or publish to a new folder (--out) if the published version was wrong")

    # frozen folders ---------------------------------------------------------------------------------

    def write_frozen(self, unit: Frozen, render: Callable[[], dict[str, bytes]]) -> None:
        """Write the folder's files once; after that only missing files are filled in, none replaced."""
        folder = self.site.root / unit.folder
        # The version's page is not frozen (it says when the version is no longer in force); manifests
        # written before that listed it among the files.
        recorded = {name: record for name, record in _manifest(folder).get("files", {}).items() if name != PAGE}
        if _intact(folder, recorded):
            return
        files = render()
        for name, data in files.items():
            path = folder / name
            if path.is_file() and (old := path.read_bytes()) != data:
                if recorded.get(name, {}).get("sha256") == _sha256(old):
                    continue  # published with earlier templates: it stays as published
                raise HistoryRewritten(_("{path} exists with other content than {folder}/ would have; a published "
                                         "version is never overwritten").format(path=path, folder=unit.folder) + "\n    "
                                       + _("fix: {hint}").format(hint=_("publish to a new folder (--out), or remove the folder on purpose")))
            self.site.write(f"{unit.folder}/{name}", data)
        listing = {name: {"bytes": len(data := (folder / name).read_bytes()), "sha256": _sha256(data)}
                   for name in sorted(files)}
        manifest = {**unit.about(), "files": listing}
        if not unit.redline:
            manifest["page"] = {"file": PAGE, "frozen": False,
                                "note": "re-rendered when the version's status changes (superseded, repealed)"}
        self.site.write(f"{unit.folder}/{MANIFEST}", _json(manifest))
        self.result.rendered.append(unit.folder)

    def _cached(self, name: str, key: bytes, render: Callable[[], dict[str, bytes]]) -> None:
        """Render and write `render()`'s files (paths under the site) unless the same key made them last time."""
        if self.cache.fresh(name, key) is not None:
            return
        files = self.site.write_all(render())
        self.cache.record(name, key, files)
        self.result.rendered.append(name)

    # a policy -----------------------------------------------------------------------------------------

    def publish_policy(self, entry: Entry) -> bool:
        try:
            for closed, _opened, in_force in archives(entry):  # first: the version pages link them
                self._cached(f"site-{entry.id}-remiss-{closed.deadline.isoformat()}",
                             _round_key(closed) + (in_force.source if in_force else b""),
                             partial(self._archive_files, entry, closed, in_force))
            for unit in frozen_units(entry):
                self.write_frozen(unit, partial(self._frozen_files, entry, unit))
            for previous, version in with_previous(entry.versions):
                self._version_page(entry, version, previous)
            if entry.consultation:
                self._cached(f"site-{entry.id}-remiss",
                             _round_key(entry.consultation) + (entry.current.source if entry.current else b""),
                             lambda: self._remiss_files(entry))
            self._policy_page(entry)
        except InvalidPolicy as exc:
            self.result.problems += exc.problems
            return False
        except (TypstFailed, pandoc.PandocFailed) as exc:  # one policy that cannot be rendered must not stop the others
            self.result.problems.append(Problem(f"policy/{entry.id}.md", 0, _("could not be published: {error}").format(error=exc)))
            return False
        self.result.policies.append(entry.id)
        return True

    def _load(self, version: AdoptedVersion) -> Policy:
        policy = _parse(version.policy_id, version.source, version.revision)
        if left := source.placeholders(policy):
            raise InvalidPolicy(left)
        return policy

    def _view(self, policy: Policy, day: dt.date) -> Presentation:
        """The final presentation, dated by the version's decision: its files never depend on when they were built."""
        return replace(presentation(policy, final=True, labels=self.templates.labels, theme=self.templates.theme),
                       timestamp=_midnight(day))

    def _frozen_files(self, entry: Entry, unit: Frozen) -> dict[str, bytes]:
        if unit.redline and unit.previous:
            return self._redline_files(unit.previous, unit.version)
        return self._version_files(entry, unit.version, unit.previous)

    def _redline_files(self, old: AdoptedVersion, new: AdoptedVersion) -> dict[str, bytes]:
        """The redline from one adopted version to the next: redline.html, .docx, .pdf and changes.md."""
        words = self.templates.labels
        labels = (words("site.redline_labels_old", date=old.date.isoformat()),
                  words("site.redline_labels_new", date=new.date.isoformat()))
        crumbs = [(words("site.title"), "../../../index.html"), (self._load(new).meta.title, f"../../{PAGE}"),
                  (words("site.version_crumb", date=new.date.isoformat()), f"../{PAGE}"),
                  (words("site.redline_crumb"), REDLINE_PAGE)]
        return render_redline(self._load(old), self._load(new), self.templates.with_globals(crumbs=crumbs),
                              labels=labels, when=_midnight(new.date)).files

    def _version_files(self, entry: Entry, version: AdoptedVersion, previous: AdoptedVersion | None) -> dict[str, bytes]:
        policy = self._load(version)
        view = self._view(policy, version.date)
        return {name: data for name, data in render_policy(policy, self.templates, view).items()
                if not name.endswith(".html")}

    def _version_page(self, entry: Entry, version: AdoptedVersion, previous: AdoptedVersion | None) -> None:
        """A version's page around its frozen documents: re-rendered when its status changes."""
        labels = self.templates.labels
        root = "../../"
        downloads = tuple(self._file_link(labels(key), f"{version.folder}/{name}", root)
                          for key, name in _document_files(entry.id, PAGE_DOWNLOADS))
        changes: tuple[Link, ...] = ()
        earlier: Link | None = None
        if previous:
            earlier = Link(labels("site.previous_version", date=previous.date.isoformat()), f"{root}{previous.folder}/{PAGE}")
            changes = (Link(labels("site.changes_since_previous"), f"{root}{version.folder}/{CHANGES_DIR}/{REDLINE_PAGE}"),)
        superseded, repealed = status_of(entry, version, root, labels)
        page = PolicyPage(root=root, policy_href=f"{root}{entry.id}/{PAGE}", current=False,
                          date=version.date.isoformat(), downloads=downloads, changes=changes, previous=earlier,
                          superseded=superseded, repealed=repealed,
                          archive=self._archive_info(entry, version, root))

        def render() -> dict[str, bytes]:
            policy = self._load(version)
            return {f"{version.folder}/{PAGE}": render_html(policy, self._view(policy, version.date), self.templates,
                                                            template=POLICY_TEMPLATE, extra={"site": page})}

        self._cached(f"site-{entry.id}-{version.date.isoformat()}-page", version.source + _json(dataclasses.asdict(page)),
                     render)

    def _remiss_files(self, entry: Entry) -> dict[str, bytes]:
        """The open consultation's package as it was sent: with the redline against the version in
        force (andringar.html, .pdf) when there is one, each page with its breadcrumb."""
        consultation = entry.consultation
        assert consultation is not None
        policy = _parse(entry.id, consultation.source, consultation.sha[:8])
        words = self.templates.labels
        in_force = entry.current
        remiss = remiss_of(policy, self.templates, deadline=consultation.deadline, bodies=consultation.bodies, dnr=consultation.dnr,
                           issued=consultation.opened.date(), stamp=_midnight(consultation.opened.date()),
                           in_force=self._load(in_force) if in_force else None,
                           in_force_label=words("site.redline_labels_old", date=in_force.date.isoformat()) if in_force else None)
        folder = _remiss_folder(entry.id, consultation)
        crumbs = [(words("site.title"), "../../../index.html"), (policy.meta.title, f"../../{PAGE}")]
        package = render_package(
            remiss, self.templates.with_globals(crumbs=[*crumbs, (words("site.remiss_crumb"), f"{VERSION}.html")]),
            changes_templates=self.templates.with_globals(crumbs=[*crumbs, (words("site.redline_crumb"), f"{CHANGES}.html")]))
        return {f"{folder}/{name}": data for name, data in package.items()}

    def _archive_files(self, entry: Entry, closed: Round, in_force: AdoptedVersion | None) -> dict[str, bytes]:
        """A closed consultation's package, with the redline against the version then in force and the
        remissammanställning as committed in remiss/<id>/<deadline>/."""
        policy = _parse(entry.id, closed.source, closed.sha[:8])
        remiss = remiss_of(policy, self.templates, deadline=closed.deadline, bodies=closed.bodies, dnr=closed.dnr,
                           issued=closed.opened.date(), stamp=_midnight(closed.opened.date()),
                           in_force=self._load(in_force) if in_force else None,
                           in_force_label=self.templates.labels("site.redline_labels_old", date=in_force.date.isoformat())
                           if in_force else None)
        files = {**render_package(remiss, self.templates),
                 **archived_compilation(self.history, entry.id, closed.deadline)}
        folder = _remiss_folder(entry.id, closed)
        return {f"{folder}/{name}": data for name, data in files.items()}

    def _archive_info(self, entry: Entry, version: AdoptedVersion, root: str) -> ArchiveInfo | None:
        closed = next((r for r, led_to, _ in archives(entry) if led_to == version), None)
        if closed is None:
            return None
        folder = _remiss_folder(entry.id, closed)
        labels = self.templates.labels
        documents = tuple(
            Link(labels(key), f"{root}{folder}/{name}") if name.endswith(".html")
            else self._file_link(labels(key), f"{folder}/{name}", root)
            for key, name in ARCHIVE_DOCUMENTS if (self.site.root / folder / name).is_file())
        return ArchiveInfo(labels.date_long(closed.deadline), closed.dnr, documents)

    def _policy_page(self, entry: Entry) -> None:
        root = "../"
        history = self._history_rows(entry, root)
        consultation = self._consultation_info(entry, root)
        path = f"{entry.id}/{PAGE}"
        current = entry.current
        if current is None:
            page = self.templates.render(REMISS_TEMPLATE, meta=entry.meta, doctype=_doctype(entry.meta, self.templates.labels), root=root,
                                         history=history, consultation=consultation)
            self.site.write(path, page.encode("utf-8"))
            return
        repealed = status_of(entry, None, root, self.templates.labels)[1]
        site = PolicyPage(root=root, policy_href=PAGE, current=True, date=current.date.isoformat(),
                          downloads=self._downloads(current, root, labels=PAGE_DOWNLOADS),
                          history=history, consultation=consultation, repealed=repealed,
                          archive=self._archive_info(entry, current, root))
        key = current.source + _json(dataclasses.asdict(site))

        def render() -> dict[str, bytes]:
            policy = self._load(current)
            return {path: render_html(policy, self._view(policy, current.date), self.templates,
                                      template=POLICY_TEMPLATE, extra={"site": site})}

        self._cached(f"site-{entry.id}-page", key, render)

    def _downloads(self, version: AdoptedVersion, root: str, context: str = "",
                   labels: tuple[str, str] = ("site.pdf", "site.word")) -> tuple[Link, ...]:
        words = self.templates.labels
        return tuple(self._file_link(words(key), f"{version.folder}/{name}", root, context)
                     for key, name in _document_files(version.policy_id, labels))

    def _file_link(self, label: str, relative: str, root: str, context: str = "") -> Link:
        return Link(label, root + relative, size_text((self.site.root / relative).stat().st_size), context)

    def _history_rows(self, entry: Entry, root: str) -> tuple[HistoryRow, ...]:
        words = self.templates.labels
        by_date = {version.date: (previous, version) for previous, version in with_previous(entry.versions)}
        rows = []
        for decision in reversed(entry.meta.decisions):
            if decision.date is None:  # pending: not in the history yet
                continue
            adopted = by_date.get(decision.date)
            if adopted is None:
                rows.append(HistoryRow(_line(decision, words), False, None))
                continue
            previous, version = adopted
            day = version.date.isoformat()
            context = words("site.version_context", date=day)
            changes: tuple[Link, ...] = ()
            if previous:
                changes_dir = f"{version.folder}/{CHANGES_DIR}"
                changes = (Link(words("site.changes"), f"{root}{changes_dir}/{REDLINE_PAGE}",
                                context=words("site.changes_context", old=previous.date.isoformat(), new=day)),
                           *(self._file_link(words(key), f"{changes_dir}/{name}", root,
                                             words("site.changes_file_context", date=day))
                             for name, key in REDLINE_FILES))
            rows.append(HistoryRow(_line(decision, words), version is entry.current,
                                   Link(words("site.version_crumb", date=day), f"{root}{version.folder}/{PAGE}"),
                                   self._downloads(version, root, context), changes))
        return tuple(rows)

    def _consultation_info(self, entry: Entry, root: str) -> ConsultationInfo | None:
        consultation = entry.consultation
        if consultation is None:
            return None
        folder = _remiss_folder(entry.id, consultation)
        words = self.templates.labels
        documents = (Link(words("site.remiss_web"), f"{root}{folder}/{VERSION}.html"),
                     *(self._file_link(words(key), f"{folder}/{name}", root) for key, name in (
                         ("site.remiss_pdf", f"{VERSION}.pdf"),
                         ("site.remiss_docx", f"{VERSION}.docx"),
                         ("site.remiss_form", FORM),
                         ("site.remiss_missiv", MISSIV))))
        changes: tuple[Link, ...] = ()
        if (self.site.root / folder / f"{CHANGES}.html").is_file():  # the proposal against the version in force
            changes = (Link(words("site.remiss_redline"), f"{root}{folder}/{CHANGES}.html"),
                       *(self._file_link(words("site.remiss_redline_pdf"), f"{folder}/{CHANGES}.pdf", root)
                         for _ in (1,) if (self.site.root / folder / f"{CHANGES}.pdf").is_file()))
        return ConsultationInfo(words.date_long(consultation.deadline), consultation.dnr,
                                consultation.deadline >= self.today, consultation.bodies, documents, changes)

    # the register, feed and sitemap ------------------------------------------------------------------

    def publish_register(self, entries: list[Entry]) -> None:
        period = MandatePeriod.containing(self.today)
        labels = self.templates.labels
        rows = [_register_row(entry, labels, self.today) for entry in entries]
        views = [Link(labels("site.view_all"), PAGE), *(Link(labels(key), path) for path, key, _ in REGISTER_VIEWS)]
        index = self.templates.render(INDEX_TEMPLATE, rows=rows, period=str(period), today=self.today.isoformat(),
                                      feed=FEED, register=REGISTER, register_csv=REGISTER_CSV, views=views)
        self.site.write(PAGE, index.encode("utf-8"))
        self.site.write_all(fonts.site_files(self.templates))
        for path, key, group in REGISTER_VIEWS:
            title = labels(key.replace("view_by", "view_title_by"))
            page = self.templates.render(GROUP_TEMPLATE, title=title, root="../", page=Path(path).name, current=path,
                                         views=views, groups=_groups(rows, group, labels))
            self.site.write(path, page.encode("utf-8"))
        self.site.write(REGISTER_CSV, register_csv(entries, rows))
        self.site.write(REGISTER, _json(self._register_data(entries, period)))
        self.site.write(FEED, self.templates.render(FEED_TEMPLATE, **self._feed(entries)).encode("utf-8"))
        if self.base_url:
            urls = [(self.base_url + path, day.isoformat()) for path, day in self._pages(entries)]
            self.site.write(SITEMAP, self.templates.render(SITEMAP_TEMPLATE, urls=urls).encode("utf-8"))
        else:
            stale = self.site.root / SITEMAP
            if stale.is_file():  # one from an earlier run with --base-url would list addresses no longer meant
                stale.unlink()
                self.result.notes.append(_("{file} removed: a sitemap needs absolute URLs; give --base-url").format(file=SITEMAP))
            else:
                self.result.notes.append(_("{file} not written: a sitemap needs absolute URLs; give --base-url").format(file=SITEMAP))

    def _register_data(self, entries: list[Entry], period: MandatePeriod) -> dict:
        return {"format": REGISTER_FORMAT, "base_url": self.base_url, "review_state_on": self.today.isoformat(),
                "mandate_period": str(period), "policies": [self._policy_data(entry) for entry in entries]}

    def _policy_data(self, entry: Entry) -> dict:
        meta = entry.meta
        consultation = entry.consultation
        return {
            "id": entry.id, "title": meta.title, "type": meta.type, "owner": meta.owner,
            "coordinator": meta.coordinator, "review": meta.review.value, "status": meta.status.value,
            "review_state": entry.due.value, "page": f"{entry.id}/{PAGE}",
            "decisions": [_decision_data(d) for d in meta.decisions if d.date],
            "versions": [{"date": v.date.isoformat(), "decision": _decision_data(v.decision),
                          "page": f"{v.folder}/{PAGE}", "source_blob": v.blob,
                          **{kind: f"{v.folder}/{name}" for kind, name in (("pdf", f"{entry.id}.pdf"),
                                                                           ("docx", f"{entry.id}.docx"))},
                          "redline": f"{v.folder}/{CHANGES_DIR}/{REDLINE_PAGE}" if i else None}
                         for i, v in enumerate(entry.versions)],
            "consultation": {"deadline": consultation.deadline.isoformat(), "dnr": consultation.dnr,
                             "open": consultation.deadline >= self.today, "bodies": list(consultation.bodies),
                             "opened": _iso_utc(consultation.opened),
                             "folder": _remiss_folder(entry.id, consultation)} if consultation else None,
        }

    def _feed(self, entries: list[Entry]) -> dict:
        items = sorted((item for entry in entries for item in _feed_items(entry, self.templates.labels)),
                       key=lambda item: (item["updated"], item["id"]), reverse=True)
        prefix = self.base_url or ""
        for item in items:
            item["href"] = prefix + item["href"]
        return {"id": _urn(f"styrdok:register:{self.base_url or ''}"), "items": items,
                "updated": items[0]["updated"] if items else "1970-01-01T00:00:00Z",
                "home": prefix + PAGE, "self_href": self.base_url + FEED if self.base_url else None}

    def _pages(self, entries: list[Entry]) -> list[tuple[str, dt.date]]:
        """Every HTML page of the bundle with the date it last changed, for the sitemap."""
        pages = []
        for entry in entries:
            dates = [v.date for v in entry.versions] + [r.opened.date() for r in entry.rounds]
            pages.append((f"{entry.id}/{PAGE}", max(dates)))
            for i, version in enumerate(entry.versions):
                pages.append((f"{version.folder}/{PAGE}", version.date))
                if i:
                    pages.append((f"{version.folder}/{CHANGES_DIR}/{REDLINE_PAGE}", version.date))
            if entry.consultation:
                folder = _remiss_folder(entry.id, entry.consultation)
                pages.append((f"{folder}/{VERSION}.html", entry.consultation.opened.date()))
                if (self.site.root / folder / f"{CHANGES}.html").is_file():
                    pages.append((f"{folder}/{CHANGES}.html", entry.consultation.opened.date()))
        newest = max((day for _, day in pages), default=dt.date(1970, 1, 1))
        return [(PAGE, newest), *((path, newest) for path, _, _ in REGISTER_VIEWS), *pages]


def _document_files(policy_id: str, labels: tuple[str, str] = ("site.pdf", "site.word")) -> tuple[tuple[str, str], ...]:
    return ((labels[0], f"{policy_id}.pdf"), (labels[1], f"{policy_id}.docx"))


PAGE_DOWNLOADS = ("site.download_pdf", "site.download_docx")  # label keys on a version's page; "PDF", "Word" in tables


def archives(entry: Entry) -> list[tuple[Round, AdoptedVersion, AdoptedVersion | None]]:
    """Every closed consultation that led to an adopted version: (the consultation, the first version
    adopted after its last commit, the version in force while it ran)."""
    found = []
    for closed in entry.rounds:
        if closed is entry.consultation:
            continue
        later = [v for v in entry.versions if entry.before(closed.sha, v.revision.sha)]
        if later:
            earlier = [v for v in entry.versions if entry.before(v.revision.sha, closed.sha)]
            found.append((closed, later[0], earlier[-1] if earlier else None))
    return found


def _remiss_folder(policy_id: str, consultation: Round) -> str:
    return f"{policy_id}/{REMISS_DIR}/{consultation.deadline.isoformat()}"


def _round_key(consultation: Round) -> bytes:
    return consultation.source + consultation.opened.isoformat().encode()


def _line(decision: Decision, labels: Labels) -> str:
    """The decision line for a web page, as the documents print it: '§ 64' never breaks at the end of a line."""
    return decision_line(decision, labels).replace("§ ", "§\u00a0")


def _doctype(meta: Metadata, labels: Labels) -> str:
    return labels.doctype(meta.type)


REGISTER_CSV = "register.csv"
GROUP_TEMPLATE = "site_register_group.html.j2"
# The grouped views of the register: (file, label key, what rows are grouped by).
REGISTER_VIEWS = (("register/typ.html", "site.view_by_type", "doctype"),
                  ("register/agare.html", "site.view_by_owner", "owner"),
                  ("register/revidering.html", "site.view_by_review", "due"))
DUE_ORDER = ("overdue", "due", "done", "not reviewed", "repealed")  # what needs doing first


def _groups(rows: list[RegisterRow], key: str, labels: Labels) -> list[dict]:
    """Rows grouped by `key` ("doctype", "owner", "due"), each group titled and anchored, titles sorted
    (review states in the order they need attention)."""
    groups: dict[str, list[RegisterRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    if key == "due":
        order = sorted(groups, key=lambda state: DUE_ORDER.index(state) if state in DUE_ORDER else 99)
        titles = {state: labels(f"site.review_state.{state}") for state in groups}
    else:
        order = sorted(groups, key=lambda title: title.casefold())
        titles = {title: title for title in groups}
    return [{"title": titles[name], "anchor": f"grupp-{i}", "rows": sorted(groups[name], key=lambda r: r.title.casefold())}
            for i, name in enumerate(order, 1)]


CSV_COLUMNS = ("id", "titel", "typ", "dokumentägare", "beslutsinstans", "beslutsdatum", "paragraf", "diarienummer",
               "status", "giltig_från", "ska_revideras_senast", "revideringsläge", "dokumentansvarig", "sida")


def register_csv(entries: list[Entry], rows: list[RegisterRow]) -> bytes:
    """The register for Excel and other spreadsheets: UTF-8 with BOM, so å, ä and ö read right."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry, row in zip(entries, rows):
        meta, last = entry.meta, entry.meta.last_decision
        valid = meta.valid_from or (last.date if last else None)
        writer.writerow([entry.id, meta.title, row.doctype, meta.owner, last.body if last else "",
                         last.date.isoformat() if last and last.date else "", last.paragraph if last else "",
                         row.dnr or "", row.status, valid.isoformat() if valid else "", row.review_by or "",
                         row.due_text, meta.responsible or meta.coordinator or "", row.href])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _due_text(entry: Entry, labels: Labels) -> str:
    """The review state in words; a document first decided (fastställd) is never called revised."""
    state = entry.due.value
    last = entry.meta.last_decision
    new = last is not None and last.action is Action.ADOPTED
    if entry.due is Due.DONE:
        if entry.meta.review_years and last and last.date:
            return labels("site.review_state.done_years_new" if new else "site.review_state.done_years",
                          date=last.date.isoformat())
        return labels("site.review_state.done_new" if new else "site.review_state.done")
    if entry.due is Due.DUE and entry.meta.review_years:
        return labels("site.review_state.due_years")
    return labels(f"site.review_state.{state}")


def _register_row(entry: Entry, labels: Labels, today: dt.date) -> RegisterRow:
    meta = entry.meta
    last = meta.last_decision
    repealed = last is not None and last.action is Action.REPEALED
    state = "repealed" if repealed else Status.ADOPTED.value if entry.versions else Status.CONSULTATION.value
    status = labels(f"status.{state}")
    deadline = labels.date_long(entry.consultation.deadline) if entry.consultation else None
    deadline_day = review_by(meta, today)
    dnr = next((d.dnr for d in reversed(meta.decisions) if d.date and d.dnr), None)
    return RegisterRow(meta.title, f"{entry.id}/{PAGE}", _doctype(meta, labels), meta.owner[:1].upper() + meta.owner[1:],
                       status, deadline, _line(last, labels) if last else None,
                       last.date.isoformat() if last and last.date else None, last.paragraph if last else None, dnr,
                       deadline_day.isoformat() if deadline_day else None, entry.due.value, _due_text(entry, labels),
                       repealed, meta.type)


def _decision_data(decision: Decision) -> dict:
    return {"action": decision.action.value, "body": decision.body,
            "date": decision.date.isoformat() if decision.date else None,
            "paragraph": decision.paragraph, "dnr": decision.dnr}


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _feed_items(entry: Entry, labels: Labels) -> list[dict]:
    """One item per adoption and per consultation opened; ids and dates come from git, never the clock."""
    title = entry.meta.title
    items = [{"id": _urn(f"styrdok:{entry.id}:{version.decision.action.value}:{version.date}:"
                         f"{version.decision.paragraph}"),
              "title": labels("site.feed_adopted", title=title,
                              action=labels(f"decision.actions.{version.decision.action.value}").lower(),
                              date=version.date.isoformat()),
              "updated": _iso_utc(_midnight(version.date)), "href": f"{version.folder}/{PAGE}",
              "author": version.decision.body.capitalize(), "category": labels("site.feed_category_adopted"),
              "summary": f"{decision_line(version.decision, labels)}."}
             for version in entry.versions]
    for consultation in entry.rounds:
        href = (f"{_remiss_folder(entry.id, consultation)}/{VERSION}.html" if consultation is entry.consultation
                else f"{entry.id}/{PAGE}")
        dnr = labels("site.archive_dnr", dnr=consultation.dnr) if consultation.dnr else ""
        deadline = labels.date_long(consultation.deadline)
        items.append({"id": _urn(f"styrdok:{entry.id}:remiss:{consultation.deadline}"),
                      "title": labels("site.feed_remiss", title=title, date=deadline),
                      "updated": _iso_utc(consultation.opened), "href": href,
                      "author": entry.meta.owner.capitalize(), "category": labels("site.feed_category_remiss"),
                      "summary": labels("site.feed_remiss_summary", dnr=dnr, date=deadline)})
    return items


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
