"""Embed the theme's fonts in a DOCX, as Word does (ECMA-376 Part 1, §17.8.1 and §17.8.3.3).

Each face is stored as an obfuscated font part (word/fonts/fontN.odttf): the first 32 bytes of
the file XORed with a 16-byte key taken from a GUID, which the font table names in the
`w:fontKey` of its `w:embedRegular` / `w:embedBold` / `w:embedItalic` / `w:embedBoldItalic`;
`w:embedTrueTypeFonts` in the settings tells Word to use them. The key is derived from the
font's bytes, so the same fonts give the same DOCX bytes. Only the four faces Word can name
(regular, bold, italic, bold italic) exist in a DOCX; the italic pair is embedded only when
the document has italic text. Faces whose licence forbids embedding (OS/2 fsType) are left out.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

from lxml import etree

from ..fonts import Face, nearest
from .docx_package import FONT, FONT_TABLE, SETTINGS, Package, Part, element, qn

FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_SUFFIX = ".odttf"

# The four faces a DOCX can embed per family: (element, weight, italic).
SLOTS = (("embedRegular", 400, False), ("embedBold", 700, False),
         ("embedItalic", 400, True), ("embedBoldItalic", 700, True))

# CT_Settings: the elements that may come before w:embedTrueTypeFonts (Word rejects a wrong order).
_SETTINGS_BEFORE = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                    "printFractionalCharacterWidth", "printFormsData")
# CT_Font: the children that come before the embed* elements.
_FONT_BEFORE = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig")

_ITALIC = re.compile(rb"<w:i(?:\s*/>|\s+w:val=\"(?:1|true|on)\"\s*/>)")
_I, _VAL, _ON = qn("w:i"), qn("w:val"), ("1", "true", "on")


@dataclass(frozen=True)
class EmbeddedFamily:
    """A family to embed and its faces (from styrdok.fonts)."""

    family: str
    faces: tuple[Face, ...]


def font_key(data: bytes) -> str:
    """The GUID that obfuscates one font, derived from its bytes: '{XXXXXXXX-XXXX-…}'."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes, taken from the GUID's hex digits from the
    last to the first (§17.8.1). The same operation reverses it."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def uses_italic(package: Package) -> bool:
    """Whether any run or style of the document (body, headers, footers, styles) is italic."""
    for part in package.parts():
        if not (part.content_type.endswith("+xml") and part.name.startswith("/word/")):
            continue
        if part.xml_part:  # searched as XML; another part is not parsed for this
            if any(i.get(_VAL, "true") in _ON for i in part.element.iter(_I)):
                return True
        elif _ITALIC.search(part.blob):
            return True
    return False


def embed_fonts(package: Package, families: tuple[EmbeddedFamily, ...]) -> int:
    """Embed each family's faces in `package` (in place); the number of faces embedded."""
    italic = uses_italic(package)
    table = package.document.related(FONT_TABLE)
    if table is None:
        return 0
    chosen = [(family, faces) for family in families if (faces := _faces(family, italic))]
    if not chosen:
        return 0  # the font table is left as it is, not parsed and written back
    fonts_el = table.element
    count = 0
    for family, faces in chosen:
        font_el = _font_element(fonts_el, family.family)
        for old in [c for c in font_el if c.tag.startswith(qn("w:embed"))]:
            font_el.remove(old)
        anchor = _last_of(font_el, _FONT_BEFORE)
        for slot, face in faces:
            count += 1
            data = face.data()
            key = font_key(data)
            part = Part(f"/word/fonts/font{count}{FONT_SUFFIX}", FONT_CONTENT_TYPE, obfuscate(data, key))
            embed = element(f"w:{slot}", {qn("r:id"): table.relate(part, FONT), qn("w:fontKey"): key})
            if anchor is None:
                font_el.insert(0, embed)
            else:
                anchor.addnext(embed)
            anchor = embed
    _enable_in_settings(package)
    return count


def _faces(family: EmbeddedFamily, italic: bool) -> list[tuple[str, Face]]:
    """The family's faces for the slots a DOCX has: (slot, face)."""
    chosen = []
    for slot, weight, slant in SLOTS:
        if slant and not italic:
            continue
        face = nearest(family.faces, weight, slant)
        if face is None or not face.embeddable or (weight == 700 and face.weight < 600) \
                or (weight == 400 and face.weight > 500):
            continue  # no true bold (or regular): Word synthesises it rather than use a wrong weight
        chosen.append((slot, face))
    return chosen


def _font_element(fonts_el: etree._Element, name: str) -> etree._Element:
    for font in fonts_el.findall(qn("w:font")):
        if font.get(qn("w:name")) == name:
            return font
    font = element("w:font", {qn("w:name"): name})
    for tag, value in (("charset", "00"), ("family", "swiss"), ("pitch", "variable")):
        font.append(element(f"w:{tag}", {qn("w:val"): value}))
    fonts_el.append(font)
    return font


def _last_of(parent: etree._Element, names: tuple[str, ...]) -> etree._Element | None:
    found = None
    for child in parent:
        if child.tag in {qn(f"w:{n}") for n in names}:
            found = child
    return found


def _enable_in_settings(package: Package) -> None:
    part = package.document.related(SETTINGS)
    if part is None:
        return
    settings = part.element
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    embed = element("w:embedTrueTypeFonts")
    anchor = _last_of(settings, _SETTINGS_BEFORE)
    if anchor is None:
        settings.insert(0, embed)
    else:
        anchor.addnext(embed)
