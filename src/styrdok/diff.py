"""Diff stage: two versions of a policy → change records. Data only; renderers decide the look.

Sections are aligned by their stable heading id (a new title under the same id is a rename),
then blocks within a section, list items within a list, and words within a changed text.
Deleted and inserted sections or paragraphs that reappear elsewhere are reported as moves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from enum import Enum
from functools import lru_cache
from typing import Any

from diff_match_patch import diff_match_patch

from . import pandoc, words
from .model import Block, Decision, Metadata, Policy, Section
from .words import Token

PAIR_SIMILARITY = 0.5  # a rewritten paragraph at least this similar is shown as changed, not replaced
MOVE_SIMILARITY = 0.9  # a deleted and an inserted paragraph this similar are one moved paragraph
MOVE_MIN_WORDS = 3  # shorter texts recur by chance ("Ansvar"); they are not reported as moves
RENAME_SIMILARITY = 0.8  # a section under a new id with this similar a body is a renamed section
TEXT_BLOCKS = ("Para", "Plain")


class Op(str, Enum):
    """What a run of words does: kept, inserted or deleted."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class Kind(str, Enum):
    """What happened to a section, block, list item or decision."""

    EQUAL = "equal"
    INSERTED = "inserted"
    DELETED = "deleted"
    CHANGED = "changed"
    MOVED_FROM = "moved-from"  # the old place of moved text
    MOVED_TO = "moved-to"  # the new place; may carry changes made to it as well


@dataclass(frozen=True)
class Run:
    """Consecutive tokens with the same fate."""

    op: Op
    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return words.plain(self.tokens)

    @property
    def words(self) -> int:
        return words.count_words(self.tokens)


@dataclass(frozen=True)
class TextDiff:
    """A word-level diff of one text: a paragraph, list item, heading or title line."""

    runs: tuple[Run, ...]

    @property
    def changed(self) -> bool:
        return any(run.op is not Op.EQUAL for run in self.runs)

    @property
    def inserted(self) -> int:
        return sum(run.words for run in self.runs if run.op is Op.INSERT)

    @property
    def deleted(self) -> int:
        return sum(run.words for run in self.runs if run.op is Op.DELETE)

    def side(self, new: bool) -> tuple[Token, ...]:
        """The tokens of the new (or old) text."""
        drop = Op.DELETE if new else Op.INSERT
        return tuple(tok for run in self.runs if run.op is not drop for tok in run.tokens)


@dataclass(frozen=True)
class PartChange:
    """One list item or title line: kept, inserted, deleted or changed.

    `old` and `new` index it in the old and the new sequence. A changed line, or list item
    that is one paragraph, carries its word diff; any other changed item the changes of its
    blocks (a nested list, say).
    """

    kind: Kind
    old: int | None
    new: int | None
    words: TextDiff | None = None
    blocks: tuple[BlockChange, ...] = ()


@dataclass(frozen=True)
class InnerChange:
    """The changes of the blocks held at `path` in a container's pandoc AST (a table cell,
    the body of a block quote …)."""

    path: tuple[str | int, ...]
    blocks: tuple[BlockChange, ...]


@dataclass(frozen=True)
class BlockChange:
    """One block (paragraph, list, table …) of a section.

    A changed paragraph carries its word diff, a changed list its item changes, a changed
    container of the same structure (table, block quote) the changes inside it. Moved blocks
    come in pairs sharing `move`; the MOVED_TO half carries what was edited as well.
    """

    kind: Kind
    old: Block | None
    new: Block | None
    words: TextDiff | None = None
    items: tuple[PartChange, ...] = ()
    inner: tuple[InnerChange, ...] = ()
    move: int | None = None

    @property
    def inserted_words(self) -> int:
        return _counted(self, inserted=True)

    @property
    def deleted_words(self) -> int:
        return _counted(self, inserted=False)


