"""The Typst writer in Python (`typst_writer`) prints what pandoc's own Typst writer prints for the
same document, byte for byte: over the seed, the corpus, redlines of generated edits and generated
documents of every node it writes. The oracle is pandoc itself (its Lua `pandoc.write`, one process
for many documents, checked against the command line), given the same normalized JSON."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seed_edits
from conftest import SEED_POLICY
from styrdok import pandoc, source, typst_writer
from styrdok.redline import prepare
from styrdok.templates import Templates

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.md"))
WRITE_EACH = """
for chunk in io.read('a'):gmatch('[^%z]+') do
  io.write(pandoc.write(pandoc.read(chunk, 'json'), 'typst'), '\\0')
end
"""


def pandoc_typst(docs: list[pandoc.Ast]) -> list[str]:
    """pandoc's Typst of each document (with a newline at the end, as its command line ends it)."""
    payload = b"\0".join(pandoc.dumps(pandoc.normalize(doc)) for doc in docs)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "write_each.lua"
        script.write_text(WRITE_EACH, "utf-8")
        proc = subprocess.run([pandoc.binary(), "lua", str(script)], input=payload, capture_output=True, check=True)
    texts = [text.decode("utf-8") for text in proc.stdout.split(b"\0")[:-1]]
    assert len(texts) == len(docs)
    return [text if text.endswith("\n") else text + "\n" for text in texts]


def ours(doc: pandoc.Ast) -> str | None:
    try:
        return typst_writer.write(pandoc.normalize(doc["blocks"]))
    except typst_writer.Unsupported:
        return None


def _blocks(text: str) -> list[pandoc.Ast] | None:
    try:
        return [block for _, block in pandoc.read_markdown(text)]
    except (pandoc.PandocFailed, RecursionError):
        return None


def assert_same(docs: list[pandoc.Ast]) -> int:
    """Every document this writer writes is pandoc's text; returns how many it wrote."""
    written = [(doc, text) for doc in docs if (text := ours(doc)) is not None]
    for (doc, text), expected in zip(written, pandoc_typst([doc for doc, _ in written])):
        assert text == expected, pandoc.dumps(doc)[:2000]
    return len(written)


def test_the_oracle_is_pandocs_command_line() -> None:
    doc = pandoc.document(_blocks(SEED_POLICY.read_text("utf-8").split("\n---\n", 1)[1]) or [])
    command_line = pandoc.run(["-f", "json", "-t", "typst"], pandoc.dumps(pandoc.normalize(doc))).decode("utf-8")
    assert pandoc_typst([doc, pandoc.document([])]) == [command_line, "\n"]
    assert ours(doc) == command_line


def test_the_seed_and_the_corpus_are_written_as_pandoc_writes_them() -> None:
    texts = [SEED_POLICY.read_text("utf-8").split("\n---\n", 1)[1]]
    texts += [p.read_bytes().decode("utf-8", "replace").partition("\n---\n")[2] for p in CORPUS]
    docs = [pandoc.document(blocks) for text in texts if (blocks := _blocks(text)) is not None]
    written = assert_same(docs)
    assert ours(docs[0]) is not None  # the seed
    assert written >= len(docs) * 3 // 4, f"only {written} of {len(docs)} written in Python"


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_redlines_of_generated_edits_are_written_as_pandoc_writes_them(data: st.DataObject) -> None:
    base = seed_edits.seed_doc()
    docs = []
    for _ in range(3):
        edited, _edits = seed_edits.edited(data.draw, seed_edits.seed_doc())
        prepared = prepare(seed_edits.load(base), seed_edits.load(edited), Templates(None),
                           when=datetime(2026, 12, 3, 9, 0))
        docs.append(prepared.documents()["typst"])
    assert assert_same(docs) == len(docs)


# --- generated documents: every node the writer writes, with the characters that need escaping ---

WORDS = ["ord", "Timrå", "§", "1.", "12.", "2)", "-", "--", "---", "+", "=", "/", "//", "a//b", ";", ";x", "(a)",
         "(", ")", "[x]", "#tag", "$", "`", "_", "*", "~", "<b>", "@x", "'", '"', "’", "—", "–", "a\xa0b", "a:b",
         ":", "\\", "é", "“citat”", "›", "€", "100 %", "a-b", "x" * 30, "y" * 80, "=rubrik", "1", "a\nb"]
SPACES = [{"t": "Space"}, {"t": "SoftBreak"}, {"t": "LineBreak"}]
IDENTS = ["", "", "id", "målsättning", "a b", "x.y:z", "a\"b"]


def _str() -> st.SearchStrategy[pandoc.Ast]:
    return st.builds(lambda w: {"t": "Str", "c": w}, st.sampled_from(WORDS))


def _attr() -> st.SearchStrategy[list]:
    return st.tuples(st.sampled_from(IDENTS), st.lists(st.sampled_from(["mark", "unlisted", "unnumbered", "x"]),
                                                          max_size=2), st.just([])).map(list)


