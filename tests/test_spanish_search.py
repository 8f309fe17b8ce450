"""Search and the A-Z in Spanish: accents, case, a typo, Spanish aliases, ñ after n."""

import pytest

from conditions.models import Alias
from conditions.search.text import collation_key, initial_letter
from editorial.models import Translation
from tests.factories import ConditionFactory, SymptomFactory

pytestmark = pytest.mark.django_db


def translated(factory, **spanish):
    item = factory()
    for name, value in spanish.items():
        setattr(item, f"{name}_es", value)
    item.save()
    Translation.objects.create(
        item=item, language="es", status="published", source_version=item.version
    )
    return item


@pytest.fixture
def gbs():
    condition = translated(
        lambda: ConditionFactory(name="Guillain-Barré syndrome", slug="guillain-barre-syndrome"),
        name="Síndrome de Guillain-Barré",
        slug="sindrome-de-guillain-barre",
        summary="Las defensas del cuerpo atacan los nervios.",
    )
    Alias.objects.create(condition=condition, name="SGB", is_abbreviation=True, language="es")
    Alias.objects.create(condition=condition, name="GBS", is_abbreviation=True)
    return condition


@pytest.fixture
def neuropathy():
    return translated(
        lambda: ConditionFactory(name="Vasculitic neuropathy", slug="vasculitic-neuropathy"),
        name="Neuropatía vasculítica",
        slug="neuropatia-vasculitica",
        summary="La inflamación de los vasos daña los nervios.",
    )


def spanish_results(client, query):
    html = client.get("/es/search/", {"q": query}).content.decode()
    return html


@pytest.mark.parametrize(
    "query",
    ["sindrome de guillan barre", "SÍNDROME DE GUILLAIN-BARRÉ", "SGB", "guillain"],
)
def test_spanish_search_forgives_accents_case_and_a_typo(client, gbs, query):
    assert 'href="/es/conditions/sindrome-de-guillain-barre/"' in spanish_results(client, query)


def test_neuropatia_without_its_accent(client, gbs, neuropathy):
    html = spanish_results(client, "neuropatia")
    assert 'href="/es/conditions/neuropatia-vasculitica/"' in html
    assert 'href="/es/conditions/sindrome-de-guillain-barre/"' not in html


def test_each_language_searches_its_own_words_and_aliases(client, gbs):
    assert 'href="/es/conditions/sindrome-de-guillain-barre/"' not in spanish_results(client, "GBS")
    english = client.get("/search/", {"q": "SGB"}).content.decode()
    assert 'href="/conditions/guillain-barre-syndrome/"' not in english
    english = client.get("/search/", {"q": "GBS"}).content.decode()
    assert 'href="/conditions/guillain-barre-syndrome/"' in english


def test_an_untranslated_item_is_not_found_in_spanish(client, gbs):
    ConditionFactory(name="Lupus", slug="lupus")
    assert 'href="/es/conditions/lupus/"' not in spanish_results(client, "lupus")
    assert 'href="/conditions/lupus/"' in client.get("/search/", {"q": "lupus"}).content.decode()


def test_the_spanish_alphabet_puts_n_tilde_after_n():
    words = ["señal", "sentir", "ñandú", "nube", "Óptico", "oído", "Nervio"]
    assert sorted(words, key=lambda word: collation_key(word, "es")) == [
        "Nervio",
        "nube",
        "ñandú",
        "oído",
        "Óptico",
        "sentir",
        "señal",
    ]
    assert initial_letter("ñandú", "es") == "Ñ"
    assert initial_letter("ñandú", "en") == "N"
    assert initial_letter("Úlcera", "es") == "U"


def test_the_spanish_a_to_z_has_its_own_letter_for_n_tilde(client):
    translated(SymptomFactory, name="Ñ de prueba", slug="n-de-prueba", description="Texto.")
    translated(SymptomFactory, name="Nudo", slug="nudo", description="Texto.")
    translated(SymptomFactory, name="Ojo seco", slug="ojo-seco", description="Texto.")
    html = client.get("/es/a-z/").content.decode()
    assert html.index(">N</h2>") < html.index(">Ñ</h2>") < html.index(">O</h2>")
    assert html.index("Nudo") < html.index("Ñ de prueba") < html.index("Ojo seco")
    assert "Síntoma" in html
