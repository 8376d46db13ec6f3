# Thin wrappers; the README names `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks (package-lock.json pins it).
NODE_STAMP := node_modules/.installed
export FLASK_APP := archive

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
	$(BIN)/python -m pytest

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
