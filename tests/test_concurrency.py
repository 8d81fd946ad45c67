"""Runs at the same time, and runs killed half-way: two adopts record one adoption, two builds and
two publishes on one folder both succeed, and a killed adopt is finished or undone by the next one."""

from __future__ import annotations

import multiprocessing
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import STYRDOK
from gitrepo import ID, REL, TODAY, adopt_2018, git, init, policy_text, snapshot
from styrdok import build, lifecycle, output, publish
from styrdok.errors import StyrdokError
from styrdok.workspace import Workspace

ADOPT = ["adopt", ID, "--date", "2018-03-06", "--paragraph", "64", "--today", TODAY.isoformat()]


def _complete(path: Path) -> bool:
    """A whole file of its kind (a killed writer would leave a torn one)."""
    data = path.read_bytes()
    if path.suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as archive:
                return archive.testzip() is None
        except zipfile.BadZipFile:
            return False
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    return True


_start: Any = None  # in each worker: the barrier both runs of a pair wait at, to start at once


def _init(barrier: Any) -> None:
    global _start
    _start = barrier


def _adopt(repo: Path) -> None:
    adopt_2018(repo)


def _build(repo: Path) -> None:
    assert build.build(Workspace(repo), jobs=1).ok


def _publish(repo: Path, url: str) -> None:
    assert publish.publish(Workspace(repo), base_url=url).ok


def _write_sets(folder: Path, rounds: int) -> None:
    out = output.OutputDir(folder)
    for n in range(rounds):
        out.written.clear()
        out.write_all({f"p/p.{kind}": f"{kind} {n} ".encode() * 20_000 for kind in ("docx", "pdf", "html")})


def _run(call: Callable[..., None], *args: object) -> tuple[int, str]:
    _start.wait(timeout=120)
    try:
        call(*args)
    except StyrdokError as exc:
        return 2, str(exc)
    return 0, ""


@pytest.fixture(scope="module")
def pair() -> Iterator[ProcessPoolExecutor]:
    """Two worker processes that run two calls at the same moment; each imports styrdok once.
    (forkserver: a forked copy of pytest's process would inherit its Typst compiler's threads.)"""
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(2, mp_context=context, initializer=_init, initargs=(context.Barrier(2),)) as pool:
        yield pool


def _at_once(pool: ProcessPoolExecutor, *calls: tuple) -> list[tuple[int, str]]:
    """(0, "") for each call that returned, (2, message) for each that raised StyrdokError."""
    futures = [pool.submit(_run, *call) for call in calls]
    return [future.result(timeout=300) for future in futures]


def _adoptions(repo: Path) -> list[str]:
    return [s for s in git(repo, "log", "--format=%s").splitlines() if "reviderad av" in s]


def test_two_adopts_at_once_record_one_adoption(pair: ProcessPoolExecutor, tmp_path: Path) -> None:
    for round_ in range(3):
        repo = init(tmp_path / f"repo{round_}")
        results = _at_once(pair, (_adopt, repo), (_adopt, repo))
        assert sorted(code for code, _ in results) == [0, 2], results
        loser = next(text for code, text in results if code)
        assert "it has no pending decision" in loser
        assert len(_adoptions(repo)) == 1
        assert git(repo, "tag") == f"{ID}/2018-03-06"
        assert git(repo, "status", "--porcelain") == ""


def test_two_writers_on_one_folder_never_remove_each_others_temp_files(pair: ProcessPoolExecutor,
                                                                      tmp_path: Path) -> None:
    assert _at_once(pair, (_write_sets, tmp_path, 40), (_write_sets, tmp_path, 40)) == [(0, "")] * 2
    assert not list((tmp_path / "p").glob(".*.tmp"))
    assert all(path.read_bytes().startswith(f"{path.suffix[1:]} 39 ".encode()) for path in (tmp_path / "p").iterdir())


