# Two commands for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= var/demo.sqlite3
export GARITA_DATABASE_URL ?= sqlite:///$(DEMO_DB)

.PHONY: install demo test lint bench clean

$(BIN)/garita: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/garita

demo: install  ## fresh SQLite file, demo data, the service on 127.0.0.1:8000
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/garita db upgrade
	$(BIN)/garita demo
	$(BIN)/garita serve --host 127.0.0.1 --port 8000

test: install  ## the whole suite (PostgreSQL cases need GARITA_TEST_DATABASE_URL)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
