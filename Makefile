# trialfinder: `make run` serves the site, `make test` runs every test but the slow ones, browser
# tests included, and `make test-slow` the slow ones (the wheel from PyPI, a fresh clone, real
# servers and processes working together).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := es en ca fr pt ro ar
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-slow screenshots lint bench messages catalogs chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The .mo files the site reads: compiled here and by the wheel's build, never by a starting worker.
catalogs: $(STAMP)
	$(BIN)/python trialfinder/lib/catalogs.py translations  # by path: it needs only Babel

# Links in emails and shared pages carry the address served, unless TRIALFINDER_BASE_URL says otherwise.
run: $(STAMP) catalogs
	TRIALFINDER_BASE_URL="$${TRIALFINDER_BASE_URL:-http://$(HOST):$(PORT)}" \
	  $(BIN)/flask --app trialfinder run --debug --no-debugger --host $(HOST) --port $(PORT)

# The tests drive Chromium's headless shell (the same engine, without a window around each
# page); the operator's path and the benchmarks drive the full browser.
CHROMIUM_PACKAGES = chromium chromium-headless-shell
chromium:
	@test -x /usr/bin/chromium && test -x /usr/bin/chromium-headless-shell || { \
	  echo "Chromium is missing: installing Debian's $(CHROMIUM_PACKAGES) packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(CHROMIUM_PACKAGES) >/dev/null; }
	@test -x /usr/bin/chromium && test -x /usr/bin/chromium-headless-shell || { \
	  echo "Chromium could not be installed; browser tests cannot run"; exit 1; }

# One pytest worker per core and one more, which runs while the others wait on Chromium, a
# subprocess or a database (on 2 cores, three workers beat two by 16-30 s in each of four runs
# in turn). Each has its own PostgreSQL and Redis databases (tests/databases.py); Redis has 16,
# the first two kept, hence at most 14.
PYTEST_WORKERS ?= $(shell n=$$(nproc); echo $$(( n + 1 < 14 ? n + 1 : 14 )))
test: $(STAMP) catalogs chromium
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m "not slow"

test-slow: $(STAMP) catalogs chromium
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m slow

# The browser tests again, writing what they see to tests/screenshots/ for a person to look at:
# the pages at 320, 390x844 and 1280x800, the emails at 390, the trial printed on A4.
screenshots: $(STAMP) catalogs chromium
	TRIALFINDER_SCREENSHOTS=1 $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) tests/browser tests/outbox/test_email_layout.py

# ruff, the layers (import-linter contracts in pyproject.toml), the type hints of the library and
# the pure modules ([tool.mypy] in pyproject.toml), and declared dependencies.
lint: $(STAMP)
	$(BIN)/ruff check trialfinder tests bench setup.py
	$(BIN)/ruff format --check trialfinder tests bench setup.py
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/deptry .

# Extract messages and update every catalog; translators then fill the .po files.
messages: $(STAMP)
	$(BIN)/pybabel extract -w 100 -F babel.cfg -k _l -k lazy_gettext -k ngettext_count:1,2 -o translations/messages.pot --no-location --sort-by-file .
	for locale in $(LOCALES); do \
	  if [ -f translations/$$locale/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -w 100 -i translations/messages.pot -d translations -l $$locale --no-fuzzy-matching --ignore-obsolete; \
	  else \
	    $(BIN)/pybabel init -w 100 -i translations/messages.pot -d translations -l $$locale; \
	  fi; \
	done
	$(BIN)/python -m trialfinder.sponsor.plurals translations

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache
