"""What `make run` does on a fresh clone: migrate a new SQLite file, load the content, and serve
the site as visitors see it; and the settings' environment variables, all listed in .env.example."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def dev_env(tmp_path_factory):
    """The dev settings (what `make run` serves) on a freshly migrated SQLite file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('dev') / 'fresh.sqlite3'}",
    }
    migrated = manage("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_migrate_and_load_content_on_a_fresh_sqlite_file(dev_env):
    env = dev_env
    loaded = manage("load_content", "--if-empty", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "Installed" in loaded.stdout
    again = manage("load_content", "--if-empty", env=env)
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout
    count = manage(
        "shell",
        "-c",
        "from conditions.models import Condition; print(Condition.objects.published().count())",
        env=env,
    )
    assert int(count.stdout.strip().splitlines()[-1]) >= 6


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-test-only-0123456789",
        "ALLOWED_HOSTS": "portal.example.org",
    }
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


# Through the whole stack as runserver does, WhiteNoise included (a visitor's host, not the test
# client's "testserver", which the dev settings do not allow).
VISIT = """
from django.test import Client
client = Client(HTTP_HOST="localhost")
page = client.get("/conditions/no-such-page/")
stylesheet = client.get("/static/css/site.css")
print(page.status_code, stylesheet.status_code)
print(page.content.decode())
"""


@pytest.mark.parametrize("debug", ["false", "true"])
def test_make_run_shows_the_designed_404_page_unless_debug_is_on(dev_env, debug):
    result = manage("shell", "--no-imports", "-c", VISIT, env={**dev_env, "DEBUG": debug})
    assert result.returncode == 0, result.stderr
    statuses, body = result.stdout.split("\n", 1)
    assert statuses == "404 200"  # static files are served with debug off too
    designed = 'id="not-found-search"' in body
    django_debug_page = "DEBUG = True" in body
    assert (designed, django_debug_page) == ((True, False) if debug == "false" else (False, True))


def test_env_example_lists_every_variable_the_settings_read():
    settings = "".join(path.read_text() for path in (ROOT / "portal" / "settings").glob("*.py"))
    read = set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', settings))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    assert read  # the pattern still finds what the settings read
    assert listed == read
