"""Golden files: normalised text of each output kind, compared with tests/golden/.

Regenerate after an intended change with `make golden` (STYRDOK_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import docx
from lxml import etree
from pypdf import PdfReader

from styrdok import pandoc

GOLDEN = Path(__file__).parent / "golden"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_summary(data: bytes) -> str:
    """Paragraph styles and text, headers and footers, tracked changes and core properties."""
    document = docx.Document(io.BytesIO(data))
    lines = ["# paragraphs (style | text)"]
    lines += [f"{p.style.name} | {p.text}" for p in document.paragraphs]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith(("word/header", "word/footer"))):
            root = etree.fromstring(archive.read(name))
            text = "".join(root.itertext())
            fields = " ".join(t.text.strip() for t in root.iter(f"{W}instrText") if t.text)
            lines.append(f"# {name}: {text} [fields: {fields}]")
        body = etree.fromstring(archive.read("word/document.xml"))
        changes = [f"{el.tag.removeprefix(W)} {el.get(W + 'author')} {el.get(W + 'date')}: "
                   f"{''.join(el.itertext())}" for el in body.iter(f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")]
    if changes:
        lines += ["# tracked changes"] + changes
    props = document.core_properties
    lines.append(f"# core: title={props.title} | subject={props.subject} | author={props.author} | "
                 f"keywords={props.keywords} | revision={props.revision} | modified={props.modified}")
    lines.append("# pandoc plain text")
    lines.append(pandoc.read_docx(data).strip())
    return "\n".join(lines) + "\n"


def pdf_summary(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    meta = {k: str(v) for k, v in sorted((reader.metadata or {}).items())}
    lines = [f"# pages: {len(reader.pages)}", f"# metadata: {json.dumps(meta, ensure_ascii=False)}"]
    for number, page in enumerate(reader.pages, 1):
        lines += [f"# page {number}", page.extract_text().strip()]
    return "\n".join(lines) + "\n"


DATA_URI = re.compile(r"data:(image/[a-z+]+);base64,[A-Za-z0-9+/=]+")


def html_summary(data: bytes) -> str:
    """The page as it is, with an embedded image (the logo) shortened to its type and size."""
    return DATA_URI.sub(lambda m: f"data:{m.group(1)};base64,…({len(m.group(0))} bytes)", data.decode("utf-8"))


def csv_summary(data: bytes) -> str:
    return ("# BOM\n" if data.startswith(b"\xef\xbb\xbf") else "") + data.decode("utf-8-sig").replace("\r\n", "\n")


SUMMARIES = {".csv": csv_summary, ".docx": docx_summary, ".pdf": pdf_summary, ".html": html_summary, ".md": html_summary}


def check_golden(kind: str, files: dict[str, bytes]) -> list[str]:
    """Compare (or with STYRDOK_UPDATE_GOLDEN=1 rewrite) golden/<kind>/<file>.txt; returns the mismatches."""
    folder = GOLDEN / kind
    update = os.environ.get("STYRDOK_UPDATE_GOLDEN") == "1"
    mismatches = []
    for name, data in sorted(files.items()):
        summary = SUMMARIES[Path(name).suffix](data)
        golden = folder / f"{name}.txt"
        if update:
            folder.mkdir(parents=True, exist_ok=True)
            golden.write_text(summary, "utf-8")
        elif not golden.is_file() or golden.read_text("utf-8") != summary:
            mismatches.append(f"{golden.relative_to(GOLDEN.parent)} differs (run `make golden` if the change is intended)")
    return mismatches