@dataclass(frozen=True)
class SectionChange:
    """One section: heading (level 0 and no title for the preamble) and its blocks.

    For MOVED_FROM the old text is gone from here as a whole (`blocks` is empty); the MOVED_TO
    half, sharing `move`, carries what changed between the two.
    """

    kind: Kind
    old: Section | None
    new: Section | None
    title: TextDiff | None = None
    blocks: tuple[BlockChange, ...] = ()
    move: int | None = None

    @property
    def id(self) -> str:
        return (self.new or self.old).id  # type: ignore[union-attr]

    @property
    def renamed(self) -> bool:
        return bool(self.old and self.new and self.kind is not Kind.MOVED_FROM and self.old.title != self.new.title)

    @property
    def level_changed(self) -> bool:
        return bool(self.old and self.new and self.old.level != self.new.level)

    @property
    def inserted_words(self) -> int:
        if self.kind is Kind.MOVED_FROM:
            return 0
        return (self.title.inserted if self.title else 0) + sum(b.inserted_words for b in self.blocks)

    @property
    def deleted_words(self) -> int:
        if self.kind is Kind.MOVED_FROM:
            return 0
        return (self.title.deleted if self.title else 0) + sum(b.deleted_words for b in self.blocks)


@dataclass(frozen=True)
class FieldChange:
    """A changed front-matter value (title, type, owner, status …), as text."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DecisionChange:
    """A decision added, removed or changed (a pending decision taken, a corrected §)."""

    kind: Kind
    old: Decision | None
    new: Decision | None


@dataclass(frozen=True)
class Counts:
    sections_inserted: int = 0
    sections_deleted: int = 0
    sections_moved: int = 0
    sections_renamed: int = 0
    sections_changed: int = 0
    words_inserted: int = 0
    words_deleted: int = 0


@dataclass(frozen=True)
class PolicyDiff:
    """Everything that differs between two versions of a policy; sections in reading order
    (new order, with deleted and moved-away sections where they stood)."""

    old: Policy = field(repr=False)
    new: Policy = field(repr=False)
    fields: tuple[FieldChange, ...]
    decisions: tuple[DecisionChange, ...]
    sections: tuple[SectionChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.decisions or any(s.kind is not Kind.EQUAL for s in self.sections))

    def counts(self) -> Counts:
        kinds = [s.kind for s in self.sections]
        return Counts(
            sections_inserted=kinds.count(Kind.INSERTED), sections_deleted=kinds.count(Kind.DELETED),
            sections_moved=kinds.count(Kind.MOVED_TO),
            sections_renamed=sum(s.renamed for s in self.sections),
            sections_changed=sum(s.kind is Kind.CHANGED and any(b.kind is not Kind.EQUAL for b in s.blocks)
                                 for s in self.sections),
            words_inserted=sum(s.inserted_words for s in self.sections),
            words_deleted=sum(s.deleted_words for s in self.sections))


# --- words ---------------------------------------------------------------------------------

def diff_tokens(old: Sequence[Token], new: Sequence[Token]) -> TextDiff:
    """Word-level diff with diff-match-patch: each distinct token is mapped to one character
    (its linesToChars trick, on words), so an edited word marks that word, not its paragraph."""
    if tuple(old) == tuple(new):
        return TextDiff((Run(Op.EQUAL, tuple(old)),) if old else ())
    chars: dict[Token, str] = {}
    for tok in (*old, *new):
        chars.setdefault(tok, _char(len(chars)))
    tokens_of = {ch: tok for tok, ch in chars.items()}
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no time limit: the same input always gives the same diff
    diffs = dmp.diff_main("".join(chars[t] for t in old), "".join(chars[t] for t in new), False)
    dmp.diff_cleanupSemantic(diffs)
    ops = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
    return TextDiff(tuple(Run(ops[op], tuple(tokens_of[ch] for ch in text)) for op, text in diffs if text))


def diff_text(old: str, new: str) -> TextDiff:
    return diff_tokens(words.text_tokens(old), words.text_tokens(new))


def diff_lines(old: Sequence[str], new: Sequence[str]) -> tuple[PartChange, ...]:
    """Lines (decision lines, say) aligned, with a word diff of each changed one."""
    def pair(i: int, j: int) -> PartChange:
        text = diff_text(old[i], new[j])
        return PartChange(Kind.CHANGED if text.changed else Kind.EQUAL, i, j, text if text.changed else None)

    return _parts([" ".join(x.split()) for x in old], [" ".join(x.split()) for x in new], old, new, pair)


def _char(n: int) -> str:
    code = 0x100 + n  # above ASCII and Latin-1, and clear of the surrogates
    return chr(code if code < 0xD800 else code + 0x800)


# --- alignment -----------------------------------------------------------------------------

Pair = tuple[int | None, int | None]


def _align(old: Sequence[Any], new: Sequence[Any], similar: Callable[[int, int], float], threshold: float) -> list[Pair]:
    """The merged order of two sequences of keys: equal keys pair up; in a replaced stretch,
    elements at least `threshold` similar pair up in order; the rest stand alone."""
    out: list[Pair] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            out.extend(_pair_stretch(range(i1, i2), range(j1, j2), similar, threshold))
    return out


def _pair_stretch(olds: range, news: range, similar: Callable[[int, int], float], threshold: float) -> list[Pair]:
    scored = sorted(((score, i, j) for i in olds for j in news if (score := similar(i, j)) >= threshold),
                    key=lambda s: (-s[0], s[1], s[2]))
    pairs: list[tuple[int, int]] = []
    for _, i, j in scored:  # best first, never crossing an accepted pair
        if all((i - pi) * (j - pj) > 0 for pi, pj in pairs):
            pairs.append((i, j))
    out: list[Pair] = []
    i, j = olds.start, news.start
    for pi, pj in sorted(pairs):
        out += [(k, None) for k in range(i, pi)] + [(None, k) for k in range(j, pj)] + [(pi, pj)]
        i, j = pi + 1, pj + 1
    return out + [(k, None) for k in range(i, olds.stop)] + [(None, k) for k in range(j, news.stop)]


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two texts are, word by word (0 … 1); 0 when surely below `floor`."""
    wa, wb = _split_words(a), _split_words(b)
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


