"""revise and adopt in temporary git repositories: the whole cycle, and every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gitrepo import ID, REL, SEED, TODAY, adopt_2018, commit, git, init, policy_text, snapshot
from gitrepo import repo_fixture  # noqa: F401  (provides the `repo` fixture)
from styrdok import build, cli, lifecycle, source
from styrdok.errors import StyrdokError
from styrdok.history import History
from styrdok.model import Action, Status
from styrdok.workspace import Workspace

EDIT = "Kommunen ska årligen följa upp samverkan med den idéburna sektorn."
DECISIONS_2018 = ("Fastställd av kommunstyrelsen 2015-05-26, § 129", "Reviderad av kommunstyrelsen 2018-03-06, § 64")


def final_html(repo: Path) -> str:
    """The final HTML's text; fails the test if the final build is refused."""
    report = build.build(Workspace(repo), [ID], out=repo.parent / "out", final=True)
    assert report.ok, [str(p) for r in report.results for p in r.problems]
    html = (repo.parent / "out" / ID / f"{ID}.html").read_text("utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_refused(repo: Path, call, *parts: str) -> StyrdokError:
    """`call` raises StyrdokError naming what, why and how to fix; HEAD, refs, index and file unchanged."""
    before = snapshot(repo)
    with pytest.raises(StyrdokError) as caught:
        call()
    message = str(caught.value)
    assert message.startswith("cannot "), message
    assert "fix: " in message, message
    for part in parts:
        assert part in message, message
    assert snapshot(repo) == before
    return caught.value


def test_the_whole_cycle(repo: Path) -> None:
    ws = Workspace(repo)
    # The seed's pending 2018 revision, recorded as the municipality did.
    first = adopt_2018(repo)
    assert first.tag == "social-ekonomi/2018-03-06"
    assert first.revision.subject == "social-ekonomi: reviderad av kommunstyrelsen 2018-03-06, § 64"
    assert all(line in final_html(repo) for line in DECISIONS_2018)

    # revise: a draft with a pending decision expected in 2026; the final build is refused.
    draft = lifecycle.revise(ws, ID, today=TODAY, year=2026)
    assert draft.meta.status is Status.DRAFT
    assert draft.meta.decisions[-1].pending and draft.meta.decisions[-1].year == 2026
    refused = build.build(ws, [ID], out=repo.parent / "refused", final=True)
    assert not refused.ok and not (repo.parent / "refused").exists()
    assert any("Reviderad av kommunstyrelsen 2026-XX-XX, § XX" in p.message for p in refused.results[0].problems)

    # Edit and commit the draft, then adopt it.
    text = policy_text(repo)
    (repo / REL).write_text(text.replace("## Begreppsdefinitioner", f"{EDIT}\n\n## Begreppsdefinitioner"), "utf-8")
    draft_sha = commit(repo, "social-ekonomi: uppföljning")
    later = dt.date(2026, 12, 10)
    second = lifecycle.adopt(ws, ID, date="2026-12-08", paragraph="212", dnr="KS 2026/311", today=later)
    assert second.revision.subject == "social-ekonomi: reviderad av kommunstyrelsen 2026-12-08, § 212 (dnr KS 2026/311)"
    assert git(repo, "rev-parse", "HEAD") == second.revision.sha
    assert git(repo, "show", "--name-only", "--format=", "HEAD") == REL
    assert git(repo, "cat-file", "-t", "social-ekonomi/2026-12-08") == "tag"  # annotated
    assert git(repo, "rev-parse", "social-ekonomi/2026-12-08^{commit}") == second.revision.sha
    assert "Reviderad av kommunstyrelsen 2026-12-08, § 212" in git(repo, "tag", "-n9", "social-ekonomi/2026-12-08")
    assert git(repo, "status", "--porcelain") == ""

    html = final_html(repo)
    assert all(line in html for line in DECISIONS_2018)
    assert "Reviderad av kommunstyrelsen 2026-12-08, § 212 (dnr KS 2026/311)" in html
    assert EDIT in html

    assert_refused(repo, lambda: lifecycle.adopt(ws, ID, date="2026-12-09", paragraph=1, today=later),
                   "no pending decision", "styrdok revise")

    # The edit is what lies between the two adopted versions.
    history = History(ws)
    assert [v.revision.sha for v in history.adopted_versions(ID)] == [first.revision.sha, second.revision.sha]
    assert history.last_adopted(ID) == second.revision
    old, new = (history.read(ID, v.revision.sha).decode() for v in history.adopted_versions(ID))
    assert EDIT not in old and EDIT in new
    assert history.load(ID, draft_sha).meta.status is Status.DRAFT

    rows = {today: lifecycle.status(ws, today).rows[0].due.value
            for today in (dt.date(2026, 12, 7), later, dt.date(2030, 10, 14), dt.date(2030, 10, 15), dt.date(2034, 10, 15))}
    assert list(rows.values()) == ["overdue", "done", "done", "due", "overdue"]


# --- adopt ----------------------------------------------------------------------------------

def test_adopt_fills_in_the_pending_decision_keeping_the_rest_of_the_file(repo: Path) -> None:
    before = policy_text(repo)
    adoption = adopt_2018(repo)
    after = policy_text(repo)
    assert after == before.replace("status: draft", "status: adopted").replace(
        "    pending: true\n    year: 2018", "    date: 2018-03-06\n    paragraph: 64")
    assert adoption.policy.meta.status is Status.ADOPTED
    assert adoption.decision.line() == "Reviderad av kommunstyrelsen 2018-03-06, § 64"


def test_adopt_keeps_a_dnr_known_in_advance_and_takes_another_body(repo: Path) -> None:
    text = policy_text(repo).replace("    year: 2018", "    year: 2018\n    dnr: KS 2017/88  # registrerat i diariet")
    (repo / REL).write_text(text, "utf-8")
    commit(repo, "dnr")
    adoption = lifecycle.adopt(Workspace(repo), ID, date=dt.date(2018, 3, 6), paragraph=64,
                               body="kommunfullmäktige", today=TODAY)
    assert adoption.decision.line() == "Reviderad av kommunfullmäktige 2018-03-06, § 64 (dnr KS 2017/88)"
    assert source.load(repo / REL).meta.decisions[-1] == adoption.decision


def test_adopt_commits_the_policy_file_alone(repo: Path) -> None:
    (repo / "README.md").write_text("x\n")
    commit(repo, "readme")
    (repo / "README.md").write_text("changed, not staged\n")
    (repo / "untracked.txt").write_text("y\n")
    (repo / REL).write_text(policy_text(repo) + "\nEn staged ändring.\n", "utf-8")
    git(repo, "add", REL)  # the policy file itself may be staged
    adopt_2018(repo)
    assert git(repo, "show", "--name-only", "--format=", "HEAD") == REL
    assert "En staged ändring." in git(repo, "show", f"HEAD:{REL}")
    assert git(repo, "status", "--porcelain") == " M README.md\n?? untracked.txt"


@pytest.mark.parametrize("paragraph", ["0", "-3", "x", "6.4", "", "٣", True, 0])
def test_adopt_refuses_a_paragraph_that_is_not_a_positive_whole_number(repo: Path, paragraph) -> None:
    assert_refused(repo, lambda: lifecycle.adopt(Workspace(repo), ID, date="2018-03-06", paragraph=paragraph, today=TODAY),
                   "is not a positive whole number", "--paragraph 64")


@pytest.mark.parametrize("date", ["2018-02-30", "2018-3-6", "6/3 2018", "20180306"])
def test_adopt_refuses_a_date_that_is_not_a_real_date(repo: Path, date: str) -> None:
    assert_refused(repo, lambda: lifecycle.adopt(Workspace(repo), ID, date=date, paragraph=64, today=TODAY),
                   "is not a real date", "--date 2018-03-06")


def test_adopt_refuses_a_date_before_the_previous_decision(repo: Path) -> None:
    assert_refused(repo, lambda: lifecycle.adopt(Workspace(repo), ID, date="2015-05-25", paragraph=64, today=TODAY),
                   "2015-05-25 is before the previous decision (Fastställd av kommunstyrelsen 2015-05-26, § 129)")


def test_adopt_refuses_a_date_in_the_future(repo: Path) -> None:
    call = lambda: lifecycle.adopt(Workspace(repo), ID, date="2026-11-26", paragraph=64, today=TODAY)  # noqa: E731
    assert_refused(repo, call, "2026-11-26 is in the future (today is 2026-11-25)")
    assert lifecycle.adopt(Workspace(repo), ID, date="2026-11-25", paragraph=64, today=TODAY).tag == f"{ID}/2026-11-25"


def test_adopt_never_moves_an_existing_tag(repo: Path) -> None:
    git(repo, "tag", "--annotate", "--message", "hand-made", f"{ID}/2018-03-06")
    assert_refused(repo, lambda: adopt_2018(repo), f"the tag {ID}/2018-03-06 already exists", f"git show {ID}/2018-03-06")


def test_adopt_refuses_when_other_files_are_staged(repo: Path) -> None:
    (repo / "other.md").write_text("staged\n")
    git(repo, "add", "other.md")
    assert_refused(repo, lambda: adopt_2018(repo), "other changes are staged for commit (other.md)", "git restore --staged")
    assert git(repo, "diff", "--cached", "--name-only") == "other.md"


def test_adopt_refuses_an_invalid_policy_file(repo: Path) -> None:
    (repo / REL).write_text(policy_text(repo).replace("type: policy\n", ""), "utf-8")
    assert_refused(repo, lambda: adopt_2018(repo), "the policy file has errors", "required key 'type' is missing",
                   f"styrdok check {ID}")


def test_adopt_refuses_a_text_with_placeholders_left(repo: Path) -> None:
    text = policy_text(repo).replace("## Begreppsdefinitioner", "Beslutad 2018-XX-XX.\n\n## Begreppsdefinitioner")
    (repo / REL).write_text(text, "utf-8")
    assert_refused(repo, lambda: adopt_2018(repo), "placeholder '2018-XX-XX' in the text")


def test_adopt_refuses_a_policy_file_that_is_not_committed(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    (repo / "policy" / "ny-policy.md").write_bytes((repo / REL).read_bytes().replace(b"id: social-ekonomi\n", b""))
    call = lambda: lifecycle.adopt(Workspace(repo), "ny-policy", date="2018-03-06", paragraph=64, today=TODAY)  # noqa: E731
    assert_refused(repo, call, "policy/ny-policy.md is not committed", "git add policy/ny-policy.md")


def test_adopt_reports_every_problem_at_once(repo: Path) -> None:
    (repo / "other.md").write_text("staged\n")
    git(repo, "add", "other.md")
    error = assert_refused(repo, lambda: lifecycle.adopt(Workspace(repo), ID, date="2027-01-01", paragraph="0", today=TODAY))
    assert str(error).count("fix: ") == 3


def test_a_failing_commit_changes_nothing(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'blocked by hook' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(repo)
    with pytest.raises(StyrdokError, match="blocked by hook"):
        adopt_2018(repo)
    assert snapshot(repo) == before


def test_adopt_outside_git_says_so(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / f"{ID}.md").write_bytes(SEED.read_bytes())
    with pytest.raises(StyrdokError, match="not a git repository"):
        lifecycle.adopt(Workspace(tmp_path), ID, date="2018-03-06", paragraph=64, today=TODAY)


# --- revise ---------------------------------------------------------------------------------

def test_revise_refuses_a_policy_that_is_not_adopted(repo: Path) -> None:
    assert_refused(repo, lambda: lifecycle.revise(Workspace(repo), ID, today=TODAY),
                   f"cannot start a revision of {ID}", "already in progress", f"styrdok adopt {ID}")


def test_revise_appends_a_pending_decision_and_leaves_the_text_alone(repo: Path) -> None:
    adopt_2018(repo)
    before = policy_text(repo)
    policy = lifecycle.revise(Workspace(repo), ID, today=dt.date(2026, 12, 20), body="kommunfullmäktige", year=2027)
    after = policy_text(repo)
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]
    appended = "    paragraph: 64\n  - action: reviderad\n    body: kommunfullmäktige\n    pending: true\n    year: 2027\n"
    assert appended in after
    assert after.split(appended, 1)[1] == before.split("    paragraph: 64\n", 1)[1]
    assert "status: draft\n" in after
    assert policy.meta.decisions[-1].line() == "Reviderad av kommunfullmäktige 2027-XX-XX, § XX"
    assert_refused(repo, lambda: lifecycle.revise(Workspace(repo), ID, today=TODAY), "already in progress")


def test_revise_refuses_a_repealed_policy(repo: Path) -> None:
    adopt_2018(repo)
    text = policy_text(repo).replace("    paragraph: 64\n", "    paragraph: 64\n  - action: upphävd\n    body: kommunstyrelsen\n"
                        "    date: 2024-01-30\n    paragraph: 7\n")
    (repo / REL).write_text(text, "utf-8")
    assert source.load(repo / REL).meta.last_decision.action is Action.REPEALED
    assert_refused(repo, lambda: lifecycle.revise(Workspace(repo), ID, today=TODAY), "repealed", "new policy")


def test_revise_keeps_crlf_line_endings(repo: Path) -> None:
    adopt_2018(repo)
    (repo / REL).write_bytes((repo / REL).read_bytes().replace(b"\n", b"\r\n"))
    lifecycle.revise(Workspace(repo), ID, today=TODAY)
    data = (repo / REL).read_bytes()
    assert b"pending: true\r\n" in data and data.count(b"\n") == data.count(b"\r\n")


# --- the command line -----------------------------------------------------------------------

def invoke(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(repo)
    return CliRunner().invoke(cli.main, list(args), env={"STYRDOK_TODAY": "2026-11-25"})


def test_cli_revise_adopt_log(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    done = invoke(repo, monkeypatch, "adopt", ID, "--date", "2018-03-06", "--paragraph", "64")
    assert done.exit_code == 0, done.output
    assert f"tag    {ID}/2018-03-06" in done.output
    again = invoke(repo, monkeypatch, "adopt", ID, "--date", "2018-03-06", "--paragraph", "64")
    assert again.exit_code == 2 and "cannot adopt social-ekonomi" in again.output and "fix:" in again.output
    started = invoke(repo, monkeypatch, "revise", ID)  # no --year: no year is guessed
    assert started.exit_code == 0 and "Reviderad av kommunstyrelsen ÅÅÅÅ-XX-XX, § XX" in started.output
    assert "year:" not in policy_text(repo).split("pending: true", 1)[1].split("---")[0]
    log = invoke(repo, monkeypatch, "log", ID).output.splitlines()
    assert re.match(rf"[0-9a-f]{{8}}  \d{{4}}-\d\d-\d\d  adopted       Reviderad av kommunstyrelsen 2018-03-06, § 64  \[{ID}/2018-03-06\]$", log[0])
    assert re.match(r"[0-9a-f]{8}  \d{4}-\d\d-\d\d  draft         social-ekonomi: the 2018 revision \(draft\)$", log[1])


def test_cli_rejects_a_malformed_today(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(repo, monkeypatch, "status", "--today", "25/11/2026")
    assert result.exit_code == 2 and "is not a date written YYYY-MM-DD" in result.output
