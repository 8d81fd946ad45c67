"""styrdok.fonts: the theme's font files, found once and used by the PDF, the DOCX and the site."""

from __future__ import annotations

import io
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


def test_every_character_only_the_cjk_font_has_loads_it() -> None:
    """The compilers leave Noto Sans CJK out unless the text has a character only it has: that
    test must know every such character of the installed fonts."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    from styrdok.render import pdf

    folders = [Path(folder) for folder in pdf._font_paths(cjk=False)]
    others = {code for folder in folders for path in sorted(folder.glob("*.[ot]tf"))
              for code in ttlib.TTFont(path, lazy=True).getBestCmap()}
    [cjk_folder] = set(pdf._font_paths(cjk=True)) - set(map(str, folders))
    only_cjk = {code for path in Path(cjk_folder).glob("*.tt[cf]") for font in ttlib.TTCollection(path).fonts
                for code in font.getBestCmap()} - others
    assert len(only_cjk) > 40_000  # the ideographs, kana and hangul, and a few hundred symbols
    assert [hex(code) for code in sorted(only_cjk) if not pdf.needs_cjk(chr(code))] == []
    assert not pdf.needs_cjk("Policy för den sociala ekonomin – “citat” … 5 € §§ 64 • é ü ø æ ß")


TEMPLATE = ('#let meta = json(bytes(sys.inputs.meta))\n#set document(title: meta.title)\n'
            '#set text(font: ("Source Sans Pro", "Noto Sans CJK SC", "Noto Sans Symbols"), lang: "sv")\n')


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_text_without_cjk_is_set_without_the_cjk_font_and_no_warning(caplog: pytest.LogCaptureFixture,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from styrdok.render import pdf

    monkeypatch.setattr(pdf, "_compilers", {})  # none of the process's earlier tests' compilers

    assert "Hej é ø ß" in pdf_text(pdf.compile_pdf("Hej é ø ß", {"title": "Titel"}, TEMPLATE, None))
    assert ((), True) not in pdf._compilers
    assert not [r for r in caplog.records if "not installed" in r.getMessage()]


def test_a_character_only_the_cjk_font_has_is_set_when_unforeseen(monkeypatch: pytest.MonkeyPatch) -> None:
    from styrdok.render import pdf

    monkeypatch.setattr(pdf, "needs_cjk", lambda text: False)  # as for a theme font that lacks it
    text = pdf_text(pdf.compile_pdf("Hej ⇒ 中文 ∀", {"title": "Titel"}, TEMPLATE, None))
    assert "中文" in text and "⇒" in text and "∀" in text
