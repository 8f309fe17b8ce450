"""The content in the admin: declarative lists on the editorial tools (editorial/admin.py).

Every change to what a public page shows passes a medical reviewer: a live page is edited as a
proposed change (its inlines too); a reference or code that a live page shows is changed only
by a reviewer (an editor adds a corrected one and proposes it on the page).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count

from editorial.admin import (
    EditorialAdmin,
    HardToReadFilter,
    ProposalChildrenMixin,
    ReviewDueFilter,
    VersionedAdmin,
)

from . import views as public_views
from .models import (
    CONDITION_SECTIONS,
    TREATMENT_SECTIONS,
    Alias,
    ClinicalCode,
    Condition,
    ConditionMechanism,
    ConditionTreatment,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Reference,
    SearchTally,
    Symptom,
    Treatment,
)

EDITORIAL_FIELDS = ["status", "review", "plain_language_exception", "loaded_version"]
HELP_FIELDS = ["help_emergency", "help_same_day", "help_routine"]


class AliasForm(forms.ModelForm):
    """An alias is English unless the editor says otherwise (a row posted without a language
    is an English one, as every alias was before Spanish)."""

    class Meta:
        model = Alias
        fields = ["name", "language", "is_abbreviation", "is_subtype"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE


# Stacked, not tabular: every field keeps a visible label of its own (tabular rows have none).
class AliasInline(ProposalChildrenMixin, admin.StackedInline):
    model = Alias
    form = AliasForm
    extra = 1


class ConditionMechanismInline(ProposalChildrenMixin, admin.StackedInline):
    model = ConditionMechanism
    extra = 1


class ConditionTreatmentInline(ProposalChildrenMixin, admin.StackedInline):
    model = ConditionTreatment
    extra = 1


@admin.register(Condition)
class ConditionAdmin(EditorialAdmin):
    list_display = [
        "name",
        "status",
        "reading_grade",
        "onset",
        "is_emergency",
        "code_list",
        "next_review_due",
        "reviewed_by",
        "updated",
    ]
    list_filter = [
        "status",
        ReviewDueFilter,
        HardToReadFilter,
        "onset",
        "neuropathy_frequency",
        "is_emergency",
        "patterns",
    ]
    search_fields = ["name", "slug", "aliases__name", "codes__code", "codes__display"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline, ConditionMechanismInline, ConditionTreatmentInline]
    public_view = staticmethod(public_views.condition_detail)
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary"]}),
        (
            "Sections",
            {"fields": [*(name for name, _ in CONDITION_SECTIONS), "questions_for_doctor"]},
        ),
        ("When to get help", {"fields": HELP_FIELDS}),
        ("Plain language", {"fields": ["plain_language"]}),
        (
            "Classification",
            {
                "fields": [
                    "onset",
                    "patterns",
                    ("affects_sensory", "affects_motor", "affects_autonomic"),
                    ("neuropathy_frequency", "is_nerve_disease"),
                    ("is_emergency", "emergency_warning"),
                ]
            },
        ),
        ("Links", {"fields": ["codes", "symptoms", "related_conditions", "references"]}),
        ("Editorial", {"fields": EDITORIAL_FIELDS}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("codes")

    @admin.display(description="Codes")
    def code_list(self, condition):
        return ", ".join(code.code for code in condition.codes.all())


class ConditionCountColumn:
    """A changelist column: how many conditions link to the item (its `condition_links`)."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(condition_total=Count("condition_links"))

    @admin.display(description="Conditions", ordering="condition_total")
    def condition_count(self, item):
        return item.condition_total


@admin.register(Mechanism)
class MechanismAdmin(ConditionCountColumn, EditorialAdmin):
    list_display = [
        "name",
        "status",
        "reading_grade",
        "nerve_site",
        "condition_count",
        "next_review_due",
        "reviewed_by",
        "updated",
    ]
    list_filter = ["status", ReviewDueFilter, HardToReadFilter, "nerve_site"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    public_view = staticmethod(public_views.mechanism_detail)
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "explanation", "nerve_site"]}),
        ("Plain language", {"fields": ["plain_language"]}),
        ("Links", {"fields": ["references"]}),
        ("Editorial", {"fields": EDITORIAL_FIELDS}),
    ]


