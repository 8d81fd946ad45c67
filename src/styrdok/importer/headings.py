"""Finding headings the way a reader sees them, in order of evidence:

1. a built-in heading style, by its language-neutral name (Swedish Word: id `Rubrik1`, name
   `heading 1`);
2. a style based on one of them;
3. the paragraph's outline level (`w:outlineLvl`, which pandoc ignores);
4. in legacy files of Normal text: a short paragraph, bold or larger than the text, not ending
   in a full stop; a typed number ("2.", "2.1") gives its level and is removed from the text.

The title (style Title, or the first heading before any text) is the front matter's title,
never a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _
from .wordfile import Paragraph, WordFile

# The language-neutral name Word stores ("heading 1", also in Swedish Word), and the Swedish name
# itself, which some tools and old templates store instead ("Rubrik 1").
BUILTIN = re.compile(r"^(?:heading|rubrik) ?([1-9])$")
TITLE_NAMES = {"title", "rubrik"}  # Swedish Word's Title style is "Rubrik"
TYPED_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,2})*)(\.?)[\t ]+(?=\S)")
BARE_NUMBER = re.compile(r"^(\d{1,2})[\t ]+(?=[^\W\d])")
# Symbol-font bullets (U+F0B7 …) are what old files converted from WordPerfect or pasted from PDFs carry.
SYMBOL_BULLETS = "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8"
TYPED_BULLET = re.compile(rf"^\s*([•·▪◦●■□➢►‣⁃\-–—*{SYMBOL_BULLETS}]|o(?=\t))[\t ]+(?=\S)")
NOT_TITLES = {"inledning", "bakgrund", "syfte", "sammanfattning", "innehåll", "innehållsförteckning"}
MAX_WORDS, MAX_CHARS = 14, 120


@dataclass(frozen=True)
class Heading:
    paragraph: int
    level: int  # in Word's terms: 1 is the top level
    evidence: str  # what made it a heading, in the words of the report
    text: str  # without a typed number
    typed_number: str | None = None
    guessed: bool = False  # taken as a heading from its look (bold, size) rather than from a style


def typed_number(text: str) -> tuple[str | None, str]:
    """("2.1", rest) when the text starts with a typed section number, else (None, text)."""
    m = TYPED_NUMBER.match(text)
    if not m or (not m.group(2) and "." not in m.group(1)):
        return None, text
    return m.group(1), text[m.end():]


def typed_bullet(text: str) -> bool:
    return bool(TYPED_BULLET.match(text))


def style_level(p: Paragraph) -> tuple[int, str] | None:
    """The level from the paragraph's style or a style it is based on, with the evidence."""
    for depth, style in enumerate(p.styles):
        if m := BUILTIN.match(style.name):
            name = style.id if style.id.lower() == style.name.replace(" ", "") else f"{style.id} ({style.name})"
            return int(m.group(1)), (_("style {style}").format(style=name) if depth == 0 else
                                     _("style {style}, based on {base}").format(style=p.styles[0].id, base=style.name))
    return None


def is_title_style(p: Paragraph) -> bool:
    return any(s.name in TITLE_NAMES for s in p.styles)


def find(doc: WordFile, skip: set[int]) -> tuple[dict[int, Heading], Heading | None]:
    """Headings by paragraph number, and the title (a heading-like paragraph that names the
    document). `skip` holds paragraphs already taken as metadata."""
    found: dict[int, Heading] = {}
    legacy: list[Paragraph] = []
    title: Heading | None = None
    body = doc.body_size
    numbered = _numbered_headings(doc, skip, body)
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text or p.number in skip or p.in_table is not None:
            continue
        number, rest = typed_number(text)
        clean = " ".join(rest.split())
        if is_title_style(p):
            if title is None:
                title = Heading(p.number, 0, _("style {style} (title)").format(style=p.style), clean)
            continue
        if (hit := style_level(p)) is not None:
            found[p.number] = Heading(p.number, hit[0], hit[1], clean, number)
        elif p.outline:
            found[p.number] = Heading(p.number, p.outline, _("outline level {level} (w:outlineLvl)")
                                      .format(level=p.outline), clean, number)
        elif not p.listed and not typed_bullet(text) and _looks_like_heading(p, text, body):
            legacy.append(p)
        elif p.number in numbered:
            legacy.append(p)  # a bold line numbered by Word's own list, text under it: a heading
    for p, level, evidence, number, clean in _legacy_levels(legacy, body):
        found[p.number] = Heading(p.number, level, evidence, clean, number, guessed=True)
    if title is None:
        title = _first_as_title(doc, found, skip)
        if title is not None:
            del found[title.paragraph]
    return found, title


