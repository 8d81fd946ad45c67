"""The look and the words of every output, in one overridable place.

Two data files in `templates/`, read by every renderer (DOCX, PDF, HTML, redline, remiss, site):

- ``theme.yaml`` — the organisation's name, the logo (an SVG or PNG beside it, with alt text),
  one body font and one heading font, and one palette.
- ``labels.sv.yaml`` — every Swedish label and sentence that appears in an output document
  ("Dokumentägare", "Sammanfattning av ändringar", "svar senast {date}" …).

The packaged files (``src/styrdok/templates/``) hold every key with its default. A policy
repository overrides *some* of them in its own ``templates/theme.yaml`` / ``labels.sv.yaml``:
the two are merged key by key, so one changed label is a one-line file::

    # templates/labels.sv.yaml
    control:
      owner: Ansvarig nämnd

Both are validated when first used: an override key the packaged file does not have (a typo), a
value of the wrong kind, or a ``{placeholder}`` the default does not offer is an error naming the
file, the line and the key. Looking up a key that does not exist is an error too (never an empty
string), like Jinja's StrictUndefined.

In Python::

    labels = templates.labels                      # Labels, cached per Templates
    labels("control.owner")                        # 'Dokumentägare'
    labels("remiss.reply_by", date="15 februari 2027")
    labels.list("dates.months")                    # list values (month names)
    templates.theme.palette["accent"], templates.theme.fonts.body

In every Jinja template (HTML, site, missiv) the same are globals::

    {{ label("control.owner") }}   {{ label("remiss.reply_by", date=deadline) }}   {{ theme.organisation }}

Placeholders use ``str.format`` syntax (``{date}``); ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup, escape

from . import yamlread
from .errors import Problem, StyrdokError
from .files import packaged
from .i18n import _

if TYPE_CHECKING:
    from .templates import Templates

LABELS_FILE = "labels.sv.yaml"
THEME_FILE = "theme.yaml"
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}

Value = str | list[str]


class LabelError(StyrdokError):
    """A label or theme file that cannot be used, or a label that does not exist."""


def _at(where: str, message: str, hint: str = "") -> Problem:
    """A problem at `where`, written 'file:line' or 'file'."""
    path, _sep, line = where.rpartition(":")
    return Problem(path, int(line), message, hint) if line.isdigit() else Problem(where, 0, message, hint)


def _refuse(where: str, message: str, hint: str = "") -> LabelError:
    return LabelError(problems=[_at(where, message, hint)])


# --- reading YAML with line numbers -------------------------------------------------------------

def _flatten(node: yaml.Node, prefix: str, out: dict[str, tuple[Any, int]], where: str, taken: set[str]) -> None:
    """Mapping nodes → {"a.b": (value, line)}; leaves are scalars or lists of scalars.

    `taken` holds every key in `out` and each of its parents ("a" and "a.b" for "a.b.c"), so that a
    key written twice is found in one look-up, not by a scan of every key read so far."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            if name in taken:
                raise _refuse(f"{where}:{key.start_mark.line + 1}", _("key '{key}' appears twice").format(key=name),
                              _("keep one of them"))
            _flatten(value, name + ".", out, where, taken)
        return
    key = prefix.rstrip(".")
    line = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise _refuse(f"{where}:{item.start_mark.line + 1}", _("'{key}' must be a list of texts").format(key=key))
            items.append(item.value)
        out[key] = (items, line)
    elif isinstance(node, yaml.ScalarNode):
        out[key] = (None if node.tag.endswith(":null") else node.value, line)
    else:
        raise _refuse(f"{where}:{line}", _("'{key}' has a value styrdok cannot read").format(key=key))
    parts = key.split(".")
    taken.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))


