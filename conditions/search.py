"""Search that forgives case, accents and one typo per word, the same on every database.

Published conditions, mechanisms and symptoms are read once per content version into an
in-process index (inverted word lists plus a deletion neighbourhood of the vocabulary), and
queries are matched in Python. So SQLite and PostgreSQL behave identically, and a query costs
a few dictionary look-ups rather than a scan of every row.
"""

import bisect
import difflib
import gc
import json
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Prefetch, Q, Value, When
from django.db.models.expressions import Expression

from sitecache.version import content_version

CONDITION = "condition"
MECHANISM = "mechanism"
SYMPTOM = "symptom"

# Words people type around what they mean; ignored unless they are all there is.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "can",
        "cause",
        "causes",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "which",
        "with",
    ]
)
# Shorter words are too easily one typo away from another word to forgive typos in them.
MIN_TYPO_LENGTH = 4
MIN_PREFIX_LENGTH = 4

# Relevance of one query word's best match in one document.
TITLE_EXACT, TITLE_NEAR, BODY_EXACT, BODY_NEAR = 8, 5, 2, 1
WHOLE_TITLE_BONUS = 20  # the query is the name or an alias ("GBS", "lupus")
TITLE_PHRASE_BONUS = 6  # the query appears as a phrase within a name or alias

# Up to this many matches, the database is asked which pass the other filters by primary key;
# beyond it, reading every candidate row's key (a narrow index scan) is cheaper.
FEW_MATCHES = 500

MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def normalise(text):
    """Lower case, accents removed, punctuation turned to spaces: "Sjögren's" → "sjogren s"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in without_accents.lower()).split())


def deletions(word):
    """The word with each single letter removed (the typo neighbourhood of a word)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class Document:
    kind: str
    pk: int
    name: str
    titles: list  # normalised name and aliases
    sort_name: str = ""  # the name in lower case, for ordering results alphabetically
    name_rank: int = 0  # position by sort_name among all documents (set by SearchIndex.finish)


