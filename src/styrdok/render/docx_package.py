"""A DOCX (an OPC package) read and written as python-docx does it, on lxml alone.

The package holds the parts reached from its relationships, depth first (python-docx's walk:
members nothing refers to are left out), each with its content type and relationships. The XML
parts python-docx parses (document, styles, settings, numbering, comments, headers, footers,
core properties) are parsed on first use and always written back re-serialized; another part
keeps its bytes unless it was parsed. `members` writes the [Content_Types].xml and the .rels
as python-docx does, so that the zip has python-docx's bytes without importing it (25 ms).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from . import zipped

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_RT = NS["r"] + "/"
OFFICE_DOCUMENT, STYLES, SETTINGS, NUMBERING, HEADER, FOOTER, IMAGE, FONT_TABLE, FONT = (
    _RT + name for name in ("officeDocument", "styles", "settings", "numbering", "header", "footer", "image",
                            "fontTable", "font"))
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
HEADER_TYPE, FOOTER_TYPE = _WML + "header+xml", _WML + "footer+xml"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
# The parts python-docx loads as XML (its PartFactory's classes), unless reached as an image.
_XML_TYPES = frozenset({CORE_TYPE, HEADER_TYPE, FOOTER_TYPE, *(_WML + t + "+xml" for t in (
    "comments", "document.main", "numbering", "settings", "styles"))})
# Extension and content type pairs written as a Default, not an Override (docx.opc.spec).
_DEFAULTS = frozenset({
    *(("bin", f"application/vnd.openxmlformats-officedocument.{kind}ml.printerSettings")
      for kind in ("presentation", "spreadsheet", "wordprocessing")),
    ("bmp", "image/bmp"), ("emf", "image/x-emf"), ("fntdata", "application/x-fontdata"), ("gif", "image/gif"),
    ("jpe", "image/jpeg"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("png", "image/png"),
    ("rels", _RELS_TYPE), ("tif", "image/tiff"), ("tiff", "image/tiff"), ("wdp", "image/vnd.ms-photo"),
    ("wmf", "image/x-wmf"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xml", "application/xml")})

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's
_IMAGE_NUMBER = re.compile(r"[a-zA-Z]+([1-9][0-9]*)?")


def qn(tag: str) -> str:
    """'w:p' → '{http://…/main}p'."""
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def xmlns(*prefixes: str) -> str:
    """The namespace declarations of `prefixes`, for XML text: 'xmlns:w="…"'."""
    return " ".join(f'xmlns:{prefix}="{NS[prefix]}"' for prefix in prefixes)


def parse(xml: str | bytes) -> etree._Element:
    return etree.fromstring(xml, _PARSER)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def element(tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """A new element declaring its own prefix only, as python-docx's OxmlElement makes it."""
    prefix = tag.split(":")[0]
    return etree.Element(qn(tag), attrs, nsmap={prefix: NS[prefix]})


def insert_before(parent: etree._Element, child: etree._Element, successors: tuple[str, ...]) -> etree._Element:
    """`child` put before the first of `successors` present (taken in their order), else last."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return child
    parent.append(child)
    return child


def get_or_add(parent: etree._Element, tag: str, successors: tuple[str, ...] = (), *,
               first: bool = False) -> etree._Element:
    """`parent`'s `tag` child, added where the schema wants it (`first`: as the first child) if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    if first:
        child = element(tag)
        parent.insert(0, child)
        return child
    return insert_before(parent, element(tag), successors)


@dataclass
class Relationship:
    reltype: str
    target: Part | str  # a URI for an external target

    @property
    def part(self) -> Part | None:
        return self.target if isinstance(self.target, Part) else None


class Part:
    """A part: its name ('/word/document.xml'), content type, bytes or XML, relationships."""

    def __init__(self, name: str, content_type: str, blob: bytes = b"", root: etree._Element | None = None,
                 xml_part: bool = False):
        self.name = name
        self.content_type = content_type
        self.rels: dict[str, Relationship] = {}
        self.xml_part = xml_part or root is not None  # python-docx holds it as XML: always re-serialized
        self._blob = blob
        self._root = root

    @property
    def element(self) -> etree._Element:
        """The root element, parsed on first use (and then written back)."""
        if self._root is None:
            self._root = parse(self._blob)
        return self._root

    @property
    def blob(self) -> bytes:
        return serialize(self.element) if self.xml_part or self._root is not None else self._blob

    def related(self, reltype: str) -> Part | None:
        """The part of the first relationship of `reltype`."""
        return next((rel.part for rel in self.rels.values() if rel.reltype == reltype and rel.part), None)

    def part_for(self, rel_id: str) -> Part:
        """The part of relationship `rel_id` (KeyError if there is none or it is external)."""
        part = self.rels[rel_id].part
        if part is None:
            raise KeyError(rel_id)
        return part

    def relate(self, target: Part, reltype: str) -> str:
        """The id of the relationship to `target`, added (the first free rIdN) if there is none."""
        for rel_id, rel in self.rels.items():
            if rel.reltype == reltype and rel.target is target:
                return rel_id
        rel_id = next(f"rId{n}" for n in range(1, len(self.rels) + 2) if f"rId{n}" not in self.rels)
        self.rels[rel_id] = Relationship(reltype, target)
        return rel_id


def _rels_name(name: str) -> str:
    folder, file = posixpath.split(name)
    return posixpath.join(folder, "_rels", file + ".rels")


