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

.PHONY: help setup demo generate build test lint bench clean lock

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

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

# The dbt templater compiles every model; models that read the extract manifest (as-of date, extract end date) need
# an extract, so lint against the hand-made fixture rather than skip them when data/extract does not exist.
lint: setup ## sqlfluff (dbt templater) over models, analyses and tests
	EQUITY_QI_DUCKDB=:memory: EQUITY_QI_EXTRACT_DIR=$(CURDIR)/tests/fixtures/mini_extract \
		$(BIN)/sqlfluff lint models analyses tests/dbt tests/dbt_fixtures

test: setup ## every test: sqlfluff lint, then pytest (generator, CLI, dbt build/test on small extracts)
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest

bench: setup ## benchmarks at 3 scales; results in bench/results/
	$(BIN)/python bench/bench_generate.py

lock: ## re-pin requirements.lock from a fresh resolve of pyproject.toml
	rm -rf /tmp/equity-qi-lock && $(PYTHON) -m venv /tmp/equity-qi-lock
	/tmp/equity-qi-lock/bin/pip install --quiet -e '.[dev]'
	{ echo "# Fully pinned environment for equity-qi (Python 3.11). Regenerate with: make lock"; \
	  /tmp/equity-qi-lock/bin/pip freeze --exclude-editable | grep -v -E '^pip=='; } > requirements.lock

clean: ## remove generated data, the warehouse and dbt artefacts (keeps .venv)
	rm -rf data warehouse target logs .pytest_cache
