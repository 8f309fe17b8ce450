"""The page cache: fast for everyone, never stale, never one visitor's page served to another.

Runs against whichever cache the settings name; CI runs it with REDIS_URL set as well.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import get_token

from conditions.models import Alias, Condition, Status
from tests.factories import ConditionFactory, MechanismFactory, SymptomFactory

PUBLIC_URLS = [
    "/",
    "/conditions/",
    "/conditions/?onset=chronic",
    "/conditions/lupus/",
    "/mechanisms/",
    "/symptoms/",
    "/a-z/",
    "/search/?q=lupus",
    "/api/v1/conditions/",
    "/api/v1/conditions/lupus/",
    "/api/v1/mechanisms/",
    "/api/v1/symptoms/",
]


@pytest.fixture
def lupus(db):
    condition = ConditionFactory(name="Lupus", slug="lupus", summary="Lupus summary, first draft.")
    MechanismFactory(name="Immune complexes", slug="immune-complexes")
    condition.symptoms.add(SymptomFactory(name="pins and needles", slug="pins-and-needles"))
    return condition


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_repeated_anonymous_request_is_served_without_queries(
    client, lupus, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.parametrize(
    "url, api",
    [
        ("/conditions/lupus/", False),
        ("/conditions/", False),
        ("/search/?q=lupus", False),
        ("/api/v1/conditions/lupus/", True),
        ("/api/v1/conditions/", True),
    ],
)
def test_an_orm_edit_is_visible_on_the_next_request(
    client, lupus, url, api, django_capture_on_commit_callbacks
):
    assert "first draft" in client.get(url).content.decode()
    lupus.summary = "Lupus summary, second draft."
    with django_capture_on_commit_callbacks(execute=True):
        lupus.save()
    body = client.get(url).content.decode()
    assert "second draft" in body
    assert "first draft" not in body


def test_related_rows_and_deletes_invalidate_too(client, lupus, django_capture_on_commit_callbacks):
    assert "Also known as" not in client.get("/conditions/lupus/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Alias.objects.create(condition=lupus, name="SLE", is_abbreviation=True)
    assert "SLE" in client.get("/conditions/lupus/").content.decode()
    assert client.get("/api/v1/conditions/lupus/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        lupus.symptoms.clear()  # an m2m change
    assert client.get("/api/v1/conditions/lupus/").json()["symptoms"] == []
    with django_capture_on_commit_callbacks(execute=True):
        lupus.delete()
    assert client.get("/conditions/lupus/").status_code == 404
    assert client.get("/api/v1/conditions/lupus/").status_code == 404


def test_an_admin_edit_is_visible_to_visitors_on_the_next_request(
    client, lupus, django_capture_on_commit_callbacks
):
    visitor_before = client.get("/conditions/lupus/")
    assert visitor_before.status_code == 200
    assert client.get("/api/v1/conditions/lupus/").status_code == 200

    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    admin_client = type(client)()
    admin_client.force_login(editor)
    changelist = "/admin/conditions/condition/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": "archive", "_selected_action": [lupus.pk]}, follow=True
        )
    assert response.status_code == 200
    assert Condition.objects.get(pk=lupus.pk).status == Status.ARCHIVED

    assert client.get("/conditions/lupus/").status_code == 404
    assert client.get("/api/v1/conditions/lupus/").status_code == 404


def test_loading_fixtures_invalidates_cached_pages(client, db, django_capture_on_commit_callbacks):
    assert "Guillain" not in client.get("/conditions/").content.decode()
    assert client.get("/api/v1/conditions/").json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", verbosity=0)
    assert "Guillain" in client.get("/conditions/").content.decode()
    assert client.get("/api/v1/conditions/").json()["count"] == Condition.objects.count()


def test_http_caching_headers(client, lupus):
    for url in ["/conditions/lupus/", "/api/v1/conditions/lupus/"]:
        response = client.get(url)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert "max-age=" in cache_control
        assert "stale-while-revalidate=" in cache_control
        assert response["ETag"]
        assert response["Last-Modified"]
        again = client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
        assert again.content == b""
        since = client.get(url, headers={"if-modified-since": response["Last-Modified"]})
        assert since.status_code == 304


def test_an_edit_changes_the_etag(client, lupus, django_capture_on_commit_callbacks):
    first = client.get("/conditions/lupus/")
    lupus.summary = "Lupus summary, second draft."
    with django_capture_on_commit_callbacks(execute=True):
        lupus.save()
    changed = client.get("/conditions/lupus/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_partial_list_and_the_full_list_are_cached_apart(client, lupus):
    full = client.get("/conditions/")
    partial = client.get("/conditions/", headers={"x-partial": "results"})
    assert "X-Partial" in full["Vary"]
    assert b"<html" in full.content
    assert b"<html" not in partial.content
    assert b"<html" in client.get("/conditions/").content
    assert b"<html" not in client.get("/conditions/", headers={"x-partial": "results"}).content


def test_query_order_and_host_ports_share_an_entry(
    client, lupus, settings, django_assert_num_queries
):
    client.get("/conditions/?onset=chronic&fibre=sensory")
    with django_assert_num_queries(0):
        client.get("/conditions/?fibre=sensory&onset=chronic")
    first = client.get("/conditions/lupus/")
    # Pages name the configured origin, not the Host (any port passes ALLOWED_HOSTS), so a
    # port can neither split the cache nor get into the page.
    with django_assert_num_queries(0):
        other = client.get("/conditions/lupus/", headers={"host": "testserver:8123"})
    assert other.content == first.content
    assert b"8123" not in other.content
    assert b'<link rel="canonical" href="http://testserver/conditions/lupus/">' in other.content


def test_a_host_not_allowed_is_refused_even_when_the_page_is_cached(client, lupus):
    assert client.get("/conditions/lupus/").status_code == 200
    assert client.get("/conditions/lupus/", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    ("forged", "victim"),
    [
        ("/conditions/?q=lupus%26sort%3D-updated", "/conditions/?q=lupus&sort=-updated"),
        ("/conditions/?q=lupus%26onset%3Dchronic", "/conditions/?q=lupus&onset=chronic"),
        ("/conditions/?onset=chronic%26q%3Dlupus", "/conditions/?onset=chronic&q=lupus"),
    ],
)
def test_a_value_holding_separators_cannot_plant_a_page_on_another_url(
    client, lupus, forged, victim
):
    # The forged request asks for a search or filter value that matches nothing (or is
    # refused); had it shared the victim URL's entry, the victim would get that answer.
    client.get(forged)
    victim_page = client.get(victim)
    fresh = client.get(victim, headers={"x-partial": "results"})
    assert victim_page.status_code == 200
    assert b"Lupus" in victim_page.content
    assert b"Lupus" in fresh.content


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("/conditions/?q=a%26sort%3Dname", "/conditions/?q=a&sort=name"),
        ("/conditions/?q=a%3Db", "/conditions/?q%3Da=b"),
        ("/conditions/?q=a%7Cb", "/conditions/?q=a&pattern=b"),
        ("/conditions/?symptom=a%2Cb", "/conditions/?symptom=a&symptom=b"),
        ("/conditions/?q=a%7C%5B%5D", "/conditions/?q=a"),
    ],
)
def test_page_keys_keep_every_part_apart(one, other, rf):
    from sitecache import pages

    handler = pages._public_handler_of("/conditions/")
    key = pages._page_key(rf.get(one), handler, ("x-partial",))
    assert key != pages._page_key(rf.get(other), handler, ("x-partial",))
    partial = rf.get(other, headers={"x-partial": "results"})
    assert pages._page_key(partial, handler, ("x-partial",)) != pages._page_key(
        rf.get(other), handler, ("x-partial",)
    )


def shared_page_keys(monkeypatch):
    """Every page-cache key written to the shared cache from now on."""
    from sitecache import pages

    written = set()
    real_set = cache.set

    def recording_set(key, *args, **kwargs):
        if key.startswith(f"{pages.KEY_PREFIX}:"):
            written.add(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return written


def test_what_a_page_ignores_cannot_fill_the_shared_cache(client, lupus, monkeypatch):
    written = shared_page_keys(monkeypatch)
    for number in range(40):
        client.get(f"/conditions/?utm_source={number}")
        client.get("/conditions/", headers={"x-partial": f"junk-{number}"})
        client.get("/conditions/", headers={"host": f"testserver:{8000 + number}"})
        client.get("/conditions/lupus/", headers={"host": f"localhost:{9000 + number}"})
    client.get("/conditions/", headers={"x-partial": "results"})
    # The full list, its results fragment, the detail page: nothing else.
    assert len(written) == 3


def test_free_text_searches_stay_out_of_the_shared_cache(
    client, lupus, monkeypatch, django_assert_num_queries
):
    written = shared_page_keys(monkeypatch)
    for number in range(30):
        assert client.get(f"/search/?q=lupus{number}").status_code == 200
        assert client.get(f"/conditions/?q=lupus{number}").status_code == 200
        assert client.get(f"/api/v1/conditions/?q=lupus{number}").status_code == 200
        assert client.get(f"/api/v1/lookup/?system=icd10cm&code=M32.{number}").status_code == 200
    assert written == set()
    # A search repeated on this server is still answered from its own small store.
    client.get("/search/?q=lupus")
    with django_assert_num_queries(0):
        assert b"Lupus" in client.get("/search/?q=lupus").content


def test_errors_are_not_cached(client, lupus):
    assert client.get("/conditions/?onset=sideways").status_code == 400
    assert client.get("/conditions/no-such-thing/").status_code == 404
    ConditionFactory(name="Late arrival", slug="no-such-thing")
    assert client.get("/conditions/no-such-thing/").status_code == 200


def test_signed_in_editors_bypass_the_cache(client, lupus):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    first = client.get("/conditions/lupus/")
    assert first.status_code == 200
    assert "public" not in first.get("Cache-Control", "")
    # Rendered again (queries run), not served from a cache an anonymous visitor filled.
    client.logout()
    client.get("/conditions/lupus/")  # fills the cache anonymously
    client.force_login(editor)
    Condition.objects.filter(pk=lupus.pk).update(summary="Seen only by a fresh render.")
    assert "Seen only by a fresh render." in client.get("/conditions/lupus/").content.decode()


def test_the_cache_can_be_switched_off(client, lupus, settings):
    settings.PAGE_CACHE = False
    client.get("/conditions/lupus/")
    Condition.objects.filter(pk=lupus.pk).update(summary="Changed without a signal.")
    assert "Changed without a signal." in client.get("/conditions/lupus/").content.decode()
    assert "stale-while-revalidate" in client.get("/conditions/lupus/")["Cache-Control"]


# Responses that belong to one visitor are never stored, whatever view produces them.


@pytest.fixture
def served_twice(client, settings, db):
    """Whether the stack answers a public view's second request without reaching the view."""
    from tests import urls_public_page

    settings.ROOT_URLCONF = "tests.urls_public_page"

    def served_twice(view):
        urls_public_page.calls.clear()
        urls_public_page.respond = view
        for _ in range(2):
            response = client.get("/chosen/")
            assert response.status_code == 200
        cache.clear()
        return len(urls_public_page.calls) == 1

    return served_twice


