"""Reference numbers for a consultation: every heading, paragraph and list item gets one.

The numbers follow the heading structure and the order of the text, so the remissversion and
the response form, built from the same list, always agree. The preamble counts as section 1 and
each `##` section takes the next whole number. Inside a section, its paragraphs, its list items
and its `###` subsections share one counter (2.1, 2.2, …); a subsection numbers its own text one
level down (2.3.1, …). List items are numbered like paragraphs, because a consultation body
typically comments on one point of a list, not the list as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import pandoc
from ..model import Block, Policy

EXCERPT_WORDS = 8
UNNUMBERED = frozenset({"HorizontalRule", "Null"})


@dataclass(frozen=True)
class RefNumber:
    """One numbered place in the text: a heading, a block, or an item of a list block."""

    number: str  # "2.3.1"
    section_id: str
    block: int | None  # index into Section.blocks; None for the section's heading
    item: int | None  # index of the item in a list block; None for a whole block
    label: str  # the heading, or the first words of the text
    heading: bool = False

    @property
    def place(self) -> tuple[str, int | None, int | None]:
        return (self.section_id, self.block, self.item)


@dataclass
class _Open:
    """A section whose children are being counted."""

    level: int
    number: str
    children: int = 0

    def next_child(self) -> str:
        self.children += 1
        return f"{self.number}.{self.children}" if self.number else str(self.children)


def numbers(policy: Policy) -> list[RefNumber]:
    """Every numbered place of the policy, in reading order."""
    found: list[RefNumber] = []
    stack = [_Open(level=1, number="")]
    for section in policy.sections:
        level = max(section.level, 2)  # the preamble is a top-level section without a heading
        while stack[-1].level >= level:
            stack.pop()
        current = _Open(level, stack[-1].next_child())
        stack.append(current)
        if section.heading_ast is not None:
            found.append(RefNumber(current.number, section.id, None, None, section.title, heading=True))
        for index, block in enumerate(section.blocks):
            for item, text in parts(block):
                found.append(RefNumber(current.next_child(), section.id, index, item, excerpt(text)))
    return found


def parts(block: Block) -> list[tuple[int | None, str]]:
    """The numbered parts of a block: each item of a list, else the block itself (if it has text)."""
    if block.kind in pandoc.LISTS:
        return [(i, item_text(item)) for i, item in enumerate(pandoc.list_items(block.ast))]
    if block.kind in UNNUMBERED:
        return []
    if block.kind == "Table":  # stringify runs the cells together
        return [(None, "Tabell: " + " ".join(_paragraph_texts(block.ast)))]
    return [(None, block.text)]


def item_text(blocks: list[pandoc.Ast]) -> str:
    """A list item's text with the points of a nested list kept apart ("Stöd: – a – b"), since
    stringify would run them together into one sentence."""
    texts = []
    for block in blocks:
        if block.get("t") in pandoc.LISTS:
            texts += ["– " + item_text(item) for item in pandoc.list_items(block)]
        else:
            texts.append(pandoc.stringify(block))
    return " ".join(t for t in texts if t)


def _paragraph_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [pandoc.stringify(node)] if node.get("t") in ("Plain", "Para") else _paragraph_texts(node.get("c"))
    if isinstance(node, list):
        return [text for child in node for text in _paragraph_texts(child)]
    return []


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """The first words of a text, with an ellipsis if there is more."""
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")
