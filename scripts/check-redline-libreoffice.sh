#!/usr/bin/env bash
# Open a redline DOCX in LibreOffice (headless) and convert it to PDF, to see that Word tracked
# changes survive in another word processor. LibreOffice is no styrdok dependency: without
# `soffice` this script says so and exits 0.
#
# Usage: scripts/check-redline-libreoffice.sh [REDLINE.docx] [OUTDIR]
#   default REDLINE.docx: build/redline/redline.docx; default OUTDIR: its folder + /libreoffice
# Prints the path of the PDF; LibreOffice shows insertions underlined and deletions struck
# through, in colour, with a change bar in the margin.
set -euo pipefail

docx="${1:-build/redline/redline.docx}"
out="${2:-$(dirname "$docx")/libreoffice}"
if ! command -v soffice >/dev/null 2>&1; then
  echo "soffice not found: install LibreOffice (e.g. apt-get install libreoffice-writer-nogui) to run this check" >&2
  exit 0
fi
test -f "$docx" || { echo "no such file: $docx (run styrdok diff first)" >&2; exit 2; }
mkdir -p "$out"
# A private profile: no clash with a running LibreOffice, nothing left in the user's home.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf --outdir "$out" "$docx" >&2
pdf="$out/$(basename "${docx%.docx}").pdf"
test -s "$pdf" || { echo "LibreOffice wrote no PDF for $docx" >&2; exit 1; }
echo "$pdf"
