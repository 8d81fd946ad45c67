"""A policy repository: `policy/*.md`, optional `templates/`, output in `build/`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import InvalidPolicy, StyrdokError
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
        return Templates(self.root / "templates", root=self.root)

    def policy_path(self, policy_id: str) -> Path:
        path = self.policy_dir / f"{policy_id}.md"
        # a folder, pipe or link by that name is the policy too: reading it says what is wrong with it
        if "/" in policy_id or "\\" in policy_id or policy_id.startswith(".") or not os.path.lexists(path):
            known = ", ".join(self.ids())
            raise StyrdokError((_("no policy '{id}' in {folder} (known: {ids})") if known else
                                _("no policy '{id}' in {folder}: it holds no policies yet")).format(
                                    id=policy_id, folder=self.policy_dir, ids=known))
        return path

    def read(self, path: Path) -> bytes:
        """A policy file's bytes: a regular file in the repository (not a link out of it), under the size limit.

        Raises InvalidPolicy with the problem (file and fix) otherwise.
        """
        from . import source  # source needs pandoc; a workspace is found without it

        data, problems = source.read_file(path, display=self.display(path), inside=self.root)
        if data is None:
            raise InvalidPolicy(problems)
        return data

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.policy_dir.glob("*.md"))

    def paths(self, ids: list[str] | tuple[str, ...] = ()) -> list[Path]:
        return [self.policy_path(i) for i in ids] if ids else sorted(self.policy_dir.glob("*.md"))

    def display(self, path: Path) -> str:
        """The path as the user knows it, relative to the repository (a link is named, not its target)."""
        for root in (self.root, self.root.resolve()):
            for candidate in (path.absolute(), path.parent.resolve() / path.name):
                if candidate.is_relative_to(root):
                    return str(candidate.relative_to(root))
        return str(path)
