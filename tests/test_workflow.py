"""Two mandate periods of one policy, as the KS secretariat runs them: the real `styrdok` command
in a real git repository, from the 2018 draft to a published site with a redline."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import run
from gitrepo import ID, REL, commit, git, init


def ok(repo: Path, *args: str, code: int = 0) -> str:
    result = run(list(args), repo)
    assert result.returncode == code, f"styrdok {' '.join(args)}:\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init(tmp_path_factory.mktemp("kommun") / "styrdokument")


def test_1_the_2018_draft_builds_as_a_draft_but_not_as_final(repo: Path) -> None:
    ok(repo, "check")
    ok(repo, "build")
    assert "2018-XX-XX, § XX" in (repo / "build" / ID / f"{ID}.html").read_text("utf-8")
    refused = ok(repo, "build", "--final", code=1)
    assert "final build refused" in refused


def test_2_the_draft_goes_out_on_remiss_and_the_site_says_so(repo: Path) -> None:
    ok(repo, "consult", ID, "--deadline", "2018-02-15", "--dnr", "KS 2017/301", "--today", "2018-01-10")
    assert "status: consultation" in (repo / REL).read_text("utf-8")
    assert (repo / "build" / ID / "remiss" / "svarsmall.docx").is_file()
    commit(repo, "social-ekonomi: på remiss till 2018-02-15")
    ok(repo, "publish", "--today", "2018-01-20")
    page = (repo / "build" / "site" / ID / "index.html").read_text("utf-8")
    assert "Remissversion" in page and "15 februari 2018" in page


def test_3_ks_adopts_the_revision(repo: Path) -> None:
    said = ok(repo, "adopt", ID, "--date", "2018-03-06", "--paragraph", "64", "--today", "2018-03-07")
    assert "social-ekonomi/2018-03-06" in said
    assert git(repo, "tag", "--list") == "social-ekonomi/2018-03-06"
    ok(repo, "adopt", ID, "--date", "2018-03-06", "--paragraph", "64", "--today", "2018-03-07", code=2)
    ok(repo, "build", "--final")
    html = (repo / "build" / ID / f"{ID}.html").read_text("utf-8")
    assert "Fastställd av kommunstyrelsen 2015-05-26, § 129" in html
    assert "Reviderad av kommunstyrelsen 2018-03-06, § 64" in html and "UTKAST" not in html


def test_4_the_next_mandate_period_revises_and_adopts_again(repo: Path) -> None:
    # March 2018 lies in the 2014–2018 period; nothing was decided 2018–2022
    assert "overdue" in ok(repo, "status", "--today", "2022-11-01", code=1)  # exit 1: something is overdue
    ok(repo, "revise", ID, "--today", "2022-11-01")
    policy = repo / REL
    policy.write_text(policy.read_text("utf-8").replace("Arbetsmarknadsenheten samordnar verksamheten.",
                                                        "Arbetsmarknadsenheten leder och samordnar verksamheten."),
                      "utf-8")
    commit(repo, "social-ekonomi: revidering 2022 (utkast)")
    ok(repo, "diff", ID, code=1)  # from the version in force (2018) to the draft
    changes = (repo / "build" / ID / "redline" / "changes.md").read_text("utf-8")
    assert "Ansvar och genomförande" in changes
    ok(repo, "adopt", ID, "--date", "2022-12-06", "--paragraph", "201", "--dnr", "KS 2022/88", "--today", "2022-12-07")
    log = ok(repo, "log", ID)
    assert "2018-03-06, § 64" in log and "2022-12-06, § 201" in log
    assert ok(repo, "status", "--today", "2022-12-10").rstrip().endswith("  done")
    assert ok(repo, "status", "--today", "2026-11-25", code=1).rstrip().endswith("  due")


def test_5_the_site_carries_both_versions_and_the_redline(repo: Path) -> None:
    ok(repo, "publish", "--today", "2022-12-10", "--base-url", "https://www.timra.se/styrdokument/")
    site = repo / "build" / "site"
    for version in ("2018-03-06", "2022-12-06"):
        assert sorted(p.name for p in (site / ID / version).glob(f"{ID}.*")) == [f"{ID}.docx", f"{ID}.pdf"]
    redline = (site / ID / "2022-12-06" / "andringar" / "redline.html").read_text("utf-8")
    assert "<ins" in redline and "leder och" in redline
    page = (site / ID / "index.html").read_text("utf-8")
    assert "leder och samordnar" in page and "XX" not in page
    register = json.loads((site / "register.json").read_text("utf-8"))
    assert register["policies"][0]["id"] == ID
    feed = ET.parse(site / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) >= 2
    assert (site / "sitemap.xml").is_file()
