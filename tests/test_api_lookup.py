"""The diagnosis-code lookup: from a code in a health record to published conditions."""

import pytest

from conditions import models
from tests import factories

pytestmark = pytest.mark.django_db

ICD10CM_OID = "2.16.840.1.113883.6.90"
SNOMEDCT_OID = "2.16.840.1.113883.6.96"


@pytest.fixture
def coded_conditions():
    lupus = factories.ConditionFactory(
        name="Lupus",
        slug="lupus",
        codes=[
            factories.ClinicalCodeFactory(code="M32.14", display="Glomerular disease in SLE"),
            factories.ClinicalCodeFactory(
                system=models.CodeSystem.SNOMEDCT, code="55464009", display="SLE"
            ),
        ],
    )
    lupus_category = factories.ConditionFactory(
        name="Lupus overview",
        slug="lupus-overview",
        codes=[factories.ClinicalCodeFactory(code="M32", display="SLE")],
    )
    factories.ConditionFactory(
        name="Draft lupus",
        slug="draft-lupus",
        status=models.Status.DRAFT,
        codes=[factories.ClinicalCodeFactory(code="M32.1", display="SLE with organ involvement")],
    )
    return lupus, lupus_category


def lookup(client, **params):
    return client.get("/api/v1/lookup/", params)


def answer(response):
    assert response.status_code == 200, response.content
    return [(r["slug"], r["match"], r["matched_code"]["code"]) for r in response.json()["results"]]


def test_exact_code_comes_first_then_parent_categories(client, coded_conditions):
    response = lookup(client, system="icd10cm", code="M32.14")
    assert answer(response) == [("lupus", "exact", "M32.14"), ("lupus-overview", "broader", "M32")]
    body = response.json()
    assert body["query"] == {"system": "icd10cm", "code": "M32.14"}
    assert body["count"] == 2
    assert body["results"][0]["url"] == "http://testserver/conditions/lupus/"


def test_a_more_specific_code_finds_its_parent_category(client, coded_conditions):
    assert answer(lookup(client, system="icd10cm", code="M32.149")) == [
        ("lupus", "broader", "M32.14"),
        ("lupus-overview", "broader", "M32"),
    ]


def test_a_category_finds_the_narrower_codes_inside_it(client, coded_conditions):
    assert answer(lookup(client, system="icd10cm", code="M32")) == [
        ("lupus-overview", "exact", "M32"),
        ("lupus", "narrower", "M32.14"),
    ]


@pytest.mark.parametrize("code", ["M3214", "m32.14", " m3214 "])
def test_dotless_and_lowercase_codes(client, coded_conditions, code):
    assert answer(lookup(client, system="ICD10CM", code=code))[0] == ("lupus", "exact", "M32.14")


def test_snomed_ct_matches_exactly(client, coded_conditions):
    assert answer(lookup(client, system="snomedct", code="55464009")) == [
        ("lupus", "exact", "55464009")
    ]


@pytest.mark.parametrize(
    ("oid", "code", "expected"),
    [(ICD10CM_OID, "M3214", "M32.14"), (SNOMEDCT_OID, "55464009", "55464009")],
)
def test_hl7_infobutton_form(client, coded_conditions, oid, code, expected):
    response = client.get(
        "/api/v1/lookup/",
        {
            "mainSearchCriteria.v.cs": oid,
            "mainSearchCriteria.v.c": code,
            "mainSearchCriteria.v.dn": "Lupus",
            "taskContext.c.c": "PROBLISTREV",
        },
    )
    assert answer(response)[0] == ("lupus", "exact", expected)


def test_no_match_is_an_empty_200(client, coded_conditions):
    response = lookup(client, system="icd10cm", code="G61.0")
    assert response.status_code == 200
    assert response.json() == {
        "query": {"system": "icd10cm", "code": "G61.0"},
        "count": 0,
        "results": [],
    }


def test_unpublished_conditions_never_match(client, coded_conditions):
    slugs = [slug for slug, _, _ in answer(lookup(client, system="icd10cm", code="M32.1"))]
    assert "draft-lupus" not in slugs


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"system": "icd9", "code": "M32.14"}, "system", "icd9"),
        ({"code": "M32.14"}, "system", "required"),
        ({"system": "icd10cm"}, "code", "required"),
        ({"system": "icd10cm", "code": "banana"}, "code", "not a valid ICD-10-CM code"),
        ({"system": "icd10cm", "code": "M32."}, "code", "not a valid"),
        ({"system": "snomedct", "code": "M32.14"}, "code", "not a valid SNOMED CT code"),
        ({"mainSearchCriteria.v.cs": "1.2.3", "mainSearchCriteria.v.c": "M32"},
         "mainSearchCriteria.v.cs", "1.2.3"),
        ({"mainSearchCriteria.v.cs": ICD10CM_OID}, "mainSearchCriteria.v.c", "required"),
        ({"system": "icd10cm", "code": "M32", "mainSearchCriteria.v.c": "M32"}, "code", "either"),
        ({"system": "icd10cm", "code": "M32", "colour": "red"}, "colour", "Unknown"),
    ],
)  # fmt: skip
def test_bad_requests_are_400s_naming_the_problem(
    client, coded_conditions, params, parameter, words
):
    response = lookup(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert parameter in body["errors"]
    assert words in " ".join(body["errors"][parameter])
    assert parameter in body["detail"]
