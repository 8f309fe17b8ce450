from django import template

from editorial.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render an editor's Markdown as sanitised HTML."""
    return render_markdown(text)