@dataclass
class SearchIndex:
    documents: dict = field(default_factory=dict)  # document number → Document
    title_words: dict = field(default_factory=lambda: defaultdict(set))  # word → keys
    body_words: dict = field(default_factory=lambda: defaultdict(set))
    typo_neighbours: dict = field(default_factory=lambda: defaultdict(set))  # deletion → words
    sorted_vocabulary: list = field(default_factory=list)
    title_words_by_letter: dict = field(default_factory=lambda: defaultdict(set))

    def add(self, kind, pk, name, titles, body):
        # A small integer per document rather than (kind, pk): a common word's postings are
        # intersected and looked up thousands of times per query, and ints hash for free.
        key = len(self.documents)
        titles = [normalise(title) for title in titles if title]
        self.documents[key] = Document(kind, pk, name, titles, name.lower())
        for title in titles:
            for word in title.split():
                self.title_words[word].add(key)
        for word in normalise(MARKDOWN_LINK_TARGET.sub("]", body)).split():
            self.body_words[word].add(key)

    def finish(self):
        vocabulary = set(self.title_words) | set(self.body_words)
        for word in vocabulary:
            if len(word) >= MIN_TYPO_LENGTH:
                self.typo_neighbours[word].add(word)
                for variant in deletions(word):
                    self.typo_neighbours[variant].add(word)
        self.sorted_vocabulary = sorted(vocabulary)
        # Ordering by an integer rank rather than the name: comparing thousands of names that
        # share long prefixes was most of a common word's search time.
        by_name = sorted(self.documents.values(), key=lambda document: document.sort_name)
        for rank, document in enumerate(by_name):
            document.name_rank = rank
        for word in self.title_words:
            self.title_words_by_letter[word[:1]].add(word)
        return self

    def expansions(self, word):
        """Vocabulary words a query word may stand for: {vocabulary word: is it exact}."""
        found = {}
        if len(word) >= MIN_TYPO_LENGTH:
            # Both sides lose at most one letter: covers an insertion, deletion, substitution
            # or swap of neighbouring letters.
            for variant in deletions(word) | {word}:
                for candidate in self.typo_neighbours.get(variant, ()):
                    found[candidate] = False
        if len(word) >= MIN_PREFIX_LENGTH:
            # A word still being typed ("neuropath" → "neuropathy").
            start = bisect.bisect_left(self.sorted_vocabulary, word)
            for candidate in self.sorted_vocabulary[start : start + 50]:
                if not candidate.startswith(word):
                    break
                found[candidate] = False
        if word in self.title_words or word in self.body_words:
            found[word] = True
        return found

    def word_scores(self, expansions):
        """{document key: best score} for one query word's expansions."""
        scores = {}
        # Lowest tier first, each overwriting the one before: the best score wins, and the
        # work happens in dict.update (C) rather than per document in Python, which matters
        # when a common word matches thousands of documents.
        for words, exact, score in (
            (self.body_words, False, BODY_NEAR),
            (self.body_words, True, BODY_EXACT),
            (self.title_words, False, TITLE_NEAR),
            (self.title_words, True, TITLE_EXACT),
        ):
            for candidate, is_exact in expansions.items():
                if is_exact == exact and candidate in words:
                    scores.update(dict.fromkeys(words[candidate], score))
        return scores

    def title_matches(self, expansions):
        """Keys of documents whose titles hold every query word: the only ones a bonus can reach."""
        matches = None
        for word_expansions in expansions:
            keys = set()
            for candidate in word_expansions:
                keys |= self.title_words.get(candidate, set())
            matches = keys if matches is None else matches & keys
        return matches or set()

    def search(self, query, kinds=None, ordered=True):
        """[(score, document)] best first; every query word must match (allowing a typo).

        ordered=False skips the sort, for callers that let the database order the rows.
        """
        words = query_words(query)
        if not words:
            return []
        expansions = [self.expansions(word) for word in words]
        totals = None
        for word_expansions in expansions:
            scores = self.word_scores(word_expansions)
            if totals is None:
                totals = scores
            else:
                totals = {key: totals[key] + scores[key] for key in totals.keys() & scores.keys()}
            if not totals:
                return []
        titled = self.title_matches(expansions)
        for key in titled & totals.keys():
            totals[key] += title_bonus(self.documents[key].titles, expansions)
        documents = self.documents
        if kinds:
            matched = [
                (score, documents[key])
                for key, score in totals.items()
                if documents[key].kind in kinds
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

    def suggestion(self, query):
        """A corrected query that finds something ("did you mean …"), or None."""
        words = query_words(query)
        if not words:
            return None
        corrected = []
        for word in words:
            if self.expansions(word):
                corrected.append(word)
                continue
            close = difflib.get_close_matches(word, self._candidates(word), n=1)
            if not close:
                return None
            corrected.append(close[0])
        suggestion = " ".join(corrected)
        if suggestion == " ".join(words) or not self.search(suggestion):
            return None
        return suggestion

    def _candidates(self, word):
        """Title words within about two typos of a word, found without scanning everything."""
        variants = {word} | deletions(word)
        variants |= {smaller for variant in deletions(word) for smaller in deletions(variant)}
        candidates = set()
        for variant in variants:
            candidates |= self.typo_neighbours.get(variant, set())
        candidates = {candidate for candidate in candidates if candidate in self.title_words}
        if not candidates:
            # Two substitutions ("vaskulitys"): compare with the few title words that share the
            # first letter and about the same length.
            candidates = {
                candidate
                for candidate in self.title_words_by_letter.get(word[:1], ())
                if abs(len(candidate) - len(word)) <= 2
            }
        return list(candidates)


def title_bonus(titles, expansions):
    """Extra relevance when the query (typos forgiven) is a whole name or alias, or part of one."""
    best = 0
    for title in titles:
        title_words = title.split()
        length = len(expansions)
        for start in range(len(title_words) - length + 1):
            if all(title_words[start + offset] in expansions[offset] for offset in range(length)):
                best = max(
                    best,
                    WHOLE_TITLE_BONUS if len(title_words) == length else TITLE_PHRASE_BONUS,
                )
    return best


def query_words(query):
    words = normalise(query).split()
    meaningful = [word for word in words if word not in STOP_WORDS and len(word) > 1]
    return meaningful or words


_index_lock = threading.Lock()
_index = {"version": None, "index": None}


def build_index():
    from .models import Alias, Condition, Mechanism, Symptom

    index = SearchIndex()
    conditions = Condition.objects.published().prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.only("condition_id", "name"))
    )
    for condition in conditions:
        body = " ".join(
            [
                condition.summary,
                *(text for _, _, text in condition.sections()),
                condition.questions_for_doctor,
                condition.emergency_warning,
            ]
        )
        titles = [condition.name, *(alias.name for alias in condition.aliases.all())]
        index.add(CONDITION, condition.pk, condition.name, titles, body)
    for mechanism in Mechanism.objects.published():
        body = f"{mechanism.summary} {mechanism.explanation}"
        index.add(MECHANISM, mechanism.pk, mechanism.name, [mechanism.name], body)
    for symptom in Symptom.objects.all():
        titles = [symptom.name, symptom.clinical_term]
        index.add(SYMPTOM, symptom.pk, symptom.name, titles, symptom.description)
    return index.finish()


