"""Treatments: their publishing rules, their review path in the admin, their pages, the API,
the condition filter, the A to Z, search and sitemap, and the shipped content."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from conditions.models import (
    ConditionTreatment,
    Status,
    Treatment,
    TreatmentRole,
)
from editorial.models import Proposal, TransitionRefused
from tests import factories
from tests.test_proposals import change_url, live_form, proposal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def staff(group, username):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(roles):
    return staff("Editors", "eddie")


@pytest.fixture
def reviewer(roles):
    user = staff("Medical reviewers", "rita")
    factories.ReviewerFactory(user=user, name="Dr Rita Example", credentials="neurologist")
    return user


@pytest.fixture
def cidp(db):
    condition = factories.ConditionFactory(
        name="CIDP", slug="cidp", codes=[factories.ClinicalCodeFactory(code="G61.81")]
    )
    ivig = factories.TreatmentFactory(name="IVIg", slug="ivig")
    steroids = factories.TreatmentFactory(name="Steroids", slug="steroids")
    hidden = factories.TreatmentFactory(name="Secret draft", slug="secret", status=Status.DRAFT)
    ConditionTreatment.objects.create(
        condition=condition, treatment=ivig, role=TreatmentRole.FIRST_LINE, note="Often first."
    )
    ConditionTreatment.objects.create(
        condition=condition, treatment=steroids, role=TreatmentRole.NOT_RECOMMENDED
    )
    ConditionTreatment.objects.create(
        condition=condition, treatment=hidden, role=TreatmentRole.MAINTENANCE
    )
    return condition


# --- rules ------------------------------------------------------------------------------------


def test_a_treatment_needs_its_sections_and_a_reference_to_be_published(reviewer):
    draft = Treatment.objects.create(
        name="Plasma exchange", slug="plasma-exchange", summary="It filters the blood."
    )
    problems = " ".join(draft.publication_problems())
    assert "Add at least one reference." in problems
    assert "What it is" in problems
    assert "Common side effects" in problems
    with pytest.raises(TransitionRefused):
        draft.publish(reviewer)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_reviewer_publishes_a_complete_treatment_and_is_recorded(reviewer):
    treatment = factories.TreatmentFactory(status=Status.DRAFT)
    treatment.publish(reviewer)
    treatment.refresh_from_db()
    assert treatment.status == Status.PUBLISHED
    assert treatment.reviewed_by.name == "Dr Rita Example"


def test_an_editor_cannot_publish_a_treatment(editor):
    treatment = factories.TreatmentFactory(status=Status.DRAFT)
    with pytest.raises(Exception, match="Only medical reviewers can publish"):
        treatment.publish(editor)


def test_a_condition_names_each_treatment_once():
    condition = factories.ConditionFactory()
    treatment = factories.TreatmentFactory()
    ConditionTreatment.objects.create(condition=condition, treatment=treatment, role="first_line")
    with pytest.raises(IntegrityError):
        ConditionTreatment.objects.create(
            condition=condition, treatment=treatment, role="maintenance"
        )


# --- admin workflow -----------------------------------------------------------------------------


def test_a_treatment_link_added_to_a_live_condition_waits_for_a_reviewer(
    client, editor, reviewer, cidp, django_capture_on_commit_callbacks
):
    rituximab = factories.TreatmentFactory(name="Rituximab", slug="rituximab")
    visitor = type(client)()
    client.force_login(editor)
    form = live_form(cidp, change_summary="Rituximab for nodopathy-like CIDP")
    position = form["treatment_links-TOTAL_FORMS"]
    form |= {
        "treatment_links-TOTAL_FORMS": str(int(position) + 1),
        f"treatment_links-{position}-treatment": rituximab.pk,
        f"treatment_links-{position}-role": "second_line",
        f"treatment_links-{position}-note": "When IVIg works poorly.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(cidp), form | {"_submit_proposal": "1"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Rituximab" not in visitor.get("/conditions/cidp/").content.decode()
    assert not ConditionTreatment.objects.filter(treatment=rituximab).exists()

    client.force_login(reviewer)
    review = client.get(proposal_url(cidp)).content.decode()
    assert "Rituximab" in review
    with django_capture_on_commit_callbacks(execute=True):
        client.post(proposal_url(cidp), {"decision": "approve"})
    assert Proposal.objects.get().state == Proposal.State.APPROVED
    page = visitor.get("/conditions/cidp/").content.decode()
    assert "Rituximab" in page
    assert "If first-line treatment is not enough" in page
    assert "When IVIg works poorly." in page


def test_the_treatment_admin_lists_and_previews_treatments(client, reviewer, cidp):
    client.force_login(reviewer)
    listing = client.get(reverse("admin:conditions_treatment_changelist"))
    assert listing.status_code == 200
    assert "IVIg" in listing.content.decode()
    draft = Treatment.objects.get(slug="secret")
    change = client.get(reverse("admin:conditions_treatment_change", args=[draft.pk]))
    assert change.status_code == 200


# --- pages --------------------------------------------------------------------------------------


def test_the_treatment_list_shows_only_published_treatments(client, cidp):
    response = client.get("/treatments/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "IVIg" in page
    assert "Secret draft" not in page


def test_a_treatment_page_has_its_sections_and_its_conditions(client, cidp):
    response = client.get("/treatments/ivig/")
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "What it is",
        "How it is given and how long it takes",
        "What to expect on the day",
        "Common side effects",
        "Serious side effects: get help",
        "Questions to ask about it",
        "Sources",
    ):
        assert heading in page
    assert 'href="/conditions/cidp/"' in page
    assert "First-line" in page
    assert "has not yet had clinical review" in page
    assert client.get("/treatments/secret/").status_code == 404


def test_a_condition_page_lists_its_published_treatments_by_role(client, cidp):
    page = client.get("/conditions/cidp/").content.decode()
    assert "Treatments and their role" in page
    assert page.index("IVIg") < page.index("Steroids")  # first-line before not recommended
    assert "Not recommended" in page
    assert "Often first." in page
    assert "Secret draft" not in page


def test_the_condition_list_filters_by_treatment(client, cidp):
    other = factories.ConditionFactory(name="Lupus", slug="lupus")
    response = client.get("/conditions/?treatment=ivig")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/conditions/cidp/"' in page
    assert f'href="{other.get_absolute_url()}"' not in page
    assert client.get("/conditions/?treatment=secret").status_code == 400
    assert client.get("/conditions/?treatment=no-such-thing").status_code == 400


def test_treatments_are_in_the_a_to_z_the_search_and_the_sitemap(client, cidp):
    assert 'href="/treatments/ivig/"' in client.get("/a-z/").content.decode()
    results = client.get("/search/?q=steroids").content.decode()
    assert 'href="/treatments/steroids/"' in results
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/treatments/ivig/" in sitemap
    assert "/treatments/secret/" not in sitemap


# --- API ----------------------------------------------------------------------------------------


def test_the_api_lists_and_describes_published_treatments(client, cidp):
    listing = client.get("/api/v1/treatments/")
    assert listing.status_code == 200
    slugs = [item["slug"] for item in listing.json()["results"]]
    assert slugs == ["ivig", "steroids"]
    detail = client.get("/api/v1/treatments/ivig/").json()
    assert detail["conditions"] == [
        {"slug": "cidp", "name": "CIDP", "role": "first_line", "note": "Often first."}
    ]
    assert [section["key"] for section in detail["sections"]][:2] == ["what_it_is", "how_given"]
    assert detail["review"]["reviewed"] is False
    assert client.get("/api/v1/treatments/secret/").status_code == 404
    refused = client.get("/api/v1/treatments/?kind=medicine")
    assert refused.status_code == 400
    assert "kind" in refused.json()["errors"]


def test_the_api_gives_a_conditions_treatments_and_filters_by_them(client, cidp):
    factories.ConditionFactory(name="Lupus", slug="lupus")
    condition = client.get("/api/v1/conditions/cidp/").json()
    assert {(t["slug"], t["role"]) for t in condition["treatments"]} == {
        ("ivig", "first_line"),
        ("steroids", "not_recommended"),
    }
    filtered = client.get("/api/v1/conditions/?treatment=steroids").json()
    assert [item["slug"] for item in filtered["results"]] == ["cidp"]
    bad = client.get("/api/v1/conditions/?treatment=secret")
    assert bad.status_code == 400
    assert "treatment" in bad.json()["errors"]
    assert bad.json()["accepted"]["treatment"] == ["ivig", "steroids"]


# --- the shipped content ------------------------------------------------------------------------


def test_the_shipped_treatments_say_what_the_guidelines_say(client, content):
    gbs = client.get("/api/v1/conditions/guillain-barre-syndrome/").json()
    roles = {t["slug"]: t["role"] for t in gbs["treatments"]}
    assert roles["intravenous-immunoglobulin"] == "first_line"
    assert roles["plasma-exchange"] == "first_line"
    assert roles["corticosteroids"] == "not_recommended"
    mmn = client.get("/api/v1/conditions/multifocal-motor-neuropathy/").json()
    assert {t["slug"]: t["role"] for t in mmn["treatments"]}["corticosteroids"] == (
        "not_recommended"
    )
    efgartigimod = client.get("/api/v1/treatments/efgartigimod/").json()
    assert "2024" in efgartigimod["summary"]
    assert [c["slug"] for c in efgartigimod["conditions"]] == [
        "chronic-inflammatory-demyelinating-polyneuropathy"
    ]
    # Shipped unreviewed: nothing claims a review that did not happen.
    assert not Treatment.objects.filter(reviewed_by__isnull=False).exists()
    assert all(
        not item["review"]["reviewed"]
        for item in client.get("/api/v1/treatments/").json()["results"]
    )
