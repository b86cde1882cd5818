# The two commands a new machine needs (Python 3.11+):
#   make run    set up a virtualenv, apply migrations, serve on http://127.0.0.1:5000
#   make test   set up a virtualenv with the test extras and run the whole suite
# and for CI (needs a PostgreSQL 15 cluster, or TEST_DATABASE_URL):
#   make test-postgres   the app and database tests again on a throwaway PostgreSQL database
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test test-postgres setup setup-test bench bench-server bench-lighthouse translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'

run: setup
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app run

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r app scoring --severity-level medium --quiet
	$(BIN)/mypy --strict scoring/
	$(BIN)/mypy app/
	$(BIN)/python -m pytest

# bin/with-test-postgres starts the cluster if needed, creates a database and role, sets
# TEST_DATABASE_URL for the run and drops both afterwards (an existing TEST_DATABASE_URL is used as it is).
test-postgres: setup-test
	bin/with-test-postgres $(BIN)/python -m pytest tests/app tests/load

# In-process figures: scoring; question page, report page, score API, PDF, app start; team report (10,000 responses).
bench: setup
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_team.py

# gunicorn, 2 workers: start page and score API as ratios to a minimal Flask app, with guards (exit 1 if one is
# not met); uses wrk when installed (apt-get install wrk).
bench-server: setup
	$(BIN)/python bench/bench_server.py

# Lighthouse 12.2.3 (mobile) on the home, start, question and report pages, median of 3 runs (exit 1 if a
# target is missed); needs node/npm and Chromium (apt-get install chromium); installs Lighthouse into
# instance/lighthouse-12.2.3 the first time. LANG_UI=en audits the English pages.
bench-lighthouse: setup
	$(BIN)/python bench/bench_lighthouse.py --lang $(or $(LANG_UI),nl)

# After changing UI strings: extract them, merge into the English catalog, compile.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/pybabel compile -d app/translations
