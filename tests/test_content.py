"""The real content in fixtures/: it loads, it obeys the publishing rules, it reads plainly."""

import re
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
from editorial.readability import SECTION_MAX_GRADE, SUMMARY_MAX_GRADE, score

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
        assert not item.is_reviewed  # the shipped content invents no reviewer


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
        # A condition that is itself a nerve disease has no "how often it causes neuropathy";
        # every other condition says how often it does.
        assert bool(condition.neuropathy_frequency) != condition.is_nerve_disease, condition
        # Every condition that damages peripheral nerves says how (MS, a disease of the brain
        # and spinal cord, has no peripheral pattern, no fibres and so no peripheral mechanism).
        if condition.patterns.exists() or condition.fibres:
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
    # MS strips myelin in the brain and spinal cord: the peripheral Demyelination mechanism
    # must not list it as a cause. Its rare peripheral associations are told in its own text.
    assert not ms.mechanism_links.filter(mechanism__slug="demyelination").exists()
    assert not ms.patterns.exists()
    assert not ms.fibres
    assert not ms.is_nerve_disease
    assert "rare" in ms.nerve_effects.lower()
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
    assert "__mark" not in html


def test_nerve_diagram_has_a_part_for_every_site_in_use(content):
    parser = parse(render_to_string("includes/nerve_diagram.html"))
    for site in set(Mechanism.objects.values_list("nerve_site", flat=True)) | set(NerveSite.values):
        assert parser.parts[f"nerve-part-{site}"]["data-site"] == site


@pytest.mark.parametrize("site", NerveSite.values)
def test_nerve_diagram_highlights_exactly_the_given_part(site):
    html = render_to_string("includes/nerve_diagram.html", {"highlight": site})
    parser = parse(html)
    assert highlighted(parser) == [f"nerve-part-{site}"]
    assert html.count("(affected)") == 2  # in the picture and in the text alternative
    # Not by colour alone: exactly one hatched backdrop, using a pattern that is defined.
    assert html.count('class="nerve-diagram__mark"') == 1
    assert "nerve-diagram-hatch" in parser.ids
    assert 'fill="url(#nerve-diagram-hatch)"' in html
    assert len(html.encode()) < 15_000


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


# --- Clinical and coding rules a content reviewer checked; guarded so an edit cannot undo them.


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def all_text(item, fields):
    return "\n".join(getattr(item, field) for field in fields)


CONDITION_TEXT_FIELDS = [
    "summary",
    *(field for field, _ in CONDITION_SECTIONS),
    "emergency_warning",
]


@pytest.mark.parametrize("slug", ["guillain-barre-syndrome", "miller-fisher-syndrome"])
def test_steroids_are_never_offered_as_a_treatment_for_gbs(content, slug):
    condition = Condition.objects.get(slug=slug)
    steroid_sentences = [
        s for s in sentences(all_text(condition, CONDITION_TEXT_FIELDS)) if "steroid" in s.lower()
    ]
    # Steroids do not help Guillain-Barré syndrome: the page must say so, and every mention
    # must say so too, except the one exception: GBS caused by cancer immune checkpoint
    # inhibitors, which is usually treated with immunoglobulin or plasma exchange plus steroids.
    assert steroid_sentences, f"{slug} should say that steroids are not used"
    assert any(re.search(r"\bnot\b|\bno\b", s.lower()) for s in steroid_sentences), (
        steroid_sentences
    )
    assert all(
        re.search(r"\bnot\b|\bno\b", s.lower()) or "checkpoint inhibitor" in s.lower()
        for s in steroid_sentences
    ), steroid_sentences
    assert "plasma exchange" in condition.treatment.lower()
    assert "immunoglobulin" in condition.treatment.lower()


def test_multifocal_motor_neuropathy_warns_against_steroids(content):
    mmn = Condition.objects.get(slug="multifocal-motor-neuropathy")
    assert "immunoglobulin" in mmn.treatment.lower()
    assert re.search(r"steroids are not used.*worse", mmn.treatment.lower())


def test_only_the_guillain_barre_family_is_flagged_as_an_emergency(content):
    flagged = set(Condition.objects.filter(is_emergency=True).values_list("slug", flat=True))
    # Checkpoint-inhibitor neuropathy belongs here: its GBS-like form can weaken breathing and
    # swallowing within days (ASCO, ESMO and SITC guidance treat it as GBS).
    assert flagged == {
        "guillain-barre-syndrome",
        "miller-fisher-syndrome",
        "checkpoint-inhibitor-neuropathy",
    }


def test_multiple_sclerosis_uses_the_october_2025_codes(content):
    ms = Condition.objects.get(slug="multiple-sclerosis")
    codes = set(ms.codes.filter(system=CodeSystem.ICD10CM).values_list("code", flat=True))
    assert codes, "multiple sclerosis needs an ICD-10-CM code"
    assert all(code.startswith("G35.") for code in codes), codes
    assert "G35.D" in codes  # "Multiple sclerosis, unspecified"
    # Since FY2026 the bare category is not a reportable code anywhere in the content.
    assert not ClinicalCode.objects.filter(system=CodeSystem.ICD10CM, code="G35").exists()


