"""Files that are not plain files, links out of the repository, and outputs that cannot be written.

Policies that are links, pipes or folders (tests/corpus/special-files.yaml) are refused with file
and fix by check, build and publish, never read and never hung on; templates never come from
outside the repository; no output goes into policy/, templates/ or .git/; a full disk leaves a
policy's old set of files, not a mix.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import SEED_POLICY, STYRDOK
from gitrepo import ID, adopt_2018, commit, git, init
from styrdok import build, output, publish
from styrdok.errors import StyrdokError
from styrdok.output import OutputDir
from styrdok.workspace import Workspace

CORPUS = Path(__file__).parent / "corpus"
CASES: dict[str, dict] = yaml.safe_load((CORPUS / "special-files.yaml").read_text("utf-8"))
PASSWD = "root:x:0:0"  # the first line of /etc/passwd: must never reach an output


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # a short time limit: reading a named pipe would hang for ever
    return subprocess.run([str(STYRDOK), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _make(path: Path, case: dict, outside: Path) -> None:
    if case["make"] == "symlink":
        path.symlink_to(case["target"].format(outside=outside))
    elif case["make"] == "fifo":
        os.mkfifo(path)
    elif case["make"] == "directory":
        path.mkdir()
        (path / "inside.md").write_bytes(SEED_POLICY.read_bytes())


def _outside(factory: pytest.TempPathFactory) -> Path:
    folder = factory.mktemp("outside")
    (folder / "outside.md").write_bytes(SEED_POLICY.read_bytes().replace(b"id: social-ekonomi\n", b""))
    return folder


def _assert_refused(result: subprocess.CompletedProcess[str], name: str, case: dict) -> None:
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    prefix = f"policy/{name}.md: error: cannot read the file: "
    assert any(line.startswith(prefix) and case["message"] in line for line in result.stderr.splitlines()), \
        result.stderr
    assert case["hint"] in result.stderr


def test_check_and_build_refuse_policies_that_are_not_files(policy_repo: Path,
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = _outside(tmp_path_factory)
    for name, case in CASES.items():
        _make(policy_repo / "policy" / f"{name}.md", case, outside)

    checked = _run(["check"], policy_repo)
    built = _run(["build"], policy_repo)

    for name, case in CASES.items():
        _assert_refused(checked, name, case)
        _assert_refused(built, name, case)
        assert not (policy_repo / "build" / name).exists()
    assert f"1 of {len(CASES) + 1} policies built" in built.stderr  # the seed still builds
    assert PASSWD not in (policy_repo / "build" / "social-ekonomi" / "social-ekonomi.html").read_text("utf-8")


def test_publish_refuses_a_policy_committed_as_a_link_and_publishes_the_others(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    adopt_2018(repo)
    (repo / "policy" / "passwd-link.md").symlink_to("/etc/passwd")
    (repo / "policy" / "inside-link.md").symlink_to(f"{ID}.md")  # inside the repository, yet a link in git
    commit(repo, "links")

    result = _run(["publish"], repo)

    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for name in ("passwd-link", "inside-link"):
        assert f"policy/{name}.md@" in result.stderr
    assert "git holds it as a symbolic link" in result.stderr and "fix: commit the policy file itself" in result.stderr
    site = repo / "build" / "site"
    assert (site / ID / "2018-03-06" / f"{ID}.pdf").is_file()
    assert not any(PASSWD in p.read_text("utf-8", "replace") for p in site.rglob("*") if p.is_file())


def test_a_template_linked_out_of_the_repository_never_reaches_a_page(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    adopt_2018(repo)
    (repo / "templates").mkdir()
    (repo / "templates" / "styrdok.css").symlink_to("/etc/passwd")
    commit(repo, "a css override that is a link")
    workspace = Workspace(repo)

    report = build.build(workspace, jobs=1)
    assert not report.ok
    assert "templates/styrdok.css: it is a symbolic link to /etc/passwd, outside the repository" in \
        str(report.results[0].problems[0])
    with pytest.raises(StyrdokError, match="styrdok.css: it is a symbolic link to /etc/passwd"):
        publish.publish(workspace)
    written = [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts and "policy" not in p.parts]
    assert not any(PASSWD in p.read_text("utf-8", "replace") for p in written if not p.is_symlink())
    assert not (repo / "build" / ID).exists()


def test_no_output_goes_into_policy_templates_or_git(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    (repo / "templates").mkdir()
    before = git(repo, "status", "--porcelain", "--untracked-files=all")

    result = _run(["diff", ID, "--from", "HEAD", "--out", "policy"], repo)

    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "refusing to write into" in result.stderr and "fix: give an output folder outside policy/" in result.stderr
    for folder in ("policy", "policy/sub", "templates", ".git", ".git/refs"):
        with pytest.raises(StyrdokError, match="lies inside"):
            OutputDir(repo / folder)
    with pytest.raises(StyrdokError, match="inside the repository's policy/"):
        OutputDir(repo).write("policy/changes.md", b"x")  # --out . and a name that reaches policy/
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == before
    assert not (repo / "policy" / "changes.md").exists()


def test_a_full_disk_keeps_the_old_set_of_files(policy_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace(policy_repo)
    assert build.build(workspace, jobs=1).ok
    folder = policy_repo / "build" / "social-ekonomi"
    old = {p.name: p.read_bytes() for p in folder.iterdir()}
    source = policy_repo / "policy" / "social-ekonomi.md"
    source.write_text(source.read_text("utf-8") + "\nEtt nytt stycke.\n", "utf-8")
    real, calls = output._write_fd, []

    def fail_on_the_second_file(fd: int, data: bytes) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the first file of the set is staged, the second cannot be written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(output, "_write_fd", fail_on_the_second_file)
    report = build.build(workspace, jobs=1)

    problem = str(report.results[0].problems[-1])
    assert not report.ok and "the disk is full" in problem and "nothing of this set was replaced" in problem
    assert "fix: free space on the disk" in problem
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == old, "the old set stays, whole"
    monkeypatch.setattr(output, "_write_fd", real)
    assert build.build(workspace, jobs=1).ok, "the next run builds (the failed one left no cache stamp)"
    assert "Ett nytt stycke" in (folder / "social-ekonomi.html").read_text("utf-8")
    assert not list(folder.glob(".*.tmp"))


@pytest.mark.parametrize("code, why, fix", [(errno.EROFS, "the file system is read-only", "--out DIR"),
                                            (errno.EACCES, "permission denied", "permissions"),
                                            (errno.EDQUOT, "the disk is full", "free space")])
def test_every_write_error_says_what_and_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       code: int, why: str, fix: str) -> None:
    (tmp_path / "a.html").write_bytes(b"old")

    def fail(fd: int, data: bytes) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output, "_write_fd", fail)
    with pytest.raises(output.OutputError) as caught:
        OutputDir(tmp_path).write_all({"a.html": b"new", "a.pdf": b"new"})
    assert why in str(caught.value) and fix in str(caught.value).split("fix: ")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"] and (tmp_path / "a.html").read_bytes() == b"old"


def test_a_read_only_output_folder_is_a_clear_error(policy_repo: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; the error path is tested by injection above")
    out = tmp_path / "readonly"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = _run(["build", "--out", str(out)], policy_repo)
    finally:
        out.chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "permission denied" in result.stderr


def test_temp_files_of_a_live_run_are_never_removed(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        live = tmp_path / f".a.pdf.{output._host()}-{sleeper.pid}.abcd1234.tmp"
        dead = tmp_path / f".a.pdf.{output._host()}-{2**22 + 12345}.abcd1234.tmp"  # above any pid in use
        other_host = tmp_path / f".a.pdf.ffffff-{sleeper.pid}.abcd1234.tmp"
        for path in (live, dead, other_host):
            path.write_bytes(b"half")
        output.atomic_write(target, b"new")
        assert target.read_bytes() == b"new"
        assert live.exists() and other_host.exists() and not dead.exists()
        os.utime(other_host, (0, 0))  # a day old: abandoned whoever left it
        output.atomic_write(target, b"newer")
        assert not other_host.exists() and live.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
