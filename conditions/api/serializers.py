"""JSON shapes of the published content. Nested lists come from prefetches (see views.py)."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conditions.languages import alternates_for
from conditions.models import (
    CONDITION_SECTIONS,
    QUESTIONS_HEADING,
    ClinicalCode,
    CodeSystem,
    Condition,
    ConditionMechanism,
    Fibre,
    Mechanism,
    NeuropathyPattern,
    Reference,
    Symptom,
)
from editorial.markdown import markdown_to_text, render_markdown

from .lookup import Match


@extend_schema_field({"type": "string", "format": "uri"})
class PageURLField(serializers.ReadOnlyField):
    """The absolute address of an object's HTML page."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value


class OtherLanguageSerializer(serializers.Serializer):
    lang = serializers.CharField(help_text="Language code: en or es.")
    url = serializers.URLField(help_text="The item's page in that language.")
    api_url = serializers.URLField(help_text="This record in that language.")


@extend_schema_field(OtherLanguageSerializer(many=True))
class OtherLanguagesField(serializers.ReadOnlyField):
    """The item's page and record in each other language it is published in."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, item):
        request = self.context.get("request")
        absolute = request.build_absolute_uri if request else str
        others = []
        for entry in alternates_for(item):
            if entry["exists"] and not entry["current"]:
                with translation.override(entry["code"]):
                    slug = item.slug
                record = reverse(f"api:{item._meta.model_name}-detail", kwargs={"slug": slug})
                others.append(
                    {
                        "lang": entry["code"],
                        "url": absolute(entry["url"]),
                        "api_url": absolute(f"{record}?lang={entry['code']}"),
                    }
                )
        return others


class ReferenceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="link", help_text="The best address to read it at.")

    class Meta:
        model = Reference
        fields = ["title", "publisher", "year", "url", "pubmed_id", "doi"]


class ClinicalCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClinicalCode
        fields = ["system", "code", "display"]


class ReviewerSerializer(serializers.Serializer):
    name = serializers.CharField()
    credentials = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    """Whether a named medical reviewer approved the content, who, and when: never claimed
    for content that has not had clinical review."""

    reviewed = serializers.BooleanField(source="is_reviewed")
    reviewed_on = serializers.DateField(allow_null=True)
    reviewed_by = ReviewerSerializer(allow_null=True)
    next_review_due = serializers.DateField(allow_null=True)

    def to_representation(self, item):
        data = super().to_representation(item)
        if not item.is_reviewed:
            data.update(reviewed_on=None, reviewed_by=None)
        return data


class PatternSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeuropathyPattern
        fields = ["slug", "name", "plain_name"]


class SymptomSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Symptom
        fields = ["slug", "name", "clinical_term"]


class ConditionMechanismSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="mechanism.slug")
    name = serializers.CharField(source="mechanism.name")

    class Meta:
        model = ConditionMechanism
        fields = ["slug", "name", "role", "evidence"]


class EmergencySerializer(serializers.Serializer):
    flag = serializers.BooleanField(source="is_emergency", help_text="A medical emergency.")
    warning = serializers.CharField(source="emergency_warning", help_text="What to do, now.")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    heading = serializers.CharField()
    html = serializers.CharField(help_text="Sanitised HTML.")
    text = serializers.CharField(help_text="The same words with all markup removed.")


def _section(key, heading, markdown):
    return {
        "key": key,
        "heading": heading,
        "html": str(render_markdown(markdown)),
        "text": markdown_to_text(markdown),
    }


class ConditionSerializer(serializers.ModelSerializer):
    url = PageURLField()
    other_languages = OtherLanguagesField()
    review = ReviewSerializer(source="*", read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    patterns = PatternSerializer(many=True, read_only=True)
    fibres = serializers.ListField(child=serializers.ChoiceField(choices=Fibre.choices))
    emergency = EmergencySerializer(source="*")
    mechanisms = ConditionMechanismSerializer(
        many=True, source="published_mechanism_links", read_only=True
    )
    symptoms = SymptomSummarySerializer(many=True, read_only=True)
    codes = ClinicalCodeSerializer(many=True, read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Condition
        fields = [
            "slug",
            "name",
            "aliases",
            "summary",
            "url",
            "other_languages",
            "onset",
            "patterns",
            "fibres",
            "neuropathy_frequency",
            "emergency",
            "mechanisms",
            "symptoms",
            "codes",
            "references",
            "review",
        ]


class RelatedConditionSerializer(serializers.ModelSerializer):
    url = PageURLField()

    class Meta:
        model = Condition
        fields = ["slug", "name", "url"]


class ConditionDetailSerializer(ConditionSerializer):
    sections = serializers.SerializerMethodField()
    related_conditions = RelatedConditionSerializer(
        many=True, source="published_related_conditions", read_only=True
    )

    class Meta(ConditionSerializer.Meta):
        fields = [*ConditionSerializer.Meta.fields, "sections", "related_conditions"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, condition):
        """Every written section, in reading order, then the questions to ask a doctor."""
        written = [
            # The headings are the catalogue's msgids (locale/), in the language asked for.
            _section(key, gettext(heading), getattr(condition, key))
            for key, heading in [
                *CONDITION_SECTIONS,
                ("questions_for_doctor", QUESTIONS_HEADING),
            ]
            if getattr(condition, key).strip()
        ]
        return written


class LookupResultSerializer(ConditionSerializer):
    match = serializers.ChoiceField(choices=Match.choices, help_text="How the codes relate.")
    matched_code = ClinicalCodeSerializer(help_text="The condition's code that matched.")

    class Meta(ConditionSerializer.Meta):
        fields = ["match", "matched_code", *ConditionSerializer.Meta.fields]


class MechanismSerializer(serializers.ModelSerializer):
    url = PageURLField()
    other_languages = OtherLanguagesField()
    review = ReviewSerializer(source="*", read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Mechanism
        fields = [
            "slug",
            "name",
            "summary",
            "url",
            "other_languages",
            "nerve_site",
            "references",
            "review",
        ]


class MechanismConditionSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="condition.slug")
    name = serializers.CharField(source="condition.name")

    class Meta:
        model = ConditionMechanism
        fields = ["slug", "name", "role", "evidence"]


class MechanismDetailSerializer(MechanismSerializer):
    explanation = serializers.SerializerMethodField()
    conditions = MechanismConditionSerializer(
        many=True, source="published_condition_links", read_only=True
    )

    class Meta(MechanismSerializer.Meta):
        fields = [*MechanismSerializer.Meta.fields, "explanation", "conditions"]

    @extend_schema_field(SectionSerializer)
    def get_explanation(self, mechanism):
        return _section("explanation", gettext("How it harms the nerves"), mechanism.explanation)


class SymptomSerializer(serializers.ModelSerializer):
    url = PageURLField()
    other_languages = OtherLanguagesField()
    review = ReviewSerializer(source="*", read_only=True)

    class Meta:
        model = Symptom
        fields = [
            "slug",
            "name",
            "clinical_term",
            "description",
            "url",
            "other_languages",
            "review",
        ]


class SymptomDetailSerializer(SymptomSerializer):
    conditions = RelatedConditionSerializer(
        many=True, source="published_conditions", read_only=True
    )

    class Meta(SymptomSerializer.Meta):
        fields = [*SymptomSerializer.Meta.fields, "conditions"]


class LookupQuerySerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=CodeSystem.choices)
    code = serializers.CharField(help_text="The code as normalised: upper case, with its dot.")


class LookupResponseSerializer(serializers.Serializer):
    query = LookupQuerySerializer()
    count = serializers.IntegerField()
    results = LookupResultSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, in words.")


class InvalidParametersSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each invalid parameter with its messages.",
    )
    accepted = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each invalid parameter with the values it accepts (or a description of them).",
    )


class ThrottledSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(
        required=False, help_text="Seconds to wait; also in the Retry-After header."
    )
