"""Where things live in the website bundle: folder and file names shared by the publish stages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SITE_DIR = Path("build") / "site"
PAGE = "index.html"
MANIFEST = "manifest.json"
CHANGES_DIR = "andringar"  # a version's redline against the version before it
REDLINE_PAGE = "redline.html"
REDLINE_FILES = (("redline.pdf", "site.redline_pdf"), ("redline.docx", "site.redline_docx"))  # (file, label key), linked with the page
REMISS_DIR = "remiss"
REGISTER, FEED, SITEMAP, REGISTER_CSV = "register.json", "feed.xml", "sitemap.xml", "register.csv"
REGISTER_FORMAT = "styrdok-register/1"
POLICY_TEMPLATE, REMISS_TEMPLATE, INDEX_TEMPLATE = "site_policy.html.j2", "site_remiss.html.j2", "site_index.html.j2"
FEED_TEMPLATE, SITEMAP_TEMPLATE, GROUP_TEMPLATE = "site_feed.xml.j2", "site_sitemap.xml.j2", "site_register_group.html.j2"
HISTORY_CACHE = "history.json"  # in the site's cache folder: what git said, by commit and blob
# The grouped views of the register: (file, label key, what rows are grouped by).
REGISTER_VIEWS = (("register/typ.html", "site.view_by_type", "doctype"),
                  ("register/agare.html", "site.view_by_owner", "owner"),
                  ("register/revidering.html", "site.view_by_review", "due"))
# A version's documents as the site lists them: (file suffix, label key in tables, label key on its page).
DOCUMENTS = (("pdf", "site.pdf", "site.download_pdf"), ("docx", "site.word", "site.download_docx"))


def remiss_folder(policy_id: str, deadline: dt.date) -> str:
    return f"{policy_id}/{REMISS_DIR}/{deadline.isoformat()}"


def document_files(policy_id: str, *, page: bool = False) -> tuple[tuple[str, str], ...]:
    """(label key, file name) of a version's documents: with the short labels of tables, or those of a page."""
    return tuple((on_page if page else short, f"{policy_id}.{suffix}") for suffix, short, on_page in DOCUMENTS)
