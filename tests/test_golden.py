"""Golden-file tests for each output kind (normalised text/XML); `make golden` regenerates them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED_POLICY, adopted
from golden import check_golden
from styrdok import build
from styrdok.workspace import Workspace

EPOCH = "1520294400"  # 2018-03-06


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _built(repo: Path, text: str, final: bool) -> dict[str, bytes]:
    (repo / "policy").mkdir()
    (repo / "policy" / "social-ekonomi.md").write_text(text, "utf-8")
    report = build.build(Workspace(repo), out=repo / "build", final=final)
    assert report.ok
    return {p.name: p.read_bytes() for p in (repo / "build" / "social-ekonomi").iterdir()}


def test_golden_draft(tmp_path: Path) -> None:
    assert not check_golden("draft", _built(tmp_path, SEED_POLICY.read_text("utf-8"), final=False))


def test_golden_final(tmp_path: Path) -> None:
    assert not check_golden("final", _built(tmp_path, adopted(SEED_POLICY.read_text("utf-8")), final=True))
