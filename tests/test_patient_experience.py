"""What an anxious reader meets: help in levels, terms explained in place, one section each,
plain labels with the clinical detail set apart, the questions to print, and the glossary."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from conditions.glossary import PageTerms, Terms
from conditions.models import ConditionMechanism, Evidence, GlossaryTerm, Role, Status
from tests.factories import (
    ClinicalCodeFactory,
    ConditionFactory,
    GlossaryTermFactory,
    MechanismFactory,
    SymptomFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def body_of(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def condition(db):
    condition = ConditionFactory(
        name="Vasculitic neuropathy",
        slug="vn",
        overview="Inflamed blood vessels starve the nerves. This is a kind of vasculitis.",
        symptoms_text="Patches of numbness.",
        nerve_effects="The vessels close up.",
        help_emergency="- you cannot move your arm",
        help_same_day="- a foot suddenly goes weak",
        help_routine="- numbness that slowly spreads",
        questions_for_doctor="- Which tests do I need?\n- Will it **come back**?",
        codes=[ClinicalCodeFactory(code="M31.8", display="Other vasculopathies")],
        affects_motor=True,
    )
    symptom = SymptomFactory(
        name="numb patches", slug="numb-patches", clinical_term="hypoaesthesia"
    )
    condition.symptoms.add(symptom)
    ConditionMechanism.objects.create(
        condition=condition,
        mechanism=MechanismFactory(name="Vessel blockage"),
        role=Role.PRIMARY,
        evidence=Evidence.MODERATE,
    )
    return condition


def test_condition_page_shows_help_in_three_levels_with_numbers(client, condition):
    html = body_of(client.get(condition.get_absolute_url()).content.decode())
    assert '<h2 id="help">When to get help</h2>' in html
    levels = re.findall(r'class="help-level help-level--(\w+)"', html)
    assert levels == ["emergency", "same_day", "routine"]
    assert "Call an ambulance now if:" in html
    assert "See a doctor today if:" in html
    assert "Book a routine appointment if:" in html
    assert "you cannot move your arm" in html
    for number in ("999", "911", "112", "111"):
        assert f"{number}</strong>" in html or f" {number}." in html, number


def test_condition_page_has_each_section_once_in_reading_order(client, condition):
    html = body_of(client.get(condition.get_absolute_url()).content.decode())
    toc = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    items = re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', toc)
    assert items == [
        "What it is",
        "Symptoms",
        "When to get help",
        "How it damages the nerves",
        "How it is diagnosed",
        "Treatment",
        "Living with it",
        "Questions to ask your doctor",
        "For health professionals",
        "Sources",
    ]
    headings = re.findall(r"<h2 id=\"([^\"]+)\"", html)
    assert len(headings) == len(set(headings))
    # Every item of the table of contents leads to a heading on the page, in the same order.
    anchors = re.findall(r'<li><a href="#([^"]+)">', toc)
    positions = [html.index(f'id="{anchor}"') for anchor in anchors]
    assert positions == sorted(positions)


def test_clinical_detail_is_in_the_professionals_part(client, condition):
    html = body_of(client.get(condition.get_absolute_url()).content.decode())
    before, professionals = html.split('<h2 id="professionals">For health professionals</h2>')
    assert "M31.8" not in before
    assert "M31.8" in professionals
    assert "Motor" not in before
    assert "Motor" in professionals
    assert "moderate evidence" in professionals
    assert "several studies show this" in before  # the evidence in a patient's words
    assert "evidence" not in before.lower()


def test_questions_print_view_has_each_question_with_space(client, condition):
    html = client.get(condition.get_absolute_url()).content.decode()
    url = reverse("conditions:condition-questions", kwargs={"slug": "vn"})
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    sheet = body_of(response.content.decode())
    assert re.findall(r"<li><p>([^<]+)</p>", sheet) == [
        "Which tests do I need?",
        "Will it come back?",
    ]
    assert sheet.count('class="answer-space"') == 2


def test_questions_print_view_is_404_without_questions_or_unpublished(client, db):
    empty = ConditionFactory(slug="no-questions")
    draft = ConditionFactory(slug="draft-q", questions_for_doctor="- Why?", status=Status.DRAFT)
    for slug in (empty.slug, draft.slug):
        url = reverse("conditions:condition-questions", kwargs={"slug": slug})
        assert client.get(url).status_code == 404


def test_emergency_symptom_page_has_the_announced_callout(client, db):
    symptom = SymptomFactory(
        name="short of breath",
        slug="sob",
        is_emergency=True,
        help_emergency="- breathing is getting harder",
        help_same_day="- you are breathless after a mild cold",
    )
    html = body_of(client.get(symptom.get_absolute_url()).content.decode())
    callout = html.split('<div class="emergency-callout" role="alert"', 1)[1].split("</div>", 1)[0]
    assert "This can be a medical emergency" in callout
    assert "breathing is getting harder" in callout
    assert "<strong>999</strong>" in callout
    assert "<strong>911</strong>" in callout
    assert "<strong>112</strong>" in callout
    assert re.findall(r'help-level--(\w+)"', html) == ["emergency", "same_day"]


def test_ordinary_symptom_page_has_levels_but_no_alert(client, db):
    symptom = SymptomFactory(slug="itch", help_routine="- it keeps coming back")
    html = body_of(client.get(symptom.get_absolute_url()).content.decode())
    assert 'role="alert"' not in html
    assert re.findall(r'help-level--(\w+)"', html) == ["routine"]


def test_home_and_condition_emergency_boxes_share_one_look(client, db):
    condition = ConditionFactory(is_emergency=True, emergency_warning="It can get worse fast.")
    home = client.get("/").content.decode()
    page = client.get(condition.get_absolute_url()).content.decode()
    assert 'class="emergency-callout"' in home
    assert 'class="emergency-callout" role="alert"' in page
    assert 'class="urgent-help"' not in home + page


# Terms explained in place


def terms(*items):
    return Terms(
        [GlossaryTerm(slug=s, term=t, definition=d, other_forms=f) for s, t, d, f in items]
    )


NEUROPATHY = ("neuropathy", "Neuropathy", "Damage to nerves.", "neuropathies, neuropathic")


def test_first_use_of_a_term_is_explained_and_later_uses_are_not():
    page = PageTerms(terms(NEUROPATHY))
    first = page.mark("<p>Neuropathic pain is common. Neuropathy can last.</p>")
    assert first.count("<dfn") == 1
    assert '<button type="button" class="term__button" popovertarget="term-neuropathy">' in first
    assert ">Neuropathic</button></dfn>" in first
    assert 'id="term-neuropathy" popover role="note"' in first
    assert "Damage to nerves." in first
    assert page.mark("<p>Neuropathy again.</p>") == "<p>Neuropathy again.</p>"


def test_terms_are_never_marked_in_links_headings_or_code_nor_inside_words():
    markup = (
        '<h3>Neuropathy</h3><p><a href="/x">neuropathy</a> <code>neuropathy</code> '
        "polyneuropathy neuropathy-like</p>"
    )
    assert PageTerms(terms(NEUROPATHY)).mark(markup) == markup


def test_marking_keeps_the_markup_and_escapes_text():
    page = PageTerms(terms(NEUROPATHY))
    marked = page.mark("<ul><li>A &amp; B &lt;i&gt;<br>NEUROPATHIES</li></ul>")
    assert marked.startswith("<ul><li>A &amp; B &lt;i&gt;<br><dfn")
    assert ">NEUROPATHIES</button></dfn>" in marked
    assert marked.endswith("</span></li></ul>")


def test_condition_page_explains_a_glossary_term_once(client, condition):
    GlossaryTermFactory(
        term="Vasculitis", slug="vasculitis", definition="Swollen, inflamed blood vessels."
    )
    GlossaryTermFactory(term="Hidden", slug="hidden", status=Status.DRAFT)
    html = body_of(client.get(condition.get_absolute_url()).content.decode())
    assert html.count('popovertarget="term-vasculitis"') == 1
    assert 'href="/glossary/vasculitis/">More about “Vasculitis”</a>' in html
    assert "term-hidden" not in html


def test_glossary_pages_a_to_z_search_and_sitemap(client, db):
    GlossaryTermFactory(
        term="Myelin",
        slug="myelin",
        definition="The fatty coat around a nerve.",
        other_forms="myelinated",
    )
    GlossaryTermFactory(term="Axon", slug="axon", definition="The long thread of a nerve cell.")
    GlossaryTermFactory(term="Secret", slug="secret", status=Status.DRAFT)
    listing = body_of(client.get("/glossary/").content.decode())
    assert listing.index('id="letter-a"') < listing.index('id="letter-m"')
    assert 'href="/glossary/myelin/"' in listing
    assert "The fatty coat around a nerve." in listing
    assert "Secret" not in listing
    detail = client.get("/glossary/myelin/")
    assert detail.status_code == 200
    assert "Also written as: myelinated" in detail.content.decode()
    assert client.get("/glossary/secret/").status_code == 404
    assert client.get("/glossary/nothing/").status_code == 404
    assert 'href="/glossary/axon/">Axon</a>' in client.get("/a-z/").content.decode()
    found = body_of(client.get("/search/?q=myelinated").content.decode())
    assert 'href="/glossary/myelin/"' in found
    assert "What a word means" in found
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/glossary/myelin/" in sitemap
    assert "/glossary/</loc>" in sitemap
    assert "/glossary/secret/" not in sitemap


def test_search_results_heading_keeps_its_role(client, db):
    ConditionFactory(name="Lupus")
    html = client.get("/search/?q=lupus").content.decode()
    assert re.search(r'<h2 id="results-heading"><span role="status">', html)


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("my mum has lupus", "sle"),
        ("can lupus cause numb feet", "sle"),
        ("what is cidp", "cidp"),
    ],
)
def test_natural_questions_find_what_they_mean_in_html_and_api(client, db, query, expected_first):
    from conditions.models import Alias

    sle = ConditionFactory(
        name="Systemic lupus erythematosus",
        slug="sle",
        summary="It can harm nerves and leave the feet numb.",
    )
    Alias.objects.create(condition=sle, name="Lupus")
    cidp = ConditionFactory(
        name="Chronic inflammatory demyelinating polyneuropathy",
        slug="cidp",
        summary="Numb feet and weak legs over months.",
    )
    Alias.objects.create(condition=cidp, name="CIDP", is_abbreviation=True)
    ConditionFactory(name="Sjögren's disease", slug="sjogren", overview="Like lupus, it can.")
    html = client.get("/search/", {"q": query}).content.decode()
    html_order = re.findall(r'<h3><a href="/conditions/([^/]+)/">', html)
    api = client.get("/api/v1/conditions/", {"q": query}).json()
    api_order = [row["slug"] for row in api["results"]]
    assert html_order[0] == expected_first
    assert html_order == api_order


def test_every_page_names_a_favicon_that_exists(client, db):
    html = client.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    assert href.endswith("favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")


def test_the_myelin_highlight_leaves_the_axon_unhatched(client, db):
    from conditions.models import NerveSite

    mechanism = MechanismFactory(slug="demyelination", nerve_site=NerveSite.MYELIN)
    html = client.get(mechanism.get_absolute_url()).content.decode()
    axon = re.search(
        r'<rect class="nerve-diagram__shape" x="4" y="(\d+)" width="392" height="(\d+)"', html
    )
    axon_top, axon_bottom = int(axon.group(1)), int(axon.group(1)) + int(axon.group(2))
    mark = re.search(
        r'id="nerve-part-myelin".*?class="nerve-diagram__mark" d="([^"]+)"', html, re.S
    )
    rectangles = re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)", mark.group(1))
    assert rectangles
    for _, top, _, height in rectangles:
        top, bottom = int(top), int(top) + int(height)
        assert bottom <= axon_top or top >= axon_bottom, (top, bottom)


def test_a_page_does_not_explain_its_own_subject():
    page = PageTerms(terms(NEUROPATHY), subject_names=["Neuropathies", "Unknown"])
    assert page.mark("<p>Neuropathy is what this page is about.</p>") == (
        "<p>Neuropathy is what this page is about.</p>"
    )
