"""The front matter's quick check (fastjsonschema's code) against jsonschema, the oracle: it may
refuse more, never less, and it accepts what real policies hold."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from styrdok import source, validation
from conftest import ROOT, SEED_POLICY, run
from test_startup import loaded_after

ORACLE = jsonschema.Draft202012Validator(validation.schema())
VALID: dict[str, Any] = {
    "id": "social-ekonomi", "title": "Policy för den sociala ekonomin", "type": "policy", "owner": "Kommunstyrelsen",
    "coordinator": "Arbetsmarknadsenheten", "review": "mandatperiod", "status": "antagen", "keywords": ["social ekonomi"],
    "contact": {"name": "Anna Andersson", "email": "anna@timra.se", "phone": "060-16 31 00", "title": "utvecklingsstrateg"},
    "decisions": [{"action": "fastställd", "body": "Kommunfullmäktige", "date": "2018-03-06", "paragraph": 64, "dnr": "KS 2017/123"},
                  {"action": "reviderad", "body": "Kommunstyrelsen", "pending": True, "year": 2027}],
    "consultation": {"bodies": ["Socialnämnden"], "deadline": "2027-02-15", "opened": "2027-01-10", "dnr": "KS 2026/45"},
}
# every place of the front matter a value can stand, as a path into VALID
PLACES = [(key,) for key in VALID] + [("contact", key) for key in VALID["contact"]] + \
         [("consultation", key) for key in VALID["consultation"]] + [("consultation", "bodies", 0), ("keywords", 0)] + \
         [("decisions", i, key) for i in (0, 1) for key in VALID["decisions"][i]] + [("decisions", 0), ("decisions",)]
ODD_VALUES = st.one_of(
    st.sampled_from([None, True, False, 0, 1, -1, 10, 11, 64, 1970, 1971, 2200, 2201, 1.0, 1.5, "", "x", "ab",
                     "2018-03-06", "2018-03-06\n", "18-3-6", "KS", "a@b.se", "a@b", "060-16 31 00", "06", "utkast",
                     "draft", "policy", "Policy", "mandate-period", "ingen", "fastställd", "upphävd", "upphävt",
                     "social-ekonomi", "Social-Ekonomi", "x" * 81, "x" * 301, [], {}, [1], ["a"], {"name": "Anna"},
                     {"x": 1}, {"email": "a@b.se"}]),
    st.text(alphabet="abå Ö-@. \n019", max_size=12), st.integers(-3, 2300), st.booleans(),
    st.lists(st.sampled_from(["a", "ab", 1, None, "Socialnämnden"]), max_size=3),
)


def _set(data: dict[str, Any], path: tuple, value: Any) -> None:
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@st.composite
def front_matters(draw: st.DrawFn) -> dict[str, Any]:
    """The valid front matter with a few of its values replaced, removed or added to."""
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(PLACES))
        try:
            if draw(st.booleans()) and len(path) > 0 and not isinstance(path[-1], int):
                target: Any = data
                for step in path[:-1]:
                    target = target[step]
                target.pop(path[-1], None)
            else:
                _set(data, path, draw(ODD_VALUES))
        except (KeyError, IndexError, TypeError):  # an earlier change took the place away
            pass
    if draw(st.booleans()):
        data[draw(st.sampled_from(["titel", "pending", "extra", "Status"]))] = draw(ODD_VALUES)
    return data


@given(front_matters())
def test_the_quick_check_never_passes_what_jsonschema_refuses(data: dict[str, Any]) -> None:
    valid = ORACLE.is_valid(data)
    assert validation.conforms(data) <= valid
    if valid and not any(isinstance(v, str) and v.endswith("\n") for v in _values(data)):
        assert validation.conforms(data)  # the same verdict, where no pattern's `$` meets a final line break


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _values(value)]
    if isinstance(node, list):
        return [v for value in node for v in _values(value)]
    return [node]


def test_the_quick_check_leaves_the_data_as_written() -> None:
    data = copy.deepcopy(VALID)
    del data["review"]
    assert validation.conforms(data)
    assert "review" not in data  # the schema's default is not written in


@pytest.mark.parametrize("path", [SEED_POLICY, *sorted((ROOT / "policy").glob("*.md"))], ids=lambda p: p.name)
def test_real_policies_pass_the_quick_check(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    verdicts = []

    def conforms(data: Any) -> bool:
        verdicts.append((ORACLE.is_valid(data), quick(data)))
        return verdicts[-1][1]

    quick = validation.conforms
    monkeypatch.setattr(validation, "conforms", conforms)
    policy, problems = source.check_file(path)
    assert policy is not None and verdicts == [(True, True)]


def test_without_the_quick_check_every_fault_is_still_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> bytes:
        raise RuntimeError("the generator failed")

    monkeypatch.setenv("STYRDOK_CACHE_DIR", str(tmp_path / "cache"))  # an empty cache: the code is generated
    monkeypatch.setattr(validation, "_compiled", broken)
    validation._quick_check.cache_clear()
    try:
        assert not validation.conforms(VALID)
        assert list(validation.faults(VALID)) == []
        assert [e.validator for e in validation.faults({**VALID, "status": "klar"})] == ["enum"]
    finally:
        validation._quick_check.cache_clear()


def test_checking_a_valid_policy_never_imports_jsonschema(policy_repo: Path) -> None:
    assert "jsonschema" not in loaded_after(["check", "social-ekonomi"], policy_repo)
    bad = policy_repo / "policy" / "social-ekonomi.md"
    bad.write_text(bad.read_text("utf-8").replace("status: ", "status: klar\nx_status: ", 1), "utf-8")
    result = run(["check", "social-ekonomi"], policy_repo)
    assert result.returncode == 1 and "status has an unknown value" in result.stderr, result.stderr
    assert "unknown key 'x_status'" in result.stderr and "social-ekonomi.md:" in result.stderr
    probe = ("import sys; from pathlib import Path; from styrdok import source; "
             "source.check_file(Path(sys.argv[1])); print('jsonschema' in sys.modules)")
    judged = subprocess.run([sys.executable, "-c", probe, str(bad)], capture_output=True, text=True, timeout=120)
    assert judged.stdout.strip() == "True", judged.stderr  # a faulty file is judged by jsonschema
