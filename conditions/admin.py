from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Alias,
    ClinicalCode,
    Condition,
    ConditionMechanism,
    Mechanism,
    NeuropathyPattern,
    Reference,
    Symptom,
)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class ConditionMechanismInline(admin.TabularInline):
    model = ConditionMechanism
    autocomplete_fields = ["mechanism"]
    extra = 1


@admin.register(Condition)
class ConditionAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "status",
        "onset",
        "neuropathy_frequency",
        "is_emergency",
        "code_list",
        "next_review_due",
        "updated",
    ]
    list_filter = ["status", "onset", "neuropathy_frequency", "is_emergency", "patterns"]
    search_fields = ["name", "slug", "aliases__name", "codes__code", "codes__display"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["codes", "symptoms", "references", "related_conditions", "reviewer"]
    filter_horizontal = ["patterns"]
    inlines = [AliasInline, ConditionMechanismInline]
    date_hierarchy = "updated"
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary"]}),
        (
            "Sections",
            {
                "fields": [
                    "overview",
                    "nerve_effects",
                    "symptoms_text",
                    "diagnosis",
                    "treatment",
                    "urgent_help",
                    "questions_for_doctor",
                ]
            },
        ),
        (
            "Classification",
            {
                "fields": [
                    "onset",
                    "patterns",
                    ("affects_sensory", "affects_motor", "affects_autonomic"),
                    "neuropathy_frequency",
                    ("is_emergency", "emergency_warning"),
                ]
            },
        ),
        ("Links", {"fields": ["codes", "symptoms", "related_conditions", "references"]}),
        (
            "Editorial",
            {"fields": ["status", "last_reviewed", "next_review_due", "reviewer"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("codes")

    @admin.display(description="Codes")
    def code_list(self, condition):
        return ", ".join(code.code for code in condition.codes.all())


@admin.register(Mechanism)
class MechanismAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "nerve_site", "condition_count", "next_review_due", "updated"]
    list_filter = ["status", "nerve_site"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references", "reviewer"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "explanation", "nerve_site"]}),
        ("Links", {"fields": ["references"]}),
        ("Editorial", {"fields": ["status", "last_reviewed", "next_review_due", "reviewer"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(condition_total=Count("condition_links"))

    @admin.display(description="Conditions", ordering="condition_total")
    def condition_count(self, mechanism):
        return mechanism.condition_total


@admin.register(Symptom)
class SymptomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "clinical_term", "slug"]
    search_fields = ["name", "clinical_term", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Reference)
class ReferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "year", "url", "pubmed_id"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "slug", "pubmed_id", "doi", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ClinicalCode)
class ClinicalCodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "system", "display"]
    list_filter = ["system"]
    search_fields = ["code", "display"]


@admin.register(NeuropathyPattern)
class NeuropathyPatternAdmin(admin.ModelAdmin):
    list_display = ["name", "plain_name", "position"]
    search_fields = ["name", "plain_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ConditionMechanism)
class ConditionMechanismAdmin(SimpleHistoryAdmin):
    list_display = ["condition", "mechanism", "role", "evidence"]
    list_filter = ["role", "evidence", "mechanism"]
    search_fields = ["condition__name", "mechanism__name", "note"]
    autocomplete_fields = ["condition", "mechanism"]
    list_select_related = ["condition", "mechanism"]
