"""JSON shapes of the published content. Nested lists come from prefetches (see views.py)."""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from changes.models import Action
from conditions.languages import alternates_for
from conditions.models import (
    CONDITION_SECTIONS,
    QUESTIONS_HEADING,
    ClinicalCode,
    CodeSystem,
    Condition,
    ConditionMechanism,
    ConditionTreatment,
    Fibre,
    Mechanism,
    NeuropathyPattern,
    Reference,
    Symptom,
    Treatment,
    TreatmentRole,
)
from editorial.markdown import markdown_to_text, render_markdown
from ops.origin import absolute_url

from .lookup import Match


@extend_schema_field({"type": "string", "format": "uri"})
class PageURLField(serializers.ReadOnlyField):
    """The absolute address of an object's HTML page."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value):
        # The configured canonical origin, never the request's Host.
        return absolute_url(value)


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
        others = []
        for entry in alternates_for(item):
            if entry["exists"] and not entry["current"]:
                with translation.override(entry["code"]):
                    slug = item.slug
                record = reverse(f"api:{item._meta.model_name}-detail", kwargs={"slug": slug})
                others.append(
                    {
                        "lang": entry["code"],
                        "url": absolute_url(entry["url"]),
                        "api_url": absolute_url(f"{record}?lang={entry['code']}"),
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


class ConditionTreatmentSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="treatment.slug")
    name = serializers.CharField(source="treatment.name")
    role = serializers.ChoiceField(choices=TreatmentRole.choices)

    class Meta:
        model = ConditionTreatment
        fields = ["slug", "name", "role", "note"]


class MarkdownTextField(serializers.ReadOnlyField):
    """An editor's Markdown as plain words, all markup removed."""

    def to_representation(self, value):
        return markdown_to_text(value)


class MarkdownHTMLField(serializers.ReadOnlyField):
    """An editor's Markdown as sanitised HTML (the same rendering the pages use)."""

    def to_representation(self, value):
        return str(render_markdown(value))


@extend_schema_field(str)
class _StringMarkdownText(MarkdownTextField):
    pass


@extend_schema_field(str)
class _StringMarkdownHTML(MarkdownHTMLField):
    pass


class EmergencySerializer(serializers.Serializer):
    flag = serializers.BooleanField(source="is_emergency", help_text="A medical emergency.")
    warning = _StringMarkdownText(
        source="emergency_warning", help_text="What to do, now (plain text)."
    )
    warning_html = _StringMarkdownHTML(
        source="emergency_warning", help_text="What to do, now (sanitised HTML)."
    )


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


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    display = serializers.CharField()


class CrosswalkSerializer(serializers.Serializer):
    """The condition's codes by terminology: the same disease in each system an EHR may use."""

    icd10cm = CodeSerializer(many=True, help_text="ICD-10-CM")
    snomedct = CodeSerializer(many=True, help_text="SNOMED CT")
    mesh = CodeSerializer(many=True, help_text="MeSH")
    orpha = CodeSerializer(many=True, help_text="Orphanet ORPHAcode")

    def to_representation(self, condition):
        by_system = {system: [] for system in CodeSystem.values}
        for code in sorted(condition.codes.all(), key=lambda code: code.code):
            by_system[code.system].append({"code": code.code, "display": code.display})
        return by_system


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
    treatments = ConditionTreatmentSerializer(
        many=True, source="published_treatment_links", read_only=True
    )
    symptoms = SymptomSummarySerializer(many=True, read_only=True)
    codes = ClinicalCodeSerializer(many=True, read_only=True)
    crosswalk = CrosswalkSerializer(source="*", read_only=True)
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
            "treatments",
            "symptoms",
            "codes",
            "crosswalk",
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
    matched_code = ClinicalCodeSerializer(
        allow_null=True, help_text="The condition's code that matched (null for a name match)."
    )

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
    description = _StringMarkdownText(help_text="What it feels like (plain text).")
    description_html = _StringMarkdownHTML(
        source="description", help_text="What it feels like (sanitised HTML)."
    )

    class Meta:
        model = Symptom
        fields = [
            "slug",
            "name",
            "clinical_term",
            "description",
            "description_html",
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


class TreatmentSerializer(serializers.ModelSerializer):
    url = PageURLField()
    review = ReviewSerializer(source="*", read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Treatment
        fields = ["slug", "name", "kind", "summary", "url", "references", "review"]


class TreatmentConditionSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="condition.slug")
    name = serializers.CharField(source="condition.name")
    role = serializers.ChoiceField(choices=TreatmentRole.choices)

    class Meta:
        model = ConditionTreatment
        fields = ["slug", "name", "role", "note"]


class TreatmentDetailSerializer(TreatmentSerializer):
    sections = serializers.SerializerMethodField()
    conditions = TreatmentConditionSerializer(
        many=True, source="published_condition_links", read_only=True
    )

    class Meta(TreatmentSerializer.Meta):
        fields = [*TreatmentSerializer.Meta.fields, "sections", "conditions"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, treatment):
        """Every written section, in reading order."""
        return [_section(key, heading, text) for key, heading, text in treatment.sections()]


class ComparisonCellSerializer(serializers.Serializer):
    condition = serializers.CharField(help_text="The condition's slug.")
    lines = serializers.ListField(child=serializers.CharField())


class ComparisonRowSerializer(serializers.Serializer):
    heading = serializers.CharField()
    cells = ComparisonCellSerializer(many=True)


class ComparisonSerializer(serializers.Serializer):
    conditions = RelatedConditionSerializer(many=True)
    rows = ComparisonRowSerializer(many=True)
    differences = serializers.ListField(
        child=serializers.CharField(),
        help_text="What tells them apart, in plain words (curated comparisons only).",
    )


class LookupQuerySerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=CodeSystem.choices, allow_null=True)
    code = serializers.CharField(
        allow_null=True, help_text="The code as normalised: upper case, with its dot."
    )


class LookupResponseSerializer(serializers.Serializer):
    query = LookupQuerySerializer()
    count = serializers.IntegerField()
    results = LookupResultSerializer(many=True)


class InfobuttonJsonFeedSerializer(serializers.Serializer):
    """knowledgeResponseType=application/json: the Infobutton guide's JSON form of the Atom
    feed (element text as `_value`, attributes beside it)."""

    feed = serializers.DictField(
        help_text="title, subtitle, id, updated, author, rights, category, entry[]."
    )


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


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.SerializerMethodField()
    type = serializers.CharField(source="item_type", help_text="condition, mechanism or symptom")
    slug = serializers.CharField()
    language = serializers.CharField()
    action = serializers.ChoiceField(choices=Action.choices)
    tombstone = serializers.BooleanField(
        source="is_tombstone", help_text="Unpublished or deleted: remove your copy."
    )
    at = serializers.DateTimeField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text="What changed, in one line.")
    reviewed = serializers.BooleanField(help_text="A named medical reviewer approved it.")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_cursor(self, change) -> str:
        return f"c{change.pk}"

    def get_url(self, change) -> str:
        return absolute_url(change.page_path)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_api_url(self, change):
        # Glossary terms have a page but no API record of their own.
        try:
            path = reverse(f"api:{change.item_type}-detail", kwargs={"slug": change.slug})
        except NoReverseMatch:
            return None
        return absolute_url(path)


class ChangesPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Changes on this page.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    next_cursor = serializers.CharField(help_text="Send as `since` to get what follows.")
    results = ChangeSerializer(many=True)
