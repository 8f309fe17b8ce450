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
    factories.ReviewerFactory(user=reviewer, name="Dr Rita Example", credentials="neurologist")
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
    page.locator("#id_name").fill("Guillain-Barré syndrome")
    page.get_by_label("Summary:").fill(
        "Your immune system attacks the nerves. Weakness spreads fast. It is an emergency."
    )
    for field, heading in CONDITION_SECTIONS:
        page.locator(f"#id_{field}").fill(f"Plain words about {heading.lower()}.")
    page.locator(".field-codes").get_by_label("G61.0", exact=False).check()
    page.locator(".field-references").get_by_label("fact sheet", exact=False).check()
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
    run_action(page, "Guillain-Barré syndrome", "Publish")
    expect(page.locator(".messagelist")).to_contain_text("1 published")
    screenshot("editorial-journey-published")

    # The public page is there.
    page.goto(f"{base}{condition.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guillain-Barré syndrome")
    expect(page.get_by_text("Medically reviewed by Dr Rita Example, neurologist")).to_be_visible()
    condition.refresh_from_db()
    assert condition.status == Status.PUBLISHED


def test_a_change_to_a_live_page_goes_live_when_a_reviewer_approves(
    page, live_server, people, screenshot
):
    base = live_server.url
    condition = factories.ConditionFactory(
        name="Lupus",
        slug="lupus",
        summary="The approved summary.",
        codes=[factories.ClinicalCodeFactory(code="M32.10")],
    )
    change = f"{base}{reverse('admin:conditions_condition_change', args=[condition.pk])}"

    # The editor changes the live page: it becomes a proposal, and the page stays as it was.
    log_in(page, base, "eddie")
    page.goto(change)
    expect(page.get_by_text("This page is live")).to_be_visible()
    page.get_by_label("Summary:").fill("The new summary is short and clear.")
    page.get_by_label("What changed (one line):").fill("A plainer summary")
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.locator(".messagelist")).to_contain_text("sent to a medical reviewer")
    screenshot("editorial-journey-proposal")
    # A visitor with a browser of their own (no shared HTTP cache with later visits).
    visitor = page.context.browser.new_context().new_page()
    visitor.goto(f"{base}/conditions/lupus/")
    expect(visitor.get_by_text("The approved summary.")).to_be_visible()
    log_out(page)

    # The reviewer finds it waiting, reads the change in words and approves it.
    log_in(page, base, "rita")
    page.goto(f"{base}{reverse('admin:index')}")
    page.locator("#review-proposals").get_by_role("link").click()
    expect(page.get_by_role("rowheader", name="Summary")).to_be_visible()
    expect(page.locator("td ins").first).to_contain_text("new")
    screenshot("editorial-journey-review-the-change")
    page.get_by_role("button", name="Approve: make it live").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved: the change is live")

    # The public page has the new text, reviewed by name, for the next visitor.
    visitor.close()
    visitor = page.context.browser.new_context().new_page()
    visitor.goto(f"{base}/conditions/lupus/")
    expect(visitor.get_by_text("The new summary is short and clear.")).to_be_visible()
    expect(
        visitor.get_by_text("Medically reviewed by Dr Rita Example, neurologist")
    ).to_be_visible()
    visitor.close()
