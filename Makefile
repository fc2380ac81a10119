# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test fixtures frontend system-packages run-packages bench-packages lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed frontend run-packages
install-test: $(VENV)/.installed-test frontend system-packages fixtures

# Third-party test fixtures (pyxform's example forms, LimeSurvey exports): the files the tests
# need, taken from pinned, hash-checked sdists into the untracked .fixtures/ (a no-op once
# there; tests/fixtures/fetch.py, sources and licences in tests/fixtures/*/README.md).
fixtures: $(VENV)/.installed-test
	$(BIN)/python tests/fixtures/fetch.py

# htmx 2 (not 4.x: the Litestar htmx plugin speaks htmx 2) from npm into an untracked folder.
# SortableJS (drag-and-drop ordering in the designer; the ↑/↓ buttons stay the no-JS path).
static/vendor/htmx.min.js static/vendor/Sortable.min.js &: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/sortablejs/Sortable.min.js static/vendor/Sortable.min.js

frontend: static/vendor/htmx.min.js static/vendor/Sortable.min.js

# Debian packages: Chromium for the browser tests (Playwright's own download does not work
# here), Pango & co. for WeasyPrint's PDFs, poppler-utils to look at those PDFs in tests.
SYSTEM_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
	libharfbuzz-subset0 libfontconfig1 poppler-utils
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
	fonts-dejavu-core
BENCH_PACKAGES := wrk

define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-packages:
	$(call apt_install,$(SYSTEM_PACKAGES))

run-packages:
	$(call apt_install,$(RUN_PACKAGES))

bench-packages:
	$(call apt_install,$(BENCH_PACKAGES))

run: install
	$(BIN)/consult db upgrade
	$(BIN)/consult demo
	@echo "Consult: http://$(HOST):$(PORT)/"
	$(BIN)/consult serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install-test lint
	CONSULT_REQUIRE_FIXTURES=1 $(BIN)/pytest -n auto --dist loadfile

# Figures and ratios against bare baselines, measured in the same run (see README).
bench: install-test bench-packages
	$(BIN)/python -m bench.run

messages: $(VENV)/.installed-test
	mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location -o var/consult.pot consult templates
	$(BIN)/pybabel update -i var/consult.pot -d consult/locale -l fr --no-location --ignore-obsolete

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache test-artifacts .fixtures
