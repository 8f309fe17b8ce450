"""The content version watch: no round trip while nothing changes, never a stale version.

Runs against the Redis on this machine (REDIS_URL, or database 15 on 127.0.0.1), whatever
cache the rest of the suite uses. "Another server" is a plain Redis client of its own, so
nothing in this process hears of its changes except through Redis.
"""

import logging
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from conditions.models import Condition
from sitecache import version as content_cache
from sitecache.models import ContentVersion
from sitecache.version import (
    CONTENT_VERSION_KEY,
    RAISE_COPY_SCRIPT,
    bump_content_version,
    content_version,
    database_version,
    watched_content_version,
)
from sitecache.watch import KeyWatch
from tests.factories import ConditionFactory
from tests.test_faults import DEAD_REDIS_URL, LIVE_REDIS_URL, redis_cache

# The version's source of truth is a database row (sitecache.models.ContentVersion).
pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_settings():
    cache_settings = redis_cache(LIVE_REDIS_URL)
    cache_settings["default"]["KEY_PREFIX"] = f"test-watch-{uuid.uuid4().hex}"
    with override_settings(CACHES=cache_settings):
        yield cache_settings["default"]


class OtherServer(redis.Redis):
    """A client of the same Redis that this process's watch knows nothing about."""

    def bump(self):
        """What bump_content_version does on another server: the database's version forward,
        the copy raised to it, then one round trip."""
        database_version()  # the row exists
        with connection.cursor() as cursor:
            table = ContentVersion._meta.db_table
            cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE id = 1")
            cursor.execute(f"SELECT value FROM {table} WHERE id = 1")
            (version,) = cursor.fetchone()
        self.eval(RAISE_COPY_SCRIPT, 1, self.full_key, version)
        self.exists(self.full_key)
        return version


@pytest.fixture
def other_server(redis_settings):
    client = OtherServer.from_url(LIVE_REDIS_URL)
    client.full_key = cache.make_and_validate_key(CONTENT_VERSION_KEY)
    yield client
    client.close()


def watched_from_now_on():
    """The current version, once this process's watch holds its own copy of it."""
    version = content_version()
    assert watched_content_version() == version
    return version


def get_calls(client):
    return client.info("commandstats").get("cmdstat_get", {}).get("calls", 0)


def test_an_unchanged_version_is_read_without_a_round_trip(other_server):
    first = watched_from_now_on()
    before = get_calls(other_server)
    for _ in range(50):
        assert watched_content_version() == first
    assert get_calls(other_server) == before


def test_a_change_on_another_server_is_seen_by_the_very_next_read(other_server):
    watched_from_now_on()
    for _ in range(200):
        changed_to = other_server.bump()
        # No waiting: Redis had sent the invalidation before it answered the second round trip.
        assert watched_content_version() == changed_to
        assert watched_content_version() == changed_to


def test_a_change_while_the_watch_is_disconnected_is_never_missed(other_server):
    before = watched_from_now_on()
    other_server.client_kill_filter(_id=watch_client_id(other_server))
    changed_to = other_server.bump()

    # The lost connection means "don't know": the version comes from the cache, not the copy.
    assert content_version() == changed_to != before
    # And the watch comes back after its pause, with the current value.
    content_cache._watch._retry_at = 0
    assert watched_content_version() == changed_to
    assert watch_client_id(other_server) is not None
    # Watching again, not just reading once.
    changed_again = other_server.bump()
    assert watched_content_version() == changed_again


def watch_client_id(client):
    for connected in client.client_list():
        if connected.get("name") == KeyWatch.CLIENT_NAME:
            return connected["id"]
    return None


def test_flushing_redis_never_leaves_the_old_version(other_server):
    before = watched_from_now_on()
    cache.clear()
    other_server.set(other_server.full_key, before - 1_000)  # as if reseeded elsewhere
    assert content_version() == before - 1_000


def test_this_processs_own_bump_is_seen_at_once(redis_settings):
    before = watched_from_now_on()
    assert bump_content_version() == before + 1
    assert content_version() == before + 1


def test_a_dead_redis_is_not_retried_on_every_request(caplog):
    with override_settings(CACHES=redis_cache(DEAD_REDIS_URL)), caplog.at_level(logging.WARNING):
        for _ in range(20):
            assert watched_content_version() is None
    watch_warnings = [r for r in caplog.records if r.name == "sitecache.watch"]
    assert len(watch_warnings) == 1


def test_without_redis_or_when_switched_off_there_is_no_watch(redis_settings):
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        assert watched_content_version() is None
    with override_settings(CONTENT_VERSION_WATCH=False):
        assert watched_content_version() is None
        assert content_version() is not None


@pytest.mark.django_db
def test_a_page_held_in_this_process_shows_an_edit_made_on_another_server(client, other_server):
    lupus = ConditionFactory(name="Lupus", slug="lupus", summary="First words.")
    client.get("/conditions/lupus/")
    assert "First words." in client.get("/conditions/lupus/").content.decode()

    # Another server edits the row and bumps the version; this process hears only from Redis.
    with connection.cursor() as cursor:
        cursor.execute(
            # The English text is read from its own column (django-modeltranslation).
            f"UPDATE {Condition._meta.db_table} SET summary_en = %s WHERE id = %s",
            ["Edited on another server.", lupus.pk],
        )
    other_server.bump()

    assert "Edited on another server." in client.get("/conditions/lupus/").content.decode()
