# Hearth: `make run` starts the desktop app, `make test` runs every check.
# Both create the virtualenv in .venv when it is missing and install what they need.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test lint typecheck pytest coverage bench system-deps clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Hearth needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

system-deps:
	bash packaging/system-deps.sh

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

run: system-deps $(VENV)/.installed-app
	$(BIN)/peerapp $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -n 2 --dist loadgroup

test: lint typecheck pytest

# branch coverage of peerapp, `peerapp node` processes included; not part of `make test`
# (it costs too much there: docs/architecture.md "Tests: types, markers, coverage")
coverage: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -n 2 --dist loadgroup \
		--cov=peerapp --cov-report=term:skip-covered $(ARGS)

bench: $(VENV)/.installed-app
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info .coverage .coverage.*
