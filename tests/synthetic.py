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
