"""DOCX rendering: pandoc with the municipal reference document, finished with python-docx."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from functools import cache
from pathlib import Path

from .. import pandoc
from ..templates import Templates
from .document import Presentation
from .docx_finish import DocxFinish, finish_docx
from .docx_reference import build_reference_docx

REFERENCE = "reference.docx"


@cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="styrdok-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def reference_path(templates: Templates) -> Path:
    """The reference document as a file for pandoc: the repository's override or the generated one."""
    data = templates.bytes(REFERENCE) or _generated_reference()
    path = _scratch() / f"reference-{hashlib.sha256(data).hexdigest()[:16]}.docx"
    if not path.exists():
        path.write_bytes(data)
    return path


@cache
def _generated_reference() -> bytes:
    return build_reference_docx()


def render_docx(blocks: list[pandoc.Ast], view: Presentation, templates: Templates) -> bytes:
    epoch = int(view.timestamp.timestamp())
    raw = pandoc.write(pandoc.document(blocks), "docx", "--reference-doc", str(reference_path(templates)), epoch=epoch)
    return finish_docx(raw, DocxFinish(title=view.title, subject=view.doctype, keywords=view.keywords,
                                       author=view.owner, revision=view.revision, timestamp=view.timestamp,
                                       header_note=view.header_note, watermark=view.watermark))
