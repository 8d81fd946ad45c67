"""The diff as data: sections by id, blocks, list items and words; moves, renames, front matter."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seed_edits import Doc, Sec, edit_word, edited, load, seed_doc
from styrdok import pandoc, source, words
from styrdok.diff import Kind, ListEdit, Op, PolicyDiff, SectionChange, TextDiff, diff_policies, diff_text, diff_tokens
from styrdok.model import Policy

SEED = load(seed_doc())


def _edit(change) -> Policy:
    doc = copy.deepcopy(seed_doc())
    change(doc)
    return load(doc)


def _section(doc: Doc, section_id: str) -> Sec:
    return next(s for s in doc.sections if s.id == section_id)


def _changed(diff: PolicyDiff) -> list[SectionChange]:
    return [s for s in diff.sections if s.kind is not Kind.EQUAL]


def test_unchanged_pair_has_no_changes() -> None:
    diff = diff_policies(SEED, load(seed_doc()))
    assert not diff.changed
    assert {s.kind for s in diff.sections} == {Kind.EQUAL}
    assert diff.counts().words_inserted == diff.counts().words_deleted == 0


def test_rewrapped_lines_are_no_change() -> None:
    doc = seed_doc()
    text = doc.markdown()
    long = doc.sections[0].blocks[2]
    assert isinstance(long, str)
    rewrapped = text.replace(long, long.replace(" och ", "\noch "))
    assert rewrapped != text
    new = source.load(Path("social-ekonomi.md"), data=rewrapped.encode("utf-8"))
    assert not diff_policies(SEED, new).changed


def test_one_word_edit_marks_one_word() -> None:
    def change(doc: Doc) -> None:
        section = _section(doc, "ansvar-och-genomforande")
        section.blocks[0] = section.blocks[0].replace("Arbetsmarknadsenheten samordnar", "Arbetsmarknadsenheten leder")

    diff = diff_policies(SEED, _edit(change))
    [section] = _changed(diff)
    [block] = [b for b in section.blocks if b.kind is not Kind.EQUAL]
    assert block.kind is Kind.CHANGED
    marked = [(run.op, run.text) for run in block.edit.runs if run.op is not Op.EQUAL]
    assert marked == [(Op.DELETE, "samordnar"), (Op.INSERT, "leder")]
    assert diff.counts().words_inserted == diff.counts().words_deleted == 1


def test_rename_is_a_rename_not_a_new_section() -> None:
    diff = diff_policies(SEED, _edit(lambda doc: setattr(_section(doc, "malsattning"), "title", "Mål")))
    [section] = _changed(diff)
    assert section.kind is Kind.CHANGED and section.renamed
    assert (section.old.title, section.new.title) == ("Målsättning", "Mål")
    assert all(b.kind is Kind.EQUAL for b in section.blocks)
    assert diff.counts().sections_renamed == 1 and diff.counts().sections_inserted == 0


def test_section_under_a_new_id_with_the_same_text_is_a_rename() -> None:
    def change(doc: Doc) -> None:
        section = _section(doc, "riktlinjer")
        section.id, section.title = "vagledning", "Vägledning"

    [section] = _changed(diff_policies(SEED, _edit(change)))
    assert section.kind is Kind.CHANGED and section.renamed
    assert (section.old.id, section.new.id) == ("riktlinjer", "vagledning")


def test_moved_section_is_a_move() -> None:
    def change(doc: Doc) -> None:
        moved = _section(doc, "malsattning")
        doc.sections.remove(moved)
        doc.sections.append(moved)

    diff = diff_policies(SEED, _edit(change))
    changed = _changed(diff)
    assert {s.kind for s in changed} == {Kind.MOVED_FROM, Kind.MOVED_TO}
    moved_from, moved_to = sorted(changed, key=lambda s: s.kind.value)
    assert moved_from.move == moved_to.move is not None
    assert moved_from.id == moved_to.id
    counts = diff.counts()
    assert (counts.sections_moved, counts.sections_inserted, counts.sections_deleted) == (1, 0, 0)
    assert counts.words_inserted == counts.words_deleted == 0


def test_moved_paragraph_is_a_move_even_when_edited() -> None:
    def change(doc: Doc) -> None:
        paragraph = doc.sections[0].blocks.pop(3)
        _section(doc, "riktlinjer").blocks.append(paragraph.replace("nyskapande", "nya"))

    diff = diff_policies(SEED, _edit(change))
    blocks = [b for s in diff.sections for b in s.blocks if b.kind is not Kind.EQUAL]
    assert [b.kind for b in blocks] == [Kind.MOVED_FROM, Kind.MOVED_TO]
    assert blocks[0].move == blocks[1].move is not None
    assert (blocks[1].edit.deleted, blocks[1].edit.inserted) == (1, 1)
    assert (blocks[1].deleted, blocks[1].inserted) == (1, 1)


def test_short_paragraphs_recurring_elsewhere_are_not_moves() -> None:
    def change(doc: Doc) -> None:
        doc.sections[0].blocks.insert(0, "Kort stycke.")
        _section(doc, "riktlinjer").blocks.append("Kort stycke.")

    old = _edit(change)

    def change_back(doc: Doc) -> None:
        change(doc)
        doc.sections[0].blocks.pop(0)
        _section(doc, "malsattning").blocks.append("Kort stycke.")
        _section(doc, "riktlinjer").blocks.pop()

    kinds = {b.kind for s in diff_policies(old, _edit(change_back)).sections for b in s.blocks}
    assert Kind.MOVED_FROM not in kinds and {Kind.INSERTED, Kind.DELETED} <= kinds


def test_list_items_inserted_deleted_and_changed() -> None:
    def change(doc: Doc) -> None:
        items = _section(doc, "malsattning").blocks[1]
        items.insert(1, "stödja nya kooperativ")
        del items[4]
        items[0] = items[0].replace("positivt", "nyfiket")

    diff = diff_policies(SEED, _edit(change))
    [block] = [b for s in diff.sections for b in s.blocks if b.kind is not Kind.EQUAL]
    assert block.kind is Kind.CHANGED
    assert [p.kind for p in block.edit.items if p.kind is not Kind.EQUAL] == [Kind.CHANGED, Kind.INSERTED, Kind.DELETED]
    assert block.edit.items[0].edit.inserted == block.edit.items[0].edit.deleted == 1


NESTED = """\
---
title: Nästlat
type: riktlinje
owner: kommunstyrelsen
status: draft
decisions:
  - action: fastställd
    body: kommunstyrelsen
    pending: true
