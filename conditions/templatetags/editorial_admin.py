"""The review dashboard on the admin index page."""

from django import template
from django.urls import reverse

from conditions.models import Condition, Mechanism

register = template.Library()

DUE_SOON_DAYS = 30


def _rows(queryset, opts):
    return [
        {
            "name": str(item),
            "kind": opts.verbose_name,
            "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]),
            "next_review_due": item.next_review_due,
            "status": item.get_status_display(),
        }
        for item in queryset.only("pk", "name", "status", "next_review_due")
    ]


@register.inclusion_tag("admin/conditions/review_dashboard.html", takes_context=True)
def review_dashboard(context):
    """What is overdue, due in the next 30 days and waiting for review, for what the user sees."""
    user = context["request"].user
    lists = {"overdue": [], "due_soon": [], "waiting": []}
    for model in (Condition, Mechanism):
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}") and not user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            continue
        items = model.objects.order_by("next_review_due", "name")
        lists["overdue"] += _rows(items.overdue_for_review(), opts)
        lists["due_soon"] += _rows(items.due_for_review(within_days=DUE_SOON_DAYS), opts)
        lists["waiting"] += _rows(items.awaiting_review(), opts)
    return {"lists": lists, "due_soon_days": DUE_SOON_DAYS, "shown": context.get("app_list")}
