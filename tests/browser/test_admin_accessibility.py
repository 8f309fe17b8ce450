"""axe-core on the admin pages editors and reviewers use: no violation of any impact."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from conditions.models import Condition
from editorial.models import Proposal
from tests import factories
from tests.browser.public_content import load_real_content

PASSWORD = "correct horse battery staple"


@pytest.fixture
def reviewer_session(page, transactional_db, live_server):
    load_real_content()
    call_command("setup_roles", verbosity=0)
    user = factories.UserFactory(username="rita", is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    factories.ReviewerFactory(user=user)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def admin_pages():
    live = Condition.objects.get(slug="guillain-barre-syndrome")
    draft = factories.ConditionFactory(status="draft", slug="a-draft", name="A draft")
    Proposal.objects.create(
        item=live, base_version=live.version, data=_snapshot(live), summary="No change yet"
    )
    record = live.history.first()
    return {
        "dashboard": reverse("admin:index"),
        "conditions": reverse("admin:conditions_condition_changelist"),
        "condition-live": reverse("admin:conditions_condition_change", args=[live.pk]),
        "condition-draft": reverse("admin:conditions_condition_change", args=[draft.pk]),
        "condition-add": reverse("admin:conditions_condition_add"),
        "proposal": reverse("admin:conditions_condition_proposal", args=[live.pk]),
        "history": reverse("admin:conditions_condition_history", args=[live.pk]),
        "diff": reverse("admin:conditions_condition_diff", args=[live.pk, record.history_id]),
        "symptom": reverse("admin:conditions_symptom_change", args=[live.symptoms.first().pk]),
        "reference": reverse(
            "admin:conditions_reference_change", args=[live.references.first().pk]
        ),
        "mechanism": reverse(
            "admin:conditions_mechanism_change", args=[live.mechanisms.first().pk]
        ),
    }


def _snapshot(item):
    from editorial.snapshots import snapshot

    return snapshot(item)


def test_the_editors_admin_pages_pass_axe(reviewer_session, live_server, screenshot):
    page = reviewer_session
    axe = Axe()
    problems = {}
    for name, path in admin_pages().items():
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            found = [
                f"{violation['id']} ({violation['impact']}): {violation['help']} "
                f"{[node['target'] for node in violation['nodes']][:4]}"
                for violation in axe.run(page).response["violations"]
            ]
            if found:
                problems[f"{name}@{width}"] = found
            screenshot(f"admin-{name}-{width}")
    assert problems == {}
