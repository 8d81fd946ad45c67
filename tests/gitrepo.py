"""Temporary real git repositories holding the seed policy, and a snapshot of everything adopt may touch."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from styrdok import lifecycle
from styrdok.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "social-ekonomi.md"  # the 2018 draft, pending
ID = "social-ekonomi"
REL = f"policy/{ID}.md"
TODAY = dt.date(2026, 11, 25)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.rstrip("\n")


def init(path: Path) -> Path:
    """A git repository at `path` with the seed policy (the pending 2018 revision) committed."""
    (path / "policy").mkdir(parents=True)
    shutil.copy(SEED, path / "policy")
    git(path, "init", "--quiet", "--initial-branch=main")
    git(path, "config", "user.name", "Test Testsson")
    git(path, "config", "user.email", "test@timra.example")
    git(path, "config", "commit.gpgsign", "false")
    commit(path, "social-ekonomi: the 2018 revision (draft)")
    return path


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message)
    return git(repo, "rev-parse", "HEAD")


def adopt_2018(repo: Path) -> lifecycle.Adoption:
    """Record the seed's revision as Timrå's KS 12 records it: kommunstyrelsen 2018-03-06, § 64."""
    return lifecycle.adopt(Workspace(repo), ID, date="2018-03-06", paragraph=64, today=TODAY)


def policy_text(repo: Path) -> str:
    return (repo / REL).read_text("utf-8")


@dataclass(frozen=True)
class Snapshot:
    """HEAD, every ref (tags included, with their objects), the index, the working tree and the file."""

    head: str
    refs: str
    index: str
    status: str
    file: bytes


def snapshot(repo: Path) -> Snapshot:
    return Snapshot(head=git(repo, "rev-parse", "HEAD"),
                    refs=git(repo, "for-each-ref", "--format=%(refname) %(objectname) %(objecttype)"),
                    index=git(repo, "ls-files", "--stage"),
                    status=git(repo, "status", "--porcelain", "--untracked-files=all"),
                    file=(repo / REL).read_bytes())


@pytest.fixture(name="repo")
def repo_fixture(tmp_path: Path) -> Path:
    """Import this into a test module to get `repo`: a fresh repository from `init`."""
    return init(tmp_path / "repo")
