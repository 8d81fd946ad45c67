"""A head start for `styrdok build` of one policy: pandoc starts reading the policy's text
before the command line and the build are imported (about 0.1 s of the interpreter, during
which the other core would be idle), and `pandoc.read_markdown` takes the result when the build
reads the same text.

Only the plain cases get one: `build` with no options but --final, --out, --keep-going and
--stop, of the one policy in ./policy/ or of one named ID, a regular file whose text is quick to
read. Nothing here can fail or change a command: a file that is not what the build will read
is at worst read for nothing, and everything else is left to the build to read and report.
(`--lang` gets none: the read's messages would be in the language chosen before it.)
"""

from __future__ import annotations

import os

_FLAGS = ("--final", "--keep-going", "--stop")
_WITH_VALUE = ("--out",)


def begin(args: list[str]) -> None:
    """Start pandoc reading the policy `styrdok <args>` will build, if it is one of the plain cases."""
    path = _the_one_policy(args)
    if path is None:
        return
    from . import policy_text

    try:
        if os.path.islink(path) or not os.path.isfile(path):
            return
        with open(path, "rb") as file:
            text = policy_text.normalized(file.read())
    except (OSError, ValueError):  # unreadable, not UTF-8: the build says so
        return
    lines = text.split("\n")
    if not policy_text.opens_front_matter(lines) or (end := policy_text.front_matter_end(lines)) is None:
        return
    from . import pandoc

    if pandoc.quick_to_read(body := policy_text.body(lines, end)):
        pandoc.read_ahead(body)


def _the_one_policy(args: list[str]) -> str | None:
    if args[:1] != ["build"]:
        return None
    ids, rest = [], iter(args[1:])
    for arg in rest:
        if arg in _WITH_VALUE:
            next(rest, None)
        elif arg.startswith(tuple(f"{option}=" for option in _WITH_VALUE)) or arg in _FLAGS:
            continue
        elif arg.startswith("-"):
            return None
        else:
            ids.append(arg)
    if not ids:
        try:
            found = [name for name in os.listdir("policy") if name.endswith(".md")]
        except OSError:
            return None
        return os.path.join("policy", found[0]) if len(found) == 1 else None
    if len(ids) == 1 and ids[0] and not any(char in ids[0] for char in "/\\") and not ids[0].startswith("."):
        return os.path.join("policy", f"{ids[0]}.md")
    return None
