"""Plain-language scores, the review dashboard, history diff and revert, and a fast changelist."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conditions.models import Condition, Mechanism, Status
from editorial.readability import SUMMARY_MAX_GRADE, score
from tests import factories
from tests.test_admin_editorial import change_url, condition_form_data

pytestmark = pytest.mark.django_db

EASY = "The immune system can hurt your nerves. This can make your feet numb."
HARD = (
    "Immunologically mediated polyneuropathies characteristically demonstrate "
    "heterogeneous electrophysiological abnormalities, necessitating comprehensive "
    "neurophysiological investigation alongside immunotherapeutic considerations."
)


@pytest.fixture
def reviewer(db):
    call_command("setup_roles", verbosity=0)
    user = factories.UserFactory(username="rita-reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    return user


def changelist(client, model=Condition, **params):
    return client.get(reverse(f"admin:conditions_{model._meta.model_name}_changelist"), params)


# --- plain language ----------------------------------------------------------------------


def test_the_example_texts_sit_either_side_of_the_limit():
    assert score(EASY).grade <= SUMMARY_MAX_GRADE < score(HARD).grade


def test_changelist_shows_the_reading_grade_and_warns(client, reviewer):
    factories.ConditionFactory(name="Easy one", summary=EASY)
    factories.ConditionFactory(name="Hard one", summary=HARD)
    client.force_login(reviewer)
    page = changelist(client).content.decode()
    assert "Reading grade" in page
    assert f"{score(HARD).grade:g}" in page
    assert page.count("hard to read: Summary") == 1


def test_hard_to_read_filter(client, reviewer):
    factories.ConditionFactory(name="Easy one", summary=EASY)
    factories.ConditionFactory(name="Hard section", summary=EASY, treatment=HARD)
    client.force_login(reviewer)
    hard = changelist(client, readability="hard").context["cl"].result_list
    fine = changelist(client, readability="ok").context["cl"].result_list
    assert [c.name for c in hard] == ["Hard section"]
    assert [c.name for c in fine] == ["Easy one"]


def test_change_page_shows_scores_and_a_warning(client, reviewer):
    condition = factories.ConditionFactory(summary=HARD)
    client.force_login(reviewer)
    page = client.get(change_url(condition)).content.decode()
    assert "Flesch-Kincaid grade" in page
    assert f"⚠ Above grade {SUMMARY_MAX_GRADE}" in page
    assert f"<td>{score(HARD).reading_ease:g}</td>" in page


def test_saving_hard_text_warns(client, reviewer):
    condition = factories.ConditionFactory(status=Status.DRAFT)
    client.force_login(reviewer)
    response = client.post(
        change_url(condition), condition_form_data(condition, summary=HARD), follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Hard to read: Summary (grade") for message in messages)


# --- review cycle ------------------------------------------------------------------------


def test_dashboard_lists_overdue_due_soon_and_waiting(client, reviewer):
    today = timezone.localdate()
    factories.ConditionFactory(
        name="Overdue condition",
        reviewed_on=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=5),
    )
    factories.MechanismFactory(
        name="Due-soon mechanism",
        reviewed_on=today - datetime.timedelta(days=300),
        next_review_due=today + datetime.timedelta(days=10),
    )
    factories.ConditionFactory(name="Waiting condition", status=Status.IN_REVIEW)
    factories.ConditionFactory(name="Fine condition")
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    sections = {
        key: page.split(f'id="{key}"')[1].split("</ul>")[0]
        for key in ("review-overdue", "review-due-soon", "review-waiting")
    }
    assert "Overdue condition" in sections["review-overdue"]
    assert "Due-soon mechanism" in sections["review-due-soon"]
    assert "Waiting condition" in sections["review-waiting"]
    assert "Fine condition" not in page


def test_overdue_filter(client, reviewer):
    today = timezone.localdate()
    factories.ConditionFactory(
        name="Overdue",
        reviewed_on=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=1),
    )
    factories.ConditionFactory(name="Current")
    client.force_login(reviewer)
    result = changelist(client, review="overdue").context["cl"].result_list
    assert [c.name for c in result] == ["Overdue"]


# --- history: diff and revert ------------------------------------------------------------


def coded_condition(**kwargs):
    """A draft condition complete enough to publish (a live one is edited by proposal)."""
    kwargs.setdefault("status", Status.DRAFT)
    return factories.ConditionFactory(codes=[factories.ClinicalCodeFactory(code="G61.0")], **kwargs)


def edit_summary(client, condition, summary):
    condition.refresh_from_db()
    response = client.post(change_url(condition), condition_form_data(condition, summary=summary))
    assert response.status_code == 302
    condition.refresh_from_db()


def test_history_diff_shows_the_words_that_changed(client, reviewer):
    condition = coded_condition(summary="Nerves can be hurt slowly.")
    client.force_login(reviewer)
    edit_summary(client, condition, "Nerves can be hurt quickly.")
    latest = condition.history.filter(summary="Nerves can be hurt quickly.").first()
    history_page = client.get(
        reverse("admin:conditions_condition_history", args=[condition.pk])
    ).content.decode()
    diff_url = reverse("admin:conditions_condition_diff", args=[condition.pk, latest.history_id])
    assert diff_url in history_page
    page = client.get(diff_url).content.decode()
    assert "<del>slowly.</del><ins>quickly.</ins>" in page
    assert "rita-reviewer" in page


def test_diff_rejects_a_bad_version_number(client, reviewer):
    condition = factories.ConditionFactory()
    record = condition.history.first()
    client.force_login(reviewer)
    url = reverse("admin:conditions_condition_diff", args=[condition.pk, record.history_id])
    response = client.get(url, {"against": "abc"})
    assert response.status_code == 400
    assert "against" in response.content.decode()


def test_one_click_revert_brings_back_text_and_links(client, reviewer):
    first_reference = factories.ReferenceFactory()
    condition = coded_condition(summary="The first summary.", references=[first_reference])
    original = condition.history.order_by("history_date").last()  # after the links were added
    client.force_login(reviewer)
    second_reference = factories.ReferenceFactory()
    edit_summary(client, condition, "A worse summary.")
    condition.references.set([second_reference])

    response = client.post(
        reverse("admin:conditions_condition_revert", args=[condition.pk, original.history_id])
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.summary == "The first summary."
    assert list(condition.references.all()) == [first_reference]
    assert condition.status == Status.DRAFT
    assert condition.history.first().history_user == reviewer


def test_revert_needs_post_and_change_permission(client, reviewer):
    condition = factories.ConditionFactory()
    record = condition.history.first()
    url = reverse("admin:conditions_condition_revert", args=[condition.pk, record.history_id])
    client.force_login(reviewer)
    assert client.get(url).status_code == 405
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    client.force_login(viewer)
    assert client.post(url).status_code == 403


def test_simple_history_revert_form_saves_despite_locking(client, reviewer):
    """The history library's own revert form is an edit based on today's version."""
    condition = coded_condition(summary="Old words.")
    old = condition.history.first()
    client.force_login(reviewer)
    edit_summary(client, condition, "New words.")
    url = reverse("admin:conditions_condition_simple_history", args=[condition.pk, old.history_id])
    form = client.get(url).context["adminform"].form
    assert form["loaded_version"].value() == condition.version
    data = condition_form_data(condition, summary="Old words.")
    response = client.post(url, data)
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.summary == "Old words."


# --- speed -------------------------------------------------------------------------------


def bulk_conditions(count, start=0):
    code = factories.ClinicalCodeFactory(code="G61.0")
    today = timezone.localdate()
    conditions = Condition.objects.bulk_create(
        Condition(
            name=f"Bulk {start + n}",
            slug=f"bulk-{start + n}",
            summary=EASY if n % 2 else HARD,
            treatment=EASY,
            status=Status.PUBLISHED,
            reviewed_on=today,
            next_review_due=today + datetime.timedelta(days=300),
        )
        for n in range(count)
    )
    Condition.codes.through.objects.bulk_create(
        Condition.codes.through(condition_id=c.pk, clinicalcode_id=code.pk) for c in conditions
    )


def count_queries(client, model=Condition, **params):
    with CaptureQueriesContext(connection) as queries:
        assert changelist(client, model, **params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"readability": "hard"}, {"review": "overdue"}])
def test_changelist_queries_do_not_grow_with_rows(client, reviewer, params):
    bulk_conditions(5)
    client.force_login(reviewer)
    few = count_queries(client, **params)
    bulk_conditions(995, start=5)
    many = count_queries(client, **params)
    assert many == few


def test_mechanism_changelist_queries_do_not_grow_with_rows(client, reviewer):
    factories.MechanismFactory.create_batch(3)
    client.force_login(reviewer)
    few = count_queries(client, model=Mechanism)
    factories.MechanismFactory.create_batch(30)
    assert count_queries(client, model=Mechanism) == few
