"""Site-wide safety nets: a Permissions-Policy header, a friendly 503 when the database is down."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# A database outage is usually a restart or a fail-over: ask clients to come back shortly.
RETRY_AFTER_SECONDS = 30
API_PATH_PREFIX = "/api/"


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY (feature → allowed origins) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class DatabaseUnavailableMiddleware:
    """An unreachable database gives a 503 (HTML page or API JSON), never a stack trace.

    Nothing is kept between requests: Django drops a connection that failed, so the first
    request after the database comes back is served normally.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError: cannot connect, connection lost, server shutting down.
        # InterfaceError: the connection object itself is already closed.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        if request.path_info.startswith(API_PATH_PREFIX):
            response = JsonResponse(
                {
                    "status": 503,
                    "detail": "The service is temporarily unavailable. Please try again shortly.",
                },
                status=503,
            )
        else:
            # Rendered without the request: no context processor may touch the database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def client_ip(request):
    """The client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        # Each trusted proxy appends the address it saw; anything further left is client-made.
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")
