"""Hardened configuration: security headers, a strict CSP, login lockout, a movable admin."""

import importlib
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import clear_url_caches, reverse

from conditions.models import Status
from ops.proxies import client_ip
from tests.factories import ConditionFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


class InlineCodeFinder(HTMLParser):
    """Collects inline <script>/<style> elements and attributes a strict CSP would block."""

    def __init__(self):
        super().__init__()
        self.inline_elements = []  # (tag, nonce or None)
        self.blocked_attributes = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "script" and "src" not in attrs) or tag == "style":
            self.inline_elements.append((tag, attrs.get("nonce")))
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.blocked_attributes.append(f"<{tag} {name}=...>")
            if name in {"href", "src"} and (value or "").lower().startswith("javascript:"):
                self.blocked_attributes.append(f"<{tag} {name}=javascript:...>")


def assert_page_obeys_its_csp(response):
    """Every inline script or style carries the nonce the header allows; nothing else is inline."""
    directives = csp_directives(response)
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    assert finder.blocked_attributes == []
    for tag, nonce in finder.inline_elements:
        assert nonce, f"inline <{tag}> without a nonce"
        assert f"'nonce-{nonce}'" in directives[f"{tag}-src"]


@pytest.mark.django_db
def test_every_page_gets_the_security_headers(client):
    response = client.get(reverse("conditions:home"))

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_csp_is_strict_self_only_with_nonces(client):
    directives = csp_directives(client.get(reverse("conditions:home")))

    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    every_source = [value for values in directives.values() for value in values]
    assert "'unsafe-inline'" not in every_source
    assert "'unsafe-eval'" not in every_source
    assert "*" not in every_source
    # No third-party origin may be named anywhere in the policy.
    assert [value for value in every_source if re.match(r"^(https?:|//|\*\.)", value)] == []


@pytest.mark.django_db
def test_nonce_is_fresh_for_every_response(client):
    first = client.get(reverse("admin:login"))
    second = client.get(reverse("admin:login"))
    first_nonces = [v for v in csp_directives(first)["script-src"] if v.startswith("'nonce-")]
    second_nonces = [v for v in csp_directives(second)["script-src"] if v.startswith("'nonce-")]

    assert len(first_nonces) == 1
    assert first_nonces != second_nonces


@pytest.mark.django_db
def test_public_pages_and_admin_login_obey_the_csp(client, content):
    pages = [
        reverse("conditions:home"),
        reverse("conditions:condition-list"),
        reverse("admin:login"),
        reverse("api:docs"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_obeys_its_csp(response)


@pytest.mark.django_db
def test_admin_pages_obey_the_csp_for_a_signed_in_editor(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (reverse("admin:index"), reverse("admin:conditions_condition_add")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_obeys_its_csp(response)


@pytest.mark.django_db
def test_preview_access_is_checked_on_every_request(client):
    call_command("setup_roles", verbosity=0)
    editor = UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    draft = ConditionFactory(status=Status.DRAFT, name="Unpublished neuropathy")
    preview = reverse("admin:conditions_condition_preview", args=[draft.pk])
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(editor)
    allowed = client.get(preview)
    assert allowed.status_code == 200
    assert "Unpublished neuropathy" in allowed.content.decode()
    assert {"private", "no-store"} <= set(allowed["Cache-Control"].split(", "))

    # Access is taken away mid-session: the very next request is refused, same session.
    editor.groups.clear()
    assert client.get(preview).status_code == 403
    editor.is_staff = False
    editor.save()
    refused = client.get(preview)
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("admin:login"))
    assert "Unpublished neuropathy" not in refused.content.decode()


@pytest.fixture
def admin_login(client):
    def attempt(username, password, address="203.0.113.7"):
        return client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR=address,
        )

    return attempt


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_password_guessing_locks_out_that_username_from_that_address(client, admin_login):
    editor = UserFactory(username="editor", is_staff=True)

    for _ in range(2):
        assert admin_login("editor", "wrong guess").status_code == 200  # the form again
    locked = admin_login("editor", "third wrong guess")
    assert locked.status_code == 429

    # Even the right password is refused while locked out, and no session is created.
    assert admin_login("editor", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    # The same editor, from another address, can still sign in: no one can lock them out.
    signed_in = admin_login("editor", PASSWORD, address="198.51.100.20")
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_successful_login_resets_the_failure_count(admin_login):
    UserFactory(username="editor", is_staff=True)

    for _ in range(2):
        admin_login("editor", "wrong guess")
    assert admin_login("editor", PASSWORD).status_code == 302
    for _ in range(2):
        assert admin_login("editor", "wrong again").status_code == 200


@pytest.fixture
def admin_moved_to():
    """Re-import the URLconf with a different ADMIN_URL, restoring the original afterwards."""
    import portal.urls

    def move(path):
        with override_settings(ADMIN_URL=path):
            importlib.reload(portal.urls)
        clear_url_caches()

    yield move
    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_admin_path_comes_from_the_setting(client, admin_moved_to):
    admin_moved_to("editors-7f3a/")

    assert reverse("admin:login") == "/editors-7f3a/login/"
    assert client.get("/editors-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_client_ip_ignores_forwarded_for_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_takes_the_address_the_trusted_proxy_saw():
    # A client can put anything on the left; the proxy appends the address it really saw.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"


NOT_FOR_PRODUCTION = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={
            # Not the test run's own settings, nor the browser tests' async escape hatch.
            **{k: v for k, v in os.environ.items() if k not in NOT_FOR_PRODUCTION},
            "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_deploy_check_reports_nothing_under_production_settings(tmp_path):
    # A migrated database of its own, as a deployment has: drf-spectacular's deploy check
    # builds the API schema, which reads the filters' choices from the database.
    production_like = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    }
    migrated = run_manage("migrate", "--no-input", "--verbosity", "0", **production_like)
    assert migrated.returncode == 0, migrated.stderr

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_like)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_settings_force_https():
    # Read the settings module in a clean interpreter: this one runs the test settings.
    code = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "portal.example.org",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


# Absolute URLs come from SITE_ORIGIN, never from the Host header (any port is let through).


ORIGIN = "https://portal.example.org"
PAGE = "/conditions/systemic-lupus-erythematosus/"


@pytest.mark.parametrize("host", ["testserver:8123", "localhost:1", "127.0.0.1:65535"])
def test_absolute_urls_name_the_configured_origin_whatever_the_host(
    client, content, host, settings
):
    settings.SITE_ORIGIN = ORIGIN
    headers = {"host": host}
    bare_host = host.split(":")[0]

    page = client.get(PAGE, headers=headers).content.decode()
    assert f'<link rel="canonical" href="{ORIGIN}{PAGE}">' in page
    assert f'"url":"{ORIGIN}{PAGE}"' in (page.replace(" ", ""))

    api = client.get("/api/v1" + PAGE, headers=headers).json()
    assert api["url"] == ORIGIN + PAGE

    sitemap = client.get("/sitemap.xml", headers=headers).content.decode()
    assert f"<loc>{ORIGIN}{PAGE}</loc>" in sitemap

    robots = client.get("/robots.txt", headers=headers).content.decode()
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in robots

    for body in (page, str(api), sitemap, robots):
        assert host not in body
        assert f"//{bare_host}" not in body
