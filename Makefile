# Two commands for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= var/demo.sqlite3
DEMO_PORT ?= 8000
CBP_DATA ?= ../shared/data/cbp
export GARITA_DATABASE_URL ?= sqlite:///$(DEMO_DB)

.PHONY: install demo test lint lock clean

UV_VERSION := 0.13.9

# Installs come from requirements.lock (what the suite was run with), through uv:
# a new upstream release cannot reach a fresh machine unseen. `make lock` re-locks
# after a change to pyproject.toml.
$(BIN)/garita: pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q uv==$(UV_VERSION)
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

lock: $(BIN)/garita
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -q -o requirements.lock

# Front-end libraries from the npm registry, exactly as package-lock.json pins them, into
# the git-ignored node_modules/ that the app serves (never a CDN): htmx for the pages,
# Vega for the statistics page, axe-core for the accessibility tests.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(BIN)/garita node_modules/.package-lock.json

# The demo's clock starts at 12:30 ET today, inside the request window, so every step of
# the README's walk can be taken at once (GARITA_CLOCK_START, docs/settings.md).
demo: export GARITA_CLOCK_START ?= $(shell TZ=America/New_York date +%Y-%m-%dT12:30:00%:z)
demo: install  ## fresh SQLite file, demo data, the service on 127.0.0.1:8000
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/garita db upgrade
	$(BIN)/garita demo
	@# CBP's public encounter files, when the shared data are here (statistics pages and reports)
	@if ls $(CBP_DATA)/*.csv >/dev/null 2>&1; then $(BIN)/garita stats import $(CBP_DATA)/*.csv; \
	else echo "no CBP files in $(CBP_DATA): statistics start with Garita's own flows only"; fi
	$(BIN)/garita serve --host 127.0.0.1 --port $(DEMO_PORT)

test: install  ## the whole suite (PostgreSQL cases need GARITA_TEST_DATABASE_URL)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/garita
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache
