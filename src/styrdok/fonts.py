"""The theme's font files: one source for the PDF (Typst), the DOCX (embedded) and the website.

The families the theme names (fonts.body, fonts.heading) are looked up in the repository's
``templates/fonts/`` first, then in the packaged Source Sans Pro (PyPI ``font-source-sans-pro``,
SIL Open Font License 1.1: it may be embedded and redistributed unmodified, with its licence).
Files are used as they are — never subset or converted — so every reader gets the same glyphs
and the licence's conditions for the unmodified font apply. A family that no file provides
is only named (Word, the browser and Typst then use what the reader has).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .templates import Templates

FONTS_DIR = "fonts"  # the repository's templates/fonts/
FONT_SUFFIXES = (".ttf", ".otf")
MAX_FONT_BYTES = 32 * 2**20

# The static TrueType faces of the packaged Source Sans Pro. The package ships every face twice
# (.otf and .ttf); only the .ttf files are used, so every consumer picks the same file.
PACKAGED_FACES = (
    "SourceSansPro-Regular.ttf",
    "SourceSansPro-It.ttf",
    "SourceSansPro-Semibold.ttf",
    "SourceSansPro-SemiboldIt.ttf",
    "SourceSansPro-Bold.ttf",
    "SourceSansPro-BoldIt.ttf",
)
PACKAGED_LICENSE = ("LICENSE.txt", "LICENSE-SourceSansPro.txt")  # the file, and its name when shipped

# OS/2 fsType bits (OpenType spec): 0x0002 = restricted licence embedding (none allowed);
# 0x0200 = bitmap embedding only. Anything else permits embedding in a document.
_NO_EMBEDDING = 0x0002 | 0x0200


@dataclass(frozen=True)
class Face:
    """One font file: its family, weight (100–900) and slant, read from its own tables."""

    family: str
    weight: int
    italic: bool
    path: Path
    embeddable: bool

    @property
    def name(self) -> str:
        return self.path.name

    def data(self) -> bytes:
        return _read(self.path)

    def sha256(self) -> str:
        return hashlib.sha256(self.data()).hexdigest()


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


@cache
def packaged_dir() -> Path | None:
    """The folder of the packaged Source Sans Pro (its files/, which the package's font_directory
    names), or None without the package; found without running the package, which globs its folder."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("font_source_sans_pro")
    except (ImportError, ValueError):
        return None
    return Path(spec.origin).parent / "files" if spec is not None and spec.origin else None


def packaged_faces() -> tuple[Path, ...]:
    source = packaged_dir()
    return tuple(source / n for n in PACKAGED_FACES if (source / n).is_file()) if source else ()


def packaged_license() -> tuple[str, bytes] | None:
    """(file name on the site, text) of the packaged fonts' licence."""
    source = packaged_dir()
    if source is None or not (source / PACKAGED_LICENSE[0]).is_file():
        return None
    return PACKAGED_LICENSE[1], (source / PACKAGED_LICENSE[0]).read_bytes()


def repository_dir(templates: Templates) -> Path | None:
    folder = templates.override_dir / FONTS_DIR if templates.override_dir else None
    return folder if folder and folder.is_dir() else None


def repository_files(templates: Templates) -> tuple[Path, ...]:
    """The repository's templates/fonts/*.ttf|otf, sorted (regular files only, nothing huge)."""
    folder = repository_dir(templates)
    if folder is None:
        return ()
    return tuple(p for p in sorted(folder.iterdir())
                 if p.suffix.lower() in FONT_SUFFIXES and p.is_file() and not p.is_symlink()
                 and p.stat().st_size <= MAX_FONT_BYTES)


def faces(templates: Templates) -> tuple[Face, ...]:
    """Every usable face: the repository's first, then the packaged ones."""
    return _faces(repository_files(templates) + packaged_faces())


@cache
def _faces(paths: tuple[Path, ...]) -> tuple[Face, ...]:
    found = []
    for path in paths:
        face = read_face(path)
        if face is not None:
            found.append(face)
    return tuple(found)


def family_faces(templates: Templates, family: str) -> tuple[Face, ...]:
    """The faces of one family (case-insensitive), the repository's winning over packaged ones
    of the same weight and slant."""
    chosen: dict[tuple[int, bool], Face] = {}
    for face in faces(templates):
        if face.family.casefold() == family.casefold():
            chosen.setdefault((face.weight, face.italic), face)
    return tuple(sorted(chosen.values(), key=lambda f: (f.weight, f.italic)))


