from django import template

from changes.models import Change

register = template.Library()


@register.inclusion_tag("includes/page_history.html")
def page_history(item):
    """A page's short public history: date and one line for its last few changes."""
    return {"history": Change.objects.history_of(item)}