---

- punkt ett
  - underpunkt a
  - underpunkt b
- punkt två

| Kolumn A | Kolumn B |
|----------|----------|
| ett      | två      |
"""


def test_nested_list_and_table_changes_are_found_inside() -> None:
    old = source.load(Path("nastlat.md"), data=NESTED.encode("utf-8"))
    new = source.load(Path("nastlat.md"), data=NESTED.replace("underpunkt b", "underpunkt c")
                      .replace("| ett      | två      |", "| ett      | tre      |").encode("utf-8"))
    [section] = diff_policies(old, new).sections
    listed, table = [b for b in section.blocks]
    [item] = [p for p in listed.edit.items if p.kind is not Kind.EQUAL]
    assert [c.kind for c in item.edit.blocks] == [Kind.EQUAL, Kind.CHANGED]
    assert [p.kind for p in item.edit.blocks[1].edit.items] == [Kind.EQUAL, Kind.CHANGED]
    [cell] = table.edit.inner
    assert [c.kind for c in cell.blocks.blocks] == [Kind.DELETED, Kind.INSERTED]  # "två" and "tre" share no word
    assert (listed.inserted, listed.deleted, table.inserted, table.deleted) == (1, 1, 1, 1)


def test_front_matter_changes_are_part_of_the_diff() -> None:
    doc = copy.deepcopy(seed_doc())
    doc.head = (doc.head.replace("status: draft", "status: adopted")
                .replace("title: Policy för", "title: Policy om")
                .replace("    pending: true\n    year: 2018", "    date: 2018-03-06\n    paragraph: 64"))
    diff = diff_policies(SEED, load(doc))
    assert diff.changed
    assert {(f.name, f.old, f.new) for f in diff.fields} == {
        ("status", "draft", "adopted"),
        ("title", SEED.meta.title, SEED.meta.title.replace("Policy för", "Policy om"))}
    [decision] = diff.decisions
    assert decision.kind is Kind.CHANGED and decision.old.pending
    assert decision.new.date == dt.date(2018, 3, 6)


def test_formatting_survives_and_a_new_emphasis_is_a_change() -> None:
    inlines = pandoc.read_markdown("Med *social ekonomi* avses [verksamheter](https://example.se) t.ex. här.")[0][1]["c"]
    toks = words.tokens(inlines)
    rebuilt = words.rebuild(toks)
    assert words.tokens(rebuilt) == toks
    assert [n["t"] for n in rebuilt if n["t"] not in ("Str", "Space")] == ["Emph", "Link"]
    assert pandoc.stringify(rebuilt) == pandoc.stringify(inlines)
    assert words.count_words(toks) == 7  # "t.ex." is one word, punctuation alone none
    bolder = pandoc.read_markdown("Med *social ekonomi* avses [verksamheter](https://example.se) t.ex. **här**.")[0][1]["c"]
    diff = diff_tokens(toks, words.tokens(bolder))
    assert [(r.op, r.text) for r in diff.runs if r.op is not Op.EQUAL] == [(Op.DELETE, "här."), (Op.INSERT, "här.")]


def test_diff_text_of_plain_lines() -> None:
    diff = diff_text("Reviderad av kommunstyrelsen 2018-XX-XX, § XX", "Reviderad av kommunstyrelsen 2018-03-06, § 64")
    assert [(r.op, r.text) for r in diff.runs if r.op is not Op.EQUAL] == [
        (Op.DELETE, "2018-XX-XX,"), (Op.INSERT, "2018-03-06,"), (Op.DELETE, "XX"), (Op.INSERT, "64")]


# --- properties ----------------------------------------------------------------------------

def _side(diff: PolicyDiff, new: bool) -> list[tuple[str, str, list[str]]]:
    """Each section (id, title, block texts) as the diff says the new (or old) version has it."""
    gone = (Kind.DELETED, Kind.MOVED_FROM) if new else (Kind.INSERTED, Kind.MOVED_TO)
    out = []
    arrived = {s.move: s for s in diff.sections if s.kind is Kind.MOVED_TO}
    for s in diff.sections:
        if s.kind in gone:
            continue
        section = s.new if new else s.old
        if s.kind is Kind.MOVED_FROM:  # the old text is in the diff of the moved section's new place
            s = arrived[s.move]
        texts = []
        for b in s.blocks:
            if b.kind in gone:
                continue
            block = b.new if new else b.old
            edit = getattr(b, "edit", None)
            if isinstance(edit, TextDiff):
                assert " ".join(words.plain(edit.side(new)).split()) == " ".join(block.text.split())
            if isinstance(edit, ListEdit):
                count = len(pandoc.list_items(block.ast))
                assert [p.new if new else p.old for p in edit.items if p.kind not in gone] == list(range(count))
            texts.append(block.text)
        out.append((section.id, section.title, texts))
    return out


def _plain(policy: Policy) -> list[tuple[str, str, list[str]]]:
    return [(s.id, s.title, [b.text for b in s.blocks]) for s in policy.sections]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_diff_holds_both_versions(data: st.DataObject) -> None:
    doc, edits = edited(data.draw, max_edits=10)
    old, new = SEED, load(doc)
    if data.draw(st.booleans(), label="reversed"):
        old, new = new, old
    diff = diff_policies(old, new)
    assert _side(diff, new=True) == _plain(new), edits
    assert _side(diff, new=False) == _plain(old), edits
    assert diff.changed == (old.source != new.source), edits
    moves = [s.move for s in diff.sections if s.move] + [b.move for s in diff.sections for b in s.blocks if b.move]
    assert all(moves.count(m) == 2 for m in moves), "every move has two halves"


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_one_word_edit_marks_at_most_one_word_each_way(data: st.DataObject) -> None:
    doc = copy.deepcopy(seed_doc())
    edit_word(doc, data.draw)
    diff = diff_policies(SEED, load(doc))
    counts = diff.counts()
    changed = diff.changed
    assert (counts.words_inserted, counts.words_deleted) in ({(1, 1), (1, 0), (0, 1)} if changed else {(0, 0)})
    assert sum(b.kind is not Kind.EQUAL for s in diff.sections for b in s.blocks) == (1 if changed else 0)
