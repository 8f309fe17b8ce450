"""The interface text of the Spanish pages is Spanish: no English labels beside Spanish content."""

import re

import pytest
from django.utils import translation

from conditions.models import Condition, GlossaryTerm, Mechanism, Symptom, Treatment
from editorial.models import Translation

pytestmark = pytest.mark.django_db

# English interface phrases that must not appear on a Spanish page.
ENGLISH = ["Also known as", "On this page", "When to get help", "Sources", "Search"]


@pytest.fixture
def spanish_pages(content):
    """Spanish addresses of real published content."""
    # The fixtures ship no Spanish treatment: publish one's translation record here.
    treatment = Treatment.objects.published().filter(references__isnull=False).first()
    Translation.objects.create(
        item=treatment,
        language="es",
        status=Translation.Status.PUBLISHED,
        source_version=treatment.version,
    )
    with translation.override("es"):
        condition = (
            Condition.objects.published()
            .filter(aliases__language="es", references__isnull=False)
            .exclude(help_emergency="")
            .first()
        )
        symptom = Symptom.objects.published().exclude(help_emergency="").first()
        return {
            "condition": condition.get_absolute_url(),
            "symptom": symptom.get_absolute_url(),
            "mechanism": Mechanism.objects.published()
            .filter(references__isnull=False)
            .first()
            .get_absolute_url(),
            "glossary": GlossaryTerm.objects.published().first().get_absolute_url(),
            "treatment": Treatment.objects.published().get(pk=treatment.pk).get_absolute_url(),
        }


def spanish_html(client, path, status=200):
    assert path.startswith("/es/")
    response = client.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="es"' in html
    return html


def assert_no_english(html):
    for phrase in ENGLISH:
        assert phrase not in html, phrase
    # Every page has the site's search in its menu.
    assert ">Buscar</a>" in html


def test_home_page(client, content):
    html = spanish_html(client, "/es/")
    assert_no_english(html)
    assert "Causas autoinmunes de la neuropatía periférica" in html
    assert "Busque enfermedades, síntomas y causas" in html
    assert '<button type="submit">Buscar</button>' in html
    assert "Explorar por síntoma" in html


def test_condition_page(client, spanish_pages):
    html = spanish_html(client, spanish_pages["condition"])
    assert_no_english(html)
    assert '<p class="aliases">Otros nombres: ' in html
    assert '<h2 id="toc-heading">En esta página</h2>' in html
    assert '<a href="#help">Cuándo pedir ayuda</a>' in html
    assert '<h2 id="help">Cuándo pedir ayuda</h2>' in html
    assert '<a href="#references-heading">Fuentes</a>' in html
    assert '<h2 id="references-heading">Fuentes</h2>' in html
    assert "Para profesionales de la salud" in html
    assert "De un vistazo" in html


def test_symptom_page(client, spanish_pages):
    html = spanish_html(client, spanish_pages["symptom"])
    assert_no_english(html)
    assert "Término médico: <strong>" in html
    assert '<h2 id="help">Cuándo pedir ayuda</h2>' in html
    assert "Llame ahora a una ambulancia:" in html


def test_mechanism_page(client, spanish_pages):
    html = spanish_html(client, spanish_pages["mechanism"])
    assert_no_english(html)
    assert "La parte del nervio afectada: <strong>" in html
    assert "Dibujo de un nervio periférico, con la parte afectada marcada" in html
    assert '<h2 id="references-heading">Fuentes</h2>' in html


def test_glossary_page(client, spanish_pages):
    html = spanish_html(client, spanish_pages["glossary"])
    assert_no_english(html)
    assert "Todas las palabras médicas explicadas" in html
    assert "Páginas que mencionan «" in html


def test_treatment_page(client, spanish_pages):
    html = spanish_html(client, spanish_pages["treatment"])
    assert_no_english(html)
    assert "Esta página explica el tratamiento en general." in html
    assert '<h2 id="references-heading">Fuentes</h2>' in html


def test_a_to_z_page(client, content):
    html = spanish_html(client, "/es/a-z/")
    assert_no_english(html)
    assert "<h1>De la A a la Z</h1>" in html
    assert "otro nombre de " in html


def test_search_page(client, content):
    html = spanish_html(client, "/es/search/?q=lupus")
    assert_no_english(html)
    assert "<h1>Buscar</h1>" in html
    assert " para «lupus»" in html


def test_about_page(client, content):
    html = spanish_html(client, "/es/about/")
    assert_no_english(html)
    assert "<h1>Sobre este sitio</h1>" in html
    assert "Cómo comprobamos nuestras páginas" in html


def test_not_found_page(client, content):
    html = spanish_html(client, "/es/no-existe/", status=404)
    assert_no_english(html)
    assert "<h1>Página no encontrada</h1>" in html
    assert "página de inicio" in html


def test_dates_are_written_the_spanish_way(client, spanish_pages):
    html = spanish_html(client, spanish_pages["condition"])
    # "j F Y" in Spanish reads "1 de diciembre de 2026".
    assert re.search(r'<time datetime="[\d-]+">\d{1,2} de [a-z]+ de \d{4}</time>', html)
