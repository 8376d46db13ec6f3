# Thin wrappers; the README names `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks (package-lock.json pins it).
NODE_STAMP := node_modules/.installed
export FLASK_APP := archive
# `make test` runs the suite on SQLite, then again on this PostgreSQL database
# (a schema per test, see tests/conftest.py) when it answers.
ARCHIVE_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test

# Prints the URL (password hidden) if PostgreSQL answers; else exits with the reason.
define PG_PROBE
import sys
from sqlalchemy import make_url
url = make_url(sys.argv[1])
shown = url.render_as_string(hide_password=True)
try:
    import psycopg
except ImportError:
    sys.exit(f"{shown}: psycopg is not installed (pip install -e '.[postgres]')")
try:
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    psycopg.connect(libpq, connect_timeout=5).close()
except psycopg.Error as error:
    sys.exit(f"{shown}: {' '.join(str(error).split())}")
print(shown)
endef
export PG_PROBE

.PHONY: run test lint bench fixtures demo-audio clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flask init-db
	$(BIN)/flask load-demo
	@echo
	@echo "  Archive: http://127.0.0.1:5000"
	@echo "  Editor account: .venv/bin/flask --app archive create-editor you@example.org --admin"
	@echo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
		echo "npm not found: browser tests will skip (or fail with CI=true)"; \
	fi

test: $(STAMP) $(NODE_STAMP)
	@if postgres=$$($(BIN)/python -c "$$PG_PROBE" "$(ARCHIVE_TEST_DATABASE_URL)" 2>&1); then \
		reachable=yes; echo "== pytest on SQLite, then on PostgreSQL ($$postgres)"; \
	else \
		reachable=no; echo "== pytest on SQLite; PostgreSQL is not reachable: $$postgres"; \
	fi; \
	env -u ARCHIVE_TEST_DATABASE_URL $(BIN)/python -m pytest || exit; \
	if [ $$reachable = yes ]; then \
		echo "== pytest on PostgreSQL ($$postgres)"; \
		ARCHIVE_TEST_DATABASE_URL="$(ARCHIVE_TEST_DATABASE_URL)" $(BIN)/python -m pytest; \
	elif [ "$${CI:-}" = true ]; then \
		echo "PostgreSQL run FAILED: not reachable, and CI=true needs it ($$postgres)"; exit 1; \
	else \
		echo "PostgreSQL run skipped: not reachable ($$postgres)"; \
	fi

# The hostile-input property tests alone, with many more random examples than
# `make test` (profile `fuzz`, see tests/conftest.py; failures are kept in
# .hypothesis/ and replayed). Whatever it finds becomes an @example in the test.
.PHONY: fuzz
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -p no:cacheprovider \
		tests/security/test_search_input.py \
		tests/search/test_views.py::test_any_text_is_a_valid_search \
		tests/search/test_views.py::test_query_syntax_soup_never_fails

lint: $(STAMP)
	$(BIN)/ruff check archive tests benchmarks
	$(BIN)/ruff format --check archive tests benchmarks

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

fixtures: $(STAMP)
	$(BIN)/python tests/fixtures/make_fixtures.py

demo-audio: $(STAMP)
	$(BIN)/python -m archive.demo.make_episodes

clean:
	rm -rf $(VENV) instance .pytest_cache
