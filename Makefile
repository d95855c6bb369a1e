# Sales Copilot: `make run` and `make test` work on a fresh clone; the second time reuses .venv.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON := $(BIN)/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test test-fast lint bench eval system-deps clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PYTHON) || { command -v $(PY) >/dev/null || PY=python3; $(PY) -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV); }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## the virtualenv alone

run: $(STAMP) ## load the demo world on first start, serve API :8000 and UI :8501
	$(BIN)/copilot up

system-deps: ## Debian packages the browser test and PDF export need (once per machine)
	@if ! command -v chromium >/dev/null || ! test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc \
		|| ! fc-list 2>/dev/null | grep -qi 'noto sans cjk'; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-wqy-zenhei >/dev/null; \
	fi

SCHEMA_TESTS := tests/copilot/api/test_api_schemathesis.py

test: $(STAMP) system-deps ## the whole suite: unit, integration (SQLite, PostgreSQL, Chroma), browser
	@# The schemathesis module checks afterwards that every operation was exercised, so it runs in
	@# one process; everything else runs on two xdist workers (one file per worker at a time).
	$(BIN)/pytest -q -p no:cacheprovider $(SCHEMA_TESTS) $(PYTEST_ARGS)
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile --ignore=$(SCHEMA_TESTS) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not browser and not postgres" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy copilot agents tools knowledge ui evals

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; $(PYTHON) $$f || exit 1; done

eval: $(STAMP)
	COPILOT_TODAY=2026-11-30 $(BIN)/copilot eval

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
