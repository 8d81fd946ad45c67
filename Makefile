# styrdok — `make all` sets up and builds everything; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all install build test golden bench lint clean
.DEFAULT_GOAL := all

all: build

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(STAMP)

build: $(STAMP)
	$(BIN)/styrdok check
	$(BIN)/styrdok build --final
	$(BIN)/styrdok publish

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

golden: $(STAMP)
	STYRDOK_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -k golden

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

lint: $(STAMP)
	$(BIN)/python -m compileall -q src tests scripts
	$(BIN)/python -m mypy

clean:
	rm -rf build .pytest_cache .hypothesis .mypy_cache

include mk/browser.mk
