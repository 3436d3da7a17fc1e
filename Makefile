# Fritidsportalen. `make run` serves the portal on SQLite with demo data; `make test` runs
# every check. Both set up what they need first and are quick the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := portal
LOCALES := $(notdir $(wildcard portal/translations/*))
PO_FILES := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
HTMX := portal/static/vendor/htmx.min.js
PYTEST_ARGS ?=

.PHONY: run serve wheel lock deploy-check nginx test test-unit test-pg test-browser lint setup translations check-strings chromium clean

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	PORTAL_DEV_OUTBOX=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

## The same embedded default under gunicorn, as production runs it (portal/gunicorn_conf.py;
## PORTAL_BIND, PORTAL_WORKERS, PORTAL_THREADS choose where and how many).
serve: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	PORTAL_DEV_OUTBOX=1 $(BIN)/gunicorn -c python:portal.gunicorn_conf

## A wheel for a server (dist/): the portal with its templates, static files, compiled catalogues,
## migrations and gunicorn settings inside; install it with the lock file (docs/operations.md).
wheel: setup
	rm -rf build dist
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation -w dist .

## Two gunicorn app servers on PostgreSQL and Redis behind Debian's nginx, with the worker: a
## family and a guide through nginx, an app server stopped mid-burst, PostgreSQL restarted
## (deploy/check.py; run it alone: it restarts the machine's PostgreSQL).
deploy-check: setup nginx
	$(BIN)/python deploy/check.py

## The whole suite: lint, types, strings, then every test (browser tests included).
test: setup chromium lint check-strings
	$(BIN)/pytest $(PYTEST_ARGS)

## The same tests against PostgreSQL (PORTAL_TEST_DATABASE_URL, default: local database "test").
test-pg: setup
	PORTAL_TEST_DATABASE_URL=$${PORTAL_TEST_DATABASE_URL:-postgresql+psycopg://127.0.0.1:5432/test} \
		$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed $(HTMX) $(MO_FILES)

## The pinned, hash-checked dependencies of requirements/dev.txt, then the portal itself.
$(VENV)/.installed: pyproject.toml requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

## Pin the dependencies again after a change to pyproject.toml (pip-tools): requirements/
## production.txt for the servers, requirements/dev.txt for development and CI.
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-find-links -o requirements/production.txt pyproject.toml
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --generate-hashes --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements/dev.txt pyproject.toml

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(HTMX): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

lint: $(VENV)/.installed
	$(BIN)/ruff check portal tests $(wildcard bench) deploy
	$(BIN)/ruff format --check portal tests $(wildcard bench) deploy
	$(BIN)/mypy portal

## Re-extract strings into messages.pot and merge them into every catalogue.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _ln:1,2 -k lazy_pgettext:1c,2 -k _lp:1c,2 \
		--add-comments=Translators: --no-location --sort-output --omit-header \
		-o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

## Fail if messages.pot is not what the code and templates say (run `make translations`).
check-strings: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _ln:1,2 -k lazy_pgettext:1c,2 -k _lp:1c,2 \
		--add-comments=Translators: --no-location --sort-output --omit-header \
		-o $(VENV)/messages.pot.check . >/dev/null 2>&1
	@diff -q portal/translations/messages.pot $(VENV)/messages.pot.check >/dev/null || \
		(echo "portal/translations/messages.pot is out of date: run 'make translations' and translate the new strings." && \
		 diff portal/translations/messages.pot $(VENV)/messages.pot.check | head -40; exit 1)

## Debian's nginx for the deployment check.
nginx:
	@command -v nginx >/dev/null 2>&1 || { \
		echo "Installing Debian's nginx for the deployment check"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null; }

## Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-core >/dev/null; }

clean:
	rm -rf $(VENV) node_modules portal/static/vendor portal/translations/*/LC_MESSAGES/*.mo .pytest_cache .mypy_cache .ruff_cache
