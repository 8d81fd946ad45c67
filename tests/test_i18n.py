"""Messages in Swedish by default and English on request, from gettext catalogues (styrdok.i18n)."""

from __future__ import annotations

import gettext
import io
import re
import string
import sys
from pathlib import Path

import pytest
from babel.messages import extract, frontend, mofile, pofile

from conftest import ROOT, run, swedish_env
from styrdok import i18n

PO = ROOT / "src/styrdok/locale/sv/LC_MESSAGES/styrdok.po"


def _extracted() -> dict[object, int]:
    """Every message in the code, as `make messages` extracts it (same config and extractor)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        found = {}
        with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
            method_map, options_map = frontend.parse_mapping_cfg(cfg)
        keywords = {**extract.DEFAULT_KEYWORDS, "H_": None, "N_": None}
        for filename, lineno, message, _comments, _ctx in extract.extract_from_dir(
                str(ROOT / "src/styrdok"), method_map, options_map, keywords=keywords):
            found[message] = lineno
        return found
    finally:
        sys.path.remove(str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as f:
        return pofile.read_po(f, locale="sv")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_message_in_the_code_has_a_swedish_translation(catalog) -> None:
    missing = []
    for message in _extracted():
        entry = catalog.get(message if isinstance(message, str) else message[0])
        strings = [] if entry is None else [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if entry is None or "fuzzy" in entry.flags or not all(strings):
            missing.append(message)
    assert not missing, ("run `make messages` and write the Swedish msgstr in styrdok.po for:\n"
                         + "\n".join(repr(m) for m in missing))


def test_translations_keep_the_placeholders(catalog) -> None:
    for entry in catalog:
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = set().union(*map(_fields, ids))
        for text in strings:
            if text:
                assert _fields(text) <= wanted and (_fields(text) or not wanted), (entry.id, text)


def test_the_catalogue_compiles_and_the_fallback_reads_the_same(catalog, tmp_path: Path) -> None:
    assert not list(catalog.check()), list(catalog.check())
    mo = io.BytesIO()
    mofile.write_mo(mo, catalog)
    mo.seek(0)
    compiled = gettext.GNUTranslations(mo)
    fallback = i18n.read_po(PO)
    for entry in catalog:
        if not entry.id or "fuzzy" in entry.flags:
            continue
        if isinstance(entry.id, str):
            assert fallback.gettext(entry.id) == compiled.gettext(entry.id) == (entry.string or entry.id)
        else:
            for n in (1, 2, 5):
                assert fallback.ngettext(*entry.id, n) == compiled.ngettext(*entry.id, n)


def test_swedish_plurals() -> None:
    sv = i18n.catalogue("sv")
    assert sv.ngettext("{n} policy checked, no errors", "{n} policies checked, no errors", 1).format(n=1) \
        == "1 styrdokument granskat, inga fel"
    assert sv.ngettext("{n} policy checked, no errors", "{n} policies checked, no errors", 2).format(n=2) \
        == "2 styrdokument granskade, inga fel"


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "sv"), ({"LANG": "C.UTF-8"}, "sv"), ({"LANG": "sv_SE.UTF-8"}, "sv"), ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "sv_SE.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"), ({"LANGUAGE": "en:sv", "LANG": "sv_SE"}, "en"),
    ({"LANGUAGE": "sv", "LANG": "en_US"}, "sv"), ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "sv"),
])
def test_the_language_from_the_environment(env: dict[str, str], lang: str) -> None:
    assert i18n.language_from_env(env) == lang


def test_click_still_has_the_messages_we_translate() -> None:
    import click

    found = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        with path.open("rb") as f:
            for _lineno, _func, message, _comments in extract.extract_python(f, extract.DEFAULT_KEYWORDS, [], {}):
                found.add(message if isinstance(message, str) else tuple(m for m in message if m))
    ours = (ROOT / "src/styrdok/_click_messages.py").read_text("utf-8")
    for literal in re.findall(r"N_\((.+)\),\n", ours):
        assert eval(literal) in found, literal  # noqa: S307 - our own source
    for pair in re.findall(r"ngettext\((.+), 2\),\n", ours):
        assert eval(f"({pair})") in found, pair  # noqa: S307


def test_swedish_is_the_default_and_english_on_request(tmp_path: Path) -> None:
    plain = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": ""}
    swedish = run(["--help"], tmp_path, env=plain)
    assert "Användning: styrdok [FLAGGOR] KOMMANDO [ARGUMENT]..." in swedish.stdout, swedish.stdout
    assert "Visa den här hjälpen och avsluta." in swedish.stdout
    english = run(["--lang", "en", "--help"], tmp_path, env=plain)
    assert "Usage: styrdok [OPTIONS] COMMAND [ARGS]..." in english.stdout
    assert "Show this message and exit." in english.stdout
    after = run(["check", "--lang", "en", "--help"], tmp_path, env=swedish_env())
    assert "Validate policies" in after.stdout and "Show this message and exit." in after.stdout
    missing = run(["consult", "x"], tmp_path, env=swedish_env())
    assert missing.returncode == 2 and "Fel: Flagga saknas '--deadline'." in missing.stderr, missing.stderr


def test_no_module_that_translates_binds_the_name_underscore() -> None:
    """`level, (ident, _, _), inlines = …` in a function that also says _("…") makes `_` local to it:
    a crash ('list' object is not callable) on the first message. Name unused values otherwise."""
    import ast

    def own_nodes(function: ast.AST):  # the function's own scope: not comprehensions, lambdas or inner defs
        todo = list(ast.iter_child_nodes(function))
        while todo:
            node = todo.pop()
            yield node
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp,
                                     ast.DictComp, ast.GeneratorExp, ast.ClassDef)):
                todo.extend(ast.iter_child_nodes(node))

    offenders = []
    for path in sorted((ROOT / "src/styrdok").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        if not any(isinstance(n, ast.ImportFrom) and n.module and n.module.endswith("i18n")
                   and any(a.name == "_" for a in n.names) for n in tree.body):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [n for n in own_nodes(node) if isinstance(n, ast.Name) and n.id == "_"]
                if any(isinstance(n.ctx, ast.Store) for n in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not offenders, offenders
