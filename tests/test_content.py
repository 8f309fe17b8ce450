"""The real content in fixtures/: it loads, it obeys the publishing rules, it reads plainly."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string

from conditions.models import (
    CONDITION_SECTIONS,
    Alias,
    ClinicalCode,
    CodeSystem,
    Condition,
    ConditionMechanism,
    Frequency,
    Mechanism,
    NerveSite,
    Reference,
    Symptom,
)
from conditions.readability import SECTION_MAX_GRADE, SUMMARY_MAX_GRADE, score

CONTENT_MODELS = [Condition, Mechanism, Symptom, Reference, ClinicalCode, Alias, ConditionMechanism]

pytestmark = pytest.mark.django_db


def fixture_files():
    return sorted(
        path for directory in settings.FIXTURE_DIRS for path in Path(directory).glob("*.json")
    )


def counts():
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS} | {
        "related links": Condition.related_conditions.through.objects.count(),
        "code links": Condition.codes.through.objects.count(),
    }


def test_there_are_numbered_fixture_files():
    names = [path.name for path in fixture_files()]
    assert names, "fixtures/ holds no content"
    assert all(name[:2].isdigit() for name in names), names


def test_fixtures_load_into_an_empty_database():
    assert Condition.objects.count() == 0
    call_command("load_content", verbosity=0)
    assert Condition.objects.exists()


def test_loading_twice_creates_no_duplicates(content):
    before = counts()
    call_command("load_content", verbosity=0)
    assert counts() == before


def test_coverage(content):
    assert Condition.objects.published().count() >= 20
    assert Mechanism.objects.published().count() >= 10
    assert Symptom.objects.count() >= 15


def test_the_foundation_conditions_are_there(content):
    slugs = set(Condition.objects.published().values_list("slug", flat=True))
    assert {
        "rheumatoid-arthritis",
        "systemic-lupus-erythematosus",
        "guillain-barre-syndrome",
        "sjogrens-disease",
        "multiple-sclerosis",
        "systemic-vasculitis",
    } <= slugs


def test_every_published_item_passes_the_publishing_rules(content):
    for item in [*Condition.objects.published(), *Mechanism.objects.published()]:
        assert item.publication_problems() == [], item
        item.full_clean()
        assert item.reviewer is None
        assert item.next_review_due > item.last_reviewed


def test_every_code_is_well_formed_for_its_system(content):
    for code in ClinicalCode.objects.all():
        stored = code.code
        code.full_clean()  # normalises, then checks the system's pattern
        assert code.code == stored, f"{stored} is not stored in its normal form"


def test_each_condition_is_complete(content):
    for condition in Condition.objects.published():
        assert condition.references.count() >= 2, condition
        assert condition.codes.filter(system=CodeSystem.ICD10CM).exists(), condition
        for field, heading in CONDITION_SECTIONS:
            assert getattr(condition, field).strip(), f"{condition}: {heading}"
        assert condition.questions_for_doctor.strip().startswith("- "), condition
        assert condition.onset, condition
        assert condition.neuropathy_frequency, condition
        assert condition.mechanism_links.exists(), condition
        assert condition.symptoms.exists(), condition
        assert condition.aliases.exists(), condition
        if condition.is_emergency:
            assert condition.emergency_warning.strip(), condition


def test_links_are_consistent(content):
    assert not Mechanism.objects.filter(condition_links__isnull=True).exists()
    assert not Symptom.objects.filter(conditions__isnull=True).exists()
    for condition in Condition.objects.all():
        for other in condition.related_conditions.all():
            assert other.pk != condition.pk
            assert condition in other.related_conditions.all()
    for reference in Reference.objects.all():
        assert reference.conditions.exists() or reference.mechanisms.exists(), reference


def test_references_can_be_followed(content):
    for reference in Reference.objects.all():
        reference.full_clean()
        assert reference.link.startswith("https://"), reference


def test_summaries_and_sections_are_plain_language(content):
    too_hard = []
    for condition in Condition.objects.published():
        texts = [("summary", condition.summary, SUMMARY_MAX_GRADE)]
        texts += [
            (field, getattr(condition, field), SECTION_MAX_GRADE) for field, _ in CONDITION_SECTIONS
        ]
        for field, text, limit in texts:
            if score(text).too_hard(limit):
                too_hard.append(f"{condition.slug}.{field}: grade {score(text).grade}")
    for mechanism in Mechanism.objects.published():
        for field, limit in (("summary", SUMMARY_MAX_GRADE), ("explanation", SECTION_MAX_GRADE)):
            text = getattr(mechanism, field)
            if score(text).too_hard(limit):
                too_hard.append(f"{mechanism.slug}.{field}: grade {score(text).grade}")
    assert too_hard == []


def test_common_abbreviations_are_marked(content):
    for slug, abbreviation in [
        ("systemic-lupus-erythematosus", "SLE"),
        ("guillain-barre-syndrome", "GBS"),
        ("rheumatoid-arthritis", "RA"),
        ("multiple-sclerosis", "MS"),
    ]:
        assert Alias.objects.get(condition__slug=slug, name=abbreviation).is_abbreviation


def test_multiple_sclerosis_is_stated_accurately(content):
    ms = Condition.objects.get(slug="multiple-sclerosis")
    assert ms.neuropathy_frequency == Frequency.RARE
    assert "brain and spinal cord" in ms.summary
    link = ms.mechanism_links.get()
    assert "rare" in link.note.lower()
    assert link.role == "secondary"
    # Current ICD-10-CM (from October 2025) splits G35 into specific codes; G35 alone is gone.
    assert not ms.codes.filter(system=CodeSystem.ICD10CM, code="G35").exists()


def test_guillain_barre_is_flagged_as_an_emergency(content):
    gbs = Condition.objects.get(slug="guillain-barre-syndrome")
    assert gbs.is_emergency
    assert gbs.onset == "acute"
    assert "infection" in gbs.summary
    assert gbs.codes.filter(system=CodeSystem.ICD10CM, code="G61.0").exists()


def test_vasculitic_neuropathy_is_described_as_painful_and_patchy(content):
    vasculitis = Condition.objects.get(slug="systemic-vasculitis")
    assert "painful and patchy" in vasculitis.summary
    assert vasculitis.patterns.filter(slug="mononeuritis-multiplex").exists()


class PartParser(HTMLParser):
    """Collects the SVG's addressable parts and its accessibility hooks from rendered HTML."""

    def __init__(self):
        super().__init__()
        self.parts = {}
        self.svg = None
        self.ids = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "svg":
            self.svg = attrs
        if tag == "g" and attrs.get("id", "").startswith(("nerve-part-", "pattern-")):
            self.parts[attrs["id"]] = attrs


