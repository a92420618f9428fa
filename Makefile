# One place to run everything, as CI runs it. Each target sets itself up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORE   := $(VENV)/.core
DEV    := $(VENV)/.dev

export PYTHONHASHSEED := 0
export TZ := UTC

.PHONY: run test check lint format types pytest bench clean

# The core alone: what `make run` needs (about 30 s on a fresh 2-core machine).
$(CORE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(CORE)

# Everything the tests need: the service and pdf extras, and the development tools.
$(DEV): $(CORE)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV)

## The main job: the 1999 elections of the Majilis and the Senate, from protocols to seats.
run: $(CORE)
	$(BIN)/saylau run kz-1999

## Everything CI checks: lint, format, types, tests (in parallel, on every core).
test: check pytest

check: lint types

lint: $(DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(DEV)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

types: $(DEV)
	$(BIN)/mypy

pytest: $(DEV)
	$(BIN)/pytest -n auto --dist loadgroup

bench: $(DEV)
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_allocate.py
	$(BIN)/python bench/bench_tabulate.py
	$(BIN)/python bench/bench_import_spb.py
	$(BIN)/python bench/bench_forensics.py
	$(BIN)/python bench/bench_national.py
	$(BIN)/python bench/bench_service.py --repeat 3
	$(BIN)/python bench/service_ceiling.py --repeat 3

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