# Codes that became categories (so no longer reportable) in recent ICD-10-CM releases.
RETIRED_ICD10CM = {
    "G35": "expanded to G35.A-G35.D on 1 October 2025",
    "G90.8": "expanded to G90.81/G90.89 on 1 October 2024",
    "M35.0": "expanded to M35.00-M35.0C on 1 October 2021",
}


def test_no_retired_icd10cm_category_is_used(content):
    used = set(
        ClinicalCode.objects.filter(system=CodeSystem.ICD10CM).values_list("code", flat=True)
    )
    assert not used & RETIRED_ICD10CM.keys(), {
        code: RETIRED_ICD10CM[code] for code in used & RETIRED_ICD10CM.keys()
    }


def test_every_clinical_code_is_used_by_a_condition(content):
    assert not ClinicalCode.objects.filter(conditions__isnull=True).exists()


def test_journal_references_have_well_formed_identifiers(content):
    for reference in Reference.objects.all():
        if reference.pubmed_id:
            assert reference.pubmed_id.isdigit(), reference
        if reference.doi:
            assert reference.doi.startswith("10."), reference
        assert reference.url or reference.pubmed_id or reference.doi, reference


# American spellings the en-GB site must not use in its own prose (proper names such as
# "MedlinePlus: Celiac Disease" live in reference titles, aliases and code displays, not here).
AMERICAN_SPELLINGS = re.compile(
    r"\b(anemi\w*|\w*fiber\w*|tumor\w*|hemorrh\w*|esophag\w*|diarrhea\w*|edema|paresthes\w*|"
    r"ischemi\w*|leukemi\w*|celiac|hypesthes\w*|recogniz\w*|organiz\w*|behavior\w*|color\w*|"
    r"center\w*)\b",
    re.I,
)


def test_prose_uses_british_spelling(content):
    found = []
    for condition in Condition.objects.all():
        text = all_text(condition, [*CONDITION_TEXT_FIELDS, "questions_for_doctor"])
        found += [f"{condition.slug}: {m}" for m in AMERICAN_SPELLINGS.findall(text)]
    for mechanism in Mechanism.objects.all():
        text = all_text(mechanism, ["name", "summary", "explanation"])
        found += [f"{mechanism.slug}: {m}" for m in AMERICAN_SPELLINGS.findall(text)]
    for symptom in Symptom.objects.all():
        text = all_text(symptom, ["name", "clinical_term", "description"])
        found += [f"{symptom.slug}: {m}" for m in AMERICAN_SPELLINGS.findall(text)]
    assert found == []


# Education, not personal advice: the content never tells a reader what to take or stop.
PERSONAL_ADVICE = re.compile(
    r"\byou should\b|\byou must\b|\bwe recommend\b|\b(do not|don't) stop\b|\bstart taking\b|"
    r"\bstop taking\b|\bincrease your dose\b",
    re.I,
)


def test_no_personal_advice(content):
    found = []
    for condition in Condition.objects.all():
        found += PERSONAL_ADVICE.findall(all_text(condition, CONDITION_TEXT_FIELDS))
    for mechanism in Mechanism.objects.all():
        found += PERSONAL_ADVICE.findall(all_text(mechanism, ["summary", "explanation"]))
    assert found == []


def test_conditions_listed_for_completeness_say_the_link_is_indirect(content):
    diabetes = Condition.objects.get(slug="type-1-diabetes")
    # Usually metabolic; the exception (diabetic radiculoplexus neuropathy, a nerve-vasculitis
    # variant) is a secondary link, never the primary one.
    assert "usually not an immune attack" in diabetes.summary
    primary = diabetes.mechanism_links.filter(role="primary")
    assert [link.mechanism.slug for link in primary] == ["high-blood-sugar"]
    assert "radiculoplexus" in diabetes.nerve_effects
    sarcoidosis = Condition.objects.get(slug="sarcoidosis")
    assert "immune-mediated" in sarcoidosis.summary
    assert "not a classic autoimmune disease" in sarcoidosis.summary


def test_checkpoint_inhibitor_neuropathy_is_treated_unlike_classic_gbs(content):
    # Immunotherapy-related GBS is the exception to "steroids do not help GBS": the drug is held or
    # stopped, steroids are given, and IVIg or plasma exchange is added for the GBS-like form.
    ici = Condition.objects.get(slug="checkpoint-inhibitor-neuropathy")
    treatment = ici.treatment.lower()
    assert ici.is_emergency
    assert ici.is_nerve_disease
    assert not ici.neuropathy_frequency
    assert "steroids" in treatment
    assert not re.search(r"steroids? (are|is) not used", treatment)
    assert "immunoglobulin" in treatment
    assert "plasma exchange" in treatment
    assert re.search(r"paus|stop", treatment)
    assert ici.patterns.filter(slug="demyelinating-polyradiculoneuropathy").exists()
    assert ici.symptoms.filter(slug="short-of-breath").exists()
