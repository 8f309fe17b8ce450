"""Search that forgives case, accents and one typo per word, the same on every database.

Published conditions, mechanisms, symptoms, treatments and glossary terms are read once per
content version into an in-process index, and queries are matched in Python. So SQLite and
PostgreSQL behave identically, and a query costs a few dictionary look-ups rather than a scan of
every row.

- text.py: normalising text, the words of a query, the longest query accepted;
- index.py: the index, how it is built from the content, and its rebuild per content version;
- ranking.py: scoring and ordering matches, "did you mean", and condition lists in match order.
"""

from .index import CONDITION, GLOSSARY, MECHANISM, SYMPTOM, TREATMENT, SearchIndex, get_index
from .ranking import matching_conditions, rank, search, search_conditions, suggest
from .text import MAX_QUERY_LENGTH, collation_key, initial_letter, normalise

__all__ = [
    "CONDITION",
    "GLOSSARY",
    "MAX_QUERY_LENGTH",
    "MECHANISM",
    "SYMPTOM",
    "TREATMENT",
    "SearchIndex",
    "collation_key",
    "get_index",
    "initial_letter",
    "matching_conditions",
    "normalise",
    "rank",
    "search",
    "search_conditions",
    "suggest",
]
