"""A policy repository of many policies: copies of the seed draft, each with its own id and title."""

from __future__ import annotations

from pathlib import Path

SEED_DRAFT = Path(__file__).parent / "fixtures" / "social-ekonomi.md"


def policy_copies(folder: Path, count: int, prefix: str = "policy") -> Path:
    """`folder/policy/<prefix>-NNN.md` for NNN in 0..count-1; returns `folder`."""
    (folder / "policy").mkdir(parents=True)
    text = SEED_DRAFT.read_text("utf-8").replace("id: social-ekonomi\n", "")
    for i in range(count):
        copy = text.replace("Timrå kommun\n", f"Timrå kommun ({i})\n", 1)
        (folder / "policy" / f"{prefix}-{i:03d}.md").write_text(copy, "utf-8")
    return folder


def adopted_version(index: int, version: int, prefix: str = "policy") -> str:
    """The text of policy `index` as adopted the `version`-th time (0: fastställd 2011, then reviderad every
    two years), each version with a few words of its own so consecutive versions differ."""
    text = SEED_DRAFT.read_text("utf-8").replace("id: social-ekonomi\n", "")
    text = text.replace("Timrå kommun\n", f"Timrå kommun ({index})\n", 1).replace("status: draft", "status: adopted")
    decisions = [f"  - action: {'fastställd' if v == 0 else 'reviderad'}\n    body: kommunstyrelsen\n"
                 f"    date: {2011 + 2 * v}-03-0{1 + v % 9}\n    paragraph: {10 + v}\n" for v in range(version + 1)]
    start, end = text.index("decisions:\n") + len("decisions:\n"), text.index("consultation:\n")
    text = text[:start] + "".join(decisions) + text[end:]
    return text.replace("Policyn utgår från grundsynen", f"Policyn (version {version + 1}) utgår från grundsynen", 1)


def adopted_history(folder: Path, count: int, versions: int, prefix: str = "policy") -> Path:
    """A git repository at `folder` whose `count` policies were each adopted `versions` times, one commit per
    round of adoptions (so `versions` commits in all); returns `folder`."""
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)

    (folder / "policy").mkdir(parents=True)
    git("init", "--quiet", "--initial-branch=main")
    git("config", "user.name", "Bench Bänksson")
    git("config", "user.email", "bench@timra.example")
    git("config", "commit.gpgsign", "false")
    for version in range(versions):
        for i in range(count):
            (folder / "policy" / f"{prefix}-{i:03d}.md").write_text(adopted_version(i, version, prefix), "utf-8")
        git("add", "--all")
        git("commit", "--quiet", "--message", f"round {version + 1} of adoptions",
            f"--date=20{11 + 2 * version}-03-10T12:00:00+00:00")
    return folder


def every_version(folder: Path, count: int, versions: int, prefix: str = "policy") -> Path:
    """The same versions as `adopted_history`, side by side as policies of one repository (for a cold build)."""
    (folder / "policy").mkdir(parents=True)
    for version in range(versions):
        for i in range(count):
            name = f"{prefix}-{i:03d}-v{version + 1}.md"
            (folder / "policy" / name).write_text(adopted_version(i, version, prefix), "utf-8")
    return folder
