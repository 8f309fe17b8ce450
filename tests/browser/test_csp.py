"""The strict Content-Security-Policy breaks nothing: a real Chromium reports no violation.

Each page is loaded in Chromium with the site's real headers; a violation would show as a
`securitypolicyviolation` event and a console error. The admin and the API docs must also still
work (their scripts run), and no page may request anything from another origin.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conditions.models import Condition
from tests import factories
from tests.browser.public_content import load_real_content

PASSWORD = "correct horse battery staple"

# Recorded before any page script runs (an init script is not subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def watched_page(page, live_server):
    """The page, recording CSP violations, console errors and every request's origin."""
    problems = {"console": [], "failed": [], "origins": set()}
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: message.type == "error" and problems["console"].append(message.text),
    )
    page.on("pageerror", lambda error: problems["console"].append(str(error)))
    page.on("request", lambda request: problems["origins"].add(origin(request.url)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and problems["failed"].append(f"{response.status} {response.url}")
        ),
    )

    def visit(path):
        problems["console"].clear()
        problems["failed"].clear()
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        return problems

    return visit


def origin(url):
    parts = urlsplit(url)
    return parts.scheme if parts.scheme == "data" else f"{parts.scheme}://{parts.netloc}"


def assert_no_violations(page, problems, live_server):
    violations = page.evaluate("window.__cspViolations")
    assert violations == []
    assert [text for text in problems["console"] if "Content Security Policy" in text] == []
    assert problems["failed"] == []
    assert [text for text in problems["console"] if "Failed to load resource" not in text] == []
    assert problems["origins"] <= {live_server.url, "data"}


@pytest.fixture
def published_condition():
    load_real_content()
    return Condition.objects.published().order_by("name").first()


def test_public_pages_run_under_the_csp(page, watched_page, live_server, published_condition):
    for path in (
        reverse("conditions:home"),
        reverse("conditions:condition-list"),
        published_condition.get_absolute_url(),
        reverse("conditions:search") + "?q=nerve",
        reverse("conditions:treatment-list"),
        reverse("conditions:compare"),
        reverse("conditions:condition-pack", args=[published_condition.slug]),
    ):
        problems = watched_page(path)
        assert_no_violations(page, problems, live_server)


def test_api_docs_work_under_the_csp(page, watched_page, live_server, published_condition):
    problems = watched_page(reverse("api:docs"))
    # Swagger UI's scripts ran: it fetched the schema and drew the operations.
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert_no_violations(page, problems, live_server)


def test_admin_works_under_the_csp(page, watched_page, live_server, published_condition):
    factories.UserFactory(username="root", is_staff=True, is_superuser=True, password=PASSWORD)

    problems = watched_page(reverse("admin:login"))
    assert_no_violations(page, problems, live_server)

    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    for path in (
        reverse("admin:index"),
        reverse("admin:conditions_condition_changelist"),
        reverse("admin:conditions_condition_change", args=[published_condition.pk]),
    ):
        problems = watched_page(path)
        assert_no_violations(page, problems, live_server)
    # The change form's scripts ran: the inline script drew its "Add another" link.
    expect(page.get_by_role("link", name=re.compile(r"^Add another"))).not_to_have_count(0)
