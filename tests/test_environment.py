"""The environment styrdok runs in: tools missing or too old, settings that are wrong, Ctrl-C, a
shallow clone. Each is the real command in a manipulated environment; none prints a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import STYRDOK
from gitrepo import ID, adopt_2018, git, init
from styrdok import cli, publish
from styrdok.errors import StyrdokError
from styrdok.history import History
from styrdok.workspace import Workspace


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(STYRDOK), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_COLOR": "1", **env})
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def test_without_git_only_what_needs_history_refuses(policy_repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    version = _run(["--version"], policy_repo, PATH=str(empty))
    doctor = _run(["doctor"], policy_repo, PATH=str(empty))
    check = _run(["check"], policy_repo, PATH=str(empty))
    log = _run(["log", "social-ekonomi"], policy_repo, PATH=str(empty))

    assert version.returncode == 0 and "git missing" in version.stdout
    assert doctor.returncode == 1 and any(line.split()[:2] == ["git", "missing"] for line in doctor.stdout.splitlines())
    assert check.returncode == 0
    assert log.returncode == 2 and "git is not installed" in log.stderr and "fix: install git" in log.stderr


def test_without_typst_doctor_says_so_and_build_names_it(policy_repo: Path, tmp_path: Path) -> None:
    shadow = tmp_path / "no-typst"
    shadow.mkdir()
    (shadow / "typst.py").write_text("raise ModuleNotFoundError(\"No module named 'typst'\", name='typst')\n")
    doctor = _run(["doctor"], policy_repo, PYTHONPATH=str(shadow))
    built = _run(["build"], policy_repo, PYTHONPATH=str(shadow))

    assert doctor.returncode == 1 and any(line.split()[:2] == ["typst", "missing"] for line in doctor.stdout.splitlines())
    assert built.returncode == 1 and "typst is not installed" in built.stderr and "fix: pip install typst" in built.stderr


def test_typst_missing_is_reported_to_every_thread_that_imports_it_at_once(tmp_path: Path) -> None:
    # the DOCX's SVG logo and the PDF's compiler import typst on two threads; a slow failing import
    # makes them meet (Python hands a second importer the first one's failed, empty module)
    shadow = tmp_path / "slow-no-typst"
    shadow.mkdir()
    (shadow / "typst.py").write_text("import time\ntime.sleep(0.3)\n"
                                     "raise ModuleNotFoundError(\"No module named 'typst'\", name='typst')\n")
    program = (
        "import threading\n"
        "from styrdok.render.pdf import TypstMissing, _typst\n"
        "said = []\n"
        "def one():\n"
        "    try:\n"
        "        _typst()\n"
        "    except TypstMissing:\n"
        "        said.append('missing')\n"
        "    else:\n"
        "        said.append('imported')\n"
        "threads = [threading.Thread(target=one) for _ in range(3)]\n"
        "[thread.start() for thread in threads]\n"
        "[thread.join() for thread in threads]\n"
        "print(' '.join(said))\n")
    result = subprocess.run([str(STYRDOK.with_name("python")), "-c", program], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": str(shadow)})

    assert result.stdout.split() == ["missing"] * 3, result.stdout + result.stderr


def test_an_old_pandoc_is_reported_not_used(policy_repo: Path, tmp_path: Path) -> None:
    old = tmp_path / "old-pandoc"
    old.write_text("#!/bin/sh\necho 'pandoc 2.9.2.1'\necho 'Compiled with pandoc-types 1.20'\n")
    old.chmod(0o755)
    # PYPANDOC_PANDOC chooses the pandoc, as an old system pandoc is chosen when the bundled one is missing
    doctor = _run(["doctor"], policy_repo, PYPANDOC_PANDOC=str(old))
    built = _run(["build"], policy_repo, PYPANDOC_PANDOC=str(old))

    assert doctor.returncode == 1 and "pandoc       2.9.2.1: too old" in doctor.stdout
    assert built.returncode == 2 and "pandoc 2.9.2.1" in built.stderr and "is too old" in built.stderr
    assert "fix: pip install pypandoc_binary" in built.stderr and not (policy_repo / "build" / ID).exists()


@pytest.mark.parametrize("epoch", ["abc", "-1", "1e9", "99999999999999"])
def test_a_bad_source_date_epoch_is_a_clear_error(policy_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                  epoch: str) -> None:
    monkeypatch.chdir(policy_repo)
    result = CliRunner().invoke(cli.main, ["build"], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output and "fix: " in result.output
    assert not (policy_repo / "build").exists()


def test_a_revision_git_cannot_resolve_is_a_clear_error(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    for rev in ("HEAD@{99}", "HEAD~9", "nosuchbranch", "HEAD^{tree}"):
        with pytest.raises(StyrdokError, match=r"unknown revision"):
            History(Workspace(repo)).read(ID, rev)


def test_publish_refuses_a_shallow_clone(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    adopt_2018(repo)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo}", str(shallow))
    with pytest.raises(StyrdokError, match="shallow clone") as caught:
        publish.publish(Workspace(shallow))
    assert "fix: fetch the whole history with `git fetch --unshallow`" in str(caught.value)
    assert not (shallow / "build").exists()


def _mapped(pid: int, name: str) -> bool:
    try:
        return name in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _children(pgid: int, name: str) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == pgid and name in stat.read_text().partition(")")[0]:
                return True
        except (OSError, ValueError, IndexError):
            continue
    return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see how far the run got")
@pytest.mark.parametrize("moment", ["start-up", "rendering"])
def test_ctrl_c_says_avbrutet_and_exits_130(policy_repo: Path, moment: str) -> None:
    proc = subprocess.Popen([str(STYRDOK), "build"], cwd=policy_repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    # start-up: YAML's C extension loads as the command loads its modules; rendering: pandoc runs
    reached = (lambda: _mapped(proc.pid, "_yaml")) if moment == "start-up" else \
        (lambda: _children(proc.pid, "pandoc"))
    deadline = time.monotonic() + 120
    while not reached() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert proc.poll() is None, "the run ended before the moment to interrupt it"
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Avbrutet" in err and "Traceback" not in err, err
    assert not list(policy_repo.rglob("*.tmp"))


def test_doctor_names_a_theme_font_without_files(policy_repo: Path) -> None:
    (policy_repo / "templates").mkdir(exist_ok=True)
    found = _run(["doctor"], policy_repo)
    (policy_repo / "templates" / "theme.yaml").write_text("fonts:\n  body: Garamond\n", "utf-8")
    missing = _run(["doctor"], policy_repo, LANG="sv_SE.UTF-8", LANGUAGE="", LC_ALL="")

    assert found.returncode == 0 and any(line.split()[:3] == ["fonts", "Source", "Sans"] for line in found.stdout.splitlines())
    assert missing.returncode == 0  # the PDF is still made, in another font
    assert "typsnitt     Garamond, Source Sans Pro: ingen typsnittsfil för Garamond" in missing.stdout
    assert "templates/fonts/" in missing.stdout
