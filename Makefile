# Quick start: `make run` (app with demo data on SpatiaLite), `make test` (lint, then SpatiaLite and PostGIS).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=

.PHONY: setup demo-deps test-deps run demo lint test test-sqlite test-postgis translations extract-messages clean

setup: $(VENV)/.installed translations

demo-deps:
	@bash .ci/system-deps run

test-deps:
	@bash .ci/system-deps test

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile --statistics -d webapp/translations

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations --no-fuzzy-matching

demo: demo-deps setup
	$(FLASK) db upgrade
	$(FLASK) demo seed

run: demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Style errors (ruff) and the layering contracts (import-linter), both set in pyproject.toml.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Lint first (after the system packages, which the virtual environment may need): a violation fails the
# run before the slow tests start.
test: test-deps setup
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgis

test-sqlite:
	$(BIN)/pytest -q --db sqlite $(PYTEST_ARGS)

test-postgis:
	$(BIN)/pytest -q --db postgis $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance/*.db
