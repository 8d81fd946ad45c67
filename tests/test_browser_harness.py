"""The browser harness itself: axe-core finds what it should, screenshots and reflow work."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from browser import (
    axe_violations,
    format_violations,
    reflow_overflow,
    require_chromium,
    screenshot,
)

GOOD = """<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Riktlinje för dokumenthantering – Exempelkommun</title>
<style>
  body { font: 1rem/1.5 sans-serif; color: #1a1a1a; background: #fff; margin: 0; }
  main, header { max-width: 40rem; margin: 0 auto; padding: 1rem; }
  .skip { position: absolute; left: -999px; }
  .skip:focus { left: 1rem; top: 1rem; background: #fff; }
  a { color: #0b4f8a; }
  /* Swedish compounds ("dokumenthantering") overflow 320 px at heading sizes otherwise. */
  h1, h2 { overflow-wrap: break-word; }
</style>
</head>
<body>
<a class="skip" href="#main">Hoppa till innehållet</a>
<header><p>Exempelkommun</p></header>
<main id="main">
  <h1>Riktlinje för dokumenthantering</h1>
  <p>Riktlinjen gäller för alla nämnder och förvaltningar i kommunen.</p>
  <h2>Ansvar</h2>
  <p>Varje förvaltning ansvarar för sina handlingar.
    Läs mer i <a href="#main">arkivplanen</a>.</p>
</main>
</body>
</html>
"""

BAD = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Dålig sida</title></head>
<body>
<main>
  <h1>Dålig sida</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
  <p style="color: #aaa; background: #fff">Svårläst grå text.</p>
</main>
</body>
</html>
"""

WIDE = GOOD.replace("<h2>", '<div style="width: 2000px">Bred ruta</div><h2>')


@pytest.fixture(autouse=True)
def _chromium() -> None:
    require_chromium()


@pytest.fixture
def pages(tmp_path: Path) -> dict[str, Path]:
    paths = {name: tmp_path / f"{name}.html" for name in ("good", "bad", "wide")}
    for name, html in (("good", GOOD), ("bad", BAD), ("wide", WIDE)):
        paths[name].write_text(html, encoding="utf-8")
    return paths


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_good_page_has_no_violations(pages: dict[str, Path]) -> None:
    violations = axe_violations(pages["good"])
    assert violations == [], format_violations(violations)


def test_bad_page_has_expected_violations(pages: dict[str, Path]) -> None:
    violations = axe_violations(pages["bad"])
    ids = {v["id"] for v in violations}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= ids, format_violations(violations)
    contrast = next(v for v in violations if v["id"] == "color-contrast")
    assert contrast["impact"] == "serious"
    assert contrast["targets"] == ["p"]


def test_screenshot_is_png_of_viewport_size(pages: dict[str, Path], tmp_path: Path) -> None:
    png = screenshot(pages["good"], tmp_path / "good.png", width=800, height=600, full_page=False)
    assert png_size(png) == (800, 600)


def test_screenshot_emulates_zoom(pages: dict[str, Path], tmp_path: Path) -> None:
    png = screenshot(pages["good"], tmp_path / "zoom.png", width=320, height=256, scale=4)
    width, height = png_size(png)
    assert width == 1280 and height >= 1024


def test_reflow_flags_only_the_wide_page(pages: dict[str, Path]) -> None:
    assert reflow_overflow(pages["wide"])
    assert not reflow_overflow(pages["good"])
