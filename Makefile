# styrdok — `make all` sets up and builds everything; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all install build test golden bench lint clean messages
LOCALE := src/styrdok/locale
PO := $(LOCALE)/sv/LC_MESSAGES/styrdok.po
MO := $(PO:.po=.mo)
.DEFAULT_GOAL := all

all: build

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# The Swedish catalogue is compiled here, so `make all` and `make test` on a fresh clone have it
# (styrdok reads the .po directly while the .mo is missing or older; see src/styrdok/i18n.py).
$(MO): $(PO) $(STAMP)
	$(BIN)/pybabel compile -D styrdok -d $(LOCALE) -l sv --statistics
	touch $@

# After adding or changing messages: extract them into styrdok.po, then write the Swedish msgstr.
messages: $(STAMP)
	mkdir -p build
	PYTHONPATH=scripts $(BIN)/pybabel extract -F babel.cfg -k H_ -k N_ --no-location --sort-output --no-wrap \
		--project styrdok -o build/styrdok.pot src/styrdok
	$(BIN)/pybabel update -D styrdok -d $(LOCALE) -l sv -i build/styrdok.pot --no-wrap --ignore-obsolete
	sed -i '/^"POT-Creation-Date: /d; /^"PO-Revision-Date: /d' $(PO)  # no date churn between branches
	$(MAKE) --no-print-directory $(MO)

# styrdok's modules byte-compiled (quick when they are current), so that no command pays
# compilation on its first run after an install or a change of the sources.
BYTECODE = $(BIN)/python -m compileall -q -j 0 src/styrdok

install: $(STAMP) $(MO)
	$(BYTECODE)

build: $(STAMP) $(MO)
	$(BYTECODE)
	$(BIN)/styrdok check
	$(BIN)/styrdok build --final
	$(BIN)/styrdok publish

# The test files are spread over the cores (pytest-xdist), each file's tests kept together and in
# order on one worker: a file's module fixtures and its numbered steps (test_workflow) need that.
# TEST_WORKERS=0 runs them in this process, one after the other.
TEST_WORKERS ?= auto

test: $(STAMP) $(MO) browser
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

golden: $(STAMP)
	STYRDOK_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -k golden

bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(if $(BENCH_ONLY),--only $(BENCH_ONLY))

lint: $(STAMP)
	$(BIN)/python -m compileall -q src tests scripts
	$(BIN)/python -m mypy

clean:
	rm -rf build .pytest_cache .hypothesis .mypy_cache

include mk/browser.mk
