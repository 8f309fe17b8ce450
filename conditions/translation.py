"""The content fields that have a Spanish column (django-modeltranslation).

Each field listed gets `<field>_en` and `<field>_es` columns in the same row; reading the
plain name gives the active language's text, or the English text where there is none.
Whether a Spanish page is public is the translation's review (editorial.Translation), not
whether its columns are filled. Aliases are not translations of each other: each alias row
carries its own language (Alias.language).
"""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import (
    Condition,
    ConditionMechanism,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Symptom,
)

HELP_FIELDS = ("help_emergency", "help_same_day", "help_routine")


@register(Condition)
class ConditionTranslation(TranslationOptions):
    fields = (
        "slug",
        "name",
        "summary",
        "overview",
        "nerve_effects",
        "symptoms_text",
        "diagnosis",
        "treatment",
        "living_with",
        "questions_for_doctor",
        "emergency_warning",
        *HELP_FIELDS,
    )


@register(Mechanism)
class MechanismTranslation(TranslationOptions):
    fields = ("slug", "name", "summary", "explanation")


@register(Symptom)
class SymptomTranslation(TranslationOptions):
    fields = ("slug", "name", "clinical_term", "description", *HELP_FIELDS)


@register(GlossaryTerm)
class GlossaryTermTranslation(TranslationOptions):
    fields = ("slug", "term", "definition", "other_forms")


@register(NeuropathyPattern)
class NeuropathyPatternTranslation(TranslationOptions):
    fields = ("name", "plain_name", "description")


@register(ConditionMechanism)
class ConditionMechanismTranslation(TranslationOptions):
    fields = ("note",)


# Each item's history keeps both languages: the historical models get the same columns.
for model in (Condition, Mechanism, Symptom, GlossaryTerm, ConditionMechanism):
    translator.register(model.history.model, translator.get_options_for_model(model).__class__)
