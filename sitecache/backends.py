"""A Redis cache that degrades to "always empty" instead of failing the request.

Django's RedisCache raises when Redis is down. For a cache that is wrong: every value it holds
can be rebuilt from the database. So each failed operation is logged and answered as an empty
cache that drops writes would answer it (get → default, add → False, incr → ValueError ...),
and callers' ordinary cache-miss paths do the rest.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FaultTolerantRedisCache(RedisCache):
    def _try(self, operation, fallback, *args):
        try:
            return getattr(super(), operation)(*args)
        except RedisError as error:
            logger.warning("Cache %s failed; carrying on without the cache: %s", operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._try("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # set_many reports the keys it could not store: all of them.
        return self._try("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._try("delete_many", None, keys, version)

    def clear(self):
        return self._try("clear", None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            logger.warning("Cache incr failed; carrying on without the cache: %s", error)
            # What an empty cache says: there is no such key (decr goes through here too).
            raise ValueError(f"Key {key!r} not found (the cache is unreachable).") from error
