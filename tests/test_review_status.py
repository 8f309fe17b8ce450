"""Pages, structured data and the API say a page was medically reviewed only when it was."""

import datetime
import json
import re

import pytest
from django.core.management import call_command

from conditions.models import Condition, Mechanism, Symptom
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    MechanismFactory,
    ReviewerFactory,
    SymptomFactory,
)

pytestmark = pytest.mark.django_db

REVIEWED_ON = datetime.date(2026, 11, 20)


def structured_data(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


@pytest.fixture
def unreviewed():
    return ConditionFactory(name="Lupus", slug="lupus", codes=[ClinicalCodeFactory()])


@pytest.fixture
def reviewed():
    reviewer = ReviewerFactory(name="Dr A. Example", credentials="consultant neurologist")
    condition = ConditionFactory(name="CIDP", slug="cidp", codes=[ClinicalCodeFactory()])
    condition.record_review(reviewer, today=REVIEWED_ON)
    condition.save()
    return condition


def test_an_unreviewed_page_says_so_and_claims_no_review(client, unreviewed):
    html = client.get(unreviewed.get_absolute_url()).content.decode()
    assert "This page has not yet had clinical review" in html
    assert "Medically reviewed" not in html
    assert "last reviewed" not in html.lower()
    data = structured_data(html)
    assert "lastReviewed" not in data
    assert "reviewedBy" not in data
    review = client.get("/api/v1/conditions/lupus/").json()["review"]
    assert review == {
        "reviewed": False,
        "reviewed_on": None,
        "reviewed_by": None,
        "next_review_due": None,
    }


def test_a_reviewed_page_names_its_reviewer_and_date(client, reviewed):
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert "Medically reviewed by Dr A. Example, consultant neurologist, on" in html
    assert '<time datetime="2026-11-20">20 November 2026</time>' in html
    assert "not yet had clinical review" not in html
    data = structured_data(html)
    assert data["lastReviewed"] == "2026-11-20"
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr A. Example",
        "jobTitle": "consultant neurologist",
    }
    review = client.get("/api/v1/conditions/cidp/").json()["review"]
    assert review["reviewed"] is True
    assert review["reviewed_on"] == "2026-11-20"
    assert review["reviewed_by"] == {
        "name": "Dr A. Example",
        "credentials": "consultant neurologist",
    }
    assert review["next_review_due"] == (REVIEWED_ON + datetime.timedelta(days=365)).isoformat()
    listed = client.get("/api/v1/conditions/").json()["results"]
    assert {item["slug"]: item["review"]["reviewed"] for item in listed} == {"cidp": True}


def test_mechanism_and_symptom_pages_follow_the_same_truth(client):
    mechanism = MechanismFactory(slug="vasculitis")
    symptom = SymptomFactory(slug="numbness")
    for url in (mechanism.get_absolute_url(), symptom.get_absolute_url()):
        assert "not yet had clinical review" in client.get(url).content.decode()
    for url in ("/api/v1/mechanisms/vasculitis/", "/api/v1/symptoms/numbness/"):
        assert client.get(url).json()["review"]["reviewed"] is False


def test_the_shipped_content_invents_no_reviewer(db):
    call_command("load_content", verbosity=0)
    for model in (Condition, Mechanism, Symptom):
        assert not model.objects.filter(reviewed_by__isnull=False).exists(), model
        assert not model.objects.filter(reviewed_on__isnull=False).exists(), model


def test_the_about_page_describes_the_process_as_it_is(client):
    html = client.get("/about/").content.decode()
    assert "has not yet had clinical review" in html
    assert "only when that clinician has read and approved it" in html
    assert "Before a page is published, a medical reviewer" not in html
