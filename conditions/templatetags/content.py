from django import template
from django.utils.html import conditional_escape

from editorial.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render an editor's Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def explain_terms(rendered, page_terms):
    """Safe HTML with the first use on this page of each glossary term explained in place.

    `page_terms` is the page's `conditions.glossary.PageTerms`; without one (a page that does
    not explain terms) the HTML is returned as it is. Plain text is escaped first.
    """
    rendered = conditional_escape(rendered)
    if not page_terms:
        return rendered
    return page_terms.mark(rendered)
