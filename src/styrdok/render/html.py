"""HTML rendering: pandoc for the body, a Jinja2 page template for everything around it."""

from __future__ import annotations

from .. import pandoc
from ..model import Policy
from ..preload import in_background
from ..templates import Templates
from .document import Presentation, body_blocks

TEMPLATE = "policy.html.j2"
HTML_OPTIONS = ("--wrap=none",)


def preload() -> None:
    """Import the page template's Jinja in the background (while pandoc writes the DOCX)."""
    in_background("jinja2")


def html_document(blocks: list[pandoc.Ast]) -> pandoc.Ast:
    """The pandoc document `body_html` converts (what `pandoc.prefetch` is given to convert many at once)."""
    # `check` refuses attributes beyond id, class and lang; stripping them here as well means
    # no path (publish, redline, remiss) can put an event handler or a style on the page.
    return pandoc.document(pandoc.safe_attributes(blocks))


def body_html(blocks: list[pandoc.Ast]) -> str:
    return pandoc.write(html_document(blocks), "html5", *HTML_OPTIONS).decode("utf-8")


def toc(policy: Policy) -> list[dict[str, object]]:
    return [{"id": s.id, "title": s.title, "level": s.level} for s in policy.sections if s.level in (2, 3)]


def render_html(policy: Policy, view: Presentation, templates: Templates, *, body: str | None = None,
                extra: dict[str, object] | None = None, template: str = TEMPLATE) -> bytes:
    """A standalone, accessible page. `body` replaces the policy text (a redline, a numbered remiss);
    `template` may extend policy.html.j2 to place the document in a site (publish)."""
    page = templates.render(template, view=view, toc=toc(policy),
                            body=body if body is not None else body_html(body_blocks(policy)),
                            **(extra or {}))
    return page.encode("utf-8")
