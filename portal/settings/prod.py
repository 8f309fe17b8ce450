"""Production: everything secret or host-specific must come from the environment.

`manage.py check --deploy` under these settings reports nothing (CI runs it with test values).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, BASE_DIR, DATABASES, REDIS_URL, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable for production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the ALLOWED_HOSTS environment variable (comma-separated host names) for production."
    )

DEBUG = False

# Absolute URLs name this origin; by default HTTPS on the first allowed host.
SITE_ORIGIN = env("SITE_ORIGIN", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}")

# HTTPS only. Behind a TLS-terminating proxy Django sees plain HTTP, so the proxy's header says
# what the client used: set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https, and only when
# that proxy always sets (never passes through) the header, or clients could claim HTTPS.
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None) or None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP on the internal network; a redirect would fail them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# HSTS for a year. includeSubDomains: every subdomain of the portal's domain is ours and HTTPS.
# preload: makes the domain eligible for the browsers' built-in list (submitting it is a
# separate, deliberate step); set SECURE_HSTS_PRELOAD=false for a domain that must not be.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Editors' admin sessions end with the browser and after 8 hours at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Persistent connections are re-checked before reuse, so a database restart heals by itself.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files: compressed (gzip, brotli) copies and content-hashed names, so WhiteNoise can
# send them with far-future caching. Needs `collectstatic` (make serve runs it).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Without Redis, gunicorn's workers must still share one cache: the content version lives there,
# and a per-process cache would let one worker serve pages another worker's edit made stale.
# A file cache on local disk is shared by the workers of one machine (several machines need
# REDIS_URL).
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
