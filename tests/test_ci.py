"""The policy repository builds itself: `styrdok init --ci gitlab|github` writes a CI
configuration whose job scripts, run here line by line in a real repository after a revision,
make the redline artifacts and the site and fail on a broken file; the pre-commit hook runs
through the pre-commit framework; `diff --changed` and `build --changed` find the revised
policies."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEED_POLICY, STYRDOK, run, run_sv
from gitrepo import commit, git

from styrdok import __version__

ID = "social-ekonomi"
BASE_URL = "https://www.timra.example/styrdokument/"
BROKEN = "---\ntitle: Trasig\ntype: policy\nowner: kommunstyrelsen\nstatus: antagna\ndecisions: []\n---\n\nText.\n"


def shell(line: str, repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """One script line as a CI runner runs it: sh -e, the job's variables, styrdok on PATH."""
    path = f"{STYRDOK.parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", "-e", "-c", line], cwd=repo, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": path, "CI": "true", **env})


def run_script(lines: list[str], repo: Path, **env: str) -> list[subprocess.CompletedProcess[str]]:
    done = []
    for line in lines:
        done.append(result := shell(line, repo, **env))
        if result.returncode:
            break
    return done


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository made with `styrdok init --ci gitlab`, then `--ci github`: the seed adopted
    (commit and tag), revised and its text edited in a second commit."""
    repo = tmp_path_factory.mktemp("ci") / "kommun"
    repo.mkdir()
    assert run(["init", "--ci", "gitlab", "--pre-commit"], repo).returncode == 0
    assert run(["init", "--ci", "github"], repo).returncode == 0  # on an existing repository
    git(repo, "config", "user.name", "Kansliet")
    git(repo, "config", "user.email", "kansliet@timra.example")
    shutil.copy(SEED_POLICY, repo / "policy")
    commit(repo, "social-ekonomi: 2018 års revidering (utkast)")
    assert run(["adopt", ID, "--date", "2018-03-06", "--paragraph", "64", "--today", "2026-11-25"], repo).returncode == 0
    assert run(["revise", ID, "--today", "2026-11-25"], repo).returncode == 0
    path = repo / "policy" / f"{ID}.md"
    path.write_text(path.read_text("utf-8").replace("tre sektorer", "tre samverkande sektorer"), "utf-8")
    commit(repo, "social-ekonomi: samverkan")
    return repo


def test_init_writes_a_complete_policy_repository(revised: Path) -> None:
    ignored = (revised / ".gitignore").read_text("utf-8").splitlines()
    assert {"build/", ".styrdok-cache/"} <= set(ignored)
    assert "policy.typ" in (revised / "templates" / "README.md").read_text("utf-8")
    assert git(revised, "tag", "--list") == f"{ID}/2018-03-06"


def test_gitlab_jobs_run_as_written(revised: Path, tmp_path: Path) -> None:
    config = yaml.safe_load((revised / ".gitlab-ci.yml").read_text("utf-8"))
    assert config["variables"]["GIT_DEPTH"] == "0"
    assert config["variables"]["STYRDOK_PIP"] == f"styrdok=={__version__}"
    assert config["default"]["before_script"] == ['pip install --quiet "$STYRDOK_PIP"']
    assert ".cache/pip" in config["default"]["cache"]["paths"]
    work = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(revised), str(work))  # a CI checkout: a fresh clone
    env = {"CI_PROJECT_DIR": str(work), "STYRDOK_BASE_URL": BASE_URL}
    for job in ("check", "redline", "pages"):
        done = run_script(config[job]["script"], work, **env)
        assert done[-1].returncode == 0, (job, done[-1].stderr)
    redline = work / "build" / ID / "redline"
    assert {p.name for p in redline.iterdir()} >= {"redline.pdf", "redline.docx", "redline.html", "changes.md"}
    log = "".join(d.stdout for d in run_script(config["redline"]["script"][:1], work, **env))
    assert "samverkande" in log or "1 ord infogat" in log  # the per-section summary is in the job log
    summary = json.loads((work / "build" / "changes.json").read_text("utf-8"))
    assert [p["id"] for p in summary["policies"]] == [ID] and summary["policies"][0]["changed"]
    assert (work / "build" / ID / f"{ID}.pdf").is_file()  # the draft of the changed policy
    assert (work / "public" / "index.html").is_file()
    assert BASE_URL in (work / "public" / "sitemap.xml").read_text("utf-8")
    rules = [rule["if"] for rule in config["pages"]["rules"]]
    tag_rule = re.search(r"=~ /(.*)/$", rules[0])
    assert tag_rule and re.fullmatch(tag_rule.group(1).replace("\\/", "/"), f"{ID}/2018-03-06")


def test_a_broken_file_fails_the_check_job_with_its_line(revised: Path, tmp_path: Path) -> None:
    config = yaml.safe_load((revised / ".gitlab-ci.yml").read_text("utf-8"))
    work = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(revised), str(work))
    (work / "policy" / "trasig.md").write_text(BROKEN, "utf-8")
    done = run_script(config["check"]["script"], work)
    assert done[-1].returncode == 1
    assert re.search(r"^policy/trasig\.md:\d+: ", done[-1].stderr, re.M), done[-1].stderr
    report = json.loads((work / "gl-code-quality-report.json").read_text("utf-8"))
    assert report and all(e["location"]["path"] == "policy/trasig.md" and e["location"]["lines"]["begin"] >= 1
                          and e["severity"] == "major" for e in report)
    assert config["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    github = shell(config["check"]["script"][0], work, GITHUB_ACTIONS="true")
    assert re.search(r"^::error file=policy/trasig\.md,line=\d+::", github.stdout, re.M), github.stdout


def _github_steps(repo: Path, job: str) -> list[dict]:
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "styrdok.yml").read_text("utf-8"))
    return workflow["jobs"][job]["steps"]


def test_github_workflow_runs_as_written(revised: Path, tmp_path: Path) -> None:
    workflow = yaml.safe_load((revised / ".github" / "workflows" / "styrdok.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["tags"] == ["*/*"] and "pull_request" in triggers
    assert f"styrdok=={__version__}" in workflow["env"]["STYRDOK_PIP"]
    work = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(revised), str(work))
    for job in ("check", "publish"):
        steps = _github_steps(revised, job)
        assert steps[0]["with"]["fetch-depth"] == 0
        assert steps[1]["with"]["cache"] == "pip"
        assert [s["run"] for s in steps if s.get("name") == "install"] == ['pip install --quiet "$STYRDOK_PIP"']
        for step in steps:
            if "run" in step and step.get("name") != "install":
                env = {k: BASE_URL for k in step.get("env", {})}
                done = shell(step["run"], work, GITHUB_ACTIONS="true", **env)
                assert done.returncode == 0, (job, step["name"], done.stderr)
    assert (work / "build" / ID / "redline" / "redline.docx").is_file()
    assert BASE_URL in (work / "build" / "site" / "sitemap.xml").read_text("utf-8")


def test_diff_changed_exit_codes_and_json(revised: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    changed = run(["diff", "--changed", "--format", "json", "--out", str(out)], revised)
    assert changed.returncode == 1, changed.stderr
    assert json.loads(changed.stdout)["policies"][0]["files"] == sorted(
        ["redline.html", "redline.docx", "redline.pdf", "changes.md"])
    assert (out / ID / "redline" / "changes.md").is_file()
    same = run_sv(["diff", "--changed", "--from", "HEAD", "--out", str(out)], revised)
    assert same.returncode == 0 and "inga ändrade styrdokument" in same.stdout
    unknown = run(["diff", "--changed", "--from", "v2015"], revised)
    assert unknown.returncode == 2 and "v2015" in unknown.stderr


def test_pre_commit_framework_refuses_a_bad_file(revised: Path, tmp_path: Path) -> None:
    work = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(revised), str(work))
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    pre_commit = [str(STYRDOK.parent / "pre-commit"), "run", "--files"]
    good = shell(" ".join([*pre_commit, f"policy/{ID}.md"]), work, **env)
    assert good.returncode == 0, good.stdout + good.stderr
    (work / "policy" / "trasig.md").write_text(BROKEN, "utf-8")
    git(work, "add", "policy/trasig.md")
    bad = shell(" ".join([*pre_commit, "policy/trasig.md"]), work, **env)
    assert bad.returncode == 1 and "policy/trasig.md:" in bad.stdout


def test_shipped_hook_declares_the_command_it_runs(revised: Path, tmp_path: Path) -> None:
    """The hook a municipality references from its .pre-commit-config.yaml, run exactly as declared."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "styrdok-check" and hook["files"] == r"^policy/.*\.md$"
    work = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(revised), str(work))
    (work / "policy" / "trasig.md").write_text(BROKEN, "utf-8")
    files = [f for f in ("policy/trasig.md", f"policy/{ID}.md", "README.md") if re.search(hook["files"], f)]
    assert files == ["policy/trasig.md", f"policy/{ID}.md"]
    assert shell(f"{hook['entry']} {files[1]}", work).returncode == 0
    assert shell(f"{hook['entry']} {' '.join(files)}", work).returncode == 1


def _on_a_terminal(args: list[str], cwd: Path, **env: str) -> bytes:
    """Run styrdok with its output on a pseudo-terminal, as in an officer's shell."""
    import pty

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    done = subprocess.run([str(STYRDOK), *args], cwd=cwd, stdout=follower, stderr=follower, timeout=300,
                          env={**environment, **env})
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert done.returncode == 0, output
    return output


def test_ci_output_has_no_animation_or_colour(policy_repo: Path) -> None:
    second = SEED_POLICY.read_text("utf-8").replace("id: social-ekonomi", "id: andra")
    (policy_repo / "policy" / "andra.md").write_text(second, "utf-8")
    interactive = _on_a_terminal(["build", "--out", "a"], policy_repo)
    assert b"\r\x1b[K" in interactive  # the progress line updated in place
    machine = _on_a_terminal(["build", "--out", "b"], policy_repo, CI="true")
    assert b"\x1b[" not in machine
    lines = [line for line in machine.decode().splitlines() if "] " in line]
    assert len(lines) == 2 and all(line.lstrip().startswith("[") for line in lines)  # one line per policy
