"""Every public page and API endpoint runs as many queries at 1,000 conditions as at 10.

The content is made by generate_content (bulk inserts, realistic relations). The page cache is
off so every request is really rendered; each URL is requested once first, so the search index
(built once per content version) is not counted.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import ClinicalCode, Condition, Mechanism, Symptom

# The most queries each page may run, at any amount of content.
BUDGETS = {
    "home": 4,
    "condition list": 6,
    "condition list, filtered": 12,
    "condition list, search": 8,
    "condition": 10,
    "mechanisms": 1,
    "mechanism": 4,  # its public history included, as on every page
    "symptoms": 1,
    "symptom": 3,
    "a-z": 6,
    "search page": 8,
    "sitemap": 8,  # the glossary sitemap: a count and its page
    "API conditions": 9,
    "API condition": 10,
    "API mechanisms": 3,
    "API mechanism": 4,
    "API symptoms": 2,
    "API symptom": 3,
    "API lookup": 10,
}


def urls():
    condition = Condition.objects.published().order_by("pk").first()
    mechanism = Mechanism.objects.published().order_by("pk").first()
    symptom = Symptom.objects.order_by("pk").first()
    code = ClinicalCode.objects.filter(conditions=condition).first()
    return {
        "home": "/",
        "condition list": "/conditions/",
        "condition list, filtered": (
            f"/conditions/?mechanism={mechanism.slug}&symptom={symptom.slug}"
            "&onset=chronic&fibre=sensory&page=1"
        ),
        "condition list, search": "/conditions/?q=nerve+damage",
        "condition": condition.get_absolute_url(),
        "mechanisms": "/mechanisms/",
        "mechanism": mechanism.get_absolute_url(),
        "symptoms": "/symptoms/",
        "symptom": symptom.get_absolute_url(),
        "a-z": "/a-z/",
        "search page": "/search/?q=immune+nerve",
        "sitemap": "/sitemap.xml",
        "API conditions": "/api/v1/conditions/?onset=chronic",
        "API condition": f"/api/v1/conditions/{condition.slug}/",
        "API mechanisms": "/api/v1/mechanisms/",
        "API mechanism": f"/api/v1/mechanisms/{mechanism.slug}/",
        "API symptoms": "/api/v1/symptoms/",
        "API symptom": f"/api/v1/symptoms/{symptom.slug}/",
        "API lookup": f"/api/v1/lookup/?system={code.system}&code={code.code}",
    }


def query_counts(client):
    counts = {}
    for name, url in urls().items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_query_counts_are_the_same_at_10_and_1000_conditions(client, settings):
    settings.PAGE_CACHE = False
    call_command("generate_content", conditions=10, seed=1, verbosity=0)
    at_10 = query_counts(client)
    call_command("generate_content", conditions=990, seed=2, verbosity=0)
    assert Condition.objects.published().count() == 1000
    at_1000 = query_counts(client)

    for size, counts in ((10, at_10), (1000, at_1000)):
        over_budget = {name: n for name, n in counts.items() if n > BUDGETS[name]}
        assert not over_budget, f"{size} conditions, over budget: {over_budget}"
    # Nothing grows with the content (a search may find fewer kinds of result, so fewer).
    grew = {name: (at_10[name], n) for name, n in at_1000.items() if n > at_10[name]}
    assert not grew, f"more queries at 1,000 than at 10: {grew}"
