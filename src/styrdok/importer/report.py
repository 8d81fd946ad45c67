"""The import report: what was imported, every guess and every loss, with where it was.

Data first (`Report`); `markdown()` is the file written to build/import/<id>.md, `screen()`
what the terminal shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .body import Counts
from .wordfile import Comment


@dataclass(frozen=True)
class Entry:
    """One line of the report; `where` is the place in the Word document ("stycke 12, sida 2: ”…”")."""

    text: str
    where: str = ""

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

    def markdown(self) -> str:
        c = self.counts
        out = [f"# Importrapport: {self.source}", ""]
        if self.error:
            return "\n".join(out + [f"**Fel:** {self.error}", ""])
        verb = "uppdaterad från" if self.mode == "into" else "importerad från"
        state = " (oförändrad: dokumentet säger samma sak som policyfilen)" if self.unchanged else ""
        out += [f"`{self.target}` {verb} `{self.source}`{state}.", "",
                f"Importerat: {c.headings} rubriker, {c.paragraphs} stycken, {c.list_items} listpunkter, "
                f"{c.tables} tabeller, {c.footnotes} fotnoter, {c.links} länkar.", ""]
        if self.metadata:
            out += ["## Metadata", "", "| nyckel | värde | hämtat från |", "| --- | --- | --- |"]
            out += [f"| {_cell(k)} | {_cell(v)} | {_cell(w)} |" for k, v, w in self.metadata] + [""]
        if self.headings:
            out += ["## Rubriker", "", "| nivå | rubrik | id | varför |", "| --- | --- | --- | --- |"]
            out += [f"| {'#' * lvl} | {_cell(t)} | `{i}` | {_cell(e)} |" for lvl, t, i, e in self.headings] + [""]
        out += self._list("Gissningar (kontrollera)", self.guesses)
        out += self._list("Förluster (finns i Word-filen men inte i policyn)", self.losses)
        if self.comments:
            out += ["## Kommentarer i Word-filen (inte med i policytexten)", "",
                    "| författare | datum | vid | kommentar |", "| --- | --- | --- | --- |"]
            out += [f"| {_cell(cm.author)} | {cm.date} | {_cell(w)} | {_cell(cm.text)} |" for cm, w in self.comments]
            out.append("")
        out += self._list("Spårade ändringar", self.changes)
        if self.unmapped:
            out += ["## Övriga uppgifter i dokumentet (ingen nyckel i front matter)", "",
                    "| uppgift | värde | var |", "| --- | --- | --- |"]
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
        c = self.counts
        lines = [f"{self.source} → {self.target}"
                 + (" (oförändrad)" if self.unchanged else ""),
                 f"  {c.headings} rubriker, {c.paragraphs} stycken, {c.list_items} listpunkter, {c.tables} tabeller, "
                 f"{c.footnotes} fotnoter"]
        for title, entries in (("gissning", self.guesses), ("förlust", self.losses)):
            for e in entries:
                lines.append(f"  {title}: {e.line()}")
        for cm, where in self.comments:
            lines.append(f"  kommentar: {cm.author} {cm.date} vid {where}: {cm.text}")
        if self.changes:
            lines.append(f"  spårade ändringar: {len(self.changes)}")
        return "\n".join(lines)


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")


def _md(text: str) -> str:
    return text.replace("<", "&lt;")
