"""Problems for CI services: GitHub's workflow commands and GitLab's Code Quality report, so
each problem shows on the changed line of a pull or merge request."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from .errors import Problem, Severity


def github(problem: Problem) -> str:
    """`::error file=…,line=…::message (fix)`, one line."""
    level = "error" if problem.severity is Severity.ERROR else "warning"
    where = f"file={problem.path}" + (f",line={problem.line}" if problem.line else "")
    text = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return f"::{level} {where}::" + text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def codequality(problems: Iterable[Problem]) -> str:
    """GitLab's Code Quality report (a subset of the Code Climate format), as JSON."""
    entries = []
    for problem in problems:
        text = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
        key = f"{problem.path}\0{problem.line}\0{problem.message}".encode()
        entries.append({
            "description": text,
            "check_name": "styrdok-check",
            "fingerprint": hashlib.sha256(key).hexdigest(),
            "severity": "major" if problem.severity is Severity.ERROR else "minor",
            "location": {"path": problem.path, "lines": {"begin": max(problem.line, 1)}},
        })
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
