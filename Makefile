# Two entry points for a fresh machine: `make site` (build; `make serve` to browse) and `make test`.
VENV ?= .venv
MIN_VENV ?= .venv-min
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: site serve test lint test-min clean

$(BIN)/ai4radiology: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(BIN)/mypy: $(BIN)/ai4radiology
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

site: $(BIN)/ai4radiology  ## validate the catalog, render README.md, build the site into site/
	$(BIN)/ai4radiology validate
	$(BIN)/ai4radiology render
	$(BIN)/ai4radiology build

serve: site  ## build, then serve on http://127.0.0.1:8000 and rebuild on every change
	$(BIN)/ai4radiology serve

test: $(BIN)/ai4radiology  ## the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

lint: $(BIN)/mypy  ## ruff (lint and format check) and mypy --strict, as CI and the pre-commit hooks run them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-min:  ## the suite (browser tests aside) against the lowest versions pyproject.toml allows
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MIN_VENV)/bin/python -m pip install --quiet -c constraints-min.txt -e '.[test]'
	$(MIN_VENV)/bin/python -m pytest -m "not browser" -q

clean:
	rm -rf site build/site-docs .cache test-artifacts
