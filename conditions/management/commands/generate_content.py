"""Synthetic published content at scale, for benchmarks: `generate_content --conditions 10000`.

Conditions are written like the real ones (every section, aliases, codes, symptoms, mechanisms,
references, related conditions), from a fixed seed so every run builds the same content.
Rows go in with bulk_create in a few large batches: 10,000 conditions take seconds, not hours.
bulk_create sends no save signals, so the content version is bumped once at the end.
"""

import datetime
import random

from django.core.management import BaseCommand
from django.db import transaction

from conditions.models import (
    Alias,
    ClinicalCode,
    CodeSystem,
    Condition,
    ConditionMechanism,
    Evidence,
    Frequency,
    Mechanism,
    NerveSite,
    NeuropathyPattern,
    Onset,
    Reference,
    Role,
    Status,
    Symptom,
)
from sitecache.version import content_changed

BATCH_SIZE = 500
MECHANISMS = 14
SYMPTOMS = 40

# Plain words the sections are made of; enough variety for search to have real work to do.
WORDS = [
    "nerve",
    "nerves",
    "immune",
    "system",
    "attack",
    "attacks",
    "numbness",
    "tingling",
    "burning",
    "pain",
    "weakness",
    "feet",
    "hands",
    "legs",
    "arms",
    "balance",
    "walking",
    "fatigue",
    "blood",
    "test",
    "tests",
    "treatment",
    "medicine",
    "steroids",
    "infusion",
    "antibodies",
    "inflammation",
    "vessels",
    "swelling",
    "damage",
    "recovery",
    "months",
    "weeks",
    "slowly",
    "quickly",
    "doctor",
    "neurologist",
    "biopsy",
    "scan",
    "skin",
    "muscles",
    "reflexes",
    "sensation",
    "cold",
    "heat",
    "touch",
    "vibration",
    "joints",
    "kidneys",
    "lungs",
    "thyroid",
    "gut",
    "liver",
    "diet",
    "vitamin",
    "sugar",
    "diabetes",
    "alcohol",
    "infection",
    "virus",
    "vaccine",
    "plasma",
    "exchange",
    "immunoglobulin",
    "physiotherapy",
    "exercise",
    "sleep",
    "mood",
    "support",
    "family",
]
NAME_PARTS = [
    "autoimmune",
    "inflammatory",
    "vasculitic",
    "paraneoplastic",
    "demyelinating",
    "axonal",
    "sensory",
    "motor",
    "multifocal",
    "chronic",
    "acute",
    "relapsing",
    "immune",
    "mediated",
    "ganglionopathy",
    "neuropathy",
    "polyneuropathy",
    "neuritis",
    "radiculopathy",
    "plexopathy",
    "syndrome",
    "disease",
]


def sentence(rng, length=12):
    words = rng.choices(WORDS, k=length)
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


