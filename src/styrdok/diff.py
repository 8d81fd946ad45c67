"""Diff stage: two versions of a policy → change records. Data only; renderers decide the look.

Sections are aligned by their stable heading id (a new title under the same id is a rename),
then blocks within a section, list items within a list, and words within a changed text.
Deleted and inserted sections or paragraphs that reappear elsewhere are reported as moves.

Every change is one class per kind — kept, inserted, deleted, changed, moved away, moved
here — holding exactly what that kind has (an inserted block has no old block), so the type
checker proves the renderers. Word counts are computed once, when a change is made.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from enum import Enum
from functools import lru_cache
from typing import Any, ClassVar, Protocol, Union

from diff_match_patch import diff_match_patch

from . import pandoc, words
from .model import Block, Decision, Metadata, Policy, Section
from .words import Token

PAIR_SIMILARITY = 0.5  # a rewritten paragraph at least this similar is shown as changed, not replaced
# A deleted and an inserted paragraph are one moved (and perhaps edited) paragraph when most of
# it survives: at least this share of their words in common, in order (difflib's ratio,
# 2·common / (old + new words)). 0.6 keeps a moved paragraph with a reworded sentence a move.
MOVE_SIMILARITY = 0.6
MOVE_MIN_WORDS = 3  # shorter texts recur by chance ("Ansvar"); they are not reported as moves
RENAME_SIMILARITY = 0.8  # a section under a new id with this similar a body is a renamed section
TEXT_BLOCKS = ("Para", "Plain")


class Op(str, Enum):
    """What a run of words does: kept, inserted or deleted."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class Kind(str, Enum):
    """What happened to a section, block, list item or decision (each change class has one)."""

    EQUAL = "equal"
    INSERTED = "inserted"
    DELETED = "deleted"
    CHANGED = "changed"
    MOVED_FROM = "moved-from"  # the old place of moved text
    MOVED_TO = "moved-to"  # the new place; carries the edits made to it as well


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


class _Counted(Protocol):
    @property
    def inserted(self) -> int: ...

    @property
    def deleted(self) -> int: ...


def _count(change: object, parts: Sequence[_Counted]) -> None:
    """Set a change's word counts, once, when it is made (changes are frozen): the sums of its parts'."""
    object.__setattr__(change, "inserted", sum(part.inserted for part in parts))
    object.__setattr__(change, "deleted", sum(part.deleted for part in parts))


@dataclass(frozen=True)
class TextDiff:
    """A word-level diff of one text: a paragraph, list item, heading or title line."""

    runs: tuple[Run, ...]
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inserted", sum(r.words for r in self.runs if r.op is Op.INSERT))
        object.__setattr__(self, "deleted", sum(r.words for r in self.runs if r.op is Op.DELETE))

    @property
    def changed(self) -> bool:
        return any(run.op is not Op.EQUAL for run in self.runs)

    def side(self, new: bool) -> tuple[Token, ...]:
        """The tokens of the new (or old) text."""
        drop = Op.DELETE if new else Op.INSERT
        return tuple(tok for run in self.runs if run.op is not drop for tok in run.tokens)


# --- parts: list items and title lines, indexed in the old and the new sequence -----------------

@dataclass(frozen=True)
class PartKept:
    kind: ClassVar[Kind] = Kind.EQUAL
    inserted: ClassVar[int] = 0
    deleted: ClassVar[int] = 0
    old: int
    new: int


@dataclass(frozen=True)
class PartInserted:
    kind: ClassVar[Kind] = Kind.INSERTED
    deleted: ClassVar[int] = 0
    new: int
    inserted: int  # words


@dataclass(frozen=True)
class PartDeleted:
    kind: ClassVar[Kind] = Kind.DELETED
    inserted: ClassVar[int] = 0
    old: int
    deleted: int  # words


@dataclass(frozen=True)
class Blocks:
    """The changes of a sequence of blocks: a list item of several paragraphs, a table cell …"""

    blocks: tuple[BlockChange, ...]
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, self.blocks)


@dataclass(frozen=True)
class PartChanged:
    """A changed line or list item: a word diff when it is one paragraph, else its blocks'."""

    kind: ClassVar[Kind] = Kind.CHANGED
    old: int
    new: int
    edit: TextDiff | Blocks
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, (self.edit,))


PartChange = Union[PartKept, PartInserted, PartDeleted, PartChanged]


