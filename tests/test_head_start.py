"""The head start of a one-policy build (styrdok.head_start): pandoc reads the policy before the
command line is imported, and the build takes that read, never another text's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from styrdok import head_start, pandoc, source

from conftest import SEED_POLICY, STYRDOK


@pytest.fixture
def reads() -> list[str]:
    """The texts pandoc was asked to read ahead, the pending reads dropped afterwards."""
    with pandoc._reading_lock:
        pandoc._reading.clear()
    yield []
    with pandoc._reading_lock:
        pandoc._reading.clear()


def pending() -> list[str]:
    with pandoc._reading_lock:
        return list(pandoc._reading)


@pytest.mark.parametrize(("args", "expected"), [
    (["build"], "policy/social-ekonomi.md"),
    (["build", "--final", "--out", "ut", "--stop"], "policy/social-ekonomi.md"),
    (["build", "--out=ut", "--keep-going"], "policy/social-ekonomi.md"),
    (["build", "social-ekonomi"], "policy/social-ekonomi.md"),
    (["build", "--changed"], None),
    (["build", "--from", "v1"], None),
    (["build", "--help"], None),
    (["--lang", "en", "build"], None),
    (["check"], None),
    (["build", "a", "b"], None),
    (["build", "../social-ekonomi"], None),
    (["build", "policy/social-ekonomi.md"], None),
    ([], None),
])
def test_only_a_build_of_one_named_or_only_policy_gets_a_head_start(policy_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     args: list[str], expected: str | None) -> None:
    monkeypatch.chdir(policy_repo)
    found = head_start._the_one_policy(args)
    assert (Path(found) if found else None) == (Path(expected) if expected else None)


def test_no_head_start_when_the_build_has_several_policies(policy_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SEED_POLICY, policy_repo / "policy" / "annan.md")
    monkeypatch.chdir(policy_repo)
    assert head_start._the_one_policy(["build"]) is None


def test_the_build_takes_the_read_the_head_start_began(policy_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                       reads: list[str]) -> None:
    path = policy_repo / "policy" / "social-ekonomi.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))  # as Word's Notepad saves it
    monkeypatch.chdir(policy_repo)
    head_start.begin(["build"])
    assert len(pending()) == 1, "no read was started"
    policy, problems = source.check_file(path)
    assert policy is not None and not problems
    assert pending() == [], "the build read another text than the head start did: its read was left unclaimed"


@pytest.mark.parametrize("body", ["*a* " * 600, "[" * 40 + "x"])
def test_a_text_slow_to_read_gets_no_head_start(policy_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                reads: list[str], body: str) -> None:
    path = policy_repo / "policy" / "social-ekonomi.md"
    path.write_text(path.read_text("utf-8") + "\n" + body + "\n", "utf-8")
    monkeypatch.chdir(policy_repo)
    head_start.begin(["build"])
    assert pending() == []


@pytest.mark.parametrize("data", [b"\xff\xfe not UTF-8", b"no front matter\n", b"---\nid: x\nnever closed\n", b""])
def test_a_file_the_build_refuses_gets_no_head_start_and_no_error(policy_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  reads: list[str], data: bytes) -> None:
    (policy_repo / "policy" / "social-ekonomi.md").write_bytes(data)
    monkeypatch.chdir(policy_repo)
    head_start.begin(["build"])
    assert pending() == []


def test_a_build_with_a_head_start_writes_what_one_without_writes(policy_repo: Path, tmp_path: Path) -> None:
    """The whole command, as a user runs it (the head start is in the entry point only), against
    the same build with --lang, which gets none."""
    other = tmp_path / "other"
    shutil.copytree(policy_repo, other)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    for repo, args in ((policy_repo, ["build"]), (other, ["--lang", "en", "build"])):
        subprocess.run([str(STYRDOK), *args], cwd=repo, env=env, check=True, capture_output=True)
    for name in ("social-ekonomi.docx", "social-ekonomi.pdf", "social-ekonomi.html"):
        assert (policy_repo / "build/social-ekonomi" / name).read_bytes() == \
            (other / "build/social-ekonomi" / name).read_bytes(), name