def get_index():
    """The index for the current content version, rebuilt once after any edit."""
    version = content_version()
    if _index["version"] != version:
        with _index_lock:
            if _index["version"] != version:
                _index["index"] = build_index()
                _index["version"] = version
                # The index is hundreds of thousands of long-lived objects without cycles
                # (freed by reference counting when replaced). Left to the cyclic collector,
                # each full collection rescans them all: 50-80 ms pauses in random searches
                # at 10,000 conditions. Frozen, the collector skips what is alive now.
                gc.freeze()
    return _index["index"]


def search(query, kinds=None):
    return get_index().search(query, kinds)


def suggest(query):
    return get_index().suggestion(query)


class PrimaryKeyIn(Expression):
    """`pk IN (...)` for any number of keys, sent as one parameter rather than one per key.

    With thousands of matches ("nerve" matches nearly every condition) a parameter per key
    makes the statement itself the slow part; one JSON text (SQLite) or array (PostgreSQL) is
    unpacked by the database into a set it looks up in. The parameter is built only if the SQL
    is: a ranked search (RankedSearchMixin) usually never sends this statement.
    """

    output_field = BooleanField()

    def __init__(self, model, pks):
        super().__init__()
        self.model, self.pks = model, pks

    @property
    def identity(self):
        # Equal when they would compile to the same SQL; the key list itself is not hashed.
        return (type(self), self.model, id(self.pks))

    def as_sql(self, compiler, connection):
        column = f'"{self.model._meta.db_table}"."{self.model._meta.pk.column}"'
        if connection.vendor == "postgresql":
            return f"{column} IN (SELECT unnest(%s::bigint[]))", [list(self.pks)]
        return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(self.pks))]


def pk_in(model, pks):
    if connection.vendor in {"postgresql", "sqlite"}:
        return PrimaryKeyIn(model, pks)
    return Q(pk__in=list(pks))


