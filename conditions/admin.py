"""The editors' and reviewers' tool: review cycle, plain-language scores, history, locking."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from . import history
from . import views as public_views
from .editorial import REVIEWER_STATES, StaleEdit, TransitionRefused
from .forms import EditorialForm
from .models import (
    CONDITION_SECTIONS,
    Alias,
    ClinicalCode,
    Condition,
    ConditionMechanism,
    GlossaryTerm,
    Mechanism,
    NeuropathyPattern,
    Reference,
    Symptom,
)
from .readability import SECTION_MAX_GRADE, SUMMARY_MAX_GRADE, score, scores

EDITORIAL_FIELDS = ["status", "last_reviewed", "next_review_due", "reviewer", "loaded_version"]


def readability_texts(obj):
    """(label, text, max grade) for every scored text of a condition or mechanism."""
    texts = [("Summary", obj.summary, SUMMARY_MAX_GRADE)]
    if isinstance(obj, Condition):
        texts += [
            (heading, getattr(obj, field), SECTION_MAX_GRADE)
            for field, heading in CONDITION_SECTIONS
        ]
    else:
        texts.append(("Explanation", obj.explanation, SECTION_MAX_GRADE))
    return texts


def too_hard(obj, found_scores=None):
    """Labels of the texts whose grade is above the limit for their kind."""
    hard = []
    for label, text, max_grade in readability_texts(obj):
        result = found_scores.get(text) if found_scores is not None else score(text)
        if result and result.too_hard(max_grade):
            hard.append(label)
    return hard


class HardToReadFilter(admin.SimpleListFilter):
    title = "plain language"
    parameter_name = "readability"

    def lookups(self, request, model_admin):
        return [("hard", "Hard to read"), ("ok", "Within the grade limits")]

    def queryset(self, request, queryset):
        if self.value() not in {"hard", "ok"}:
            return queryset
        # Scored in Python (cached by text hash), with one query for all the texts.
        fields = ["summary", *(field for field, _ in CONDITION_SECTIONS)]
        if queryset.model is Mechanism:
            fields = ["summary", "explanation"]
        rows = list(queryset.model._default_manager.values_list("pk", *fields))
        found = scores(text for row in rows for text in row[1:])
        hard_ids = [
            row[0]
            for row in rows
            if too_hard(queryset.model(**dict(zip(fields, row[1:], strict=True))), found)
        ]
        if self.value() == "hard":
            return queryset.filter(pk__in=hard_ids)
        return queryset.exclude(pk__in=hard_ids)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("due30", "Due in the next 30 days"),
            ("waiting", "Waiting for review"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.overdue_for_review()
            case "due30":
                return queryset.due_for_review(within_days=30)
            case "waiting":
                return queryset.awaiting_review()
        return queryset


class EditorialAdmin(SimpleHistoryAdmin):
    """What conditions and mechanisms share: roles, checks, scores, locking, history, preview."""

    form = EditorialForm
    actions = ["submit_for_review", "publish", "mark_reviewed_today", "archive"]
    history_list_display = ["compare"]
    list_select_related = ["reviewer"]
    # The public view that renders an item's page (it takes preview=True for any status).
    public_view = None

    # --- permissions ---------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return self.model(pk=None).may_be_reviewed_by(request.user)

    def has_change_permission(self, request, obj=None):
        # Live (or archived) text is what patients read: changing it is a reviewer's decision,
        # so editors see such items read-only instead of publishing edits unreviewed.
        if (
            obj is not None
            and obj.status in REVIEWER_STATES
            and not self.has_publish_permission(request)
        ):
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            request.method == "GET"
            and obj is not None
            and obj.status in REVIEWER_STATES
            and not self.has_publish_permission(request)
        ):
            self.message_user(
                request,
                f"This {self.opts.verbose_name} is {obj.get_status_display().lower()}, so only "
                "a medical reviewer can change it. Ask a reviewer to make the change or to move "
                "it back to draft for you.",
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        form.stale = getattr(request, "_stale_edit", False)
        if "status" in form.base_fields and not self.has_publish_permission(request):
            form.base_fields["status"].help_text = (
                "You can save drafts and submit them for review; "
                "only medical reviewers can publish or archive."
            )
        return form

    # --- saving: optimistic locking ------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            # The whole save was rolled back; show the form again with the editor's text.
            request._stale_edit = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The revert form saves like the change form, so it gets the same protection.
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleEdit:
            request._stale_edit = True
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.claim_version(form.cleaned_data.get("loaded_version"))
        super().save_model(request, obj, form, change)
        hard = too_hard(obj)
        if hard:
            self.message_user(
                request,
                "Hard to read (above grade {} for summaries, {} for sections): {}.".format(
                    SUMMARY_MAX_GRADE, SECTION_MAX_GRADE, ", ".join(hard)
                ),
                messages.WARNING,
            )

    # --- actions ---------------------------------------------------------------------------

    def _transition(self, request, queryset, transition, done):
        """Apply a model transition to each chosen item; report what happened and what did not."""
        changed = 0
        for item in queryset:
            try:
                getattr(item, transition)(request.user)
            except TransitionRefused as refused:
                self.message_user(request, f"“{item}” was not {done}. {refused}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{changed} {done}.")

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, "submit_for_review", "submitted for review")

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset, "publish", "published")

    @admin.action(description="Mark reviewed today", permissions=["publish"])
    def mark_reviewed_today(self, request, queryset):
        self._transition(request, queryset, "mark_reviewed", "marked reviewed today")

    @admin.action(description="Archive", permissions=["publish"])
    def archive(self, request, queryset):
        self._transition(request, queryset, "archive", "archived")

    # --- plain language --------------------------------------------------------------------

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        summary = score(obj.summary)
        hard = too_hard(obj)
        text = "—" if summary is None else f"{summary.grade:g}"
        if hard:
            return format_html(
                '{} <strong class="readability-warning">⚠ hard to read: {}</strong>',
                text,
                ", ".join(hard),
            )
        return text

    @admin.display(description="Plain-language scores (as last saved)")
    def plain_language(self, obj):
        if obj is None or obj.pk is None:
            return "Scores appear after the first save."
        rows = []
        for label, text, max_grade in readability_texts(obj):
            result = score(text)
            if result is None:
                rows.append((label, "—", "—", "Not written yet"))
            elif result.too_hard(max_grade):
                rows.append(
                    (
                        label,
                        f"{result.grade:g}",
                        f"{result.reading_ease:g}",
                        format_html(
                            "<strong>⚠ Above grade {}: use shorter sentences and words.</strong>",
                            max_grade,
                        ),
                    )
                )
            else:
                rows.append((label, f"{result.grade:g}", f"{result.reading_ease:g}", "OK"))
        return format_html(
            '<table class="readability"><caption>Flesch-Kincaid grade (lower is easier) and '
            "Flesch reading ease (higher is easier)</caption>"
            '<thead><tr><th scope="col">Text</th><th scope="col">Grade</th>'
            '<th scope="col">Reading ease</th><th scope="col">Verdict</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            format_html_join(
                "", '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>', rows
            ),
        )

    # --- links: view on site, preview, diff ------------------------------------------------

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name=f"{prefix}_preview",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/diff/",
                wrap(self.diff_view),
                name=f"{prefix}_diff",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/revert/",
                wrap(require_POST(self.revert_view)),
                name=f"{prefix}_revert",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The item rendered by its public view, whatever its status, for staff only."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        response = self.public_view(request, obj.slug, preview=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def _history_record(self, request, object_id, history_id):
        record = get_object_or_404(
            self.model.history.model, id=unquote(object_id), history_id=history_id
        )
        if not self.has_view_history_or_change_history_permission(request, record.instance):
            raise PermissionDenied
        return record

    def diff_view(self, request, object_id, history_id):
        """What changed in one recorded version, against the version before it (or ?against=)."""
        record = self._history_record(request, object_id, history_id)
        against_id = request.GET.get("against")
        if against_id:
            if not against_id.isdigit():
                return HttpResponseBadRequest("“against” must be the number of a version.")
            older = get_object_or_404(
                self.model.history.model, id=record.id, history_id=int(against_id)
            )
        else:
            older = record.prev_record
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Changes to {record.instance}",
            "record": record,
            "older": older,
            "changes": history.describe_changes(record, older),
            "object_id": object_id,
            "can_revert": self.has_change_permission(request, record.instance),
        }
        return TemplateResponse(request, "admin/conditions/history_diff.html", context)

    def revert_view(self, request, object_id, history_id):
        """One click: bring back the text and links of an earlier version as a new version."""
        record = self._history_record(request, object_id, history_id)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            history.revert(record, user=request.user)
        except IntegrityError:
            self.message_user(
                request,
                "That version cannot be brought back because its name or web address is now "
                "used by another item.",
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                f"Brought back the text and links of the version from "
                f"{timezone.localtime(record.history_date):%d %B %Y %H:%M}. "
                "Status and review dates are unchanged.",
            )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    @admin.display(description="Compare")
    def compare(self, record):
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_diff",
            args=[record.id, record.history_id],
        )
        return format_html('<a href="{}">What changed</a>', url)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class ConditionMechanismInline(admin.TabularInline):
    model = ConditionMechanism
    autocomplete_fields = ["mechanism"]
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
        "reviewer",
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
    autocomplete_fields = ["codes", "symptoms", "references", "related_conditions", "reviewer"]
    filter_horizontal = ["patterns"]
    inlines = [AliasInline, ConditionMechanismInline]
    readonly_fields = ["plain_language"]
    public_view = staticmethod(public_views.condition_detail)
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary"]}),
        (
            "Sections",
            {"fields": [*(name for name, _ in CONDITION_SECTIONS), "questions_for_doctor"]},
        ),
        (
            "When to get help",
            {"fields": ["help_emergency", "help_same_day", "help_routine"]},
        ),
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


@admin.register(Mechanism)
class MechanismAdmin(EditorialAdmin):
    list_display = [
        "name",
        "status",
        "reading_grade",
        "nerve_site",
        "condition_count",
        "next_review_due",
        "reviewer",
        "updated",
    ]
    list_filter = ["status", ReviewDueFilter, HardToReadFilter, "nerve_site"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references", "reviewer"]
    readonly_fields = ["plain_language"]
    public_view = staticmethod(public_views.mechanism_detail)
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "explanation", "nerve_site"]}),
        ("Plain language", {"fields": ["plain_language"]}),
        ("Links", {"fields": ["references"]}),
        ("Editorial", {"fields": EDITORIAL_FIELDS}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(condition_total=Count("condition_links"))

    @admin.display(description="Conditions", ordering="condition_total")
    def condition_count(self, mechanism):
        return mechanism.condition_total


@admin.register(Symptom)
class SymptomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "clinical_term", "broader", "is_emergency", "slug"]
    list_filter = ["is_emergency"]
    search_fields = ["name", "clinical_term", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["broader"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    list_display = ["term", "other_forms", "slug"]
    search_fields = ["term", "other_forms", "definition"]
    prepopulated_fields = {"slug": ["term"]}


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
