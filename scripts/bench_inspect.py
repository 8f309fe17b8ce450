"""What the benchmark needs from the content under test, in-process (run by scripts/bench.py).

Picks the condition, mechanism and code the benchmark's URLs use, and times a search as the
condition list runs it (`search_one_page`): 6 rounds over the queries, the first discarded (it
warms the database's caches). Prints one JSON object.

Usage: python scripts/bench_inspect.py ['["query", ...]'] (with DJANGO_SETTINGS_MODULE and
DATABASE_URL set for the database under test).
"""

import json
import statistics
import sys
import time
from pathlib import Path

import django

# Run as a script from scripts/: the project itself must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = [
    "nerve",
    "numbness feet",
    "vasculitic neuropathy",
    "neurologst",
    "immune mediated",
    "tingling hands burning",
    "plasma exchange",
    "SYN42",
    "demyelinating polyneuropathy",
    "lupus",
]
ROUNDS = 6
PAGE_SIZE = 20


def prepare_search():
    """Built once per content version: not what a visitor waits for."""
    from conditions import search

    search.get_index()


def search_one_page(query):
    """What the condition list does for `?q=`: rank the matches, count them, read one page."""
    from conditions.filters import ConditionFilter
    from conditions.models import Condition

    filterset = ConditionFilter({"q": query}, queryset=Condition.objects.for_list())
    assert filterset.is_valid()
    results = filterset.results()  # what the condition list and the API page through
    results.count()
    list(results[:PAGE_SIZE])


def spanish_condition(condition):
    """The slug of a condition whose Spanish page is live, for the Spanish page's figures.

    Generated content has no Spanish: the benchmark's database then gets one translated
    condition, its English text copied into the Spanish columns (the benchmark measures what
    a page costs, not its words), published like fixtures are (no review claimed)."""
    from django.contrib.contenttypes.models import ContentType

    from conditions.models import Condition
    from conditions.translation import ConditionTranslation
    from editorial.models import Translation

    live = (
        Translation.objects.published()
        .filter(content_type=ContentType.objects.get_for_model(Condition), language="es")
        .values_list("object_id", flat=True)
    )
    translated = Condition.objects.filter(pk__in=live, status="published").first()
    if translated is not None:
        return translated.slug_es or translated.slug_en
    values = {
        f"{field}_es": getattr(condition, f"{field}_en") for field in ConditionTranslation.fields
    }
    values["slug_es"] = f"{condition.slug_en}-es"
    Condition.objects.filter(pk=condition.pk).update(**values)
    Translation.objects.create(
        item=condition, language="es", status="published", source_version=condition.version
    )
    return values["slug_es"]


def main():
    django.setup()
    from conditions.models import Condition, Mechanism, Symptom

    queries = json.loads(sys.argv[1]) if len(sys.argv) > 1 else QUERIES
    condition = Condition.objects.published().order_by("pk").first()
    mechanism = Mechanism.objects.published().order_by("pk").first()
    code = condition.codes.order_by("pk").first()
    prepare_search()
    timings = []
    for round_ in range(ROUNDS):
        for query in queries:
            start = time.perf_counter()
            search_one_page(query)
            if round_:  # the first round warms the database's caches
                timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    facts = {
        "conditions": Condition.objects.published().count(),
        "condition": condition.slug,
        "condition_es": spanish_condition(condition),
        "mechanism": mechanism.slug,
        "code": [code.system, code.code],
        # For the benchmark's unique filter combinations.
        "symptoms": list(Symptom.objects.published().order_by("pk").values_list("slug", flat=True)),
        "search_p50": statistics.median(timings),
        "search_p95": timings[int(len(timings) * 0.95) - 1],
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