@admin.register(Treatment)
class TreatmentAdmin(ConditionCountColumn, EditorialAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "reading_grade",
        "condition_count",
        "next_review_due",
        "reviewed_by",
        "updated",
    ]
    list_filter = ["status", ReviewDueFilter, HardToReadFilter, "kind"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    public_view = staticmethod(public_views.treatment_detail)
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "summary"]}),
        ("Sections", {"fields": [name for name, _ in TREATMENT_SECTIONS]}),
        ("Plain language", {"fields": ["plain_language"]}),
        ("Links", {"fields": ["references"]}),
        ("Editorial", {"fields": EDITORIAL_FIELDS}),
    ]


@admin.register(Symptom)
class SymptomAdmin(EditorialAdmin):
    list_display = ["name", "clinical_term", "broader", "is_emergency", "status", "reading_grade"]
    list_filter = ["status", "is_emergency", ReviewDueFilter, HardToReadFilter]
    search_fields = ["name", "clinical_term", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    public_view = staticmethod(public_views.symptom_detail)
    fieldsets = [
        (None, {"fields": ["name", "slug", "clinical_term", "description", "broader"]}),
        ("When to get help", {"fields": ["is_emergency", *HELP_FIELDS]}),
        ("Plain language", {"fields": ["plain_language"]}),
        ("Editorial", {"fields": EDITORIAL_FIELDS}),
    ]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EditorialAdmin):
    list_display = ["term", "other_forms", "status", "reading_grade"]
    list_filter = ["status", ReviewDueFilter, HardToReadFilter]
    search_fields = ["term", "other_forms", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    fieldsets = [
        (None, {"fields": ["term", "slug", "definition", "other_forms"]}),
        ("Plain language", {"fields": ["plain_language"]}),
        ("Editorial", {"fields": EDITORIAL_FIELDS}),
    ]

    def view_on_site(self, obj):
        return None  # glossary terms are shown in the pages that use them


class SharedContentAdmin(VersionedAdmin):
    """References and codes: several pages show each one, so once a live page shows it only a
    medical reviewer changes it; an editor adds a corrected one and proposes it on the page."""

    def _shown_live(self, obj):
        return obj is not None and obj.pk is not None and obj.is_shown_on_a_live_page()

    def _is_reviewer(self, request):
        return Condition.may_be_reviewed_by(request.user)

    def has_change_permission(self, request, obj=None):
        if self._shown_live(obj) and not self._is_reviewer(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._shown_live(obj) and not self._is_reviewer(request):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET" and self._shown_live(obj) and not self._is_reviewer(request):
            self.message_user(
                request,
                f"A live page shows this {self.opts.verbose_name}, so only a medical reviewer can "
                "change it. To correct it, add a new one and propose it on the page.",
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Reference)
class ReferenceAdmin(SharedContentAdmin):
    list_display = ["title", "publisher", "year", "url", "pubmed_id"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "slug", "pubmed_id", "doi", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ClinicalCode)
class ClinicalCodeAdmin(SharedContentAdmin):
    list_display = ["code", "system", "display", "checked_against"]
    list_filter = ["system", "checked_against"]
    search_fields = ["code", "display"]


@admin.register(NeuropathyPattern)
class NeuropathyPatternAdmin(admin.ModelAdmin):
    list_display = ["name", "plain_name", "position"]
    search_fields = ["name", "plain_name"]
    prepopulated_fields = {"slug": ["name"]}


class FoundNothingFilter(admin.SimpleListFilter):
    title = "result"
    parameter_name = "found"

    def lookups(self, request, model_admin):
        return [("nothing", "Found nothing"), ("something", "Found something")]

    def queryset(self, request, queryset):
        if self.value() == "nothing":
            return queryset.filter(empty_searches__gt=0)
        if self.value() == "something":
            return queryset.filter(empty_searches=0)
        return queryset


@admin.register(SearchTally)
class SearchTallyAdmin(admin.ModelAdmin):
    """What readers searched for, per week: the searches that found nothing tell editors which
    pages and aliases to write next. Counts only; nothing about who searched."""

    list_display = ["query", "week", "searches", "empty_searches"]
    list_filter = [FoundNothingFilter, "week"]
    search_fields = ["query"]
    date_hierarchy = "week"
    ordering = ["-week", "-empty_searches", "-searches", "query"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