def theme_families(templates: Templates) -> tuple[str, ...]:
    """The theme's text families (body, then heading when it differs)."""
    fonts = templates.theme.fonts
    return tuple(dict.fromkeys((fonts.body, fonts.heading)))


def nearest(candidates: tuple[Face, ...], weight: int, italic: bool) -> Face | None:
    """The face closest to `weight` with the wanted slant (CSS's matching, simplified)."""
    same = [f for f in candidates if f.italic == italic]
    if not same:
        return None
    return min(same, key=lambda f: (abs(f.weight - weight), f.weight))


# --- the website ------------------------------------------------------------------------------

SITE_FONTS = "_resurser/typsnitt"


@dataclass(frozen=True)
class WebFont:
    family: str
    weight: int
    italic: bool
    href: str  # relative to the site root

    @property
    def format(self) -> str:
        return "opentype" if self.href.endswith(".otf") else "truetype"


def site_files(templates: Templates) -> dict[str, bytes]:
    """The font files the site ships (under _resurser/typsnitt/), with the packaged licence."""
    files: dict[str, bytes] = {}
    packaged = set(packaged_faces())
    for family in theme_families(templates):
        for face in family_faces(templates, family):
            files[f"{SITE_FONTS}/{face.name}"] = face.data()
            if face.path in packaged and (license_file := packaged_license()):
                files[f"{SITE_FONTS}/{license_file[0]}"] = license_file[1]
    return files


def web_fonts(templates: Templates) -> tuple[WebFont, ...]:
    """What the site's @font-face rules declare: one per shipped face."""
    return tuple(WebFont(family, face.weight, face.italic, f"{SITE_FONTS}/{face.name}")
                 for family in theme_families(templates) for face in family_faces(templates, family))


# --- reading a font's own tables (name, OS/2, head) -------------------------------------------

def read_face(path: Path) -> Face | None:
    """Family, weight and slant from the sfnt tables; None for what is not a single font file."""
    try:
        data = _read(path)
        tables = _tables(data)
        family = _family(data, tables)
        weight, fs_type, fs_selection = _os2(data, tables)
    except (OSError, ValueError, struct.error):
        return None
    if not family:
        return None
    mac_style = struct.unpack_from(">H", data, tables["head"][0] + 44)[0] if "head" in tables else 0
    italic = bool(fs_selection & 0x0001) or bool(mac_style & 0x0002)
    return Face(family, weight, italic, path, embeddable=not fs_type & _NO_EMBEDDING)


def _tables(data: bytes) -> dict[str, tuple[int, int]]:
    version = data[:4]
    if version not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise ValueError("not a TrueType/OpenType font")
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if offset + length > len(data):
            raise ValueError("table beyond the file")
        tables[tag.decode("latin-1")] = (offset, length)
    return tables


def _os2(data: bytes, tables: dict[str, tuple[int, int]]) -> tuple[int, int, int]:
    if "OS/2" not in tables:
        return 400, 0, 0
    offset = tables["OS/2"][0]
    weight = struct.unpack_from(">H", data, offset + 4)[0]  # usWeightClass (then usWidthClass)
    fs_type = struct.unpack_from(">H", data, offset + 8)[0]
    fs_selection = struct.unpack_from(">H", data, offset + 62)[0]
    return weight, fs_type, fs_selection


def _family(data: bytes, tables: dict[str, tuple[int, int]]) -> str:
    """The typographic family (name 16), else the family (name 1): Windows Unicode records first."""
    if "name" not in tables:
        return ""
    base = tables["name"][0]
    _format, count, strings = struct.unpack_from(">HHH", data, base)
    names: dict[tuple[int, int], str] = {}
    for i in range(count):
        platform, encoding, _lang, name_id, length, offset = struct.unpack_from(">6H", data, base + 6 + 12 * i)
        if name_id not in (1, 16):
            continue
        raw = data[base + strings + offset: base + strings + offset + length]
        if platform == 3 or platform == 0:
            text = raw.decode("utf-16-be", errors="replace")
            rank = 0
        elif platform == 1 and encoding == 0:
            text = raw.decode("mac-roman", errors="replace")
            rank = 1
        else:
            continue
        names.setdefault((name_id, rank), text)
    for key in ((16, 0), (16, 1), (1, 0), (1, 1)):
        if key in names and names[key].strip():
            return names[key].strip()
    return ""
