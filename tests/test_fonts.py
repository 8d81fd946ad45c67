"""styrdok.fonts: the theme's font files, found once and used by the PDF, the DOCX and the site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from styrdok import fonts
from styrdok.render.docx import embedded_families
from styrdok.render.docx_fonts import font_key, obfuscate
from styrdok.templates import Templates


def test_the_packaged_family_has_the_faces_the_formats_use() -> None:
    faces = fonts.family_faces(Templates(None), "source sans pro")  # case does not matter
    assert [(f.weight, f.italic) for f in faces] == [(400, False), (400, True), (600, False), (600, True),
                                                      (700, False), (700, True)]
    assert all(f.embeddable and f.family == "Source Sans Pro" for f in faces)
    assert fonts.nearest(faces, 700, False).name == "SourceSansPro-Bold.ttf"  # type: ignore[union-attr]


def test_a_repository_font_replaces_the_packaged_one_everywhere(tmp_path: Path) -> None:
    noto = Path(pytest.importorskip("manimgx_fonts").__file__).parent / "NotoSans[wght].ttf"
    (tmp_path / "templates" / "fonts").mkdir(parents=True)
    shutil.copyfile(noto, tmp_path / "templates" / "fonts" / "NotoSans.ttf")
    (tmp_path / "templates" / "fonts" / "notes.txt").write_text("not a font", "utf-8")
    (tmp_path / "templates" / "theme.yaml").write_text("fonts:\n  body: Noto Sans\n  heading: Noto Sans\n", "utf-8")
    templates = Templates(tmp_path / "templates")
    assert fonts.theme_families(templates) == ("Noto Sans",)
    assert sorted(fonts.site_files(templates)) == [f"{fonts.SITE_FONTS}/NotoSans.ttf"]
    assert [w.href for w in fonts.web_fonts(templates)] == [f"{fonts.SITE_FONTS}/NotoSans.ttf"]
    [family] = embedded_families(templates)
    assert family.family == "Noto Sans" and [f.name for f in family.faces] == ["NotoSans.ttf"]


def test_the_obfuscation_is_its_own_inverse_and_touches_only_32_bytes() -> None:
    data = bytes(range(256)) * 4
    key = font_key(data)
    assert len(key) == 38 and key == key.upper() and key[0] == "{"
    hidden = obfuscate(data, key)
    assert hidden[32:] == data[32:] and hidden[:32] != data[:32]
    assert obfuscate(hidden, key) == data
    # §17.8.1: the key's bytes are the GUID's hex digits read from the end
    assert hidden[0] ^ data[0] == int(key[-3:-1], 16) and hidden[16] ^ data[16] == int(key[-3:-1], 16)


def test_a_font_that_forbids_embedding_is_not_embedded(tmp_path: Path) -> None:
    source = fonts.packaged_faces()[0].read_bytes()
    tables = fonts._tables(source)
    os2 = tables["OS/2"][0]
    restricted = source[:os2 + 8] + (0x0002).to_bytes(2, "big") + source[os2 + 10:]
    (tmp_path / "Restricted.ttf").write_bytes(restricted)
    face = fonts.read_face(tmp_path / "Restricted.ttf")
    assert face is not None and not face.embeddable
