"""Search counts for editors: per normalised query per week, found-nothing counted, nothing
about the visitor kept, personal-looking queries dropped, no database write on the page's
path, and storage bounded."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.models import SearchTally
from conditions.search import insights
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def nothing_pending():
    insights.discard_pending()
    yield
    insights.discard_pending()


@pytest.fixture
def lupus(db):
    return factories.ConditionFactory(name="Lupus", slug="lupus")


def counts():
    return {
        (row.week, row.query): (row.searches, row.empty_searches)
        for row in SearchTally.objects.all()
    }


def test_searches_are_counted_per_normalised_query_with_those_that_found_nothing(client, lupus):
    for query in ("Lupus", "  LUPUS ", "lúpus", "zebra fever", "Zebra   Fever"):
        assert client.get("/search/", {"q": query}).status_code == 200
    client.get("/search/", {"q": "lupus"})  # a page-cache hit counts too
    assert insights.flush(today=MONDAY + datetime.timedelta(days=3)) == 6
    assert counts() == {(MONDAY, "lupus"): (4, 0), (MONDAY, "zebra fever"): (2, 2)}


def test_a_new_week_gets_its_own_counts(client, lupus):
    client.get("/search/", {"q": "lupus"})
    insights.flush(today=MONDAY)
    client.get("/search/", {"q": "lupus"})
    insights.flush(today=MONDAY + datetime.timedelta(days=7))
    assert counts() == {
        (MONDAY, "lupus"): (1, 0),
        (MONDAY + datetime.timedelta(days=7), "lupus"): (1, 0),
    }


@pytest.mark.parametrize(
    "query",
    [
        "jane.doe@example.org",
        "call me 07700 900123",
        "+44 (0)20 7946 0958",
        "555-867-5309",
        "nhs number 4857773456",
        "result 123456",
    ],
)
def test_queries_that_look_like_personal_data_are_dropped(client, lupus, query):
    client.get("/search/", {"q": query})
    assert insights.flush(today=MONDAY) == 0
    assert not SearchTally.objects.exists()


@pytest.mark.parametrize(
    ("query", "counted_as"),
    [
        ("G61.0", "g61 0"),
        ("Vitamin B12", "vitamin b12"),
        ("type 1 diabetes", "type 1 diabetes"),
        ("M32.14", "m32 14"),
    ],
)
def test_ordinary_queries_with_a_few_digits_are_kept(query, counted_as):
    assert insights.normalised_query(query) == counted_as


def test_nothing_about_the_visitor_is_stored(client, lupus):
    client.get(
        "/search/",
        {"q": "lupus"},
        headers={"user-agent": "Secret-Agent/1.0", "cookie": "sessionid=abc"},
        REMOTE_ADDR="203.0.113.9",
    )
    insights.flush(today=MONDAY)
    columns = {field.name for field in SearchTally._meta.get_fields()}
    assert columns == {"id", "week", "query", "searches", "empty_searches"}
    stored = " ".join(str(value) for row in SearchTally.objects.values() for value in row.values())
    assert "203.0.113.9" not in stored
    assert "Secret-Agent" not in stored
    assert "abc" not in stored


def test_the_search_page_writes_nothing_to_the_database(client, lupus):
    client.get("/search/", {"q": "warm up"})  # builds the search index
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": "lupus"}).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_storage_is_bounded(client, lupus, monkeypatch):
    monkeypatch.setattr(insights, "MAX_QUERIES_PER_WEEK", 3)
    for query in ("one", "two", "three", "four", "five"):
        insights.record(query)
    insights.flush(today=MONDAY)
    assert SearchTally.objects.filter(week=MONDAY).count() == 3
    insights.record("one")  # a known query still counts
    insights.flush(today=MONDAY)
    assert SearchTally.objects.get(week=MONDAY, query="one").searches == 2
    # Old weeks go.
    insights.flush(today=MONDAY + datetime.timedelta(weeks=insights.KEEP_WEEKS + 1))
    assert not SearchTally.objects.filter(week=MONDAY).exists()
    # The queue waiting for a flush is bounded too.
    for n in range(insights.MAX_PENDING + 50):
        insights._pending.append(f"q{n}")
    assert len(insights._pending) == insights.MAX_PENDING


def test_unknown_pages_and_bad_searches_are_not_counted(client, lupus):
    client.get("/search/", {"q": "x" * 500})  # refused: too long
    client.get("/conditions/", {"q": "lupus"})
    client.get("/search/")
    assert insights.flush(today=MONDAY) == 0


def test_editors_see_the_counts_in_the_admin(client, lupus):
    call_command("setup_roles", verbosity=0)
    editor = factories.UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    SearchTally.objects.create(week=MONDAY, query="zebra fever", searches=5, empty_searches=5)
    SearchTally.objects.create(week=MONDAY, query="lupus", searches=9, empty_searches=0)
    client.force_login(editor)
    url = reverse("admin:conditions_searchtally_changelist")
    page = client.get(url, {"found": "nothing"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "zebra fever" in body
    assert "lupus" not in body.split("result_list")[-1]
    assert client.get(reverse("admin:conditions_searchtally_add")).status_code == 403
