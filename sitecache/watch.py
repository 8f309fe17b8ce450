"""A process's own copy of one Redis key, which Redis invalidates the moment the key changes.

Redis's server-assisted client-side caching: CLIENT TRACKING in broadcasting mode over RESP3,
on a connection of the watch's own. The design and its guarantees are in docs/architecture.md
("The content version watch").
"""

import logging
import threading
import time

from redis import ConnectionPool
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger(__name__)


class KeyWatch:
    """The value of one integer key, read without a round trip while it does not change.

    Any doubt means "don't know" (None) and the caller asks the cache itself: a lost
    connection (messages may have been missed), a server that cannot track keys, a missing
    key. After a failure the watch waits RETRY_SECONDS before connecting again, so an outage
    costs nothing per request.
    """

    CLIENT_NAME = "portal-content-version-watch"
    RETRY_SECONDS = 5.0

    def __init__(self, location, options, key, on_connect=None):
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
        self._key = key
        # Run once tracking is on, before the first read is trusted: it returns False when
        # the value cannot be vouched for yet (the connection is then dropped and retried).
        self._on_connect = on_connect
        self._lock = threading.Lock()
        self._connection = None
        self._value = None
        self._retry_at = 0.0
        self._unsupported = False

    def value(self):
        """The key's current value, or None when the cache must be asked instead."""
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
                    "Redis cannot watch %s (%s); reading it per request.", self._key, error
                )
            except (RedisError, OSError, ValueError) as error:
                self._close()
                self._retry_at = time.monotonic() + self.RETRY_SECONDS
                logger.warning(
                    "Lost the watch on %s (%s); reading it per request.", self._key, error
                )
            return None

    def connected(self):
        """Whether the watch holds a live connection (Redis answered it last time)."""
        return self._connection is not None

    def forget(self):
        """Read the key from Redis next time (this process has just changed it)."""
        self._value = None

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
            self._value = None
        if self._value is None:
            connection.send_command("GET", self._key)
            # An invalidation that arrives first is skipped by the parser: it means the key
            # changed before this GET ran, so the reply already holds the new value.
            stored = connection.read_response()
            if stored is None:
                return None
            # The cache stores integers as plain digits (Django's RedisSerializer).
            self._value = int(stored)
        return self._value

    def _track(self, connection):
        connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self._key)
        connection.read_response()
        self._value = None
        # Tracking first: a change made after the check is then pushed to this connection.
        if self._on_connect is not None and not self._on_connect():
            raise ConnectionError(f"{self._key} could not be checked on connecting")

    def _close(self):
        self._value = None
        if self._connection is not None:
            self._connection.disconnect()
            self._connection = None

    def close(self):
        with self._lock:
            self._close()
            self._pool.disconnect()