# --- blocks --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListEdit:
    """A changed list: its items aligned."""

    items: tuple[PartChange, ...]
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, self.items)


@dataclass(frozen=True)
class InnerChange:
    """The changes of the blocks held at `path` in a container's pandoc AST (a table cell,
    the body of a block quote …)."""

    path: tuple[str | int, ...]
    blocks: Blocks


@dataclass(frozen=True)
class InnerEdit:
    """A changed container of the same structure (table, block quote): the changes inside it."""

    inner: tuple[InnerChange, ...]
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, tuple(i.blocks for i in self.inner))


Edit = Union[TextDiff, ListEdit, InnerEdit]


@dataclass(frozen=True)
class BlockKept:
    kind: ClassVar[Kind] = Kind.EQUAL
    inserted: ClassVar[int] = 0
    deleted: ClassVar[int] = 0
    move: ClassVar[None] = None
    old: Block
    new: Block


@dataclass(frozen=True)
class BlockInserted:
    kind: ClassVar[Kind] = Kind.INSERTED
    deleted: ClassVar[int] = 0
    move: ClassVar[None] = None
    new: Block
    inserted: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inserted", words.count_text(pandoc.plain_text(self.new.ast)))


@dataclass(frozen=True)
class BlockDeleted:
    kind: ClassVar[Kind] = Kind.DELETED
    inserted: ClassVar[int] = 0
    move: ClassVar[None] = None
    old: Block
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "deleted", words.count_text(pandoc.plain_text(self.old.ast)))


@dataclass(frozen=True)
class BlockChanged:
    """Two paired blocks of one family and what changed between them."""

    kind: ClassVar[Kind] = Kind.CHANGED
    move: ClassVar[None] = None
    old: Block
    new: Block
    edit: Edit
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, (self.edit,))


@dataclass(frozen=True)
class BlockMovedFrom:
    """Where a moved block stood; it is gone from here. It carries the edit made on the way as
    its other half does, but its words count there."""

    kind: ClassVar[Kind] = Kind.MOVED_FROM
    inserted: ClassVar[int] = 0
    deleted: ClassVar[int] = 0
    old: Block
    new: Block
    move: int
    edit: Edit | None


@dataclass(frozen=True)
class BlockMovedTo:
    """Where a moved block stands now, with what was edited in it on the way (`edit`, or None)."""

    kind: ClassVar[Kind] = Kind.MOVED_TO
    old: Block
    new: Block
    move: int
    edit: Edit | None
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, (self.edit,) if self.edit else ())


BlockChange = Union[BlockKept, BlockInserted, BlockDeleted, BlockChanged, BlockMovedFrom, BlockMovedTo]
MOVED = (BlockMovedFrom, BlockMovedTo)


# --- sections ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SectionKept:
    kind: ClassVar[Kind] = Kind.EQUAL
    inserted: ClassVar[int] = 0
    deleted: ClassVar[int] = 0
    move: ClassVar[None] = None
    renamed: ClassVar[bool] = False
    level_changed: ClassVar[bool] = False
    old: Section
    new: Section

    @property
    def id(self) -> str:
        return self.new.id

    @property
    def shown(self) -> Section:
        return self.new

    @property
    def blocks(self) -> tuple[BlockKept, ...]:
        return tuple(BlockKept(a, b) for a, b in zip(self.old.blocks, self.new.blocks))


@dataclass(frozen=True)
class _OneSided:
    """A section in one version only, shown as it is there: its heading is not diffed, each block
    has its own fate (inserted or deleted, or moved)."""

    move: ClassVar[None] = None
    renamed: ClassVar[bool] = False
    level_changed: ClassVar[bool] = False
    shown: Section
    blocks: tuple[BlockChange, ...]
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, self.blocks)

    @property
    def id(self) -> str:
        return self.shown.id


@dataclass(frozen=True)
class SectionInserted(_OneSided):
    """A new section: its blocks are inserted (or moved here from elsewhere)."""

    kind: ClassVar[Kind] = Kind.INSERTED

    @classmethod
    def whole(cls, section: Section) -> SectionInserted:
        return cls(section, tuple(BlockInserted(b) for b in section.blocks))

    @property
    def new(self) -> Section:
        return self.shown


