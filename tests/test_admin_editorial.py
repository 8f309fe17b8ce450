"""The editorial workflow in the admin: roles, publishing checks, locking, actions, preview."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conditions.models import Condition, Mechanism, NeuropathyPattern, Status
from editorial.forms import STALE_MESSAGE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def staff_user(username, group_name=None):
    user = factories.UserFactory(username=username, is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(roles):
    return staff_user("eddie-editor", "Editors")


@pytest.fixture
def reviewer(roles):
    user = staff_user("rita-reviewer", "Medical reviewers")
    factories.ReviewerFactory(user=user, name="Dr Rita Reviewer")
    return user


def change_url(obj):
    return reverse(f"admin:conditions_{obj._meta.model_name}_change", args=[obj.pk])


def condition_form_data(condition=None, **overrides):
    """Everything the condition change form posts, including the inlines' management forms."""
    condition = condition or Condition(name="New condition", slug="new-condition")
    data = {
        "name": condition.name,
        "slug": condition.slug,
        "summary": condition.summary,
        "overview": condition.overview,
        "nerve_effects": condition.nerve_effects,
        "symptoms_text": condition.symptoms_text,
        "diagnosis": condition.diagnosis,
        "treatment": condition.treatment,
        "living_with": condition.living_with,
        "questions_for_doctor": condition.questions_for_doctor,
        "onset": condition.onset,
        "neuropathy_frequency": condition.neuropathy_frequency,
        "emergency_warning": condition.emergency_warning,
        "status": condition.status,
        "help_emergency": condition.help_emergency,
        "help_same_day": condition.help_same_day,
        "help_routine": condition.help_routine,
        "proposal_version": "",
    }
    if condition.pk:
        data["loaded_version"] = condition.version
        data["codes"] = [code.pk for code in condition.codes.all()]
        data["references"] = [reference.pk for reference in condition.references.all()]
    for flag in ("affects_sensory", "affects_motor", "affects_autonomic", "is_emergency"):
        if getattr(condition, flag):
            data[flag] = "on"
    for prefix in ("aliases", "mechanism_links", "treatment_links"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def draft_condition(**kwargs):
    code = factories.ClinicalCodeFactory(code="G61.0")
    return factories.ConditionFactory(status=Status.DRAFT, codes=[code], **kwargs)


# --- pages and permissions ---------------------------------------------------------------


@pytest.mark.parametrize("model", [Condition, Mechanism])
def test_staff_see_changelist_add_change_and_history_pages(client, reviewer, model):
    obj = draft_condition() if model is Condition else factories.MechanismFactory()
    client.force_login(reviewer)
    name = model._meta.model_name
    for url in (
        reverse(f"admin:conditions_{name}_changelist"),
        reverse(f"admin:conditions_{name}_add"),
        change_url(obj),
        reverse(f"admin:conditions_{name}_history", args=[obj.pk]),
        reverse(f"admin:conditions_{name}_preview", args=[obj.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_get_the_login_page(client):
    condition = draft_condition()
    for url in (
        reverse("admin:conditions_condition_changelist"),
        change_url(condition),
        reverse("admin:conditions_condition_preview", args=[condition.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_setup_roles_is_idempotent(roles):
    call_command("setup_roles", verbosity=0)
    editors = Group.objects.get(name="Editors")
    reviewers = Group.objects.get(name="Medical reviewers")
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    reviewer_perms = set(reviewers.permissions.values_list("codename", flat=True))
    assert {"add_condition", "change_condition"} <= editor_perms
    assert "publish_condition" not in editor_perms
    assert {"publish_condition", "publish_mechanism"} <= reviewer_perms
    assert Group.objects.filter(name__in=["Editors", "Medical reviewers"]).count() == 2


def test_editor_adds_a_draft_with_an_alias_through_the_admin(client, editor):
    client.force_login(editor)
    data = condition_form_data(
        summary="A short plain summary.",
        status=Status.DRAFT,
        **{
            "aliases-TOTAL_FORMS": "1",
            "aliases-0-name": "NC",
            "aliases-0-is_abbreviation": "on",
        },
    )
    response = client.post(reverse("admin:conditions_condition_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    condition = Condition.objects.get(slug="new-condition")
    assert condition.status == Status.DRAFT
    assert [alias.name for alias in condition.aliases.all()] == ["NC"]
    assert condition.history.first().history_user == editor


def test_editor_cannot_publish_and_is_told_why(client, editor):
    condition = draft_condition()
    client.force_login(editor)
    response = client.post(
        change_url(condition), condition_form_data(condition, status=Status.PUBLISHED)
    )
    assert response.status_code == 200
    assert "Only medical reviewers can set “Published”" in response.content.decode()
    condition.refresh_from_db()
    assert condition.status == Status.DRAFT


def test_editor_does_not_get_the_publishing_actions(client, editor, reviewer):
    draft_condition()
    url = reverse("admin:conditions_condition_changelist")
    client.force_login(editor)
    editor_actions = {
        name for name, _ in client.get(url).context["action_form"].fields["action"].choices
    }
    client.force_login(reviewer)
    reviewer_actions = {
        name for name, _ in client.get(url).context["action_form"].fields["action"].choices
    }
    assert "submit_for_review" in editor_actions
    assert not {"publish", "mark_reviewed_today", "archive"} & editor_actions
    assert {"publish", "mark_reviewed_today", "archive"} <= reviewer_actions


def test_reviewer_publishes_a_complete_draft(client, reviewer):
    condition = draft_condition()
    client.force_login(reviewer)
    response = client.post(
        change_url(condition), condition_form_data(condition, status=Status.PUBLISHED)
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.status == Status.PUBLISHED
    assert client.get(condition.get_absolute_url()).status_code == 200


def test_publishing_says_exactly_what_is_missing(client, reviewer):
    condition = factories.ConditionFactory(status=Status.DRAFT, diagnosis="", treatment="")
    client.force_login(reviewer)
    response = client.post(
        change_url(condition),
        condition_form_data(condition, status=Status.PUBLISHED, references=[]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This cannot be published yet" in page
    assert "Write these sections: How it is diagnosed, Treatment." in page
    assert "Add at least one clinical code." in page
    assert "Add at least one reference." in page
    condition.refresh_from_db()
    assert condition.status == Status.DRAFT


def test_publishing_on_add_counts_the_submitted_links(client, reviewer):
    code = factories.ClinicalCodeFactory(code="G61.0")
    reference = factories.ReferenceFactory()
    template = factories.ConditionFactory.build(slug="brand-new", name="Brand new")
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:conditions_condition_add"),
        condition_form_data(
            template, status=Status.PUBLISHED, codes=[code.pk], references=[reference.pk]
        ),
    )
    assert response.status_code == 302
    created = Condition.objects.get(slug="brand-new")
    assert created.status == Status.PUBLISHED
    assert list(created.codes.all()) == [code]


# --- optimistic locking ------------------------------------------------------------------


def test_every_save_bumps_the_version(client, editor):
    condition = draft_condition()
    client.force_login(editor)
    client.post(change_url(condition), condition_form_data(condition, summary="First."))
    condition.refresh_from_db()
    assert condition.version == 2
    client.post(change_url(condition), condition_form_data(condition, summary="Second."))
    condition.refresh_from_db()
    assert (condition.version, condition.summary) == (3, "Second.")


def test_a_stale_save_is_refused_and_keeps_the_text_on_screen(client, editor):
    condition = draft_condition(summary="Original summary.")
    stale_form = condition_form_data(condition, summary="My careful rewrite of the summary.")
    # Someone else saves first.
    other = Condition.objects.get(pk=condition.pk)
    other.summary = "The other editor's summary."
    other.save()

    client.force_login(editor)
    response = client.post(change_url(condition), stale_form)
    page = response.content.decode()
    assert response.status_code == 200
    assert STALE_MESSAGE.format(name="condition").split(",")[0] in page
    assert "My careful rewrite of the summary." in page
    condition.refresh_from_db()
    assert condition.summary == "The other editor's summary."
    assert condition.version == 2


def test_the_atomic_claim_refuses_a_save_that_raced_past_the_form_check(
    client, editor, monkeypatch
):
    """The form check can pass and the row still move on before the UPDATE; the UPDATE decides."""
    condition = draft_condition(summary="Original summary.")
    stale_form = condition_form_data(condition, summary="Racing edit.")
    Condition.objects.filter(pk=condition.pk).update(version=5, summary="Winner.")
    # Make the friendly check see the old version, as if the other save landed just after it.
    monkeypatch.setattr("editorial.forms.current_version", lambda instance: 1)

    client.force_login(editor)
    response = client.post(change_url(condition), stale_form)
    assert response.status_code == 200
    assert "Someone else saved this condition" in response.content.decode()
    assert "Racing edit." in response.content.decode()
    condition.refresh_from_db()
    assert (condition.summary, condition.version) == ("Winner.", 5)


# --- actions -----------------------------------------------------------------------------


def run_action(client, model, action, objects):
    return client.post(
        reverse(f"admin:conditions_{model._meta.model_name}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_submit_for_review_action(client, editor):
    draft = draft_condition()
    client.force_login(editor)
    run_action(client, Condition, "submit_for_review", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.history.first().history_change_reason == "Submitted for review"


def test_publish_action_checks_completeness(client, reviewer):
    complete = draft_condition()
    incomplete = factories.ConditionFactory(status=Status.DRAFT, summary="")
    client.force_login(reviewer)
    response = run_action(client, Condition, "publish", [complete, incomplete])
    page = response.content.decode()
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.status == Status.PUBLISHED
    assert incomplete.status == Status.DRAFT
    assert f"“{incomplete.name}” was not published." in page
    assert "Add a plain-language summary." in page


def test_publish_action_is_refused_to_editors(client, editor):
    draft = draft_condition()
    client.force_login(editor)
    run_action(client, Condition, "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_mark_reviewed_today(client, reviewer, settings):
    settings.REVIEW_INTERVAL_DAYS = 180
    mechanism = factories.MechanismFactory(status="draft")
    client.force_login(reviewer)
    run_action(client, Mechanism, "mark_reviewed_today", [mechanism])
    mechanism.refresh_from_db()
    today = timezone.localdate()
    assert mechanism.reviewed_on == today
    assert mechanism.next_review_due == today + datetime.timedelta(days=180)
    assert mechanism.reviewed_by.user == reviewer
    assert mechanism.version == 2


# --- preview and view on site ------------------------------------------------------------


def test_preview_shows_a_draft_with_the_public_template(client, editor):
    draft = draft_condition(name="Unpublished neuropathy")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(reverse("admin:conditions_condition_preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "conditions/condition_detail.html" in [t.name for t in response.templates]
    assert "Unpublished neuropathy" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_needs_a_permission_not_just_staff(client, roles):
    draft = draft_condition()
    client.force_login(staff_user("no-groups"))
    response = client.get(reverse("admin:conditions_condition_preview", args=[draft.pk]))
    assert response.status_code == 403


def test_preview_refuses_non_staff(client):
    draft = draft_condition()
    client.force_login(factories.UserFactory(username="visitor"))
    response = client.get(reverse("admin:conditions_condition_preview", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_view_on_site_only_for_published_items(client, reviewer):
    published = factories.ConditionFactory()
    draft = draft_condition()
    client.force_login(reviewer)
    assert client.get(change_url(published)).context["has_absolute_url"]
    assert not client.get(change_url(draft)).context["has_absolute_url"]
    assert "Preview" in client.get(change_url(draft)).content.decode()


def test_editor_cannot_unpublish(client, editor):
    published = factories.ConditionFactory(codes=[factories.ClinicalCodeFactory(code="G61.0")])
    client.force_login(editor)
    page = client.get(change_url(published)).content.decode()
    assert 'name="status"' not in page  # a live page changes status only through actions
    client.post(
        change_url(published),
        condition_form_data(published, status=Status.DRAFT, change_summary="Take it down"),
    )
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert client.get(published.get_absolute_url()).status_code == 200
    run_action(client, Condition, "archive", [published])
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_editor_cannot_publish_by_reverting_to_a_published_version(client, editor):
    condition = factories.ConditionFactory(codes=[factories.ClinicalCodeFactory(code="G61.0")])
    published_version = condition.history.first()
    Condition.objects.filter(pk=condition.pk).update(status=Status.DRAFT)
    condition.refresh_from_db()
    client.force_login(editor)
    url = reverse(
        "admin:conditions_condition_simple_history",
        args=[condition.pk, published_version.history_id],
    )
    response = client.post(url, condition_form_data(condition, status=Status.PUBLISHED))
    assert response.status_code == 200
    condition.refresh_from_db()
    assert condition.status == Status.DRAFT


def main_content(response):
    """The page's <main> element, without the per-response CSP nonces."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r' nonce="[^"]*"', "", main)


@pytest.mark.parametrize("model", [Condition, Mechanism])
def test_preview_of_a_published_item_matches_its_public_page(client, reviewer, model):
    if model is Condition:
        mechanism = factories.MechanismFactory()
        obj = factories.ConditionFactory()
        obj.symptoms.add(factories.SymptomFactory())
        obj.patterns.set(NeuropathyPattern.objects.all()[:2])
        obj.mechanism_links.create(mechanism=mechanism, evidence="strong")
        obj.aliases.create(name="XYZ", is_abbreviation=True)
    else:
        obj = factories.MechanismFactory()
        factories.ConditionFactory().mechanism_links.create(mechanism=obj, evidence="strong")
    public = client.get(obj.get_absolute_url())
    client.force_login(reviewer)
    name = model._meta.model_name
    preview = client.get(reverse(f"admin:conditions_{name}_preview", args=[obj.pk]))
    assert main_content(preview) == main_content(public)
