"""Editing a styrdok DOCX the way Word does: an edit of the seed (tests/seed_edits.py) applied
to the document XML, typed (untracked) or with tracked changes — insertions (some without an
author, as some tools write them), deletions with their paragraph marks, and moved paragraphs
as Word's native moves (w:moveFrom / w:moveTo).

Each heading, paragraph and list item of the policy is one w:p in styrdok's DOCX, so the edit
is a sequence alignment of those units.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from difflib import SequenceMatcher

from lxml import etree

from seed_edits import NOTE, Doc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
AUTHOR, DATE = "Eva Ek", "2026-11-20T10:00:00Z"
STYRDOK_STYLES = ("Dokumenttyp", "Beslutsrad", "TableCaption")  # the title block, not the policy's text


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Unit:
    kind: str  # h, p, i (heading, paragraph, list item)
    text: str
    ident: str = ""  # heading id
    level: int = 0
    group: int = -1  # the list a list item belongs to
    note: str = ""  # the label of the footnote cited at its end (the DOCX: a w:footnoteReference run)

    @property
    def sig(self) -> tuple:
        return ("h", self.ident) if self.kind == "h" else (self.kind, self.text, self.note)


def units(doc: Doc) -> list[Unit]:
    out: list[Unit] = []
    group = 0
    for s in doc.sections:
        if s.level:
            out.append(Unit("h", s.title, s.id, s.level))
        for b in s.blocks:
            if isinstance(b, str):
                note = NOTE.search(b)
                out.append(Unit("p", NOTE.sub("", b), note=note.group(1) if note else ""))
            else:
                group += 1
                out += [Unit("i", item, group=group) for item in b]
    return out


def read_parts(docx: bytes) -> dict[str, bytes]:
    """A DOCX's parts by name, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_parts(parts: dict[str, bytes]) -> bytes:
    """A DOCX of these parts, in this order, as Word writes them (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def edit_docx(data: bytes, old: Doc, new: Doc, *, tracked: bool) -> bytes:
    parts = read_parts(data)
    root = etree.fromstring(parts[DOCUMENT])
    body = root.find(w("body"))
    paragraphs = [p for p in body.findall(w("p")) if _style(p) not in STYRDOK_STYLES and not _is_title(p)]
    before, after = units(old), units(new)
    assert len(paragraphs) == len(before), (len(paragraphs), len(before))
    editor = _Editor(body, tracked, paragraphs)
    for unit, p in zip(before, paragraphs):  # each footnote's reference, to go where its paragraph goes
        if unit.note:
            editor.notes[unit.note] = next(r for r in p.iter(w("r")) if r.find(w("footnoteReference")) is not None)
    matcher = SequenceMatcher(None, [u.sig for u in before], [u.sig for u in after], autojunk=False)
    steps = []  # (op, i1, i2, j1, j2, pairs)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs: list[tuple[int, int]] = []
        if op == "replace":  # a unit of the same kind, in order: an edit of its words
            last = j1 - 1
            for i in range(i1, i2):
                j = next((j for j in range(last + 1, j2) if after[j].kind == before[i].kind != "h"), None)
                if j is not None:
                    pairs.append((i, j))
                    last = j
        steps.append((op, i1, i2, j1, j2, pairs))
    removed = {before[i].sig for op, i1, i2, _, _, pairs in steps if op != "equal"
               for i in range(i1, i2) if i not in dict(pairs)}
    added = {after[j].sig for op, _, _, j1, j2, pairs in steps if op != "equal"
             for j in range(j1, j2) if j not in {b for _, b in pairs}}
    moves = removed & added  # Word's native moves: the same text gone here, come there
    where = {sig: i for op, i1, i2, _, _, _ in steps for i in range(i1, i2) if (sig := before[i].sig) in moves}
    matched = {j: i for op, i1, i2, j1, j2, pairs in steps for i, j in
               (zip(range(i1, i2), range(j1, j2)) if op == "equal" else pairs)}
    anchor = paragraphs[0].getprevious()  # new paragraphs go after it: the control block's table
    while anchor is not None and anchor.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        anchor = anchor.getprevious()
    assert anchor is not None
    placed: dict[int, etree._Element] = {}
    for op, i1, i2, j1, j2, pairs in steps:
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if before[i].text != after[j].text:  # a renamed heading: same id, new words
                    editor.retext(paragraphs[i], before[i].text, after[j].text, before[i].note, after[j].note)
                placed[j] = anchor = paragraphs[i]
            continue
        by_new = {j: i for i, j in pairs}
        waiting = [i for i in range(i1, i2) if i not in dict(pairs)]
        for j in range(j1, j2):
            if j in by_new:
                i = by_new[j]
                for k in [k for k in waiting if k < i]:
                    editor.remove(paragraphs[k], moved=before[k].sig in moves, note=before[k].note)
                    waiting.remove(k)
                editor.retext(paragraphs[i], before[i].text, after[j].text, before[i].note, after[j].note)
                placed[j] = anchor = paragraphs[i]
            else:
                template = _template(after[j], paragraphs, before, after, matched)
                moved = after[j].sig in moves
                placed[j] = anchor = editor.insert(after[j], template, anchor, moved=moved, unauthored=j % 3 == 0)
        for k in waiting:
            editor.remove(paragraphs[k], moved=before[k].sig in moves, note=before[k].note)
    assert not (set(where) - moves)
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return write_parts(parts)


def _style(p: etree._Element) -> str | None:
    el = p.find(f"{w('pPr')}/{w('pStyle')}")
    return el.get(w("val")) if el is not None else None


def _is_title(p: etree._Element) -> bool:
    prev = p.getprevious()
    return _style(p) == "Heading1" and prev is not None and prev.tag == w("bookmarkStart") and \
        prev.get(w("name")) == "titel"


def _template(unit: Unit, paragraphs: list, before: list[Unit], after: list[Unit],
              matched: dict[int, int]) -> etree._Element:
    """A paragraph to clone for a new unit: same kind (and list, level) as in the DOCX."""
    if unit.kind == "i":  # a new item of a list: an item kept in that list
        for j, other in enumerate(after):
            if other.group == unit.group and j in matched and other.kind == "i":
                return paragraphs[matched[j]]
    for i, other in enumerate(before):
        if other.kind == unit.kind and (unit.kind != "h" or other.level == unit.level):
            if unit.kind != "p" or _style(paragraphs[i]) == "BodyText":
                return paragraphs[i]
    return next(p for i, p in enumerate(paragraphs) if before[i].kind == unit.kind)


class _Editor:
    def __init__(self, body: etree._Element, tracked: bool, paragraphs: list[etree._Element]):
        self.body, self.tracked = body, tracked
        self.ids = 5000
        self.notes: dict[str, etree._Element] = {}  # footnote label → its reference run
        self.bookmarks = {b.get(w("name")): b for b in body.iter(w("bookmarkStart"))}

    def _id(self) -> str:
        self.ids += 1
        return str(self.ids)

    def _change(self, tag: str, unauthored: bool = False) -> etree._Element:
        attrs = {w("id"): self._id(), w("date"): DATE}
        if not unauthored:
            attrs[w("author")] = AUTHOR
        return etree.Element(w(tag), attrs)

    def _run(self, text: str, deleted: bool = False) -> etree._Element:
        r = etree.Element(w("r"))
        t = etree.SubElement(r, w("delText" if deleted else "t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    def _clear(self, p: etree._Element) -> None:
        for child in list(p):
            if child.tag != w("pPr"):
                p.remove(child)

    def _note(self, label: str) -> list[etree._Element]:
        """The reference run of the footnote `label` (none without a label), to place again."""
        return [copy.deepcopy(self.notes[label])] if label else []

    def retext(self, p: etree._Element, old: str, new: str, old_note: str = "", new_note: str = "") -> None:
        """New words; a footnote cited at the end stays there (edits keep it: seed_edits._set), or is
        deleted and another inserted when the paragraph was paired with another one."""
        self._clear(p)
        if not self.tracked:
            p.extend([self._run(new), *self._note(new_note)])
            return
        p.extend(self._retext(old, new))
        if old_note == new_note:
            p.extend(self._note(new_note))
            return
        for tag, note in (("del", old_note), ("ins", new_note)):
            if note:
                holder = self._change(tag)
                holder.extend(self._note(note))
                p.append(holder)

    def _retext(self, old: str, new: str) -> list[etree._Element]:
        p = etree.Element(w("p"))
        a, b = old.split(" "), new.split(" ")
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            lead = " " if i1 or j1 else ""
            if op == "equal":
                p.append(self._run(lead + " ".join(a[i1:i2])))
                continue
            if i2 > i1:
                d = self._change("del")
                d.append(self._run(lead + " ".join(a[i1:i2]), deleted=True))
                p.append(d)
            if j2 > j1:
                ins = self._change("ins")
                ins.append(self._run(lead + " ".join(b[j1:j2])))
                p.append(ins)
        return list(p)

    def _mark(self, p: etree._Element, tag: str, unauthored: bool = False) -> None:
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.insert(0, self._change(tag, unauthored))

    def remove(self, p: etree._Element, *, moved: bool, note: str = "") -> None:
        if not self.tracked:
            self._drop_bookmark_before(p, keep=False)
            p.getparent().remove(p)
            return
        text = "".join(t.text or "" for t in p.iter(w("t")))
        self._clear(p)
        holder = self._change("moveFrom" if moved else "del")
        holder.append(self._run(text, deleted=True))
        holder.extend(self._note(note))  # deleted with its paragraph: back when the change is rejected
        p.append(holder)
        self._mark(p, "moveFrom" if moved else "del")

    def _drop_bookmark_before(self, p: etree._Element, keep: bool) -> etree._Element | None:
        prev = p.getprevious()
        found = None
        while prev is not None and prev.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            if prev.tag == w("bookmarkStart"):
                found = prev
            prev = prev.getprevious()
        if found is not None and not keep:
            found.getparent().remove(found)
        return found

    def insert(self, unit: Unit, template: etree._Element, after: etree._Element, *, moved: bool,
               unauthored: bool) -> etree._Element:
        p = etree.Element(w("p"))
        ppr = template.find(w("pPr"))
        if ppr is not None:
            ppr = copy.deepcopy(ppr)
            rpr = ppr.find(w("rPr"))
            if rpr is not None:
                ppr.remove(rpr)
            p.append(ppr)
        if self.tracked:
            holder = self._change("moveTo" if moved else "ins", unauthored=unauthored and not moved)
            holder.append(self._run(unit.text))
            holder.extend(self._note(unit.note))
            p.append(holder)
            self._mark(p, "moveTo" if moved else "ins", unauthored=unauthored and not moved)
        else:
            p.append(self._run(unit.text))
            p.extend(self._note(unit.note))
        after.addnext(p)
        if unit.kind == "h":  # the section's bookmark moves with its heading
            mark = etree.Element(w("bookmarkStart"), {w("id"): self._id(), w("name"): unit.ident})
            p.addprevious(mark)
        return p
