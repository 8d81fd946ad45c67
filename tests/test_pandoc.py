"""Reading Markdown: start lines read off the text must equal pandoc's own source positions."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from conftest import SEED_POLICY
from styrdok import frontmatter, pandoc

SAMPLES = {
    "seed": frontmatter.split(SEED_POLICY.read_text("utf-8")).body,
    "loose list": "Stycke\n\n- a\n\n- b\n\nSlut.\n",
    "lazy list": "Inledning:\n- ett\n- två\n\n## Rubrik {#r}\nText direkt.\n",
    "fence with blank lines and hashes": "Text\n\n```\n# inte en rubrik\n\nkod\n```\n\nMer text.\n",
    "quote, table, rule": "> citat\n> mer\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n1. ett\n2. två\n",
    "headings back to back": "## A {#a}\n### B {#b}\nText\n## C {#c}\n",
    "footnotes": "Text[^a] här.\n\n[^a]: En fotnot.\n\n## R {#r}\n\nMer[^b].\n\n[^b]: Första stycket.\n\n"
                 "    Andra stycket.\n\nSlut.\n\n[^c]: Oanvänd.\n",
}


def _exact(text: str) -> list[tuple[int, str]]:
    raw = json.loads(pandoc.run(["-f", pandoc.MARKDOWN + "+sourcepos", "-t", "json"], text.encode("utf-8")))
    # pandoc places a pipe table at its delimiter row; the table starts one line up, at its header.
    return [(pandoc._start_line(b) - (b["t"] == "Table"), pandoc.stringify(pandoc._unwrap(b)))
            for block in raw["blocks"] for b in pandoc._flatten_top(block)]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_start_lines_match_pandoc_source_positions(name: str) -> None:
    text = SAMPLES[name]
    assert [(line, pandoc.stringify(block)) for line, block in pandoc.read_markdown(text)] == _exact(text)


def test_footnote_definitions_are_not_blocks_and_need_no_second_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Definitions ([^a]: …, indented paragraphs) are read off the text too: no sourcepos run."""
    calls: list[list[str]] = []
    run = pandoc.run
    monkeypatch.setattr(pandoc, "run", lambda args, data, **kw: calls.append(args) or run(args, data, **kw))
    assert [line for line, _ in pandoc.read_markdown(SAMPLES["footnotes"])] == [1, 5, 7, 13]
    assert len(calls) == 1


def test_many_documents_in_one_run_equal_each_on_its_own() -> None:
    """The HTML and Typst of a publish job's documents, joined in one pandoc run, are byte for byte
    what a run per document gives: the seed, a redline (raw marks, a page break), an empty one, one
    with a footnote (converted on its own) and the quote/table/list sample."""
    from styrdok import source
    from styrdok.redline import prepare
    from styrdok.render.document import body_blocks
    from styrdok.render.html import HTML_OPTIONS, html_document
    from styrdok.render.pdf import typst_document
    from styrdok.templates import Templates

    seed = source.load(SEED_POLICY)
    other = [block for _, block in pandoc.read_markdown(SAMPLES["quote, table, rule"] + "\nNot[^1].\n\n[^1]: Fot.\n")]
    redline = prepare(seed, source.load(SEED_POLICY, data=SEED_POLICY.read_bytes().replace(b"samverkan", b"samarbete")),
                      Templates(None))
    for to, args, make in (("html5", HTML_OPTIONS, html_document), ("typst", (), typst_document)):
        docs = [make(body_blocks(seed)), redline.documents()[to], make([]), make(other), make(body_blocks(seed)[:4])]
        assert pandoc.write_many(docs, to, *args) == [pandoc.write(doc, to, *args) for doc in docs], to


