"""Glossary terms explained where they are read.

The first use of each published term on a page (or any of its other forms: whole words, any
case) becomes a `<dfn>` holding a button that opens the definition in place, an HTML popover:
it works by touch, keyboard and screen reader, without hover and without JavaScript. Later
uses on the same page are left as they are, and nothing inside a link, a heading, code or
another term is touched.

The terms are read once per content version; a page's `PageTerms` remembers what it has
explained so far, in the order the template renders the page.
"""

import html
import re
import threading
from html.parser import HTMLParser

from django.urls import reverse
from django.utils.safestring import mark_safe

from sitecache.version import content_version

from .models import GlossaryTerm

# Text inside these is never marked: links and buttons would nest, headings and code must
# read exactly as written, and an <abbr> or <dfn> already says what it is.
SKIPPED_TAGS = frozenset(
    ["a", "abbr", "button", "code", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "summary"]
)
VOID_TAGS = frozenset(["br", "hr", "img", "input", "wbr"])


class Terms:
    """The published terms and one pattern matching every form of any of them."""

    def __init__(self, terms):
        self.by_form = {}
        for term in terms:
            for form in term.forms:
                self.by_form.setdefault(form.casefold(), term)
        forms = sorted(self.by_form, key=len, reverse=True)  # the longest form wins
        self.pattern = (
            re.compile(
                r"(?<![\w-])(" + "|".join(re.escape(form) for form in forms) + r")(?![\w-])",
                re.IGNORECASE,
            )
            if forms
            else None
        )

    def term_for(self, text):
        return self.by_form.get(text.casefold())


_lock = threading.Lock()
_terms = {"version": None, "terms": None}


def get_terms():
    """The terms for the current content version, read once after any edit."""
    version = content_version()
    if _terms["version"] != version:
        with _lock:
            if _terms["version"] != version:
                published = GlossaryTerm.objects.published().only(
                    "slug", "term", "definition", "other_forms"
                )
                _terms["terms"] = Terms(list(published))
                _terms["version"] = version
    return _terms["terms"]


def term_markup(matched, term):
    """The matched words as a term whose definition opens in place."""
    popup_id = f"term-{term.slug}"
    return (
        f'<dfn class="term"><button type="button" class="term__button" '
        f'popovertarget="{popup_id}">{html.escape(matched)}</button></dfn>'
        f'<span class="term__definition" id="{popup_id}" popover role="note">'
        f"<strong>{html.escape(term.term)}</strong>: {html.escape(term.definition)} "
        f'<a href="{reverse("conditions:glossary-term", kwargs={"slug": term.slug})}">'
        f"More about “{html.escape(term.term)}”</a></span>"
    )


class _Marker(HTMLParser):
    def __init__(self, page_terms):
        super().__init__(convert_charrefs=True)
        self.page_terms = page_terms
        self.out = []
        self.skipping = []  # the open elements whose text is left alone

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in SKIPPED_TAGS:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if self.skipping:
            self.out.append(html.escape(data, quote=False))
        else:
            self.out.append(self.page_terms.mark_text(data))


class PageTerms:
    """What one page has explained so far: each term is explained at its first use only."""

    def __init__(self, terms=None, subject_names=()):
        """`subject_names`: what the page itself is about (its heading says what it is), so
        those terms are not explained on it."""
        self.terms = terms if terms is not None else get_terms()
        self.explained = {
            term.slug for term in map(self.terms.term_for, subject_names) if term is not None
        }

    def mark_text(self, text):
        """Plain text → HTML, with the first use of each term not yet explained marked."""
        if self.terms.pattern is None:
            return html.escape(text, quote=False)
        pieces = []
        position = 0
        for match in self.terms.pattern.finditer(text):
            term = self.terms.term_for(match.group(0))
            if term is None or term.slug in self.explained:
                continue
            self.explained.add(term.slug)
            pieces.append(html.escape(text[position : match.start()], quote=False))
            pieces.append(term_markup(match.group(0), term))
            position = match.end()
        pieces.append(html.escape(text[position:], quote=False))
        return "".join(pieces)

    def mark(self, rendered_html):
        """Safe HTML (sanitised Markdown, or escaped text) with first uses of terms marked."""
        marker = _Marker(self)
        marker.feed(str(rendered_html))
        marker.close()
        return mark_safe("".join(marker.out))