@dataclass(frozen=True)
class SectionDeleted(_OneSided):
    """A section gone: its blocks are deleted (or moved away)."""

    kind: ClassVar[Kind] = Kind.DELETED

    @classmethod
    def whole(cls, section: Section) -> SectionDeleted:
        return cls(section, tuple(BlockDeleted(b) for b in section.blocks))

    @property
    def old(self) -> Section:
        return self.shown


class _Paired:
    """What a section present in both versions can say about its heading."""

    old: Section
    new: Section

    @property
    def id(self) -> str:
        return self.new.id

    @property
    def renamed(self) -> bool:
        return self.old.title != self.new.title

    @property
    def level_changed(self) -> bool:
        return self.old.level != self.new.level


@dataclass(frozen=True)
class SectionChanged(_Paired):
    """A section in its place with a new heading or changed blocks."""

    kind: ClassVar[Kind] = Kind.CHANGED
    move: ClassVar[None] = None
    old: Section
    new: Section
    title: TextDiff
    blocks: tuple[BlockChange, ...]
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, (self.title, *self.blocks))

    @property
    def shown(self) -> Section:
        return self.new


@dataclass(frozen=True)
class SectionMovedFrom:
    """Where a moved section stood; its old text is gone from here as a whole."""

    kind: ClassVar[Kind] = Kind.MOVED_FROM
    inserted: ClassVar[int] = 0
    deleted: ClassVar[int] = 0
    renamed: ClassVar[bool] = False
    level_changed: ClassVar[bool] = False
    old: Section
    new: Section
    move: int

    @property
    def id(self) -> str:
        return self.old.id

    @property
    def shown(self) -> Section:
        return self.old

    @property
    def blocks(self) -> tuple[BlockChange, ...]:
        return ()


@dataclass(frozen=True)
class SectionMovedTo(_Paired):
    """Where a moved section stands now, with what changed in it (heading, blocks)."""

    kind: ClassVar[Kind] = Kind.MOVED_TO
    old: Section
    new: Section
    title: TextDiff
    blocks: tuple[BlockChange, ...]
    move: int
    inserted: int = field(init=False)
    deleted: int = field(init=False)

    def __post_init__(self) -> None:
        _count(self, (self.title, *self.blocks))

    @property
    def shown(self) -> Section:
        return self.new

    @property
    def edited(self) -> bool:
        return self.title.changed or any(b.kind is not Kind.EQUAL for b in self.blocks)


SectionChange = Union[SectionKept, SectionInserted, SectionDeleted, SectionChanged, SectionMovedFrom, SectionMovedTo]


