"""Numbered lists in redlines: each item shows its number in its own version (the new one, or
the old one for a deleted item) — in the HTML (<li value>), the PDF (pdftotext) and the DOCX
(pandoc's reader, accepting and rejecting every change) — and a reworded item is a word change
inside it. Generated edits of the seed with its goals as a numbered list."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pathlib import Path

from docx_edit import read_parts, write_parts
from seed_edits import NUMBERED_EDITS, ROOT, Doc, Numbered, load, numbered_seed
from styrdok import pandoc
from styrdok.redline import render_redline
from test_redline import NS, TEMPLATES, W, check_invariants, redline_article

LIST_SECTION = "malsattning"
PDF_ITEM = re.compile(r"^\s*(\d+)\.\s+(\S.*)$")


def _items(doc: Doc) -> list[str]:
    [items] = [b for s in doc.sections if s.id == LIST_SECTION for b in s.blocks if isinstance(b, Numbered)]
    return list(items)


def _words(text: str) -> str:
    return " ".join(text.split())


def html_numbers(html: bytes) -> list[tuple[int, str, str]]:
    """(number shown, class, text) of the items of the article's numbered lists."""
    article = redline_article(html)
    return [(int(li.get("value") or 0), li.get("class") or "", _words(li.text_content()))
            for ol in article.iter("ol") for li in ol.findall("li")]


def docx_numbers(docx: bytes, track_changes: str) -> list[tuple[int, str]]:
    """(number, text) of the numbered items as pandoc's reader sees the DOCX with every change
    accepted or rejected. Word leaves out a paragraph that is gone in that view where pandoc
    keeps an empty item, so empty items are not counted; rejecting also undoes the paragraphs'
    tracked property changes (w:pPrChange), as Word does and pandoc does not."""
    if track_changes == "reject":
        docx = _reject_property_changes(docx)
    doc = pandoc.read_word(docx, track_changes=track_changes)
    out: list[tuple[int, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "OrderedList":
                start = node["c"][0][0]
                kept = [item for item in node["c"][1] if _words(pandoc.stringify(item))]
                out.extend((start + i, _words(pandoc.stringify(item))) for i, item in enumerate(kept))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return out


def _reject_property_changes(docx: bytes) -> bytes:
    parts = read_parts(docx)
    root = etree.fromstring(parts["word/document.xml"])
    for change in root.iterfind(".//w:pPrChange", NS):
        props = change.getparent()
        [before] = change.findall("w:pPr", NS)
        for child in [c for c in props if c.tag not in (f"{{{W}}}rPr", f"{{{W}}}sectPr")]:
            props.remove(child)
        for position, child in enumerate(before):
            props.insert(position, child)
    parts["word/document.xml"] = etree.tostring(root)
    return write_parts(parts)


def pdf_numbers(pdf: bytes) -> list[int]:
    """The numbers in front of list items in the PDF's text, after its summary page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    text = subprocess.run(["pdftotext", "-layout", "-f", "2", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    return [int(m.group(1)) for line in text.splitlines() if (m := PDF_ITEM.match(line))]


def check_numbers(old_doc: Doc, new_doc: Doc) -> dict[str, bytes]:
    old_items, new_items = _items(old_doc), _items(new_doc)
    files = check_invariants(load(old_doc), load(new_doc))
    if not files:
        return files
    files["redline.pdf"] = render_redline(load(old_doc), load(new_doc), TEMPLATES,
                                          files=("redline.pdf",)).files["redline.pdf"]
    shown = html_numbers(files["redline.html"])
    assert [n for n, cls, _ in shown if cls != "deleted-item"] == list(range(1, len(new_items) + 1)), \
        "HTML: the items of the new version are numbered as in the new version"
    for number, cls, text in shown:
        if cls == "deleted-item":
            assert _words(old_items[number - 1]) == text, "HTML: a deleted item shows its old number"
    assert pdf_numbers(files["redline.pdf"]) == [n for n, _, _ in shown], "PDF: the numbers of the HTML"
    docx = files["redline.docx"]
    assert docx_numbers(docx, "accept") == [(i, _words(t)) for i, t in enumerate(new_items, 1)], \
        "DOCX, every change accepted: the new numbers"
    assert docx_numbers(docx, "reject") == [(i, _words(t)) for i, t in enumerate(old_items, 1)], \
        "DOCX, every change rejected: the old numbers"
    return files


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_numbered_items_reworded_inserted_and_deleted_show_their_own_numbers(data: st.DataObject) -> None:
    doc = copy.deepcopy(numbered_seed())
    for edit in data.draw(st.lists(st.sampled_from(NUMBERED_EDITS), min_size=1, max_size=3), label="edits"):
        edit(doc, data.draw)
    check_numbers(numbered_seed(), doc)


def test_a_reworded_numbered_item_is_a_word_change_inside_it() -> None:
    doc = copy.deepcopy(numbered_seed())
    items = next(b for s in doc.sections for b in s.blocks if isinstance(b, Numbered))
    items[0] = items[0].replace("positivt", "nyfiket")
    assert check_numbers(numbered_seed(), doc)
    html = render_redline(load(numbered_seed()), load(doc), TEMPLATES, files=("redline.html",)).files["redline.html"]
    [li] = [li for li in lxml.html.fromstring(html).xpath("//article//ol/li") if "nyfiket" in li.text_content()]
    assert li.get("value") == "1" and not li.get("class")
    assert [e.text_content() for e in li.xpath(".//del")] == ["positivt"]
    assert [e.text_content() for e in li.xpath(".//ins")] == ["nyfiket"]


def test_a_deleted_and_an_inserted_numbered_item() -> None:
    """Item 2 deleted, a new item 4: the HTML shows 1, 2 (deleted), 2, 3, 4 (new), 4 …"""
    doc = copy.deepcopy(numbered_seed())
    items = next(b for s in doc.sections for b in s.blocks if isinstance(b, Numbered))
    del items[1]
    items.insert(3, "arbeta för fler sociala företag i hela kommunen")
    shown = [(n, cls) for n, cls, _ in html_numbers(check_numbers(numbered_seed(), doc)["redline.html"])]
    assert shown[:6] == [(1, ""), (2, "deleted-item"), (2, ""), (3, ""), (4, "inserted-item"), (5, "")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_numbers_the_items_as_word_does(tmp_path: Path) -> None:
    """LibreOffice 7.4 leaves an item a deleted item's paragraph mark joins out of the new
    numbering; its own numbering instance keeps every later number right."""
    doc = copy.deepcopy(numbered_seed())
    items = next(b for s in doc.sections for b in s.blocks if isinstance(b, Numbered))
    del items[1]
    items[2] = items[2].replace("uppmuntra", "stödja")
    docx = tmp_path / "redline.docx"
    docx.write_bytes(render_redline(load(numbered_seed()), load(doc), TEMPLATES, files=("redline.docx",)).files["redline.docx"])
    done = subprocess.run([str(ROOT / "scripts" / "check-redline-libreoffice.sh"), str(docx), str(tmp_path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", "-layout", done.stdout.strip(), "-"], capture_output=True, text=True,
                          check=True).stdout
    goals = text[text.index("målsättning att:"):]
    numbers = [m.group(1) for line in goals.splitlines()[1:12] if (m := re.match(r"^\s*(\[?\d+\.\]?)\s", line))]
    assert numbers == ["1.", "[2.]", "[2.]", "[3.]", "4."], goals[:800]
