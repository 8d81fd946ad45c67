"""Atomic writes under a killed build, incremental rebuilds, parallel builds, doctor."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from conftest import STYRDOK, run
from styrdok import build
from synthetic import policy_copies
from styrdok.workspace import Workspace


def _complete(path: Path) -> bool:
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


def test_a_killed_build_leaves_old_or_new_files_never_torn(tmp_path: Path) -> None:
    repo = policy_copies(tmp_path, 6)
    assert run(["build"], repo).returncode == 0
    old = {p: p.read_bytes() for p in (repo / "build").glob("*/*.*")}
    for delay in (0.3, 0.6, 0.9, 1.2):
        for path in (repo / "policy").glob("*.md"):
            path.write_text(path.read_text("utf-8") + f"\nTillägg {delay}.\n", "utf-8")
        proc = subprocess.Popen([str(STYRDOK), "build"], cwd=repo, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for path in (repo / "build").glob("*/*.*"):
            assert path.read_bytes() == old.get(path) or _complete(path), f"{path} is torn after a kill at {delay}s"
    assert run(["build"], repo).returncode == 0
    assert not list((repo / "build").rglob("*.tmp")), "temp files of killed builds are cleaned up"
    assert all(_complete(p) for p in (repo / "build").glob("*/*.*"))


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
