"""The review dashboard on the admin index page."""

from django import template
from django.contrib import admin
from django.urls import reverse

from editorial.models import EditorialContent, Proposal

register = template.Library()

DUE_SOON_DAYS = 30


def _url(opts, name, pk):
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[pk])


def _rows(queryset, opts):
    return [
        {
            "name": str(item),
            "kind": opts.verbose_name,
            "url": _url(opts, "change", item.pk),
            "next_review_due": item.next_review_due,
            "status": item.get_status_display(),
        }
        for item in queryset
    ]


def _reviewed_models(user):
    for model in admin.site._registry:
        opts = model._meta
        if issubclass(model, EditorialContent) and (
            user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        ):
            yield model


@register.inclusion_tag("admin/editorial/review_dashboard.html", takes_context=True)
def review_dashboard(context):
    """What is overdue, due soon, waiting for review (drafts and proposed changes), for what
    the user may see."""
    user = context["request"].user
    lists = {"overdue": [], "due_soon": [], "waiting": [], "proposals": []}
    models = list(_reviewed_models(user))
    for model in models:
        opts = model._meta
        items = model._default_manager.order_by("next_review_due", "pk")
        lists["overdue"] += _rows(items.overdue_for_review(), opts)
        lists["due_soon"] += _rows(items.due_for_review(within_days=DUE_SOON_DAYS), opts)
        lists["waiting"] += _rows(items.awaiting_review(), opts)
    for proposal in Proposal.objects.waiting().select_related("content_type"):
        model = proposal.content_type.model_class()
        if model in models:
            lists["proposals"].append(
                {
                    "name": f"{proposal.item}: {proposal.summary}",
                    "kind": model._meta.verbose_name,
                    "url": _url(model._meta, "proposal", proposal.object_id),
                    "status": proposal.get_state_display(),
                    "next_review_due": None,
                }
            )
    return {"lists": lists, "due_soon_days": DUE_SOON_DAYS, "shown": context.get("app_list")}
