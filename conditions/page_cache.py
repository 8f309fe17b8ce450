"""Whole public responses kept in the shared cache, keyed by the content version.

Every key holds the content version (conditions.cache), so an edit anywhere makes every cached
page unreachable at once on every server; nothing is ever purged one page at a time, and no
page can be served stale. Only what is the same for every visitor is stored: anonymous GET
responses with status 200 that set no cookie, touched no session or CSRF token and used no CSP
nonce (a cached nonce would be replayed to everyone). The rest is rendered as usual.

Browsers and CDNs get `Cache-Control: public, max-age, stale-while-revalidate`, an ETag (a hash
of the body, so an edit elsewhere keeps it valid) and `Last-Modified` (when it was rendered).
"""

import hashlib
import re
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from .cache import CONTENT_VERSION_KEY, content_version, watched_content_version

# Entries are (version, (status, headers, body)); a new format takes a new prefix.
KEY_PREFIX = "page2"
HEADER_LIST_SEPARATOR = re.compile(r"\s*,\s*")
CACHEABLE_METHODS = {"GET", "HEAD"}
# A response varying on these can differ per visitor: never share it.
PERSONAL_VARY_HEADERS = {"*", "cookie", "authorization"}
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}


def _digest(*parts):
    return hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()


def _location(request):
    # Scheme and host are part of the page (canonical link, structured data); the query is
    # sorted by name so `?a=1&b=2` and `?b=2&a=1` share an entry.
    query = "&".join(f"{name}={'|'.join(values)}" for name, values in sorted(request.GET.lists()))
    return _digest(request.scheme, request.get_host(), request.path, query)


# The request headers any cached response was seen to vary on (X-Partial, Accept, ...). One set
# for every view, so PageCacheMiddleware can build a key before it knows the view; a header
# some view does not vary on only splits its entries, never mixes two. Kept per process: it
# follows from the code, not the content, so every server learns the same.
_learned_vary = ()


def _page_key(request, location, vary_headers):
    # No version in the key: the entry holds the version it was rendered at, so a hit needs at
    # most one round trip (the version and the entry together; none when the version is watched
    # and the entry is held here), and an edit turns every entry stale.
    header_values = [request.headers.get(name, "") for name in vary_headers]
    return f"{KEY_PREFIX}:{location}:{_digest(*vary_headers, *header_values)}"


def _vary_headers(response):
    if not response.has_header("Vary"):
        return ()
    return tuple(
        sorted({h.strip().lower() for h in HEADER_LIST_SEPARATOR.split(response["Vary"]) if h})
    )


def _is_anonymous(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


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


# A copy of recently served entries in this process, so a hit reads only the small content
# version from the shared cache, not the whole page. Never trusted on its own: an entry is used
# only when its version is the shared current one, so an edit anywhere still shows at once.
# Bounded (oldest dropped first), so a worker's memory stays flat.
LOCAL_ENTRIES = 256
_local_entries = {}


def _remember(key, entry):
    _local_entries.pop(key, None)
    _local_entries[key] = entry
    if len(_local_entries) > LOCAL_ENTRIES:
        del _local_entries[next(iter(_local_entries))]


def _lookup(request, vary_headers):
    """(current content version, the stored response if it is of that version, else None)."""
    key = _page_key(request, _location(request), vary_headers)
    local = _local_entries.get(key)
    # Read before rendering: an edit made meanwhile leaves this render filed under the old
    # version, which no one will accept again.
    version = watched_content_version()
    if version is None and local is None:
        # No watch: the version and the entry in one round trip.
        found = cache.get_many([CONTENT_VERSION_KEY, key])
        version = found.get(CONTENT_VERSION_KEY) or content_version()
        entry = found.get(key)
    else:
        # With a watch, a hit held in this process makes no round trip at all.
        version = version or content_version()
        entry = local if local is not None and local[0] == version else cache.get(key)
    rendered_at, stored = entry or (None, None)
    if rendered_at != version:
        return version, None
    if entry is not local:
        _remember(key, entry)
    status, headers, body = stored
    return version, HttpResponse(body, status=status, headers=headers)


def cache_public_page(view):
    """Serve the view's anonymous GET responses from the shared cache (see the module doc).

    Wraps a function view, or a DRF handler method through method_decorator (its Response is
    stored once rendered). With settings.PAGE_CACHE off, only the HTTP caching headers remain.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in CACHEABLE_METHODS or not _is_anonymous(request):
            return view(request, *args, **kwargs)

        use_cache = settings.PAGE_CACHE
        if use_cache:
            vary_headers = _learned_vary
            version, cached = _lookup(request, vary_headers)
            if cached is not None:
                return _conditional(request, cached)

        def finish(response):
            global _learned_vary
            if not _is_shareable(request, response):
                return response
            _add_http_caching(response)
            if use_cache and request.method == "GET":
                learned = tuple(sorted(set(_learned_vary) | set(_vary_headers(response))))
                _learned_vary = learned
                # Plain values, not a response object: smaller to store and quicker to unpickle
                # on every hit than an HttpResponse (let alone a DRF Response and its data).
                stored = (response.status_code, dict(response.items()), response.content)
                key = _page_key(request, _location(request), learned)
                cache.set(key, (version, stored), settings.PAGE_CACHE_TIMEOUT)
            return response

        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            # A TemplateResponse (DRF's Response) is rendered after the view returns; the
            # API's own conditional handling answers If-None-Match for it.
            response.add_post_render_callback(finish)
            return response
        return _conditional(request, finish(response))

    # Lets PageCacheMiddleware tell a cached view from any other (method_decorator copies it).
    cached_view.page_cached = True
    return cached_view


@lru_cache(maxsize=4096)
def _serves_cached_pages(path_info):
    """Whether the URL's view is a cached one (the URLconf is fixed, so remembered per path)."""
    try:
        return _is_cached_view(resolve(path_info).func)
    except Resolver404:
        return False


def _is_cached_view(view):
    if getattr(view, "page_cached", False):
        return True
    # A class-based view (DRF): the decorator sits on the handler that answers GET.
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    handler_name = (getattr(view, "actions", None) or {}).get("get", "get")
    return getattr(getattr(view_class, handler_name, None), "page_cached", False)


class PageCacheMiddleware:
    """Answer cache hits before the session, CSRF, auth, messages, history and axes middleware.

    Those do nothing for an anonymous visitor's stored page, and skipping them is most of what
    a hit costs. Placed after the middleware that sets security headers, so a hit carries the
    same headers as a full render. Only the lookup happens here; cache_public_page decides what
    is stored. Falls through (to the full stack, where the view may still hit) for anything not
    plainly anonymous: a session cookie or credentials, an Origin (CORS headers come later in
    the stack), a method other than GET/HEAD, or a URL whose view is not cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PAGE_CACHE
            and request.method in CACHEABLE_METHODS
            and _is_anonymous(request)
            and "origin" not in request.headers
            and "authorization" not in request.headers
            and _serves_cached_pages(request.path_info)
        ):
            _, cached = _lookup(request, _learned_vary)
            if cached is not None:
                return _conditional(request, cached)
        return self.get_response(request)
