"""Starting out: make a folder a policy repository (`init`), write a new policy (`new`), and
the CI configuration and pre-commit hook that rebuild the repository whenever it is revised."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import __version__, yamlread
from .errors import Problem, StyrdokError
from .files import packaged
from .history import ensure_repository
from .output import atomic_write
from .source import SLUG, slugify
from .templates import Templates
from .workspace import POLICY_DIR, Workspace
from .i18n import _

IGNORED = ("build/", ".styrdok-cache/", "__pycache__/", ".venv/")
CI_FILES = {"gitlab": ".gitlab-ci.yml", "github": ".github/workflows/styrdok.yml"}
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
TEMPLATES_README = """\
# Mallar

Filer här ersätter styrdoks inbyggda mallar, fil för fil, med samma namn.
Kopiera en mall från styrdoks paket (mappen `styrdok/templates/`) hit och ändra den:

{names}

Mallarna för HTML, följebrev och webbplats är Jinja2; `policy.typ` och `redline.typ` är Typst.
En mall som saknas här tas från paketet.
"""


@dataclass(frozen=True)
class Initialised:
    """What `init` did: the files it wrote, and the ones it left as they were."""

    root: Path
    created_repository: bool
    written: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = field(default=())


def init(root: Path, *, ci: str | None = None, pre_commit: bool = False) -> Initialised:
    """Make `root` a policy repository: git, policy/, templates/ (with a README on overriding),
    a .gitignore holding build/ and the caches; with `ci`, its CI configuration; with
    `pre_commit`, a .pre-commit-config.yaml running `styrdok check`.

    Safe on an existing repository: files that exist are kept (the .gitignore gains the lines
    it lacks), so `styrdok init --ci github` adds CI to a repository made earlier.
    """
    if ci is not None and ci not in CI_FILES:
        raise StyrdokError.because(_("unknown CI service '{ci}'").format(ci=ci),
                                   _("styrdok has settings for {choices}").format(choices=", ".join(CI_FILES)),
                                   _("choose one of {choices}").format(choices=", ".join(CI_FILES)))
    root = root.resolve()
    created = ensure_repository(root)
    written: list[Path] = []
    kept: list[Path] = []
    (root / POLICY_DIR).mkdir(exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)

    def write_new(relative: str, text: str) -> None:
        path = root / relative
        if path.exists():
            kept.append(path)
        else:
            atomic_write(path, text.encode("utf-8"))
            written.append(path)

    names = sorted(p.name for p in packaged("templates").iterdir()
                   if p.is_file() and not p.name.startswith("."))
    write_new("templates/README.md", TEMPLATES_README.format(names="\n".join(f"- `{n}`" for n in names)))
    if _extend_gitignore(root / ".gitignore"):
        written.append(root / ".gitignore")
    templates = Templates(root / "templates")
    context = {"version": __version__, "pip_spec": f"styrdok=={__version__}"}
    if ci:
        write_new(CI_FILES[ci], templates.render(f"ci/{ci}.yml.j2", **context))
    if pre_commit:
        write_new(PRE_COMMIT_CONFIG, templates.render("ci/pre-commit-config.yaml.j2", **context))
    return Initialised(root, created, tuple(written), tuple(kept))


def _extend_gitignore(path: Path) -> bool:
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    missing = [entry for entry in IGNORED if entry not in lines and entry.rstrip("/") not in lines]
    if not missing:
        return False
    text = "\n".join([*lines, *missing]) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return True


def new_policy(workspace: Workspace, policy_id: str, *, type: str, title: str, owner: str = "kommunstyrelsen",
               year: int | None = None) -> Path:
    """Write `policy/<id>.md`: a draft with a pending *fastställd* decision and the sections a
    document of its type usually has (templates/new-policy.yaml), ready for `styrdok check`.

    The placeholder has a year only when `year` is given: it is not known when the decision
    will be taken.
    """
    sections = _sections(workspace.templates)
    problems: list[Problem] = []
    if not SLUG.match(policy_id):
        problems.append(Problem.reason(_("the id '{id}' cannot be used").format(id=policy_id),
                                       _("write lower-case a–z, digits and single hyphens, e.g. {example}").format(
                                           example=slugify(policy_id) or "riktlinje-inkop")))
    if type not in sections:
        problems.append(Problem.reason(_("unknown document type '{type}'").format(type=type),
                                       _("choose one of {choices}").format(choices=", ".join(sections))))
    if len(title.strip()) < 3:
        problems.append(Problem.reason(_("the title is too short"),
                                       _("write the document's name, e.g. \"Riktlinje för inköp\"")))
    path = workspace.policy_dir / f"{policy_id}.md"
    if path.exists():
        problems.append(Problem.reason(_("{path} exists already").format(path=workspace.display(path)),
                                       _("choose another id, or edit the existing file")))
    if problems:
        raise StyrdokError(_("cannot write the policy"), problems)
    decision: dict[str, object] = {"action": "fastställd", "body": owner, "pending": True}
    if year is not None:
        decision["year"] = year
    front = {"id": policy_id, "title": title.strip(), "type": type, "owner": owner,
             "review": "mandate-period", "status": "draft", "decisions": [decision]}
    head = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    body = "\n".join(f"## {heading} {{#{slugify(heading)}}}\n\n{hint}\n" for heading, hint in sections[type])
    atomic_write(path, f"---\n{head}---\n\n{body}".encode("utf-8"))
    return path


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as in the README's examples."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _sections(templates: Templates) -> dict[str, list[tuple[str, str]]]:
    data = yamlread.load(templates.text("new-policy.yaml"))
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise StyrdokError.because(_("{template} cannot be used").format(template=templates.origin("new-policy.yaml")),
                                   _("every document type needs a list of [heading, guidance]"),
                                   _("correct the file after the packaged template"))
    return {str(kind): [(str(h), str(t)) for h, t in entries] for kind, entries in data.items()}
