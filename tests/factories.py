"""Factories for test data; the real content lives in fixtures/ and is used where it matters."""

import factory
from django.contrib.auth import get_user_model

from conditions import models
from editorial.models import Reviewer


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Reference

    slug = factory.Sequence(lambda n: f"reference-{n}")
    title = factory.Sequence(lambda n: f"Peripheral neuropathy fact sheet {n}")
    publisher = "National Institute of Neurological Disorders and Stroke"
    url = factory.Sequence(lambda n: f"https://www.ninds.nih.gov/fact-sheet-{n}")
    year = 2024


class ClinicalCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClinicalCode
        django_get_or_create = ["system", "code"]

    system = models.CodeSystem.ICD10CM
    code = factory.Sequence(lambda n: f"G{60 + n % 5}.{n % 10}")
    display = factory.Sequence(lambda n: f"Neuropathy code {n}")


class SymptomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Symptom

    name = factory.Sequence(lambda n: f"tingling {n}")
    slug = factory.Sequence(lambda n: f"tingling-{n}")
    clinical_term = "paraesthesia"
    description = "A feeling of pins and needles."
    status = models.Status.PUBLISHED


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Mechanism

    name = factory.Sequence(lambda n: f"Mechanism {n}")
    slug = factory.Sequence(lambda n: f"mechanism-{n}")
    summary = "The immune system harms a part of the nerve."
    explanation = "Immune cells attack the nerve."
    nerve_site = models.NerveSite.AXON
    status = models.Status.PUBLISHED


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Condition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")
    summary = "A disease where the immune system can harm the nerves."
    overview = "An overview."
    nerve_effects = "How it harms the nerves."
    symptoms_text = "Numbness and tingling."
    diagnosis = "Blood tests and nerve tests."
    treatment = "Medicines that calm the immune system."
    living_with = "Most people keep working with support."
    onset = models.Onset.CHRONIC
    neuropathy_frequency = models.Frequency.OCCASIONAL
    affects_sensory = True
    status = models.Status.PUBLISHED

    @factory.post_generation
    def references(self, create, extracted, **kwargs):
        if create:
            self.references.add(*(extracted or [ReferenceFactory()]))

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.codes.add(*extracted)


class ReviewerFactory(factory.django.DjangoModelFactory):
    """A medical reviewer, with the staff account that reviews as them."""

    class Meta:
        model = Reviewer
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    name = factory.Sequence(lambda n: f"Dr A. Example {n}")
    credentials = "consultant neurologist"
    user = factory.SubFactory(UserFactory, is_staff=True)


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GlossaryTerm

    term = factory.Sequence(lambda n: f"Term {n}")
    slug = factory.Sequence(lambda n: f"term-{n}")
    definition = "A short plain definition."
    status = models.Status.PUBLISHED


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Treatment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Treatment {n}")
    slug = factory.Sequence(lambda n: f"treatment-{n}")
    kind = models.TreatmentKind.MEDICINE
    summary = "A medicine that calms the immune system."
    what_it_is = "A medicine made from donor blood."
    how_given = "Through a drip into a vein, over a few hours."
    on_the_day = "A nurse puts a thin tube into a vein."
    common_side_effects = "- Headache"
    serious_side_effects = "- Trouble breathing"
    questions_to_ask = "- How soon will it help?"
    status = models.Status.PUBLISHED

    @factory.post_generation
    def references(self, create, extracted, **kwargs):
        if create:
            self.references.add(*(extracted or [ReferenceFactory()]))