def _read(data: bytes, where: str) -> dict[str, tuple[Any, int]]:
    try:
        root = yamlread.compose(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _refuse(where, _("the file is not UTF-8"), _("save it as UTF-8")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise _refuse(f"{where}{line}", _("not valid YAML: {problem}").format(problem=getattr(exc, "problem", exc)),
                      _("check the indentation, and quote texts that contain ':' or '#'")) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise _refuse(f"{where}:1", _("the file must be a mapping of keys"),
                      _("see the packaged {name}").format(name=Path(where).name))
    out: dict[str, tuple[Any, int]] = {}
    _flatten(root, "", out, where, set())
    return out


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"\0invalid"}


def _merged(templates: Templates, name: str) -> tuple[dict[str, tuple[Any, str]], list[Problem]]:
    """The packaged file with the override's values on top: {key: (value, 'file:line')}."""
    shipped = packaged("templates", name)
    defaults = _read(shipped.read_bytes(), f"styrdok/templates/{name}")
    values: dict[str, tuple[Any, str]] = {k: (v, f"styrdok/templates/{name}:{line}") for k, (v, line) in defaults.items()}
    problems: list[Problem] = []
    override = templates._override(name)
    if override is not None:
        where = f"templates/{name}"
        data = templates.bytes(name)  # a regular file in the repository, never a link out of it
        assert data is not None
        for key, (value, line) in _read(data, where).items():
            if key not in defaults:
                close = [k for k in defaults if k.rsplit(".", 1)[-1] == key.rsplit(".", 1)[-1]]
                hint = (_("did you mean {keys}?").format(keys=", ".join(close[:3])) if close else
                        _("see the keys in the packaged {name}").format(name=name))
                problems.append(_at(f"{where}:{line}", _("unknown key '{key}'").format(key=key), hint))
                continue
            default = defaults[key][0]
            if isinstance(default, list) != isinstance(value, list) or (isinstance(default, list) and len(default) != len(value)):
                problems.append(_at(f"{where}:{line}", (
                    _("'{key}' must be a list of {n} texts, like the packaged default") if isinstance(default, list)
                    else _("'{key}' must be a text, like the packaged default")).format(key=key, n=len(default))))
                continue
            if isinstance(default, str) and isinstance(value, str) and not _fields(value) <= _fields(default):
                offered = ", ".join(f"{{{f}}}" for f in sorted(_fields(default))) or "—"
                unknown = ", ".join(f"{{{f}}}" for f in sorted(_fields(value) - _fields(default)))
                problems.append(_at(f"{where}:{line}", _("'{key}' uses {unknown}, which this text does not offer").format(
                                        key=key, unknown=unknown),
                                    _("placeholders here: {offered} (write {{{{ and }}}} for literal braces)").format(
                                        offered=offered)))
                continue
            values[key] = (value, f"{where}:{line}")
    return values, problems


# --- labels -------------------------------------------------------------------------------------

class Labels:
    """Every Swedish text of the outputs: ``labels("key", **values)``; a missing key is an error."""

    def __init__(self, values: dict[str, tuple[Any, str]]):
        self._values = values

    @classmethod
    def load(cls, templates: Templates) -> Labels:
        values, problems = _merged(templates, LABELS_FILE)
        if problems:
            raise LabelError(_("the labels cannot be used"), problems)
        return cls(values)

    @classmethod
    def packaged(cls) -> Labels:
        from .templates import Templates
        return cls.load(Templates(None))

    def _get(self, key: str) -> tuple[Any, str]:
        try:
            return self._values[key]
        except KeyError:
            near = sorted(k for k in self._values if k.startswith(key.rsplit(".", 1)[0] + "."))[:5]
            hint = (_("keys near it: {keys}").format(keys=", ".join(near)) if near else
                    _("see the packaged {name}").format(name=LABELS_FILE))
            raise LabelError.because(_("label '{key}' is not defined in {file}").format(key=key, file=LABELS_FILE),
                                     _("the renderer asked for a label the labels file lacks"), hint) from None

    def __call__(self, key: str, **values: object) -> str:
        text, where = self._get(key)
        if not isinstance(text, str):
            raise _refuse(where, _("label '{key}' is a list; use labels.list('{key}')").format(key=key))
        try:
            return text.format_map(values) if values or "{" in text else text
        except (KeyError, IndexError, ValueError) as exc:
            raise _refuse(where, _("label '{key}' needs the value {value} (given: {given})").format(
                key=key, value=exc, given=", ".join(values) or "—")) from None

    def html(self, key: str, **values: object) -> Markup:
        """The label as HTML: the text and plain values escaped, Markup values (a link) kept, e.g.
        ``label_html("site.superseded", link=Markup('<a href="…">…</a>'), body=…)`` in a template."""
        text, where = self._get(key)
        if not isinstance(text, str):
            raise _refuse(where, _("label '{key}' is a list; use labels.list('{key}')").format(key=key))
        try:
            return Markup(escape(text)).format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise _refuse(where, _("label '{key}' needs the value {value} (given: {given})").format(
                key=key, value=exc, given=", ".join(values) or "—")) from None

    def list(self, key: str) -> list[str]:
        value, where = self._get(key)
        if not isinstance(value, list):
            raise _refuse(where, _("label '{key}' is a text, not a list").format(key=key))
        return list(value)

    def get(self, key: str, default: str, **values: object) -> str:
        """The label, or `default` for keys that are open-ended (a document type without a label)."""
        return self(key, **values) if key in self._values else default

    def keys(self) -> "builtins.list[str]":
        return sorted(self._values)

    # Swedish dates and the words every renderer shares ------------------------------------------

    def date_long(self, day: dt.date) -> str:
        """'15 februari 2027'."""
        return f"{day.day} {self.list('dates.months')[day.month - 1]} {day.year}"

    def doctype(self, kind: str) -> str:
        return self.get(f"doctypes.{kind}", kind[:1].upper() + kind[1:])

    def __getstate__(self) -> dict[str, object]:
        return {"_values": self._values}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._values = state["_values"]


# --- theme --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Logo:
    data: bytes
    media_type: str  # image/svg+xml or image/png
    alt: str
    height_mm: float
    name: str  # the file name in templates/

    @property
    def is_svg(self) -> bool:
        return self.media_type == "image/svg+xml"

    def data_uri(self) -> str:
        import base64
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"

    def svg(self) -> str:
        """The logo as SVG text (a PNG wrapped in an SVG), for Typst's image()."""
        if self.is_svg:
            return self.data.decode("utf-8")
        width, height = png_size(self.data)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
                f'<image width="{width}" height="{height}" xlink:href="{self.data_uri()}"/></svg>')


