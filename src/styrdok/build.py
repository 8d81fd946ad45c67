"""Build stage: gather and validate policies, render each in memory, then write its files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import pandoc, source
from .errors import Problem, Severity, StyrdokError
from .model import Policy
from .output import OutputDir
from .render.document import Presentation, body_blocks, presentation, title_blocks
from .render.docx import render_docx
from .render.html import body_html, render_html
from .render.pdf import render_pdf
from .templates import Templates
from .workspace import Workspace

FORMATS = ("docx", "pdf", "html")


@dataclass
class PolicyResult:
    id: str
    path: str
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


@dataclass
class Report:
    results: list[PolicyResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[PolicyResult]:
        return [r for r in self.results if not r.ok]


Progress = Callable[[PolicyResult], None]


def check(workspace: Workspace, ids: Iterable[str] = ()) -> Report:
    """Validate policies; every problem of every file is reported."""
    results = []
    for path in workspace.paths(tuple(ids)):
        _, problems = source.check_file(path, display=workspace.display(path))
        results.append(PolicyResult(path.stem, workspace.display(path), problems))
    return Report(results)


def render_policy(policy: Policy, templates: Templates, view: Presentation,
                  body: list[pandoc.Ast] | None = None) -> dict[str, bytes]:
    """The final renderings of one policy, in memory: {file name: bytes}.

    `body` replaces the policy text as pandoc blocks (a numbered remissversion).
    """
    body = body_blocks(policy) if body is None else body
    typst_body = pandoc.write(pandoc.document(body), "typst").decode("utf-8")
    return {
        f"{policy.id}.docx": render_docx(title_blocks(view) + body, view, templates),
        f"{policy.id}.pdf": render_pdf(typst_body, view.pdf_meta(), templates.text("policy.typ"), view.timestamp),
        f"{policy.id}.html": render_html(policy, view, templates, body=body_html(body)),
    }


def build_one(workspace: Workspace, path: Path, out: OutputDir, *, final: bool) -> PolicyResult:
    display = workspace.display(path)
    result = PolicyResult(path.stem, display)
    policy, result.problems = source.check_file(path, display=display)
    if policy is None:
        return result
    if final and (refusals := source.placeholders(policy)):
        result.problems += [Problem(p.path, p.line, f"final build refused: {p.message}", p.hint) for p in refusals]
        return result
    try:
        files = render_policy(policy, workspace.templates, presentation(policy, final=final))
    except StyrdokError as exc:
        result.problems.append(Problem(display, 0, str(exc)))
        return result
    result.files = out.write_all({f"{policy.id}/{name}": data for name, data in files.items()})
    return result


def build(workspace: Workspace, ids: Iterable[str] = (), *, out: Path | None = None, final: bool = False,
          keep_going: bool = True, progress: Progress | None = None) -> Report:
    """Build every (or the named) policy into `out/<id>/`; a failing policy writes nothing of its own."""
    output = OutputDir(out or workspace.root / "build")
    results: list[PolicyResult] = []
    for path in workspace.paths(tuple(ids)):
        result = build_one(workspace, path, output, final=final)
        results.append(result)
        if progress:
            progress(result)
        if not result.ok and not keep_going:
            break
    return Report(results)
