"""The side-by-side comparison: its page and API contract, curated comparisons, bad input."""

import pytest

from conditions.comparisons import CURATED
from conditions.models import ConditionTreatment, Status, TreatmentRole
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(db):
    gbs = factories.ConditionFactory(
        name="Guillain-Barré syndrome",
        slug="guillain-barre-syndrome",
        onset="acute",
        is_emergency=True,
        emergency_warning="Call an ambulance if weakness spreads fast.",
        diagnosis="Nerve tests. A lumbar puncture. Breathing checks.",
    )
    cidp = factories.ConditionFactory(
        name="CIDP", slug="chronic-inflammatory-demyelinating-polyneuropathy", onset="chronic"
    )
    mmn = factories.ConditionFactory(name="MMN", slug="multifocal-motor-neuropathy")
    steroids = factories.TreatmentFactory(name="Steroids", slug="steroids")
    ConditionTreatment.objects.create(
        condition=gbs, treatment=steroids, role=TreatmentRole.NOT_RECOMMENDED
    )
    ConditionTreatment.objects.create(
        condition=cidp, treatment=steroids, role=TreatmentRole.FIRST_LINE
    )
    factories.ConditionFactory(name="Hidden", slug="hidden", status=Status.DRAFT)
    return gbs, cidp, mmn


def url(*slugs, base="/compare/"):
    return base + "?" + "&".join(f"condition={slug}" for slug in slugs)


def test_two_conditions_side_by_side_with_what_tells_them_apart(client, three):
    gbs, cidp, _ = three
    response = client.get(url(gbs.slug, cidp.slug))
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "How fast it starts",
        "Pattern of nerve damage",
        "Nerve fibres affected",
        "How it damages nerves",
        "Key symptoms",
        "Urgency",
        "Tests",
        "Treatments",
    ):
        assert f'<th scope="row">{heading}</th>' in page
    assert "Acute (hours to days)" in page
    assert "Chronic (months or longer)" in page
    assert "Steroids: not recommended" in page
    assert "Steroids: first-line" in page
    assert "Call an ambulance if weakness spreads fast." in page
    # The curated pair: its plain differences, acute-onset CIDP included.
    assert "What tells them apart" in page
    assert "acute-onset CIDP" in page
    # Stacked on a phone, each cell says which condition it belongs to.
    assert '<span class="cell-label" aria-hidden="true">CIDP: </span>' in page
    assert "/static/css/tools.css" in page


def test_three_conditions_compare_in_the_order_asked(client, three):
    gbs, cidp, mmn = three
    page = client.get(url(mmn.slug, gbs.slug, cidp.slug)).content.decode()
    header = page[page.index("<thead>") : page.index("</thead>")]
    assert header.index("MMN") < header.index("Guillain") < header.index("CIDP")
    assert "What tells them apart" not in page  # no curated text for this trio


@pytest.mark.parametrize(
    ("slugs", "named"),
    [
        (["guillain-barre-syndrome", "no-such-thing"], "no-such-thing"),
        (["guillain-barre-syndrome", "hidden"], "hidden"),
        (["guillain-barre-syndrome"], "Choose 2 or 3"),
        (["guillain-barre-syndrome", "guillain-barre-syndrome"], "Choose 2 or 3"),
        (["a", "b", "c", "d"], "at most 3"),
        (["<script>", "guillain-barre-syndrome"], "&lt;script&gt;"),
        (["nul\x00byte", "guillain-barre-syndrome"], "nul"),
    ],
)
def test_bad_or_too_many_conditions_are_a_400_naming_them(client, three, slugs, named):
    response = client.get(url(*slugs))
    assert response.status_code == 400
    assert named in response.content.decode()
    api = client.get(url(*slugs, base="/api/v1/compare/"))
    assert api.status_code == 400
    assert "condition" in api.json()["errors"]


def test_without_conditions_the_page_offers_the_curated_comparisons_and_a_form(client, three):
    response = client.get("/compare/?utm_source=newsletter")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CIDP or multifocal motor neuropathy (MMN)" in page
    assert 'name="condition"' in page
    assert '<option value="hidden">' not in page


def test_a_condition_page_links_to_its_curated_comparisons(client, three):
    page = client.get("/conditions/multifocal-motor-neuropathy/").content.decode()
    assert "Compare it with similar conditions" in page
    assert (
        "/compare/?condition=chronic-inflammatory-demyelinating-polyneuropathy&amp;"
        "condition=multifocal-motor-neuropathy"
    ) in page


def test_the_api_gives_the_same_table(client, three):
    gbs, cidp, _ = three
    response = client.get(url(gbs.slug, cidp.slug, base="/api/v1/compare/"))
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body["conditions"]] == [gbs.slug, cidp.slug]
    treatments = next(row for row in body["rows"] if row["heading"] == "Treatments")
    assert treatments["cells"] == [
        {"condition": gbs.slug, "lines": ["Steroids: not recommended"]},
        {"condition": cidp.slug, "lines": ["Steroids: first-line"]},
    ]
    assert any("acute-onset CIDP" in line for line in body["differences"])
    unknown = client.get(url(gbs.slug, cidp.slug, base="/api/v1/compare/") + "&sort=name")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"sort": ["Unknown parameter."]}


def test_the_curated_comparisons_name_published_conditions(client, content):
    for comparison in CURATED:
        assert client.get(url(*comparison.slugs)).status_code == 200, comparison.title
