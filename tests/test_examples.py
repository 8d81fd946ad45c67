"""Every example in the README (its ```sh blocks) and in every command's --help (its Example:) runs.

Each example runs as written, in a fresh copy of the repository state it belongs to (an empty
folder, a folder after `styrdok init`, the seed draft, the adopted policy, a revision under way);
an example this test does not know is a failure, so a new example gets a place here.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from gitrepo import ID, REL, commit, git, init
from test_responses import fill
from wordgen import legacy_policy
from styrdok.cli import main

ENV = {"SOURCE_DATE_EPOCH": "1764028800", "STYRDOK_TODAY": "2026-11-25"}  # 2025-11-25 / 2026-11-25


def _sh_lines(markdown: str) -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.S | re.M)
    return [line for block in blocks for line in block.splitlines()]


def _help_lines() -> list[str]:
    lines = []
    for name, command in sorted(main.commands.items()):
        text = CliRunner().invoke(main, [name, "--help"], terminal_width=80).output
        example = text.split("Example:", 1)[1].split("\nOptions:", 1)[0] if "Example:" in text else ""
        lines += [line for line in example.splitlines() if line.strip()]
    return lines


def _uncommented(line: str) -> str:
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def _commands(lines: list[str]) -> list[str]:
    """The styrdok command lines, without comments and redirections, split at &&."""
    found = []
    for line in lines:
        words = shlex.split(_uncommented(line))
        for part in " ".join(shlex.quote(w) if w not in ("&&", ">") else w for w in words).split("&&"):
            part = part.split(" > ")[0].strip()
            if part.startswith("styrdok "):
                found.append(part)
    return list(dict.fromkeys(found))


EXAMPLES = _commands(_sh_lines((ROOT / "README.md").read_text("utf-8")) + _help_lines())


def _state(example: list[str]) -> str:
    command, args = example[1], example[2:]
    if command == "init":
        return "empty"
    if command == "new":
        return "initialised"
    if command == "adopt":
        return "seed" if "2018-03-06" in args else "revision"
    if command in ("revise", "log", "status", "publish", "doctor") or "--final" in args \
            or (command == "diff" and "2018-03-06" in args):  # --from a decision date: the adopted version
        return "adopted"
    if command in ("check", "build", "consult", "diff"):
        return "seed"
    if command in ("responses", "memo", "import"):
        return "consulted"
    raise AssertionError(f"a new example, give it a state in tests/test_examples.py: {' '.join(example)}")


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("states")
    empty = base / "empty"
    empty.mkdir()
    initialised = base / "initialised"
    initialised.mkdir()
    git(initialised, "init", "--quiet")
    _run(["init"], initialised)
    seed = init(base / "seed")
    git(seed, "tag", "v2015")
    (seed / "policy-2015.md").write_text((seed / REL).read_text("utf-8").replace("Med social ekonomi avses",
                                                                                   "Med social ekonomi menas"), "utf-8")
    bodies = re.search(r"e\.g\. `remissinstanser\.yaml`:\n\n```yaml\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert bodies, "the README's --bodies example"
    (seed / "remissinstanser.yaml").write_text(bodies.group(1), "utf-8")
    commit(seed, "exempel: filer till exemplen")
    adopted = base / "adopted"
    shutil.copytree(seed, adopted)
    assert _run(["adopt", ID, "--date", "2018-03-06", "--paragraph", "64"], adopted).exit_code == 0
    consulted = base / "consulted"
    shutil.copytree(seed, consulted)
    sent = _run(["consult", ID, "--deadline", "2027-02-15", "--dnr", "KS 2026/45"], consulted)
    assert sent.exit_code == 0, sent.output
    remiss = consulted / "build" / ID / "remiss"
    (consulted / "svar").mkdir()
    (consulted / "svar" / "socialnamnden.docx").write_bytes(
        fill((remiss / "svarsmall.docx").read_bytes(), "Socialnämnden", {None: ["Vi tillstyrker förslaget."]}))
    shutil.copy(remiss / "remissversion.pdf", consulted / "svar" / "yttrande.pdf")
    shutil.copy(remiss / "remissversion.docx", consulted / "remissversion-med-synpunkter.docx")
    shutil.copy(remiss / "remissversion.docx", consulted / "remissversion-synpunkter.docx")
    legacy_policy(consulted / "Policy för föreningsstöd.docx")
    (consulted / "gamla").mkdir()
    legacy_policy(consulted / "gamla" / "policy-for-foreningsstod.docx")
    revision = base / "revision"
    shutil.copytree(adopted, revision)
    assert _run(["revise", ID, "--year", "2026"], revision).exit_code == 0
    commit(revision, "social-ekonomi: revideringen 2026")
    return {"empty": empty, "initialised": initialised, "seed": seed, "adopted": adopted, "revision": revision,
            "consulted": consulted}


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None):
    import os

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, env={**ENV, **(env or {})})
    finally:
        os.chdir(old)


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 15 and all(e.startswith("styrdok ") for e in EXAMPLES), EXAMPLES
    assert 'styrdok adopt social-ekonomi --date 2026-12-08 --paragraph 212 --dnr "KS 2026/311"' in EXAMPLES \
        or "styrdok adopt social-ekonomi --date 2026-12-08 --paragraph 212 --dnr 'KS 2026/311'" in EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_example_runs(example: str, states: dict[str, Path], tmp_path: Path) -> None:
    words = shlex.split(example)
    here = tmp_path / "repo"
    shutil.copytree(states[_state(words)], here, symlinks=True)
    words = [w for word in words for w in (sorted(str(p.relative_to(here)) for p in here.glob(word)) if "*" in word
                                          else [word])]  # the shell's globbing
    env = {"STYRDOK_TODAY": "2026-12-10"} if "2026-12-08" in words else {}
    result = _run(words[1:], here, env)
    ok = {"status": (0, 1), "diff": (0, 1), "doctor": (0, 1)}.get(words[1], (0,))
    assert result.exit_code in ok, f"{example}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (example, result.exception)
