"""HL7 Infobutton (URL-based implementation guide) against the real content: the category
matching EHR codes hit, display-name search, recipients, languages and the Atom / JSON forms."""

import xml.etree.ElementTree as ET

import pytest

from conditions import models
from tests import factories

ICD10CM_OID = "2.16.840.1.113883.6.90"
ATOM = "{http://www.w3.org/2005/Atom}"
LUPUS = "systemic-lupus-erythematosus"
ORPHA_OID = "1.3.6.1.4.1.12559.11.10.1.3.1.44.5"
INFOBUTTON_SYSTEM, INFOBUTTON_CODE = "mainSearchCriteria.v.cs", "mainSearchCriteria.v.c"


def lookup(client, **params):
    return client.get("/api/v1/lookup/", params)


def results(response):
    assert response.status_code == 200, response.content
    return [
        (r["slug"], r["match"], (r["matched_code"] or {}).get("code"))
        for r in response.json()["results"]
    ]


@pytest.mark.parametrize("code", ["M32.14", "M3214", "m32.14"])
def test_a_specific_code_finds_the_page_coded_in_its_category(client, content, code):
    # The fixtures code lupus as M32.10, M32.19 and M32.9; an EHR often sends M32.14.
    found = results(lookup(client, system="icd10cm", code=code))
    assert found[0] == (LUPUS, "category", "M32.10")


def test_the_infobutton_form_of_the_readme_example_finds_lupus(client, content):
    found = results(
        lookup(
            client, **{"mainSearchCriteria.v.cs": ICD10CM_OID, "mainSearchCriteria.v.c": "M3214"}
        )
    )
    assert [slug for slug, _, _ in found] == [LUPUS]


@pytest.mark.django_db
def test_category_matches_rank_after_exact_and_parent_matches(client):
    factories.ConditionFactory(
        slug="sibling", name="A sibling", codes=[factories.ClinicalCodeFactory(code="M32.9")]
    )
    factories.ConditionFactory(
        slug="close-sibling", name="B close", codes=[factories.ClinicalCodeFactory(code="M32.10")]
    )
    factories.ConditionFactory(
        slug="parent", name="C parent", codes=[factories.ClinicalCodeFactory(code="M32.1")]
    )
    factories.ConditionFactory(
        slug="exact", name="D exact", codes=[factories.ClinicalCodeFactory(code="M32.14")]
    )
    assert results(lookup(client, system="icd10cm", code="M32.14")) == [
        ("exact", "exact", "M32.14"),
        ("parent", "broader", "M32.1"),
        ("close-sibling", "category", "M32.10"),
        ("sibling", "category", "M32.9"),
    ]


@pytest.mark.parametrize(
    ("params", "expected_code"),
    [
        ({"system": "mesh", "code": "D008180"}, "D008180"),
        ({"system": "orpha", "code": "ORPHA:536"}, "536"),
        ({INFOBUTTON_SYSTEM: "2.16.840.1.113883.6.177", INFOBUTTON_CODE: "D008180"}, "D008180"),
        ({INFOBUTTON_SYSTEM: ORPHA_OID, INFOBUTTON_CODE: "536"}, "536"),
    ],
)  # fmt: skip
def test_mesh_and_orpha_codes_find_their_condition(client, content, params, expected_code):
    assert results(lookup(client, **params)) == [(LUPUS, "exact", expected_code)]


def test_the_display_name_is_searched_when_no_code_matches(client, content):
    found = results(
        lookup(
            client,
            **{
                "mainSearchCriteria.v.cs": ICD10CM_OID,
                "mainSearchCriteria.v.c": "Z99.9",
                "mainSearchCriteria.v.dn": "Lupus",
            },
        )
    )
    assert found[0] == (LUPUS, "name", None)


def test_a_display_name_alone_is_a_valid_request(client, content):
    found = results(lookup(client, **{"mainSearchCriteria.v.dn": "Sjogren"}))
    assert found[0][:2] == ("sjogrens-disease", "name")


def test_a_matching_code_wins_over_the_display_name(client, content):
    found = results(
        lookup(
            client,
            **{
                "mainSearchCriteria.v.cs": ICD10CM_OID,
                "mainSearchCriteria.v.c": "M32.10",
                "mainSearchCriteria.v.dn": "Sjogren",
            },
        )
    )
    assert [slug for slug, _, _ in found] == [LUPUS]


