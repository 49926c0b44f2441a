# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test check bench bench-ui soak serve sample clean i18n browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the project's metadata or the UI's catalogues change: installing compiles them.
INSTALL_INPUTS := pyproject.toml setup.py $(wildcard web/translations/*/LC_MESSAGES/messages.po)

$(VENV)/.installed: $(INSTALL_INPUTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(INSTALL_INPUTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

sample: $(VENV)/.installed
	$(BIN)/hub load-sample

run: sample
	@echo "To sign in: $(BIN)/hub accounts create --name 'Your Name' --role manager"
	@echo "            $(BIN)/hub accounts link ACCOUNT_ID --base-url http://$(HOST):$(PORT)   (open the link it prints)"
	$(BIN)/hub serve --host $(HOST) --port $(PORT)

# Two pytest workers (pytest-xdist), a test file each at a time: the suite took 8-11 min on one
# core of a 2-core machine and 6.5 min on both. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
test: check browser
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Static checks (configured in pyproject.toml): a finding fails the build before any test runs.
check: $(VENV)/.installed-test
	$(BIN)/ruff check hub projections web tests setup.py
	$(BIN)/mypy

# The browser tests drive Debian's chromium with Playwright (Playwright's own browser
# download is not used). Installed here when missing and we are root; otherwise those
# tests skip with the reason (and fail under HUB_REQUIRE_BROWSER=1, as in CI).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed and we are not root: browser tests will be skipped"; fi; }

bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.bench

# The graph page in headless chromium at 1,000 partnerships: first paint, filter change (figures, not a test).
bench-ui: $(VENV)/.installed-test browser
	$(BIN)/python -m tests.bench.bench_ui
	$(BIN)/python -m tests.bench.bench_renderers

# 32 clients against gunicorn on SQLite and PostgreSQL, SIGKILL midway: 0 lost, 0 duplicated.
soak: $(VENV)/.installed-test
	$(BIN)/python -m tests.soak

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# Re-extract UI strings and merge them into the Polish catalogue (then translate the new entries);
# compiling is part of installing (setup.py), so a plain `make run` after editing the .po picks it up.
i18n: $(VENV)/.installed
	$(BIN)/pybabel extract -F web/babel.cfg -k translated -o web/translations/messages.pot .
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations -l pl
	$(BIN)/pybabel compile -d web/translations
