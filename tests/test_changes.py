"""The change log and the changes feed, through publish, edit, unpublish and delete."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from changes.models import Change
from conditions import models
from editorial import snapshots
from editorial.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    call_command("setup_roles", verbosity=0)
    user = factories.UserFactory(username="rita", is_staff=True)
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    factories.ReviewerFactory(user=user, name="Dr Rita Example", credentials="neurologist")
    return user


def feed(client, **params):
    response = client.get("/api/v1/changes/", params)
    assert response.status_code == 200, response.content
    return response.json()


def actions(body):
    return [(item["slug"], item["action"]) for item in body["results"]]


def draft_condition():
    return factories.ConditionFactory(
        slug="lupus",
        name="Lupus",
        status=models.Status.DRAFT,
        codes=[factories.ClinicalCodeFactory(code="M32.10")],
    )


def test_a_draft_is_not_in_the_feed(client):
    draft_condition()
    assert feed(client)["results"] == []


def test_publish_edit_unpublish_and_delete_each_leave_one_entry(client, reviewer):
    condition = draft_condition()
    with transaction.atomic():
        condition.publish(reviewer)
    with transaction.atomic():
        condition.summary = "A new summary."
        condition.save_as(reviewer, "Edited in the shell")
    with transaction.atomic():
        condition.archive(reviewer)
    with transaction.atomic():
        condition.status = models.Status.PUBLISHED
        condition.save()
    with transaction.atomic():
        condition.delete()

    body = feed(client)
    assert actions(body) == [
        ("lupus", "published"),
        ("lupus", "updated"),
        ("lupus", "unpublished"),
        ("lupus", "published"),
        ("lupus", "deleted"),
    ]
    first, *_, last = body["results"]
    assert first["type"] == "condition"
    assert first["language"] == "en"
    assert first["url"] == "http://testserver/conditions/lupus/"
    assert first["api_url"] == "http://testserver/api/v1/conditions/lupus/"
    assert first["reviewed"] is True
    assert first["tombstone"] is False
    assert last["tombstone"] is True
    assert last["url"] == "http://testserver/conditions/lupus/"


def test_an_approved_proposal_is_one_reviewed_update_with_its_summary(client, reviewer):
    condition = factories.ConditionFactory(
        slug="lupus", name="Lupus", codes=[factories.ClinicalCodeFactory(code="M32.10")]
    )
    data = snapshots.snapshot(condition)
    data["fields"]["summary"] = "The newly approved summary."
    proposal = Proposal.objects.create(
        item=condition,
        base_version=condition.version,
        data=data,
        summary="Added the vaccine advice",
        state=Proposal.State.SUBMITTED,
    )
    proposal.approve(reviewer, plain_language_exception="Test text.")
    updates = [item for item in feed(client)["results"] if item["action"] == "updated"]
    assert [(item["summary"], item["reviewed"]) for item in updates] == [
        ("Added the vaccine advice", True)
    ]


def test_relations_and_inline_rows_count_as_changes_of_the_page(client):
    condition = factories.ConditionFactory(slug="lupus")
    code = factories.ClinicalCodeFactory(code="M32.9")
    since = feed(client)["next_cursor"]
    # Each edit is one atomic block, as a request is.
    with transaction.atomic():
        models.Alias.objects.create(condition=condition, name="SLE")
    with transaction.atomic():
        condition.codes.add(code)
    with transaction.atomic():
        # The row, its relations and its inline rows saved together are one change.
        condition.save()
        condition.codes.remove(code)
        models.Alias.objects.create(condition=condition, name="Lupus")
    assert actions(feed(client, since=since)) == [("lupus", "updated")] * 3


def test_bulk_updates_are_logged_too(client):
    factories.ConditionFactory(slug="lupus")
    factories.ConditionFactory(slug="gbs")
    since = feed(client)["next_cursor"]
    with transaction.atomic():
        models.Condition.objects.filter(slug="lupus").update(status=models.Status.ARCHIVED)
    with transaction.atomic():
        models.Condition.objects.filter(slug="gbs").update(summary="Bulk edited.")
    assert actions(feed(client, since=since)) == [("lupus", "unpublished"), ("gbs", "updated")]


def test_a_new_slug_leaves_a_tombstone_at_the_old_address(client):
    condition = factories.ConditionFactory(slug="lupus")
    since = feed(client)["next_cursor"]
    condition.slug = "systemic-lupus"
    condition.save()
    assert actions(feed(client, since=since)) == [
        ("lupus", "unpublished"),
        ("systemic-lupus", "published"),
    ]


def test_mechanisms_and_symptoms_are_logged(client):
    factories.MechanismFactory(slug="immune-complexes")
    factories.SymptomFactory(slug="numbness")
    body = feed(client)
    assert [(item["type"], item["slug"]) for item in body["results"]] == [
        ("mechanism", "immune-complexes"),
        ("symptom", "numbness"),
    ]
    assert body["results"][1]["api_url"] == "http://testserver/api/v1/symptoms/numbness/"


def test_cursor_pages_run_oldest_first_to_the_end(client):
    for number in range(5):
        factories.ConditionFactory(slug=f"condition-{number}")
    first = feed(client, page_size=2)
    assert [item["slug"] for item in first["results"]] == ["condition-0", "condition-1"]
    second = client.get(first["next"]).json()
    assert [item["slug"] for item in second["results"]] == ["condition-2", "condition-3"]
    third = client.get(second["next"]).json()
    assert [item["slug"] for item in third["results"]] == ["condition-4"]
    assert third["next"] is None
    # Polling again from the last cursor: nothing new, same cursor.
    later = feed(client, since=third["next_cursor"])
    assert later["results"] == []
    assert later["next_cursor"] == third["next_cursor"]


def test_since_a_time(client):
    factories.ConditionFactory(slug="old")
    Change.objects.update(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    factories.ConditionFactory(slug="new")
    assert actions(feed(client, since="2021-01-01")) == [("new", "published")]
    assert actions(feed(client, since="2019-12-31T23:00:00Z")) == [
        ("old", "published"),
        ("new", "published"),
    ]


@pytest.mark.parametrize("since", ["yesterday", "c", "cabc", "2026-13-45", "x" * 300])
def test_a_bad_since_is_a_400(client, since):
    response = client.get("/api/v1/changes/", {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()["errors"]


def test_unknown_parameters_are_a_400(client):
    response = client.get("/api/v1/changes/", {"after": "c1"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"after": ["Unknown parameter."]}


def edit_then_fail(condition):
    with transaction.atomic():
        condition.summary = "Never committed."
        condition.save()
        raise RuntimeError


def test_a_rolled_back_edit_leaves_no_entry(client):
    condition = factories.ConditionFactory(slug="lupus")
    count = Change.objects.count()
    with pytest.raises(RuntimeError):
        edit_then_fail(condition)
    assert Change.objects.count() == count


def test_reloading_unchanged_fixtures_logs_nothing(client, content):
    count = Change.objects.count()
    assert count > 0
    call_command("load_content", verbosity=0)
    assert Change.objects.count() == count


def test_the_atom_feed_lists_reviewed_updates_only(client, reviewer):
    import xml.etree.ElementTree as ET

    factories.ConditionFactory(slug="unreviewed", name="Unreviewed")
    condition = draft_condition()
    with transaction.atomic():
        condition.publish(reviewer)
    response = client.get("/feeds/updates/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{atom}entry")
    assert [entry.find(f"{atom}title").text for entry in entries] == ["Lupus: First published"]
    link = entries[0].find(f"{atom}link").get("href")
    assert link == "http://testserver/conditions/lupus/"
    assert "CC BY 4.0" in feed.find(f"{atom}rights").text


def test_recent_changes_page_and_each_pages_history(client, reviewer):
    condition = draft_condition()
    with transaction.atomic():
        condition.publish(reviewer)
    factories.ConditionFactory(slug="gone", name="Gone condition").delete()
    page = client.get("/changes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<a href="/conditions/lupus/">Lupus</a>' in html
    assert "Gone condition" in html
    assert '<a href="/conditions/gone/">' not in html
    detail = client.get("/conditions/lupus/").content.decode()
    assert "What changed" in detail
    assert "First published" in detail


def test_the_about_page_states_the_licence(client):
    html = client.get("/about/").content.decode()
    assert 'id="licence"' in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert 'id="review"' in html
