"""Where an uncached request's time goes, measured in-process (run by scripts/bench.py).

For each path: the median time of a whole request through Django's test client (every
middleware, production settings, page cache off), its query count, and how that time splits
between the ORM (fetching rows, related rows included) and rendering (templates, or the API's
serializers and JSON), taken as shares of a profiled run. Prints one JSON object.

Usage: python scripts/page_costs.py '{"name": "/path/", ...}' (with DJANGO_SETTINGS_MODULE and
DATABASE_URL set as for the server under test).
"""

import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

import django

# Run as a script from scripts/: the project itself must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RUNS = 200
PROFILED_RUNS = 100


def code_key(function):
    code = function.__code__
    return (code.co_filename, code.co_firstlineno, code.co_name)


def main():
    django.setup()
    from django.db import connection
    from django.db.models.query import QuerySet
    from django.template.base import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.renderers import JSONRenderer
    from rest_framework.serializers import Serializer

    # Cumulative time of the outermost call of each: nested calls (prefetches inside a fetch,
    # included templates inside a template) are counted once.
    parts = {
        "orm": [code_key(QuerySet._fetch_all)],
        "render": [
            code_key(Template.render),
            code_key(Serializer.data.fget),
            code_key(JSONRenderer.render),
        ],
    }
    client = Client()
    costs = {}
    for name, path in json.loads(sys.argv[1]).items():
        for _ in range(20):  # warm: compiled templates, imports, the search index
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Counted now: the next request clears the connection's query log.
        query_count = len(queries)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(PROFILED_RUNS):
            client.get(path)
        profile.disable()
        stats = pstats.Stats(profile).stats
        total = sum(entry[2] for entry in stats.values())  # all own time: the whole run
        whole = statistics.median(timings)
        costs[name] = {
            "ms": whole,
            "queries": query_count,
            **{
                part: whole * sum(stats[key][3] for key in keys if key in stats) / total
                for part, keys in parts.items()
            },
        }
    print(json.dumps(costs))


if __name__ == "__main__":
    main()
