"""The core stays typed: mypy, configured in pyproject.toml, passes on src/styrdok."""

from __future__ import annotations

from mypy import api

from conftest import ROOT


def test_mypy_passes_on_the_core() -> None:
    # the incremental cache (.mypy_cache, as for `make lint`) keeps repeated runs to a second or two
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(ROOT / ".mypy_cache"), str(ROOT / "src" / "styrdok")])
    assert status == 0, f"mypy found problems (run `make lint` to see them again):\n{stdout}{stderr}"
