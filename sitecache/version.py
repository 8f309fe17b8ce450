"""The content version: one number for every server, moved forward once per committed edit.

Cached pages and the search index are filed under the version they were built at, so an edit
anywhere makes all of them stale on every server at once (docs/architecture.md, "Caching").
"""

import functools
import os
import time
import weakref

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver

from .watch import KeyWatch

CONTENT_VERSION_KEY = "content-version"


def content_version():
    """The current content version (a big, ever-growing integer)."""
    version = watched_content_version()
    if version is not None:
        return version
    version = cache.get(CONTENT_VERSION_KEY)
    if version is not None:
        return version
    # Seeded from the clock, so an evicted key never comes back as an older number; add() lets
    # the first of several servers win, and everyone then reads its value.
    cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
    version = cache.get(CONTENT_VERSION_KEY)
    return version if version is not None else time.time_ns()


def bump_content_version():
    """Move the version forward now. Content code calls content_changed() instead."""
    try:
        version = cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        # The key was missing (first edit, or evicted): any fresh clock value is newer.
        version = time.time_ns()
        cache.set(CONTENT_VERSION_KEY, version, timeout=None)
    if _watch:
        _watch.forget()
        # Redis answers this only after sending every invalidation the write caused, so once it
        # returns, every watching process has its message waiting (sitecache.watch).
        cache.has_key(CONTENT_VERSION_KEY)
    return version


class _OwedBump:
    """The bump a transaction owes: the first of its on-commit callbacks to run pays it."""

    paid = False


# Per database connection, the bump its open transaction owes. Kept after a rollback, which
# discards the callbacks but not the debt: the next transaction's first commit pays it.
_owed = weakref.WeakKeyDictionary()


def content_changed(using=None):
    """Content changed in this transaction: bump the version once, when it commits.

    Not before: another server could rebuild its pages from the uncommitted rows in between.
    Once per transaction however many rows change; a rolled-back change bumps nothing.
    """
    connection = transaction.get_connection(using)
    owed = _owed.get(connection)
    if owed is None or owed.paid:
        owed = _owed[connection] = _OwedBump()
    transaction.on_commit(functools.partial(_pay, owed), using=using)


def _pay(owed):
    if not owed.paid:
        owed.paid = True
        bump_content_version()


# This process's watch on the version (sitecache.watch): None until first asked for, False
# when there is none to keep (no Redis, or CONTENT_VERSION_WATCH off).
_watch = None
_watch_pid = None


def _new_watch():
    if not settings.CONTENT_VERSION_WATCH or not isinstance(caches["default"], RedisCache):
        return False
    cache_settings = settings.CACHES["default"]
    # Writes go to the first of several servers (the others are read replicas): watch it.
    location = cache_settings["LOCATION"]
    location = location if isinstance(location, str) else location[0]
    location = location.replace(";", ",").split(",")[0]
    key = cache.make_and_validate_key(CONTENT_VERSION_KEY)
    return KeyWatch(location, cache_settings.get("OPTIONS", {}), key)


def watched_content_version():
    """The content version from this process's watch, or None when there is no watch to ask."""
    global _watch, _watch_pid
    if _watch is None or _watch_pid != os.getpid():
        # A forked child must not share its parent's socket: it opens its own.
        _watch, _watch_pid = _new_watch(), os.getpid()
    return _watch.value() if _watch else None


@receiver(setting_changed)
def _reset_watch(setting, **kwargs):
    global _watch
    if setting in {"CACHES", "CONTENT_VERSION_WATCH"}:
        if _watch:
            _watch.close()
        _watch = None
