"""Settings for the test suite: fast hashing, plain static storage, the database from the env."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = env.bool("DEBUG", default=False)
