"""Generated hostile Markdown and YAML through check → build → publish, as a user would run them.

Every run ends with exit 0, or exit 1 naming the file and line; never an internal error (exit 70)
or a traceback, never a hang, and no HTML written anywhere carries an event handler, a style or a
javascript: address, whatever the source held.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from styrdok.cli import main

SECONDS = 60  # per command; the real ones take a second or two
LOCATION = re.compile(r"^policy/hostile\.md(@[0-9a-f]+)?:\d+: ", re.MULTILINE)  # publish names the revision

# Markdown that tries to become markup, break the Typst writer, nest deeply or mislead the checks.
MARKDOWN = [
    "Vanlig text.", "[ord]{onclick=alert(1)}", "[länk](https://www.timra.se){onmouseover=alert(2)}",
    "[x](javascript:alert(3))", "[x](JaVaScRiPt:alert(4))", "[x](\\\\\\\\evil.example/a)", "[x](//evil.example)",
    "[x](java\tscript:alert(5))", "<script>alert(6)</script>", "<img src=x onerror=alert(7)>",
    "&lt;script&gt;", "`x`{style=color:red}", "::: {onclick=alert(8)}\ndiv\n:::", "## Rubrik {#titel}",
    "## Rubrik {#r onclick=alert(9)}", "##", "[se](#saknas)", "> " * 20 + "djupt", "*" * 30 + "x" + "*" * 30,
    "a // b /* c */ # d $ e @f <g> \\ ] [", "😀 中文 العربية", "[^1]\n\n[^1]: Fot // not", "- a\n\n- b",
    "```{=html}\n<iframe></iframe>\n```", "`<b onclick=x>`{=html}", "[a]{autofocus=1 onfocus=alert(10)}",
    "{{ config }} {% raw %}", "| a | b |\n|---|---|\n| <x> | [y]{style=z} |", "[" * 40,
]
# YAML lines that try to run code, expand, coerce numbers or confuse line numbers.
YAML = [
    "colour: röd", "a: &a [x, x, x]\nb: [*a, *a, *a]", "x: !!python/name:os.system", "x: !!binary aGVq",
    "? [a, b]\n: c", "x: \"a\u2028b\"", "x: 'a\x85b'", "keywords: [\"" + "k" * 300 + "\"]",
    "x: " + "[" * 12 + "]" * 12, "contact: javascript:alert(1)", "review: 0x10", "coordinator: <script>",
]
PARAGRAPHS = ["64", "012", "1:04", "0x40", "64.0", "'64'", "-1", "9" * 60, "!!int 7", "XX"]
TITLES = ["Policy för test", "Policy <script>alert(1)</script>", "Policy {onclick=x} *fet* #1 $5", "Policy 😀 中文"]


def front_matter(title: str, paragraph: str, extra: list[str]) -> str:
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"', "type: policy",
             "owner: kommunstyrelsen", "status: adopted", "decisions:", "  - action: fastställd",
             "    body: kommunstyrelsen", "    date: 2018-03-06", f"    paragraph: {paragraph}", *extra, "---", ""]
    return "\n".join(lines)


class _Live(HTMLParser):
    """Attributes that would run or restyle something in a browser."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id":  # a heading must never take an id the page already uses
                if value in self.ids:
                    self.live.append(f"<{tag} id={value!r}> twice")
                self.ids.add(value or "")
            address = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or name in ("formaction", "autofocus", "srcdoc") \
                    or address.startswith(("javascript:", "vbscript:", "data:text")) \
                    or name == "style" and tag != "svg":
                self.live.append(f"<{tag} {name}={value!r}>")


def _live_markup(folder: Path) -> list[str]:
    found = []
    for page in folder.rglob("*.html"):
        parser = _Live()
        parser.feed(page.read_text("utf-8"))
        found += [f"{page.relative_to(folder)}: {item}" for item in parser.live]
    return found


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _styrdok(args: list[str]) -> tuple[int, str, float]:
    start = time.monotonic()
    result = CliRunner().invoke(main, args)
    elapsed = time.monotonic() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stderr, elapsed


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.sampled_from(TITLES), paragraph=st.sampled_from(PARAGRAPHS),
       extra=st.lists(st.sampled_from(YAML), max_size=2, unique=True),
       body=st.lists(st.sampled_from(MARKDOWN), min_size=1, max_size=4))
def test_hostile_input_is_refused_with_a_line_or_built_without_live_markup(
        title: str, paragraph: str, extra: list[str], body: list[str]) -> None:
    source = front_matter(title, paragraph, [line for item in extra for line in item.split("\n")]) \
        + "\n" + "\n\n".join(body) + "\n"
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        (repo / "policy").mkdir()
        (repo / "policy" / "hostile.md").write_text(source, "utf-8")
        _git(repo, "init", "--quiet", "--initial-branch=main")
        _git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "--all")
        _git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "x")
        os.chdir(repo)
        try:
            for args in (["check"], ["build"], ["publish", "--today", "2026-11-25"]):
                code, stderr, elapsed = _styrdok(args)
                assert elapsed < SECONDS, (args, elapsed)
                assert code in (0, 1), (args, code, stderr)
                assert "Traceback" not in stderr and "internal error" not in stderr, stderr
                if code == 1:
                    assert LOCATION.search(stderr), (args, stderr)
        finally:
            os.chdir(here)
        assert _live_markup(repo) == []


def test_one_policy_that_cannot_be_rendered_does_not_stop_the_others(tmp_path: Path, monkeypatch) -> None:
    """build and publish report the failing policy with the reason and carry on with the rest."""
    import typst

    from styrdok.render import pdf

    (tmp_path / "policy").mkdir()
    small = front_matter("Policy för test", "64", []) + "\nDenna policy gäller.\n"
    (tmp_path / "policy" / "social-ekonomi.md").write_text(small, "utf-8")
    (tmp_path / "policy" / "andra.md").write_text(small.replace("Denna policy", "TYPST-FAILS Denna policy"), "utf-8")
    _git(tmp_path, "init", "--quiet", "--initial-branch=main")
    _git(tmp_path, "add", "--all")
    _git(tmp_path, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "x")
    real = pdf._get_compiler

    class Refusing:
        """Typst as it fails on input it cannot set (before the fallback fonts: emoji, CJK)."""

        def __init__(self, compiler: typst.Compiler):
            self.compiler = compiler

        def compile_with_warnings(self, **kwargs):
            if b"TYPST-FAILS" in kwargs["input"]:
                raise typst.TypstError("unknown font family: none")
            return self.compiler.compile_with_warnings(**kwargs)

    monkeypatch.setattr(pdf, "_get_compiler", lambda *extra: Refusing(real(*extra)))
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # build in this process, where Typst is replaced
    monkeypatch.chdir(tmp_path)
    for args, made in ((["build"], tmp_path / "build" / "social-ekonomi" / "social-ekonomi.pdf"),
                       (["publish", "--today", "2026-11-25"], tmp_path / "build" / "site" / "social-ekonomi" / "index.html")):
        code, stderr, _ = _styrdok(args)
        assert code == 1, stderr
        assert "policy/andra.md" in stderr and "Typst: unknown font family" in stderr, stderr
        assert "internal error" not in stderr and "Traceback" not in stderr
        assert made.is_file(), (args, stderr)
    assert not (tmp_path / "build" / "andra").exists()
