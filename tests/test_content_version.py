"""The content version moves forward exactly once per committed change, never before commit.

These tests commit for real (transactional_db): the version is what other servers see.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from conditions.models import Alias, Condition
from sitecache.version import content_version
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    MechanismFactory,
    SymptomFactory,
)
from tests.test_admin_editorial import condition_form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def condition():
    return ConditionFactory(name="Lupus", slug="lupus", codes=[ClinicalCodeFactory()])


def bumps_during(action):
    before = content_version()
    action()
    return content_version() - before


def test_a_plain_save_bumps_once(condition):
    condition.summary = "Changed."
    assert bumps_during(condition.save) == 1


def test_setting_a_many_to_many_bumps_once(condition):
    symptoms = [SymptomFactory(), SymptomFactory()]
    assert bumps_during(lambda: condition.symptoms.set(symptoms)) == 1


def test_many_changes_in_one_transaction_bump_once_and_only_on_commit(condition):
    seen_inside = []

    def edit_everything():
        with transaction.atomic():
            version = content_version()
            condition.summary = "Changed."
            condition.save()
            Alias.objects.create(condition=condition, name="SLE")
            condition.symptoms.set([SymptomFactory()])
            Condition.objects.filter(pk=condition.pk).update(overview="Also changed.")
            seen_inside.append(content_version() - version)

    assert bumps_during(edit_everything) == 1
    assert seen_inside == [0]


def save_then_fail(obj):
    with transaction.atomic():
        obj.save()
        raise RuntimeError("rolled back")


def test_a_rolled_back_change_bumps_nothing(condition):
    def edit_then_fail():
        condition.summary = "Never committed."
        with pytest.raises(RuntimeError):
            save_then_fail(condition)

    assert bumps_during(edit_then_fail) == 0
    # ... and the next committed change still bumps.
    assert bumps_during(condition.save) == 1


def test_a_rolled_back_savepoint_leaves_the_rest_of_the_transaction_bumping(condition):
    def edit_with_a_failed_part():
        with transaction.atomic():
            with pytest.raises(RuntimeError):
                save_then_fail(Alias(condition=condition, name="Dropped"))
            condition.summary = "Kept."
            condition.save()

    assert bumps_during(edit_with_a_failed_part) == 1


def test_an_admin_save_with_inlines_bumps_once(client, condition):
    Condition.objects.filter(pk=condition.pk).update(status="draft")
    condition.refresh_from_db()
    mechanism = MechanismFactory()
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    data = condition_form_data(condition, summary="Edited in the admin.")
    data |= {
        "aliases-TOTAL_FORMS": "1",
        "aliases-0-name": "SLE",
        "aliases-0-is_abbreviation": "on",
        "mechanism_links-TOTAL_FORMS": "1",
        "mechanism_links-0-mechanism": mechanism.pk,
        "mechanism_links-0-role": "primary",
        "mechanism_links-0-evidence": "strong",
    }
    url = reverse("admin:conditions_condition_change", args=[condition.pk])

    def save():
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    assert bumps_during(save) == 1
    assert condition.aliases.get().name == "SLE"


def test_a_proposed_change_to_a_live_page_bumps_nothing(client, condition):
    """Nothing public changed, so no cached page is thrown away."""
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    data = condition_form_data(condition, summary="Proposed words.", change_summary="Wording")
    data.pop("status")
    url = reverse("admin:conditions_condition_change", args=[condition.pk])

    def propose():
        assert client.post(url, data).status_code == 302

    assert bumps_during(propose) == 0
