"""The search index: published content read once per content version into word lists.

Inverted word lists (title words and body words) plus a deletion neighbourhood of the
vocabulary, so a query word's typo-forgiving matches are a few dictionary look-ups.
"""

import bisect
import gc
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from sitecache.version import content_version

from ..models import Alias, Condition, GlossaryTerm, Mechanism, Symptom, Treatment, active_language
from .text import markdown_words, normalise

CONDITION = "condition"
MECHANISM = "mechanism"
SYMPTOM = "symptom"
TREATMENT = "treatment"
GLOSSARY = "glossary"

# Shorter words are too easily one typo away from another word to forgive typos in them.
MIN_TYPO_LENGTH = 4
MIN_PREFIX_LENGTH = 4


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
        for word in markdown_words(body):
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

    def title_words_near(self, word):
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


def build_index():
    """The index of what is published in the active language, in its words and aliases."""
    index = SearchIndex()
    conditions = Condition.objects.published().prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.in_language().only("condition_id", "name"))
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
    for symptom in Symptom.objects.published():
        titles = [symptom.name, symptom.clinical_term]
        index.add(SYMPTOM, symptom.pk, symptom.name, titles, symptom.description)
    for treatment in Treatment.objects.published():
        body = " ".join([treatment.summary, *(text for _, _, text in treatment.sections())])
        index.add(TREATMENT, treatment.pk, treatment.name, [treatment.name], body)
    for term in GlossaryTerm.objects.published():
        index.add(GLOSSARY, term.pk, term.term, term.forms, term.definition)
    return index.finish()


_index_lock = threading.Lock()
# One index per language: {language: {"version": ..., "index": ...}}.
_indexes = {}


def get_index():
    """The active language's index for the current content version, rebuilt once after any
    edit. Each language has its own: Spanish searches Spanish names, aliases and text."""
    version = content_version()
    language = active_language()
    entry = _indexes.get(language) or {"version": None, "index": None}
    if entry["version"] != version:
        with _index_lock:
            entry = _indexes.setdefault(language, {"version": None, "index": None})
            if entry["version"] != version:
                entry["index"] = build_index()
                entry["version"] = version
                # The index is hundreds of thousands of long-lived objects without cycles
                # (freed by reference counting when replaced). Left to the cyclic collector,
                # each full collection rescans them all: 50-70 ms pauses every few hundred
                # searches at 10,000 conditions. Frozen, the collector skips what is alive
                # now. Collected first, so garbage in cycles (the build's model instances)
                # is freed rather than frozen for good.
                gc.collect()
                gc.freeze()
    return _indexes[language]["index"]
