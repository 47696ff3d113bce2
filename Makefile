# Two entry points for a fresh machine: `make site` (build; `make serve` to browse) and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: site serve test clean

$(BIN)/ai4radiology: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(BIN)/ai4radiology  ## validate the catalog, render README.md, build the site into site/
	$(BIN)/ai4radiology validate
	$(BIN)/ai4radiology render
	$(BIN)/ai4radiology build

serve: site  ## build, then serve on http://127.0.0.1:8000 and rebuild on every change
	$(BIN)/ai4radiology serve

test: $(BIN)/ai4radiology  ## the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

clean:
	rm -rf site build/site-docs .cache test-artifacts
