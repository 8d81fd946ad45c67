"""Where everything lives in the website bundle: folder and file names, and the templates that make them."""

from __future__ import annotations

from pathlib import Path

SITE_DIR = Path("build") / "site"
PAGE = "index.html"
MANIFEST = "manifest.json"
HISTORY_CACHE = "history.json"  # in the site's cache folder: what git said, by commit and blob
CHANGES_DIR = "andringar"  # a version's redline against the version before it
REDLINE_PAGE = "redline.html"
REDLINE_FILES = (("redline.pdf", "PDF"), ("redline.docx", "Word med spårade ändringar"))  # linked with the page
REMISS_DIR = "remiss"
REGISTER, FEED, SITEMAP = "register.json", "feed.xml", "sitemap.xml"
REGISTER_FORMAT = "styrdok-register/1"
POLICY_TEMPLATE, REMISS_TEMPLATE, INDEX_TEMPLATE = "site_policy.html.j2", "site_remiss.html.j2", "site_index.html.j2"
FEED_TEMPLATE, SITEMAP_TEMPLATE = "site_feed.xml.j2", "site_sitemap.xml.j2"
PAGE_DOWNLOADS = ("Dokumentet som PDF", "Dokumentet i Word")  # on a version's page; "PDF", "Word" in tables


def document_files(policy_id: str, labels: tuple[str, str] = ("PDF", "Word")) -> tuple[tuple[str, str], ...]:
    """(label, file name) of a version's documents."""
    return ((labels[0], f"{policy_id}.pdf"), (labels[1], f"{policy_id}.docx"))


def version_folder(policy_id: str, day: str) -> str:
    return f"{policy_id}/{day}"


def remiss_folder(policy_id: str, deadline: str) -> str:
    return f"{policy_id}/{REMISS_DIR}/{deadline}"
