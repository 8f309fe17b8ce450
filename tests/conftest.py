import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's pages must not outlive it.

    (Rolling back a test's transaction sends no signal, so the content version would not move.)
    """
    cache.clear()


@pytest.fixture
def content(db):
    """The real content from fixtures/, loaded into the test database."""
    call_command("load_content", verbosity=0)
