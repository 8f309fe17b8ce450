# Everything runs inside a uv-managed virtual environment on Python 3.13 (.python-version).
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON := python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py

.PHONY: install run test lint format migrations-check ci clean

# uv is bootstrapped into the project's interpreter if missing; uv.lock pins every package.
.venv/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --locked
	@touch $@

install: .venv/.installed

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_content --if-empty
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(RUN) pytest $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf .venv staticfiles test-artifacts db.sqlite3
