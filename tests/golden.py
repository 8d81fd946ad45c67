"""Golden files: normalised text of each output kind, compared with tests/golden/.

Regenerate after an intended change with `make golden` (STYRDOK_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import hashlib
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


def text_summary(data: bytes) -> str:
    return data.decode("utf-8")


DATA_URI = re.compile(r"data:(image/[a-z+]+);base64,[A-Za-z0-9+/=]+")


def html_summary(data: bytes) -> str:
    """The page as it is, with an embedded image (the logo) shortened to its type and size."""
    return DATA_URI.sub(lambda m: f"data:{m.group(1)};base64,…({len(m.group(0))} bytes)", data.decode("utf-8"))


def manifest_summary(data: bytes) -> str:
    """A frozen folder's manifest, its files' hashes left out (the PDF and DOCX goldens hold their content)."""
    manifest = json.loads(data)
    manifest["files"] = {name: "…" for name in manifest.get("files", {})}
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def font_summary(data: bytes) -> str:
    """A shipped font file or its licence: size and hash (the package's files, not ours to diff)."""
    return f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}\n"


def csv_summary(data: bytes) -> str:
    return ("# BOM\n" if data.startswith(b"\xef\xbb\xbf") else "") + data.decode("utf-8-sig").replace("\r\n", "\n")


SUMMARIES = {".csv": csv_summary, ".docx": docx_summary, ".pdf": pdf_summary, ".html": html_summary, ".md": text_summary,
             ".json": text_summary, ".xml": text_summary, ".txt": font_summary, ".css": text_summary,
             ".ttf": font_summary, ".otf": font_summary, ".woff2": font_summary}


def summary(name: str, data: bytes) -> str:
    if Path(name).name == "manifest.json":
        return manifest_summary(data)
    return SUMMARIES[Path(name).suffix](data)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, hidden folders (caches) left out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def check_golden(kind: str, files: dict[str, bytes]) -> list[str]:
    """Compare the whole output tree `files` with golden/<kind>/ (one `<path>.txt` per file): a file that
    differs, a new file without a golden one and a golden file no longer produced all fail.

    With STYRDOK_UPDATE_GOLDEN=1 (`make golden`) the folder is rewritten to match instead.
    """
    folder = GOLDEN / kind
    expected = {p.relative_to(folder).as_posix().removesuffix(".txt"): p for p in folder.rglob("*.txt")}
    if os.environ.get("STYRDOK_UPDATE_GOLDEN") == "1":
        for name in set(expected) - set(files):
            expected[name].unlink()
        for name, data in files.items():
            golden = folder / f"{name}.txt"
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(summary(name, data), "utf-8")
        return []
    hint = "(run `make golden` if the change is intended)"
    mismatches = [f"{kind}/{name} is no longer produced {hint}" for name in sorted(set(expected) - set(files))]
    mismatches += [f"{kind}/{name} is new: it has no golden file {hint}" for name in sorted(set(files) - set(expected))]
    mismatches += [f"{kind}/{name} differs from golden/{kind}/{name}.txt {hint}" for name in sorted(set(files) & set(expected))
                   if expected[name].read_text("utf-8") != summary(name, files[name])]
    return mismatches
