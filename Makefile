# One place to run everything, as CI runs it. Each target sets itself up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export PYTHONHASHSEED := 0
export TZ := UTC

.PHONY: run test check lint format types pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## The main job: the 1999 elections of the Majilis and the Senate, from protocols to seats.
run: $(STAMP)
	$(BIN)/saylau run kz-1999

## Everything CI checks: lint, format, types, tests.
test: check pytest

check: lint types

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

types: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_allocate.py
	$(BIN)/python bench/bench_tabulate.py
	$(BIN)/python bench/bench_import_spb.py
	$(BIN)/python bench/bench_forensics.py
	$(BIN)/python bench/bench_national.py
	$(BIN)/python bench/bench_service.py --repeat 3
	$(BIN)/python bench/service_ceiling.py --repeat 3

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