class Command(BaseCommand):
    help = "Add N synthetic published conditions (with their related rows) for benchmarking."

    def add_arguments(self, parser):
        parser.add_argument("--conditions", type=int, required=True, help="How many to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    @transaction.atomic
    def handle(self, *args, conditions, seed, verbosity=1, **options):
        rng = random.Random(seed)
        today = datetime.date.today()
        reviewed = {
            "status": Status.PUBLISHED,
            "next_review_due": today + datetime.timedelta(days=335),
        }
        tag = f"s{seed}"
        references = Reference.objects.bulk_create(
            Reference(
                slug=f"synthetic-{tag}-reference-{n}",
                title=f"Synthetic source {n}",
                publisher="Synthetic publisher",
                url=f"https://example.org/synthetic/{tag}/{n}",
                year=2024,
            )
            for n in range(20)
        )
        mechanisms = Mechanism.objects.bulk_create(
            Mechanism(
                name=f"Synthetic mechanism {n} {rng.choice(NAME_PARTS)}",
                slug=f"synthetic-{tag}-mechanism-{n}",
                summary=paragraph(rng, 2),
                explanation=paragraph(rng, 6),
                nerve_site=rng.choice(NerveSite.values),
                **reviewed,
            )
            for n in range(MECHANISMS)
        )
        symptoms = Symptom.objects.bulk_create(
            Symptom(
                name=f"synthetic {rng.choice(WORDS)} {n}",
                slug=f"synthetic-{tag}-symptom-{n}",
                clinical_term=rng.choice(WORDS),
                description=paragraph(rng, 2),
                status=Status.PUBLISHED,
            )
            for n in range(SYMPTOMS)
        )
        patterns = list(NeuropathyPattern.objects.all())

        created = []
        for start in range(0, conditions, BATCH_SIZE):
            created += self.add_batch(
                rng, tag, range(start, min(start + BATCH_SIZE, conditions)), reviewed
            )
        self.link(rng, created, mechanisms, symptoms, references, patterns)
        # bulk_create sends no signals: tell every server's caches once, as a save would.
        content_changed()
        if verbosity:
            self.stdout.write(f"Added {len(created)} synthetic conditions.")

    def add_batch(self, rng, tag, numbers, reviewed):
        batch = []
        for n in numbers:
            emergency = rng.random() < 0.1
            name = " ".join(rng.sample(NAME_PARTS, 3)).capitalize()
            batch.append(
                Condition(
                    name=f"{name} {n}",
                    slug=f"synthetic-{tag}-condition-{n}",
                    summary=paragraph(rng, 2),
                    overview=paragraph(rng, 5),
                    nerve_effects=paragraph(rng, 4),
                    symptoms_text=paragraph(rng, 4),
                    diagnosis=paragraph(rng, 4),
                    treatment=paragraph(rng, 4),
                    help_same_day=paragraph(rng, 2),
                    questions_for_doctor=paragraph(rng, 3),
                    onset=rng.choice(Onset.values),
                    affects_sensory=rng.random() < 0.8,
                    affects_motor=rng.random() < 0.5,
                    affects_autonomic=rng.random() < 0.3,
                    neuropathy_frequency=rng.choice(Frequency.values),
                    is_emergency=emergency,
                    emergency_warning=sentence(rng) if emergency else "",
                    **reviewed,
                )
            )
        return Condition.objects.bulk_create(batch)

    def link(self, rng, conditions, mechanisms, symptoms, references, patterns):
        aliases, codes, links = [], [], []
        for condition in conditions:
            aliases.append(
                Alias(condition=condition, name=f"{rng.choice(NAME_PARTS)} variant {condition.pk}")
            )
            aliases.append(
                Alias(condition=condition, name=f"SYN{condition.pk}", is_abbreviation=True)
            )
            codes.append(
                ClinicalCode(
                    system=CodeSystem.SNOMEDCT,
                    code=str(900_000_000 + condition.pk),
                    display=f"Synthetic code for {condition.name}",
                )
            )
            for role, mechanism in zip(
                [Role.PRIMARY, Role.SECONDARY], rng.sample(mechanisms, 2), strict=True
            ):
                links.append(
                    ConditionMechanism(
                        condition=condition,
                        mechanism=mechanism,
                        role=role,
                        evidence=rng.choice(Evidence.values),
                    )
                )
        Alias.objects.bulk_create(aliases, batch_size=BATCH_SIZE)
        codes = ClinicalCode.objects.bulk_create(codes, batch_size=BATCH_SIZE)
        ConditionMechanism.objects.bulk_create(links, batch_size=BATCH_SIZE)

        through = Condition.codes.through
        through.objects.bulk_create(
            [
                through(condition_id=condition.pk, clinicalcode_id=code.pk)
                for condition, code in zip(conditions, codes, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        through = Condition.symptoms.through
        through.objects.bulk_create(
            [
                through(condition_id=condition.pk, symptom_id=symptom.pk)
                for condition in conditions
                for symptom in rng.sample(symptoms, 4)
            ],
            batch_size=BATCH_SIZE,
        )
        through = Condition.references.through
        through.objects.bulk_create(
            [
                through(condition_id=condition.pk, reference_id=reference.pk)
                for condition in conditions
                for reference in rng.sample(references, 2)
            ],
            batch_size=BATCH_SIZE,
        )
        if patterns:
            through = Condition.patterns.through
            through.objects.bulk_create(
                [
                    through(condition_id=condition.pk, neuropathypattern_id=pattern.pk)
                    for condition in conditions
                    for pattern in rng.sample(patterns, min(2, len(patterns)))
                ],
                batch_size=BATCH_SIZE,
            )
        # Symmetrical: each pair is stored both ways, as related_conditions.add() would.
        through = Condition.related_conditions.through
        pairs = set()
        for index, condition in enumerate(conditions[1:], start=1):
            other = conditions[rng.randrange(index)]
            pairs |= {(condition.pk, other.pk), (other.pk, condition.pk)}
        through.objects.bulk_create(
            [through(from_condition_id=a, to_condition_id=b) for a, b in pairs],
            batch_size=BATCH_SIZE,
        )
