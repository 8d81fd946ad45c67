"""The response form (svarsmall) as a file that can be read back.

`finish_form` gives the DOCX pandoc wrote an identity and bindings:

- custom document properties name the consultation: policy id, deadline, dnr and the sha256 of
  the text sent out (`styrdok-policy`, `styrdok-deadline`, `styrdok-dnr`, `styrdok-text-sha256`);
  Word shows them under File › Properties › Custom, and LibreOffice keeps them;
- every row of the comment table holds content controls (`w:sdt`) whose tags name the row's
  reference number (`styrdok:nr:2.1`, `styrdok:synpunkt:2.1`; `styrdok:synpunkt:allmant` for
  general comments), and every field of the responder's details one (`styrdok:falt:Remissinstans`).

`read_form` finds rows by those tags, so deleting rows, writing above the table or changing the
column widths does not matter. A row a responder added has no tags: its number is read from its Nr
cell, and a row without a number counts as a general comment. A number written in a row's Nr cell
wins over the row's tag, so a responder may also reuse a row for another number.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from ..render.docx_finish import normalize_zip
from ..theme import Labels

if TYPE_CHECKING:
    from .package import Remiss

FORM_KIND = "styrdok-svarsmall/1"
PROPERTY = {"kind": "styrdok-form", "policy": "styrdok-policy", "deadline": "styrdok-deadline",
            "dnr": "styrdok-dnr", "text_hash": "styrdok-text-sha256"}
TAG_NR, TAG_COMMENT, TAG_FIELD = "styrdok:nr:", "styrdok:synpunkt:", "styrdok:falt:"
GENERAL = "allmant"  # the tag suffix of the general comments' row
CUSTOM_PART = "/docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the fmtid Word gives user-defined properties
NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
# The responder's fields, by a key that does not change with the labels (remiss.form_fields).
FIELD_KEYS = ("remissinstans", "kontaktperson", "epost", "datum")
BODY, DATE = FIELD_KEYS[0], FIELD_KEYS[3]


@dataclass(frozen=True)
class Identity:
    """Which consultation a form belongs to."""

    policy_id: str
    deadline: str  # YYYY-MM-DD
    dnr: str | None
    text_hash: str


@dataclass(frozen=True)
class FormComment:
    """What a responder wrote in one row: `number` None is a general comment."""

    number: str | None
    paragraphs: tuple[str, ...]
    row: int  # the row of the comment table, the header being row 1

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class FormAnswer:
    identity: Identity
    fields: dict[str, str]  # FIELD_KEYS → what the responder wrote
    comments: tuple[FormComment, ...]  # rows with text, in table order


class NotAForm(Exception):
    """The file is not a response form made by `styrdok consult` (no identity in it)."""


# --- writing ---------------------------------------------------------------------------------

def finish_form(data: bytes, remiss: Remiss) -> bytes:
    """The svarsmall pandoc wrote, with its identity and a content control on every field and row."""
    document = docx.Document(io.BytesIO(data))
    fields, comments = document.tables[-2], document.tables[-1]
    ids = iter(range(1000, 100000))
    head, general = remiss.labels.list("remiss.form_head"), remiss.labels("remiss.general_comments")
    for tr, key, label in zip(fields._tbl.tr_lst, FIELD_KEYS, remiss.labels.list("remiss.form_fields")):
        content_control(tr.tc_lst[-1], TAG_FIELD + key, label, next(ids))
    for tr, number in zip(comments._tbl.tr_lst[1:], [None, *(ref.number for ref in remiss.numbers)]):
        nr, *_, comment = tr.tc_lst
        no_wrap(nr)
        key = number or GENERAL
        if number:
            content_control(nr, TAG_NR + key, f"Nr {number}", next(ids))
        content_control(comment, TAG_COMMENT + key, f"{head[2]} {number}" if number else general, next(ids))
    repeat_header(comments._tbl.tr_lst[0])
    identity = {"kind": FORM_KIND, "policy": remiss.policy.id, "deadline": remiss.deadline.isoformat(),
                "dnr": remiss.dnr or "", "text_hash": remiss.text_hash}
    _set_custom_properties(document, identity)
    out = io.BytesIO()
    document.save(out)
    return normalize_zip(out.getvalue(), remiss.view.timestamp)


def content_control(tc: etree._Element, tag: str, alias: str, sdt_id: int) -> None:
    """Move the cell's paragraphs into a rich-text content control tagged `tag`."""
    sdt, pr, content = OxmlElement("w:sdt"), OxmlElement("w:sdtPr"), OxmlElement("w:sdtContent")
    for name, value in (("w:alias", alias), ("w:tag", tag), ("w:id", str(sdt_id))):
        element = OxmlElement(name)
        element.set(qn("w:val"), value)
        pr.append(element)
    sdt.extend([pr, content])
    paragraphs = tc.findall(qn("w:p"))
    for p in paragraphs:
        content.append(p)
    if not paragraphs:
        content.append(OxmlElement("w:p"))
    tc.append(sdt)


