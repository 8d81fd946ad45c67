#!/usr/bin/env bash
# Install what the browser and PDF tests need, idempotently:
#   1. Debian's chromium at /usr/bin/chromium (apt; Playwright's browser downloads are not used) and
#      poppler-utils (pdftotext, pdffonts);
#   2. axe-core, pinned by tools/package-lock.json, into .tools/node_modules (git-ignored;
#      the committed manifest is copied there so tools/ never holds generated files).
# Fast when both are already present: no apt or npm call is made.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
manifest="$root/tools"
prefix="$root/.tools"
# A copy of the lock file written after a successful `npm ci`; equal means up to date.
stamp="$prefix/node_modules/.installed-package-lock.json"

say() { printf 'install-browser: %s\n' "$*"; }
die() { printf 'install-browser: ERROR: %s\n' "$*" >&2; exit 1; }

# Debian packages: chromium for the browser tests, poppler-utils (pdftotext, pdffonts, pdftoppm) for the PDF
# tests. Only the missing ones are installed.
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils)
if (( ${#missing[@]} == 0 )); then
    say "chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown')), poppler-utils present"
else
    say "missing: ${missing[*]}; installing the Debian packages with apt-get"
    if [[ "$(id -u)" -eq 0 ]]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        die "not root and sudo is not installed; run as root: apt-get install ${missing[*]}"
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q \
        || die "apt-get update failed; check network access to the Debian mirror"
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed; see the apt output above"
    [[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium not found"
    command -v pdftotext >/dev/null 2>&1 || die "poppler-utils installed but pdftotext not found"
    say "installed ${missing[*]}"
fi

if [[ -f "$stamp" ]] && cmp -s "$manifest/package-lock.json" "$stamp"; then
    say "axe-core present in .tools/node_modules"
else
    command -v npm >/dev/null 2>&1 || die "npm not found; install Node.js 20+ and npm"
    say "installing axe-core from tools/package-lock.json into .tools (npm ci)"
    mkdir -p "$prefix"
    cp "$manifest/package.json" "$manifest/package-lock.json" "$prefix/"
    npm ci --prefix "$prefix" --no-audit --no-fund --ignore-scripts --loglevel=error \
        || die "npm ci failed; check access to the npm registry"
    cp "$manifest/package-lock.json" "$stamp"
fi

[[ -f "$prefix/node_modules/axe-core/axe.min.js" ]] \
    || die ".tools/node_modules/axe-core/axe.min.js missing after install"
say "ready"
