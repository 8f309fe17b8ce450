"""Each page runs the same number of queries with 10 conditions as with 200."""

import pytest
from django.core.cache import cache

from conditions.models import Alias, ConditionMechanism, Evidence
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    GlossaryTermFactory,
    MechanismFactory,
    ReferenceFactory,
    SymptomFactory,
)

# (URL builder, the most queries that page may run): the same limit at every content size.
PAGES = {
    "home": (lambda c: "/", 4),
    "list": (lambda c: "/conditions/", 6),
    "list-filtered": (
        lambda c: (
            f"/conditions/?q=condition&mechanism={c['mechanism'].slug}"
            f"&symptom={c['symptom'].slug}&onset=chronic&fibre=sensory&page=1"
        ),
        12,
    ),
    "condition": (lambda c: c["condition"].get_absolute_url(), 10),
    "mechanisms": (lambda c: "/mechanisms/", 1),
    "mechanism": (lambda c: c["mechanism"].get_absolute_url(), 3),
    "symptoms": (lambda c: "/symptoms/", 1),
    "symptom": (lambda c: c["symptom"].get_absolute_url(), 2),
    "a-z": (lambda c: "/a-z/", 6),
    "search": (lambda c: "/search/?q=condition", 8),
    "glossary": (lambda c: "/glossary/", 1),
    "glossary-term": (lambda c: c["term"].get_absolute_url(), 1),
    "questions": (lambda c: c["condition"].get_absolute_url() + "questions/", 1),
    "sitemap": (lambda c: "/sitemap.xml", 8),
}


def build_content(size):
    mechanism = MechanismFactory()
    symptom = SymptomFactory()
    reference = ReferenceFactory()
    code = ClinicalCodeFactory()
    conditions = [
        ConditionFactory(references=[reference], codes=[code], questions_for_doctor="- Why?")
        for _ in range(size)
    ]
    for condition in conditions:
        condition.symptoms.add(symptom)
        Alias.objects.create(condition=condition, name=f"Alias of {condition.name}")
        ConditionMechanism.objects.create(
            condition=condition, mechanism=mechanism, evidence=Evidence.MODERATE
        )
    conditions[0].related_conditions.add(*conditions[1:])
    term = GlossaryTermFactory()
    GlossaryTermFactory.create_batch(size)
    return {"condition": conditions[0], "mechanism": mechanism, "symptom": symptom, "term": term}


@pytest.mark.parametrize("size", [10, 200])
def test_query_count_does_not_grow_with_content(client, db, django_assert_max_num_queries, size):
    content = build_content(size)
    for page, (url, budget) in PAGES.items():
        cache.clear()
        client.get(url(content))  # the first view builds the search index (a fixed few queries)
        with django_assert_max_num_queries(budget, info=page):
            response = client.get(url(content))
        assert response.status_code == 200, page