@lru_cache(maxsize=8192)
def _split_words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- blocks and list items -----------------------------------------------------------------

def _key(ast: Any) -> str:
    """The AST as text, soft breaks as spaces: re-wrapped source lines are no change."""
    return json.dumps(ast, ensure_ascii=False, sort_keys=True).replace('{"t": "SoftBreak"}', '{"t": "Space"}')


BLOCK_TYPES = frozenset({"Para", "Plain", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList",
                         "BulletList", "DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"})


def _block(ast: pandoc.Ast) -> Block:
    """A nested block (in a list item, a table cell …) as the model has top-level ones."""
    items = tuple(pandoc.plain_text(item) for item in ast["c"]) if ast["t"] == "BulletList" else ()
    return Block(kind=ast["t"], text=pandoc.plain_text(ast), line=0, ast=ast, items=items)


def _text_inlines(blocks: list[pandoc.Ast]) -> list[pandoc.Ast] | None:
    """The inlines of a lone paragraph (a list item's content, say), else None."""
    return blocks[0]["c"] if len(blocks) == 1 and blocks[0]["t"] in TEXT_BLOCKS else None


def _family(block: Block) -> str:
    return "text" if block.kind in TEXT_BLOCKS else block.kind


def _is_blocks(value: Any) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, dict) and v.get("t") in BLOCK_TYPES for v in value))


def skeleton(a: Any, b: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], list, list]] | None:
    """Where two containers of the same structure hold blocks: [(path, old blocks, new blocks)];
    None when anything else in them (rows, columns, attributes) differs."""
    if _is_blocks(a) or _is_blocks(b):
        return [(path, a, b)] if isinstance(a, list) and isinstance(b, list) else None
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return None
        found = [skeleton(a[k], b[k], path + (k,)) for k in a]
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return None
        found = [skeleton(x, y, path + (i,)) for i, (x, y) in enumerate(zip(a, b))]
    else:
        return [] if a == b else None
    return None if any(f is None for f in found) else [pair for f in found for pair in f]  # type: ignore[union-attr]


