"""One JSON error body for every API failure (400, 404, 405, 406, 429), designed once here.

    {"status": 400,
     "detail": "Invalid query parameter: onset.",
     "errors": {"onset": ["Select a valid choice. banana is not one of the available choices."]},
     "accepted": {"onset": ["acute", "subacute", "chronic"]}}

`errors` and `accepted` appear on 400s only: each invalid parameter with its messages, and
the values (or, for free-form parameters, a description of the values) it accepts.
"""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import resolve
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


def _as_messages(detail):
    if isinstance(detail, dict):
        return [str(message) for messages in detail.values() for message in _as_messages(messages)]
    if isinstance(detail, list):
        return [str(message) for message in detail]
    return [str(detail)]


def json_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        # Not an API exception: let Django report it (and log it) as the server error it is.
        return None

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {param: _as_messages(messages) for param, messages in detail.items()}
        view = context.get("view")
        accepted_values = getattr(view, "accepted_values", None)
        accepted = accepted_values() if accepted_values else {}
        names = ", ".join(errors)
        response.data = {
            "status": response.status_code,
            "detail": f"Invalid query parameter{'s' if len(errors) > 1 else ''}: {names}.",
            "errors": errors,
            "accepted": {param: accepted[param] for param in errors if param in accepted},
        }
    else:
        # DRF has already turned Http404 and PermissionDenied into {"detail": ...}.
        body = {"status": response.status_code, "detail": " ".join(_as_messages(response.data))}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["retry_after"] = int(exc.wait)
        response.data = body
    return response


def not_found(request, *args, **kwargs):
    """The API's own 404 for paths it does not know, so even those answer in JSON.

    A known address missing its trailing slash is redirected, as CommonMiddleware would have
    done had this catch-all not matched first.
    """
    with_slash = f"{request.path_info}/"
    if not request.path_info.endswith("/") and resolve(with_slash).func is not not_found:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{request.path}/" + (f"?{query}" if query else ""))
    return JsonResponse(
        {"status": status.HTTP_404_NOT_FOUND, "detail": "No API endpoint at this address."},
        status=status.HTTP_404_NOT_FOUND,
    )
