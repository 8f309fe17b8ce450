"""The editors' and reviewers' tools, for any reviewed model: locking, the review cycle,
proposed changes to live pages, plain-language scores, history and preview.

Content admins (conditions/admin.py) subclass these and stay declarative.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.forms.models import _get_foreign_key
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from . import history, readability, snapshots
from .forms import EditorialForm, PlainTextField, ProposalForm, VersionedForm
from .models import (
    REVIEWER_STATES,
    Proposal,
    Reviewer,
    StaleEdit,
    Status,
    TransitionRefused,
    Translation,
    translated_field_names,
)

TEXT_AS_PLAIN_TEXT = {models.TextField: {"form_class": PlainTextField}}


class VersionedAdmin(SimpleHistoryAdmin):
    """Any model whose rows carry a version: a save based on an older version is refused and
    the editor's text is shown again; text areas are normalised on input."""

    form = VersionedForm
    formfield_overrides = TEXT_AS_PLAIN_TEXT

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.stale = getattr(request, "_stale_edit", False)
        return form

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


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("due30", "Due in the next 30 days"),
            ("waiting", "Waiting for review"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.overdue_for_review()
            case "due30":
                return queryset.due_for_review(within_days=30)
            case "waiting":
                return queryset.awaiting_review()
            case "never":
                return queryset.filter(reviewed_by__isnull=True)
        return queryset


class HardToReadFilter(admin.SimpleListFilter):
    title = "plain language"
    parameter_name = "readability"

    def lookups(self, request, model_admin):
        return [("hard", "Hard to read"), ("ok", "Within the grade limits")]

    def queryset(self, request, queryset):
        if self.value() not in {"hard", "ok"}:
            return queryset
        # Scored in Python (cached by text hash), with one query for all the texts.
        items = list(queryset.model._default_manager.all())
        found = readability.scores(text for item in items for _, text, _ in item.scored_texts())
        hard_ids = [item.pk for item in items if item.too_hard_to_read(found)]
        if self.value() == "hard":
            return queryset.filter(pk__in=hard_ids)
        return queryset.exclude(pk__in=hard_ids)


class ProposalChildrenMixin:
    """An inline of a reviewed item: on a live item it edits the rows of a proposed change.

    Its forms then start from the proposal's rows (or the live ones) as unsaved rows; the
    proposal, not the live table, receives what is submitted.
    """

    def _proposal_rows(self, obj):
        """The rows this inline edits on a live item (its proposal's, or the live ones)."""
        if obj is None or obj.status != Status.PUBLISHED:
            return None
        name = _get_foreign_key(self.parent_model, self.model, self.fk_name).remote_field
        proposal = Proposal.objects.open().of(obj).first()
        data = proposal.data if proposal else snapshots.snapshot(obj)
        return data["children"].get(name.get_accessor_name(), [])

    def get_extra(self, request, obj=None, **kwargs):
        rows = self._proposal_rows(obj)
        return super().get_extra(request, obj, **kwargs) if rows is None else len(rows) + 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        rows = self._proposal_rows(obj)
        if rows is None:
            return formset

        class ProposalRows(formset):
            # Rows of a proposal are checked against each other (the formset does that), not
            # against the live rows they will replace.
            form = type(
                formset.form.__name__,
                (formset.form,),
                {"validate_unique": _no_check, "validate_constraints": _no_check},
            )

            def get_form_kwargs(self, index):
                kwargs = super().get_form_kwargs(index)
                if index is not None and index < len(rows):
                    # A row carried over is part of the proposal even when left unchanged.
                    kwargs["empty_permitted"] = False
                return kwargs

        return ProposalRows


def _no_check(form):
    """A proposal's row is not checked against the live rows it will replace (the formset
    checks the proposal's rows against each other)."""


def _initial_of(model, values):
    """Form initial data from a snapshot's {attname: text}."""
    initial = {}
    for attname, text in values.items():
        field = model._meta.get_field(attname)
        initial[field.name] = field.to_python(text) if text not in (None, "") else text
    return initial


class EditorialAdmin(VersionedAdmin):
    """A reviewed model: review cycle, proposals for live items, scores, history, preview."""

    # Many-to-many choices as labelled checkboxes: the admin's autocomplete and two-box widgets
    # leave their generated controls without accessible names.
    formfield_overrides = {
        **TEXT_AS_PLAIN_TEXT,
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }

    class Media:
        css = {"all": ["editorial/admin.css"]}

    form = EditorialForm
    actions = ["submit_for_review", "publish", "mark_reviewed_today", "archive"]
    history_list_display = ["compare"]
    list_select_related = ["reviewed_by"]
    readonly_fields = ["plain_language", "review", "spanish_plain_language"]
    # The public view that renders an item's page (it takes preview=True for any status).
    public_view = None
    change_form_template = "admin/editorial/reviewed_change_form.html"

    # --- permissions ---------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return self.model.may_be_reviewed_by(request.user)

    def has_change_permission(self, request, obj=None):
        # Archived content is no longer public: bringing it back is a reviewer's decision.
        if (
            obj is not None
            and obj.status == Status.ARCHIVED
            and not self.has_publish_permission(request)
        ):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._is_live(obj):
            readonly.append("status")  # a live item changes status through its actions
        if not self.has_publish_permission(request):
            readonly.append("plain_language_exception")
        return readonly

    @staticmethod
    def _is_live(obj):
        return obj is not None and obj.pk is not None and obj.status == Status.PUBLISHED

    # --- the form: the live row, or a proposed change to it -------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._is_live(obj):
            kwargs["form"] = ProposalForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        if self._is_live(obj):
            proposal = Proposal.objects.open().of(obj).first()
            form = type(form.__name__, (form,), {"proposal": proposal})
            if proposal is not None and request.method != "POST":
                initial = _initial_of(self.model, proposal.data["fields"])
                initial |= proposal.data["many"]
                form = _with_initial(form, initial)
        if "status" in form.base_fields and not self.has_publish_permission(request):
            form.base_fields["status"].help_text = (
                "You can save drafts and submit them for review; "
                "only medical reviewers can publish or archive."
            )
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        spanish = [f"{name}_es" for name in translated_field_names(self.model())]
        if spanish:
            # The translation in its own fieldset; it goes live only when a reviewer approves
            # it (Editorial review > Translations), apart from the English text.
            fieldsets.append(
                (
                    "Español (Spanish translation, reviewed on its own)",
                    {"fields": [*spanish, "spanish_plain_language"], "classes": ["collapse"]},
                )
            )
        if self._is_live(obj):
            fieldsets = [
                ("Your proposed change", {"fields": ["change_summary", "proposal_version"]}),
                *fieldsets,
            ]
        return fieldsets

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = inline._proposal_rows(obj) if isinstance(inline, ProposalChildrenMixin) else None
        if rows is not None:
            kwargs["queryset"] = inline.model._default_manager.none()
            if request.method != "POST":
                kwargs["initial"] = [_initial_of(inline.model, row) for row in rows]
        return kwargs

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        # As stored, before the form sets anything: a live item's save becomes a proposal.
        request._editing_live = self._is_live(obj)
        if self._is_live(obj):
            extra_context["proposal"] = Proposal.objects.open().of(obj).first()
            extra_context["is_live"] = True
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if getattr(request, "_editing_live", False):
            return  # a live item: save_related keeps the change as a proposal
        if change and form.cleaned_data.get("status") == Status.PUBLISHED:
            stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("status", flat=True)
            if stored.first() != Status.PUBLISHED:
                obj.record_review(Reviewer.of(request.user))
        super().save_model(request, obj, form, change)
        hard = obj.too_hard_to_read()
        if hard:
            self.message_user(
                request,
                f"Hard to read: {readability.describe_too_hard(hard)}.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "_editing_live", False):
            return super().save_related(request, form, formsets, change)
        item = form.instance
        many = {
            field.name: form.cleaned_data[field.name]
            for field in item._meta.many_to_many
            if field.name in form.cleaned_data
        }
        live = type(item)._default_manager.get(pk=item.pk)
        # Rows of an inline that is not on the form stay as they are live.
        children = {name: getattr(live, name).all() for name in live.PROPOSAL_CHILDREN}
        for formset in formsets:
            children[formset.fk.remote_field.get_accessor_name()] = [
                child_form.instance
                for child_form in formset.forms
                if child_form.cleaned_data and not child_form.cleaned_data.get("DELETE")
            ]
        data = snapshots.snapshot(item, many=many, children=children)
        proposal = form.proposal or Proposal(
            item=live, base_version=live.version, author=request.user
        )
        if proposal.pk is not None:
            proposal.claim_version(form.cleaned_data.get("proposal_version"))
        proposal.data = data
        proposal.summary = form.cleaned_data["change_summary"]
        if proposal.state == Proposal.State.SENT_BACK and "_submit_proposal" not in request.POST:
            proposal.state = Proposal.State.DRAFT
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError:
            # Another editor's first proposal for this page was saved meanwhile.
            raise StaleEdit from None
        if "_submit_proposal" in request.POST:
            proposal.submit(request.user)
        request._saved_proposal = proposal

    def response_change(self, request, obj):
        proposal = getattr(request, "_saved_proposal", None)
        if proposal is None:
            return super().response_change(request, obj)
        if proposal.state == Proposal.State.SUBMITTED:
            message = "Your change was sent to a medical reviewer."
        else:
            message = "Your change was saved as a proposal; submit it when it is ready."
        self.message_user(
            request,
            f"{message} The live page keeps its approved text until a reviewer approves.",
        )
        return HttpResponseRedirect(self._url("proposal", obj.pk))

    def construct_change_message(self, request, form, formsets, add=False):
        proposal = getattr(request, "_saved_proposal", None)
        if proposal is not None:
            # Nothing live changed; the admin log records the proposal.
            return f"Proposed a change: {proposal.summary}"
        return super().construct_change_message(request, form, formsets, add)

    # --- the proposal page: one diff of the whole change, and the decision -------------------

    def proposal_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        proposal = Proposal.objects.open().of(obj).first()
        if request.method == "POST":
            return self._decide(request, obj, proposal)
        changes = []
        if proposal is not None:
            changes = snapshots.changes(self.model, snapshots.snapshot(obj), proposal.data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Proposed change to {obj}",
            "original": obj,
            "proposal": proposal,
            "changes": changes,
            "table_caption": "Everything this change does to the live page",
            "may_review": self.has_publish_permission(request),
            "may_edit": self.has_change_permission(request, obj),
            "hard_to_read": _hard_after(obj, proposal) if proposal else [],
        }
        return TemplateResponse(request, "admin/editorial/proposal.html", context)

    def _decide(self, request, obj, proposal):
        if proposal is None:
            raise Http404
        decision = request.POST.get("decision")
        try:
            match decision:
                case "submit" if self.has_change_permission(request, obj):
                    proposal.submit(request.user)
                    done = "Sent to a medical reviewer."
                case "withdraw" if self.has_change_permission(request, obj):
                    proposal.delete()
                    done = "The proposed change was withdrawn; the live page is as it was."
                case "send_back":
                    proposal.send_back(request.user, request.POST.get("comment", ""))
                    done = "Sent back to the editor with your comment."
                case "approve":
                    proposal.approve(request.user, request.POST.get("plain_language_exception", ""))
                    done = "Approved: the change is live, and you are recorded as its reviewer."
                case _:
                    return HttpResponseBadRequest(
                        "“decision” must be one of submit, withdraw, send_back, approve."
                    )
        except TransitionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(self._url("proposal", obj.pk))
        except PermissionDenied as denied:
            self.message_user(request, str(denied), messages.ERROR)
            return HttpResponseRedirect(self._url("proposal", obj.pk))
        self.message_user(request, done)
        return HttpResponseRedirect(self._url("change", obj.pk))

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

    # --- what is shown ---------------------------------------------------------------------

    @admin.display(description="Review")
    def review(self, obj):
        if obj is None or not obj.is_reviewed:
            return "Not yet reviewed by a medical reviewer."
        due = f"; next review due {obj.next_review_due:%d %B %Y}" if obj.next_review_due else ""
        return f"Reviewed by {obj.reviewed_by} on {obj.reviewed_on:%d %B %Y}{due}."

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        texts = obj.scored_texts()
        summary = readability.score(texts[0][1]) if texts else None
        hard = obj.too_hard_to_read()
        text = "—" if summary is None else f"{summary.grade:g}"
        if hard:
            return format_html(
                '{} <strong class="readability-warning">⚠ hard to read: {}</strong>',
                text,
                ", ".join(label for label, _, _ in hard),
            )
        return text

    @admin.display(description="Plain-language scores (as last saved)")
    def plain_language(self, obj):
        if obj is None or obj.pk is None:
            return "Scores appear after the first save."
        rows = []
        for label, text, max_grade in obj.scored_texts():
            result = readability.score(text)
            if result is None:
                rows.append((label, "—", "—", "Not written yet"))
            elif result.too_hard(max_grade):
                verdict = format_html(
                    "<strong>⚠ Above grade {}: use shorter sentences and words.</strong>",
                    max_grade,
                )
                rows.append((label, f"{result.grade:g}", f"{result.reading_ease:g}", verdict))
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

    @admin.display(description="Spanish plain-language scores (as last saved)")
    def spanish_plain_language(self, obj):
        return inflesz_table(obj)

    # --- links: view on site, preview, proposal, history ----------------------------------

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def _url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{prefix}_preview"),
            path("<path:object_id>/proposal/", wrap(self.proposal_view), name=f"{prefix}_proposal"),
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
        if obj is None or self.public_view is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        response = self.public_view(request, obj.slug, preview=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if self._is_live(obj) and request.method == "POST":
            # Bringing back a version of a live page is a change like any other: it is proposed.
            self.message_user(
                request,
                "A live page's earlier version is brought back as a proposed change: use "
                "“What changed”, then “Revert to this version”.",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._url("history", obj.pk))
        return super().history_form_view(request, object_id, version_id, extra_context)

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
        return TemplateResponse(request, "admin/editorial/history_diff.html", context)

    def revert_view(self, request, object_id, history_id):
        """One click: bring back the text and links of an earlier version (proposed, if live)."""
        record = self._history_record(request, object_id, history_id)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        when = f"{timezone.localtime(record.history_date):%d %B %Y %H:%M}"
        try:
            proposal = history.revert(record, user=request.user)
        except IntegrityError:
            self.message_user(
                request,
                "That version cannot be brought back because its name or web address is now "
                "used by another item.",
                messages.ERROR,
            )
        except TransitionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            if proposal is not None:
                self.message_user(
                    request,
                    f"The text and links of the version from {when} are now a proposed change; "
                    "the live page is unchanged until a medical reviewer approves it.",
                )
                return HttpResponseRedirect(self._url("proposal", obj.pk))
            self.message_user(
                request,
                f"Brought back the text and links of the version from {when}. "
                "Status and review dates are unchanged.",
            )
        return HttpResponseRedirect(self._url("change", obj.pk))

    @admin.display(description="Compare")
    def compare(self, record):
        return format_html(
            '<a href="{}">What changed</a>', self._url("diff", record.id, record.history_id)
        )


def _with_initial(form_class, initial):
    """The form class, its instances starting from `initial` (a proposal's values)."""

    class FromProposal(form_class):
        def __init__(self, *args, **kwargs):
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
            super().__init__(*args, **kwargs)

    FromProposal.__name__ = form_class.__name__
    return FromProposal


def _hard_after(obj, proposal):
    """The texts the proposal would leave above their reading-grade limit."""
    candidate = type(obj)._default_manager.get(pk=obj.pk)
    for attname, text in proposal.data["fields"].items():
        field = candidate._meta.get_field(attname)
        setattr(candidate, field.attname, field.to_python(text) if text else text)
    return candidate.too_hard_to_read()


@admin.register(Reviewer)
class ReviewerAdmin(VersionedAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Every proposed change, to see what waits for review; each is decided on its item's page."""

    list_display = ["summary", "item_link", "state", "author", "updated"]
    list_filter = ["state", "content_type"]
    search_fields = ["summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Page")
    def item_link(self, proposal):
        opts = proposal.content_type.model_class()._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_proposal", args=[proposal.object_id]
        )
        return format_html('<a href="{}">{}</a>', url, proposal.item)


def inflesz_table(obj, language="es"):
    """Each scored Spanish text's INFLESZ score and minimum, beside its English grade."""
    if obj is None or obj.pk is None:
        return "Scores appear after the first save."
    rows = []
    for field, minimum in readability.INFLESZ_MINIMUMS.items():
        if not hasattr(obj, f"{field}_{language}"):
            continue
        spanish = readability.inflesz(getattr(obj, f"{field}_{language}") or "")
        english = readability.score(getattr(obj, f"{field}_en", "") or "")
        if spanish is None:
            verdict = "Not translated yet"
        elif spanish < minimum:
            verdict = format_html(
                "<strong>⚠ Below {}: use shorter sentences and words.</strong>", minimum
            )
        else:
            verdict = "OK"
        rows.append(
            (
                field.replace("_", " ").capitalize(),
                "—" if spanish is None else f"{spanish:g}",
                minimum,
                verdict,
                "—" if english is None else f"{english.grade:g}",
            )
        )
    return format_html(
        '<table class="readability"><caption>INFLESZ (Szigriszt-Pazos: higher is easier; '
        "55 to 65 normal, 65 to 80 fairly easy) beside the English Flesch-Kincaid grade</caption>"
        '<thead><tr><th scope="col">Text</th><th scope="col">INFLESZ</th>'
        '<th scope="col">At least</th><th scope="col">Verdict</th>'
        '<th scope="col">English grade</th></tr></thead><tbody>{}</tbody></table>',
        format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            rows,
        ),
    )


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    """Each item's translation and its own review: approving it is a reviewer's action."""

    list_display = ["item_link", "language", "status", "review", "up_to_date", "updated"]
    list_filter = ["language", "status", "content_type"]
    fields = [
        "content_type",
        "object_id",
        "language",
        "status",
        "review",
        "up_to_date",
        "scores",
        "plain_language_exception",
    ]
    readonly_fields = ["status", "review", "up_to_date", "scores"]
    actions = ["approve", "withdraw"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None:
            readonly += ["content_type", "object_id", "language"]
        return readonly

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.source_version = obj.item.version if obj.item is not None else 1
        super().save_model(request, obj, form, change)

    @admin.display(description="Page")
    def item_link(self, translation):
        opts = translation.content_type.model_class()._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[translation.object_id]
        )
        return format_html('<a href="{}">{}</a>', url, translation.item)

    @admin.display(description="Review")
    def review(self, translation):
        if not translation.is_reviewed:
            return "Not yet reviewed by a medical reviewer."
        return f"Reviewed by {translation.reviewed_by} on {translation.reviewed_on:%d %B %Y}."

    @admin.display(description="Up to date with the original", boolean=True)
    def up_to_date(self, translation):
        return None if translation.item is None else not translation.is_out_of_date()

    @admin.display(description="Plain-language scores")
    def scores(self, translation):
        return inflesz_table(translation.item, translation.language)

    def _each(self, request, queryset, method, done):
        changed = 0
        for translation in queryset:
            try:
                getattr(translation, method)(request.user)
            except (TransitionRefused, PermissionDenied) as refused:
                self.message_user(
                    request, f"“{translation}” was not {done}. {refused}", messages.ERROR
                )
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{changed} {done}.")

    @admin.action(description="Approve the translation (it goes live)")
    def approve(self, request, queryset):
        self._each(request, queryset, "approve", "approved")

    @admin.action(description="Withdraw the translation (the original stays live)")
    def withdraw(self, request, queryset):
        self._each(request, queryset, "withdraw", "withdrawn")


# Kept for the content admins' field lists.
__all__ = [
    "REVIEWER_STATES",
    "EditorialAdmin",
    "HardToReadFilter",
    "ProposalChildrenMixin",
    "ReviewDueFilter",
    "VersionedAdmin",
]