def test_two_builds_and_two_publishes_at_once(pair: ProcessPoolExecutor, tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    adopt_2018(repo)
    for round_ in range(2):
        (repo / REL).write_text(policy_text(repo) + f"\nTillägg {round_}.\n", "utf-8")
        assert _at_once(pair, (_build, repo), (_build, repo)) == [(0, "")] * 2
        files = sorted((repo / "build" / ID).iterdir())
        assert [p.suffix for p in files] == [".docx", ".html", ".pdf"] and all(map(_complete, files))
        assert f"Tillägg {round_}" in (repo / "build" / ID / f"{ID}.html").read_text("utf-8")
    for round_ in range(2):
        url = f"https://www.timra.se/styrdokument/{round_}/"
        assert _at_once(pair, (_publish, repo, url), (_publish, repo, url)) == [(0, "")] * 2
        site = repo / "build" / "site"
        assert url in (site / "sitemap.xml").read_text("utf-8")
        assert all(_complete(p) for p in (site / ID / "2018-03-06").iterdir())
    assert not [p for p in (repo / "build").rglob("*.tmp")]
    assert git(repo, "status", "--porcelain", "--", "policy") == " M policy/social-ekonomi.md"


def _kill_in_hook(repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """Run adopt with a git hook that SIGKILLs adopt and git alike, as a power cut or `kill -9` would."""
    path = repo / ".git" / "hooks" / hook
    path.write_text("#!/bin/sh\nkill -KILL -$(ps -o pgid= -p $$ | tr -d ' ')\n")
    path.chmod(0o755)
    killed = subprocess.run([str(STYRDOK), *ADOPT], cwd=repo, capture_output=True, text=True, timeout=120,
                            start_new_session=True)
    path.unlink()
    return killed


def test_an_adopt_killed_before_its_commit_is_finished_by_the_next(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    killed = _kill_in_hook(repo, "pre-commit")
    assert killed.returncode == -9 and "status: adopted" in policy_text(repo) and not _adoptions(repo)
    row = lifecycle.status(Workspace(repo), TODAY).rows[0]
    assert "is not committed: an adopt was interrupted" in str(row.problems)

    done = adopt_2018(repo)

    assert any("finished an interrupted adoption" in note and "committed and tagged" in note for note in done.recovered)
    assert len(_adoptions(repo)) == 1 and git(repo, "tag") == f"{ID}/2018-03-06"
    assert git(repo, "status", "--porcelain") == "" and not (repo / ".git" / "index.lock").exists()


def test_an_adopt_killed_before_its_commit_is_undone_when_asked_for_another_decision(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    _kill_in_hook(repo, "pre-commit")

    done = lifecycle.adopt(Workspace(repo), ID, date="2018-03-06", paragraph=65, today=TODAY)

    assert any("undid an interrupted adoption" in note and "§ 64" in note for note in done.recovered)
    assert "paragraph: 65" in policy_text(repo) and "paragraph: 64" not in policy_text(repo)
    assert _adoptions(repo) == [f"{ID}: reviderad av kommunstyrelsen 2018-03-06, § 65"]


def test_an_adopt_killed_before_its_tag_is_tagged_by_the_next(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    _kill_in_hook(repo, "post-commit")
    assert len(_adoptions(repo)) == 1 and git(repo, "tag") == ""
    with pytest.raises(StyrdokError, match="its tag social-ekonomi/2018-03-06 is missing"):
        lifecycle.adopt(Workspace(repo), ID, date="2018-03-06", paragraph=65, today=TODAY)

    done = adopt_2018(repo)

    assert any("tagged it" in note for note in done.recovered)
    assert len(_adoptions(repo)) == 1 and git(repo, "tag") == f"{ID}/2018-03-06"


def test_a_tag_named_like_the_policy_is_found_before_anything_changes(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    git(repo, "tag", ID)
    before = snapshot(repo)
    with pytest.raises(StyrdokError, match=f"the existing tag {ID} blocks the tag {ID}/2018-03-06") as caught:
        adopt_2018(repo)
    assert "fix: rename the blocking tag" in str(caught.value)
    assert snapshot(repo) == before


def test_adopt_without_a_committer_identity_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init(tmp_path / "repo")
    for name, value in (("GIT_CONFIG_GLOBAL", "/dev/null"), ("GIT_CONFIG_NOSYSTEM", "1")):
        monkeypatch.setenv(name, value)
    for name in ("EMAIL", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    git(repo, "config", "--unset", "user.email")
    git(repo, "config", "user.useConfigOnly", "true")
    before = snapshot(repo)
    with pytest.raises(StyrdokError, match="git does not know who commits") as caught:
        adopt_2018(repo)
    assert "git config user.email" in str(caught.value)
    assert snapshot(repo) == before
