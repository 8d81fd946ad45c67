"""history: revisions and adopted versions from the git log of a policy file, with or without tags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gitrepo import ID, REL, TODAY, adopt_2018, commit, git, init, policy_text
from gitrepo import repo_fixture  # noqa: F401  (provides the `repo` fixture)
from styrdok import lifecycle
from styrdok.errors import InvalidPolicy, StyrdokError
from styrdok.history import History, adoption
from styrdok.model import Action, Decision, Metadata, Review, Status
from styrdok.workspace import Workspace


def two_adoptions(repo: Path) -> list[str]:
    """seed draft → adopted 2018 → editorial fix → revision draft → adopted 2026; the commits, oldest first."""
    shas = [git(repo, "rev-parse", "HEAD"), adopt_2018(repo).revision.sha]
    (repo / REL).write_text(policy_text(repo).replace("samhällliga", "samhälleliga"), "utf-8")
    shas.append(commit(repo, "social-ekonomi: stavning"))
    lifecycle.revise(Workspace(repo), ID, today=TODAY, year=2026)
    shas.append(commit(repo, "social-ekonomi: revision 2026 påbörjad"))
    shas.append(lifecycle.adopt(Workspace(repo), ID, date="2026-11-24", paragraph=180, today=TODAY).revision.sha)
    return shas


def summary(history: History) -> list[tuple[str, str | None, str | None]]:
    return [(v.revision.sha, v.status and v.status.value, v.decision and v.decision.line())
            for v in history.versions(ID)]


def test_versions_mark_the_commits_where_a_decision_became_complete(repo: Path) -> None:
    shas = two_adoptions(repo)
    assert summary(History(Workspace(repo))) == [
        (shas[0], "draft", None),  # the seed: the 2015 decision is there, but the text is the 2018 draft
        (shas[1], "adopted", "Reviderad av kommunstyrelsen 2018-03-06, § 64"),
        (shas[2], "adopted", None),  # an editorial change to an adopted text is not a new adoption
        (shas[3], "draft", None),
        (shas[4], "adopted", "Reviderad av kommunstyrelsen 2026-11-24, § 180"),
    ]
    assert History(Workspace(repo)).last_adopted(ID).sha == shas[4]


def test_history_survives_a_clone_without_tags(repo: Path, tmp_path: Path) -> None:
    shas = two_adoptions(repo)
    assert git(repo, "tag") == f"{ID}/2018-03-06\n{ID}/2026-11-24"
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(repo), str(clone))
    assert git(clone, "tag") == ""
    history = History(Workspace(clone))
    assert [v.revision.sha for v in history.adopted_versions(ID)] == [shas[1], shas[4]]
    assert all(v.tags == () for v in history.versions(ID))
    assert History(Workspace(repo)).versions(ID)[1].tags == (f"{ID}/2018-03-06",)


def test_deleting_tags_loses_nothing(repo: Path) -> None:
    shas = two_adoptions(repo)
    for tag in git(repo, "tag").split():
        git(repo, "tag", "--delete", tag)
    assert History(Workspace(repo)).last_adopted(ID).sha == shas[4]


def test_read_and_load_any_revision(repo: Path) -> None:
    shas = two_adoptions(repo)
    history = History(Workspace(repo))
    assert b"samh\xc3\xa4llliga" in history.read(ID, shas[1]) and b"samh\xc3\xa4llliga" not in history.read(ID, shas[2])
    assert history.read(ID, f"{ID}/2018-03-06") == history.read(ID, shas[1])
    assert history.read(ID) == (repo / REL).read_bytes()
    assert history.load(ID, shas[3]).meta.decisions[-1].year == 2026
    with pytest.raises(StyrdokError, match="unknown revision 'nonexistent'"):
        history.read(ID, "nonexistent")


def test_a_revision_without_the_file_or_with_errors(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD")
    (repo / "README.md").write_text("x\n")
    commit(repo, "readme")
    git(repo, "mv", REL, "policy/other.md")
    git(repo, "commit", "--quiet", "-m", "rename")
    history = History(Workspace(repo))
    with pytest.raises(StyrdokError, match=f"policy/{ID}.md does not exist at revision HEAD"):
        history.read(ID, "HEAD")
    assert history.versions(ID)[-1].deleted and history.versions(ID)[-1].status is None
    git(repo, "mv", "policy/other.md", REL)
    (repo / REL).write_text(policy_text(repo).replace("status: draft", "status: antagen"), "utf-8")
    broken = commit(repo, "a broken status")
    assert [(v.revision.sha, v.status) for v in history.versions(ID)][-1] == (broken, None)
    assert history.versions(ID)[0].revision.sha == first
    with pytest.raises(InvalidPolicy):
        history.load(ID, broken)


def test_a_policy_committed_already_adopted_is_adopted_from_its_first_commit(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    adopt_2018(repo)
    fresh = tmp_path / "fresh"
    (fresh / "policy").mkdir(parents=True)
    (fresh / REL).write_bytes((repo / REL).read_bytes())
    git(fresh, "init", "--quiet")
    git(fresh, "config", "user.name", "T")
    git(fresh, "config", "user.email", "t@example.org")
    sha = commit(fresh, "import")
    versions = History(Workspace(fresh)).versions(ID)
    assert [(v.revision.sha, v.decision.line()) for v in versions] == [(sha, "Reviderad av kommunstyrelsen 2018-03-06, § 64")]


def test_no_adopted_version_and_no_git(repo: Path, tmp_path: Path) -> None:
    assert History(Workspace(repo)).last_adopted(ID) is None
    bare = tmp_path / "nogit"
    (bare / "policy").mkdir(parents=True)
    with pytest.raises(StyrdokError, match="is not a git repository"):
        History(Workspace(bare)).versions(ID)


# --- the adoption rule, on front matter alone -------------------------------------------------

def meta(status: Status, *decisions: Decision) -> Metadata:
    return Metadata(id=ID, title="T", type="policy", owner="kommunstyrelsen", coordinator=None,
                    review=Review.MANDATE_PERIOD, status=status, decisions=decisions)


FIRST = Decision(Action.ADOPTED, "kommunstyrelsen", dt.date(2015, 5, 26), 129)
SECOND = Decision(Action.REVISED, "kommunstyrelsen", dt.date(2018, 3, 6), 64)
PENDING = Decision(Action.REVISED, "kommunstyrelsen", year=2018)


def keys(*decisions: Decision) -> set[tuple]:
    return {(d.action, d.body, d.date, d.paragraph) for d in decisions}


@pytest.mark.parametrize(("now", "before", "expected"), [
    (meta(Status.ADOPTED, FIRST, SECOND), keys(FIRST), SECOND),
    (meta(Status.ADOPTED, FIRST, SECOND), set(), SECOND),  # a first adoption on record names the newest decision
    (meta(Status.DRAFT, FIRST, SECOND), keys(FIRST), None),  # not adopted while the status says draft
    (meta(Status.DRAFT, FIRST, PENDING), set(), None),
    (meta(Status.ADOPTED, FIRST, SECOND), keys(FIRST, SECOND), None),
    # a corrected § replaces a decision, it does not add one
    (meta(Status.ADOPTED, FIRST, Decision(Action.REVISED, "kommunstyrelsen", dt.date(2018, 3, 6), 65)),
     keys(FIRST, SECOND), None),
    (meta(Status.ADOPTED, FIRST, Decision(Action.REVISED, "kommunstyrelsen", dt.date(2018, 3, 6), 64, dnr="KS 2018/9")),
     keys(FIRST, SECOND), None),
])
def test_adoption_rule(now: Metadata, before: set[tuple], expected: Decision | None) -> None:
    assert adoption(now, before) == expected


def test_a_reverted_deletion_is_not_a_new_adoption(repo: Path) -> None:
    adopted = adopt_2018(repo).revision.sha
    text = policy_text(repo)
    (repo / REL).write_text(text.replace("  - action: reviderad\n    body: kommunstyrelsen\n    date: 2018-03-06\n"
                                         "    paragraph: 64\n", ""), "utf-8")
    commit(repo, "oops")
    (repo / REL).write_text(text, "utf-8")
    commit(repo, "revert oops")
    assert [v.revision.sha for v in History(Workspace(repo)).adopted_versions(ID)] == [adopted]
