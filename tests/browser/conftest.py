"""Playwright against Debian's Chromium, driving the live test server.

Never `playwright install`: it downloads a browser, which this network does not allow.
"""

import os
import shutil
from pathlib import Path

import pytest

# The `page` fixture runs an event loop; Django's ORM must still be usable in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def find_chromium():
    return next((path for path in CHROMIUM_CANDIDATES if shutil.which(path)), None)


BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if BROWSER_TESTS in Path(item.path).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if not browser_items or find_chromium():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER is set but Chromium is not installed.")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": find_chromium(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
