"""Read a tagged PDF's logical structure with pypdf: what PDF/UA checks look at.

`marked_content(page)` follows the page's marked-content operators (BDC/BMC … EMC) and returns the
text of each MCID and every XObject drawn with the marked content enclosing it; `structure(reader)`
walks the structure tree from /StructTreeRoot, joining each element's text from its MCIDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject


@dataclass
class Marked:
    texts: dict[int, str] = field(default_factory=dict)  # MCID → text
    artifact_text: str = ""  # text drawn inside /Artifact
    draws: list[tuple[str, tuple[str, ...], int | None]] = field(default_factory=list)  # (XObject, tags, MCID)
    tagged_in_artifact: list[int] = field(default_factory=list)  # MCIDs inside an /Artifact (a PDF/UA error)


def marked_content(page: PageObject) -> Marked:
    result = Marked()
    stack: list[tuple[str, int | None]] = []

    def before(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        if op in (b"BDC", b"BMC"):
            props = args[1] if len(args) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            if mcid is not None and any(tag == "/Artifact" for tag, _ in stack):
                result.tagged_in_artifact.append(int(mcid))
            stack.append((str(args[0]), None if mcid is None else int(mcid)))
        elif op == b"EMC" and stack:
            stack.pop()
        elif op == b"Do":
            result.draws.append((str(args[0]), tuple(tag for tag, _ in stack), _current(stack)))

    def text(value: str, *_: Any) -> None:
        if not value:
            return
        mcid = _current(stack)
        if mcid is not None:
            result.texts[mcid] = result.texts.get(mcid, "") + value
        elif any(tag == "/Artifact" for tag, _ in stack):
            result.artifact_text += value

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return result


def _current(stack: list[tuple[str, int | None]]) -> int | None:
    for _, mcid in reversed(stack):
        if mcid is not None:
            return mcid
    return None


@dataclass
class Element:
    role: str  # /S, e.g. /Table, /TH, /Figure
    attrs: DictionaryObject
    page: int | None  # index of its page (/Pg), inherited from the parent
    mcids: list[tuple[int, int]]  # (page index, MCID) of its own content
    children: list[Element]

    def text(self, pages: dict[int, Marked]) -> str:
        own = "".join(pages[p].texts.get(m, "") for p, m in self.mcids if p in pages)
        return " ".join((own + "".join(c.text(pages) for c in self.children)).split())

    def walk(self) -> list[Element]:
        return [self, *(e for c in self.children for e in c.walk())]


def structure(reader: PdfReader) -> Element:
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}  # type: ignore[union-attr]

    def build(node: Any, page: int | None) -> Element | None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return None
        if "/Pg" in node:
            page = page_index.get(node.raw_get("/Pg").idnum, page)
        element = Element(str(node.get("/S", "/StructTreeRoot")), node, page, [], [])
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                element.mcids.append((page if page is not None else -1, int(kid)))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                kid_page = page_index.get(kid.raw_get("/Pg").idnum, page) if "/Pg" in kid else page
                element.mcids.append((kid_page if kid_page is not None else -1, int(kid["/MCID"])))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
                continue
            else:
                child = build(kid, page)
                if child is not None:
                    element.children.append(child)
        return element

    tree = build(root, None)
    assert tree is not None
    return tree