def _parts(keys_old: Sequence[str], keys_new: Sequence[str], texts_old: Sequence[str], texts_new: Sequence[str],
           pair: Callable[[int, int], PartChange]) -> tuple[PartChange, ...]:
    """Aligned parts (list items, lines): equal, inserted, deleted, or `pair`ed when similar."""
    def similar(i: int, j: int) -> float:
        return similarity(texts_old[i], texts_new[j], PAIR_SIMILARITY)

    out: list[PartChange] = []
    for i, j in _align(keys_old, keys_new, similar, PAIR_SIMILARITY):
        if i is None:
            out.append(PartChange(Kind.INSERTED, None, j))
        elif j is None:
            out.append(PartChange(Kind.DELETED, i, None))
        else:
            out.append(PartChange(Kind.EQUAL, i, j) if keys_old[i] == keys_new[j] else pair(i, j))
    return tuple(out)


def _diff_items(old: list[list[pandoc.Ast]], new: list[list[pandoc.Ast]]) -> tuple[PartChange, ...]:
    def pair(i: int, j: int) -> PartChange:
        a, b = _text_inlines(old[i]), _text_inlines(new[j])
        if a is not None and b is not None:
            text = diff_tokens(words.tokens(a), words.tokens(b))
            return PartChange(Kind.CHANGED if text.changed else Kind.EQUAL, i, j, text if text.changed else None)
        blocks = tuple(_diff_blocks([_block(x) for x in old[i]], [_block(x) for x in new[j]]))
        changed = any(c.kind is not Kind.EQUAL for c in blocks)
        return PartChange(Kind.CHANGED if changed else Kind.EQUAL, i, j, blocks=blocks if changed else ())

    return _parts([_key(x) for x in old], [_key(x) for x in new], [pandoc.plain_text(x) for x in old],
                  [pandoc.plain_text(x) for x in new], pair)


def _diff_block(old: Block, new: Block) -> BlockChange:
    """Two paired blocks of one family: a paragraph's word diff, a list's item changes, or the
    changes inside a container."""
    if _family(old) == "text":
        text = diff_tokens(words.tokens(old.ast["c"]), words.tokens(new.ast["c"]))
        return BlockChange(Kind.CHANGED if text.changed else Kind.EQUAL, old, new, words=text if text.changed else None)
    if old.kind in pandoc.LISTS:
        items = _diff_items(pandoc.list_items(old.ast), pandoc.list_items(new.ast))
        changed = any(p.kind is not Kind.EQUAL for p in items)
        return BlockChange(Kind.CHANGED if changed else Kind.EQUAL, old, new, items=items if changed else ())
    inner = [InnerChange(path, tuple(_diff_blocks([_block(x) for x in a], [_block(x) for x in b])))
             for path, a, b in skeleton(old.ast, new.ast) or ()]
    changed_inner = tuple(i for i in inner if any(c.kind is not Kind.EQUAL for c in i.blocks))
    return BlockChange(Kind.CHANGED if changed_inner else Kind.EQUAL, old, new, inner=changed_inner)


def _pairable(a: Block, b: Block) -> float:
    """How strongly two blocks in a replaced stretch want to be shown as one changed block."""
    if _family(a) != _family(b):
        return 0.0
    if _family(a) == "text":
        return similarity(a.text, b.text, PAIR_SIMILARITY)
    if a.kind in pandoc.LISTS:
        return similarity(pandoc.plain_text(a.ast), pandoc.plain_text(b.ast), PAIR_SIMILARITY)
    if skeleton(a.ast, b.ast) is None:
        return 0.0
    # same structure: always diffed inside
    return PAIR_SIMILARITY + similarity(pandoc.plain_text(a.ast), pandoc.plain_text(b.ast)) / 2


