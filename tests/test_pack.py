"""The appointment pack page: what it holds, its no-sending policy (on cache hits too)."""

import pytest

from conditions.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def condition(db):
    return factories.ConditionFactory(
        name="CIDP",
        slug="cidp",
        questions_for_doctor="- Do I need immunoglobulin?\n- Will it come back?",
        help_emergency="- Trouble breathing or swallowing",
    )


def test_the_pack_has_the_questions_the_timeline_and_the_help_levels(client, condition):
    response = client.get("/conditions/cidp/pack/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="question-1">Do I need immunoglobulin?</label>' in page
    assert "Will it come back?" in page
    assert "What do you think is causing my symptoms?" in page
    assert "When did it start" in page
    assert "How did it spread or change" in page
    assert "What makes it worse" in page
    assert "Trouble breathing or swallowing" in page
    assert "never sent to us" in page
    assert "Symptom diary worksheet" in page
    assert '<script src="/static/js/diary.js" defer></script>' in page


def test_the_pack_may_send_nothing_even_from_the_cache(client, condition):
    first = client.get("/conditions/cidp/pack/")
    again = client.get("/conditions/cidp/pack/")
    for response in (first, again):
        policy = response.headers["Content-Security-Policy"]
        assert "connect-src 'none'" in policy
        assert "form-action 'none'" in policy
        assert "nonce" not in policy
        assert "Set-Cookie" not in response.headers


def test_only_published_conditions_have_a_pack(client):
    factories.ConditionFactory(slug="draft", status=Status.DRAFT)
    assert client.get("/conditions/draft/pack/").status_code == 404
    assert client.get("/conditions/nothing/pack/").status_code == 404


def test_the_condition_page_links_to_its_pack(client, condition):
    page = client.get("/conditions/cidp/").content.decode()
    assert 'href="/conditions/cidp/pack/"' in page
