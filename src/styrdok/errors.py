"""Problems found in input, and the errors the library raises."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .i18n import _


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file: where, what, and how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = (_("{where}: error: {message}") if self.severity is Severity.ERROR
                else _("{where}: warning: {message}")).format(where=where, message=self.message)
        return text + "\n    " + _("fix: {hint}").format(hint=self.hint) if self.hint else text


class StyrdokError(Exception):
    """An error the user can act on; never shown with a traceback."""

    exit_code = 2


class InvalidPolicy(StyrdokError):
    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__("\n".join(str(p) for p in self.problems))


class RefusedError(StyrdokError):
    """A command refused to act because the state of the policy does not allow it."""


class InvalidInput(InvalidPolicy):
    """Options or files given to a command that cannot be used; every problem is listed, as for a policy."""
