# The two commands of the README: `make demo` and `make test`. Both create the environment first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo

.PHONY: setup demo test lint typecheck unit bench clean clients

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# llama-cpp-python builds from source the first time (about 5 minutes on 2 cores).
	$(BIN)/python -m pip install --progress-bar on -e '.[model,knowledge,bench,tune,dev]'
	$(BIN)/gpiot model --no-load
	@touch $(STAMP)

# Build the local knowledge index (once; later runs re-embed only what changed), then decompose
# the bundled ECG example into validated sub-task files under demo/.
demo: setup
	$(BIN)/gpiot knowledge build
	@mkdir -p $(DEMO)
	@cp knowledge/examples/ecg_heartbeats.py $(DEMO)/ecg_heartbeats.py
	$(BIN)/gpiot decompose $(DEMO)/ecg_heartbeats.py --workspace $(DEMO)
	@echo "Generated files: $(DEMO)/ecg_heartbeats_subtasks/"

lint: setup
	$(BIN)/ruff check server tests
	$(BIN)/ruff format --check server tests

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q -m "not model"

# The editor clients: the VS Code extension (npm ci, compile, lint, unit tests, gpiot.vsix) and the
# packages of the Node LSP client that tests/integration/test_client_node.py runs.
NPM_CI := npm ci --no-audit --no-fund
clients:
	cd client-vscode && $(NPM_CI) && npm run compile && npm run lint && npm test && npm run package
	cd tests/clients/node && $(NPM_CI) && npm run check

# Lint, type check, build the clients, then every test (the integration tests use the real model).
test: lint typecheck clients
	$(BIN)/pytest -q -ra

bench: setup
	$(BIN)/gpiot bench perf --output docs/bench/perf.json

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
	rm -rf client-vscode/node_modules client-vscode/out client-vscode/gpiot.vsix tests/clients/node/node_modules