def test_markdown_written_in_parts_equals_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long text is written by several pandoc runs at once, cut before headings: the joined
    parts are byte for byte what one run writes, footnotes numbered on and gathered at the end."""
    sections = []
    for n in range(1, 7):
        note = f" med en not.[^n{n}]\n\n[^n{n}]: Noten i avsnitt {n}.\n\n    Dess andra stycke." if n % 2 else "."
        sections.append(f"## Avsnitt {n} {{#avsnitt-{n}}}\n\nText i avsnitt {n}{note}\n\n- en punkt\n- en till\n\n"
                        f"1. ett\n2. två\n\nEn rad med \\[^1\\] som text och [en länk](https://example.org/{n}).\n\n"
                        "| A | B |\n|---|---|\n| 1 | 2 |\n")
    blocks = [b for _, b in pandoc.read_markdown("Inledning.\n\n" + "\n".join(sections))]
    whole = pandoc.write_markdown(blocks)
    monkeypatch.setattr(pandoc, "MARKDOWN_PART", 5)
    monkeypatch.setattr(pandoc.os, "cpu_count", lambda: 4)
    assert len(pandoc._cuts(blocks)) == 4
    assert pandoc.write_markdown(blocks) == whole
    assert "[^3]: Noten i avsnitt 5.\n\n    Dess andra stycke." in whole and "\\[\\^1\\] som text" in whole


TRICKY = """Punkt 1. gäller och 2) också, 3. med - streck - och + plus + och = lika = samt 100 % och: kolon.
En rad\\
1. efter en radbrytning\\
- och ett streck\\
# och en hash

Ord med *stjärna* och _under_ och \\_ och \\* och [hakar] och \\[x\\] och `kod` och a\\\\b och <vinkel> och #tag.

- punkt ett: med kolon; och semikolon
- 2016 - 2018 och/eller (parentes) – tankstreck — långt

| Slag | Belopp |
|------|--------|
| Lunch 1. | 300 kr - 2 |

