"""An editor writes and submits a condition; a medical reviewer publishes it; the public sees it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from playwright.sync_api import expect

from conditions.models import CONDITION_SECTIONS, Condition, Status
from tests import factories

PASSWORD = "correct horse battery staple"
CHANGELIST = reverse_lazy("admin:conditions_condition_changelist")


@pytest.fixture
def people(transactional_db):
    call_command("setup_roles", verbosity=0)
    editor = factories.UserFactory(username="eddie", is_staff=True, password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = factories.UserFactory(username="rita", is_staff=True, password=PASSWORD)
    reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
    factories.ClinicalCodeFactory(code="G61.0", display="Guillain-Barre syndrome")
    factories.ReferenceFactory(title="Guillain-Barré syndrome fact sheet")
    return editor, reviewer


def log_in(page, base_url, username):
    page.goto(f"{base_url}{reverse('admin:login')}?next={CHANGELIST}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Select condition to change")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("Thanks for spending some quality time")).to_be_visible()


def choose_autocomplete(page, field, search, option_text):
    """Pick an option in one of the admin's autocomplete (select2) boxes."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").last.fill(search)
    page.locator(".select2-results__option", has_text=option_text).click()


def run_action(page, condition_name, action_label):
    row = page.get_by_role("row").filter(has_text=condition_name)
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label=action_label)
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()


def test_editor_drafts_and_submits_reviewer_publishes(page, live_server, people, screenshot):
    base = live_server.url

    # The editor writes a draft.
    log_in(page, base, "eddie")
    page.goto(f"{base}{reverse('admin:conditions_condition_add')}")
    page.get_by_label("Name:").fill("Guillain-Barré syndrome")
    page.get_by_label("Summary:").fill(
        "Your immune system attacks the nerves. Weakness spreads fast. It is an emergency."
    )
    for field, heading in CONDITION_SECTIONS:
        page.locator(f"#id_{field}").fill(f"Plain words about {heading.lower()}.")
    choose_autocomplete(page, "codes", "G61", "G61.0")
    choose_autocomplete(page, "references", "Guillain", "fact sheet")
    expect(page.locator("#id_slug")).to_have_value(re.compile("guillain-barr"))
    page.locator("#id_slug").fill("guillain-barre-syndrome")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    condition = Condition.objects.get(slug="guillain-barre-syndrome")
    assert condition.status == Status.DRAFT

    # An editor may not publish: the status choice is refused with the reason.
    page.goto(f"{base}{reverse('admin:conditions_condition_change', args=[condition.pk])}")
    page.get_by_label("Status:").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Only medical reviewers")
    screenshot("editorial-journey-editor-may-not-publish")

    # ...so they submit it for review.
    page.goto(f"{base}{CHANGELIST}")
    run_action(page, "Guillain-Barré syndrome", "Submit for review")
    expect(page.locator(".messagelist")).to_contain_text("1 submitted for review")
    log_out(page)

    # The reviewer sees it waiting on the dashboard, reviews and publishes it.
    log_in(page, base, "rita")
    page.goto(f"{base}{reverse('admin:index')}")
    expect(page.locator("#review-waiting")).to_contain_text("Guillain-Barré syndrome")
    page.goto(f"{base}{CHANGELIST}")
    run_action(page, "Guillain-Barré syndrome", "Mark reviewed today")
    expect(page.locator(".messagelist")).to_contain_text("marked reviewed today")
    run_action(page, "Guillain-Barré syndrome", "Publish")
    expect(page.locator(".messagelist")).to_contain_text("1 published")
    screenshot("editorial-journey-published")

    # The public page is there.
    page.goto(f"{base}{condition.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guillain-Barré syndrome")
    condition.refresh_from_db()
    assert condition.status == Status.PUBLISHED
