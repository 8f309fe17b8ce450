"""Markdown to safe HTML: rendered with Python-Markdown, then sanitised with nh3 (Ammonia).

Rendered output is memoised by the text itself, so a page view never re-renders unchanged text.
"""

import functools
import html
import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote",
    "abbr", "dfn", "code", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Browsers read these as another host ("//evil.example/p", and "/\\evil.example" or
# "\\\\evil.example" after normalising backslashes): not site-relative, whatever they look like.
OFF_SITE_PREFIXES = ("//", "/\\", "\\")


def _site_relative_or_allowed(tag, attribute, value):
    # Browsers drop tabs and line breaks inside URLs: "/\t/evil.example" is "//evil.example".
    if attribute == "href" and re.sub(r"[\t\n\r ]", "", value).startswith(OFF_SITE_PREFIXES):
        return None
    return value


@functools.lru_cache(maxsize=4096)
def render_markdown(text):
    """Sanitised HTML for a piece of Markdown; nothing executable can survive."""
    rendered = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_site_relative_or_allowed,
    )
    return mark_safe(cleaned)


@functools.lru_cache(maxsize=4096)
def markdown_to_text(text):
    """The words of a piece of Markdown with all markup removed."""
    rendered = render_markdown(text)
    return html.unescape(nh3.clean(rendered, tags=set())).strip()