@dataclass(frozen=True)
class FieldChange:
    """A changed front-matter value (title, type, owner, status …), as text."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DecisionInserted:
    kind: ClassVar[Kind] = Kind.INSERTED
    new: Decision


@dataclass(frozen=True)
class DecisionDeleted:
    kind: ClassVar[Kind] = Kind.DELETED
    old: Decision


@dataclass(frozen=True)
class DecisionChanged:
    """A decision changed in its place (a pending decision taken, a corrected §)."""

    kind: ClassVar[Kind] = Kind.CHANGED
    old: Decision
    new: Decision


DecisionChange = Union[DecisionInserted, DecisionDeleted, DecisionChanged]


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
            sections_changed=sum(isinstance(s, SectionChanged) and any(b.kind is not Kind.EQUAL for b in s.blocks)
                                 for s in self.sections),
            words_inserted=sum(s.inserted for s in self.sections),
            words_deleted=sum(s.deleted for s in self.sections))


# --- words ---------------------------------------------------------------------------------

def diff_tokens(old: Sequence[Token], new: Sequence[Token]) -> TextDiff:
    """Word-level diff with diff-match-patch: each distinct token is mapped to one character
    (its linesToChars trick, on words), so an edited word marks that word, not its paragraph."""
    if tuple(old) == tuple(new):
        return TextDiff((Run(Op.EQUAL, tuple(old)),) if old else ())
    chars: dict[Token, str] = {}
    tokens_of: dict[str, Token] = {}

    def encoded(toks: Sequence[Token]) -> str:
        out = []
        for tok in toks:
            if (ch := chars.get(tok)) is None:
                ch = chars[tok] = _char(len(chars))
                tokens_of[ch] = tok
            out.append(ch)
        return "".join(out)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no time limit: the same input always gives the same diff
    diffs = dmp.diff_main(encoded(old), encoded(new), False)
    dmp.diff_cleanupSemantic(diffs)
    ops = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}
    return TextDiff(tuple(Run(ops[op], tuple(tokens_of[ch] for ch in text)) for op, text in diffs if text))


def diff_text(old: str, new: str) -> TextDiff:
    return diff_tokens(words.text_tokens(old), words.text_tokens(new))


def diff_lines(old: Sequence[str], new: Sequence[str]) -> tuple[PartChange, ...]:
    """Lines (decision lines, say) aligned, with a word diff of each changed one."""
    def pair(i: int, j: int) -> PartChange:
        text = diff_text(old[i], new[j])
        return PartChanged(i, j, text) if text.changed else PartKept(i, j)

    return _parts([" ".join(x.split()) for x in old], [" ".join(x.split()) for x in new], old, new, pair,
                  lambda j: words.count_text(new[j]), lambda i: words.count_text(old[i]))


def _char(n: int) -> str:
    code = 0x100 + n  # above ASCII and Latin-1, and clear of the surrogates
    return chr(code if code < 0xD800 else code + 0x800)


# --- alignment -----------------------------------------------------------------------------

Pair = tuple[int | None, int | None]


def _align(old: Sequence[Any], new: Sequence[Any], similar: Callable[[int, int], float], threshold: float,
           one_for_one: bool = False) -> list[Pair]:
    """The merged order of two sequences of keys: equal keys pair up; in a replaced stretch,
    elements at least `threshold` similar pair up in order; the rest stand alone. With
    `one_for_one`, a stretch of one element replaced by one pairs up however different (a
    reworded list item is that item changed)."""
    out: list[Pair] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(zip(range(i1, i2), range(j1, j2)))
        elif one_for_one and i2 - i1 == 1 and j2 - j1 == 1:
            out.append((i1, j1))
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

def _key(ast: Any) -> bytes:
    """The AST as bytes that are equal when the trees are, soft breaks as spaces: re-wrapped source
    lines are no change. Marshal's version 0 writes every value by what it is (no references to
    objects met before, no mark for interned strings), 7 × faster than json.dumps; both versions'
    trees come from the same reader, so their dicts' keys are in the same order."""
    return marshal.dumps(ast, 0).replace(_SOFT_BREAK, _SPACE)


_SOFT_BREAK, _SPACE = marshal.dumps({"t": "SoftBreak"}, 0), marshal.dumps({"t": "Space"}, 0)


BLOCK_TYPES = frozenset({"Para", "Plain", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList",
                         "BulletList", "DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"})


def _block(ast: pandoc.Ast) -> Block:
    """A nested block (in a list item, a table cell …) as the model has top-level ones."""
    return Block(kind=ast["t"], text=pandoc.plain_text(ast), line=0, ast=ast)


def _text_inlines(blocks: list[pandoc.Ast]) -> list[pandoc.Ast] | None:
    """The inlines of a lone paragraph (a list item's content, say), else None."""
    return blocks[0]["c"] if len(blocks) == 1 and blocks[0]["t"] in TEXT_BLOCKS else None


def family(block: Block) -> str:
    """Blocks of one family can be diffed with each other: paragraphs, lists of a kind, tables …"""
    return "text" if block.kind in TEXT_BLOCKS else block.kind


def _is_blocks(value: Any) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, dict) and v.get("t") in BLOCK_TYPES for v in value))


Skeleton = list[tuple[tuple[str | int, ...], list, list]]


def skeleton(a: Any, b: Any, path: tuple[str | int, ...] = ()) -> Skeleton | None:
    """Where two containers of the same structure hold blocks: [(path, old blocks, new blocks)];
    None when anything else in them (rows, columns, attributes) differs."""
    if _is_blocks(a) or _is_blocks(b):
        return [(path, a, b)] if isinstance(a, list) and isinstance(b, list) else None
    found: list[Skeleton | None]
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
    out: Skeleton = []
    for f in found:
        if f is None:
            return None
        out += f
    return out


def _parts(keys_old: Sequence[Hashable], keys_new: Sequence[Hashable], texts_old: Sequence[str], texts_new: Sequence[str],
           pair: Callable[[int, int], PartChange], words_new: Callable[[int], int],
           words_old: Callable[[int], int]) -> tuple[PartChange, ...]:
    """Aligned parts (list items, lines): kept, inserted, deleted, or `pair`ed when similar
    (or when one replaces one)."""
    def similar(i: int, j: int) -> float:
        return similarity(texts_old[i], texts_new[j], PAIR_SIMILARITY)

    out: list[PartChange] = []
    for i, j in _align(keys_old, keys_new, similar, PAIR_SIMILARITY, one_for_one=True):
        if j is None:
            assert i is not None
            out.append(PartDeleted(i, words_old(i)))
        elif i is None:
            out.append(PartInserted(j, words_new(j)))
        else:
            out.append(PartKept(i, j) if keys_old[i] == keys_new[j] else pair(i, j))
    return tuple(out)


