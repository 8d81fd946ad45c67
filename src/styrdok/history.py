"""The one module that talks to git: revisions of a policy file, its text at any revision,
its adopted versions, and the commit and tag that record an adoption."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from . import lock, pandoc, source
from .cache import HistoryCache
from .errors import StyrdokError
from .files import Unreadable
from .i18n import N_, _
from .model import Decision, Metadata, Policy, Status
from .workspace import POLICY_DIR, Workspace

if TYPE_CHECKING:
    import git


class GitMissing(StyrdokError):
    """git (the program) is not installed, or GitPython cannot run it."""


class UnknownRevision(StyrdokError):
    """A git revision that names no commit."""


GIT_FIX = N_("install git (e.g. `apt-get install git`), then check with `styrdok doctor`")


def _git() -> ModuleType:
    """GitPython, imported on first use: every command that needs no history works without git."""
    if not (os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or shutil.which("git")):
        raise GitMissing.because(_("git is not installed"), _("styrdok keeps every policy's history in git "
                                 "(adopt, log, status of versions, diff ID and publish need it)"), _(GIT_FIX))
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")  # a failure is ours to explain, not a traceback
    try:
        import git
        git.refresh()
    except Exception as exc:  # GitPython raises ImportError or its own error for an unusable git
        raise GitMissing.because(_("git cannot be run"), " ".join(str(exc).split())[:300], _(GIT_FIX)) from None
    return git


BAD_REVISION = (ValueError, IndexError, LookupError)  # and GitPython's BadName/BadObject, added at use

WORKING_TREE = None  # a `rev` of None means the file as it is on disk


@dataclass(frozen=True)
class Revision:
    sha: str
    date: dt.datetime
    author: str
    message: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


@dataclass(frozen=True)
class Version:
    """A revision of a policy file and what its front matter said then.

    `decision` is set on adopted versions only: the decision that revision recorded.
    `status` is None when the file was deleted (`deleted`) or did not validate at that revision. `tags` are the
    policy's tags on the commit, a convenience: adopted versions are found without them. `blob` is the
    file's git blob id (read it with `History.blob`) and `meta` its validated front matter, parsed once
    here so no later stage parses the revision's front matter again.
    """

    revision: Revision
    status: Status | None
    decision: Decision | None = None
    tags: tuple[str, ...] = ()
    deleted: bool = False
    blob: str | None = None  # None when deleted
    meta: Metadata | None = field(default=None, repr=False, compare=False)

    @property
    def adopted(self) -> bool:
        return self.decision is not None


def _key(decision: Decision) -> tuple:
    """What identifies a decision in the minutes; a later dnr correction is not a new decision."""
    return decision.action, decision.body, decision.date, decision.paragraph


def adoption(meta: Metadata, before: set[tuple]) -> Decision | None:
    """The decision `meta` records beyond the complete decisions `before`, if it is an adopted version.

    An adopted version says `status: adopted` and has more complete decisions than the last
    adopted version before it; comparing with that (not merely the parent commit) keeps a
    corrected § or a reverted deletion from counting as a new adoption.
    """
    complete = [d for d in meta.decisions if not d.pending]
    if meta.status is not Status.ADOPTED or len({_key(d) for d in complete}) <= len(before):
        return None
    return next((d for d in reversed(complete) if _key(d) not in before), complete[-1])


@dataclass(frozen=True)
class History:
    """`cache` (optional) keeps what git said between runs: revisions by HEAD, front matter by blob."""

    workspace: Workspace
    cache: HistoryCache | None = field(default=None, compare=False)

    @cached_property
    def repo(self) -> git.Repo:
        git = _git()
        try:
            return git.Repo(self.workspace.root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise StyrdokError(_("{folder} is not a git repository: styrdok keeps policy history in git "
                                 "(run `styrdok init`, or `git init`, and commit policy/)").format(folder=self.workspace.root)) from None

    def relpath(self, policy_id: str) -> str:
        path = self.workspace.policy_dir.resolve() / f"{policy_id}.md"  # the file itself may be a link: not followed
        if (tree := self.repo.working_tree_dir) is None:
            raise StyrdokError(_("{folder} is in a bare git repository: styrdok reads policy files "
                                 "from a working tree (run it in a clone: `git clone`)").format(folder=self.workspace.root))
        return path.relative_to(Path(tree).resolve()).as_posix()

    def read(self, policy_id: str, rev: str | None = WORKING_TREE) -> bytes:
        """The policy file's bytes at `rev` (any git ref), or on disk when rev is None."""
        if rev is WORKING_TREE:
            return self.workspace.read(self.workspace.policy_path(policy_id))
        try:
            commit = self._commit(rev)
        except UnknownRevision:
            raise StyrdokError(_("unknown revision '{rev}': give a commit, tag or branch (see `styrdok log {id}`)").format(
                rev=rev, id=policy_id)) from None
        data = self._blob(commit, policy_id)
        if data is None:
            raise StyrdokError(_("{path} does not exist at revision {rev}").format(path=f"{POLICY_DIR}/{policy_id}.md", rev=rev))
        return data

    def read_commit(self, rev: str) -> str:
        """The commit sha `rev` (any git ref) names; an unknown revision is an error."""
        try:
            return self._commit(rev).hexsha
        except UnknownRevision:
            raise StyrdokError(_("unknown revision '{rev}': give a commit, tag or branch (see `styrdok log {id}`)").format(
                rev=rev, id="ID")) from None

    def revision(self, rev: str) -> Revision:
        """The commit `rev` (any git ref) names, with its date; an unknown revision is an error."""
        return _revision(self.repo.commit(self.read_commit(rev)))

    def exists_at(self, policy_id: str, rev: str) -> bool:
        return self._blob(self.repo.commit(self.read_commit(rev)), policy_id) is not None

    def _commit(self, rev: str) -> git.Commit:
        """The commit `rev` names; StyrdokError for anything git cannot resolve (HEAD@{99}, a typo, a tree)."""
        git, repo = _git(), self.repo
        try:
            commit = repo.commit(rev)
            commit.tree  # noqa: B018 - resolves the object: a bad object fails here, not later
            return commit
        except (git.BadName, git.BadObject, git.GitCommandError, *BAD_REVISION):
            raise UnknownRevision(_("unknown revision '{rev}'").format(rev=rev)) from None

    def _blob(self, commit: git.Commit, policy_id: str) -> bytes | None:
        entry = self._entry(commit, policy_id)
        return None if entry is None else entry.data_stream.read()

    def _entry(self, commit: git.Commit, policy_id: str) -> git.Blob | None:
        """The policy file's entry in `commit` (None: not there); Unreadable if git holds a link or a folder."""
        try:
            entry = commit.tree / self.relpath(policy_id)
        except KeyError:
            return None
        if entry.type != "blob" or entry.mode & 0o170000 != 0o100000:  # a link (or submodule), not a file
            why = (_("git holds it as a symbolic link") if entry.mode & 0o170000 == 0o120000
                   else _("git holds it as something other than a file ({kind})").format(kind=entry.type))
            raise Unreadable(f"{POLICY_DIR}/{policy_id}.md@{commit.hexsha[:8]}", why,
                             _("commit the policy file itself: git rm --cached {path}, put the file there, "
                               "git add it and commit").format(path=f"{POLICY_DIR}/{policy_id}.md"))
        return entry

    def load(self, policy_id: str, rev: str | None = WORKING_TREE) -> Policy:
        """The validated policy at `rev` (or on disk); raises InvalidPolicy if it did not validate then."""
        return self.load_many(policy_id, rev)[0]

    def load_many(self, policy_id: str, *revs: str | None) -> list[Policy]:
        """The policy at several revisions: read from git one by one, parsed concurrently."""
        data = [self.read(policy_id, rev) for rev in revs]  # one git process: not shared between threads
        return pandoc.concurrently(*(partial(source.load, Path(f"{policy_id}.md"), data=blob,
                                             display=f"{POLICY_DIR}/{policy_id}.md" + (f"@{rev}" if rev else ""))
                                     for rev, blob in zip(revs, data)))

    def revisions(self, policy_id: str) -> list[Revision]:
        """Commits that changed the policy file, oldest first (renames are not followed)."""
        if not self.repo.head.is_valid():
            return []
        commits = self.repo.iter_commits(paths=self.relpath(policy_id))
        return [_revision(c) for c in reversed(list(commits))]

    def versions(self, policy_id: str) -> list[Version]:
        """Every revision of the policy file, oldest first, adopted versions marked with their decision.

        Found from the file's front matter at each commit, not from tags, so the history
        survives a clone without tags.
        """
        versions: list[Version] = []
        before: set[tuple] = set()
        tags = self._all_tags.get(policy_id, {})
        for revision, blob in self._revision_blobs(policy_id):
            meta = self._metadata(policy_id, blob) if blob is not None else None
            decision = adoption(meta, before) if meta else None
            if meta and decision:
                before = {_key(d) for d in meta.decisions if not d.pending}
            versions.append(Version(revision, meta.status if meta else None, decision,
                                    tuple(sorted(tags.get(revision.sha, ()))), deleted=blob is None, blob=blob,
                                    meta=meta))
        return versions

    @property
    def head(self) -> str | None:
        """The commit HEAD points at (None in a repository without commits)."""
        return self.repo.head.commit.hexsha if self.repo.head.is_valid() else None

    def blob(self, blob: str) -> bytes:
        """The bytes of a file git holds, by blob id (`Version.blob`)."""
        return self.repo.odb.stream(bytes.fromhex(blob)).read()

    def _revision_blobs(self, policy_id: str) -> list[tuple[Revision, str | None]]:
        """Each revision of the policy file with the file's blob id then (None: deleted)."""
        def load() -> list[tuple[Revision, str | None]]:
            found: list[tuple[Revision, str | None]] = []
            for revision in self.revisions(policy_id):
                entry = self._entry(self.repo.commit(revision.sha), policy_id)
                found.append((revision, None if entry is None else entry.hexsha))
            return found

        if self.cache is None or (head := self.cache.head(lambda: self.head)) is None:
            return load()
        return self.cache.revisions(f"{head}:{self.relpath(policy_id)}", load, Revision)

    def _metadata(self, policy_id: str, blob: str) -> Metadata | None:
        def load() -> Metadata | None:
            return source.check_metadata(Path(f"{policy_id}.md"), self.blob(blob))[0]

        return self.cache.metadata(f"{policy_id}:{blob}", load, Metadata) if self.cache else load()

    @cached_property
    def _all_tags(self) -> dict[str, dict[str, list[str]]]:
        """Every policy's tags (`<id>/<date>`) by commit sha, from one pass over the tags."""
        found: dict[str, dict[str, list[str]]] = {}
        for tag in self.repo.tags:
            if "/" in tag.name:
                found.setdefault(tag.name.split("/", 1)[0], {}).setdefault(tag.commit.hexsha, []).append(tag.name)
        return found

    def adopted_versions(self, policy_id: str) -> list[Version]:
        return [v for v in self.versions(policy_id) if v.adopted]

    def last_adopted(self, policy_id: str) -> Revision | None:
        """The commit of the policy's latest adopted version (None if none is in git).

        `styrdok diff ID` compares this revision with the working tree by default.
        """
        adopted = self.adopted_versions(policy_id)
        return adopted[-1].revision if adopted else None

    def tags(self, policy_id: str) -> dict[str, list[str]]:
        """The policy's tags (`<id>/<date>`) by commit sha."""
        return self._all_tags.get(policy_id, {})

    def committed_files(self, folder: str, rev: str = "HEAD") -> dict[str, bytes]:
        """The files directly in `folder` (relative to the policy repository) at `rev`, by name; {} if
        there is no such folder (or no commit yet). For what the site publishes beside a policy, such as
        a consultation's remissammanställning under remiss/<id>/<deadline>/."""
        if not self.repo.head.is_valid() or (top := self.repo.working_tree_dir) is None:
            return {}
        path = (self.workspace.root / folder).resolve().relative_to(Path(top).resolve()).as_posix()
        try:
            tree = self.repo.commit(rev).tree / path
        except KeyError:
            return {}
        return {blob.name: blob.data_stream.read() for blob in tree.blobs}

    # --- recording an adoption ------------------------------------------------------------

    def is_committed(self, policy_id: str) -> bool:
        """True if the policy file is in the commit HEAD points at."""
        return self.repo.head.is_valid() and self._blob(self.repo.head.commit, policy_id) is not None

    def staged(self) -> list[str]:
        """Paths (relative to the repository) whose staged content differs from HEAD."""
        names = self.repo.git.diff("--cached", "--name-only", "--no-renames", "-z")
        return [name for name in names.split("\0") if name]

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the repository's adoption lock (in .git/): one `adopt` at a time changes file, commit and tag."""
        with lock.hold(Path(self.repo.common_dir) / "styrdok-adopt.lock", _("this repository (adopt)")):
            yield

    def is_shallow(self) -> bool:
        """True in a shallow clone: git then holds only the newest commits, not the whole history."""
        return (Path(self.repo.common_dir) / "shallow").is_file()

    def tag_refusal(self, name: str) -> str | None:
        """Why the tag `name` cannot be created (an existing tag, a clash with one, a bad name), or None."""
        if self.has_tag(name):
            return _("the tag {tag} already exists").format(tag=name)
        if subprocess.run(["git", "check-ref-format", f"refs/tags/{name}"], capture_output=True).returncode:
            return _("'{tag}' is not a valid tag name in git").format(tag=name)
        for tag in self.repo.tags:
            if name.startswith(f"{tag.name}/") or tag.name.startswith(f"{name}/"):
                return _("the existing tag {existing} blocks the tag {tag} (git cannot hold a tag and a folder "
                         "of tags by one name)").format(existing=tag.name, tag=name)
        return None

    def identity_refusal(self) -> str | None:
        """Why git would refuse to make a commit for lack of a name or e-mail address, or None."""
        try:
            self.repo.git.var("GIT_COMMITTER_IDENT")
            self.repo.git.var("GIT_AUTHOR_IDENT")
        except _git().GitCommandError as exc:
            return _("git does not know who commits: {reason}").format(reason=_stderr(exc))
        return None

    def clear_abandoned_index_lock(self) -> str | None:
        """Remove .git/index.lock if a `git commit` that is provably gone left it; say what was done.

        `git commit --only` (which adopt runs) holds index.lock beside next-index-<pid>.lock; when
        that pid is dead on this host, the commit was killed and its locks are garbage. Any other
        index.lock is left alone: StyrdokError says how to proceed.
        """
        git_dir = Path(self.repo.git_dir)
        index_lock = git_dir / "index.lock"
        if not index_lock.exists():
            return None
        helpers = list(git_dir.glob("next-index-*.lock"))
        pids = [h.name.removeprefix("next-index-").removesuffix(".lock") for h in helpers]
        if helpers and all(pid.isdigit() and not lock.alive(int(pid)) for pid in pids):
            for path in (index_lock, *helpers):
                path.unlink(missing_ok=True)
            return _("removed {lock} left by a killed git commit (pid {pids})").format(lock=index_lock,
                                                                                       pids=", ".join(pids))
        raise StyrdokError.because(_("git's index is locked ({lock})").format(lock=index_lock),
                                   _("another git command is running, or one was killed"),
                                   _("wait for the other git command; if none is running, remove {lock} "
                                     "and run the command again").format(lock=index_lock))

    def has_tag(self, name: str) -> bool:
        return f"refs/tags/{name}" in {ref.path for ref in self.repo.tags}

    def commit_file(self, policy_id: str, message: str) -> Revision:
        """Commit the policy file as it is on disk, and nothing else, on the current branch."""
        try:
            self.repo.git.commit("--only", "--quiet", "--message", message, "--", self.relpath(policy_id))
        except _git().GitCommandError as exc:
            raise StyrdokError(_("git refused the commit: {reason}").format(reason=_stderr(exc))) from None
        return _revision(self.repo.head.commit)

    def tag(self, name: str, revision: Revision, message: str) -> None:
        """Create the annotated tag `name` on `revision`; an existing tag is never moved."""
        try:
            self.repo.create_tag(name, ref=revision.sha, message=message)
        except _git().GitCommandError as exc:
            raise StyrdokError(_("git refused the tag {tag}: {reason}").format(tag=name, reason=_stderr(exc))) from None


def ensure_repository(root: Path) -> bool:
    """Make `root` a git repository unless it already lies in one; True if one was created."""
    git = _git()
    try:
        git.Repo(root, search_parent_directories=True)
        return False
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        git.Repo.init(root, initial_branch="main") if _supports_initial_branch() else git.Repo.init(root)
        return True


def _supports_initial_branch() -> bool:
    return _git().Git().version_info >= (2, 28)


def blob_id(data: bytes) -> str:
    """The git object id of a file with these bytes (`git hash-object`), computed without git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _revision(commit: git.Commit) -> Revision:
    message = commit.message if isinstance(commit.message, str) else commit.message.decode("utf-8", "replace")
    return Revision(commit.hexsha, commit.committed_datetime, commit.author.name or "", message.strip())


def _stderr(exc: git.GitCommandError) -> str:
    text = exc.stderr if isinstance(exc.stderr, str) else str(exc)
    return " ".join(text.replace("stderr:", "").split()).strip("' ")
