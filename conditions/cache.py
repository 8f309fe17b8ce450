"""One content version for every server: bumped on each edit, read wherever a cache is keyed.

The number lives in the shared cache, so an edit on one app server invalidates search indexes
and cached pages on all of them without anyone tracking which pages an edit touched.

With Redis, each process also keeps the number itself and Redis tells it the moment the number
changes (ContentVersionWatch), so reading it, which every cached page does, costs no round trip.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis import ConnectionPool
from redis.exceptions import RedisError, ResponseError

CONTENT_VERSION_KEY = "content-version"

logger = logging.getLogger(__name__)


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
    try:
        version = cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        # The key was missing (first edit, or evicted): any fresh clock value is newer.
        version = time.time_ns()
        cache.set(CONTENT_VERSION_KEY, version, timeout=None)
    # Redis tells this process's watch too, but the next read need not wait for that message.
    if _watch:
        _watch.forget()
        # One more round trip: Redis reads it only after it has finished sending every
        # invalidation the write caused (one thread, one event-loop turn), so once this returns,
        # and before the editor's save does, every watching process has its message waiting.
        cache.has_key(CONTENT_VERSION_KEY)
    return version


class ContentVersionWatch:
    """This process's copy of the content version, which Redis invalidates as it changes.

    Redis's server-assisted client-side caching (CLIENT TRACKING in broadcasting mode over
    RESP3): on a connection of its own, Redis pushes an invalidation message whenever the key
    is written, deleted, evicted or flushed, in the same event-loop turn in which it answers
    the write (and bump_content_version waits for the turn to end). Each read first takes any
    such message off the socket without waiting (a poll, not a round trip), so a change made
    on any server is seen by the next request here, and an unchanged version costs nothing to
    read.

    Any doubt means "don't know" (None), and the caller asks the cache as it would without a
    watch: a lost connection (messages may have been missed), a Redis that cannot track keys
    (older than 6, or a proxy), an unexpected value. After a failure the watch waits
    RETRY_SECONDS before connecting again, so a Redis outage costs no extra time per request.

    redis-py's own client-side cache does the same but refuses servers older than 7.4, and
    would also keep every page body; this watches one key on any Redis from 6.0 on.
    """

    CLIENT_NAME = "portal-content-version-watch"
    RETRY_SECONDS = 5.0

    def __init__(self, location, options):
        self.pid = os.getpid()
        # The cache's own connection options (timeouts, credentials, TLS ...), less those
        # Django's RedisCacheClient takes for itself.
        pool_options = {
            name: value
            for name, value in options.items()
            if name not in {"serializer", "pool_class", "parser_class", "protocol"}
        }
        self._pool = ConnectionPool.from_url(
            location, protocol=3, client_name=self.CLIENT_NAME, **pool_options
        )
        self._key = cache.make_and_validate_key(CONTENT_VERSION_KEY)
        self._lock = threading.Lock()
        self._connection = None
        self._version = None
        self._retry_at = 0.0
        self._unsupported = False

    def version(self):
        """The shared content version, or None when the cache must be asked instead."""
        with self._lock:
            if self._unsupported:
                return None
            try:
                return self._read()
            except ResponseError as error:
                # The server (or a proxy in front of it) cannot track keys: never try again.
                self._unsupported = True
                self._close()
                logger.warning(
                    "Redis cannot watch the content version (%s); reading it per request.", error
                )
            except (RedisError, OSError, ValueError) as error:
                self._close()
                self._retry_at = time.monotonic() + self.RETRY_SECONDS
                logger.warning(
                    "Lost the content version watch (%s); reading it per request.", error
                )
            return None

    def forget(self):
        """Read the version from Redis next time (this process has just changed it)."""
        self._version = None

    def _read(self):
        connection = self._connection
        if connection is None:
            if time.monotonic() < self._retry_at:
                return None
            connection = self._pool.make_connection()
            # On every connection, including redis-py's own reconnections: messages may have
            # been missed while there was none.
            connection.register_connect_callback(self._track)
            connection.connect()
            self._connection = connection
        # Nothing is sent unasked on this connection but invalidation messages.
        while connection.can_read(timeout=0):
            connection.read_response(push_request=True)
            self._version = None
        if self._version is None:
            connection.send_command("GET", self._key)
            # An invalidation that arrives first is skipped by the parser: it means the key
            # changed before this GET ran, so the reply already holds the new value.
            stored = connection.read_response()
            if stored is None:
                return None  # not seeded yet: content_version() seeds it through the cache
            # The cache stores integers as plain digits (Django's RedisSerializer).
            self._version = int(stored)
        return self._version

    def _track(self, connection):
        connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self._key)
        connection.read_response()
        self._version = None

    def _close(self):
        self._version = None
        if self._connection is not None:
            self._connection.disconnect()
            self._connection = None

    def close(self):
        with self._lock:
            self._close()
            self._pool.disconnect()


# This process's watch; None until first asked for, False when there is none to keep.
_watch = None


def _new_watch():
    cache_settings = settings.CACHES["default"]
    if not settings.CONTENT_VERSION_WATCH or not isinstance(caches["default"], RedisCache):
        return False
    # Writes go to the first of several servers (the others are read replicas): watch it.
    location = cache_settings["LOCATION"]
    location = location if isinstance(location, str) else location[0]
    location = location.replace(";", ",").split(",")[0]
    return ContentVersionWatch(location, cache_settings.get("OPTIONS", {}))


def watched_content_version():
    """The content version from this process's watch, or None when there is no watch to ask."""
    global _watch
    if _watch is None or (_watch and _watch.pid != os.getpid()):
        # A forked child must not share its parent's socket: it opens its own.
        _watch = _new_watch()
    return _watch.version() if _watch else None


@receiver(setting_changed)
def _reset_watch(setting, **kwargs):
    global _watch
    if setting in {"CACHES", "CONTENT_VERSION_WATCH"}:
        if _watch:
            _watch.close()
        _watch = None
