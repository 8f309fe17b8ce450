"""Local development: the site as visitors see it (DEBUG=1 for Django's debug pages), a throwaway
secret key, localhost only."""

from .base import *  # noqa: F403
from .base import env

# DEBUG stays off unless asked for (base.py), so `make run` shows the designed 404 and 500 pages.
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# WhiteNoise serves straight from the static directories, with DEBUG off too: no collectstatic,
# and an edited file is served at once.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
