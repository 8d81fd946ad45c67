"""Build stage: gather and validate policies, render each in memory, then write its files."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import i18n, preload, source
from .errors import Problem, Severity, StyrdokError
from .i18n import _
from .output import OutputDir
from .workspace import Workspace

# The renderers (lxml, Jinja, Typst) and the build cache are imported by the build,
# not with this module: `styrdok check` validates with `source` alone.


@dataclass
class PolicyResult:
    id: str
    path: str
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    cached: bool = False

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


@dataclass
class Report:
    results: list[PolicyResult]
    templates: list[Problem] = field(default_factory=list)  # the repository's templates/ overrides

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results) and not self.templates

    @property
    def failed(self) -> list[PolicyResult]:
        return [r for r in self.results if not r.ok]


Progress = Callable[[PolicyResult, int, int], None]  # result, done, total


def check(workspace: Workspace, ids: Iterable[str] = ()) -> Report:
    """Validate policies, and the labels and theme of the repository's templates/; every problem of every
    file is reported."""
    results = []
    for path in workspace.paths(tuple(ids)):
        _policy, problems = source.check_file(path, display=workspace.display(path), inside=workspace.root)
        results.append(PolicyResult(path.stem, workspace.display(path), problems))
    return Report(results, templates=check_templates(workspace))


def check_templates(workspace: Workspace) -> list[Problem]:
    """What is wrong with the labels and the theme the outputs would be made with."""
    problems = []
    for load in (lambda: workspace.templates.labels, lambda: workspace.templates.theme):
        try:
            load()
        except StyrdokError as exc:
            problems += exc.located_at("templates/")
    return problems


def build_one(workspace: Workspace, path: Path, out: Path, *, final: bool) -> PolicyResult:
    """Validate, render and write one policy; on any problem nothing of it is written.

    Its files are written as a set: a full disk or a read-only folder leaves the old set.
    """
    display = workspace.display(path)
    result = PolicyResult(path.stem, display)
    source.read_ahead(path)  # first: the imports below would hold the interpreter before pandoc starts
    preload.in_background(*RENDERERS)  # while pandoc reads the policy
    policy, result.problems = source.check_file(path, display=display, inside=workspace.root)
    if policy is None:
        return result
    if final and (refusals := source.placeholders(policy)):
        result.problems += [Problem(p.path, p.line, _("final build refused: {message}").format(message=p.message), p.hint)
                            for p in refusals]
        return result
    from .render import render_policy
    from .render.document import presentation

    try:
        templates = workspace.templates
        view = presentation(policy, final=final, labels=templates.labels, theme=templates.theme)
        files = render_policy(policy, templates, view)
    except StyrdokError as exc:
        result.problems += exc.located_at(display)
        return result
    try:
        result.files = OutputDir(out).write_all({f"{policy.id}/{name}": data for name, data in files.items()})
    except StyrdokError as exc:
        result.problems += exc.located_at(display)
    return result


RENDERERS = ("styrdok.render",)  # what the DOCX is made with; the HTML's Jinja loads while pandoc writes it


def build(workspace: Workspace, ids: Iterable[str] = (), *, out: Path | None = None, final: bool = False,
          keep_going: bool = True, progress: Progress | None = None, jobs: int | None = None) -> Report:
    """Build every (or the named) policy into `out/<id>/`.

    Unchanged policies (same source, templates and tools) are skipped; the rest are built in
    parallel, one process per core. A failing policy writes nothing of its own.
    """
    out = (out or workspace.root / "build").resolve()
    paths = workspace.paths(tuple(ids))
    with OutputDir(out).locked():
        return _build(workspace, paths, out, final=final, keep_going=keep_going, progress=progress, jobs=jobs)


def _build(workspace: Workspace, paths: list[Path], out: Path, *, final: bool, keep_going: bool,
           progress: Progress | None, jobs: int | None) -> Report:
    from .cache import BuildCache, fingerprint

    cache = BuildCache(out, fingerprint(workspace.templates, "final" if final else "draft"))
    sources = {path: source.read_file(path, inside=workspace.root)[0] for path in paths}  # None: build_one says why
    results: dict[Path, PolicyResult] = {}
    todo = []
    for path in paths:
        data = sources[path]
        if data is not None and (files := cache.fresh(path.stem, data)) is not None:
            results[path] = PolicyResult(path.stem, workspace.display(path), files=files, cached=True)
            _report(progress, results[path], len(results), len(paths))
        else:
            todo.append(path)
    for path, result in _run(workspace, todo, out, final=final, keep_going=keep_going, jobs=jobs):
        results[path] = result
        if result.ok and (data := sources[path]) is not None:
            try:
                cache.record(path.stem, data, result.files)
            except StyrdokError as exc:  # the files are written; only the next run's shortcut is lost
                result.problems += exc.located_at(result.path)
        _report(progress, result, len(results), len(paths))
    return Report([results[p] for p in paths if p in results])


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _report(progress: Progress | None, result: PolicyResult, done: int, total: int) -> None:
    if progress:
        progress(result, done, total)


def _run(workspace: Workspace, paths: list[Path], out: Path, *, final: bool, keep_going: bool,
         jobs: int | None) -> Iterator[tuple[Path, PolicyResult]]:
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1 or not keep_going:
        for path in paths:
            result = build_one(workspace, path, out, final=final)
            yield path, result
            if not result.ok and not keep_going:
                return
        return
    import multiprocessing  # here, as the renderers: `styrdok check` starts no workers
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: workers start from a clean single-threaded process, whatever the caller runs.
    context = multiprocessing.get_context("forkserver")
    # Ctrl-C reaches the whole process group: the workers leave it to this process, which stops the run.
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_sigint) as pool:
        lang = i18n.language()  # a worker speaks the language of this run, whatever its environment
        futures = {pool.submit(_build_in, lang, workspace, path, out, final): path for path in paths}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _build_in(lang: str, workspace: Workspace, path: Path, out: Path, final: bool) -> PolicyResult:
    i18n.set_language(lang)
    return build_one(workspace, path, out, final=final)
