from django.db.models import Max
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sitecache.pages import cache_public_page

from .models import PUBLIC_ACTIONS, Change

RECENT_CHANGES_SHOWN = 50


@cache_public_page(parameters=[])
@require_safe
def recent_changes(request):
    """The latest public changes across the site, newest first."""
    changes = list(Change.objects.order_by("-pk")[:RECENT_CHANGES_SHOWN])
    # Link only to pages still on the site: those whose latest entry is not a tombstone.
    latest = (
        Change.objects.filter(object_id__in={change.object_id for change in changes})
        .values("item_type", "object_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    live = set(
        Change.objects.filter(pk__in=list(latest), action__in=PUBLIC_ACTIONS).values_list(
            "item_type", "object_id", "slug"
        )
    )
    for change in changes:
        change.is_live = (change.item_type, change.object_id, change.slug) in live
    return render(request, "changes/recent_changes.html", {"changes": changes})
