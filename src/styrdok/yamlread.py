"""Reading YAML, the one way styrdok does it: PyYAML's safe loader, with libyaml where installed.

libyaml (PyYAML's C extension, `yaml.CSafeLoader`) gives the same events, nodes and values several
times faster. A text it refuses is read again with the pure-Python loader, whose message (and
line) is the one raised, so a problem reads the same with or without libyaml.

`as_written=True` keeps dates and numbers as the text written (the policy front matter), so an
impossible date or a § such as 012 (YAML: octal 10), 1:04 (sexagesimal 64) or 0x40 is styrdok's
error to report, not YAML's guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import yaml


class _AsWritten(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp, int and float resolvers."""


_AS_WRITTEN = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_AsWritten.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag not in _AS_WRITTEN]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# {as_written: (libyaml's loader or None, the pure-Python one)}
_LOADERS: dict[bool, tuple[type | None, type]] = {False: (None, yaml.SafeLoader), True: (None, _AsWritten)}
if getattr(yaml, "__with_libyaml__", False):
    class _CAsWritten(yaml.CSafeLoader):
        """libyaml with _AsWritten's resolvers."""

    _CAsWritten.yaml_implicit_resolvers = _AsWritten.yaml_implicit_resolvers
    _LOADERS = {False: (yaml.CSafeLoader, yaml.SafeLoader), True: (_CAsWritten, _AsWritten)}


def _read(read: Callable[..., Any], text: str, as_written: bool) -> Any:
    fast, python = _LOADERS[as_written]
    if fast is not None:
        try:
            result = read(text, Loader=fast)
            return list(result) if read is yaml.parse else result
        except yaml.YAMLError:
            pass
    return read(text, Loader=python)


def parse(text: str, *, as_written: bool = False) -> Iterable[yaml.Event]:
    """The parser's events; with the pure-Python parser (a text libyaml refuses) the events up to the
    fault come before its YAMLError, as they would from yaml.parse."""
    result: Iterable[yaml.Event] = _read(yaml.parse, text, as_written)
    return result


def compose(text: str, *, as_written: bool = False) -> yaml.Node | None:
    """The document's node tree (with each node's line), None for an empty text."""
    node: yaml.Node | None = _read(yaml.compose, text, as_written)
    return node


def load(text: str, *, as_written: bool = False) -> Any:
    """The document's value, as yaml.safe_load reads it (dates and numbers as text with as_written)."""
    return _read(yaml.load, text, as_written)
