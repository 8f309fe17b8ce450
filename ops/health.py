"""Probes for load balancers: /healthz (the process answers), /readyz (it can serve content)."""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

READY_PROBE_KEY_PREFIX = "readyz-probe"


@never_cache
@require_safe
def healthz(request):
    """Liveness: touches neither database nor cache, so it fails only if the process does."""
    return JsonResponse({"status": "ok"})


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("Readiness: database unreachable: %s", error)
        return False


def cache_reachable():
    # A round trip rather than a ping: it works for every cache backend, and the fault-tolerant
    # Redis backend (which swallows errors) shows an outage as a value that did not come back.
    # A key per probe: probes from many processes at once must not overwrite each other's.
    token = secrets.token_hex(8)
    key = f"{READY_PROBE_KEY_PREFIX}:{token}"
    cache.set(key, token, timeout=10)
    reachable = cache.get(key) == token
    cache.delete(key)
    return reachable


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 when the database and the cache both answer, else 503 naming the failure."""
    checks = {"database": database_reachable(), "cache": cache_reachable()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if passed else "failing" for name, passed in checks.items()},
        },
        status=200 if ready else 503,
    )
