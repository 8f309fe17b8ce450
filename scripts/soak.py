"""`make soak`: a bounded soak of the production server on loopback.

Starts scripts/serve.sh (its own SQLite file under var/soak/, the real content), then sends
--requests mixed requests (default 20,000) from --concurrency threads (default 50): every public
page kind, filters, searches (many distinct, so many pages are rendered rather than cached),
API endpoints, code look-ups, conditional requests, HEAD, and bad input that must give a 400 or
404. An error is a connection failure, a timeout, a 5xx or any status other than the one
expected. Worker memory is read after the first 1,000 requests and at the end.

Prints the figures and exits non-zero if there was any error or memory grew by 10% or more.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from production_server import HOST, ProductionServer

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "soak"
MAX_GROWTH = 0.10
WORDS = [
    "nerve",
    "numb",
    "tingling",
    "lupus",
    "vasculitis",
    "guillain",
    "barre",
    "sjogren",
    "weakness",
    "feet",
    "pain",
    "burning",
    "immune",
    "antibody",
    "neuropathy",
    "neuropthy",
    "cidp",
    "diabetes",
    "sarcoidosis",
    "coeliac",
]


def get_json(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


def request_mix(base, rng, count):
    """(method, path, headers, expected statuses) for each request, from the live content."""
    conditions = [c["slug"] for c in get_json(base, "/api/v1/conditions/?page_size=100")["results"]]
    mechanisms = [m["slug"] for m in get_json(base, "/api/v1/mechanisms/?page_size=100")["results"]]
    symptoms = [s["slug"] for s in get_json(base, "/api/v1/symptoms/?page_size=100")["results"]]
    with urllib.request.urlopen(base + f"/conditions/{conditions[0]}/", timeout=10) as response:
        etag = response.headers["ETag"]

    def query():
        return "+".join(rng.sample(WORDS, rng.randint(1, 3)))

    kinds = [
        (10, lambda: ("GET", "/", {}, {200})),
        (10, lambda: ("GET", "/conditions/", {}, {200})),
        (6, lambda: ("GET", f"/conditions/?onset={rng.choice(['acute', 'chronic'])}", {}, {200})),
        (
            6,
            lambda: (
                "GET",
                f"/conditions/?mechanism={rng.choice(mechanisms)}&fibre=sensory",
                {},
                {200},
            ),
        ),
        (8, lambda: ("GET", f"/conditions/?q={query()}", {}, {200})),
        (8, lambda: ("GET", f"/search/?q={query()}", {}, {200})),
        (14, lambda: ("GET", f"/conditions/{rng.choice(conditions)}/", {}, {200})),
        (4, lambda: ("GET", f"/mechanisms/{rng.choice(mechanisms)}/", {}, {200})),
        (3, lambda: ("GET", f"/symptoms/{rng.choice(symptoms)}/", {}, {200})),
        (2, lambda: ("GET", "/a-z/", {}, {200})),
        (2, lambda: ("GET", "/mechanisms/", {}, {200})),
        (2, lambda: ("GET", "/sitemap.xml", {}, {200})),
        (6, lambda: ("GET", "/api/v1/conditions/", {}, {200})),
        (6, lambda: ("GET", f"/api/v1/conditions/{rng.choice(conditions)}/", {}, {200})),
        (2, lambda: ("GET", f"/api/v1/mechanisms/{rng.choice(mechanisms)}/", {}, {200})),
        (3, lambda: ("GET", "/api/v1/lookup/?system=icd10cm&code=G61.0", {}, {200})),
        (2, lambda: ("GET", "/static/css/site.css", {}, {200})),
        (2, lambda: ("HEAD", f"/conditions/{rng.choice(conditions)}/", {}, {200})),
        (
            2,
            lambda: (
                "GET",
                f"/conditions/{conditions[0]}/",
                {"If-None-Match": etag},
                {200, 304},
            ),
        ),
        (1, lambda: ("GET", "/conditions/?page=-3", {}, {400})),
        (1, lambda: ("GET", "/conditions/?onset=%00sideways", {}, {400})),
        (1, lambda: ("GET", "/api/v1/conditions/?page_size=100000", {}, {400})),
        (1, lambda: ("GET", f"/conditions/no-such-{rng.randrange(10**6)}/", {}, {404})),
        (1, lambda: ("GET", "/api/v1/nothing-here/", {}, {404})),
    ]
    weights = [weight for weight, _ in kinds]
    makers = [maker for _, maker in kinds]
    return [rng.choices(makers, weights)[0]() for _ in range(count)]


def run(ports, requests, concurrency, on_progress):
    """Send `requests`, the n-th to ports[n % len(ports)] (one server, or several in turn)."""
    statuses, errors, latencies = Counter(), [], []
    lock = threading.Lock()
    position = iter(enumerate(requests))
    done = [0]

    def worker():
        while True:
            with lock:
                item = next(position, None)
            if item is None:
                return
            number, (method, path, headers, expected) = item
            start = time.perf_counter()
            try:
                port = ports[number % len(ports)]
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                connection.request(method, path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                status = response.status
                problem = None if status in expected else f"{method} {path}: {status}"
            except (OSError, http.client.HTTPException) as error:
                status, problem = "no answer", f"{method} {path}: {error!r}"
            elapsed = time.perf_counter() - start
            with lock:
                statuses[status] += 1
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)
                done[0] += 1
                count = done[0]
            on_progress(count)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, errors, latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SOAK_PORT", 8078)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--servers",
        default="",
        help="comma-separated loopback ports of servers already running (e.g. two `make serve`"
        " sharing PostgreSQL and Redis): requests go to each in turn; no memory check",
    )
    options = parser.parse_args()
    if options.servers:
        return drive_running_servers(options)

    # Stopped from outside (timeout, Ctrl-C): still stop the server this script started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("soak: terminated"))
    print(f"starting the production server on {HOST}:{options.port}", file=sys.stderr)
    cache_dir = WORK / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    server = ProductionServer(
        options.port,
        WORK,
        DATABASE_URL=os.environ.get("SOAK_DATABASE_URL", f"sqlite:///{WORK / 'soak.sqlite3'}"),
        WEB_CONCURRENCY=str(options.workers),
        CACHE_DIR=str(cache_dir),
        REDIS_URL=os.environ.get("SOAK_REDIS_URL") or None,
    )
    try:
        requests = request_mix(server.base, random.Random(options.seed), options.requests)
        baseline = {}

        def on_progress(count):
            if count == 1_000:
                baseline.update(server.worker_rss_kb())
            if count % 5_000 == 0:
                print(f"  {count} requests", file=sys.stderr, flush=True)

        started = time.monotonic()
        statuses, errors, latencies = run([server.port], requests, options.concurrency, on_progress)
        elapsed = time.monotonic() - started
        final = server.worker_rss_kb()
    finally:
        server.stop()

    latencies.sort()
    print(
        f"\n{len(latencies)} requests at concurrency {options.concurrency} in {elapsed:.0f} s "
        f"({len(latencies) / elapsed:.0f} req/s); p50 {latencies[len(latencies) // 2] * 1000:.1f}"
        f" ms, p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms"
    )
    print(
        "statuses: "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str))
    )
    print(f"errors (failures, timeouts, 5xx, unexpected statuses): {len(errors)}")
    for problem in errors[:10]:
        print(f"  {problem}")
    worst = 0.0
    print("worker memory (RSS) after 1,000 requests → at the end:")
    for pid, start_kb in sorted(baseline.items()):
        end_kb = final.get(pid)
        if end_kb is None:
            print(f"  worker {pid}: {start_kb / 1024:.1f} MB → gone (restarted)")
            worst = float("inf")
            continue
        growth = (end_kb - start_kb) / start_kb
        worst = max(worst, growth)
        print(f"  worker {pid}: {start_kb / 1024:.1f} MB → {end_kb / 1024:.1f} MB ({growth:+.1%})")
    passed = not errors and worst < MAX_GROWTH
    print(f"result: {'PASS' if passed else 'FAIL'} (zero errors; growth < {MAX_GROWTH:.0%})")
    sys.exit(0 if passed else 1)


def drive_running_servers(options):
    ports = [int(port) for port in options.servers.split(",")]
    requests = request_mix(
        f"http://{HOST}:{ports[0]}", random.Random(options.seed), options.requests
    )
    started = time.monotonic()
    statuses, errors, latencies = run(ports, requests, options.concurrency, lambda count: None)
    elapsed = time.monotonic() - started
    latencies.sort()
    print(
        f"{len(latencies)} requests over ports {options.servers} at concurrency "
        f"{options.concurrency} in {elapsed:.0f} s; p50 {latencies[len(latencies) // 2] * 1000:.1f}"
        f" ms, p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms"
    )
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str)))
    print(f"errors (failures, timeouts, 5xx, unexpected statuses): {len(errors)}")
    for problem in errors[:10]:
        print(f"  {problem}")
    print(f"result: {'PASS' if not errors else 'FAIL'} (zero errors)")
    sys.exit(0 if not errors else 1)


if __name__ == "__main__":
    main()
