# Two commands: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := backend:create_app
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup lint format clean translations

run: setup
	$(BIN)/flask steady prepare
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The suite runs in TEST_PROCESSES processes (pytest-xdist), each test file whole in one of
# them, so a file's shared browser and server are started once; TEST_PROCESSES=0 runs it in
# this process alone.
TEST_PROCESSES ?= 2
test: lint
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

setup: $(VENV)/.installed translations

# The virtual environment is rebuilt whenever the pinned dependencies change.
$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Steady needs Python 3.11 or newer" or 0)'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Spanish (and any later language) catalogues are compiled from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --domain messages --directory backend/translations --statistics

# Lint, format check and dead code (vulture: settings in pyproject.toml); `make test` runs
# this first.
lint: setup
	$(BIN)/ruff check backend tests bench testkit
	$(BIN)/ruff format --check --quiet backend tests bench testkit
	$(BIN)/vulture

format:
	$(BIN)/ruff format backend tests bench testkit
	$(BIN)/ruff check --fix backend tests bench testkit

clean:
	rm -rf $(VENV) .pytest_cache instance/*.sqlite3*
