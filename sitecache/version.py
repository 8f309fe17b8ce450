"""The content version: one number for every server, moved forward once per committed edit.

Cached pages and the search index are filed under the version they were built at, so an edit
anywhere makes all of them stale on every server at once (docs/architecture.md, "Caching").
"""

import functools
import logging
import os
import time
import weakref

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models import F
from django.dispatch import receiver
from redis.exceptions import RedisError

from .models import ContentVersion
from .watch import KeyWatch

CONTENT_VERSION_KEY = "content-version"
# While this process could not raise the shared copy, it retries at most this often.
COPY_RETRY_SECONDS = 1.0

logger = logging.getLogger(__name__)

# Raises the copy to at least the given version, atomically: two servers bumping at once can
# never leave the older of their versions behind. Django's RedisSerializer stores integers as
# plain digits; they are compared as digit strings (longer is larger), because Lua's numbers are
# doubles and would take versions a few apart for equal.
RAISE_COPY_SCRIPT = """
local current = redis.call('GET', KEYS[1])
local wanted = ARGV[1]
if (not current) or string.len(current) < string.len(wanted)
    or (string.len(current) == string.len(wanted) and current < wanted) then
  redis.call('SET', KEYS[1], wanted)
end
return 1
"""


def _copy_can_go_stale():
    """Whether the cache's copy may miss a bump: a network cache (Redis) can be unreachable
    while an edit is saved and come back with its old copy. A cache on this machine cannot."""
    return isinstance(caches["default"], RedisCache)


def database_version():
    """The version in the database (the source of truth), or None when it cannot be read."""
    try:
        version, _ = ContentVersion.objects.get_or_create(
            pk=ContentVersion.SINGLETON, defaults={"value": time.time_ns()}
        )
    except DatabaseError as error:
        logger.warning("Cannot read the content version from the database: %s", error)
        return None
    return version.value


def _bump_database():
    """Move the database's version forward; the new value, or None when the database failed."""
    try:
        with transaction.atomic():
            moved = ContentVersion.objects.filter(pk=ContentVersion.SINGLETON).update(
                value=F("value") + 1
            )
            if not moved:
                # First edit (or an emptied table): any fresh clock value is newer.
                ContentVersion.objects.create(pk=ContentVersion.SINGLETON, value=time.time_ns())
            return ContentVersion.objects.get(pk=ContentVersion.SINGLETON).value
    except DatabaseError as error:
        logger.error("Cannot move the content version forward in the database: %s", error)
        return None


# When this process last failed to raise the shared copy (0: it is not behind).
_copy_behind_since = 0.0


def raise_copy(version):
    """Raise the cache's copy to at least `version`. True when the cache took it."""
    global _copy_behind_since
    if _copy_can_go_stale():
        backend = caches["default"]
        key = backend.make_and_validate_key(CONTENT_VERSION_KEY)
        try:
            backend._cache.get_client(key, write=True).eval(RAISE_COPY_SCRIPT, 1, key, version)
        except RedisError as error:
            logger.warning("Cannot copy the content version to the cache: %s", error)
            _copy_behind_since = time.monotonic()
            return False
    _copy_behind_since = 0.0
    return True


def content_version():
    """The current content version (a big, ever-growing integer)."""
    if not _copy_can_go_stale():
        # A cache on this machine is always reachable: its own number is the version. Seeded
        # from the clock, so an evicted key never comes back as an older number; add() lets the
        # first of several workers win.
        version = cache.get(CONTENT_VERSION_KEY)
        if version is None:
            cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(CONTENT_VERSION_KEY)
        return version if version is not None else time.time_ns()
    # A network cache's copy is believed only through a watch that checked it against the
    # database when it connected and has heard every change since, and only while this process
    # has no bump of its own that the copy missed. Any doubt: the database, which cannot be
    # behind.
    if not _copy_behind_since:
        version = watched_content_version()
        if version is not None:
            return version
    version = database_version()
    if version is None:
        # The database is down, so nothing can be edited: the copy is as good as it gets.
        return cache.get(CONTENT_VERSION_KEY) or time.time_ns()
    if _copy_behind_since:
        if time.monotonic() - _copy_behind_since > COPY_RETRY_SECONDS:
            raise_copy(version)
    elif _watch and _watch.connected():
        # Redis answers but holds no copy (evicted, flushed): seed it, so the watch has one.
        raise_copy(version)
    return version


def bump_content_version():
    """Move the version forward now. Content code calls content_changed() instead."""
    version = _bump_database()
    if not _copy_can_go_stale():
        try:
            return cache.incr(CONTENT_VERSION_KEY)
        except ValueError:
            # The key was missing (first edit, or evicted): any fresh clock value is newer.
            version = time.time_ns()
            cache.set(CONTENT_VERSION_KEY, version, timeout=None)
            return version
    if version is None:
        # No database right after a commit: the copy alone, as best it can be moved.
        version = time.time_ns()
    raise_copy(version)
    if _watch:
        _watch.forget()
        # Redis answers this only after sending every invalidation the write caused, so once it
        # returns, every watching process has its message waiting (sitecache.watch).
        cache.has_key(CONTENT_VERSION_KEY)
    return version


def _reconcile_copy():
    """Called by the watch on every (re)connection, before it trusts the copy: an edit saved
    while this process or Redis was cut off reached only the database. False: not now."""
    version = database_version()
    return version is None or raise_copy(version)


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
    return KeyWatch(location, cache_settings.get("OPTIONS", {}), key, on_connect=_reconcile_copy)


def watched_content_version():
    """The content version from this process's watch, or None when there is no watch to ask."""
    global _watch, _watch_pid
    if _watch is None or _watch_pid != os.getpid():
        # A forked child must not share its parent's socket: it opens its own.
        _watch, _watch_pid = _new_watch(), os.getpid()
    return _watch.value() if _watch else None


@receiver(setting_changed)
def _reset_watch(setting, **kwargs):
    global _watch, _copy_behind_since
    if setting in {"CACHES", "CONTENT_VERSION_WATCH"}:
        _copy_behind_since = 0.0
        if _watch:
            _watch.close()
        _watch = None
