"""An edit saved while Redis is unreachable is public on the first request after it returns.

The database holds the content version; Redis holds a copy (sitecache.version). Runs against
the Redis on this machine (REDIS_URL, or database 15 on 127.0.0.1). "Redis is unreachable" is
the same cache settings pointed at a closed port, so the live Redis keeps its old copy and its
old pages, as one restarted from its save file or cut off by a network split does.
"""

import copy
import uuid
from contextlib import contextmanager
from unittest import mock

import pytest
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from conditions.models import Condition, Status
from sitecache import version as content_cache
from sitecache.version import content_version, database_version
from tests.factories import ConditionFactory
from tests.test_faults import DEAD_REDIS_URL, LIVE_REDIS_URL, redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["watched", "unwatched"])
def live_redis(request):
    cache_settings = redis_cache(LIVE_REDIS_URL)
    cache_settings["default"]["KEY_PREFIX"] = f"test-outage-{uuid.uuid4().hex}"
    with override_settings(CACHES=cache_settings, CONTENT_VERSION_WATCH=request.param):
        yield cache_settings


@contextmanager
def redis_unreachable(live_settings):
    dead = copy.deepcopy(live_settings)
    dead["default"]["LOCATION"] = DEAD_REDIS_URL
    with override_settings(CACHES=dead):
        yield


@pytest.fixture
def lupus():
    return ConditionFactory(name="Lupus", slug="lupus", summary="Words before the outage.")


def test_an_edit_saved_during_an_outage_is_served_once_redis_returns(
    client, live_redis, lupus, django_capture_on_commit_callbacks
):
    assert "Words before the outage." in client.get("/conditions/lupus/").content.decode()
    assert "Words before the outage." in client.get("/api/v1/conditions/lupus/").content.decode()

    with redis_unreachable(live_redis), django_capture_on_commit_callbacks(execute=True):
        lupus.summary = "Words saved during the outage."
        lupus.save()

    # Redis is back with the old copy of the version and the old pages.
    page = client.get("/conditions/lupus/").content.decode()
    assert "Words saved during the outage." in page
    assert "Words saved during the outage." in (
        client.get("/api/v1/conditions/lupus/").content.decode()
    )


def test_an_unpublish_during_an_outage_is_not_undone_when_redis_returns(
    client, live_redis, lupus, django_capture_on_commit_callbacks
):
    assert client.get("/conditions/lupus/").status_code == 200

    with redis_unreachable(live_redis), django_capture_on_commit_callbacks(execute=True):
        Condition.objects.filter(pk=lupus.pk).update(status=Status.ARCHIVED)

    assert client.get("/conditions/lupus/").status_code == 404
    assert client.get("/api/v1/conditions/lupus/").status_code == 404


def test_the_copy_is_raised_to_the_database_version_when_redis_returns(
    live_redis, lupus, django_capture_on_commit_callbacks
):
    before = content_version()
    with redis_unreachable(live_redis), django_capture_on_commit_callbacks(execute=True):
        lupus.save()
    assert database_version() > before
    assert content_version() == database_version()
    # Watched, the returning watch raised the copy; unwatched, nobody reads the copy.
    from django.core.cache import cache

    assert cache.get(content_cache.CONTENT_VERSION_KEY) in {None, database_version()}
    if content_cache.watched_content_version() is not None:
        assert cache.get(content_cache.CONTENT_VERSION_KEY) == database_version()


@override_settings(CONTENT_VERSION_WATCH=True)
def test_a_bump_the_copy_missed_is_never_hidden_by_a_healthy_looking_watch(
    client, live_redis, lupus, django_capture_on_commit_callbacks
):
    """Redis refused only this write (a blip): the watch still holds the old copy."""
    client.get("/conditions/lupus/")
    watched = content_version()
    assert content_cache.watched_content_version() == watched

    refuse = mock.patch("redis.client.Redis.eval", side_effect=RedisConnectionError("blip"))
    with refuse, django_capture_on_commit_callbacks(execute=True):
        lupus.summary = "Saved while the copy could not be raised."
        lupus.save()

    assert content_version() == database_version() > watched
    assert "Saved while the copy could not be raised." in (
        client.get("/conditions/lupus/").content.decode()
    )
    # Once Redis takes writes again, the copy catches up and the watch is believed again.
    content_cache._copy_behind_since = 1.0
    assert content_version() == database_version()
    assert content_cache._copy_behind_since == 0.0
    assert content_cache.watched_content_version() == database_version()
