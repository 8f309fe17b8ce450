"""CDS Hooks: discovery and the patient-view service, with requests built like an EHR's."""

import json
import logging
import uuid

import pytest

from changes.models import Change

pytestmark = pytest.mark.django_db

LUPUS = "systemic-lupus-erythematosus"
SERVICE = "/cds-services/nerve-health-education"


def fhir_condition(codings, clinical="active", verification="confirmed"):
    return {
        "resourceType": "Condition",
        "id": str(uuid.uuid4()),
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": clinical,
                }
            ]
        },
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": verification,
                }
            ]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                        "code": "problem-list-item",
                    }
                ]
            }
        ],
        "code": {"coding": codings, "text": "Problem"},
        "subject": {"reference": "Patient/example-1234"},
    }


def hook_request(*conditions):
    """As an EHR sends it: hook, instance, FHIR server, authorization, context and prefetch."""
    return {
        "hookInstance": str(uuid.uuid4()),
        "fhirServer": "https://ehr.example.org/fhir",
        "hook": "patient-view",
        "fhirAuthorization": {
            "access_token": "secret-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/Condition.read",
            "subject": "cds-service",
        },
        "context": {"userId": "Practitioner/123", "patientId": "example-1234"},
        "prefetch": {
            "conditions": {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(conditions),
                "entry": [
                    {"fullUrl": f"https://ehr.example.org/fhir/Condition/{c['id']}", "resource": c}
                    for c in conditions
                ],
            }
        },
    }


def post(client, body, **headers):
    return client.post(SERVICE, json.dumps(body), content_type="application/json", **headers)


ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"


def test_discovery_lists_the_patient_view_service(client):
    response = client.get("/cds-services")
    assert response.status_code == 200
    (service,) = response.json()["services"]
    assert service["hook"] == "patient-view"
    assert service["id"] == "nerve-health-education"
    assert service["prefetch"] == {
        "conditions": "Condition?patient={{context.patientId}}&clinical-status=active"
    }
    assert response["Access-Control-Allow-Origin"] == "*"


def test_active_conditions_give_cards_linking_to_their_pages(client, content):
    body = hook_request(
        fhir_condition([{"system": ICD, "code": "M32.14", "display": "Glomerular disease in SLE"}]),
        fhir_condition([{"system": SNOMED, "code": "83901003", "display": "Sjogren"}]),
        fhir_condition([{"system": ICD, "code": "I10", "display": "Hypertension"}]),
    )
    response = post(client, body, HTTP_AUTHORIZATION="Bearer eyJhbGciOi.example.jwt")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    cards = response.json()["cards"]
    assert [card["links"][0]["url"] for card in cards] == [
        f"http://testserver/conditions/{LUPUS}/",
        "http://testserver/conditions/sjogrens-disease/",
    ]
    card = cards[0]
    uuid.UUID(card["uuid"])
    assert card["indicator"] == "info"
    assert len(card["summary"]) <= 140
    assert card["source"]["label"] == "Nerve Health Guide"
    assert card["source"]["url"] == "http://testserver/"
    assert card["links"][0]["type"] == "absolute"


def test_inactive_refuted_and_other_systems_give_no_cards(client, content):
    body = hook_request(
        fhir_condition([{"system": ICD, "code": "M32.10"}], clinical="resolved"),
        fhir_condition([{"system": ICD, "code": "M32.10"}], verification="refuted"),
        fhir_condition([{"system": "http://loinc.org", "code": "M32.10"}]),
    )
    response = post(client, body)
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_an_empty_problem_list_gives_no_cards(client, content):
    assert post(client, hook_request()).json() == {"cards": []}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda body: body.update(hook="order-select"), "patient-view"),
        (lambda body: body.pop("hookInstance"), "hookInstance"),
        (lambda body: body.pop("context"), "patientId"),
        (lambda body: body.pop("prefetch"), "prefetch.conditions"),
        (lambda body: body["prefetch"].update(conditions=[1, 2]), "Bundle"),
        (lambda body: body["prefetch"]["conditions"].update(entry="x"), "Bundle.entry"),
    ],
)
def test_malformed_requests_are_400s_saying_why(client, content, change, words):
    body = hook_request(fhir_condition([{"system": ICD, "code": "M32.10"}]))
    change(body)
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert words in response.json()["detail"]


def test_a_body_that_is_not_json_is_a_400(client):
    response = client.post(SERVICE, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_an_unknown_service_is_a_404(client):
    response = client.post("/cds-services/other", "{}", content_type="application/json")
    assert response.status_code == 404


def test_cors_preflight_allows_a_post_with_a_token(client):
    response = client.options(
        SERVICE,
        HTTP_ORIGIN="https://ehr.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Authorization" in response["Access-Control-Allow-Headers"]


def test_nothing_of_the_request_is_stored_or_logged(client, content, caplog):
    changes_before = Change.objects.count()
    body = hook_request(fhir_condition([{"system": ICD, "code": "M32.10"}]))
    with caplog.at_level(logging.DEBUG):
        post(client, body)
        body.pop("hook")
        post(client, body)
    logged = " ".join(record.getMessage() for record in caplog.records)
    for private in ("example-1234", "secret-token", "Practitioner/123"):
        assert private not in logged
    assert Change.objects.count() == changes_before


def test_a_spanish_hook_gets_spanish_cards_linking_the_spanish_pages(client, content):
    body = hook_request(fhir_condition([{"system": ICD, "code": "M32.14"}]))
    response = post(client, body, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 200
    (card,) = response.json()["cards"]
    assert card["links"][0]["url"] == (
        "http://testserver/es/conditions/lupus-eritematoso-sistemico/"
    )
    assert card["summary"].startswith("Información para el paciente:")
    assert "lupus eritematoso sistémico" in card["summary"].lower()
