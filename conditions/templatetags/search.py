from django import template

from conditions.search import MAX_QUERY_LENGTH

register = template.Library()


@register.simple_tag
def max_query_length():
    """The longest search query accepted, for an input's `maxlength` where no form is at hand."""
    return MAX_QUERY_LENGTH
