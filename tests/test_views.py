"""Every public page: status, content, only published content, and the page furniture."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conditions.models import (
    Alias,
    ConditionMechanism,
    Evidence,
    NerveSite,
    NeuropathyPattern,
    Role,
    Status,
)
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    MechanismFactory,
    ReferenceFactory,
    SymptomFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(db):
    mechanism = MechanismFactory(
        name="Demyelination", slug="demyelination", nerve_site=NerveSite.MYELIN
    )
    symptom = SymptomFactory(name="pins and needles", slug="pins", clinical_term="paraesthesia")
    condition = ConditionFactory(
        name="Guillain-Barré syndrome",
        slug="gbs-test",
        is_emergency=True,
        emergency_warning="Weakness can spread to **breathing** muscles.",
        questions_for_doctor="- Will I need a lumbar puncture?",
        codes=[ClinicalCodeFactory(code="G61.0", display="Guillain-Barré syndrome")],
        references=[ReferenceFactory(title="GBS fact sheet", url="https://example.org/gbs")],
    )
    condition.symptoms.add(symptom)
    Alias.objects.create(condition=condition, name="GBS", is_abbreviation=True)
    ConditionMechanism.objects.create(
        condition=condition, mechanism=mechanism, role=Role.PRIMARY, evidence=Evidence.STRONG
    )
    related = ConditionFactory(name="CIDP")
    draft = ConditionFactory(name="Hidden draft", slug="hidden-draft", status=Status.DRAFT)
    condition.related_conditions.add(related, draft)
    draft.symptoms.add(symptom)
    ConditionMechanism.objects.create(
        condition=draft, mechanism=mechanism, role=Role.PRIMARY, evidence=Evidence.LIMITED
    )
    return {"condition": condition, "mechanism": mechanism, "symptom": symptom, "draft": draft}


def page_urls(world):
    return [
        reverse("conditions:home"),
        reverse("conditions:condition-list"),
        world["condition"].get_absolute_url(),
        reverse("conditions:mechanism-list"),
        world["mechanism"].get_absolute_url(),
        reverse("conditions:symptom-list"),
        world["symptom"].get_absolute_url(),
        reverse("conditions:a-to-z"),
        reverse("conditions:search") + "?q=gbs",
        reverse("conditions:about"),
        reverse("conditions:disclaimer"),
    ]


def test_every_page_has_the_site_furniture(client, world):
    for url in page_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html.count("<h1") == 1, url
        assert 'class="skip-link" href="#main"' in html, url
        assert '<main id="main"' in html, url
        assert 'aria-label="Main"' in html, url
        assert reverse("conditions:disclaimer") in html, url
        assert '<link rel="canonical"' in html, url
        assert '<meta name="description"' in html, url
        assert 'property="og:title"' in html, url
        # A strict Content-Security-Policy is coming: no inline script or style anywhere.
        assert not re.search(r"<script(?![^>]*(src=|application/ld\+json))", html), url
        assert " style=" not in html, url
        # Nothing is loaded from another site (no CDN, no web fonts).
        assert not re.search(r'<(script|img|iframe)[^>]+src="(https?:)?//', html), url
        assert not re.search(r'<link[^>]+rel="(stylesheet|preload)"[^>]+href="(https?:)?//', html)


def test_drafts_are_never_shown(client, world):
    for url in page_urls(world):
        assert "Hidden draft" not in client.get(url).content.decode(), url
    assert client.get(world["draft"].get_absolute_url()).status_code == 404


def test_unpublished_mechanism_is_404(client, db):
    mechanism = MechanismFactory(status=Status.IN_REVIEW)
    assert client.get(mechanism.get_absolute_url()).status_code == 404


def test_home_has_search_urgent_help_and_browsing(client, world):
    html = client.get(reverse("conditions:home")).content.decode()
    assert 'role="search"' in html
    assert "Get urgent help now" in html
    assert world["symptom"].get_absolute_url() in html
    assert world["mechanism"].get_absolute_url() in html
    assert world["condition"].get_absolute_url() in html


def test_condition_page(client, world):
    condition = world["condition"]
    response = client.get(condition.get_absolute_url())
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "<strong>breathing</strong>" in html
    assert "On this page" in html
    for field, heading, _ in condition.sections():
        assert f'<h2 id="{field}">{heading}</h2>' in html
    assert world["mechanism"].get_absolute_url() in html
    assert "The main way the nerves are damaged: doctors are sure of this." in html
    assert "Demyelination: primary, strong evidence" in html  # for health professionals
    assert "paraesthesia" in html
    assert "Will I need a lumbar puncture?" in html
    assert 'href="https://example.org/gbs"' in html
    assert 'aria-label="Breadcrumb"' in html
    assert "CIDP" in html  # related, published
    assert "<abbr>GBS</abbr>" in html


def test_condition_structured_data(client, world):
    html = client.get(world["condition"].get_absolute_url()).content.decode()
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(payload.group(1))
    assert data["@type"] == "MedicalWebPage"
    assert "lastReviewed" not in data  # nobody reviewed it (tests/test_review_status.py)
    assert data["about"]["@type"] == "MedicalCondition"
    assert data["about"]["code"] == [
        {"@type": "MedicalCode", "code": "G61.0", "codingSystem": "ICD-10-CM"}
    ]
    assert "GBS" in data["about"]["alternateName"]


def test_structured_data_cannot_break_out_of_script(client, db):
    condition = ConditionFactory(summary="</script><script>alert(1)</script>")
    html = client.get(condition.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_markdown_is_sanitised(client, db):
    condition = ConditionFactory(
        overview="Hi <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )
    html = client.get(condition.get_absolute_url()).content.decode()
    assert "onerror" not in html
    assert "javascript:" not in html


def test_mechanism_page_lists_published_conditions_with_role(client, world):
    html = client.get(world["mechanism"].get_absolute_url()).content.decode()
    assert world["condition"].name in html
    assert "The main way the nerves are damaged: doctors are sure of this." in html
    assert "The part of the nerve affected: <strong>Demyelination" not in html
    assert 'id="nerve-part-myelin"' in html
    assert "(affected)" in html
    assert "css/diagram.css" in html


def test_mechanism_page_names_the_first_conditions_and_links_to_all(
    client, db, django_assert_max_num_queries
):
    from conditions.views import MECHANISM_CONDITIONS_SHOWN
    from sitecache.version import content_version

    mechanism = MechanismFactory()
    total = MECHANISM_CONDITIONS_SHOWN + 3
    for number in range(total):
        ConditionMechanism.objects.create(
            condition=ConditionFactory(name=f"Cause {number:02d}"),
            mechanism=mechanism,
            role=Role.PRIMARY,
            evidence=Evidence.STRONG,
        )
    hidden = ConditionFactory(name="Cause draft", status=Status.DRAFT)
    ConditionMechanism.objects.create(condition=hidden, mechanism=mechanism, role=Role.PRIMARY)
    # The mechanism, its conditions, its references, its public history, and the glossary
    # terms (read once per content version). With Redis, the first version read after the
    # test's cache flush comes from the database: read it first.
    content_version()
    with django_assert_max_num_queries(5):
        html = client.get(mechanism.get_absolute_url()).content.decode()
    assert html.count(">Cause ") == MECHANISM_CONDITIONS_SHOWN
    assert "Cause 00" in html
    assert f"Cause {total - 1:02d}" not in html
    assert "Cause draft" not in html
    see_all = f'href="/conditions/?mechanism={mechanism.slug}">See all {total} conditions</a>'
    assert see_all in html
    listed = client.get(f"/conditions/?mechanism={mechanism.slug}")
    assert listed.status_code == 200
    assert f"{total} conditions found" in listed.content.decode()


def test_a_mechanism_page_with_few_conditions_has_no_see_all_link(client, world):
    html = client.get(world["mechanism"].get_absolute_url()).content.decode()
    assert "See all" not in html


def test_condition_page_shows_pattern_diagram_for_drawn_patterns(client, db):
    condition = ConditionFactory()
    condition.patterns.add(NeuropathyPattern.objects.get(slug="mononeuritis-multiplex"))
    html = client.get(condition.get_absolute_url()).content.decode()
    assert 'class="pattern-diagram' in html
    assert "(this pattern)" in html
    plain = ConditionFactory()
    assert "pattern-diagram" not in client.get(plain.get_absolute_url()).content.decode()


def test_symptom_page(client, world):
    html = client.get(world["symptom"].get_absolute_url()).content.decode()
    assert "paraesthesia" in html
    assert world["condition"].name in html
    assert "?symptom=pins" in html


def test_a_to_z_includes_aliases(client, world):
    html = client.get(reverse("conditions:a-to-z")).content.decode()
    assert ">GBS</a>" in html
    assert "another name for Guillain-Barré syndrome" in html
    assert 'id="letter-g"' in html
    assert "Demyelination" in html
    assert "pins and needles" in html


def test_search_page_finds_alias_and_typos(client, world):
    assert "Guillain-Barré syndrome" in client.get("/search/?q=GBS").content.decode()
    assert "Guillain-Barré syndrome" in client.get("/search/?q=guillan").content.decode()
    assert "Demyelination" in client.get("/search/?q=demyelination").content.decode()


def test_search_did_you_mean(client, world):
    html = client.get("/search/?q=demielinatoin").content.decode()
    assert "No results" in html
    assert "Did you mean" in html
    assert "/search/?q=demyelination" in html


def test_search_empty_query_shows_the_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "No results" not in response.content.decode()


@pytest.mark.parametrize("query", ["a" * 201, "lupus\x00", "%00"])
def test_search_bad_query_is_400_not_500(client, db, query):
    response = client.get(
        "/search/", {"q": query} if query != "%00" else None, QUERY_STRING="q=%00"
    )
    assert response.status_code == 400
    assert "Search (q)" in response.content.decode()


def test_about_and_disclaimer(client, db):
    about = client.get("/about/").content.decode()
    assert "medical reviewer" in about
    assert "editorial team" in about
    disclaimer = client.get("/disclaimer/").content.decode()
    assert "not medical advice" in disclaimer
    for number in ("999", "911", "112"):
        assert number in disclaimer


def test_sitemap_lists_published_pages(client, world):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert world["condition"].get_absolute_url() in xml
    assert world["mechanism"].get_absolute_url() in xml
    assert world["symptom"].get_absolute_url() in xml
    assert "/about/" in xml
    assert "hidden-draft" not in xml


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_404_page_uses_site_design(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="skip-link"' in html


def test_500_page_uses_site_design(db, settings):
    settings.ROOT_URLCONF = "tests.urls_raising"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "something went wrong" in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_are_read_only(client, db, method):
    assert getattr(client, method)("/conditions/").status_code == 405


def test_real_gbs_page_has_emergency_callout(client, content):
    html = client.get("/conditions/guillain-barre-syndrome/").content.decode()
    assert 'role="alert"' in html
    assert "This can be a medical emergency" in html
