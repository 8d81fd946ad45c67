# Real-browser accessibility gate: Debian chromium + pinned axe-core.
# See scripts/install-browser.sh.
# The main Makefile includes this file and makes `test` depend on `browser`.

.PHONY: browser
browser:
	bash scripts/install-browser.sh

# Under make, a missing browser fails the browser tests instead of skipping them
# (tests/browser.py: require_chromium).
export STYRDOK_REQUIRE_BROWSER := 1
