"""Every page's other-language versions: for <link rel="alternate" hreflang> and the switch.

A list page exists in every language at the same address under the language's prefix; an
item's page exists in another language only once its translation there is published, at its
slug in that language (see EditorialQuerySet.with_translation_flags).
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from .models import active_language

# How html lang and hreflang name each language (the English text is British English).
HTML_LANG = {"en": "en-GB", "es": "es"}


def _entry(code, url, exists=True):
    return {
        "code": code,
        "html_lang": HTML_LANG.get(code, code),
        "name": dict(settings.LANGUAGES)[code],
        "url": url,
        "exists": exists,
        "current": code == active_language(),
    }


def alternates_for(item):
    """Each language's address of an item's page, marked with whether it exists there."""
    entries = []
    for code, _ in settings.LANGUAGES:
        exists = code == settings.LANGUAGE_CODE or bool(getattr(item, f"live_in_{code}", False))
        with translation.override(code):
            url = item.get_absolute_url() if exists else translate_url("/", code)
        entries.append(_entry(code, url, exists))
    return entries


def alternates_for_path(path):
    """Each language's address of a page that exists in every language (lists, about ...)."""
    return [_entry(code, translate_url(path, code)) for code, _ in settings.LANGUAGES]


def languages(request):
    """Template context: the page's language and its other-language versions.

    Views of single items put their own `alternates` (alternates_for) in the context, which
    wins over this; a page that exists nowhere else (a 404) sets it empty."""
    match = getattr(request, "resolver_match", None)
    return {
        "html_lang": HTML_LANG.get(active_language(), active_language()),
        "alternates": alternates_for_path(request.path) if match is not None else [],
    }
