"""A policy repository: `policy/*.md`, optional `templates/`, output in `build/`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import StyrdokError
from .i18n import _
from .templates import Templates

POLICY_DIR = "policy"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Workspace":
        """The folder holding `policy/`: the given one or the nearest parent."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / POLICY_DIR).is_dir():
                return cls(folder)
        raise StyrdokError(_("no policy/ folder in {folder} or its parents: run styrdok in a policy repository "
                             "(a folder with policy/*.md), or make this one with `styrdok init`").format(folder=here))

    @property
    def policy_dir(self) -> Path:
        return self.root / POLICY_DIR

    @cached_property
    def templates(self) -> Templates:
        return Templates(self.root / "templates")

    def policy_path(self, policy_id: str) -> Path:
        path = self.policy_dir / f"{policy_id}.md"
        if "/" in policy_id or "\\" in policy_id or policy_id.startswith(".") or not path.is_file():
            known = ", ".join(self.ids())
            raise StyrdokError((_("no policy '{id}' in {folder} (known: {ids})") if known else
                                _("no policy '{id}' in {folder}: it holds no policies yet")).format(
                                    id=policy_id, folder=self.policy_dir, ids=known))
        return path

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.policy_dir.glob("*.md"))

    def paths(self, ids: list[str] | tuple[str, ...] = ()) -> list[Path]:
        return [self.policy_path(i) for i in ids] if ids else sorted(self.policy_dir.glob("*.md"))

    def display(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
