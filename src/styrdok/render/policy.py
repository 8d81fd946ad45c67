"""A policy's final renderings in memory: DOCX, PDF and HTML from one body (build, consult, publish)."""

from __future__ import annotations

from .. import pandoc
from ..model import Policy
from ..templates import Templates
from .document import Presentation, body_blocks, title_blocks
from .docx import render_docx
from .html import body_html, render_html
from .pdf import render_pdf


def render_policy(policy: Policy, templates: Templates, view: Presentation,
                  body: list[pandoc.Ast] | None = None) -> dict[str, bytes]:
    """{file name: bytes} of `<id>.docx`, `.pdf` and `.html`, rendered concurrently.

    `body` replaces the policy text as pandoc blocks (a numbered remissversion).
    """
    body = body_blocks(policy) if body is None else body
    docx, pdf, html = pandoc.concurrently(lambda: render_docx(title_blocks(view) + body, view, templates),
                                          lambda: render_pdf(body, view, templates),
                                          lambda: render_html(policy, view, templates, body=body_html(body)))
    return {f"{policy.id}.docx": docx, f"{policy.id}.pdf": pdf, f"{policy.id}.html": html}
