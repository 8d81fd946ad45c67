"""Starting out in an empty folder: `init`, `new`, check, build, commit, adopt and revise,
with no further setup; and what `new` refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run, run_sv
from gitrepo import git

GIT_ENV = {"GIT_AUTHOR_NAME": "Kansliet", "GIT_AUTHOR_EMAIL": "kansliet@timra.example",
           "GIT_COMMITTER_NAME": "Kansliet", "GIT_COMMITTER_EMAIL": "kansliet@timra.example"}


def test_empty_folder_to_adopted_policy(tmp_path: Path) -> None:
    repo = tmp_path / "styrdokument"
    repo.mkdir()
    steps = [["init"], ["new", "riktlinje-inkop", "--type", "riktlinje", "--title", "Riktlinje för inköp",
                        "--owner", "kommunfullmäktige"],
             ["check"], ["build"]]
    for args in steps:
        done = run(args, repo, GIT_ENV)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    source = (repo / "policy" / "riktlinje-inkop.md").read_text("utf-8")
    assert "## Syfte {#syfte}" in source and "pending: true" in source and "year:" not in source
    assert (repo / "build" / "riktlinje-inkop" / "riktlinje-inkop.pdf").is_file()
    git(repo, "add", ".")
    assert git(repo, "diff", "--cached", "--name-only").splitlines() == [
        ".gitignore", "policy/riktlinje-inkop.md", "templates/README.md"]  # build/ stays out
    run(["status"], repo)  # reading the repository before the first commit must not break it
    assert run(["adopt", "riktlinje-inkop", "--date", "2026-11-20", "--paragraph", "7"], repo,
               GIT_ENV).returncode != 0  # not committed yet: refused
    git(repo, "-c", "user.name=Kansliet", "-c", "user.email=k@timra.example", "commit", "-q", "-m", "utkast")
    adopted = run(["adopt", "riktlinje-inkop", "--date", "2026-11-20", "--paragraph", "7", "--today", "2026-11-25"],
                  repo, GIT_ENV)
    assert adopted.returncode == 0, adopted.stderr
    assert git(repo, "tag", "--list") == "riktlinje-inkop/2026-11-20"
    revised = run(["revise", "riktlinje-inkop", "--today", "2026-11-26"], repo, GIT_ENV)
    assert revised.returncode == 0, revised.stderr
    assert "status: draft" in (repo / "policy" / "riktlinje-inkop.md").read_text("utf-8")


def test_init_keeps_what_exists(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.tmp\nbuild/\n", "utf-8")
    git(tmp_path, "init", "-q")
    first = run_sv(["init"], tmp_path)
    assert first.returncode == 0 and "skapade ett git-arkiv" not in first.stdout
    assert (tmp_path / ".gitignore").read_text("utf-8").splitlines()[:3] == ["*.tmp", "build/", ".styrdok-cache/"]
    again = run_sv(["init"], tmp_path)
    assert again.returncode == 0 and "behöll templates/README.md" in again.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["Riktlinje Inköp", "--type", "riktlinje"], "riktlinje-inkop"),  # the fix suggests a usable id
    (["inkop", "--type", "rutin"], "okänd dokumenttyp 'rutin'"),
    (["social-ekonomi", "--type", "policy"], "finns redan"),
])
def test_new_refuses_with_a_fix(policy_repo: Path, args: list[str], message: str) -> None:
    before = sorted(p.name for p in (policy_repo / "policy").iterdir())
    done = run_sv(["new", *args, "--title", "Riktlinje för inköp"], policy_repo)  # in Swedish, as a user sees it
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert sorted(p.name for p in (policy_repo / "policy").iterdir()) == before


def test_new_with_year_writes_the_placeholder_year(policy_repo: Path) -> None:
    assert run(["new", "plan-x", "--type", "plan", "--title", "Plan för x", "--year", "2027"],
               policy_repo).returncode == 0
    build = run(["build", "plan-x"], policy_repo)
    assert build.returncode == 0, build.stderr
    assert "2027-XX-XX, § XX" in (policy_repo / "build" / "plan-x" / "plan-x.html").read_text("utf-8")
