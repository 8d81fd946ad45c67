"""Generated edits of the seed policy, for property tests of the diff and the redlines.

The seed is held as sections of paragraphs (str) and bullet lists (list[str]) and written back
as Markdown, so every generated version is a valid policy: sections are deleted and moved with
their subsections, so heading levels never jump.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from styrdok import pandoc, source
from styrdok.model import Policy

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "social-ekonomi.md"  # the 2018 draft, pending
WORD = re.compile(r"^[a-zåäöé]{2,}$")
NOTE = re.compile(r"\[\^([a-z]+)\]$")  # a footnote cited at the end of a paragraph

class Numbered(list):  # type: ignore[type-arg]
    """A numbered list's items (written as "1. …")."""


Block = str | list[str]


@dataclass
class Sec:
    level: int
    title: str
    id: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Doc:
    head: str  # the front matter, '---' lines included
    sections: list[Sec]
    notes: dict[str, str] = field(default_factory=dict)  # footnotes by label, defined at the end in this order

    def markdown(self) -> str:
        parts = [self.head]
        for s in self.sections:
            if s.level:
                parts.append(f"{'#' * s.level} {s.title} {{#{s.id}}}")
            parts += [b if isinstance(b, str) else "\n".join(f"{f'{i}.' if isinstance(b, Numbered) else '-'} {item}"
                                                           for i, item in enumerate(b, 1)) for b in s.blocks]
        cited = {m.group(1) for s in self.sections for b in s.blocks if isinstance(b, str) and (m := NOTE.search(b))}
        parts += [f"[^{label}]: {text}" for label, text in self.notes.items() if label in cited]
        return "\n\n".join(parts) + "\n"

    def texts(self) -> list[tuple[list[Block], int, int | None]]:
        """Every paragraph and list item as (blocks, block index, item index or None)."""
        return [(s.blocks, i, j) for s in self.sections for i, b in enumerate(s.blocks)
                for j in ([None] if isinstance(b, str) else range(len(b)))]


@cache
def seed_doc() -> Doc:
    policy = source.load(SEED)
    text = SEED.read_text("utf-8")
    head = text[: text.index("\n---", 4) + 4]
    sections = [Sec(s.level, s.title, s.id, [[pandoc.stringify(item).strip() for item in b.ast["c"]]
                                             if b.kind == "BulletList" else b.text for b in s.blocks])
                for s in policy.sections]
    return Doc(head, sections)


@cache
def vocabulary() -> tuple[str, ...]:
    words = {w for w in SEED.read_text("utf-8").split() if WORD.match(w)}
    return tuple(sorted(words))


def load(doc: Doc, name: str = "social-ekonomi") -> Policy:
    return source.load(Path(f"{name}.md"), display=f"{name}.md", data=doc.markdown().encode("utf-8"))


# --- edits ---------------------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy], object]


def _words(draw: Draw, low: int, high: int) -> list[str]:
    return draw(st.lists(st.sampled_from(vocabulary()), min_size=low, max_size=high))  # type: ignore[return-value]


def _sentence(draw: Draw) -> str:
    words = _words(draw, 3, 9)
    return " ".join(words).capitalize() + "."


def _pick(draw: Draw, items: list) -> object:
    return items[draw(st.integers(0, len(items) - 1))]  # type: ignore[operator]


def _get(target: tuple[list[Block], int, int | None]) -> str:
    """The words of a paragraph or item (without the footnote it cites: edits keep it at the end)."""
    blocks, i, j = target
    text = blocks[i] if j is None else blocks[i][j]
    return NOTE.sub("", text)  # type: ignore[arg-type]


def _set(target: tuple[list[Block], int, int | None], text: str) -> None:
    blocks, i, j = target
    if j is None:
        blocks[i] = text + (m.group(0) if (m := NOTE.search(blocks[i])) else "")  # type: ignore[arg-type]
    else:
        blocks[i][j] = text  # type: ignore[index]


def edit_word(doc: Doc, draw: Draw) -> None:
    if not (texts := doc.texts()):
        return
    target = _pick(draw, texts)
    words = _get(target).split()  # type: ignore[arg-type]
    at = draw(st.integers(0, len(words) - 1))
    action = draw(st.sampled_from(["replace", "insert", "delete"]))
    if action == "replace":
        words[at] = _words(draw, 1, 1)[0]
    elif action == "insert":
        words.insert(at + 1, _words(draw, 1, 1)[0])
    elif len(words) > 1:
        del words[at]
    _set(target, " ".join(words))  # type: ignore[arg-type]


def edit_sentence(doc: Doc, draw: Draw) -> None:
    if not (texts := doc.texts()):
        return
    target = _pick(draw, texts)
    sentences = re.split(r"(?<=\.) ", _get(target))  # type: ignore[arg-type]
    at = draw(st.integers(0, len(sentences)))
    if draw(st.booleans()) or len(sentences) == 1:
        sentences.insert(at, _sentence(draw))
    else:
        del sentences[min(at, len(sentences) - 1)]
    _set(target, " ".join(sentences))  # type: ignore[arg-type]


