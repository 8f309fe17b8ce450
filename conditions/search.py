"""Search that forgives case and accents, the same on every database.

Matching happens in Python on normalised text so SQLite and PostgreSQL behave alike.
"""

import unicodedata

from django.db.models import Q


def normalise(text):
    """Lower case, accents removed, punctuation turned to spaces: "Sjögren's" → "sjogren s"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in without_accents.lower()).split())


def search_conditions(queryset, query):
    """Conditions whose name, aliases or summary contain every word of the query."""
    words = normalise(query).split()
    if not words:
        return queryset
    matching_ids = []
    for condition in queryset.prefetch_related("aliases").only("pk", "name", "summary"):
        haystack = normalise(
            " ".join(
                [condition.name, condition.summary, *(a.name for a in condition.aliases.all())]
            )
        )
        if all(word in haystack for word in words):
            matching_ids.append(condition.pk)
    return queryset.filter(Q(pk__in=matching_ids))
