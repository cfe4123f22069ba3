# Two commands matter: `make run` (set up and start everything) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run demo-password test lint format check ci clean bench bench-load faults

$(INSTALLED): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt ".[dev]"
	touch $(INSTALLED)

## Set up (venv, packages, database, demo account) and start web + worker + beat.
run: export DEBUG ?= 1
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py create_demo_account
	@# A few months of sample history for the demo account; adds nothing once it has some.
	$(BIN)/python manage.py seed_history
	@# Ctrl-C ends honcho with 130: that is the way to stop, not an error.
	@$(BIN)/honcho -f Procfile.dev start || test $$? -eq 130

## Put the demo account's password back to the one `make run` printed first.
demo-password: $(INSTALLED)
	$(BIN)/python manage.py create_demo_account --reset-password

## Run the whole test suite (browser tests included), one process per core.
PYTEST_ARGS ?= -n auto
test: $(INSTALLED)
	@# Debian's Chromium when present; otherwise Playwright's own (needs internet once).
	test -x /usr/bin/chromium || $(BIN)/python -m playwright install chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint, formatting and types (mypy with django-stubs).
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Migrations match the models, and the deploy checklist passes.
check: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check

## Benchmarks (print figures; see README "Benchmarks"). bench-load needs PostgreSQL in DATABASE_URL.
bench: $(INSTALLED)
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/sessions.py
	$(BIN)/python bench/history_import.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/keys.py

bench-load: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt ".[dev,bench]"
	$(BIN)/python bench/load.py

## Fault scenarios on throwaway servers of their own (needs PostgreSQL's server binaries and redis-server).
faults: $(INSTALLED)
	$(BIN)/python -m tests.faults.run

ci: lint check test

## Remove everything the commands above create.
clean:
	rm -rf $(VENV) var build *.egg-info .hypothesis .mypy_cache .ruff_cache .pytest_cache test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