Text med not.[^1] Och [en länk](https://example.org/a_b) med ord efter.

[^1]: Noten: 1. och - streck.
"""


def _texts(name: str) -> list[str]:
    from pathlib import Path
    return {"tricky": [TRICKY], "seed": [SEED_POLICY.read_text("utf-8").split("\n---\n", 1)[1]],
            "corpus": [p.read_bytes().decode("utf-8", "replace").partition("\n---\n")[2]
                       for p in sorted((Path(__file__).parent / "corpus").glob("*.md"))]}[name]


@pytest.mark.parametrize("name", ["tricky", "seed", "corpus"])
def test_words_joined_for_the_writer_give_the_same_markdown(name: str) -> None:
    """`write_markdown` hands pandoc plain words joined in one Str (a quarter of the JSON, the
    writer eight times faster); the Markdown is what a Str per word gives, byte for byte."""
    for text in _texts(name):
        try:
            blocks = [b for _, b in pandoc.read_markdown(text)]
        except (pandoc.PandocFailed, RecursionError):
            continue
        one_str_a_word = json.dumps(pandoc.document(blocks), ensure_ascii=False).encode("utf-8")
        expected = pandoc.run(["-f", "json", "-t", pandoc.MARKDOWN + "-gfm_auto_identifiers", "--wrap=none"],
                              one_str_a_word).decode("utf-8")
        assert pandoc.write_markdown(blocks) == expected
        if name != "corpus":  # (most corpus texts are a few words)
            assert json.dumps(pandoc.joined_words(blocks)).count('"Str"') < json.dumps(blocks).count('"Str"') * 2 / 3
def test_converter_slots_never_deadlock_and_every_core_is_alone() -> None:
    """Threads that hold a slot and then want every slot (two long PDFs at once) all finish, and
    while one holds every slot no other thread converts."""
    import threading
    import time

    inside: list[bool] = []  # the threads inside their inner block: alone or not
    clashes, lock = [], threading.Lock()

    def work(alone: bool) -> None:
        with pandoc.core():
            time.sleep(0.01)
            with pandoc.every_core() if alone else pandoc.core():
                with lock:
                    if inside and (alone or any(inside)):
                        clashes.append(alone)
                    inside.append(alone)
                time.sleep(0.01)
                with lock:
                    inside.remove(alone)

    threads = [threading.Thread(target=work, args=(n % 2 == 0,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not clashes


def _word_per_str(doc: pandoc.Ast, to: str, *args: str) -> bytes:
    """What the writer gives for `doc` with a Space between words, as pandoc's reader left them."""
    return pandoc.run(["-f", "json", "-t", to, "-o", "-", *args], pandoc.dumps(pandoc.normalize(doc)))


def _as_read(docx: bytes) -> str:
    return pandoc.run(["-f", "docx", "--track-changes=all", "-t", "native"], docx).decode("utf-8")


@pytest.mark.parametrize("name", ["tricky", "seed", "corpus"])
def test_spaces_joined_for_the_html_and_docx_writers_change_nothing(name: str) -> None:
    """The HTML writer (--wrap=none) and the DOCX writer are given words and spaces in one Str:
    the HTML is byte for byte what a Str per word gives, the DOCX reads back the same."""
    from styrdok.render.html import HTML_OPTIONS, html_document
    for text in _texts(name):
        try:
            blocks = [b for _, b in pandoc.read_markdown(text)]
        except (pandoc.PandocFailed, RecursionError):
            continue
        doc = html_document(blocks)
        assert pandoc.write(doc, "html5", *HTML_OPTIONS) == _word_per_str(doc, "html5", *HTML_OPTIONS)
        if name != "corpus":  # (the DOCX writer takes a quarter of a second a file)
            doc = pandoc.document(blocks)
            assert _as_read(pandoc.write(doc, "docx")) == _as_read(_word_per_str(doc, "docx"))
            assert len(pandoc._payload(doc, "docx", ())) < len(pandoc.dumps(pandoc.normalize(doc))) * 2 / 3


def test_a_redline_from_joined_spaces_is_the_same_redline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The redline's HTML is byte for byte, and its DOCX reads back through pandoc (every tracked
    change, move and comment) as, the redline made from a Str per word."""
    from styrdok import source
    from styrdok.redline import prepare, render_prepared
    from styrdok.templates import Templates

    seed = source.load(SEED_POLICY)
    edited = SEED_POLICY.read_text("utf-8").replace("samverkan", "ett nära samarbete").replace("Timrå", "Timrå kommun")
    prepared = prepare(seed, source.load(SEED_POLICY, data=edited.encode("utf-8")), Templates(None),
                       when=datetime(2026, 12, 3, 8, 0))
    joined = render_prepared(prepared, ("redline.html", "redline.docx")).files
    monkeypatch.setattr(pandoc, "_payload", lambda doc, to, args: pandoc.dumps(pandoc.normalize(doc)))
    apart = render_prepared(prepared, ("redline.html", "redline.docx")).files
    assert joined["redline.html"] == apart["redline.html"]
    assert _as_read(joined["redline.docx"]) == _as_read(apart["redline.docx"])
    assert '[ "deletion" ]' in _as_read(joined["redline.docx"]) and '[ "insertion" ]' in _as_read(joined["redline.docx"])


def test_a_policy_read_ahead_is_parsed_once_and_a_fifo_is_left_alone(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`styrdok diff` has pandoc read both files while its modules load: `load` then takes that
    parse instead of starting pandoc again; a named pipe is not read (it would hang or be emptied)."""
    import os

    from styrdok import source

    calls: list[list[str]] = []
    real = pandoc.run
    monkeypatch.setattr(pandoc, "run", lambda args, data, **kw: calls.append(args) or real(args, data, **kw))
    path = tmp_path / "social-ekonomi.md"
    path.write_bytes(SEED_POLICY.read_bytes())
    source.read_ahead(path)
    policy = source.load(path)
    assert len(calls) == 1
    assert policy == source.load(path) and len(calls) == 2
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    source.read_ahead(fifo)
    assert len(calls) == 2


def test_pandoc_reads_the_text_while_the_front_matter_is_checked(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load from the main thread starts pandoc's read before validating the front matter (the
    validation's imports take as long as the read); a pool's worker reads in its own thread, so
    that it never waits on a read queued behind it."""
    import threading

    from styrdok import source

    events: list[str] = []
    real_read_ahead, real_metadata = pandoc.read_ahead, source._metadata
    monkeypatch.setattr(pandoc, "read_ahead", lambda text: (events.append("read"), real_read_ahead(text))[1])
    monkeypatch.setattr(source, "_metadata", lambda *a, **k: (events.append("front matter"), real_metadata(*a, **k))[1])
    path = tmp_path / "social-ekonomi.md"
    path.write_bytes(SEED_POLICY.read_bytes())
    in_main = source.load(path)
    assert events == ["read", "front matter"]
    events.clear()
    in_worker: list[object] = []
    worker = threading.Thread(target=lambda: in_worker.append(source.load(path)))
    worker.start()
    worker.join()
    assert events == ["front matter"] and in_worker == [in_main]
