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

# gunicorn's asyncio (ASGI) workers: a connection costs a coroutine until its request has fully
# arrived, so slow clients trickling headers or bodies never hold a worker, and Django runs only
# complete requests (docs/deploy.md; scripts/slow_clients.py proves it). The count comes from
# the environment (WEB_CONCURRENCY, gunicorn's own convention); WORKER_CLASS=sync gives the
# previous one-request-per-process workers, for comparison. No access log: a proxy in front
# keeps one.
if [ "${WORKER_CLASS:-asgi}" = "asgi" ]; then
  app=portal.asgi:application
else
  app=portal.wsgi:application
fi
exec .venv/bin/gunicorn "$app" \
  --worker-class "${WORKER_CLASS:-asgi}" \
  --workers "$WEB_CONCURRENCY" \
  --bind "$HOST:$PORT" \
  --graceful-timeout 10 \
  ${GUNICORN_ARGS:-}
