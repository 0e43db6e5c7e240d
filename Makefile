# The README's commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Installs come from the lock files, every package pinned with its hashes (`make lock`).
RUN_LOCK  := requirements/run.txt
TEST_LOCK := requirements/test.txt
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --generate-hashes

.PHONY: install install-test browser run serve test lint lock bench load collections clean

$(VENV)/.installed-run: $(RUN_LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(RUN_LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(TEST_LOCK) $(VENV)/.installed-run
	$(BIN)/python -m pip install -q --require-hashes -r $(TEST_LOCK)
	touch $@

# Re-resolve both locks from pyproject.toml (the run lock within the test lock's versions).
lock:
	test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install -q uv; }
	$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_TARGET) -q -o $(TEST_LOCK)
	$(BIN)/uv pip compile pyproject.toml -c $(TEST_LOCK) $(LOCK_TARGET) -q -o $(RUN_LOCK)

install: $(VENV)/.installed-run

install-test: $(VENV)/.installed-test browser tests/oidc/node_modules/.package-lock.json \
	tests/newman/node_modules/.package-lock.json tests/ui/node_modules/.package-lock.json

# newman, the Postman collection runner for tests/api/test_collections.py.
tests/newman/node_modules/.package-lock.json: tests/newman/package-lock.json
	cd tests/newman && npm ci --no-audit --no-fund

# axe-core, injected into pages by the browser tests' accessibility checks.
tests/ui/node_modules/.package-lock.json: tests/ui/package-lock.json
	cd tests/ui && npm ci --no-audit --no-fund

# Regenerate the Postman and Insomnia collections from the OpenAPI spec.
collections: install
	$(BIN)/iso55001 collections

# The OpenID provider the sign-on tests run against (npm oidc-provider on Node 22).
tests/oidc/node_modules/.package-lock.json: tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund

# Browser tests drive Debian's chromium (Playwright never downloads a browser here).
browser:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

run: install
	$(BIN)/iso55001 init-db
	$(BIN)/iso55001 seed-demo --if-empty
	@echo "Serving http://$(HOST):$(PORT)/  dashboard: /dashboard/  API docs: /docs"
	$(BIN)/iso55001 run --host $(HOST) --port $(PORT)

# Production-style server: gunicorn, several workers, migrations first.
serve: install
	$(BIN)/iso55001 serve

test: install-test
	$(BIN)/python -m pytest --cov --cov-report=term
	$(BIN)/python -m coverage report --include='core/*' --fail-under=85 > /dev/null \
	  || { echo "core/ coverage is below 85%"; exit 1; }
	$(BIN)/python -m coverage report --include='api/*' --fail-under=85 > /dev/null \
	  || { echo "api/ coverage is below 85%"; exit 1; }
	$(BIN)/python -m coverage report --include='web/*' --fail-under=85 > /dev/null \
	  || { echo "web/ coverage is below 85%"; exit 1; }

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf var .coverage .pytest_cache .mypy_cache .ruff_cache tests/artifacts

# KPI and export benchmark at 1,000,000 nonconformities (see bench/README.md).
BENCH_SQLITE ?= sqlite:///$(CURDIR)/var/bench.db
BENCH_POSTGRES ?= postgresql+psycopg://postgres@127.0.0.1:5432/iso55001_bench
bench: install-test
	test -f var/bench.db || $(BIN)/python bench/run.py --database-url $(BENCH_SQLITE) --generate --repeat 0
	$(BIN)/python bench/run.py --database-url $(BENCH_SQLITE)
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='iso55001_bench'" | grep -q 1 \
	  || { psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE iso55001_bench" && \
	       $(BIN)/python bench/run.py --database-url $(BENCH_POSTGRES) --generate --repeat 0; }
	$(BIN)/python bench/run.py --database-url $(BENCH_POSTGRES)

# 60 s of mixed reads and writes against gunicorn on the local PostgreSQL (loopback only).
LOAD_DB ?= postgresql+psycopg://postgres@127.0.0.1:5432/iso55001_load
LOAD_PORT ?= 8765
load: install-test
	psql -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS iso55001_load" -c "CREATE DATABASE iso55001_load"
	DATABASE_URL=$(LOAD_DB) $(BIN)/iso55001 init-db
	DATABASE_URL=$(LOAD_DB) $(BIN)/iso55001 seed-demo --orgs 5 --nonconformities 2000
	DATABASE_URL=$(LOAD_DB) PORT=$(LOAD_PORT) WEB_CONCURRENCY=2 LOG_LEVEL=WARNING \
	  $(BIN)/iso55001 serve & echo $$! > var/load-server.pid; sleep 6
	$(BIN)/locust -f bench/locustfile.py --headless --host http://127.0.0.1:$(LOAD_PORT) \
	  --users 20 --spawn-rate 10 --run-time 60s --stop-timeout 5 --only-summary; \
	  status=$$?; kill $$(cat var/load-server.pid); rm -f var/load-server.pid; exit $$status
