"""Shared fixtures: a policy repository in a temp dir, and the real `styrdok` command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# The suite reads styrdok's messages in English (the msgids) unless a test asks for Swedish, the
# default for users: tests/test_i18n.py and the corpus tests run with LANG=sv_SE.UTF-8 and check
# the Swedish. Set before styrdok is imported, for in-process CliRunner runs and subprocesses.
os.environ["LANGUAGE"] = "en"
# styrdok's per-user cache (styrdok.usercache): one of the suite's own, not the user's ~/.cache.
if "STYRDOK_CACHE_DIR" not in os.environ:
    import atexit
    import tempfile

    os.environ["STYRDOK_CACHE_DIR"] = tempfile.mkdtemp(prefix="styrdok-test-cache-")
    atexit.register(shutil.rmtree, os.environ["STYRDOK_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SEED_POLICY = Path(__file__).parent / "fixtures" / "social-ekonomi.md"  # the 2018 draft, pending
SEED_TEXT = Path(__file__).parent / "fixtures" / "seed.txt"
STYRDOK = Path(sys.executable).parent / "styrdok"
DECISION_LINE = re.compile(r"^(Fastställd|Reviderad) av ")
GIT_DATE = "2026-11-25T10:00:00+01:00"  # every commit of a fixture repository, so the site's dates are fixed


def seed_paragraphs() -> list[str]:
    """Every paragraph, heading and list item of the municipality's text (decision lines excluded)."""
    lines = [line.strip() for line in SEED_TEXT.read_text("utf-8").splitlines()]
    return [line.removeprefix("- ") for line in lines if line and not DECISION_LINE.match(line)]


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def shared_leaves_unchanged() -> Iterator[None]:
    """After every test: the words and spaces styrdok.pandoc.loads shares between nodes are as read
    (code that changed one in place would change that word everywhere in every document)."""
    yield
    from styrdok import pandoc

    changed = [(word, node) for word, node in pandoc._LEAVES.items() if node != {"t": "Str", "c": word}]
    assert pandoc._SPACE == {"t": "Space"}, pandoc._SPACE
    assert not changed, changed[:5]


@pytest.fixture
def policy_repo(tmp_path: Path) -> Path:
    """A policy repository holding a copy of the seed policy."""
    (tmp_path / "policy").mkdir()
    shutil.copy(SEED_POLICY, tmp_path / "policy")
    return tmp_path


@pytest.fixture(scope="module")
def fixed_git_dates() -> Iterator[None]:
    """Commits made by the module's fixtures all dated GIT_DATE (published pages show commit dates)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_AUTHOR_DATE", GIT_DATE)
        patch.setenv("GIT_COMMITTER_DATE", GIT_DATE)
        yield


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `styrdok` command as a user would (in English unless `env` says otherwise)."""
    return subprocess.run([str(STYRDOK), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def swedish_env(**extra: str) -> dict[str, str]:
    """The environment of a Swedish user: LANG=sv_SE.UTF-8 and no LANGUAGE/LC_ALL overriding it."""
    return {**os.environ, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "sv_SE.UTF-8", **extra}


def run_sv(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `styrdok` as a Swedish user would."""
    return subprocess.run([str(STYRDOK), *args], cwd=cwd, capture_output=True, text=True,
                          env=swedish_env(**(env or {})), timeout=600)


def adopted(text: str, date: str = "2018-03-06", paragraph: int = 64) -> str:
    """The seed source with its pending revision decided (as `styrdok adopt` would record it)."""
    return (text.replace("status: draft", "status: adopted")
                .replace("    pending: true\n    year: 2018", f"    date: {date}\n    paragraph: {paragraph}"))


# Property tests are derandomized so CI is repeatable; HYPOTHESIS_PROFILE=explore searches afresh.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
