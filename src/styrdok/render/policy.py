"""A policy's final renderings in memory: DOCX, PDF and HTML from one body (build, consult, publish)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import pandoc
from ..model import Policy
from ..templates import Templates
from .document import Presentation, body_blocks, title_blocks
from .docx import docx_job
from .html import body_html, render_html, preload as html_preload
from .pdf import pdf_last_if_long, render_pdf, typst_first


@dataclass(frozen=True)
class Documents:
    """A policy's DOCX and PDF, its body as HTML for whichever page template shows it, and the
    standalone page when it was asked for."""

    docx: bytes
    pdf: bytes
    body_html: str
    page: bytes | None = None

    def files(self, policy_id: str) -> dict[str, bytes]:
        """The documents by file name (`<id>.docx`, `.pdf`, and `.html` if made): what build and publish write of them."""
        return {f"{policy_id}.docx": self.docx, f"{policy_id}.pdf": self.pdf,
                **({f"{policy_id}.html": self.page} if self.page is not None else {})}


def render_documents(policy: Policy, templates: Templates, view: Presentation,
                     body: list[pandoc.Ast] | None = None, *, page: bool = False) -> Documents:
    """The DOCX, the PDF and the HTML body of one policy, rendered concurrently; with `page`, the
    standalone page too, made as soon as its body is (beside the DOCX and the PDF, which wait on
    pandoc and Typst).

    `body` replaces the policy text as pandoc blocks (a numbered remissversion).
    """
    body = body_blocks(policy) if body is None else body
    # the DOCX first: its chain (pandoc, then the finishing) is a short document's longest, and
    # pandoc writes it on the other core while Python imports Jinja and writes the Typst
    docx = pandoc.started(docx_job(title_blocks(view) + body, view, templates))
    typst = typst_first(body, templates)
    if page:  # while Typst compiles and pandoc writes, not while the interpreter writes the Typst
        html_preload()

    def html() -> tuple[str, bytes | None]:
        text = body_html(body)
        return text, render_html(policy, view, templates, body=text) if page else None

    pdf, ((text, standalone), docx_bytes) = pdf_last_if_long(
        lambda: render_pdf(body, view, templates, body=typst), [html, docx.result], typst)
    return Documents(docx_bytes, pdf, text, standalone)


def render_policy(policy: Policy, templates: Templates, view: Presentation,
                  body: list[pandoc.Ast] | None = None) -> dict[str, bytes]:
    """{file name: bytes} of `<id>.docx`, `.pdf` and `.html` (the standalone page)."""
    return render_documents(policy, templates, view, body, page=True).files(policy.id)
