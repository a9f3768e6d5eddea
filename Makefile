# The two set-up commands are `make demo` and `make test`; everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PYTEST_WORKERS ?= 2

.PHONY: help install system-deps demo serve lint types test test-sqlite test-postgres test-browser stack-test bench load clean

help:
	@echo "make demo   - install, build the synthetic demo program and serve it on http://127.0.0.1:8000"
	@echo "make test   - lint, types, the suite on SQLite and PostgreSQL, browser tests"
	@echo "make bench  - run the benchmarks in benchmarks/"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# System packages for the browser tests (Debian's Chromium), PDF rendering (Pango), the
# throwaway PostgreSQL cluster and the stack test's nginx. Needs root or sudo; .ci/run calls it.
system-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -x /usr/sbin/nginx ] && ldconfig -p | grep -q libpango-1.0; then \
		echo "system packages present"; \
	else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && \
		$$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core \
			libpango-1.0-0 libpangoft2-1.0-0 postgresql-15 nginx-light openssl; \
	fi

demo: $(STAMP)
	$(BIN)/alliance demo

# After `make demo`, serve the demo database with the key file the demo made beside it.
serve: $(STAMP)
	@if [ -z "$$ALLIANCE_PARTNER_KEY$$ALLIANCE_PARTNER_KEY_FILE" ] && [ -f alliance.sqlite3.partner-key ]; then \
		export ALLIANCE_PARTNER_KEY_FILE=alliance.sqlite3.partner-key; fi; \
	$(BIN)/alliance serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy alliance

test-sqlite: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m "not browser"

test-postgres: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m "not browser" tests --ignore=tests/core \
		--deselect tests/demo/test_fees.py::test_a_rebuilt_demo_starts_with_clean_accounts

test-browser: $(STAMP)
	$(BIN)/python -m pytest -q -m browser

test: lint types test-sqlite test-postgres test-browser

# The production-like stack (tests/stack/production_stack.py): nginx with TLS in front of two
# app servers, two workers, one throwaway PostgreSQL; kills a server and a worker mid-flow.
# Not part of `make test` (its legs collect only test_*.py files); .ci/run runs it after.
stack-test: $(STAMP)
	scripts/with-postgres.sh $(BIN)/python tests/stack/production_stack.py

# The benchmarks build the demo, partner records included: a throwaway key unless one is set.
bench: $(STAMP)
	@if [ -z "$$ALLIANCE_PARTNER_KEY$$ALLIANCE_PARTNER_KEY_FILE" ]; then \
		export ALLIANCE_PARTNER_KEY="$$($(BIN)/alliance partner-key)"; fi; \
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# 50 men at kiosks + 10 facilitators against `alliance serve`, on SQLite then PostgreSQL.
load: $(STAMP)
	$(BIN)/python benchmarks/load/run_load.py --database sqlite
	scripts/with-postgres.sh $(BIN)/python benchmarks/load/run_load.py --database current

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