def _diff_blocks(old: Sequence[Block], new: Sequence[Block]) -> list[BlockChange]:
    keys_old, keys_new = [_key(b.ast) for b in old], [_key(b.ast) for b in new]
    out: list[BlockChange] = []
    for i, j in _align(keys_old, keys_new, lambda i, j: _pairable(old[i], new[j]), PAIR_SIMILARITY):
        if i is None:
            out.append(BlockChange(Kind.INSERTED, None, new[j]))  # type: ignore[index]
        elif j is None:
            out.append(BlockChange(Kind.DELETED, old[i], None))
        elif keys_old[i] == keys_new[j]:
            out.append(BlockChange(Kind.EQUAL, old[i], new[j]))
        else:
            out.append(_diff_block(old[i], new[j]))
    return out


def _counted(change: BlockChange, *, inserted: bool) -> int:
    whole = Kind.INSERTED if inserted else Kind.DELETED
    block = change.new if inserted else change.old
    if change.kind is whole:
        return words.count_text(pandoc.plain_text(block.ast))  # type: ignore[union-attr]
    if change.words is not None and change.kind in (Kind.CHANGED, Kind.MOVED_TO):
        return change.words.inserted if inserted else change.words.deleted
    total = sum(_counted(b, inserted=inserted) for inner in change.inner for b in inner.blocks)
    for item in change.items:
        if item.words is not None:
            total += item.words.inserted if inserted else item.words.deleted
        total += sum(_counted(b, inserted=inserted) for b in item.blocks)
        if item.kind is whole and block is not None:
            item_blocks = pandoc.list_items(block.ast)[item.new if inserted else item.old]  # type: ignore[index]
            total += words.count_text(pandoc.plain_text(item_blocks))
    return total


# --- sections ------------------------------------------------------------------------------

def _heading_tokens(section: Section) -> tuple[Token, ...]:
    return words.tokens(section.heading_ast["c"][2]) if section.heading_ast is not None else ()


def _body_text(section: Section) -> str:
    return " ".join(block.text for block in section.blocks)


def _diff_section(old: Section, new: Section, kind: Kind = Kind.CHANGED) -> SectionChange:
    title = diff_tokens(_heading_tokens(old), _heading_tokens(new))
    blocks = tuple(_diff_blocks(old.blocks, new.blocks))
    same = not title.changed and old.level == new.level and all(b.kind is Kind.EQUAL for b in blocks)
    return SectionChange(Kind.EQUAL if same and kind is Kind.CHANGED else kind, old, new, title, blocks)


def _renames(old: Sequence[Section], new: Sequence[Section]) -> dict[str, str]:
    """Sections whose id changed but whose text did not (much): old id → new id."""
    new_ids = {s.id for s in new}
    old_ids = {s.id for s in old}
    lone_old = [s for s in old if s.id not in new_ids and s.blocks]
    lone_new = [s for s in new if s.id not in old_ids and s.blocks]
    scored = sorted(((similarity(_body_text(a), _body_text(b), RENAME_SIMILARITY), a.id, b.id)
                     for a in lone_old for b in lone_new if a.level == b.level), reverse=True)
    renames: dict[str, str] = {}
    for score, a, b in scored:
        if score >= RENAME_SIMILARITY and a not in renames and b not in renames.values():
            renames[a] = b
    return renames


