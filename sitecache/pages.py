"""Whole public responses kept in the shared cache, filed under the content version.

Views marked with cache_public_page are the same for every visitor; PageCacheMiddleware looks
their responses up, stores them and adds HTTP caching headers. What may be stored, how keys are
built and why a hit can never be stale: docs/architecture.md ("Caching").
"""

import hashlib
import json
import re
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from .version import content_version

# Entries are (version, (status, headers, body)); a new format or key scheme takes a new prefix.
KEY_PREFIX = "page4"
CACHEABLE_METHODS = {"GET", "HEAD"}
HEADER_LIST_SEPARATOR = re.compile(r"\s*,\s*")
# A response varying on these can differ per visitor: never share it.
PERSONAL_VARY_HEADERS = {"*", "cookie", "authorization"}
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}
# Recently served entries kept in this process (oldest dropped first), so a hit reads only the
# small content version from the shared cache, or nothing at all when the version is watched.
LOCAL_ENTRIES = 256


# A view that reads every query parameter (the API, which refuses those it does not know).
EVERY_PARAMETER = None


def cache_public_page(
    view=None, *, parameters=EVERY_PARAMETER, headers=None, free_text=(), shared=True
):
    """Mark a view whose anonymous GET responses are the same for every visitor.

    `parameters` names the query parameters the view reads: the others cannot change the page,
    so requests that differ only in them share one entry. `headers` maps a request header the
    view varies on to the values it tells apart; any other value is keyed as if absent.
    Requests with a value in a `free_text` parameter (a search), and every request when not
    `shared`, are kept only in the process's own small store: visitors can make endless
    different ones, and none of them may fill the shared cache. A function view, or a DRF
    handler through method_decorator (which copies the mark).
    """

    def mark(view):
        view.public_page = True
        view.public_parameters = None if parameters is None else frozenset(parameters)
        view.public_headers = {
            name.lower(): frozenset(values) for name, values in (headers or {}).items()
        }
        view.public_free_text = frozenset(free_text)
        view.public_shared = shared
        return view

    return mark(view) if view is not None else mark


def _public_handler(view):
    if getattr(view, "public_page", False):
        return view
    # A class-based view (DRF): the mark sits on the handler that answers GET.
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    handler_name = (getattr(view, "actions", None) or {}).get("get", "get")
    handler = getattr(view_class, handler_name, None)
    return handler if getattr(handler, "public_page", False) else None


class _NotPublic:
    pass


NOT_PUBLIC = _NotPublic()


@lru_cache(maxsize=4096)
def _public_handler_of(path_info):
    """The URL's public view (its marks say how it is cached), or NOT_PUBLIC.

    The URLconf is fixed, so this is remembered per path."""
    try:
        handler = _public_handler(resolve(path_info).func)
    except Resolver404:
        return NOT_PUBLIC
    return NOT_PUBLIC if handler is None else handler


def _digest(value):
    # JSON keeps the parts apart whatever characters they hold, so no two requests share a key
    # unless every part is equal.
    return hashlib.md5(json.dumps(value).encode(), usedforsecurity=False).hexdigest()


# The request headers any public response was seen to vary on (X-Partial, ...): one set for
# every view, so a key can be built before the view is known. A header some view does not vary
# on only splits its entries, never mixes two. Per process: it follows from the code.
_learned_vary = ()


def accepted_language(request):
    """The first of settings.LANGUAGES the Accept-Language header asks for, or None.

    Views that answer in that language (the API) use this very function, so a key built
    from it holds exactly what chose the response's language."""
    for code, _ in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def _header_value(handler, request, name):
    if name == "accept-language":
        # Keyed on the language the header asks for, not on its many spellings
        # ("es-MX,es;q=0.9" and "es" share an entry).
        return accepted_language(request) or ""
    value = request.headers.get(name, "")
    told_apart = handler.public_headers.get(name)
    return value if told_apart is None or value in told_apart else ""


