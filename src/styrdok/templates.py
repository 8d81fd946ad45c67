"""Templates as data: the repository's `templates/` overrides the packaged ones, file by file."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .errors import Problem, StyrdokError
from .files import packaged, read_regular
from .i18n import _

if TYPE_CHECKING:
    import jinja2

    from .theme import Labels, Theme

# Jinja is imported by the first render, not with this module: `styrdok check` reads labels and
# theme through Templates and renders nothing.

MAX_TEMPLATE_BYTES = 20 * 2**20  # a reference.docx with its images; far above any real template


def _repository_source(folder: Path, root: Path, template: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template of the repository's `templates/` (None: not there), read like every other file of
    it: regular files only, never through a symbolic link out of the repository."""
    path = folder / template
    if not os.path.lexists(path):
        return None
    data = read_regular(path, limit=MAX_TEMPLATE_BYTES, inside=root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StyrdokError.because(_("the template {path} cannot be used").format(path=path),
                                   _("it is not UTF-8"), _("save it as UTF-8")) from None
    mtime = path.stat().st_mtime
    return text, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


class Templates:
    def __init__(self, override_dir: Path | None, extra_globals: dict[str, object] | None = None,
                 root: Path | None = None):
        self.override_dir = override_dir  # may not exist (yet): looked up at each use
        self.extra_globals = dict(extra_globals or {})
        # the repository: overrides are never read from outside it (default: the folder holding templates/)
        self.root = root if root is not None else override_dir.parent if override_dir else None

    def with_globals(self, **values: object) -> Templates:
        """The same templates with more Jinja globals, e.g. the site's `crumbs` for a page rendered by
        another stage (the remissversion, a redline) that the site places in its navigation."""
        other = Templates(self.override_dir, {**self.extra_globals, **values}, root=self.root)
        for name in ("labels", "theme"):  # the same files: read and checked once, not per page
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other

    def __getstate__(self) -> dict[str, object]:
        # Jinja is rebuilt in workers
        return {"override_dir": self.override_dir, "extra_globals": self.extra_globals, "root": self.root}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.override_dir = state["override_dir"]
        self.extra_globals = state.get("extra_globals", {})
        self.root = state.get("root")

    @cached_property
    def labels(self) -> Labels:
        """Every Swedish text of the outputs (labels.sv.yaml, overridable key by key): see styrdok.theme."""
        from .theme import Labels
        return Labels.load(self)

    @cached_property
    def theme(self) -> Theme:
        """Organisation, logo, fonts and palette (theme.yaml, overridable key by key): see styrdok.theme."""
        from .theme import Theme
        return Theme.load(self)

    def _override(self, name: str) -> Path | None:
        path = self.override_dir / name if self.override_dir else None
        return path if path and os.path.lexists(path) else None

    def bytes(self, name: str) -> bytes | None:
        """A template file's bytes: the override if present, else the packaged one, else None."""
        if path := self._override(name):
            return read_regular(path, limit=MAX_TEMPLATE_BYTES, inside=self.root)
        shipped = packaged("templates", name)
        return shipped.read_bytes() if shipped.is_file() else None

    def origin(self, name: str) -> str:
        """Where the template `name` comes from, as a message names it: the override's path, else the package's."""
        if path := self._override(name):
            return str(path)
        return f"styrdok/templates/{name} (packaged)"

    def text(self, name: str) -> str:
        data = self.bytes(name)
        if data is None:
            raise StyrdokError.because(_("template {name} not found").format(name=name),
                                       _("looked in {folder} and the package").format(
                                           folder=self.override_dir or "templates/"),
                                       _("check the name, or copy the packaged template to templates/"))
        return data.decode("utf-8")

    def _environment(self, kind: str, **options: Any) -> jinja2.Environment:
        import jinja2

        loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("styrdok", "templates")]
        if self.override_dir:
            root = self.root or self.override_dir.parent
            loaders.insert(0, jinja2.FunctionLoader(partial(_repository_source, self.override_dir, root)))
        env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                                 keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                                 bytecode_cache=_bytecode_cache(kind), **options)
        # The words and the look of every output: {{ label("control.owner") }}, {{ theme.palette.accent }}.
        from .theme import css_string
        env.globals.update(label=self.labels, labels=self.labels, label_html=self.labels.html, theme=self.theme,
                           **self.extra_globals)
        env.filters["css_string"] = css_string
        return env

    @cached_property
    def jinja(self) -> jinja2.Environment:
        import jinja2

        return self._environment("html", autoescape=jinja2.select_autoescape(["html", "xml", "j2"]))

    @cached_property
    def markdown(self) -> jinja2.Environment:
        """For `*.md.j2`: every value is escaped for Markdown, as HTML templates escape for HTML."""
        return self._environment("markdown", autoescape=False, finalize=escape_markdown)

    def render(self, name: str, **context: object) -> str:
        import jinja2

        env = self.markdown if name.endswith(MARKDOWN_SUFFIX) else self.jinja
        try:
            return env.get_template(name).render(**context)
        except jinja2.TemplateError as exc:
            # only syntax errors carry a location; the others name the template given
            if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
                problem = Problem(exc.filename or name, exc.lineno, exc.message or str(exc))
            else:
                problem = Problem(name, 0, exc.message or str(exc))
            raise StyrdokError(_("the template {path} cannot be used").format(path=name), [problem]) from exc


def _bytecode_cache(kind: str) -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept (styrdok.usercache): one folder per environment, whose
    options the compiled code depends on; Jinja checks each template's source and the Python
    version itself. An unwritable cache only costs the next run the compile."""
    import jinja2

    from . import usercache

    class Cache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    base = usercache.folder()
    if base is None:
        return None
    folder = base / f"jinja-{kind}-{jinja2.__version__}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Cache(str(folder))


MARKDOWN_SUFFIX = ".md.j2"
ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def escape_markdown(value: object) -> str:
    """A value as CommonMark that reads literally: one line, every ASCII punctuation escaped.

    `{{ value | safe }}` in a template passes trusted Markdown through unchanged.
    """
    if isinstance(value, Markup):
        return str(value)
    return ASCII_PUNCTUATION.sub(lambda m: "\\" + m.group(0), " ".join(str(value).split()))
