"""Spanish pages: under /es/, only with a published translation, linked both ways, cached apart."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from conditions.management.commands._translations import load_translations
from conditions.models import Alias, Condition
from editorial.models import Translation
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    MechanismFactory,
    SymptomFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY_ES = "El lupus es una enfermedad. El cuerpo ataca sus propios nervios."


def translate(item, status=Translation.Status.PUBLISHED, **fields):
    """Give `item` Spanish text (fields without the _es suffix) and a translation record."""
    for name, value in fields.items():
        setattr(item, f"{name}_es", value)
    type(item)._default_manager.filter(pk=item.pk).update(
        **{f"{name}_es": value for name, value in fields.items()}
    )
    return Translation.objects.create(
        item=item, language="es", status=status, source_version=item.version
    )


@pytest.fixture
def lupus():
    condition = ConditionFactory(name="Lupus", slug="lupus")
    translate(condition, name="Lupus eritematoso", slug="lupus-eritematoso", summary=SUMMARY_ES)
    return condition


def test_english_stays_at_todays_address_and_links_its_spanish_twin(client, lupus):
    response = client.get("/conditions/lupus/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en-GB">' in html
    assert (
        '<link rel="alternate" hreflang="es" href="http://testserver/es/conditions/lupus-eritematoso/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/conditions/lupus/">'
        in html
    )
    # The visible switch, a plain link (no script needed).
    assert '<a href="/es/conditions/lupus-eritematoso/" hreflang="es" lang="es">Español</a>' in html
    assert SUMMARY_ES not in html


def test_the_spanish_page_is_in_spanish_and_links_back(client, lupus):
    response = client.get("/es/conditions/lupus-eritematoso/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "Lupus eritematoso" in html
    assert SUMMARY_ES in html
    assert ">Enfermedades</a>" in html  # the interface too, from the catalogue
    assert '<link rel="alternate" hreflang="en" href="http://testserver/conditions/lupus/">' in html
    assert '<a href="/conditions/lupus/" hreflang="en" lang="en-GB">English</a>' in html
    assert response["Content-Language"] == "es"


def test_a_page_without_a_published_translation_explains_in_spanish(client):
    ConditionFactory(name="Vasculitis", slug="vasculitis")
    response = client.get("/es/conditions/vasculitis/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in html
    assert "Esta página aún no está disponible en español" in html
    assert '<a href="/conditions/vasculitis/" hreflang="en" lang="en">Condition' not in html
    assert 'href="/conditions/vasculitis/" hreflang="en" lang="en">Vasculitis</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_draft_translation_is_not_public(client):
    condition = ConditionFactory(name="Sarcoidosis", slug="sarcoidosis")
    translate(
        condition,
        status=Translation.Status.DRAFT,
        name="Sarcoidosis",
        slug="sarcoidosis-es",
        summary="Texto.",
    )
    assert client.get("/es/conditions/sarcoidosis-es/").status_code == 404
    english = client.get("/conditions/sarcoidosis/").content.decode()
    assert 'hreflang="es" href=' not in english  # no alternate to a page that is not live


def test_spanish_lists_hold_only_translated_items(client, lupus):
    ConditionFactory(name="Vasculitis", slug="vasculitis")
    html = client.get("/es/conditions/").content.decode()
    assert "Lupus eritematoso" in html
    assert "Vasculitis" not in html
    english = client.get("/conditions/").content.decode()
    assert "Vasculitis" in english
    assert "Lupus eritematoso" not in english


def test_the_cache_never_serves_one_language_to_the_other(client, lupus):
    for _ in range(2):  # the second round is answered from the cache
        english = client.get("/conditions/")
        spanish = client.get("/es/conditions/")
        assert '<html lang="en-GB">' in english.content.decode()
        assert '<html lang="es">' in spanish.content.decode()
    # A Spanish browser still gets the English page at the English address.
    english = client.get("/conditions/lupus/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en-GB">' in english.content.decode()


def test_aliases_belong_to_one_language(client, lupus):
    Alias.objects.create(condition=lupus, name="SLE", is_abbreviation=True)
    Alias.objects.create(condition=lupus, name="LES", is_abbreviation=True, language="es")
    english = client.get("/conditions/lupus/").content.decode()
    spanish = client.get("/es/conditions/lupus-eritematoso/").content.decode()
    assert "<abbr>SLE</abbr>" in english
    assert "<abbr>LES</abbr>" not in english
    assert "<abbr>LES</abbr>" in spanish
    assert "<abbr>SLE</abbr>" not in spanish


def test_mechanism_and_symptom_pages_in_spanish(client):
    mechanism = MechanismFactory(name="Antibodies", slug="antibodies")
    translate(mechanism, name="Anticuerpos", slug="anticuerpos", summary="Texto sencillo.")
    symptom = SymptomFactory(name="Pins and needles", slug="pins-and-needles")
    translate(symptom, name="Hormigueo", slug="hormigueo", description="Como pinchazos en la piel.")
    assert "Anticuerpos" in client.get("/es/mechanisms/anticuerpos/").content.decode()
    assert "Hormigueo" in client.get("/es/symptoms/hormigueo/").content.decode()


# --- loading the translators' files ---------------------------------------------------------


def write_files(directory, **files):
    directory.mkdir(exist_ok=True)
    for name, data in files.items():
        (directory / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return directory


def test_the_loader_fills_the_spanish_columns_and_ships_unreviewed(tmp_path):
    condition = ConditionFactory(name="Guillain-Barré syndrome", slug="guillain-barre-syndrome")
    directory = write_files(
        tmp_path / "es",
        conditions={
            "guillain-barre-syndrome": {
                "slug": "sindrome-de-guillain-barre",
                "name": "Síndrome de Guillain-Barré",
                "summary": "Es una enfermedad rara. Las defensas atacan los nervios.",
                "overview": "Un resumen.",
                "nerve_effects": "Cómo daña los nervios.",
                "symptoms_text": "Siente menos en los pies y las manos.",
                "diagnosis": "Pruebas de los nervios.",
                "treatment": "Medicinas que calman las defensas.",
                "urgent_help": "Pida ayuda si la debilidad avanza rápido.",
                "living_with": "Casi todos siguen con su vida. Pida ayuda.",
                "spanish_sources": [{"url": "https://example.org", "title": "Fuente"}],
            }
        },
        aliases={"guillain-barre-syndrome": [{"name": "SGB", "is_abbreviation": True}]},
    )
    loaded, messages = load_translations(directory, "es")
    assert (loaded, messages) == (1, [])
    condition.refresh_from_db()
    assert condition.name_es == "Síndrome de Guillain-Barré"
    assert condition.name_en == "Guillain-Barré syndrome"
    assert condition.version == 1  # the English item did not change
    record = Translation.objects.get(
        content_type=ContentType.objects.get_for_model(Condition), object_id=condition.pk
    )
    # Live like the English fixtures, and like them claiming no review.
    assert record.status == Translation.Status.PUBLISHED
    assert (record.reviewed_by, record.reviewed_on) == (None, None)
    assert record.source_version == 1
    assert record.sources == [{"url": "https://example.org", "title": "Fuente"}]
    assert Alias.objects.get(name="SGB").language == "es"


def test_the_loader_keeps_an_incomplete_translation_as_a_draft(tmp_path):
    ConditionFactory(name="Lupus", slug="lupus")
    directory = write_files(tmp_path / "es", conditions={"lupus": {"name": "Lupus"}})
    loaded, messages = load_translations(directory, "es")
    assert loaded == 1
    assert messages
    assert "loaded as a draft" in messages[0]
    assert "summary" in messages[0]
    assert Translation.objects.get().status == Translation.Status.DRAFT


def test_load_content_loads_the_spanish_fixtures_too(tmp_path, settings):
    english = tmp_path / "fixtures"
    english.mkdir()
    settings.FIXTURE_DIRS = [english]
    condition = ConditionFactory(name="Lupus", slug="lupus", codes=[ClinicalCodeFactory()])
    write_files(english / "es", conditions={"lupus": {"name": "Lupus", "summary": "Texto."}})
    call_command("load_content", verbosity=0)
    condition.refresh_from_db()
    assert condition.summary_es == "Texto."


def test_a_translation_goes_out_of_date_when_the_english_changes(lupus):
    record = Translation.objects.get()
    assert not record.is_out_of_date()
    lupus.summary = "A new English summary that says more."
    lupus.save()
    record.refresh_from_db()
    assert record.is_out_of_date()


def test_structured_data_says_the_page_language(client, lupus):
    english = client.get("/conditions/lupus/").content.decode()
    spanish = client.get("/es/conditions/lupus-eritematoso/").content.decode()
    assert '"inLanguage": "en-GB"' in english
    assert '"inLanguage": "es"' in spanish


def test_the_sitemap_lists_both_languages_with_alternates(client, lupus):
    ConditionFactory(name="Vasculitis", slug="vasculitis")
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/es/conditions/lupus-eritematoso/</loc>" in xml
    assert "<loc>http://testserver/conditions/lupus/</loc>" in xml
    assert (
        '<xhtml:link rel="alternate" hreflang="es" '
        'href="http://testserver/es/conditions/lupus-eritematoso/"/>' in xml
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" '
        'href="http://testserver/conditions/lupus/"/>' in xml
    )
    # A page with no published translation has its English entry only.
    assert "<loc>http://testserver/conditions/vasculitis/</loc>" in xml
    assert "/es/conditions/vasculitis/" not in xml
    assert "<loc>http://testserver/es/a-z/</loc>" in xml


def test_spanish_pages_stay_within_the_english_query_budgets(
    client, lupus, django_assert_max_num_queries
):
    from django.core.cache import cache

    mechanism = MechanismFactory(name="Antibodies", slug="antibodies")
    translate(mechanism, name="Anticuerpos", slug="anticuerpos", summary="Texto sencillo.")
    symptom = SymptomFactory(name="Numbness", slug="numbness")
    translate(symptom, name="Adormecimiento", slug="adormecimiento", description="No se siente.")
    lupus.symptoms.add(symptom)
    # The budgets of tests/test_query_budget.py for the English pages.
    for url, budget in [
        ("/es/conditions/lupus-eritematoso/", 9),
        ("/es/mechanisms/anticuerpos/", 3),
        ("/es/symptoms/adormecimiento/", 2),
        ("/es/conditions/", 6),
        ("/es/a-z/", 4),
    ]:
        cache.clear()
        client.get(url)
        with django_assert_max_num_queries(budget, info=url):
            assert client.get(url).status_code == 200


def test_section_headings_are_in_the_page_language(client, lupus):
    spanish = client.get("/es/conditions/lupus-eritematoso/").content.decode()
    english = client.get("/conditions/lupus/").content.decode()
    assert "Cómo se diagnostica" in spanish
    assert "How it is diagnosed" not in spanish
    assert "How it is diagnosed" in english
