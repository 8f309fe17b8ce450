#!/usr/bin/env bash
# `make serve`: the portal as in production (portal.settings.prod, gunicorn, WhiteNoise), on
# loopback by default. PostgreSQL when DATABASE_URL is set, Redis when REDIS_URL is set.
#
# The loopback defaults (a throwaway SECRET_KEY, loopback host names, no HTTPS redirect, no
# HSTS) come from scripts/loopback.py, for whatever neither the environment nor .env sets. A
# real deployment sets SECRET_KEY, ALLOWED_HOSTS, SECURE_PROXY_SSL_HEADER etc. itself and keeps
# SECURE_SSL_REDIRECT on.
set -euo pipefail
cd "$(dirname "$0")/.."

export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8000}" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
loopback_defaults="$(.venv/bin/python scripts/loopback.py)"
eval "$loopback_defaults"

.venv/bin/python manage.py collectstatic --no-input --verbosity 0
.venv/bin/python manage.py migrate --no-input --verbosity 0
.venv/bin/python manage.py load_content --if-empty --verbosity "${LOAD_VERBOSITY:-1}"

# Sync workers: each request has a process to itself; the count comes from the environment
# (WEB_CONCURRENCY, gunicorn's own convention). No access log: a proxy in front keeps one.
exec .venv/bin/gunicorn portal.wsgi:application \
  --workers "$WEB_CONCURRENCY" \
  --bind "$HOST:$PORT" \
  --graceful-timeout 10 \
  ${GUNICORN_ARGS:-}