def inlines(depth: int, most: int = 14) -> st.SearchStrategy[list[pandoc.Ast]]:
    atom: st.SearchStrategy[pandoc.Ast] = st.one_of(_str(), _str(), st.sampled_from(SPACES), st.sampled_from(SPACES),
                                                    st.sampled_from([{"t": "RawInline", "c": ["typst", "#redline-ins["]},
                                                                     {"t": "RawInline", "c": ["html", "<b>"]}]))
    if depth > 0:
        inner = inlines(depth - 1)
        atom = st.one_of(
            atom, atom, atom,
            st.builds(lambda t, c: {"t": t, "c": c}, st.sampled_from(["Emph", "Strong", "Strikeout", "Underline",
                                                                       "Superscript", "Subscript", "SmallCaps"]), inner),
            st.builds(lambda a, c: {"t": "Span", "c": [a, c]}, _attr(), inner),
            st.builds(lambda q, c: {"t": "Quoted", "c": [{"t": q}, c]}, st.sampled_from(["DoubleQuote", "SingleQuote"]),
                      inner),
            st.builds(lambda c, src, ref: {"t": "Link", "c": [["", [], [["reference-type", "ref"]] if ref else []],
                                                              c or [{"t": "Str", "c": src}], [src, ""]]},
                      inner, st.sampled_from(["https://example.org/a_b?c=\"d\"", "#id", "#a b", "#", "ord"]),
                      st.booleans()),
            st.builds(lambda b: {"t": "Note", "c": b}, blocks(depth - 1, 2)))
    return st.lists(atom, max_size=most)


def blocks(depth: int, most: int = 6) -> st.SearchStrategy[list[pandoc.Ast]]:
    text = inlines(min(depth, 2))
    block: st.SearchStrategy[pandoc.Ast] = st.one_of(
        st.builds(lambda c: {"t": "Para", "c": c}, inlines(min(depth, 1), 60)),  # lines to wrap
        st.builds(lambda c: {"t": "Plain", "c": c}, text),
        st.builds(lambda n, a, c: {"t": "Header", "c": [n, a, c]}, st.integers(1, 4), _attr(), text),
        st.just({"t": "HorizontalRule"}),
        st.builds(lambda s: {"t": "RawBlock", "c": ["typst", s]}, st.sampled_from(["#pagebreak()", "a\n\nb", ""])),
        st.builds(lambda lines: {"t": "LineBlock", "c": lines}, st.lists(text, max_size=3)))
    if depth > 0:
        inner = blocks(depth - 1, 3)
        block = st.one_of(
            block, block,
            st.builds(lambda items: {"t": "BulletList", "c": items}, st.lists(inner, max_size=4)),
            st.builds(lambda start, style, delim, items: {"t": "OrderedList", "c": [[start, {"t": style}, {"t": delim}],
                                                                                    items]},
                      st.sampled_from([1, 1, 3, -2]), st.sampled_from(["DefaultStyle", "Decimal", "LowerAlpha",
                                                                        "UpperRoman", "LowerRoman", "UpperAlpha"]),
                      st.sampled_from(["DefaultDelim", "Period", "OneParen", "TwoParens"]), st.lists(inner, max_size=4)),
            st.builds(lambda b: {"t": "BlockQuote", "c": b}, inner),
            st.builds(lambda a, b: {"t": "Div", "c": [a, b]}, _attr(), inner),
            st.builds(lambda term, defs: {"t": "DefinitionList", "c": [[term, defs]]}, text, st.lists(inner, max_size=2)))
    return st.lists(block, max_size=most)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(blocks(2), min_size=8, max_size=8))  # (eight documents for each pandoc run)
def test_generated_documents_are_written_as_pandoc_writes_them(documents: list[list[pandoc.Ast]]) -> None:
    docs = [pandoc.document(b) for b in documents]
    assert assert_same(docs) == len(docs)


def test_what_it_does_not_write_pandoc_writes() -> None:
    """A table, an image or a character of another width: `Unsupported`, and `pandoc.write` has pandoc write it."""
    table = _blocks("| a | b |\n|---|---|\n| 1 | 2 |\n") or []
    wide = [{"t": "Para", "c": [{"t": "Str", "c": "漢字"}]}]
    for blocks_ in (table, wide, [{"t": "Para", "c": [{"t": "Code", "c": [["", [], []], "x"]}]}]):
        doc = pandoc.document(blocks_)
        with pytest.raises(typst_writer.Unsupported):
            typst_writer.write(pandoc.normalize(blocks_))
        assert pandoc.write(doc, "typst").decode("utf-8") == pandoc_typst([doc])[0]


def test_a_long_policy_is_written_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed's PDF body comes from the Python writer: pandoc is not started for it."""
    from styrdok.render.document import body_blocks

    doc = pandoc.document(body_blocks(source.load(SEED_POLICY)))
    expected = pandoc_typst([doc])[0]
    monkeypatch.setattr(pandoc, "run", lambda *a, **k: pytest.fail("pandoc was started"))
    assert pandoc.write(doc, "typst").decode("utf-8") == expected


def test_every_character_it_counts_one_column_wide_pandoc_counts_so() -> None:
    """Lines break where pandoc breaks them: each character the writer takes, in words long enough
    to wrap, against pandoc (a wrong width moves a break)."""
    allowed = [chr(n) for n in range(0xA1, 0x300, 3) if n != 0xAD] + list("–—‘’‚“”„†‡•…‰′″‹›€™№−")
    docs = [pandoc.document([{"t": "Para", "c": [node for n in range(1, 40) for node in
                                                 ({"t": "Str", "c": c * (n % 7 + 1)}, {"t": "Space"})]}])
            for c in allowed]
    assert assert_same(docs) == len(docs)
