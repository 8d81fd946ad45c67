"""Names of the paragraph styles that mark styrdok's own parts of the DOCX files it writes:
the renderers give them, and `styrdok import` knows such a file by them when it comes back
from Word (and leaves those parts out of the text). A module of its own, so that the importer
need not load the renderers to know them."""

SUMMARY_STYLE = "Ändringssammanfattning"  # the summary of changes a redline opens with
CONTROL_STYLE = "Dokumentinformation"  # the paragraphs of the control block's table (docx_reference)
