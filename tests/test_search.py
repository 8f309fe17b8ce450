"""Search forgives case, accents, aliases and one typo per word, and ranks names first."""

import gc
import weakref

import pytest
from django.core.cache import cache

from conditions import search
from conditions.models import Alias, Condition
from conditions.search import ranking
from conditions.search.ranking import BODY_EXACT, TITLE_EXACT, TITLE_PHRASE_BONUS
from sitecache.version import content_version
from tests.factories import ConditionFactory, MechanismFactory, SymptomFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def names(query):
    return [document.name for _, document in search.search(query)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sjögren's", "sjogren s"),
        ("  GUILLAIN\u2013Barré  ", "guillain barre"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(text, expected):
    assert search.normalise(text) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sjogren", "Sjögren's disease"),
        ("SJÖGREN", "Sjögren's disease"),
        ("lupus", "Systemic lupus erythematosus"),
        ("SLE", "Systemic lupus erythematosus"),
        ("gbs", "Guillain-Barré syndrome"),
        ("guillan barre", "Guillain-Barré syndrome"),
        ("guillain-barre", "Guillain-Barré syndrome"),
        ("vasculitus", "Systemic vasculitis"),
        ("rheumatiod arthritis", "Rheumatoid arthritis"),
    ],
)
def test_real_content_is_found_first(content, query, expected):
    assert names(query)[0] == expected


def test_cidp_abbreviation_matches_alias(db):
    condition = ConditionFactory(name="Chronic inflammatory demyelinating polyneuropathy")
    Alias.objects.create(condition=condition, name="CIDP", is_abbreviation=True)
    assert names("cidp") == [condition.name]


def test_name_matches_rank_above_body_matches(db):
    body_only = ConditionFactory(name="Aardvark disease", overview="Can look like lupus.")
    by_name = ConditionFactory(name="Zebra lupus")
    results = names("lupus")
    assert results.index(by_name.name) < results.index(body_only.name)


def test_every_word_must_match(db):
    ConditionFactory(name="Lupus nephritis")
    ConditionFactory(name="Lupus pernio")
    assert names("lupus pernio") == ["Lupus pernio"]


def test_short_words_are_not_typo_matched(db):
    ConditionFactory(name="MS", summary="A summary.", overview="x", nerve_effects="x")
    assert names("ma") == []


def test_unpublished_content_is_not_indexed(db):
    ConditionFactory(name="Secret draft condition", status="draft")
    MechanismFactory(name="Secret draft mechanism", status="draft")
    assert names("secret") == []


def test_mechanisms_and_symptoms_are_searched(db):
    mechanism = MechanismFactory(name="Demyelination")
    symptom = SymptomFactory(name="Pins and needles", clinical_term="paraesthesia")
    kinds = {document.kind: document.pk for _, document in search.search("demyelinaton")}
    assert kinds == {search.MECHANISM: mechanism.pk}
    assert [d.pk for _, d in search.search("paraesthesia")] == [symptom.pk]


def test_edit_is_searchable_once_committed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        condition = ConditionFactory(name="Old name")
    assert names("old") == ["Old name"]
    version = content_version()
    condition.name = "Fresh name"
    with django_capture_on_commit_callbacks(execute=True):
        condition.save()
    assert content_version() != version
    assert names("fresh") == ["Fresh name"]
    assert names("old") == []