def parse(html):
    parser = PartParser()
    parser.feed(html)
    return parser


def highlighted(parser):
    return sorted(
        i for i, a in parser.parts.items() if "is-highlighted" in a.get("class", "").split()
    )


@pytest.mark.parametrize("template", ["nerve_diagram", "pattern_diagram"])
def test_diagrams_are_accessible_and_small(template):
    html = render_to_string(f"includes/{template}.html")
    parser = parse(html)
    assert parser.svg["role"] == "img"
    labelled_by = parser.svg["aria-labelledby"].split()
    assert all(label in parser.ids for label in labelled_by)
    assert "<title" in html
    assert "<desc" in html
    assert "<text" in html
    assert "<figcaption" in html  # the visible text alternative
    assert "style=" not in html  # a strict CSP forbids inline styles
    assert parser.svg["viewbox"]
    assert parser.svg["width"] == "100%"
    assert len(html.encode()) < 15_000
    assert highlighted(parser) == []


def test_nerve_diagram_has_a_part_for_every_site_in_use(content):
    parser = parse(render_to_string("includes/nerve_diagram.html"))
    for site in set(Mechanism.objects.values_list("nerve_site", flat=True)) | set(NerveSite.values):
        assert parser.parts[f"nerve-part-{site}"]["data-site"] == site


@pytest.mark.parametrize("site", NerveSite.values)
def test_nerve_diagram_highlights_exactly_the_given_part(site):
    html = render_to_string("includes/nerve_diagram.html", {"highlight": site})
    assert highlighted(parse(html)) == [f"nerve-part-{site}"]
    assert html.count("(affected)") == 2  # in the picture and in the text alternative


@pytest.mark.parametrize(
    "highlight, expected",
    [
        ("mononeuritis-multiplex", ["pattern-mononeuritis-multiplex"]),
        ("symmetric-length-dependent", ["pattern-symmetric-length-dependent"]),
        (
            ["symmetric-length-dependent", "mononeuritis-multiplex"],
            ["pattern-mononeuritis-multiplex", "pattern-symmetric-length-dependent"],
        ),
        ("small-fibre", []),
    ],
)
def test_pattern_diagram_highlights_the_given_patterns(highlight, expected):
    html = render_to_string("includes/pattern_diagram.html", {"highlight": highlight})
    assert highlighted(parse(html)) == expected
    assert html.count("This is the pattern on this page") == len(expected)


def test_diagram_stylesheet_is_a_static_file():
    assert finders.find("css/diagram.css")