def _page_key(request, handler, vary_headers):
    # Neither scheme nor host: pages name the configured canonical origin, never the request's
    # (a Host with another port must not split or fill the cache). get_host() still refuses a
    # host ALLOWED_HOSTS does not allow, before any hit is served. The query holds only what the
    # view reads, sorted by name so `?a=1&b=2` and `?b=2&a=1` share an entry. The active
    # language (LocaleMiddleware runs first: /es/ is Spanish) is part of the page too, so no
    # entry can serve one language to a reader of the other.
    request.get_host()
    parameters = handler.public_parameters
    query = sorted(
        (name, values)
        for name, values in request.GET.lists()
        if parameters is EVERY_PARAMETER or name in parameters
    )
    return f"{KEY_PREFIX}:" + _digest(
        [
            request.path,
            get_language(),
            query,
            [(name, _header_value(handler, request, name)) for name in vary_headers],
        ]
    )


def _kept_here_only(request, handler):
    """Whether this request's page stays out of the shared cache (see cache_public_page)."""
    return not handler.public_shared or any(
        request.GET.get(name, "").strip() for name in handler.public_free_text
    )


def _vary_headers(response):
    if not response.has_header("Vary"):
        return ()
    return tuple(
        sorted({h.strip().lower() for h in HEADER_LIST_SEPARATOR.split(response["Vary"]) if h})
    )


def _is_anonymous(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and (
        "authorization" not in request.headers
    )


def _is_shareable(request, response):
    """Whether this response is the same for every visitor who sends the same headers."""
    session = getattr(request, "session", None)
    cache_control = {
        directive.split("=")[0].strip().lower()
        for directive in HEADER_LIST_SEPARATOR.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_csp_nonce", None)
        and not PERSONAL_VARY_HEADERS & set(_vary_headers(response))
        and not PRIVATE_DIRECTIVES & cache_control
    )


def _add_http_caching(response):
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
    )
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()


def _conditional(request, response):
    """A 304 when the client already holds this version of the response."""
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(request, response.get("ETag"), last_modified, response)


_local_entries = {}


def _remember(key, entry):
    _local_entries.pop(key, None)
    _local_entries[key] = entry
    if len(_local_entries) > LOCAL_ENTRIES:
        del _local_entries[next(iter(_local_entries))]


def _lookup(key, local_only=False):
    """(current content version, the stored response if it is of that version, else None)."""
    local = _local_entries.get(key)
    # Read before rendering: an edit made meanwhile leaves this render filed under the old
    # version, which no one will accept again. Watched, the version costs no round trip.
    version = content_version()
    if local is not None and local[0] == version:
        entry = local
    else:
        entry = None if local_only else cache.get(key)
    rendered_at, stored = entry or (None, None)
    if rendered_at != version:
        return version, None
    if entry is not local:
        _remember(key, entry)
    status, headers, body = stored
    return version, HttpResponse(body, status=status, headers=headers)


def _store(request, handler, version, response):
    global _learned_vary
    _learned_vary = tuple(sorted(set(_learned_vary) | set(_vary_headers(response))))
    # Plain values, not a response object: smaller to store and quicker to unpickle.
    stored = (response.status_code, dict(response.items()), response.content)
    key = _page_key(request, handler, _learned_vary)
    if _kept_here_only(request, handler):
        _remember(key, (version, stored))
    else:
        cache.set(key, (version, stored), settings.PAGE_CACHE_TIMEOUT)


class PageCacheMiddleware:
    """Serve public pages from the shared cache, before the session, auth and CSRF middleware.

    Those do nothing for an anonymous visitor's stored page, and skipping them is most of what
    a hit costs. Requests that are not plainly anonymous (a session cookie, credentials) and
    URLs whose view is not public go straight through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in CACHEABLE_METHODS or not _is_anonymous(request):
            return self.get_response(request)
        handler = _public_handler_of(request.path_info)
        if handler is NOT_PUBLIC:
            return self.get_response(request)
        version = None
        if settings.PAGE_CACHE:
            key = _page_key(request, handler, _learned_vary)
            version, hit = _lookup(key, local_only=_kept_here_only(request, handler))
            if hit is not None:
                return _conditional(request, hit)
        response = self.get_response(request)
        if not _is_shareable(request, response):
            return response
        _add_http_caching(response)
        if settings.PAGE_CACHE and request.method == "GET":
            _store(request, handler, version, response)
        return _conditional(request, response)