def search_conditions(queryset, query):
    """The queryset narrowed to matching conditions, ordered by relevance.

    The rows are ranked here, in Python, from the index; the database is only asked which of
    them pass the other filters and for the one page shown (see RankedSearchMixin). A queryset
    that is ordered differently, or used in any other way, falls back to the same filter and
    order done by the database.
    """
    results = get_index().search(query, kinds={CONDITION})
    by_score = defaultdict(list)
    for score, document in results:
        by_score[score].append(document.pk)
    model = queryset.model
    # One WHEN per distinct score (a handful), not one per row, however many rows match.
    relevance = Case(
        *(When(pk_in(model, pks), then=Value(score)) for score, pks in by_score.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    searched = (
        queryset.filter(pk_in(model, [document.pk for _, document in results]))
        .annotate(relevance=relevance)
        .order_by("-relevance", "name")
    )
    searched.__class__ = _ranked_class(type(queryset))
    searched._search = _Ranking([(document.pk, score) for score, document in results], queryset)
    return searched


@dataclass
class _Ranking:
    ranked: list  # [(pk, score)] best first
    unsearched: object  # the same queryset without the search filter
    surviving: list = None  # ranked rows that pass every other filter, once asked


class RankedSearchMixin:
    """A searched queryset that counts and slices from the ranking made in Python.

    Sorting thousands of matches in the database by relevance and name, to show twenty, was
    most of a search's time. Here the other filters applied after the search (mechanism,
    onset, ...) are mirrored on the unsearched queryset; count() and a slice ask the database
    only for the primary keys passing them (one narrow query) and then for one page of rows.
    Any other chained call, such as order_by(), drops the ranking and the database does all.
    """

    _search = None

    def _clone(self):
        clone = super()._clone()
        clone._search = None  # a change not mirrored below: the database orders the rows
        return clone

    def _mirrored(self, method, *args, **kwargs):
        clone = getattr(super(), method)(*args, **kwargs)
        if self._search is not None:
            unsearched = getattr(self._search.unsearched, method)(*args, **kwargs)
            clone._search = _Ranking(self._search.ranked, unsearched)
        return clone

    def filter(self, *args, **kwargs):
        return self._mirrored("filter", *args, **kwargs)

    def exclude(self, *args, **kwargs):
        return self._mirrored("exclude", *args, **kwargs)

    def distinct(self, *fields):
        return self._mirrored("distinct", *fields)

    def select_related(self, *fields):
        return self._mirrored("select_related", *fields)

    def prefetch_related(self, *lookups):
        return self._mirrored("prefetch_related", *lookups)

    def _surviving(self):
        if self._search.surviving is None:
            unsearched = self._search.unsearched.order_by()
            ranked = self._search.ranked
            if _only_published(unsearched):
                # No other filter: the index holds exactly the published conditions of this
                # content version, so every match survives without asking the database.
                self._search.surviving = list(ranked)
                return self._search.surviving
            if len(ranked) <= FEW_MATCHES:
                # Few matches: ask about just those rather than read every row's key.
                unsearched = unsearched.filter(pk__in=[pk for pk, _ in ranked])
            present = set(unsearched.values_list("pk", flat=True)) if ranked else set()
            self._search.surviving = [row for row in self._search.ranked if row[0] in present]
        return self._search.surviving

    def count(self):
        if self._search is None or self._result_cache is not None:
            return super().count()
        return len(self._surviving())

    def __getitem__(self, k):
        if self._search is None or self._result_cache is not None or not isinstance(k, slice):
            return super().__getitem__(k)
        page = self._surviving()[k]
        scores = dict(page)
        rows = self._search.unsearched.filter(pk__in=list(scores)).in_bulk()
        found = []
        for pk, score in page:
            row = rows.get(pk)
            if row is not None:
                row.relevance = score
                found.append(row)
        return found


def _only_published(queryset):
    """Whether the queryset is all published conditions: no filter but the one build_index uses."""
    from .models import Condition

    published = Condition.objects.published()
    return (
        queryset.model is Condition
        and not queryset.query.distinct
        and queryset.query.where == published.query.where
    )


_ranked_classes = {}


def _ranked_class(queryset_class):
    if issubclass(queryset_class, RankedSearchMixin):
        return queryset_class
    if queryset_class not in _ranked_classes:
        _ranked_classes[queryset_class] = type(
            f"Ranked{queryset_class.__name__}", (RankedSearchMixin, queryset_class), {}
        )
    return _ranked_classes[queryset_class]
