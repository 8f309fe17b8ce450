"""Ranking: how well each document matches a query, the order results come in, "did you mean".

Every query word must match (allowing a typo); a document scores its best match per word, and
a query that is a whole name or alias, or a phrase within one, scores extra. Ties go A to Z.
"""

import difflib

from .index import CONDITION, get_index
from .text import query_words

# Relevance of one query word's best match in one document.
TITLE_EXACT, TITLE_NEAR, BODY_EXACT, BODY_NEAR = 8, 5, 2, 1
WHOLE_TITLE_BONUS = 20  # the query is the name or an alias ("GBS", "lupus")
TITLE_PHRASE_BONUS = 6  # the query is a phrase making up at least half a name or alias
TITLE_PART_BONUS = 3  # ... or a smaller part of one ("guillain barre" in a subtype's alias)

# Up to this many matches, the database is asked which of them pass the other filters; beyond
# it, reading every filtered row's key (one narrow query) is cheaper than sending the matches.
FEW_MATCHES = 500


def search(query, kinds=None):
    """[(score, document)] from the current index, best first."""
    return rank(get_index(), query, kinds)


def suggest(query):
    """A corrected query that finds something ("did you mean …"), or None."""
    return suggestion(get_index(), query)


def rank(index, query, kinds=None, ordered=True):
    """[(score, document)] best first (ordered=False: in no order, skipping the sort)."""
    words = query_words(query)
    if not words:
        return []
    expansions = [index.expansions(word) for word in words]
    totals = None
    for word_expansions in expansions:
        scores = word_scores(index, word_expansions)
        if totals is None:
            totals = scores
        else:
            totals = {key: totals[key] + scores[key] for key in totals.keys() & scores.keys()}
        if not totals:
            return []
    titled = title_matches(index, expansions)
    for key in titled & totals.keys():
        totals[key] += title_bonus(index.documents[key].titles, expansions)
    documents = index.documents
    if kinds:
        matched = [
            (score, documents[key]) for key, score in totals.items() if documents[key].kind in kinds
        ]
    else:
        matched = [(score, documents[key]) for key, score in totals.items()]
    if not ordered:
        return matched
    # Best score first, then A to Z, as one integer per result: names are ranked once per
    # index, so the sort compares small integers, never strings.
    spread = len(documents)
    ranked = sorted(
        [(document.name_rank - score * spread, score, document) for score, document in matched]
    )
    return [(score, document) for _, score, document in ranked]


def word_scores(index, expansions):
    """{document key: best score} for one query word's expansions."""
    scores = {}
    # Lowest tier first, each overwriting the one before: the best score wins, and the work
    # happens in dict.update (C) rather than per document in Python, which matters when a
    # common word matches thousands of documents.
    for words, exact, score in (
        (index.body_words, False, BODY_NEAR),
        (index.body_words, True, BODY_EXACT),
        (index.title_words, False, TITLE_NEAR),
        (index.title_words, True, TITLE_EXACT),
    ):
        for candidate, is_exact in expansions.items():
            if is_exact == exact and candidate in words:
                scores.update(dict.fromkeys(words[candidate], score))
    return scores


def title_matches(index, expansions):
    """Keys of documents whose titles hold every query word: the only ones a bonus can reach."""
    matches = None
    for word_expansions in expansions:
        keys = set()
        for candidate in word_expansions:
            keys |= index.title_words.get(candidate, set())
        matches = keys if matches is None else matches & keys
    return matches or set()


def title_bonus(titles, expansions):
    """Extra relevance when the query (typos forgiven) is a whole name or alias, or part of one."""
    best = 0
    for title in titles:
        title_words = title.split()
        length = len(expansions)
        for start in range(len(title_words) - length + 1):
            if all(title_words[start + offset] in expansions[offset] for offset in range(length)):
                if len(title_words) == length:
                    bonus = WHOLE_TITLE_BONUS
                elif 2 * length >= len(title_words):
                    bonus = TITLE_PHRASE_BONUS
                else:
                    bonus = TITLE_PART_BONUS
                best = max(best, bonus)
    return best


def suggestion(index, query):
    """A corrected query that finds something in this index, or None."""
    words = query_words(query)
    if not words:
        return None
    corrected = []
    for word in words:
        if index.expansions(word):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, index.title_words_near(word), n=1)
        if not close:
            return None
        corrected.append(close[0])
    corrected_query = " ".join(corrected)
    if corrected_query == " ".join(words) or not rank(index, corrected_query):
        return None
    return corrected_query


def matching_conditions(query):
    """Primary keys of the published conditions that match the query, in no order."""
    return [document.pk for _, document in rank(get_index(), query, {CONDITION}, ordered=False)]


def search_conditions(queryset, query, *, by_relevance=True):
    """The queryset's conditions that match the query, as SearchResults for a paginator.

    Best match first, or with by_relevance=False in the queryset's own order (an explicit sort).
    Which matches are in the queryset is read as keys in one narrow query, met in Python.
    """
    matched = rank(get_index(), query, kinds={CONDITION}, ordered=by_relevance)
    if not matched:
        return SearchResults(queryset, [])
    keys = queryset.order_by() if by_relevance else queryset
    if len(matched) <= FEW_MATCHES:
        keys = keys.filter(pk__in=[document.pk for _, document in matched])
    keys = keys.values_list("pk", flat=True)
    if by_relevance:
        present = set(keys)
        matches = [(document.pk, score) for score, document in matched if document.pk in present]
    else:
        scores = {document.pk: score for score, document in matched}
        matches = [(pk, scores[pk]) for pk in keys if pk in scores]
    return SearchResults(queryset, matches)


class SearchResults:
    """Conditions in a given order, counted without the database and read a page at a time.

    What a paginator (Django's, or DRF's, which uses it) needs: count() and a slice, which
    gives the slice's model instances in order, each with its score as `relevance`.
    """

    def __init__(self, queryset, matches):
        self.queryset = queryset  # rows come from it, with its columns and prefetches
        self.matches = matches  # [(primary key, score)] in the order shown

    def count(self):
        return len(self.matches)

    def __len__(self):
        return len(self.matches)

    def __getitem__(self, page):
        if not isinstance(page, slice):
            raise TypeError("SearchResults are read a slice (a page) at a time.")
        shown = self.matches[page]
        rows = self.queryset.in_bulk([pk for pk, _ in shown])
        found = []
        for pk, score in shown:
            row = rows.get(pk)
            if row is not None:  # deleted since the keys were read
                row.relevance = score
                found.append(row)
        return found
