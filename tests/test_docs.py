"""Every command is documented: an Example in its --help, a row in the README."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ROOT
from styrdok.cli import main

COMMANDS = sorted(main.commands)


def test_the_fixed_verbs_exist() -> None:
    assert {"check", "build", "diff", "consult", "revise", "adopt", "log", "status", "publish"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"styrdok {name}" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_the_command(name: str) -> None:
    assert f"`styrdok {name}" in (ROOT / "README.md").read_text("utf-8")
