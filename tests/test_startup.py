"""Start-up (issue 13): a command loads what it uses and nothing else.

`styrdok --help` and `styrdok check` ran 0.4 s of imports (python-docx and lxml, Jinja, GitPython,
pypandoc with urllib and ssl, importlib.metadata for the version) before doing anything. Each case
runs the command line in a fresh interpreter and reads sys.modules afterwards; scripts/bench.py
startup measures the time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from conftest import ROOT
from styrdok import __version__, cli, scaffold

# The command line as `styrdok` runs it, then every module that is loaded (a module that _lazy
# bound but nothing used yet is a LazyLoader placeholder, not a plain module: left out).
PROBE = """
import json, sys, types
from styrdok.cli import main
code = main(sys.argv[1:], standalone_mode=False)
loaded = sorted(name for name, module in sys.modules.items() if type(module) is types.ModuleType)
print("\\nMODULES " + json.dumps(loaded))
sys.exit(code or 0)
"""

HEAVY = ("docx", "lxml", "jinja2", "git", "pypandoc", "typst", "ruamel", "importlib.metadata", "urllib.request",
         "ssl", "diff_match_patch", "multiprocessing", "styrdok.render", "styrdok.redline", "styrdok.history",
         "styrdok.cache", "styrdok.publish", "styrdok.consult", "styrdok.importer")


def loaded_after(args: list[str], cwd: Path) -> set[str]:
    """The modules loaded once `styrdok ARGS` has run (exit 0 or 1: doctor and status say 1 for a finding)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode in (0, 1) and "\nMODULES " in result.stdout, result.stderr
    return set(json.loads(result.stdout.rpartition("\nMODULES ")[2]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_help_loads_no_command(policy_repo: Path) -> None:
    modules = loaded_after(["--help"], policy_repo)
    assert "styrdok.cli" in modules and "click" in modules  # the probe sees what is loaded
    assert heavy(modules) == []
    assert not modules & {"yaml", "jsonschema", "styrdok.source", "styrdok.build"}


def test_check_loads_the_validation_alone(policy_repo: Path) -> None:
    modules = loaded_after(["check", "social-ekonomi"], policy_repo)
    assert {"styrdok.build", "styrdok.source", "styrdok.validation", "yaml"} <= modules
    assert heavy(modules) == []


def test_version_runs_the_converters_alone(policy_repo: Path) -> None:
    """--version asks pandoc, typst and git (typst's version from the installed metadata), not the
    fonts, python-docx and GitPython that `doctor` also reports."""
    modules = loaded_after(["--version"], policy_repo)
    assert "styrdok.doctor" in modules
    assert not modules & {"docx", "lxml", "jinja2", "git", "pypandoc", "ruamel.yaml", "styrdok.fonts", "styrdok.source"}


def test_another_command_loads_what_it_uses(policy_repo: Path) -> None:
    """A lazily bound module loads when its command uses it, and brings only its own imports."""
    modules = loaded_after(["status", "--today", "2026-11-25"], policy_repo)
    assert {"styrdok.lifecycle", "styrdok.overview"} <= modules
    # status rewrites no file: the front-matter editor (ruamel) is not loaded either
    assert not modules & {"docx", "lxml", "jinja2", "ruamel.yaml", "styrdok.frontmatter", "styrdok.render",
                          "styrdok.publish"}


def test_build_and_diff_finish_their_docx_without_python_docx(policy_repo: Path) -> None:
    """python-docx makes the reference document, once per user; finishing a DOCX is lxml alone. A
    valid policy needs no jsonschema (styrdok.validation), nor the lifecycle, git history or
    installed metadata."""
    loaded_after(["build", "social-ekonomi"], policy_repo)  # the user cache now holds the reference document
    seed = (policy_repo / "policy" / "social-ekonomi.md").read_text("utf-8")
    (policy_repo / "new.md").write_text(seed.replace("stor betydelse", "avgörande betydelse"), "utf-8")
    for args in (["build", "social-ekonomi", "--out", "again"],
                 ["diff", "policy/social-ekonomi.md", "new.md", "--out", "redline"]):
        modules = loaded_after(args, policy_repo)
        assert "styrdok.render.docx_finish" in modules, args
        assert [m for m in modules if m == "docx" or m.startswith("docx.")] == [], args
        assert not modules & {"jsonschema", "styrdok.lifecycle", "styrdok.history", "importlib.metadata", "git"}, args
    assert (policy_repo / "again" / "social-ekonomi" / "social-ekonomi.docx").is_file()
    assert (policy_repo / "redline" / "redline.docx").is_file()


def test_the_version_constant_is_the_release() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert __version__ == project["version"] == version("styrdok")


def test_the_ci_choices_are_the_ones_scaffold_writes() -> None:
    assert list(cli.CI_SERVICES) == sorted(scaffold.CI_FILES)


EXIT_PROBE = """
import atexit, sys
from styrdok.__main__ import main
atexit.register(lambda: print("exit handler ran"))
class TornDown:
    def __del__(self):
        print("torn down")
kept = TornDown()  # deleted only by the interpreter's teardown
sys.argv = ["styrdok", *sys.argv[1:]]
main()
print("not reached: main ends the process")
"""


def test_the_process_ends_with_the_commands_code_its_output_and_its_exit_handlers(policy_repo: Path) -> None:
    """`styrdok` ends without the interpreter's teardown (nothing is torn down), but as any exit
    does otherwise: the command's exit code, everything it wrote (through a pipe), the exit handlers run."""
    done = subprocess.run([sys.executable, "-c", EXIT_PROBE, "--help"], cwd=policy_repo, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: styrdok") and done.stdout.endswith("exit handler ran\n")
    refused = subprocess.run([sys.executable, "-c", EXIT_PROBE, "check", "no-such-policy"], cwd=policy_repo,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "no-such-policy" in refused.stderr
    assert refused.stdout == "exit handler ran\n"
