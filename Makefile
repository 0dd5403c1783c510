# Hearth: `make run` starts the desktop app, `make test` runs every check.
# Both create the virtualenv in .venv when it is missing and install what they need.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test lint typecheck pytest coverage bench screenshots system-deps clean

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

# the whole suite with branch coverage of peerapp (`peerapp node` processes included:
# [tool.coverage] in pyproject.toml); the report is printed at the end and a figure below
# its fail_under fails the run (docs/architecture.md "Tests")
pytest: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -n 3 --dist loadgroup \
		--cov --cov-report=term:skip-covered $(ARGS)

test: lint typecheck pytest

# the same run, with an HTML report in htmlcov/ besides
coverage: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -n 3 --dist loadgroup \
		--cov --cov-report=term:skip-covered --cov-report=html $(ARGS)

# PNGs of the main screens, light and dark, at 1440x900 and 800x600, into docs/screenshots/
# (offscreen, two engines on 127.0.0.1; tests/gui/make_screenshots.py names what is shown)
screenshots: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/gui/make_screenshots.py

bench: $(VENV)/.installed-app
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info .coverage .coverage.* htmlcov
