# equity-qi: two commands on a fresh machine (Python 3.11 and make present): `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export EQUITY_QI_EXTRACT_DIR ?= $(CURDIR)/data/extract
export EQUITY_QI_DUCKDB ?= $(CURDIR)/warehouse/equity_qi.duckdb

# Default demo extract: a realistic slice of NEL (documented in the README).
DEMO_PATIENTS ?= 200000
DEMO_PRACTICES ?= 40
DEMO_SEED ?= 20260401

.PHONY: help setup services demo generate build docs check test lint lint-changed conventions bench bench-generate clean lock

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv with the pinned dependencies (no-op when current)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

generate: setup ## generate the default synthetic extract into $EQUITY_QI_EXTRACT_DIR
	$(BIN)/equity-qi generate --out "$(EQUITY_QI_EXTRACT_DIR)" --patients $(DEMO_PATIENTS) \
		--practices $(DEMO_PRACTICES) --seed $(DEMO_SEED) --overwrite

build: setup ## dbt build over the extract in $EQUITY_QI_EXTRACT_DIR
	mkdir -p "$$(dirname "$(EQUITY_QI_DUCKDB)")"
	$(BIN)/dbt build --fail-fast $(if $(DBT_BUILD_VARS),--vars '$(DBT_BUILD_VARS)')

# The demo evaluates the QI projects listed in seeds/qi/qi_projects.csv (the demo extract's planted projects plus
# one whose comparison practices are matched); other builds take the extract's own qi_projects.csv.
demo: DBT_BUILD_VARS := {qi_projects_from: seed}
demo: generate build ## set up, generate the default extract, build the warehouse, show a headline table
	$(BIN)/equity-qi headline --duckdb "$(EQUITY_QI_DUCKDB)"
	$(BIN)/equity-qi audit --duckdb "$(EQUITY_QI_DUCKDB)"

docs: setup ## static dbt docs of the built warehouse (after make demo): target/static_index.html, opens offline
	$(BIN)/dbt docs generate --static --quiet
	@echo "docs: $(CURDIR)/target/static_index.html"

# The dbt templater compiles every model; models that read the extract manifest (as-of date, extract end date) need
# an extract, so lint against the hand-made fixture rather than skip them when data/extract does not exist.
MINI := EQUITY_QI_DUCKDB=:memory: EQUITY_QI_EXTRACT_DIR=$(CURDIR)/tests/fixtures/mini_extract

SQL_DIRS := models analyses tests/dbt tests/dbt_fixtures
lint: setup ## ruff (Python) and sqlfluff (dbt templater) over every model, analysis and test
	$(BIN)/ruff check .
	$(MINI) $(BIN)/sqlfluff lint --processes 2 $(SQL_DIRS)

# The fast tier lints the SQL files that differ from the last commit (what is about to be committed); make lint and
# make test lint them all.
CHANGED_SQL = $(sort $(filter %.sql,$(shell git diff --name-only --diff-filter=d HEAD -- $(SQL_DIRS) 2>/dev/null) \
	$(shell git ls-files --others --exclude-standard -- $(SQL_DIRS) 2>/dev/null)))
lint-changed: setup
	$(BIN)/ruff check .
	$(if $(strip $(CHANGED_SQL)),$(MINI) $(BIN)/sqlfluff lint --processes 2 $(CHANGED_SQL),@echo "sqlfluff: no SQL file changed since the last commit")

conventions: setup ## the project's conventions, checked from dbt's manifest (src/equity_qi/conventions.py)
	$(MINI) DBT_TARGET_PATH=$(CURDIR)/target/conventions $(BIN)/dbt parse --quiet
	$(BIN)/python -m equity_qi.conventions --manifest target/conventions/manifest.json

check: setup ## the fast tier (<= 3 min): ruff, sqlfluff on changed SQL, conventions, tests not marked slow
	$(MAKE) --no-print-directory lint-changed conventions
	$(BIN)/pytest -m "not slow"

test: setup services ## everything: lint, conventions, then every pytest test (generated extracts built by dbt included)
	$(MAKE) --no-print-directory lint conventions
	$(BIN)/pytest

# The PostgreSQL publish tests start a throwaway server (tests/pg_server.py) from Debian's postgresql package.
services: ## install what the tests need beyond Python (Debian's PostgreSQL server) when it is missing
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ echo "installing Debian's postgresql for the publish tests"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

SCALE ?= demo
SEED ?= 1
BACKGROUND_CODES ?= 0
bench: setup ## dbt build benchmark (SCALE=demo|small|nel, SEED, BACKGROUND_CODES); bench/results/build.jsonl
	$(BIN)/python bench/bench_build.py --scale $(SCALE) --seed $(SEED) --background-codes $(BACKGROUND_CODES)

bench-generate: setup ## generator benchmark at 3 scales; bench/results/generate.jsonl
	$(BIN)/python bench/bench_generate.py

lock: ## re-pin requirements.lock from a fresh resolve of pyproject.toml
	rm -rf /tmp/equity-qi-lock && $(PYTHON) -m venv /tmp/equity-qi-lock
	/tmp/equity-qi-lock/bin/pip install --quiet setuptools==80.9.0 -e '.[dev]'
	{ echo "# Fully pinned environment for equity-qi (Python 3.11). Regenerate with: make lock"; \
	  /tmp/equity-qi-lock/bin/pip freeze --all --exclude-editable | grep -v -E '^(pip|wheel)=='; } > requirements.lock

clean: ## remove generated data, the warehouse and dbt artefacts (keeps .venv)
	rm -rf data warehouse target logs .pytest_cache
