"""What `make run` does on a fresh clone: migrate a new SQLite file, then load the content."""

import os
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


def test_migrate_and_load_content_on_a_fresh_sqlite_file(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    migrated = manage("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stderr
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
