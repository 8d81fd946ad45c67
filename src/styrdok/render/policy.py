"""A policy's final renderings in memory: DOCX, PDF and HTML from one body (build, consult, publish)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import pandoc
from ..model import Policy
from ..templates import Templates
from .document import Presentation, body_blocks, title_blocks
from .docx import render_docx
from .html import body_html, render_html
from .pdf import pdf_last_if_long, render_pdf, typst_first


@dataclass(frozen=True)
class Documents:
    """A policy's DOCX and PDF, and its body as HTML for whichever page template shows it."""

    docx: bytes
    pdf: bytes
    body_html: str

    def files(self, policy_id: str) -> dict[str, bytes]:
        """The documents by file name (`<id>.docx`, `<id>.pdf`): what build and publish write of them."""
        return {f"{policy_id}.docx": self.docx, f"{policy_id}.pdf": self.pdf}


def render_documents(policy: Policy, templates: Templates, view: Presentation,
                     body: list[pandoc.Ast] | None = None) -> Documents:
    """The DOCX, the PDF and the HTML body of one policy, rendered concurrently.

    `body` replaces the policy text as pandoc blocks (a numbered remissversion).
    """
    body = body_blocks(policy) if body is None else body
    typst = typst_first(body, templates)
    # the PDF first: the longest chain (its Typst, then the compile), which takes the first core
    pdf, (docx, html) = pdf_last_if_long(lambda: render_pdf(body, view, templates, body=typst),
                                         [lambda: render_docx(title_blocks(view) + body, view, templates),
                                          lambda: body_html(body).encode("utf-8")], typst)
    return Documents(docx, pdf, html.decode("utf-8"))


def render_policy(policy: Policy, templates: Templates, view: Presentation,
                  body: list[pandoc.Ast] | None = None) -> dict[str, bytes]:
    """{file name: bytes} of `<id>.docx`, `.pdf` and `.html` (the standalone page)."""
    documents = render_documents(policy, templates, view, body)
    return {**documents.files(policy.id),
            f"{policy.id}.html": render_html(policy, view, templates, body=documents.body_html)}
