# Hearth: `make run` starts the desktop app, `make test` runs every check.
# Both create the virtualenv in .venv when it is missing and install what they need.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test lint typecheck pytest coverage bench screenshots system-deps clean dist dist-check

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Hearth needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

system-deps:
	bash packaging/system-deps.sh

# pip shows what it downloads and builds (the first run takes about a minute)
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	@echo "Installing Hearth and its dependencies into $(VENV) ..."
	$(BIN)/pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing Hearth and the test tools into $(VENV) ..."
	$(BIN)/pip install --progress-bar on -e '.[test]'
	touch $@ $(VENV)/.installed-app

$(VENV)/.installed-dist: pyproject.toml | $(BIN)/python
	@echo "Installing Hearth, the test tools and PyInstaller into $(VENV) ..."
	$(BIN)/pip install --progress-bar on -e '.[test,dist]'
	touch $@ $(VENV)/.installed-app $(VENV)/.installed-test

run: system-deps $(VENV)/.installed-app
	$(BIN)/peerapp $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# the whole suite with branch coverage of peerapp (the node-front tests' `peerapp node`
# processes included: [tool.coverage] in pyproject.toml; HEARTH_MEASURE_NODES=all for all); the report is printed at the end and a figure below
# its fail_under fails the run (docs/architecture.md "Tests"). The packaging checks that
# build the bundle (marker `dist`) take minutes: `make dist-check` runs them.
pytest: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -n 3 --dist loadgroup -m "not dist" \
		--cov --cov-report=term:skip-covered $(ARGS)

test: lint typecheck pytest

# the same run, with an HTML report in htmlcov/ besides
coverage: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -n 3 --dist loadgroup -m "not dist" \
		--cov --cov-report=term:skip-covered --cov-report=html $(ARGS)

# PNGs of the main screens, light and dark, at 1440x900 and 800x600, into docs/screenshots/
# (offscreen, two engines on 127.0.0.1; tests/gui/make_screenshots.py names what is shown)
screenshots: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/gui/make_screenshots.py

# the packages, into dist/: wheel, sdist, the self-contained bundle as a .tar.gz with
# install.sh, and a .deb (packaging/dist.py; docs/architecture.md "Packaging")
dist: system-deps $(VENV)/.installed-dist
	$(BIN)/python packaging/dist.py

# builds them, then checks them: the bundle runs from a clean environment (no virtualenv),
# the .deb's layout, and that a second build gives the same bytes (tests/packaging)
dist-check: dist
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -ra -m dist tests/packaging $(ARGS)

bench: $(VENV)/.installed-app
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info .coverage .coverage.* htmlcov \
		build dist