def atom_feed(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def test_text_xml_is_an_atom_feed_with_the_guides_elements(client, content):
    response = lookup(
        client,
        **{
            "mainSearchCriteria.v.cs": ICD10CM_OID,
            "mainSearchCriteria.v.c": "M32.14",
            "knowledgeResponseType": "text/xml",
        },
    )
    feed = atom_feed(response)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    for required in ("title", "id", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    categories = {c.get("scheme"): c.get("term") for c in feed.findall(f"{ATOM}category")}
    assert categories["mainSearchCriteria.v.c"] == "M32.14"
    assert categories["mainSearchCriteria.v.cs"] == ICD10CM_OID
    assert categories["informationRecipient"] == "PAT"
    assert "CC BY 4.0" in feed.find(f"{ATOM}rights").text

    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}title").text == "Systemic lupus erythematosus"
    link = entry.find(f"{ATOM}link")
    assert link.get("rel") == "alternate"
    assert link.get("href") == f"http://testserver/conditions/{LUPUS}/"
    assert entry.find(f"{ATOM}id").text == f"http://testserver/conditions/{LUPUS}/"
    assert entry.find(f"{ATOM}updated").text.startswith("20")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text.startswith("<p>")
    entry_categories = {c.get("scheme"): c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert entry_categories == {
        "mainSearchCriteria.v.c": "M32.10",
        "mainSearchCriteria.v.cs": ICD10CM_OID,
        "match": "category",
    }


def test_an_atom_accept_header_gets_atom(client, content):
    response = client.get(
        "/api/v1/lookup/",
        {"system": "icd10cm", "code": "M32.10"},
        HTTP_ACCEPT="application/atom+xml",
    )
    assert len(atom_feed(response).findall(f"{ATOM}entry")) == 1


def test_no_match_is_an_empty_feed(client, content):
    feed = atom_feed(
        lookup(client, system="icd10cm", code="A00.0", knowledgeResponseType="text/xml")
    )
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated") is not None


def test_application_json_is_the_guides_json_form_of_the_feed(client, content):
    response = lookup(
        client,
        **{
            "mainSearchCriteria.v.cs": ICD10CM_OID,
            "mainSearchCriteria.v.c": "M32.10",
            "knowledgeResponseType": "application/json",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    feed = response.json()["feed"]
    assert feed["lang"] == "en"
    assert {"scheme": "mainSearchCriteria.v.c", "term": "M32.10"} in feed["category"]
    (entry,) = feed["entry"]
    assert entry["link"][0]["href"] == f"http://testserver/conditions/{LUPUS}/"
    assert entry["link"][0]["rel"] == "alternate"
    assert entry["summary"]["type"] == "html"
    assert entry["id"]["_value"] == f"http://testserver/conditions/{LUPUS}/"
    assert {"scheme": "match", "term": "exact"} in entry["category"]


def test_plain_api_clients_still_get_the_structured_json(client, content):
    body = lookup(client, system="icd10cm", code="M32.10").json()
    assert body["query"] == {"system": "icd10cm", "code": "M32.10"}
    assert body["results"][0]["slug"] == LUPUS


@pytest.mark.parametrize("kind", ["text/html", "application/pdf", "banana"])
def test_an_unsupported_response_type_is_a_406_listing_the_supported(client, content, kind):
    response = lookup(client, system="icd10cm", code="M32.10", knowledgeResponseType=kind)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    for supported in ("text/xml", "application/json"):
        assert supported in detail


def test_a_provider_gets_the_page_opened_at_how_it_is_diagnosed(client, content):
    feed = atom_feed(
        lookup(
            client,
            system="icd10cm",
            code="M32.10",
            informationRecipient="PROV",
            knowledgeResponseType="text/xml",
        )
    )
    entry = feed.find(f"{ATOM}entry")
    assert (
        entry.find(f"{ATOM}link").get("href") == f"http://testserver/conditions/{LUPUS}/#diagnosis"
    )
    assert "How it is diagnosed" in entry.find(f"{ATOM}summary").text
    page = client.get(f"/conditions/{LUPUS}/")
    assert b'id="diagnosis"' in page.content


def test_a_patient_gets_the_page_itself(client, content):
    feed = atom_feed(
        lookup(
            client,
            system="icd10cm",
            code="M32.10",
            informationRecipient="PAT",
            knowledgeResponseType="text/xml",
        )
    )
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/conditions/{LUPUS}/"
    assert "How it is diagnosed" not in entry.find(f"{ATOM}summary").text


@pytest.mark.parametrize("language", ["en", "EN", "en-US"])
def test_english_is_answered(client, content, language):
    response = lookup(
        client, system="icd10cm", code="M32.10", **{"informationRecipient.languageCode.c": language}
    )
    assert results(response)[0][0] == LUPUS


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"informationRecipient.languageCode.c": "fr"}, "informationRecipient.languageCode.c"),
        ({"informationRecipient": "PAYOR"}, "informationRecipient"),
        ({"mainSearchCriteria.v.dn": "x" * 201}, "mainSearchCriteria.v.dn"),
    ],
)
def test_bad_infobutton_context_is_a_400(client, content, params, parameter):
    response = lookup(
        client,
        **{"mainSearchCriteria.v.cs": ICD10CM_OID, "mainSearchCriteria.v.c": "M32.10", **params},
    )
    assert response.status_code == 400
    assert parameter in response.json()["errors"]


@pytest.mark.django_db
def test_draft_conditions_never_match_by_name(client):
    factories.ConditionFactory(slug="draft", name="Zebra disease", status=models.Status.DRAFT)
    assert results(lookup(client, **{"mainSearchCriteria.v.dn": "Zebra disease"})) == []


def test_each_condition_record_carries_a_crosswalk_of_its_codes(client, content):
    record = client.get(f"/api/v1/conditions/{LUPUS}/").json()
    crosswalk = {
        system: [code["code"] for code in codes] for system, codes in record["crosswalk"].items()
    }
    assert crosswalk == {
        "icd10cm": ["M32.10", "M32.19", "M32.9"],
        "snomedct": ["55464009"],
        "mesh": ["D008180"],
        "orpha": ["536"],
    }
    assert record["crosswalk"]["orpha"][0]["display"]
    listed = client.get("/api/v1/conditions/", {"q": "lupus"}).json()["results"]
    assert [item["crosswalk"]["mesh"] for item in listed if item["slug"] == LUPUS] == [
        record["crosswalk"]["mesh"]
    ]