class Package:
    """The parts of a DOCX: `root` the package itself (its relationships are _rels/.rels),
    `document` the main document part."""

    def __init__(self, data: bytes):
        self._members = zipped.read(data)
        types = parse(self._members[zipped.CONTENT_TYPES])
        self._overrides = {o.get("PartName").lower(): o.get("ContentType")
                           for o in types.findall(f"{{{_TYPES_NS}}}Override")}
        self._defaults = {d.get("Extension").lower(): d.get("ContentType")
                          for d in types.findall(f"{{{_TYPES_NS}}}Default")}
        self.root = Part("/", "")
        self._load(self.root, {})
        document = self.root.related(OFFICE_DOCUMENT)
        if document is None:
            raise KeyError(OFFICE_DOCUMENT)  # not a Word document (python-docx says the same)
        self.document = document

    def _load(self, source: Part, loaded: dict[str, Part]) -> None:
        """The relationships of `source`, loading each part they reach (depth first, as python-docx)."""
        xml = self._members.get(_rels_name(source.name)[1:])
        if xml is None:
            return
        base = posixpath.split(source.name)[0]
        for rel in parse(xml).findall(f"{{{_RELS_NS}}}Relationship"):
            rel_id, reltype, ref = rel.get("Id"), rel.get("Type"), rel.get("Target")
            if rel.get("TargetMode") == "External":
                source.rels[rel_id] = Relationship(reltype, ref)
                continue
            name = posixpath.abspath(posixpath.join(base, ref))
            part = loaded.get(name)
            if part is None:
                content_type = self._overrides.get(name.lower()) or self._defaults[_extension(name).lower()]
                part = loaded[name] = Part(name, content_type, self._members[name[1:]],
                                           xml_part=content_type in _XML_TYPES and reltype != IMAGE)
                self._load(part, loaded)
            source.rels[rel_id] = Relationship(reltype, part)

    def _relationships(self) -> Iterator[Relationship]:
        """Every relationship, depth first from the package's (python-docx's iter_rels)."""
        visited: set[Part] = set()

        def walk(rels: dict[str, Relationship]) -> Iterator[Relationship]:
            for rel in rels.values():
                yield rel
                if rel.part is not None and rel.part not in visited:
                    visited.add(rel.part)
                    yield from walk(rel.part.rels)

        return walk(self.root.rels)

    def parts(self) -> list[Part]:
        """Each part once, in python-docx's order (iter_parts)."""
        return list(dict.fromkeys(rel.part for rel in self._relationships() if rel.part is not None))

    def next_name(self, template: str) -> str:
        """'/word/header%d.xml' with the first number no part has."""
        names = {part.name for part in self.parts()}
        return next(template % n for n in range(1, len(names) + 2) if template % n not in names)

    def image(self, png: bytes) -> Part:
        """The image part holding `png`, new (the first free /word/media/imageN.png) if none does."""
        images = list(dict.fromkeys(rel.part for rel in self._relationships() if rel.reltype == IMAGE and rel.part))
        found = next((part for part in images if part.blob == png), None)
        if found is not None:
            return found
        used = set()
        for part in images:
            match = _IMAGE_NUMBER.match(posixpath.splitext(posixpath.basename(part.name))[0])
            if match and match.group(1):
                used.add(int(match.group(1)))
        number = next((n for n in range(1, len(images) + 1) if n not in used), len(images) + 1)
        return Part(f"/word/media/image{number}.png", "image/png", png)

    def members(self) -> dict[str, bytes]:
        """The zip members, as python-docx's `Document.save` writes them."""
        parts = self.parts()
        out = {zipped.CONTENT_TYPES: _content_types(parts), "_rels/.rels": _relationships_xml(self.root.rels, "/")}
        for part in parts:
            out[part.name[1:]] = part.blob
            if part.rels:
                out[_rels_name(part.name)[1:]] = _relationships_xml(part.rels, posixpath.split(part.name)[0])
        return out


def _extension(name: str) -> str:
    return posixpath.splitext(name)[1].removeprefix(".")


def _content_types(parts: list[Part]) -> bytes:
    defaults = {"rels": _RELS_TYPE, "xml": "application/xml"}
    overrides = {}
    for part in parts:
        ext = _extension(part.name).lower()
        if (ext, part.content_type) in _DEFAULTS:
            defaults[ext] = part.content_type
        else:
            overrides[part.name] = part.content_type
    root = etree.Element(f"{{{_TYPES_NS}}}Types", nsmap={None: _TYPES_NS})
    for ext in sorted(defaults):
        etree.SubElement(root, f"{{{_TYPES_NS}}}Default", {"Extension": ext, "ContentType": defaults[ext]})
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_TYPES_NS}}}Override", {"PartName": name, "ContentType": overrides[name]})
    return serialize(root)


def _relationships_xml(rels: dict[str, Relationship], base: str) -> bytes:
    root = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
    for rel_id, rel in rels.items():
        if rel.part is None:
            attrs = {"Id": rel_id, "Type": rel.reltype, "Target": str(rel.target), "TargetMode": "External"}
        else:
            target = rel.part.name[1:] if base == "/" else posixpath.relpath(rel.part.name, base)
            attrs = {"Id": rel_id, "Type": rel.reltype, "Target": target}
        etree.SubElement(root, f"{{{_RELS_NS}}}Relationship", attrs)
    return serialize(root)

