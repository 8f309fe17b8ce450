"""Property-based run over the OpenAPI document: no 5xx, no response the schema does not describe.

Bounded and derandomised, so it runs the same examples every time and stays well under a minute.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conditions import models
from portal.wsgi import application
from tests import factories


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Like Django's own test client: the real WSGI handler closes "old" connections around
    each request, and on PostgreSQL that would close the test's connection mid-transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, wsgi_keeps_the_test_connection):
    # Content first: the schema's slug enums are read from the database.
    mechanism = factories.MechanismFactory(slug="immune-complexes")
    factories.MechanismFactory(slug="draft-only", status=models.Status.DRAFT)
    symptom = factories.SymptomFactory(slug="numbness")
    treatment = factories.TreatmentFactory(slug="ivig")
    for number, code in enumerate(["M32.14", "G61.0", "M35.0"]):
        condition = factories.ConditionFactory(
            slug=f"condition-{number}",
            codes=[factories.ClinicalCodeFactory(code=code)],
            references=[factories.ReferenceFactory(doi="10.1000/xyz", url="")],
            is_emergency=number == 1,
            emergency_warning="Call an ambulance." if number == 1 else "",
        )
        condition.symptoms.add(symptom)
        models.ConditionMechanism.objects.create(
            condition=condition, mechanism=mechanism, evidence=models.Evidence.STRONG
        )
        models.ConditionTreatment.objects.create(
            condition=condition, treatment=treatment, role=models.TreatmentRole.FIRST_LINE
        )
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


# Random slugs and codes almost never hit real content, so these known-good requests make sure
# the successful answers are checked against the schema too.
KNOWN_GOOD = {
    "/api/v1/conditions/": [{"query": {"mechanism": "immune-complexes", "ordering": "-updated"}}],
    "/api/v1/conditions/{slug}/": [{"path_parameters": {"slug": "condition-1"}}],
    "/api/v1/mechanisms/{slug}/": [{"path_parameters": {"slug": "immune-complexes"}}],
    "/api/v1/symptoms/{slug}/": [{"path_parameters": {"slug": "numbness"}}],
    "/api/v1/treatments/{slug}/": [{"path_parameters": {"slug": "ivig"}}],
    "/api/v1/compare/": [{"query": {"condition": ["condition-0", "condition-1"]}}],
    "/api/v1/changes/": [{"query": {"since": "2020-01-01"}}, {"query": {"page_size": 1}}],
    "/api/v1/export/": [{"query": {"format": "json"}}, {}],
    "/cds-services": [{}],
    "/cds-services/{service_id}": [
        {
            "path_parameters": {"service_id": "nerve-health-education"},
            "body": {
                "hook": "patient-view",
                "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                "context": {"patientId": "1288992"},
                "prefetch": {
                    "conditions": {
                        "resourceType": "Bundle",
                        "entry": [
                            {
                                "resource": {
                                    "resourceType": "Condition",
                                    "code": {
                                        "coding": [
                                            {
                                                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                                                "code": "G61.0",
                                            }
                                        ]
                                    },
                                }
                            }
                        ],
                    }
                },
            },
            "media_type": "application/json",
        }
    ],
    "/api/v1/lookup/": [
        {"query": {"system": "icd10cm", "code": "m321"}},
        {"query": {"mainSearchCriteria.v.dn": "Condition", "knowledgeResponseType": "text/xml"}},
        {
            "query": {
                "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
                "mainSearchCriteria.v.c": "M32.14",
                "knowledgeResponseType": "application/json",
            }
        },
        {"query": {"system": "snomedct", "code": "40956001"}},
        {
            "query": {
                "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
                "mainSearchCriteria.v.c": "G610",
            }
        },
    ],
}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_api_never_errors_and_always_matches_its_schema(api_schema):
    # The schema is loaded inside the test (its enums need the test database), so each
    # operation's strategy is driven by hypothesis here rather than by @schema.parametrize.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 14

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            case.call_and_validate(checks=CHECKS)

        exercise()

        for request in KNOWN_GOOD.get(operation.path, []):
            response = operation.Case(**request).call_and_validate(checks=CHECKS)
            assert response.status_code == 200, (operation.path, request)
