# Everything runs inside a uv-managed virtual environment on Python 3.13 (.python-version).
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON := python3
UV := $(PYTHON) -m uv
# Only the install targets below change the environment (a plain `uv run` would add the dev group).
RUN := $(UV) run --no-sync
MANAGE := $(RUN) python manage.py

.PHONY: install install-site run superuser serve bench bench-chart soak lighthouse test lint format hooks \
	migrations-check ci clean

# uv is bootstrapped into the project's interpreter if missing; uv.lock pins every package.
BOOTSTRAP_UV := $(PYTHON) -m uv --version >/dev/null 2>&1 || \
	$(PYTHON) -m pip install --quiet --disable-pip-version-check uv

# What the site needs to run, without the dev group; --inexact keeps dev tools already there.
.venv/.installed-site: pyproject.toml uv.lock
	@$(BOOTSTRAP_UV)
	$(UV) sync --locked --no-dev --inexact
	@touch $@

# The site and the dev group: tests, ruff, django-upgrade, pre-commit, coverage.
.venv/.installed: pyproject.toml uv.lock
	@$(BOOTSTRAP_UV)
	$(UV) sync --locked
	@touch $@ .venv/.installed-site

# The interface's translations, compiled with Babel (pure Python: no gettext tools needed).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po .venv/.installed-site
	$(RUN) pybabel compile --domain django --directory locale --locale $* --statistics

install: .venv/.installed $(MO_FILES)

install-site: .venv/.installed-site $(MO_FILES)

# The site as visitors see it (DEBUG off: the designed 404 and 500 pages); `make run DEBUG=1`
# for Django's debug pages.
run: install-site
	$(MANAGE) migrate --no-input
	$(MANAGE) load_content --if-empty
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# An admin account for the database `make run` serves (asks for a name and a password).
superuser: install-site
	$(MANAGE) migrate --no-input
	$(MANAGE) createsuperuser

# Production settings under gunicorn on 127.0.0.1:$(PORT) (see scripts/serve.sh for the
# variables: WEB_CONCURRENCY, HOST, DATABASE_URL, REDIS_URL ...).
serve: install-site
	PORT=$(PORT) scripts/serve.sh

# Load benchmark (about 10 minutes; needs wrk): prints one table and writes var/bench/results.json
# and results.svg (BENCH_ARGS=--publish: docs/bench/ too); see docs/performance.md.
bench: install-site
	$(RUN) python scripts/bench.py $(BENCH_ARGS)

# Redraws docs/bench/results.svg from docs/bench/results.json (no benchmark run).
bench-chart: install-site
	$(RUN) python scripts/bench_chart.py docs/bench/results.json --output docs/bench/results.svg

# Lighthouse (mobile) over every page type as visitors see it; fails below 100 anywhere.
lighthouse: install-site
	@test -x var/lighthouse/node_modules/.bin/lighthouse || \
		npm install --prefix var/lighthouse --no-audit --no-fund --silent lighthouse@12
	$(RUN) python scripts/lighthouse.py

# Bounded soak on loopback: 20,000+ mixed requests at concurrency 50, then memory growth.
soak: install-site
	$(RUN) python scripts/soak.py $(SOAK_ARGS)

# The whole suite, then the lines it never ran, per file (a figure to read, not a gate).
test: install
	$(RUN) pytest --cov --cov-report=term-missing:skip-covered $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

# Git hooks from .pre-commit-config.yaml: django-upgrade and ruff on every commit.
hooks: install
	$(RUN) pre-commit install

migrations-check: install-site
	$(MANAGE) makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf .venv staticfiles test-artifacts db.sqlite3 var