def insert_paragraph(doc: Doc, draw: Draw) -> None:
    section = _pick(draw, doc.sections)
    section.blocks.insert(draw(st.integers(0, len(section.blocks))), _sentence(draw))  # type: ignore[union-attr]


def delete_block(doc: Doc, draw: Draw) -> None:
    if holders := [s for s in doc.sections if s.blocks]:
        section = _pick(draw, holders)
        del section.blocks[draw(st.integers(0, len(section.blocks) - 1))]  # type: ignore[union-attr]


def move_paragraph(doc: Doc, draw: Draw) -> None:
    if holders := [s for s in doc.sections if any(isinstance(b, str) for b in s.blocks)]:
        source_section = _pick(draw, holders)
        at = _pick(draw, [i for i, b in enumerate(source_section.blocks) if isinstance(b, str)])  # type: ignore[union-attr]
        block = source_section.blocks.pop(at)  # type: ignore[union-attr]
        target = _pick(draw, doc.sections)
        target.blocks.insert(draw(st.integers(0, len(target.blocks))), block)  # type: ignore[union-attr]


def insert_item(doc: Doc, draw: Draw) -> None:
    if lists := [b for s in doc.sections for b in s.blocks if isinstance(b, list)]:
        items = _pick(draw, lists)
        items.insert(draw(st.integers(0, len(items))), " ".join(_words(draw, 2, 8)))  # type: ignore[arg-type, union-attr]


def delete_item(doc: Doc, draw: Draw) -> None:
    if lists := [b for s in doc.sections for b in s.blocks if isinstance(b, list) and len(b) > 1]:
        items = _pick(draw, lists)
        del items[draw(st.integers(0, len(items) - 1))]  # type: ignore[arg-type, union-attr]


def _groups(doc: Doc) -> list[list[Sec]]:
    """The preamble, then each level-2 section with its subsections."""
    groups: list[list[Sec]] = []
    for s in doc.sections:
        if s.level <= 2 or not groups:
            groups.append([s])
        else:
            groups[-1].append(s)
    return groups


def delete_section(doc: Doc, draw: Draw) -> None:
    candidates = [g for g in _groups(doc) if g[0].level == 2] + [[s] for s in doc.sections if s.level == 3]
    if candidates:
        doomed = _pick(draw, candidates)
        doc.sections = [s for s in doc.sections if s not in doomed]  # type: ignore[operator]


def move_section(doc: Doc, draw: Draw) -> None:
    groups = _groups(doc)
    movable = [i for i, g in enumerate(groups) if g[0].level == 2]
    if len(movable) < 2:
        return
    group = groups.pop(_pick(draw, movable))  # type: ignore[arg-type]
    first = 1 if groups and groups[0][0].level == 0 else 0  # the preamble stays first
    groups.insert(draw(st.integers(first, len(groups))), group)  # type: ignore[arg-type]
    doc.sections = [s for g in groups for s in g]


def rename_section(doc: Doc, draw: Draw) -> None:
    if titled := [s for s in doc.sections if s.level]:
        section = _pick(draw, titled)
        section.title = " ".join(_words(draw, 1, 5)).capitalize()  # type: ignore[union-attr]


def edit_front_matter(doc: Doc, draw: Draw) -> None:
    if draw(st.booleans()):
        title = re.search(r"^title: (.*)$", doc.head, re.M).group(1)  # type: ignore[union-attr]
        words = title.split()
        words[draw(st.integers(0, len(words) - 1))] = _words(draw, 1, 1)[0]
        doc.head = doc.head.replace(f"title: {title}", f"title: {' '.join(words)}")
    else:  # the pending revision is decided
        doc.head = (doc.head.replace("status: draft", "status: adopted")
                    .replace("    pending: true\n    year: 2018", "    date: 2018-03-06\n    paragraph: 64"))


EDITS = (edit_word, edit_sentence, insert_paragraph, delete_block, move_paragraph, insert_item, delete_item,
         delete_section, move_section, rename_section, edit_front_matter)


def edited(draw: Draw, doc: Doc | None = None, max_edits: int = 8) -> tuple[Doc, list[str]]:
    """A copy of `doc` (default: the seed) with 1 … max_edits generated edits, and their names."""
    doc = copy.deepcopy(doc or seed_doc())
    edits = draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=max_edits))
    for edit in edits:  # type: ignore[union-attr]
        edit(doc, draw)
    return doc, [e.__name__ for e in edits]  # type: ignore[union-attr]


# --- compound edits: moved and edited -------------------------------------------------------

def _reword(draw: Draw, text: str) -> str:
    words = text.split()
    at = draw(st.integers(0, len(words) - 1))
    words[at] = _words(draw, 1, 1)[0]
    return " ".join(words)


