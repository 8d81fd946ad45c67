"""Writing the policy file: front matter in the order and form of the source format, the text
as policy Markdown (pandoc's writer for the dialect styrdok reads: `## Rubrik {#id}`, `- punkt`,
one line per paragraph)."""

from __future__ import annotations

import json
import re
from typing import Any

from .. import pandoc
from ..model import Decision

PLAIN = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü0-9][^:#\[\]{}&*!|>'\"%@`,?]*$")
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}
SEPARATOR = "STYRDOKBLOCKGRANS"


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (PLAIN.match(text) and text.lower() not in RESERVED and not re.fullmatch(r"[\d.eE+-]+", text)
            and text == text.strip() and ": " not in text and " #" not in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def front_matter(meta: dict[str, Any]) -> str:
    """The YAML block between '---' lines, keys in the README's order, lists indented as the seed's."""
    lines = ["---"]
    for key in ("id", "title", "type", "owner", "coordinator", "review", "responsible", "contact", "valid_from",
                "status"):
        if meta.get(key) is not None:
            lines.append(f"{key}: {scalar(meta[key])}")
    lines.append("decisions:")
    for d in meta["decisions"]:
        lines += decision_lines(d)
    if meta.get("keywords"):
        lines.append("keywords:")
        lines += [f"  - {scalar(k)}" for k in meta["keywords"]]
    lines.append("---")
    return "\n".join(lines) + "\n"


def decision_lines(d: Decision) -> list[str]:
    out = [f"  - action: {d.action.value}", f"    body: {scalar(d.body)}"]
    if d.pending:
        out.append("    pending: true")
        if d.year:
            out.append(f"    year: {d.year}")
    else:
        out += [f"    date: {d.date.isoformat()}", f"    paragraph: {d.paragraph}"]  # type: ignore[union-attr]
    if d.dnr:
        out.append(f"    dnr: {scalar(d.dnr)}")
    return out


def body(blocks: list[pandoc.Ast]) -> str:
    """The text of the policy, ending in one newline."""
    if not blocks:
        return ""
    return pandoc.write_markdown(blocks).rstrip("\n") + "\n"


def each_block(blocks: list[pandoc.Ast]) -> list[str]:
    """The Markdown of each block on its own (one pandoc call for all): footnotes stay with
    the block that cites them."""
    parts, defs = each_block_and_notes(blocks)
    return _attach_notes(parts, defs) if defs else parts


def each_block_and_notes(blocks: list[pandoc.Ast]) -> tuple[list[str], dict[str, str]]:
    """The Markdown of each block on its own (one pandoc call for all), and the footnote
    definitions apart, by pandoc's label ("1", "2" … in the order the notes are cited)."""
    if not blocks:
        return [], {}
    separated: list[pandoc.Ast] = []
    for i, block in enumerate(blocks):
        if i:
            separated.append(pandoc.para([pandoc.text(f"{SEPARATOR}{i}")[0]]))
        separated.append(block)
    text = pandoc.write_markdown(separated)
    parts = re.split(rf"\n*^{SEPARATOR}\d+$\n*", text, flags=re.M)
    if len(parts) != len(blocks):  # a separator did not come back on a line of its own: one call per block
        out: list[str] = []
        defs: dict[str, str] = {}
        for b in blocks:
            part, notes = _footnotes(body([b]).rstrip("\n"))
            offset = len(defs)  # each call numbers its notes from 1: renumbered in document order
            out.append(re.sub(r"\[\^(\d+)\]", lambda m: f"[^{int(m.group(1)) + offset}]", part))
            for label, definition in notes.items():
                new = str(int(label) + offset)
                defs[new] = f"[^{new}]:" + definition[len(f"[^{label}]:"):]
        return [p.strip("\n") for p in out], defs
    parts[-1], at_end = _footnotes(parts[-1])
    return [p.strip("\n") for p in parts], at_end


def _footnotes(text: str) -> tuple[str, dict[str, str]]:
    defs: dict[str, str] = {}
    lines = text.rstrip("\n").split("\n")
    keep: list[str] = []
    current: str | None = None
    for line in lines:
        m = re.match(r"^\[\^([^\]]+)\]: ", line)
        if m:
            current = m.group(1)
            defs[current] = line
        elif current and (line.startswith("    ") or not line.strip()):
            defs[current] += "\n" + line
        else:
            current = None
            keep.append(line)
    return "\n".join(keep), {k: v.rstrip("\n") for k, v in defs.items()}


def _attach_notes(parts: list[str], defs: dict[str, str]) -> list[str]:
    out = []
    for part in parts:
        used = [k for k in defs if f"[^{k}]" in part]
        out.append(part + "".join(f"\n\n{defs[k]}" for k in used))
    return out
