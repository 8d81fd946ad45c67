"""Write: the rendered parts into the site folder, atomically and only under it.

A frozen folder's files are written once; a file already there with other content than the folder
would have is refused (a published version is never overwritten), and the manifest comes last, so a
folder with a manifest is complete. Cached parts record their content hash once written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cache import BuildCache
from ..errors import Problem
from ..output import OutputDir
from .frozen import HistoryRewritten
from .layout import MANIFEST, PAGE
from .render import Made, page_cache_name, remiss_cache_name


@dataclass
class PublishResult:
    out: Path
    policies: list[str] = field(default_factory=list)  # published
    rendered: list[str] = field(default_factory=list)  # folders and pages rendered this run (not up to date)
    written: list[Path] = field(default_factory=list)  # files created or changed
    problems: list[Problem] = field(default_factory=list)  # policies that could not be published
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def write_made(site: OutputDir, cache: BuildCache, made: Made, result: PublishResult) -> None:
    """Write what one policy's job made; record what was rendered in `result`."""
    for folder in made.folders:
        for name, data in folder.files.items():
            path = site.root / folder.unit.folder / name
            if path.is_file() and path.read_bytes() != data:
                raise HistoryRewritten.because(f"refusing to overwrite {path}",
                                               f"it exists with other content than {folder.unit.folder}/ would have; "
                                               "a published version is never overwritten",
                                               "publish to a new folder (--out), or remove the folder on purpose")
            site.write(f"{folder.unit.folder}/{name}", data)
        site.write(f"{folder.unit.folder}/{MANIFEST}", folder.manifest)
        result.rendered.append(folder.unit.folder)
    if made.remiss:
        name = remiss_cache_name(made.policy_id)
        cache.record(name, made.remiss_key, site.write_all(made.remiss))
        result.rendered.append(name)
    if made.page is not None:
        path = site.write(f"{made.policy_id}/{PAGE}", made.page)
        if made.page_key is not None:
            name = page_cache_name(made.policy_id)
            cache.record(name, made.page_key, [path])
            result.rendered.append(name)
