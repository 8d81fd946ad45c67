"""Atomic writes under a killed build, incremental rebuilds, parallel builds, doctor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run
from styrdok import build
from synthetic import policy_copies
from styrdok.workspace import Workspace


# A build killed at a chosen point of the atomic writer: `os._exit` ends the process on the spot, as
# SIGKILL would (no cleanup, no finally), either halfway through writing a temp file or just before
# the rename that puts a complete file in place.
KILLER = """
import os, sys
from pathlib import Path
from styrdok import build
from styrdok.workspace import Workspace

mode, at, repo = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
calls = 0

def killed_here() -> bool:
    global calls
    calls += 1
    return calls == at

if mode == "rename":
    rename = os.replace
    def replace(src, dst):
        if killed_here():
            os._exit(137)
        rename(src, dst)
    os.replace = replace
else:
    from styrdok import output
    write_fd = output._write_fd  # the one place the atomic writer's bytes reach the disk
    def torn(fd, data):
        if killed_here():
            os.write(fd, bytes(data[: len(data) // 2])); os._exit(137)
        write_fd(fd, data)
    output._write_fd = torn
build.build(Workspace(repo), jobs=1)
"""


def _outputs(folder: Path) -> dict[str, bytes]:
    """The built files (not the cache's stamps, not temp files)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.glob("*/*.*")
            if not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def test_a_killed_build_leaves_old_or_new_files_never_torn(tmp_path: Path) -> None:
    repo = policy_copies(tmp_path / "repo", 2)
    assert build.build(Workspace(repo), jobs=1).ok
    old = _outputs(repo / "build")
    for path in (repo / "policy").glob("*.md"):
        path.write_text(path.read_text("utf-8") + "\nTillägg.\n", "utf-8")
    assert build.build(Workspace(repo), out=tmp_path / "new", jobs=1).ok
    new = _outputs(tmp_path / "new")
    assert set(new) == set(old) and all(new[name] != old[name] for name in new)
    for mode, at in (("write", 1), ("rename", 3), ("write", 5)):
        killed = subprocess.run([sys.executable, "-c", KILLER, mode, str(at), str(repo)], capture_output=True)
        assert killed.returncode == 137, killed.stderr.decode()
        assert list((repo / "build").rglob(".*.tmp")), f"{mode} {at}: the kill left no temp file behind"
        now = _outputs(repo / "build")
        assert set(now) == set(old)
        assert all(data in (old[name], new[name]) for name, data in now.items()), f"a file is torn ({mode} {at})"
        assert any(now[name] == new[name] for name in now) == (at > 1), "the files before the kill are in place"
    assert build.build(Workspace(repo), jobs=1).ok
    assert not list((repo / "build").rglob("*.tmp")), "temp files of killed builds are cleaned up"
    assert _outputs(repo / "build") == new


def test_unchanged_policies_are_not_rebuilt(tmp_path: Path) -> None:
    repo = policy_copies(tmp_path, 3)
    workspace = Workspace(repo)
    first = build.build(workspace, jobs=2)
    assert first.ok and not any(r.cached for r in first.results)
    mtimes = {p: p.stat().st_mtime_ns for p in (repo / "build").glob("*/*.*")}

    second = build.build(workspace)
    assert [r.cached for r in second.results] == [True, True, True]
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes

    edited = repo / "policy" / "policy-001.md"
    edited.write_text(edited.read_text("utf-8").replace("byalag.", "byalag och bygdegårdar."), "utf-8")
    third = build.build(workspace)
    assert [r.cached for r in third.results] == [True, False, True]
    assert "bygdegårdar" in (repo / "build" / "policy-001" / "policy-001.html").read_text("utf-8")

    (repo / "build" / "policy-002" / "policy-002.pdf").unlink()
    (repo / "templates").mkdir()
    (repo / "templates" / "styrdok.css").write_text("body { color: #000; }", "utf-8")
    fourth = build.build(workspace)
    assert not any(r.cached for r in fourth.results), "a template override invalidates every policy"
    assert (repo / "build" / "policy-002" / "policy-002.pdf").is_file()


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    serial = build.build(Workspace(policy_copies(tmp_path / "a", 3)), jobs=1)
    parallel = build.build(Workspace(policy_copies(tmp_path / "b", 3)), jobs=3)
    assert serial.ok and parallel.ok
    for result in serial.results:
        for path in result.files:
            twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
            assert twin.read_bytes() == path.read_bytes()


def test_doctor_and_version_report_the_converters(tmp_path: Path) -> None:
    version = run(["--version"], tmp_path)
    assert version.returncode == 0 and "pandoc 3." in version.stdout and "typst 0." in version.stdout
    assert "git 2." in version.stdout
    doctor = run(["doctor"], tmp_path)
    assert doctor.returncode == 0 and "pandoc" in doctor.stdout and "typst" in doctor.stdout


def test_outside_a_policy_repository_the_error_says_where(tmp_path: Path) -> None:
    result = run(["build"], tmp_path)
    assert result.returncode == 2 and "no policy/ folder" in result.stderr and "Traceback" not in result.stderr
