"""Problems found in input, and the one error type the library raises.

A `Problem` is one thing wrong: where (file and line, or nothing for a refusal that is about the
state of things), why, and how to fix it. A `StyrdokError` says *what* could not be done and
carries the problems that explain why; it renders all of it itself, so no message anywhere
writes "fix:" by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Self

from .i18n import _


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (`path`, `line`; both empty for a reason not tied to a file), what, how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @classmethod
    def reason(cls, why: str, fix: str = "") -> "Problem":
        """A reason not tied to a place in a file (the state of git, a refused option …)."""
        return cls("", 0, why, fix)

    @property
    def located(self) -> bool:
        return bool(self.path)

    def __str__(self) -> str:
        if self.path:
            where = f"{self.path}:{self.line}" if self.line else self.path
            text = (_("{where}: error: {message}") if self.severity is Severity.ERROR
                    else _("{where}: warning: {message}")).format(where=where, message=self.message)
        else:
            text = self.message
        return text + "\n    " + _("fix: {hint}").format(hint=self.hint) if self.hint else text


class StyrdokError(Exception):
    """An error the user can act on; never shown with a traceback.

    `what` is what could not be done ("cannot adopt social-ekonomi"); `problems` say why, each
    with its fix. Rendered as `what: why` + fix for a single reason, else `what:` and a list.
    """

    exit_code = 2

    def __init__(self, what: str = "", problems: Iterable[Problem] = ()):
        self.what = what
        self.problems = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(self.render())

    @classmethod
    def because(cls, what: str, why: str, fix: str = "") -> Self:
        """The common case: one reason, not tied to a file."""
        return cls(what, [Problem.reason(why, fix)])

    def located_at(self, path: str) -> list[Problem]:
        """The error as problems of the file `path` (a build's report lists problems per policy)."""
        if not self.problems:
            return [Problem(path, 0, self.what)]
        prefix = f"{self.what}: " if self.what else ""
        return [p if p.located else Problem(path, 0, prefix + p.message, p.hint, p.severity) for p in self.problems]

    def render(self) -> str:
        if not self.problems:
            return self.what
        if not self.what:
            return "\n".join(str(p) for p in self.problems)
        if len(self.problems) == 1 and not self.problems[0].located:
            return f"{self.what}: {self.problems[0]}"
        listing = "\n".join("  - " + str(p).replace("\n", "\n  ") for p in self.problems)
        return f"{self.what}:\n{listing}"

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self):  # pickled across the process pool: keep what and problems, not the rendered text
        return _restore, (type(self), self.what, tuple(self.problems))


def _restore(cls: type[StyrdokError], what: str, problems: tuple[Problem, ...]) -> StyrdokError:
    error = cls.__new__(cls)
    StyrdokError.__init__(error, what, problems)
    return error


class InvalidPolicy(StyrdokError):
    """A policy file (or a file given to a command) that does not validate: every problem with file and line."""

    def __init__(self, problems: Iterable[Problem], what: str = ""):
        super().__init__(what, problems)