def test_alias_added_bumps_content_version(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        condition = ConditionFactory(name="Something long")
    version = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        Alias.objects.create(condition=condition, name="SL", is_abbreviation=True)
    assert content_version() > version
    assert names("sl") == ["Something long"]


def test_did_you_mean_offers_a_query_that_finds_something(content):
    suggestion = search.suggest("vaskulitys")
    assert suggestion == "vasculitis"
    assert names(suggestion)


def test_did_you_mean_fixes_each_misspelt_word(content):
    assert names("sistemik vaskulitys") == []
    assert search.suggest("sistemik vaskulitys") == "systemic vasculitis"


def test_no_suggestion_for_nonsense(content):
    assert search.suggest("qqqqqqqq zzzzzzz") is None


def test_search_conditions_orders_by_relevance(db):
    ConditionFactory(name="Aardvark", overview="Mentions vasculitis once.")
    ConditionFactory(name="Systemic vasculitis")
    results = search.search_conditions(Condition.objects.published(), "vasculitis")
    assert [c.name for c in results[:20]] == ["Systemic vasculitis", "Aardvark"]
    assert [c.relevance for c in results[:20]] == [TITLE_EXACT + TITLE_PHRASE_BONUS, BODY_EXACT]


def test_index_scales_without_full_scans(db):
    """A query looks words up; it never touches documents that share no word with it."""
    index = search.SearchIndex()
    for number in range(5000):
        index.add(search.CONDITION, number, f"Condition {number}", [f"Condition {number}"], "")
    index.add(search.CONDITION, 99999, "Lupus", ["Lupus", "SLE"], "")
    index.finish()
    assert [d.pk for _, d in search.rank(index, "lupsu")] == [99999]


@pytest.mark.parametrize("few_matches", [0, 500])
def test_search_results_count_and_page_like_the_database(db, monkeypatch, few_matches):
    """count() and slices come from the ranking and one read of keys; the database agrees."""
    monkeypatch.setattr(ranking, "FEW_MATCHES", few_matches)  # both ways of reading the keys
    ConditionFactory(name="Zebra vasculitis", onset="acute")
    ConditionFactory(name="Vasculitis", onset="chronic")
    for number in range(6):
        ConditionFactory(
            name=f"Condition {number}",
            overview="Mentions vasculitis.",
            onset="acute" if number % 2 else "chronic",
        )
    ConditionFactory(name="Draft vasculitis", status="draft")
    ConditionFactory(name="Unrelated", overview="Nothing to see.")
    published = Condition.objects.published()
    matches = search.matching_conditions("vasculitis")
    for queryset in [published, published.filter(onset="acute").distinct()]:
        results = search.search_conditions(queryset, "vasculitis")
        in_database = set(queryset.filter(pk__in=matches).values_list("pk", flat=True))
        ranked = [d.pk for _, d in search.search("vasculitis") if d.pk in in_database]
        assert results.count() == len(results) == len(in_database)
        assert [c.pk for c in results[1:4]] == ranked[1:4]
        assert [c.pk for c in results[:20]] == ranked
    assert [c.name for c in search.search_conditions(published, "vasculitis")[:2]] == [
        "Vasculitis",
        "Zebra vasculitis",
    ]
    assert search.search_conditions(published.filter(onset="acute"), "vasculitis").count() == 4
    by_name = search.search_conditions(
        published.order_by("-name"), "vasculitis", by_relevance=False
    )
    assert [c.name for c in by_name[:2]] == ["Zebra vasculitis", "Vasculitis"]
    assert by_name.count() == 8
    assert search.search_conditions(published, "qqqqzz").count() == 0


def test_a_search_reads_the_keys_once_and_then_one_page(db, django_assert_num_queries):
    """However many conditions match, one narrow query of keys and one of the page's rows."""
    ConditionFactory(name="Vasculitis")
    ConditionFactory(name="Zebra vasculitis")
    ConditionFactory(name="Draft vasculitis", status="draft")
    search.get_index()
    with django_assert_num_queries(2):
        results = search.search_conditions(Condition.objects.published(), "vasculitis")
        assert results.count() == 2
        assert [c.name for c in results[:20]] == ["Vasculitis", "Zebra vasculitis"]


def test_a_search_keeps_only_the_matches_the_queryset_holds(db):
    ConditionFactory(name="Vasculitis", onset="acute")
    ConditionFactory(name="Zebra vasculitis", onset="chronic")
    search.get_index()
    acute = Condition.objects.published().filter(onset="acute")
    assert [c.name for c in search.search_conditions(acute, "vasculitis")[:20]] == ["Vasculitis"]
    assert search.search_conditions(acute, "vasculitis").count() == 1


def test_a_rebuild_frees_what_was_already_garbage(db):
    """The index is frozen out of the cyclic collector; garbage lying about is not frozen too."""

    class Cycle:
        pass

    gc.disable()  # no automatic collection may free the cycle before the rebuild does
    try:
        garbage = Cycle()
        garbage.itself = garbage
        freed = weakref.ref(garbage)
        del garbage
        ConditionFactory(name="Vasculitis")  # a new content version: the next search rebuilds
        assert names("vasculitis") == ["Vasculitis"]
        gc.collect()
        assert freed() is None
    finally:
        gc.enable()


def test_a_name_made_mostly_of_the_query_beats_a_longer_alias_that_contains_it(db):
    ConditionFactory(name="Guillain-Barré syndrome")
    other = ConditionFactory(name="Checkpoint-inhibitor neuropathy")
    Alias.objects.create(condition=other, name="Checkpoint-inhibitor Guillain-Barré syndrome")
    assert names("guillain barre") == [
        "Guillain-Barré syndrome",
        "Checkpoint-inhibitor neuropathy",
    ]
