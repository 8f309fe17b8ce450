"""One content version for every server: bumped on each edit, read wherever a cache is keyed.

The number lives in the shared cache, so an edit on one app server invalidates search indexes
and cached pages on all of them without anyone tracking which pages an edit touched.
"""

import time

from django.core.cache import cache

CONTENT_VERSION_KEY = "content-version"


def content_version():
    """The current content version (a big, ever-growing integer)."""
    # Read on every cached page, so one round trip when the key exists (almost always).
    version = cache.get(CONTENT_VERSION_KEY)
    if version is not None:
        return version
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # Seeded from the clock, so an evicted key never comes back as an older number; add()
        # lets the first of several servers win, and everyone then reads its value.
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version if version is not None else time.time_ns()


def bump_content_version():
    try:
        return cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        # The key was missing (first edit, or evicted): any fresh clock value is newer.
        version = time.time_ns()
        cache.set(CONTENT_VERSION_KEY, version, timeout=None)
        return version
