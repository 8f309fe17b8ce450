"""Side-by-side comparisons of conditions: what the table shows, and the pairs people ask about
most, each with what tells them apart in plain words."""

from dataclasses import dataclass
from operator import attrgetter

from editorial.markdown import markdown_to_text

MIN_COMPARED = 2
MAX_COMPARED = 3


class InvalidComparison(Exception):
    """The conditions asked for cannot be compared; `errors` names each problem."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Comparison:
    slugs: tuple
    title: str
    differences: str  # plain words, one point per line


CURATED = [
    Comparison(
        ("guillain-barre-syndrome", "chronic-inflammatory-demyelinating-polyneuropathy"),
        "Guillain-Barré syndrome (GBS) or CIDP, including acute-onset CIDP",
        "GBS reaches its worst within 4 weeks, then levels off and slowly gets better. CIDP "
        "keeps getting worse, or comes back, for more than 8 weeks.\n"
        "Some people with CIDP start like GBS. Doctors think of this acute-onset CIDP when "
        "someone gets worse again more than 8 weeks after it started, or gets worse three "
        "times or more.\n"
        "GBS can affect breathing and is an emergency. CIDP rarely does.\n"
        "Steroids do not help classic GBS. They are one of the first treatments for CIDP.",
    ),
    Comparison(
        ("chronic-inflammatory-demyelinating-polyneuropathy", "multifocal-motor-neuropathy"),
        "CIDP or multifocal motor neuropathy (MMN)",
        "MMN weakens muscles without numbness, often in the hands, and more on one side. "
        "CIDP usually affects both feeling and strength, on both sides.\n"
        "In MMN, nerve tests show signals blocked in patches along single nerves. About half "
        "of people with MMN have antibodies to GM1 in the blood.\n"
        "Immunoglobulin helps both. Steroids can help CIDP but can make MMN worse.",
    ),
    Comparison(
        ("multiple-sclerosis", "chronic-inflammatory-demyelinating-polyneuropathy"),
        "Multiple sclerosis (MS) or a peripheral neuropathy such as CIDP",
        "MS harms the brain and spinal cord. A peripheral neuropathy harms the nerves outside "
        "them, in the arms, legs and body.\n"
        "MS often causes problems with eyesight, balance, bladder or one side of the body, and "
        "reflexes can become brisk. A neuropathy usually starts in the feet or hands, and "
        "reflexes fade.\n"
        "An MRI scan of the brain and spine helps show MS. Nerve conduction tests show a "
        "neuropathy.",
    ),
    Comparison(
        ("non-systemic-vasculitic-neuropathy", "type-1-diabetes"),
        "Vasculitic neuropathy or diabetic neuropathy",
        "Vasculitic neuropathy often strikes one nerve after another over days or weeks, with "
        "pain, so a hand or foot can become weak quite suddenly. Diabetic neuropathy usually "
        "creeps in slowly over years, in both feet first.\n"
        "Vasculitis may be confirmed with a small sample of nerve (a biopsy) and is treated "
        "with medicines that calm the immune system. Diabetic neuropathy is slowed by keeping "
        "blood sugar in range.\n"
        "People with diabetes can get vasculitic neuropathy too, so sudden, painful weakness "
        "always needs a doctor's check.",
    ),
]


def curated_for(slugs):
    """The curated comparison of exactly these conditions, in any order, or None."""
    wanted = set(slugs)
    return next((c for c in CURATED if set(c.slugs) == wanted), None)


def curated_with(slug):
    """The curated comparisons that include this condition (its page links to them)."""
    return [c for c in CURATED if slug in c.slugs]


def parse(slugs, published_slugs):
    """The slugs to compare, in the order asked, or InvalidComparison naming what is wrong.

    `published_slugs` is the set of those asked that name published conditions.
    """
    errors = []
    unique = list(dict.fromkeys(slug.strip() for slug in slugs if slug.strip()))
    unknown = [slug for slug in unique if slug not in published_slugs]
    if unknown:
        errors.append("No published condition with these names: " + ", ".join(unknown) + ".")
    if len(unique) > MAX_COMPARED:
        errors.append(
            f"Choose at most {MAX_COMPARED} conditions; {len(unique)} were given: "
            + ", ".join(unique)
            + "."
        )
    elif len(unique) < MIN_COMPARED:
        errors.append(f"Choose {MIN_COMPARED} or {MAX_COMPARED} different conditions.")
    if errors:
        raise InvalidComparison(errors)
    return unique


def rows(conditions):
    """[(row heading, [(condition, its lines) for each condition])]."""

    def treatments(condition):
        return [
            f"{link.treatment.name}: {link.get_role_display().lower()}"
            for link in sorted(condition.published_treatment_links, key=attrgetter("role_order"))
        ]

    def urgency(condition):
        if condition.is_emergency:
            return ["Can be a medical emergency: " + markdown_to_text(condition.emergency_warning)]
        return ["Not usually an emergency; see its page for when to get help."]

    shown = [
        ("How fast it starts", lambda c: [c.get_onset_display()] if c.onset else []),
        (
            "Pattern of nerve damage",
            lambda c: [p.plain_name or p.name for p in c.patterns.all()],
        ),
        ("Nerve fibres affected", lambda c: [fibre.label for fibre in c.fibres]),
        (
            "How it damages nerves",
            lambda c: [link.mechanism.name for link in c.published_mechanism_links],
        ),
        ("Key symptoms", lambda c: [s.name for s in c.symptoms.all()][:8]),
        ("Urgency", urgency),
        ("Tests", lambda c: [_first_sentences(markdown_to_text(c.diagnosis), 2)]),
        ("Treatments", treatments),
    ]
    return [
        (heading, [(c, cell(c) or ["Not recorded"]) for c in conditions]) for heading, cell in shown
    ]


def _first_sentences(text, count):
    sentences = [part.strip() for part in text.replace("\n", " ").split(". ") if part.strip()]
    joined = ". ".join(sentences[:count])
    return joined if joined.endswith(".") or not joined else joined + "."
