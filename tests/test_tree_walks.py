"""pandoc.nesting, links and attributes walk a tree recursively (twice as quick) and iteratively
when it is deeper than pandoc._FRAMES; the two walks must give the same answer on every tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from styrdok import pandoc

ROOT = Path(__file__).resolve().parent
# yaml-alias-bomb.md is refused before pandoc reads it (source.py); pandoc itself takes a minute on it.
TEXTS = [ROOT / "fixtures" / "social-ekonomi.md",
         *sorted(p for p in (ROOT / "corpus").glob("*.md") if p.name != "yaml-alias-bomb.md")]
WALKS = (pandoc.nesting, pandoc.links, pandoc.attributes)


def _blocks(path: Path) -> list:
    try:
        return [block for _line, block in pandoc.read_markdown(path.read_text("utf-8", errors="replace"))]
    except Exception:  # a corpus file that is refused before pandoc reads it
        pytest.skip(f"{path.name}: not read as Markdown")


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name[:30])
def test_the_recursive_and_the_iterative_walk_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks(path)
    recursive = [walk(blocks) for walk in WALKS]
    monkeypatch.setattr(pandoc, "_FRAMES", -1)  # every walk falls back to its iterative twin at once
    assert [walk(blocks) for walk in WALKS] == recursive


def test_a_tree_deeper_than_recursion_is_walked_iteratively() -> None:
    leaf: list = [{"t": "Link", "c": [["deep", [], []], [{"t": "Str", "c": "x"}], ["https://a.se", ""]]}]
    tree: list = [{"t": "Para", "c": leaf}]
    for _ in range(2000):
        tree = [{"t": "BlockQuote", "c": tree}]
    assert pandoc.links(tree) == [("Link", "https://a.se")]
    assert ("Link", ["deep", [], []]) in pandoc.attributes(tree)
    assert pandoc.nesting(tree) >= 2000
