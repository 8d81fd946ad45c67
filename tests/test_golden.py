"""Golden-file tests: each command's whole output tree, normalised (text/XML), against tests/golden/<kind>/;
`make golden` regenerates them. The site's golden tree is in test_publish.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED_POLICY, adopted
from golden import check_golden, tree
from styrdok import build
from styrdok.workspace import Workspace

EPOCH = "1520294400"  # 2018-03-06


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _built(repo: Path, text: str, final: bool) -> dict[str, bytes]:
    (repo / "policy").mkdir()
    (repo / "policy" / "social-ekonomi.md").write_text(text, "utf-8")
    report = build.build(Workspace(repo), out=repo / "build", final=final)
    assert report.ok
    return tree(repo / "build")


def test_golden_draft(tmp_path: Path) -> None:
    assert not check_golden("draft", _built(tmp_path, SEED_POLICY.read_text("utf-8"), final=False))


def test_golden_final(tmp_path: Path) -> None:
    assert not check_golden("final", _built(tmp_path, adopted(SEED_POLICY.read_text("utf-8")), final=True))


def test_golden_redline(tmp_path: Path) -> None:
    from styrdok import source
    from styrdok.compare import write_redline

    old_text = SEED_POLICY.read_text("utf-8")
    new_text = (adopted(old_text)
                .replace("Arbetsmarknadsenheten samordnar", "Arbetsmarknadsenheten leder och samordnar")
                .replace("## Målsättning {#malsattning}", "## Mål {#malsattning}")
                .replace("- uppmuntra sociala företag att starta ny verksamhet\n", ""))
    paths = []
    for name, text in (("old", old_text), ("new", new_text)):
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "social-ekonomi.md")
        paths[-1].write_text(text, "utf-8")
    out = tmp_path / "redline"
    write_redline(source.load(paths[0]), source.load(paths[1]), out, Workspace(tmp_path).templates,
                  labels=("utkastet", "den antagna versionen"))
    assert not check_golden("redline", tree(out))


def test_golden_remiss(tmp_path: Path) -> None:
    from styrdok.consult import consult

    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "social-ekonomi.md").write_bytes(SEED_POLICY.read_bytes())
    out = tmp_path / "remiss"
    consult(Workspace(tmp_path), "social-ekonomi", "2027-02-15", dnr="KS 2026/45", today="2026-11-25", out=out)
    assert not check_golden("remiss", tree(out))


def test_the_golden_check_fails_for_a_lost_an_added_and_a_stale_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import golden

    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    monkeypatch.setenv("STYRDOK_UPDATE_GOLDEN", "1")
    assert check_golden("kind", {"a.md": b"A\n", "sub/b.md": b"B\n", "c.md": b"C\n"}) == []
    monkeypatch.delenv("STYRDOK_UPDATE_GOLDEN")
    assert check_golden("kind", {"a.md": b"A\n", "sub/b.md": b"B\n", "c.md": b"C\n"}) == []
    found = check_golden("kind", {"a.md": b"A\n", "sub/b.md": b"B2\n", "d.md": b"D\n"})
    assert [line.split(" ", 1)[0] for line in found] == ["kind/c.md", "kind/d.md", "kind/sub/b.md"]
    assert "no longer produced" in found[0] and "is new" in found[1] and "differs" in found[2]
    monkeypatch.setenv("STYRDOK_UPDATE_GOLDEN", "1")  # `make golden` removes what is no longer produced
    check_golden("kind", {"a.md": b"A\n"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.txt")) == ["kind/a.md.txt"]
