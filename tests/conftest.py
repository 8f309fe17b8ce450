import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's pages must not outlive it.

    (Rolling back a test's transaction sends no signal, so the content version would not move.)
    """
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in English: a request to /es/ leaves Spanish active on its thread
    (every real request sets its own language, so only code outside requests would see it)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def content(db):
    """The real content from fixtures/, loaded into the test database."""
    call_command("load_content", verbosity=0)