@dataclass(frozen=True)
class Fonts:
    body: str
    heading: str
    mono: str


@dataclass(frozen=True)
class Theme:
    """The municipality's look: name, logo, fonts and palette (see theme.yaml)."""

    organisation: str
    logo: Logo | None
    fonts: Fonts
    palette: dict[str, str]

    def __hash__(self) -> int:
        return hash((self.organisation, self.logo, self.fonts, tuple(sorted(self.palette.items()))))

    @classmethod
    def load(cls, templates: Templates) -> Theme:
        values, problems = _merged(templates, THEME_FILE)

        def text(key: str) -> str:
            value, where = values[key]
            if not isinstance(value, str) or not value.strip():
                problems.append(_at(where, _("'{key}' must be a text").format(key=key)))
                return ""
            return value.strip()

        palette = {}
        for key in sorted(k for k in values if k.startswith("palette.")):
            color = text(key)
            if color and not COLOR.match(color):
                problems.append(_at(values[key][1], _("'{key}': {value} is not a colour like \"#1f4e79\"").format(
                    key=key, value=repr(color))))
            palette[key.removeprefix("palette.")] = color.lower()
        logo = None
        file_value, file_where = values["logo.file"]
        if file_value:
            logo = _logo(templates, str(file_value), file_where, text("logo.alt"), values["logo.height_mm"], problems)
        theme = cls(organisation=text("organisation"), logo=logo,
                    fonts=Fonts(text("fonts.body"), text("fonts.heading"), text("fonts.mono")), palette=palette)
        if problems:
            raise LabelError(_("the theme cannot be used"), problems)
        return theme


def _logo(templates: Templates, name: str, where: str, alt: str, height: tuple[Any, str],
          problems: list[Problem]) -> Logo | None:
    suffix = Path(name).suffix.lower()
    if suffix not in LOGO_TYPES or Path(name).name != name:
        problems.append(_at(where, _("logo.file {name} must be the name of an .svg or .png file in templates/").format(
            name=repr(name))))
        return None
    data = templates.bytes(name)
    if data is None:
        problems.append(_at(where, _("the logo {name} is not in templates/ (nor packaged)").format(name=name),
                            _("put the file in the repository's templates/ folder, or correct logo.file")))
        return None
    if not alt:
        problems.append(_at(where, _("the logo needs alt text (logo.alt), e.g. the organisation's name")))
    try:
        height_mm = float(height[0])
    except (TypeError, ValueError):
        problems.append(_at(height[1], _("logo.height_mm must be a number of millimetres, e.g. 14")))
        height_mm = 14.0
    if suffix == ".png":
        try:
            png_size(data)
        except ValueError:
            problems.append(_at(where, _("{name} is not a PNG file").format(name=name)))
            return None
    elif b"<svg" not in data[:4096]:
        problems.append(_at(where, _("{name} is not an SVG file").format(name=name)))
        return None
    return Logo(data, LOGO_TYPES[suffix], alt, height_mm, name)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def css_string(value: str) -> str:
    """A text as a CSS string literal (for `content:` in generated content)."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?()[]–-_/åäöÅÄÖéÉ" else f"\\{ord(c):x} " for c in value)
    return f'"{escaped}"'
