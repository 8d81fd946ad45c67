"""Real-browser checks for tests: axe-core, screenshots and reflow in headless Debian Chromium.

Chromium is Debian's package at /usr/bin/chromium, driven by the PyPI ``playwright`` package
(its own browser downloads are never used). axe-core comes from ``.tools/node_modules``, pinned
by ``tools/package-lock.json``. Both are installed by ``scripts/install-browser.sh``
(``make browser``).

One browser is started on first use and shared by the whole test process; every call gets a
fresh context, so pages never share state.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("STYRDOK_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "run `make browser` (scripts/install-browser.sh)"

# The background-networking flags matter: without them Chromium keeps calling Google services,
# which on a closed network means a flood of refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
# WCAG 1.4.10: content must reflow at 320 CSS px (1280 px at 400 % zoom).
REFLOW_WIDTH = 320
TIMEOUT_MS = 20_000


@functools.cache
def chromium_available() -> str | None:
    """Why the browser checks cannot run here, or None when they can (starts the browser)."""
    if importlib.util.find_spec("playwright") is None:
        return "Python package 'playwright' is not installed; install the project's test extra"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found; {INSTALL_HINT}"
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(ROOT)} not found; {INSTALL_HINT}"
    from playwright.sync_api import Error

    try:
        _browser()
    except Error as exc:
        first_line = str(exc).strip().splitlines()[0]
        return f"cannot start {CHROMIUM}: {first_line}"
    return None


def require_chromium() -> None:
    """Skip the calling test when the browser is unusable; fail instead if it is required.

    ``STYRDOK_REQUIRE_BROWSER=1`` (set by mk/browser.mk) turns a silent skip into a failure,
    so the gate cannot pass unnoticed under ``make test``.
    """
    reason = chromium_available()
    if reason is None:
        return
    if os.environ.get("STYRDOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser checks required but unavailable: {reason}")
    pytest.skip(reason)


@functools.cache
def _browser() -> Browser:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    atexit.register(playwright.stop)  # stopping the driver also ends the browser
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
    )


@contextmanager
def _page(html_path: Path, width: int, height: int, scale: float = 1) -> Iterator[Page]:
    context = _browser().new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        locale="sv-SE",
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        yield page
    finally:
        context.close()


def axe_violations(html_path: Path, tags: Sequence[str] = AXE_TAGS) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its violations as id, impact, help and targets.

    ``targets`` holds one CSS selector per failing node; hops into iframes or shadow roots are
    joined with " >>> ". Results axe could not decide ("incomplete") are not returned.
    """
    with _page(html_path, 1280, 900) as page:
        # Evaluated through DevTools, not as a <script>, so a page's CSP cannot block it.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
        )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [_selector(node["target"]) for node in v["nodes"]],
        }
        for v in result["violations"]
    ]


def _selector(target: list[Any]) -> str:
    return " >>> ".join(" ".join(t) if isinstance(t, list) else t for t in target)


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One readable line per violation, for assertion messages."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'])}" for v in violations
    )


def screenshot(
    html_path: Path,
    png_path: Path,
    width: int = 1280,
    height: int = 900,
    full_page: bool = True,
    scale: float = 1,
) -> Path:
    """Save a PNG of the page at a viewport of width x height CSS px.

    Zoom is emulated by a narrow viewport and a matching ``scale``: ``width=320, scale=4`` is
    the page as a 1280 px window shows it at 400 % zoom (the image is 1280 px wide).
    """
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with _page(html_path, width, height, scale) as page:
        page.screenshot(path=png_path, full_page=full_page)
    return png_path


def reflow_overflow(html_path: Path, width: int = REFLOW_WIDTH) -> bool:
    """True if the page scrolls horizontally at ``width`` CSS px (fails WCAG 1.4.10 reflow)."""
    with _page(html_path, width, 256) as page:
        overflow: bool = page.evaluate(
            "() => { const e = document.scrollingElement || document.documentElement;"
            " return e.scrollWidth > e.clientWidth; }"
        )
    return overflow


def rendered_fonts(html_path: Path, selectors: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The fonts Chromium really draws each selector's first element with (DevTools'
    CSS.getPlatformFontsForNode: family, whether a web font, glyph count), and the page's
    web fonts with their load status (document.fonts)."""
    with _page(html_path, 1280, 900) as page:
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        found: dict[str, list[dict[str, Any]]] = {}
        for selector in selectors:
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            found[selector] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"] if node else []
        found["document.fonts"] = page.evaluate(
            "() => [...document.fonts].map(f => ({family: f.family, weight: f.weight, style: f.style, status: f.status}))")
    return found
