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


class NulByteMiddleware:
    """A NUL byte in the path, or in the admin's query string, is a 400.

    No identifier or slug holds one, and PostgreSQL refuses it in a query with an error that
    would become a 500. Public pages and the API check their own query parameters (their forms
    refuse NUL with the designed 400 that names the parameter); the admin's search and
    autocomplete do not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path_info.startswith("/" + settings.ADMIN_URL)
        if "\x00" in request.path or (in_admin and "\x00" in _query_text(request)):
            detail = "A NUL character is not allowed in the address."
            if request.path_info.startswith(API_PATH_PREFIX):
                return JsonResponse({"status": 400, "detail": detail}, status=400)
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _query_text(request):
    return "".join(name + "".join(request.GET.getlist(name)) for name in request.GET)


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
