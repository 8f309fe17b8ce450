"""The site's canonical origin (settings.SITE_ORIGIN): absolute URLs never come from the request.

The Host header is the client's to choose (any port ALLOWED_HOSTS lets through); written into
canonical links, API `url` fields or the sitemap, it would also split the page cache.
"""

from urllib.parse import urlsplit

from django.conf import settings


def origin():
    """SITE_ORIGIN without a trailing slash, e.g. https://portal.example.org."""
    return settings.SITE_ORIGIN.rstrip("/")


def absolute_url(path):
    """The absolute URL of a site-relative path such as /conditions/lupus/."""
    return origin() + path


def origin_parts():
    """(scheme, host[:port]) of the canonical origin."""
    parts = urlsplit(origin())
    return parts.scheme, parts.netloc


def site_origin(request):
    """Template context: `site_origin`, for canonical links."""
    return {"site_origin": origin()}