def no_wrap(tc: etree._Element) -> None:
    tc_pr = tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:noWrap")) is None:
        tc_pr.append(OxmlElement("w:noWrap"))


def keep_together(tr: etree._Element) -> None:
    """The row is not split across a page break (a short comment stays with its number)."""
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def repeat_header(tr: etree._Element) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _set_custom_properties(document: DocxDocument, values: dict[str, str]) -> None:
    """Add the properties to the package's custom properties part (pandoc writes one, often empty)."""
    package = document.part.package
    try:
        part = package.part_related_by(RT.CUSTOM_PROPERTIES)
        root = etree.fromstring(part.blob)
    except KeyError:
        part, root = None, etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    names = {PROPERTY[key] for key in values}
    for old in [prop for prop in root if prop.get("name") in names]:
        root.remove(old)
    pid = max((int(prop.get("pid", "1")) for prop in root), default=1)
    for key, value in values.items():
        pid += 1
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=PROPERTY_FMTID, pid=str(pid),
                                name=PROPERTY[key])
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is None:
        package.relate_to(Part(PackURI(CUSTOM_PART), CUSTOM_TYPE, blob, package), RT.CUSTOM_PROPERTIES)
    else:
        part._blob = blob  # a generic Part: python-docx keeps its bytes as they are


# --- reading ---------------------------------------------------------------------------------

def identity_of(data: bytes) -> Identity:
    """The consultation a form was made for; NotAForm if the file carries none."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            custom = archive.read(CUSTOM_PART.lstrip("/"))
    except (zipfile.BadZipFile, KeyError):
        raise NotAForm from None
    try:
        root = etree.fromstring(custom)
    except etree.XMLSyntaxError:
        raise NotAForm from None
    values = {prop.get("name"): "".join(prop.itertext()).strip() for prop in root}
    if values.get(PROPERTY["kind"], "").split("/")[0] != FORM_KIND.split("/")[0] or not values.get(PROPERTY["policy"]):
        raise NotAForm
    return Identity(values[PROPERTY["policy"]], values.get(PROPERTY["deadline"], ""),
                    values.get(PROPERTY["dnr"]) or None, values.get(PROPERTY["text_hash"], ""))


def read_form(data: bytes, labels: Labels | None = None) -> FormAnswer:
    """What a responder filled in. NotAForm if the file is not a styrdok response form.

    `labels` name the fields and columns for forms whose content controls were lost (LibreOffice)."""
    labels = labels or Labels.packaged()
    identity = identity_of(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a broken package
        raise NotAForm from None
    fields: dict[str, str] = {}
    comments: list[FormComment] = []
    names = {label.casefold(): key for label, key in zip(labels.list("remiss.form_fields"), FIELD_KEYS)}
    form_head = [h.casefold() for h in labels.list("remiss.form_head")]
    for table in document.tables:
        rows = table._tbl.tr_lst
        head = [_text(tc) for tc in rows[0].tc_lst] if rows else []
        is_comments = any(tag.startswith(TAG_COMMENT) for tr in rows for tag in tags_of(tr)) or \
            [h.casefold() for h in head[:3]] == form_head
        for index, tr in enumerate(rows, 1):
            tags = tags_of(tr)
            cells = tr.tc_lst
            field = next((t.removeprefix(TAG_FIELD) for t in tags if t.startswith(TAG_FIELD)), None)
            if field is None and len(cells) == 2 and (key := names.get(_text(cells[0]).rstrip(":").casefold())):
                field = key
            if field is not None and not is_comments:
                fields[field] = " ".join(_text(cells[-1]).split())
                continue
            if not is_comments or index == 1 and not tags:
                continue
            paragraphs = paragraphs_of(cells[-1])
            if paragraphs:
                comments.append(FormComment(_row_number(tags, _text(cells[0]) if len(cells) > 1 else ""),
                                            paragraphs, index))
    return FormAnswer(identity, fields, tuple(comments))


def _row_number(tags: list[str], visible: str) -> str | None:
    """The row's reference number: the one written in its Nr cell, else its tag; None for general."""
    visible = visible.strip().rstrip(".")
    if NUMBER.match(visible):
        return visible
    for tag in tags:
        if tag.startswith((TAG_NR, TAG_COMMENT)):
            key = tag.split(":", 2)[2]
            return None if key == GENERAL else key
    return visible or None  # not a number: responses reports it as an unknown number


def tags_of(tr: etree._Element) -> list[str]:
    return [el.get(qn("w:val")) or "" for el in tr.iter(qn("w:tag"))]


def paragraph_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        parts.append(el.text or "" if el.tag == qn("w:t") else "\t" if el.tag == qn("w:tab") else "\n")
    return "".join(parts)


def paragraphs_of(tc: etree._Element) -> tuple[str, ...]:
    """The non-empty paragraphs of a cell, also those inside content controls."""
    texts = (" ".join(paragraph_text(p).split()) for p in tc.iter(qn("w:p")))
    return tuple(t for t in texts if t)


def _text(tc: etree._Element) -> str:
    return " ".join(paragraphs_of(tc))
