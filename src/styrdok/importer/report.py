"""The import report: what was imported, every guess and every loss, with where it was.

Data first (`Report`); `markdown()` is the file written to build/import/<id>.md, `screen()`
what the terminal shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _, ngettext
from .body import Counts
from .wordfile import Comment


SCREEN_HEADINGS = 12  # more headings guessed than this: the terminal says how many, the report each


@dataclass(frozen=True)
class Entry:
    """One line of the report; `where` is the place in the Word document ("stycke 12, sida 2: ”…”")."""

    text: str
    where: str = ""
    heading: bool = False  # a paragraph taken as a heading by its look (the Headings table has each)

    def line(self) -> str:
        return f"{self.where} — {self.text}" if self.where else self.text


@dataclass
class Report:
    source: str  # the Word file as the user named it
    policy_id: str = ""
    target: str = ""  # the policy file written (or that would have been)
    mode: str = "import"  # import | into
    counts: Counts = field(default_factory=Counts)
    metadata: list[tuple[str, str, str]] = field(default_factory=list)  # front-matter key, value, from where
    headings: list[tuple[int, str, str, str]] = field(default_factory=list)  # level, text, id, evidence
    guesses: list[Entry] = field(default_factory=list)
    losses: list[Entry] = field(default_factory=list)
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)  # label, value, where
    comments: list[tuple[Comment, str]] = field(default_factory=list)  # comment, where
    changes: list[Entry] = field(default_factory=list)  # tracked changes applied
    warnings: list[str] = field(default_factory=list)  # from styrdok check of the result
    error: str | None = None
    written: bool = False
    unchanged: bool = False  # --into: the policy file was already what the DOCX says

    @property
    def ok(self) -> bool:
        return self.error is None

    def counted(self) -> str:
        c = self.counts
        return ", ".join((
            ngettext("{n} heading", "{n} headings", c.headings).format(n=c.headings),
            ngettext("{n} paragraph", "{n} paragraphs", c.paragraphs).format(n=c.paragraphs),
            ngettext("{n} list item", "{n} list items", c.list_items).format(n=c.list_items),
            ngettext("{n} table", "{n} tables", c.tables).format(n=c.tables),
            ngettext("{n} footnote", "{n} footnotes", c.footnotes).format(n=c.footnotes),
            ngettext("{n} link", "{n} links", c.links).format(n=c.links)))

    def markdown(self) -> str:
        out = [_("# Import report: {file}").format(file=self.source), ""]
        if self.error:
            return "\n".join(out + [_("**Error:** {error}").format(error=self.error), ""])
        if self.mode == "into":
            line = _("`{target}` updated from `{file}`.") if not self.unchanged else \
                _("`{target}` unchanged: `{file}` says the same as the policy file.")
        else:
            line = _("`{target}` imported from `{file}`.")
        out += [line.format(target=self.target, file=self.source), "",
                _("Imported: {counts}.").format(counts=self.counted()), ""]
        if self.metadata:
            out += [_("## Front matter"), "", "| " + _("key") + " | " + _("value") + " | " + _("from") + " |",
                    "| --- | --- | --- |"]
            out += [f"| {_cell(k)} | {_cell(v)} | {_cell(w)} |" for k, v, w in self.metadata] + [""]
        if self.headings:
            out += [_("## Headings"), "", "| " + " | ".join((_("level"), _("heading"), "id", _("why"))) + " |",
                    "| --- | --- | --- | --- |"]
            out += [f"| {'#' * lvl} | {_cell(t)} | `{i}` | {_cell(e)} |" for lvl, t, i, e in self.headings] + [""]
        out += self._list(_("Guesses (check them)"), self.guesses)
        out += self._list(_("Losses (in the Word file but not in the policy)"), self.losses)
        if self.comments:
            out += [_("## Comments in the Word file (not in the policy text)"), "",
                    "| " + " | ".join((_("author"), _("date"), _("at"), _("comment"))) + " |", "| --- | --- | --- | --- |"]
            out += [f"| {_cell(cm.author)} | {cm.date} | {_cell(w)} | {_cell(cm.text)} |" for cm, w in self.comments]
            out.append("")
        out += self._list(_("Tracked changes"), self.changes)
        if self.unmapped:
            out += [_("## Other information in the document (no front-matter key)"), "",
                    "| " + " | ".join((_("information"), _("value"), _("where"))) + " |", "| --- | --- | --- |"]
            out += [f"| {_cell(k)} | {_cell(v)} | {_cell(w)} |" for k, v, w in self.unmapped] + [""]
        if self.warnings:
            out += ["## styrdok check", ""] + [f"- {_md(w)}" for w in self.warnings] + [""]
        return "\n".join(out)

    @staticmethod
    def _list(title: str, entries: list[Entry]) -> list[str]:
        if not entries:
            return []
        return [f"## {title}", ""] + [f"- {_md(e.line())}" for e in entries] + [""]

    def screen(self) -> str:
        if self.error:
            return f"{self.source}: {self.error}"
        state = " (" + _("unchanged") + ")" if self.unchanged else ""
        lines = [f"{self.source} → {self.target}{state}", f"  {self.counted()}"]
        guesses = self.guesses
        if len(looks := [e for e in guesses if e.heading]) > SCREEN_HEADINGS:  # a long legacy file: one line
            guesses = [e for e in guesses if not e.heading]
            guesses.insert(0, Entry(ngettext(
                "{n} paragraph taken as a heading by its look (bold or larger text, typed numbers); the report's "
                "Headings table shows each, with its level", "{n} paragraphs taken as headings by their look (bold "
                "or larger text, typed numbers); the report's Headings table shows each, with its level",
                len(looks)).format(n=len(looks))))
        for label, entries in ((_("guess"), guesses), (_("loss"), self.losses)):
            lines += [f"  {label}: {e.line()}" for e in entries]
        for cm, where in self.comments:
            lines.append("  " + _("comment: {author} {date} at {where}: {text}")
                         .format(author=cm.author, date=cm.date, where=where, text=cm.text))
        if self.changes:
            lines.append("  " + ngettext("{n} tracked change", "{n} tracked changes", len(self.changes))
                         .format(n=len(self.changes)))
        return "\n".join(lines)


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")


def _md(text: str) -> str:
    return text.replace("<", "&lt;")