def test_a_plain_public_response_is_stored(served_twice):
    assert served_twice(lambda request: HttpResponse("same for all"))


def test_a_response_that_sets_a_cookie_is_not_stored(served_twice):
    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("visitor", "42")
        return response

    assert not served_twice(view)


def test_a_response_carrying_a_csrf_token_is_not_stored(served_twice):
    assert not served_twice(lambda request: HttpResponse(f"token {get_token(request)}"))


def test_a_response_using_the_csp_nonce_is_not_stored(served_twice):
    assert not served_twice(
        lambda request: HttpResponse(f'<script nonce="{request._csp_nonce}"></script>')
    )


def test_a_private_or_cookie_varying_response_is_not_stored(served_twice):
    def private(request):
        response = HttpResponse("mine")
        response["Cache-Control"] = "private"
        return response

    def per_cookie(request):
        response = HttpResponse("mine")
        response["Vary"] = "Cookie"
        return response

    assert not served_twice(private)
    assert not served_twice(per_cookie)


# Hits answered by PageCacheMiddleware, before the session, CSRF, auth and axes middleware.


def _refuse(*args, **kwargs):
    raise AssertionError("a cache hit reached the session middleware")


@pytest.mark.parametrize("url", ["/conditions/lupus/", "/conditions/", "/api/v1/conditions/"])
def test_a_hit_is_served_before_the_session_is_touched(client, lupus, url, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    first = client.get(url)
    monkeypatch.setattr(SessionMiddleware, "process_request", _refuse)
    again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    head = client.head(url)
    assert head.status_code == 200


def test_hits_carry_every_security_and_caching_header(client, lupus, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    first = client.get("/conditions/lupus/")
    monkeypatch.setattr(SessionMiddleware, "process_request", _refuse)
    hit = client.get("/conditions/lupus/")
    for header in [
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "Cache-Control",
        "ETag",
        "Last-Modified",
    ]:
        assert hit.has_header(header), header
        assert hit[header] == first[header], header
    assert "public" in hit["Cache-Control"]
    not_modified = client.get("/conditions/lupus/", headers={"if-none-match": hit["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_a_request_with_a_session_cookie_never_gets_a_stored_page(client, lupus):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/conditions/lupus/")  # stored for anonymous visitors
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        signed_in = client.get("/conditions/lupus/")
    assert signed_in.status_code == 200
    assert len(queries) > 0  # rendered for this visitor, not taken from the cache
    assert "public" not in signed_in.get("Cache-Control", "")
    # Even a stale or forged session cookie goes the whole way through the stack.
    client.logout()
    client.cookies["sessionid"] = "not-a-real-session"
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/conditions/lupus/").status_code == 200
    assert len(queries) > 0


def test_a_cross_origin_api_hit_still_gets_cors_headers(client, lupus):
    client.get("/api/v1/conditions/")
    hit = client.get("/api/v1/conditions/", headers={"origin": "https://example.org"})
    assert hit.status_code == 200
    assert hit["Access-Control-Allow-Origin"] == "*"


def test_the_middleware_only_looks_up_cached_views(client, db):
    # /healthz is not a cached view: it never pays for a cache lookup, and is never stored.
    from unittest import mock

    with mock.patch("sitecache.pages._lookup") as lookup:
        client.get("/healthz")
    lookup.assert_not_called()


def test_queryset_update_invalidates_cached_pages(
    client, lupus, django_capture_on_commit_callbacks
):
    assert "first draft" in client.get("/conditions/lupus/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Condition.objects.filter(pk=lupus.pk).update(summary="Changed by a bulk update.")
    assert "Changed by a bulk update." in client.get("/conditions/lupus/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Alias.objects.create(condition=lupus, name="SLE")
    client.get("/conditions/lupus/")
    with django_capture_on_commit_callbacks(execute=True):
        Alias.objects.filter(condition=lupus).update(name="Systemic lupus")
    assert "Systemic lupus" in client.get("/conditions/lupus/").content.decode()


def test_the_per_process_copy_never_outlives_an_edit_made_elsewhere(client, lupus):
    """An edit on another server only bumps the shared version; this process must notice."""
    from sitecache.pages import _local_entries
    from sitecache.version import bump_content_version

    client.get("/conditions/lupus/")
    client.get("/conditions/lupus/")  # now also held in this process
    assert _local_entries
    # As another server would: change the row without this process's signals, bump the version.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Condition._meta.db_table} SET summary_en = %s WHERE id = %s",
            ["Edited elsewhere.", lupus.pk],
        )
    bump_content_version()
    assert "Edited elsewhere." in client.get("/conditions/lupus/").content.decode()


def test_a_miss_is_looked_up_once(client, lupus):
    from unittest import mock

    from sitecache import pages

    with mock.patch("sitecache.pages._lookup", wraps=pages._lookup) as lookup:
        assert client.get("/conditions/lupus/").status_code == 200
        assert client.get("/api/v1/conditions/lupus/").status_code == 200
    assert lookup.call_count == 2


def test_parameters_a_page_does_not_read_share_its_entry(client, lupus, django_assert_num_queries):
    """A tracking tag or a typo in a link opens the page, and cannot fill the cache."""
    first = client.get("/conditions/?onset=chronic&utm_source=newsletter")
    assert first.status_code == 200
    client.get("/conditions/lupus/")
    with django_assert_num_queries(0):
        for tag in range(5):
            again = client.get(f"/conditions/?onset=chronic&utm_source={tag}&fbclid=x{tag}")
            assert again.content == first.content
        assert client.get("/conditions/lupus/?ref=1").status_code == 200
    # A parameter the page reads still makes its own entry.
    assert client.get("/conditions/?onset=acute").content != first.content


def test_the_api_refuses_parameters_it_does_not_read_and_stores_nothing(client, lupus):
    for tag in range(3):
        response = client.get(f"/api/v1/conditions/?utm_source={tag}")
        assert response.status_code == 400
        assert "utm_source" in response.json()["errors"]
