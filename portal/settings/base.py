"""Settings shared by every environment; the environment supplies what differs."""

from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A .env file in the project root, when there is one, fills in what the environment leaves
# unset (the environment wins); .env.example lists every variable.
environ.Env.read_env(BASE_DIR / ".env")
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Where the site is published (scheme, host and any port): every absolute URL (canonical links,
# API `url` fields, the sitemap, robots.txt) names it, never the request's Host.
SITE_ORIGIN = env("SITE_ORIGIN", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks: its admin classes patch the admin's.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "sitecache",
    "ops",
    "editorial",
    "changes",
    "conditions",
    "cdshooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after the security headers, before anything that touches the
    # database or the session: they cost almost nothing.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ops.middleware.PermissionsPolicyMiddleware",
    # Before anything reads the path or the query: a NUL byte there is a 400.
    "ops.middleware.NulByteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the page cache and CommonMiddleware, so cache hits and redirects get CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # The language from the URL (/es/…; anything else is English), before the page cache so
    # that the cache key holds it. It reads no session or cookie: nothing personal.
    "django.middleware.locale.LocaleMiddleware",
    # Public pages answered from the cache here: after every header-setting middleware above,
    # before the session, CSRF, auth and axes middleware, which do nothing for a stored page.
    # Counts searches for editors (the query text only), cache hits included: outside the cache.
    "conditions.search.insights.SearchInsightsMiddleware",
    "sitecache.pages.PageCacheMiddleware",
    # Outermost of the database users, so an unreachable database becomes a friendly 503.
    "ops.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ops.origin.site_origin",
                "conditions.languages.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite in a gitignored file unless DATABASE_URL names another database.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

# Redis when REDIS_URL is set (shared by every app server); otherwise a per-process cache.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, except that Redis being down is logged, not raised:
            # pages are then built from the database.
            "BACKEND": "sitecache.backends.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            # A dead or unreachable Redis must cost milliseconds per request, not seconds.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With Redis, each process keeps the content version and Redis tells it when it changes
# (sitecache.watch), so a cached page is served without a round trip.
# Off: read the version from Redis on every request (for a proxy that cannot track keys).
CONTENT_VERSION_WATCH = env.bool("CONTENT_VERSION_WATCH", default=True)

# Public pages and API responses kept whole in CACHES["default"], keyed by the content version
# (sitecache/pages.py). PAGE_CACHE=off renders every request (the benchmark compares both).
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
# Server-side lifetime of an entry; an edit makes entries unreachable long before this.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=60 * 60 * 24)
# What browsers and CDNs are told: reuse for a minute, then serve the old copy while fetching
# the new one in the background for up to ten.
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.int("PAGE_CACHE_STALE_WHILE_REVALIDATE", default=600)

# django-axes first: a locked-out client is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English is the default (today's URLs, the fallback column of every translated field);
# Spanish lives under /es/. See docs/architecture.md ("Languages").
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# django-modeltranslation: one row per item, an `_es` column beside each translated field.
# Reading `name` in Spanish gives `name_es`, or the English text where there is none; a
# Spanish page is only shown once its translation is published (editorial.Translation).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The translated fields are registered in conditions/translation.py (found by its name).

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# How long a review stays valid before the content must be checked again.
REVIEW_INTERVAL_DAYS = env.int("REVIEW_INTERVAL_DAYS", default=365)
# How often each process saves the searches it counted (conditions/search/insights.py).
SEARCH_INSIGHTS_FLUSH_SECONDS = env.int("SEARCH_INSIGHTS_FLUSH_SECONDS", default=60)

# The public API is read-only and anonymous: no sessions or CSRF, a throttle per client address.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "conditions.api.schema.PublicApiSchema",
    "EXCEPTION_HANDLER": "conditions.api.exceptions.json_exception_handler",
    "UNAUTHENTICATED_USER": None,
    # `?format=` is not a parameter of this API; an unknown parameter is a 400.
    "URL_FORMAT_OVERRIDE": None,
}
# Requests per client address; read on every request so tests can override it.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="300/minute")

SITE_NAME = "Nerve Health Guide"
# The licence the content is offered under, stated in the API, the export, the feeds and on
# the About page. CC BY 4.0: anyone may copy, adapt and republish the text, commercially too,
# if they name the source and link to the licence. Patient education is most useful where
# patients already are (a health record, a clinic's site, an app); attribution keeps a reader
# able to find the reviewed original. A share-alike or non-commercial licence would keep the
# text out of exactly those systems.
CONTENT_LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "spdx": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": f"{SITE_NAME}: name it and link to the page you used",
}
CONTENT_RIGHTS = (
    f"Text © {SITE_NAME}, licensed under {CONTENT_LICENCE['name']}: {CONTENT_LICENCE['url']}"
)

SPECTACULAR_SETTINGS = {
    "TITLE": "Autoimmune neuropathy portal API",
    "DESCRIPTION": (
        "Read-only, public JSON API for the portal's published content. "
        "Every invalid query parameter gives a 400 naming the parameter and the values it "
        "accepts; unknown paths and slugs give a 404; write methods give a 405; "
        "too many requests give a 429 with Retry-After. Responses carry an ETag "
        "(send If-None-Match for a 304) and Cache-Control for public caching."
    ),
    "VERSION": "1",
    "LICENSE": {"name": CONTENT_LICENCE["name"], "url": CONTENT_LICENCE["url"]},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from the sidecar package's static files: no CDN, no third-party requests.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OnsetEnum": "conditions.models.Onset",
        "FrequencyEnum": "conditions.models.Frequency",
        "FibreEnum": "conditions.models.Fibre",
        "CodeSystemEnum": "conditions.models.CodeSystem",
        "MechanismRoleEnum": "conditions.models.Role",
        "TreatmentRoleEnum": "conditions.models.TreatmentRole",
    },
}

# Public education content: any site may read the API, but only read it.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Security headers, CSP and login throttling (production tightens transport in prod.py) ---

# The admin lives wherever ADMIN_URL says ("admin/" by default), so it can be moved off the
# path every password-guessing script tries first.
# Always one trailing slash, however it is written in the environment ("staff", "/staff/").
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"

# Strict CSP: our own origin only; inline script or style only with the per-response nonce
# (Django's admin adds it itself). No third-party origins anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: for the small inline SVG icons of the admin and Swagger UI; nothing remote.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses, switched off for every page (see
# ops.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# django-axes: after AXES_FAILURE_LIMIT failed logins for one username from one address, that
# pair is refused (429) for AXES_COOLOFF_TIME hours. Keying on the pair stops guessing without
# letting anyone lock a real editor out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind N trusted reverse proxies the client address is the N-th from the right of
# X-Forwarded-For; with none, REMOTE_ADDR (a client could otherwise forge the header).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "ops.proxies.client_ip"
