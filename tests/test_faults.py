"""Faults: the database or Redis going away gives clear answers, never a stack trace."""

import logging
import os
import socket
import uuid
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings
from django.urls import reverse

from conditions.models import Condition

REDIS_BACKEND = "sitecache.backends.FaultTolerantRedisCache"


def _closed_port():
    """A loopback port this process holds bound but never listens on, for as long as it runs.

    Connecting to it is refused at once, as when Redis has crashed, and no other program can
    start listening there meanwhile (a fixed port number might have a server on it).
    """
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    _closed_port_holders.append(holder)
    return holder.getsockname()[1]


_closed_port_holders = []
DEAD_REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
LIVE_REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@contextmanager
def database_down():
    """Every new cursor fails the way it does when the server is unreachable."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


def redis_cache(location):
    return {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": location,
            # A key prefix of its own, so this test never meets anyone else's keys.
            "KEY_PREFIX": f"test-faults-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


@pytest.fixture(autouse=True)
def empty_cache():
    # A page served from the cache would hide the database being down.
    cache.clear()


@pytest.mark.django_db
def test_database_down_gives_a_friendly_503_page_then_recovers(client, content):
    url = reverse("conditions:condition-list")

    with database_down():
        response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Sorry, this page is not available just now" in body
    assert "/static/css/site.css" in body  # in the site's design, not a bare error
    for leak in ("Traceback", "OperationalError", "5432", "127.0.0.1"):
        assert leak not in body
    # Still under the site's security headers.
    assert "default-src 'self'" in response["Content-Security-Policy"]

    # The database is back: the very next request is served normally.
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_database_down_gives_api_clients_503_json(client, content):
    url = reverse("api:condition-list")

    with database_down():
        response = client.get(url)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 503,
        "detail": "The service is temporarily unavailable. Please try again shortly.",
    }
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_database_down_is_logged_for_the_operators(client, caplog):
    with caplog.at_level(logging.ERROR, logger="ops.middleware"), database_down():
        client.get(reverse("conditions:home"))

    assert any("Database unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_healthz_answers_even_without_the_database(client):
    with database_down():
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_cache_answer(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_without_the_database(client):
    with database_down():
        response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "cache": "ok"}


@pytest.mark.django_db
@override_settings(CACHES=redis_cache(DEAD_REDIS_URL))
def test_readyz_is_503_without_redis(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}


@pytest.mark.django_db
@override_settings(CACHES=redis_cache(DEAD_REDIS_URL))
def test_redis_down_pages_are_still_served_and_errors_logged(client, content, caplog):
    condition_url = Condition.objects.published().first().get_absolute_url()
    pages = [
        reverse("conditions:home"),
        reverse("conditions:condition-list"),
        reverse("conditions:search") + "?q=nerve",
        reverse("api:condition-list"),
        condition_url,
    ]
    with caplog.at_level(logging.WARNING, logger="sitecache.backends"):
        for url in pages:
            assert client.get(url).status_code == 200, url

    assert any("carrying on without the cache" in r.getMessage() for r in caplog.records)


@override_settings(CACHES=redis_cache(DEAD_REDIS_URL))
def test_unreachable_redis_behaves_as_an_empty_cache_that_drops_writes():
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("key") is False
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    cache.delete_many(["a", "b"])
    cache.clear()
    assert cache.get_or_set("key", "computed") == "computed"
    # incr on a missing key raises ValueError: callers' own miss handling takes over.
    with pytest.raises(ValueError, match="not found"):
        cache.incr("key")


@override_settings(CACHES=redis_cache(LIVE_REDIS_URL))
def test_reachable_redis_works_as_a_normal_cache():
    # CI runs Redis; this proves the wrapper passes every argument through unchanged.
    cache.set("key", {"value": 1}, timeout=30)
    assert cache.get("key") == {"value": 1}
    assert cache.add("key", "other") is False
    cache.set("counter", 1)
    assert cache.incr("counter", 5) == 6
    assert cache.get_many(["key", "missing"]) == {"key": {"value": 1}}
    assert cache.delete("key") is True
    assert cache.get("key", "gone") == "gone"
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_the_dead_redis_port_refuses_connections():
    port = int(DEAD_REDIS_URL.rsplit(":", 1)[1].split("/")[0])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    # Held by this process, so nothing else can start listening on it during the run.
    with socket.socket() as other, pytest.raises(OSError):
        other.bind(("127.0.0.1", port))


@pytest.mark.django_db
def test_readyz_probes_running_at_once_do_not_fail_each_other(client):
    from ops import health

    real_set = cache.set
    answers = []

    def set_then_another_probe_runs(*args, **kwargs):
        real_set(*args, **kwargs)
        # Another process's probe writes between this probe's write and its read.
        if not answers:
            answers.append(None)
            answers.append(health.cache_reachable())

    with mock.patch.object(cache, "set", side_effect=set_then_another_probe_runs):
        response = client.get(reverse("readyz"))

    assert answers == [None, True]
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
