"""Every message a user reads, in Swedish (the default) or English, through gettext.

The msgids in the code are English; the Swedish catalogue is
`src/styrdok/locale/sv/LC_MESSAGES/styrdok.po`. The language is, in this order: `--lang sv|en`
(any command), else the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that names a language
(English when it starts with `en`, Swedish otherwise; `C` and `POSIX` name none), else Swedish.

How to add a message (everyone who writes code that prints, raises or reports a Problem):

    from .i18n import _, ngettext
    raise StyrdokError.because(_("cannot adopt {id}").format(id=policy_id), _("why"), _("how to fix it"))
    click.echo(ngettext("{n} policy checked", "{n} policies checked", n).format(n=n))

- The msgid is a literal English string, the whole sentence. Fill placeholders with
  `.format(name=…)` AFTER `_()`; never an f-string inside `_()` (extraction needs a literal,
  and the lookup would miss), never a sentence glued from translated pieces (Swedish word
  order differs). Counts go through `ngettext` ("1 styrdokument", "2 styrdokument").
- click help: a command's docstring is its help (scripts/babel_extract.py extracts it, cleaned
  with inspect.cleandoc); an option's help is marked `help=N_("…")`, any other help text
  `H_("…")`. Marking does not translate: cli.py's Command and Option classes translate the
  text whenever help is shown, in the language of that run.
- Then `make messages` (pybabel extract → styrdok.pot, pybabel update → styrdok.po), write the
  Swedish `msgstr` for each new entry in styrdok.po (remove `#, fuzzy` once checked), and
  `make install` (or `make messages-compile`) compiles styrdok.mo. Until it is compiled, or when
  the .po is newer than the .mo, the .po is read directly, so a fresh checkout is never English
  by accident. tests/test_i18n.py fails for a msgid without a Swedish translation.
- Text that appears in OUTPUT documents (decision lines, labels in DOCX/PDF/HTML) is not a
  message: it is Swedish whatever the language, from the labels data file in templates/.

Start-up cost: only the stdlib `gettext` module; the catalogue is read on the first message.
"""

from __future__ import annotations

import ast
import gettext
import inspect
import os
from pathlib import Path

DOMAIN = "styrdok"
LANGUAGES = ("sv", "en")
DEFAULT = "sv"
LOCALE_DIR = Path(__file__).parent / "locale"
_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None
_catalogues: dict[str, gettext.NullTranslations] = {}


def language() -> str:
    """'sv' or 'en': the language chosen with `set_language`, else from the environment."""
    return _chosen or language_from_env(os.environ)


def language_from_env(env: os._Environ[str] | dict[str, str]) -> str:
    for name in _ENV:
        value = env.get(name, "")
        first = value.split(":")[0].strip()  # LANGUAGE may be a list, e.g. "en:sv"
        if not first or first.split(".")[0] in ("C", "POSIX"):
            continue
        return "en" if first.lower().startswith("en") else DEFAULT
    return DEFAULT


def set_language(lang: str | None) -> None:
    """Use `lang` ('sv' or 'en') from now on; None goes back to the environment."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; styrdok speaks {', '.join(LANGUAGES)}")
    _chosen = lang


def _(message: str) -> str:
    """The message in the current language."""
    return catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the current language's plural rule."""
    return catalogue().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks an option's help for extraction; translated when help is shown."""
    return message


def H_(message: str) -> str:
    """Marks a command's help (a docstring-like text) for extraction; translated when shown."""
    return message


def help_text(text: str | None) -> str | None:
    """A command's help, cleaned like click does, in the current language."""
    return _(inspect.cleandoc(text)) if text else text


def catalogue(lang: str | None = None) -> gettext.NullTranslations:
    lang = lang or language()
    if lang not in _catalogues:
        _catalogues[lang] = _load(lang)
    return _catalogues[lang]


def _load(lang: str) -> gettext.NullTranslations:
    if lang == "en":  # the msgids are English
        return gettext.NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    try:
        if mo.stat().st_mtime >= po.stat().st_mtime:
            with mo.open("rb") as f:
                return gettext.GNUTranslations(f)
    except OSError:
        pass
    try:
        return read_po(po)
    except OSError:
        return gettext.NullTranslations()


def read_po(path: Path) -> gettext.GNUTranslations:
    """A .po file as translations, as msgfmt would compile it (fuzzy and empty entries left out).

    The fallback when styrdok.mo is missing or older than the .po (a fresh checkout before
    `make install`, or a catalogue just edited).
    """
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    fuzzy = False

    def finish() -> None:
        nonlocal entry, fuzzy
        if entry and not fuzzy:
            entries.append(entry)
        entry, fuzzy = {}, False

    for raw in path.read_text("utf-8").splitlines():
        line = raw.strip()
        has_str = any(k.startswith("msgstr") for k in entry)
        if not line or line.startswith("#"):  # '#~' (obsolete) entries are comments too
            if has_str:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            word, _sep, rest = line.partition(" ")
            if word in ("msgid", "msgctxt") and has_str:
                finish()
            key = word
            entry[key] = ast.literal_eval(rest)
    finish()

    translations = gettext.GNUTranslations()
    catalog: dict[object, str] = {}
    plural = "nplurals=2; plural=(n != 1);"
    for e in entries:
        msgid = e.get("msgid", "")
        if msgid == "":
            plural = next((h.split(":", 1)[1] for h in e.get("msgstr", "").splitlines()
                           if h.lower().startswith("plural-forms:")), plural)
            continue
        if "msgctxt" in e:
            msgid = f"{e['msgctxt']}\x04{msgid}"
        if "msgid_plural" in e:
            forms = [(int(k[7:-1]), v) for k, v in e.items() if k.startswith("msgstr[")]
            if all(v for _i, v in forms):
                for i, v in forms:
                    catalog[(msgid, i)] = v
        elif e.get("msgstr"):
            catalog[msgid] = e["msgstr"]
    translations._catalog = catalog  # type: ignore[attr-defined]
    expression = plural.split("plural=", 1)[1].strip().rstrip(";")
    translations.plural = gettext.c2py(expression)  # type: ignore[attr-defined]
    return translations
