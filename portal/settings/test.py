"""Settings for the test suite: fast hashing, plain static storage, the database from the env."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SITE_ORIGIN = "http://testserver"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = env.bool("DEBUG", default=False)
# High enough that no test trips it by accident; the throttling test lowers it itself.
API_THROTTLE_RATE = "100000/minute"
# Client.login() authenticates without a request, which django-axes refuses; the lockout tests
# (tests/test_security.py) switch it back on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
# WhiteNoise serves straight from the static directories (as with DEBUG): no collectstatic
# needed, and no warning about a missing STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No background thread: the search-count tests flush by hand.
SEARCH_INSIGHTS_FLUSH_SECONDS = 0
