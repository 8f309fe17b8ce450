# Everything runs inside a uv-managed virtual environment on Python 3.13 (.python-version).
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON := python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py

.PHONY: install run serve bench soak test lint format migrations-check ci clean

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

# Production settings under gunicorn on 127.0.0.1:$(PORT) (see scripts/serve.sh for the
# variables: WEB_CONCURRENCY, HOST, DATABASE_URL, REDIS_URL ...).
serve: install
	PORT=$(PORT) scripts/serve.sh

# Load benchmark (about 10 minutes): prints one table; see docs/performance.md.
bench: install
	$(RUN) python scripts/bench.py $(BENCH_ARGS)

# Bounded soak on loopback: 20,000+ mixed requests at concurrency 50, then memory growth.
soak: install
	$(RUN) python scripts/soak.py $(SOAK_ARGS)

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
	rm -rf .venv staticfiles test-artifacts db.sqlite3 var