def move_section_and_edit(doc: Doc, draw: Draw) -> None:
    """Move a section and, in the same revision, reword one of its texts and drop a list item."""
    before = [s.id for s in doc.sections]
    move_section(doc, draw)
    moved = [s for s in doc.sections if s.blocks and before.index(s.id) != [x.id for x in doc.sections].index(s.id)]
    if not moved:
        return
    section = _pick(draw, moved)
    targets = [(section.blocks, i, j) for i, b in enumerate(section.blocks)  # type: ignore[union-attr]
               for j in ([None] if isinstance(b, str) else range(len(b)))]
    target = _pick(draw, targets)
    _set(target, _reword(draw, _get(target)))  # type: ignore[arg-type]
    lists = [b for b in section.blocks if isinstance(b, list) and len(b) > 1]  # type: ignore[union-attr]
    if lists and draw(st.booleans()):
        items = _pick(draw, lists)
        del items[draw(st.integers(0, len(items) - 1))]  # type: ignore[arg-type, union-attr]


def move_paragraph_and_reword(doc: Doc, draw: Draw) -> None:
    holders = [s for s in doc.sections if any(isinstance(b, str) and len(b.split()) > 6 for b in s.blocks)]
    if not holders:
        return
    source_section = _pick(draw, holders)
    at = _pick(draw, [i for i, b in enumerate(source_section.blocks)  # type: ignore[union-attr]
                      if isinstance(b, str) and len(b.split()) > 6])
    block = source_section.blocks.pop(at)  # type: ignore[union-attr]
    target = _pick(draw, doc.sections)
    target.blocks.insert(draw(st.integers(0, len(target.blocks))), _reword(draw, block))  # type: ignore[union-attr, arg-type]


def swap_paragraphs(doc: Doc, draw: Draw) -> None:
    pairs = [(s, i) for s in doc.sections for i in range(len(s.blocks) - 1)
             if isinstance(s.blocks[i], str) and isinstance(s.blocks[i + 1], str)]
    if pairs:
        section, i = _pick(draw, pairs)  # type: ignore[misc]
        section.blocks[i], section.blocks[i + 1] = section.blocks[i + 1], section.blocks[i]


def reword_item(doc: Doc, draw: Draw) -> None:
    if lists := [b for s in doc.sections for b in s.blocks if isinstance(b, list)]:
        items = _pick(draw, lists)
        at = draw(st.integers(0, len(items) - 1))  # type: ignore[arg-type]
        items[at] = " ".join(_words(draw, 3, 8))  # type: ignore[index]


MOVES_AND_EDITS = (move_section_and_edit, move_paragraph_and_reword, swap_paragraphs, reword_item)


# --- numbered lists ---------------------------------------------------------------------------

@cache
def numbered_seed() -> Doc:
    """The seed with its goals ("Målsättning") as a numbered list."""
    doc = copy.deepcopy(seed_doc())
    section = next(s for s in doc.sections if s.id == "malsattning")
    section.blocks = [Numbered(b) if isinstance(b, list) else b for b in section.blocks]
    return doc


def _numbered(doc: Doc) -> list[Numbered]:
    return [b for s in doc.sections for b in s.blocks if isinstance(b, Numbered)]


def reword_numbered_item(doc: Doc, draw: Draw) -> None:
    """Reword one item of a numbered list (a word replaced, as people do)."""
    items = _pick(draw, _numbered(doc))
    at = draw(st.integers(0, len(items) - 1))  # type: ignore[arg-type]
    items[at] = _reword(draw, items[at])  # type: ignore[index]


def insert_numbered_item(doc: Doc, draw: Draw) -> None:
    items = _pick(draw, _numbered(doc))
    items.insert(draw(st.integers(0, len(items))), " ".join(_words(draw, 3, 8)))  # type: ignore[arg-type, union-attr]


def delete_numbered_item(doc: Doc, draw: Draw) -> None:
    if lists := [b for b in _numbered(doc) if len(b) > 1]:
        items = _pick(draw, lists)
        del items[draw(st.integers(0, len(items) - 1))]  # type: ignore[arg-type, union-attr]


NUMBERED_EDITS = (reword_numbered_item, insert_numbered_item, delete_numbered_item)


# --- footnotes ------------------------------------------------------------------------------

FOOTNOTES = {"lag": ("samfundheter och byalag.", "Se lagen (1987:667) om ekonomiska föreningar."),
             "plan": ("och nå kommunens verksamhetsmål.", "Se kommunens styrdokumentsplan.")}


@cache
def footnoted_seed() -> Doc:
    """The seed with two footnotes, cited at the end of paragraphs and defined at the end."""
    doc = copy.deepcopy(seed_doc())
    for label, (end, text) in FOOTNOTES.items():
        blocks, i, _ = next(t for t in doc.texts() if t[2] is None and _get(t).endswith(end))
        blocks[i] += f"[^{label}]"  # type: ignore[operator]
        doc.notes[label] = text
    return doc