def _diff_items(old: list[list[pandoc.Ast]], new: list[list[pandoc.Ast]]) -> tuple[PartChange, ...]:
    def pair(i: int, j: int) -> PartChange:
        a, b = _text_inlines(old[i]), _text_inlines(new[j])
        if a is not None and b is not None:
            text = diff_tokens(words.tokens(a), words.tokens(b))
            return PartChanged(i, j, text) if text.changed else PartKept(i, j)
        blocks = Blocks(tuple(_diff_blocks([_block(x) for x in old[i]], [_block(x) for x in new[j]])))
        return PartChanged(i, j, blocks) if _any_change(blocks.blocks) else PartKept(i, j)

    texts_old, texts_new = [pandoc.plain_text(x) for x in old], [pandoc.plain_text(x) for x in new]
    return _parts([_key(x) for x in old], [_key(x) for x in new], texts_old, texts_new, pair,
                  lambda j: words.count_text(texts_new[j]), lambda i: words.count_text(texts_old[i]))


def _any_change(changes: Sequence[BlockChange]) -> bool:
    return any(c.kind is not Kind.EQUAL for c in changes)


def _edit(old: Block, new: Block) -> Edit | None:
    """What changed between two paired blocks of one family: a paragraph's word diff, a list's
    item changes, or the changes inside a container; None when nothing did."""
    if family(old) == "text":
        text = diff_tokens(words.tokens(old.ast["c"]), words.tokens(new.ast["c"]))
        return text if text.changed else None
    if old.kind in pandoc.LISTS:
        items = _diff_items(pandoc.list_items(old.ast), pandoc.list_items(new.ast))
        return ListEdit(items) if any(p.kind is not Kind.EQUAL for p in items) else None
    inner = [InnerChange(path, Blocks(tuple(_diff_blocks([_block(x) for x in a], [_block(x) for x in b]))))
             for path, a, b in skeleton(old.ast, new.ast) or ()]
    changed = tuple(i for i in inner if _any_change(i.blocks.blocks))
    return InnerEdit(changed) if changed else None


def _diff_block(old: Block, new: Block) -> BlockKept | BlockChanged:
    edit = _edit(old, new)
    return BlockKept(old, new) if edit is None else BlockChanged(old, new, edit)


def _pairable(a: Block, b: Block) -> float:
    """How strongly two blocks in a replaced stretch want to be shown as one changed block."""
    if family(a) != family(b):
        return 0.0
    if family(a) == "text":
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
        if j is None:
            assert i is not None
            out.append(BlockDeleted(old[i]))
        elif i is None:
            out.append(BlockInserted(new[j]))
        elif keys_old[i] == keys_new[j]:
            out.append(BlockKept(old[i], new[j]))
        else:
            out.append(_diff_block(old[i], new[j]))
    return out


# --- sections ------------------------------------------------------------------------------

def _heading_tokens(section: Section) -> tuple[Token, ...]:
    return words.tokens(section.heading_ast["c"][2]) if section.heading_ast is not None else ()


def _body_text(section: Section) -> str:
    return " ".join(block.text for block in section.blocks)


def _diff_section(old: Section, new: Section) -> SectionKept | SectionChanged:
    title = diff_tokens(_heading_tokens(old), _heading_tokens(new))
    blocks = tuple(_diff_blocks(old.blocks, new.blocks))
    if not title.changed and old.level == new.level and not _any_change(blocks):
        return SectionKept(old, new)
    return SectionChanged(old, new, title, blocks)


