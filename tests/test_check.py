"""`styrdok check` tells every problem of a file at once, in line order, with a fix for each fault,
and accepts the Swedish words wherever the front matter has an English value."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED_POLICY, run_sv
from styrdok import i18n, source
from styrdok.errors import Severity
from styrdok.model import Review, Status

BROKEN = """---
title: Policy för prov
type: policy
status: antagna
revew: none
decisions:
  - action: fastställd
    body: kommunstyrelsen
    date: 2024-13-01
    paragraph: 12
  - action: beslutad
    body: kommunstyrelsen
    pending: true
---

Text.

# Egen titel {#egen}
"""


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language(None)


def test_every_problem_of_a_file_at_once_in_line_order(tmp_path: Path, english: None) -> None:
    path = tmp_path / "Min Policy.md"
    path.write_text(BROKEN, "utf-8")
    policy, problems = source.check_file(path)
    assert policy is None
    said = [(p.line, p.severity, p.message, p.hint) for p in problems]
    assert [line for line, *_ in said] == sorted(line for line, *_ in said)
    messages = "\n".join(f"{line}: {message} | {hint}" for line, _s, message, hint in said)
    # the file name, the missing key, the unknown value, the misspelt key, the impossible date, the
    # unknown action and the level-1 heading, each with a fix for that fault
    assert "1: the file name 'Min Policy' is not a safe id" in messages and "e.g. min-policy.md" in messages
    assert "2: required key 'owner' is missing | add owner: kommunstyrelsen" in messages
    assert ("4: status has an unknown value \"antagna\" | use one of draft, consultation, adopted, utkast, remiss, "
            "antagen; did you mean 'antagen'?") in messages
    assert "5: unknown key 'revew' is ignored | did you mean 'review'?" in messages
    assert "9: decisions[1].date: 2024-13-01 is not a real date | check the month (01–12)" in messages
    assert "11: decisions[2].action has an unknown value \"beslutad\"" in messages
    assert "18: level-1 heading 'Egen titel' in the text" in messages
    assert {p.severity for p in problems if "revew" in p.message} == {Severity.WARNING}


def test_the_swedish_user_reads_it_in_swedish(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "prov.md").write_text(BROKEN, "utf-8")
    before = (tmp_path / "policy" / "prov.md").read_bytes()
    done = run_sv(["check"], tmp_path)
    assert done.returncode == 1
    assert "policy/prov.md:4: fel: status har ett okänt värde \"antagna\"" in done.stderr
    assert "åtgärd: använd något av draft, consultation, adopted, utkast, remiss, antagen; menade du 'antagen'?" \
        in done.stderr
    assert "policy/prov.md:9: fel: decisions[1].date: 2024-13-01 är inte ett verkligt datum" in done.stderr
    assert "styrdok: 1 av 1 styrdokument har fel" in done.stderr
    assert (tmp_path / "policy" / "prov.md").read_bytes() == before  # check never rewrites a file


@pytest.mark.parametrize(("status", "review", "want_status", "want_review"), [
    ("utkast", "mandatperiod", Status.DRAFT, Review.MANDATE_PERIOD),
    ("remiss", "ingen", Status.CONSULTATION, Review.NONE),
    ("draft", "none", Status.DRAFT, Review.NONE),
])
def test_swedish_and_english_values(tmp_path: Path, status: str, review: str, want_status: Status,
                                    want_review: Review) -> None:
    text = SEED_POLICY.read_text("utf-8").replace("status: draft", f"status: {status}")
    text = text.replace("review: mandate-period", f"review: {review}")
    assert f"review: {review}" in text
    path = tmp_path / "social-ekonomi.md"
    path.write_text(text, "utf-8")
    meta, problems = source.check_metadata(path, path.read_bytes())
    assert meta is not None, problems
    assert (meta.status, meta.review) == (want_status, want_review)


def test_spelled_like_the_file() -> None:
    assert Status.DRAFT.spelled_like("antagen") == "utkast"
    assert Status.CONSULTATION.spelled_like("utkast") == "remiss"
    assert Status.ADOPTED.spelled_like("remiss") == "antagen"
    assert Status.ADOPTED.spelled_like("consultation") == "adopted"
    assert Status("antagen") is Status.ADOPTED and Review("ingen") is Review.NONE
