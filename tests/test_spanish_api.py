"""The API and the code lookup in both languages: lang, Accept-Language, Infobutton."""

import pytest

from editorial.models import Translation
from tests.factories import ClinicalCodeFactory, ConditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lupus():
    condition = ConditionFactory(
        name="Lupus", slug="lupus", codes=[ClinicalCodeFactory(system="icd10cm", code="M32.14")]
    )
    condition.name_es = "Lupus eritematoso"
    condition.slug_es = "lupus-eritematoso"
    condition.summary_es = "El cuerpo ataca sus propios tejidos."
    condition.save()
    Translation.objects.create(
        item=condition, language="es", status="published", source_version=condition.version
    )
    return condition


def test_english_by_default_with_a_link_to_the_spanish_record(client, lupus):
    response = client.get("/api/v1/conditions/lupus/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    assert body["name"] == "Lupus"
    assert body["other_languages"] == [
        {
            "lang": "es",
            "url": "http://testserver/es/conditions/lupus-eritematoso/",
            "api_url": "http://testserver/api/v1/conditions/lupus-eritematoso/?lang=es",
        }
    ]


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/api/v1/conditions/lupus-eritematoso/?lang=es", {}),
        ("/api/v1/conditions/lupus/?lang=es", {}),  # the English slug works too
        ("/api/v1/conditions/lupus-eritematoso/", {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}),
    ],
)
def test_spanish_when_asked(client, lupus, url, headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    body = response.json()
    assert body["name"] == "Lupus eritematoso"
    assert body["url"] == "http://testserver/es/conditions/lupus-eritematoso/"
    assert body["other_languages"][0]["url"] == "http://testserver/conditions/lupus/"
    assert body["sections"][0]["heading"] == "Qué es"


def test_lang_wins_over_accept_language(client, lupus):
    response = client.get("/api/v1/conditions/lupus/?lang=en", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["name"] == "Lupus"


def test_an_unknown_language_is_a_400_naming_the_accepted_ones(client, lupus):
    response = client.get("/api/v1/conditions/?lang=fr")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["lang"]
    assert body["accepted"]["lang"] == ["en", "es"]


def test_a_spanish_list_holds_only_published_translations(client, lupus):
    ConditionFactory(name="Vasculitis", slug="vasculitis")
    names = [item["name"] for item in client.get("/api/v1/conditions/?lang=es").json()["results"]]
    assert names == ["Lupus eritematoso"]
    assert client.get("/api/v1/conditions/vasculitis/?lang=es").status_code == 404


def test_the_cache_keeps_the_api_languages_apart(client, lupus):
    for _ in range(2):  # the second round comes from the cache
        english = client.get("/api/v1/conditions/lupus/")
        spanish = client.get("/api/v1/conditions/lupus/", HTTP_ACCEPT_LANGUAGE="es")
        assert english.json()["name"] == "Lupus"
        assert spanish.json()["name"] == "Lupus eritematoso"
        assert spanish["Content-Language"] == "es"


@pytest.mark.parametrize("code", ["es", "sp", "SP"])
def test_the_lookup_answers_in_spanish_for_infobutton_language_codes(client, lupus, code):
    response = client.get(
        "/api/v1/lookup/",
        {
            "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
            "mainSearchCriteria.v.c": "M32.14",
            "informationRecipient.languageCode.c": code,
        },
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    (result,) = response.json()["results"]
    assert result["name"] == "Lupus eritematoso"
    assert result["url"] == "http://testserver/es/conditions/lupus-eritematoso/"
    assert result["summary"] == "El cuerpo ataca sus propios tejidos."


def test_the_lookup_in_english_and_an_unknown_language(client, lupus):
    english = client.get(
        "/api/v1/lookup/",
        {"system": "icd10cm", "code": "M32.14", "informationRecipient.languageCode.c": "en"},
    )
    assert english.json()["results"][0]["name"] == "Lupus"
    unknown = client.get(
        "/api/v1/lookup/",
        {"system": "icd10cm", "code": "M32.14", "informationRecipient.languageCode.c": "fr"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["accepted"]["informationRecipient.languageCode.c"] == ["en", "es", "sp"]