def _looks_like_heading(p: Paragraph, text: str, body: float | None) -> bool:
    if len(text) > MAX_CHARS or len(text.split()) > MAX_WORDS or text.endswith((".", ";", ",")):
        return False
    if not re.search(r"[A-Za-zÅÄÖåäöÉé]", text):
        return False
    larger = bool(p.size and body and p.size >= body + 1)
    return p.bold or larger


def _numbered_heading(p: Paragraph, text: str, body: float | None) -> bool:
    return p.listed and p.list_format not in (None, "bullet", "none") and p.bold and _looks_like_heading(p, text, body)


def _numbered_headings(doc: WordFile, skip: set[int], body: float | None) -> set[int]:
    """Bold lines numbered by a Word list that read as headings: the last list paragraphs before
    text, when each is such a line deeper than the one before (a heading, its first subheading …).
    Bold items in a row at one level are a list, not headings."""
    out: set[int] = set()
    run: list[Paragraph] = []
    for p in [q for q in doc.paragraphs if q.text.strip() and q.number not in skip and q.in_table is None]:
        if p.listed:
            run.append(p)
            continue
        tail: list[Paragraph] = []  # the run's last items that look like headings (after a bullet list, say)
        for q in reversed(run):
            if not _numbered_heading(q, q.text.strip(), body):
                break
            tail.insert(0, q)
        if tail and all(a.list_level < b.list_level for a, b in zip(tail, tail[1:])):
            out |= {q.number for q in tail}
        run = []
    return out


def _legacy_levels(paragraphs: list[Paragraph],
                   body: float | None) -> list[tuple[Paragraph, int, str, str | None, str]]:
    """Levels of bold/large headings: a typed number gives it; otherwise the size does
    (the largest is the top level), as a reader would rank them."""
    sizes = sorted({p.size or 0 for p in paragraphs}, reverse=True)
    numbered_size: dict[float, int] = {}
    items: list[tuple[Paragraph, int | None, str, str | None, str]] = []
    top = 0  # the top-level number of the last numbered heading
    for p in paragraphs:
        number, rest = typed_number(p.text.strip())
        # "3 Ansvar": a number without a full stop is one only where it continues the headings' numbers
        if number is None and (bare := BARE_NUMBER.match(p.text.strip())) and int(bare.group(1)) == top + 1:
            number, rest = bare.group(1), p.text.strip()[bare.end():]
        if number:
            top = int(number.split(".")[0])
        clean = " ".join(rest.split())
        size = f"{p.size:g}" if p.size else "?"
        look = (_("bold text") if p.bold else _("larger text")) if not (p.size and body and p.size >= body + 1) else \
            (_("bold text, {size} pt") if p.bold else _("larger text, {size} pt")).format(size=size)
        if number:
            level = len([n for n in number.split(".") if n])
            numbered_size.setdefault(p.size or 0, level)
            items.append((p, level, _("{look}, numbered {number}").format(look=look, number=number), number, clean))
        elif p.listed:  # numbered by Word's list: its level in the list is the heading's
            numbered_size.setdefault(p.size or 0, p.list_level + 1)
            items.append((p, p.list_level + 1, _("{look}, numbered by a Word list (level {level})")
                          .format(look=look, level=p.list_level + 1), None, clean))
        else:
            items.append((p, None, _("{look}, short and without a full stop").format(look=look), None, clean))
    out = []
    for p, given, evidence, number, clean in items:
        level = given if given is not None else numbered_size.get(p.size or 0, sizes.index(p.size or 0) + 1)
        out.append((p, level, evidence, number, clean))
    return out


def _first_as_title(doc: WordFile, found: dict[int, Heading], skip: set[int]) -> Heading | None:
    """The first heading, when it comes before any text and is not a numbered or generic section."""
    first_text = next((p.number for p in doc.paragraphs if p.text.strip() and p.number not in skip
                       and p.in_table is None and p.number not in found), None)
    candidates = sorted(found.values(), key=lambda h: h.paragraph)
    if not candidates:
        return None
    head = candidates[0]
    if first_text is not None and first_text < head.paragraph:
        return None
    if head.typed_number or head.text.lower().rstrip(":") in NOT_TITLES:
        return None
    later = [h.level for h in candidates[1:]]
    if later and head.level > min(later):
        return None
    return Heading(head.paragraph, 0, _("the first heading ({evidence})").format(evidence=head.evidence), head.text,
                   guessed=head.guessed)
