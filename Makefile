# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format bench mutate install install-dev clean page-tools

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A local demo: debug on, SQLite unless DATABASE_URL says otherwise.
run: export DEBUG = 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	@echo ""
	@echo "  Newsroom is running at http://127.0.0.1:$(PORT)/"
	@echo "  Editors' desk:         http://127.0.0.1:$(PORT)/admin/"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The page checkers the suite uses where they are installed (the Nu HTML checker, which
# needs Java, and axe-core), pinned in package.json and package-lock.json.
page-tools:
	npm ci --no-audit --no-fund --ignore-scripts

# The suite runs in one process per CPU (pytest-xdist); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= auto

test: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=10 $(ARGS)

# Mutation testing of the modules that hold the rules: plants one small bug at a time,
# runs the tests written for that module against it, prints the score per module and
# every surviving mutant (tests/mutation_report.py; its GROUPS say which tests try which
# modules). About half an hour on two cores; MUTATE_JOBS=8 on a bigger machine.
MUTATE_JOBS ?= 2
mutate: install-dev
	rm -rf mutants .mutate-cache
	$(BIN)/python tests/mutation_report.py --prepare
	for group in .mutate/*/; do (cd $$group && $(CURDIR)/$(BIN)/mutmut run --max-children $(MUTATE_JOBS)) || true; done
	$(BIN)/python tests/mutation_report.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Page timings and query counts on a generated corpus, then the pages under load (gunicorn
# and wrk, cached and uncached, against a bare Django view), in its own database: a SQLite
# file by default, or e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench
# (emptied first; never point it at a database you want to keep).
BENCH_STORIES ?= 5000
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/bench.sqlite3
bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench: export SECRET_KEY = bench-only
bench: export ALLOWED_HOSTS = testserver
bench: export SECURE_SSL_REDIRECT = 0
bench: install
	-@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	rm -f bench.sqlite3
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py flush --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py generate $(BENCH_STORIES)
	$(BIN)/python manage.py bench

clean:
	rm -rf $(VENV) db.sqlite3 bench.sqlite3 media staticfiles mutants .mutate-cache .mutate
