"""The one module that talks to git: revisions of a policy file and its text at any revision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import git

from .errors import StyrdokError
from .workspace import POLICY_DIR, Workspace

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


@dataclass(frozen=True)
class History:
    workspace: Workspace

    @cached_property
    def repo(self) -> git.Repo:
        try:
            return git.Repo(self.workspace.root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise StyrdokError(f"{self.workspace.root} is not a git repository: "
                               "styrdok keeps policy history in git (run `git init` and commit policy/)") from None

    def relpath(self, policy_id: str) -> str:
        path = (self.workspace.policy_dir / f"{policy_id}.md").resolve()
        return path.relative_to(Path(self.repo.working_tree_dir).resolve()).as_posix()

    def read(self, policy_id: str, rev: str | None = WORKING_TREE) -> bytes:
        """The policy file's bytes at `rev` (any git ref), or on disk when rev is None."""
        if rev is WORKING_TREE:
            return self.workspace.policy_path(policy_id).read_bytes()
        try:
            commit = self.repo.commit(rev)
        except (git.BadName, ValueError):
            raise StyrdokError(f"unknown revision '{rev}': give a commit, tag or branch (see `styrdok log {policy_id}`)") from None
        try:
            return (commit.tree / self.relpath(policy_id)).data_stream.read()
        except KeyError:
            raise StyrdokError(f"{POLICY_DIR}/{policy_id}.md does not exist at revision {rev}") from None

    def revisions(self, policy_id: str) -> list[Revision]:
        """Commits that changed the policy file, oldest first (following renames)."""
        if not self.repo.head.is_valid():
            return []
        commits = self.repo.iter_commits(paths=self.relpath(policy_id), follow=False)
        return [Revision(c.hexsha, c.committed_datetime, c.author.name or "", c.message.strip())
                for c in reversed(list(commits))]
