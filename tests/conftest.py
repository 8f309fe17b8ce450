import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The real content from fixtures/, loaded into the test database."""
    call_command("load_content", verbosity=0)