def _moved_section(old: Section, new: Section, move: int) -> SectionMovedTo:
    return SectionMovedTo(old, new, diff_tokens(_heading_tokens(old), _heading_tokens(new)),
                          tuple(_diff_blocks(old.blocks, new.blocks)), move)


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
    moves: dict[str, int] = {}  # provisional numbers, see _number_moves
    out: list[SectionChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_old, keys_new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [_diff_section(old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        for section, key in zip(old[i1:i2], keys_old[i1:i2]):
            if key in new_by_key:
                out.append(SectionMovedFrom(section, new_by_key[key], moves.setdefault(key, len(moves) + 1)))
            else:
                out.append(SectionDeleted.whole(section))
        for section, key in zip(new[j1:j2], keys_new[j1:j2]):
            if key in old_by_key:
                out.append(_moved_section(old_by_key[key], section, moves.setdefault(key, len(moves) + 1)))
            else:
                out.append(SectionInserted.whole(section))
    return _number_moves(_find_moved_blocks(out, first=len(moves) + 1))


def _find_moved_blocks(sections: list[SectionChange], first: int) -> list[SectionChange]:
    """Deleted and inserted blocks of one family of which most survives become a moved pair
    (BlockMovedFrom / BlockMovedTo, the latter with its edits). Blocks of whole inserted or
    deleted sections take part; blocks inside moved sections are diffed there."""
    blocks: list[list[BlockChange]] = [list(s.blocks) for s in sections]
    candidates = [(si, bi, b) for si, s in enumerate(blocks) if not isinstance(sections[si], SectionMovedTo)
                  for bi, b in enumerate(s)]
    gone = [(si, bi, b.old) for si, bi, b in candidates
            if isinstance(b, BlockDeleted) and words.count_text(b.old.text) >= MOVE_MIN_WORDS]
    came = [(si, bi, b.new) for si, bi, b in candidates
            if isinstance(b, BlockInserted) and words.count_text(b.new.text) >= MOVE_MIN_WORDS]
    scored = sorted(((similarity(a.text, b.text, MOVE_SIMILARITY), g, c)
                     for g, (_, _, a) in enumerate(gone) for c, (_, _, b) in enumerate(came)
                     if family(a) == family(b)), key=lambda s: (-s[0], s[1], s[2]))
    used_gone: set[int] = set()
    used_came: set[int] = set()
    touched: set[int] = set()
    for score, g, c in scored:
        if score < MOVE_SIMILARITY or g in used_gone or c in used_came:
            continue
        used_gone.add(g)
        used_came.add(c)
        (gs, gb, old), (cs, cb, new) = gone[g], came[c]
        move = first + len(used_gone) - 1
        edit = _edit(old, new)
        blocks[gs][gb] = BlockMovedFrom(old, new, move, edit)
        blocks[cs][cb] = BlockMovedTo(old, new, move, edit)
        touched |= {gs, cs}
    return [_rebuilt(s, blocks[i]) if i in touched else s for i, s in enumerate(sections)]


def _rebuilt(section: SectionChange, blocks: list[BlockChange]) -> SectionChange:
    """The section with its blocks, now including moves (kept and moved-away sections hold none)."""
    if isinstance(section, (SectionInserted, SectionDeleted, SectionChanged, SectionMovedTo)):
        return replace(section, blocks=tuple(blocks))
    return section


def _number_moves(sections: list[SectionChange]) -> list[SectionChange]:
    """Number the moves in reading order; both halves of a move share its number."""
    numbers: dict[int, int] = {}

    def number(provisional: int) -> int:
        return numbers.setdefault(provisional, len(numbers) + 1)

    out: list[SectionChange] = []
    for s in sections:
        if isinstance(s, (SectionMovedFrom, SectionMovedTo)):
            s = replace(s, move=number(s.move))
        if any(isinstance(b, MOVED) for b in s.blocks):
            s = _rebuilt(s, [replace(b, move=number(b.move)) if isinstance(b, MOVED) else b for b in s.blocks])
        out.append(s)
    return out


# --- front matter --------------------------------------------------------------------------

# The front-matter fields a diff compares (and the redline summary names, labels redline.fields.*).
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
    out: list[DecisionChange] = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a is None and b is not None:
            out.append(DecisionInserted(b))
        elif b is None and a is not None:
            out.append(DecisionDeleted(a))
        elif a is not None and b is not None and a != b:
            out.append(DecisionChanged(a, b))
    return tuple(out)


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """The diff of two versions of a policy."""
    fields = tuple(FieldChange(name, a, b) for name in FIELDS
                   if (a := _field_text(old.meta, name)) != (b := _field_text(new.meta, name)))
    return PolicyDiff(old, new, fields, _diff_decisions(old.meta.decisions, new.meta.decisions),
                      tuple(_diff_sections(old.sections, new.sections)))