def _diff_sections(old: Sequence[Section], new: Sequence[Section]) -> list[SectionChange]:
    renames = _renames(old, new)
    keys_old = [renames.get(s.id, s.id) for s in old]
    keys_new = [s.id for s in new]
    old_by_key = dict(zip(keys_old, old))
    new_by_key = dict(zip(keys_new, new))
    out: list[SectionChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_old, keys_new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [_diff_section(old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        for section, key in zip(old[i1:i2], keys_old[i1:i2]):
            if key in new_by_key:
                out.append(SectionChange(Kind.MOVED_FROM, section, new_by_key[key]))
            else:
                out.append(SectionChange(Kind.DELETED, section, None, None,
                                         tuple(BlockChange(Kind.DELETED, b, None) for b in section.blocks)))
        for section, key in zip(new[j1:j2], keys_new[j1:j2]):
            if key in old_by_key:
                out.append(_diff_section(old_by_key[key], section, Kind.MOVED_TO))
            else:
                out.append(SectionChange(Kind.INSERTED, None, section, None,
                                         tuple(BlockChange(Kind.INSERTED, None, b) for b in section.blocks)))
    return _number_moves(_find_moved_blocks(out))


def _find_moved_blocks(sections: list[SectionChange]) -> list[SectionChange]:
    """Deleted and inserted blocks that are (nearly) the same text become a MOVED_FROM/MOVED_TO pair."""
    spots = [(si, bi, b) for si, s in enumerate(sections) if s.kind not in (Kind.MOVED_FROM, Kind.MOVED_TO)
             for bi, b in enumerate(s.blocks)]
    gone = [(si, bi, b.old) for si, bi, b in spots
            if b.kind is Kind.DELETED and b.old is not None and words.count_text(b.old.text) >= MOVE_MIN_WORDS]
    came = [(si, bi, b.new) for si, bi, b in spots
            if b.kind is Kind.INSERTED and b.new is not None and words.count_text(b.new.text) >= MOVE_MIN_WORDS]
    scored = sorted(((similarity(a.text, b.text, MOVE_SIMILARITY), g, c)
                     for g, (_, _, a) in enumerate(gone) for c, (_, _, b) in enumerate(came)
                     if _family(a) == _family(b)), key=lambda s: (-s[0], s[1], s[2]))
    blocks = [list(s.blocks) for s in sections]
    used_gone: set[int] = set()
    used_came: set[int] = set()
    for score, g, c in scored:
        if score < MOVE_SIMILARITY or g in used_gone or c in used_came:
            continue
        used_gone.add(g)
        used_came.add(c)
        (gs, gb, old), (cs, cb, new) = gone[g], came[c]
        edited = _diff_block(old, new)
        blocks[gs][gb] = BlockChange(Kind.MOVED_FROM, old, new, move=g)  # provisional number
        blocks[cs][cb] = replace(edited, kind=Kind.MOVED_TO, move=g)
    return [replace(s, blocks=tuple(b)) for s, b in zip(sections, blocks)]


def _number_moves(sections: list[SectionChange]) -> list[SectionChange]:
    """Number the moves in reading order; both halves of a move share its number."""
    numbers: dict[tuple[str, object], int] = {}

    def number(key: tuple[str, object]) -> int:
        return numbers.setdefault(key, len(numbers) + 1)

    out: list[SectionChange] = []
    for s in sections:
        if s.kind in (Kind.MOVED_FROM, Kind.MOVED_TO):
            s = replace(s, move=number(("section", s.id)))
        blocks = tuple(replace(b, move=number(("block", b.move))) if b.move is not None else b for b in s.blocks)
        out.append(replace(s, blocks=blocks))
    return out


# --- front matter --------------------------------------------------------------------------

FIELDS = ("id", "title", "type", "owner", "coordinator", "review", "status", "keywords")


def _field_text(meta: Metadata, name: str) -> str | None:
    value = getattr(meta, name)
    if isinstance(value, tuple):
        return ", ".join(value) or None
    if isinstance(value, Enum):
        return value.value
    return value


def _diff_decisions(old: Sequence[Decision], new: Sequence[Decision]) -> tuple[DecisionChange, ...]:
    """Decisions are a history, oldest first: compared position by position."""
    out = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a != b:
            kind = Kind.INSERTED if a is None else Kind.DELETED if b is None else Kind.CHANGED
            out.append(DecisionChange(kind, a, b))
    return tuple(out)


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """The diff of two versions of a policy."""
    fields = tuple(FieldChange(name, a, b) for name in FIELDS
                   if (a := _field_text(old.meta, name)) != (b := _field_text(new.meta, name)))
    return PolicyDiff(old, new, fields, _diff_decisions(old.meta.decisions, new.meta.decisions),
                      tuple(_diff_sections(old.sections, new.sections)))
