"""`make bench`: the production server under wrk at 10, 1,000 and 10,000 synthetic conditions.

For each size: synthetic content in its own SQLite file (var/bench/), then the production
server (scripts/serve.sh) on loopback twice, once with the page cache and once without
(PAGE_CACHE=off), each driven by wrk for a bounded time per URL after a discarded warm-up.
Prints one table: requests/s, p50 and p99 per URL, and each URL's ratio to the floor (a minimal
Django view through the same middleware, /healthz) measured against the same server in the same
run; then, for the uncached detail pages, where their time goes (scripts/page_costs.py,
in-process) against the time the uncached target leaves them; then worker memory and search
p95 (scripts/bench_inspect.py, in-process, SQLite, and PostgreSQL when DATABASE_URL is set: a
separate `<name>_bench` database on that server is used, never the database named there).
The same figures go to var/bench/results.json, drawn as var/bench/results.svg
(scripts/bench_chart.py); --publish writes both to docs/bench/ as well.

The load generator shares the machine's cores with the server: only ratios within one run mean
anything. Needs wrk (apt-get install -y wrk). Options: --sizes 10,1000 --seconds 3
--connections 8 --modes cached --publish.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench_chart import write_chart
from production_server import ProductionServer, production_env

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
PUBLISHED = ROOT / "docs" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8077"))
FLOOR_NAME, FLOOR_PATH = "floor (/healthz)", "/healthz"
ABOUT_NAME = "about (no queries)"
# Targets from the performance issue.
CACHED_MIN_RATIO, UNCACHED_DETAIL_MIN_RATIO, MAX_P99_RATIO, SEARCH_P95_MS = 0.8, 0.35, 3.0, 30
# A lone request to the floor answered within this means nothing is queued ahead of it.
IDLE_SECONDS = 0.02


def log(message):
    print(message, file=sys.stderr, flush=True)


def require_wrk():
    if shutil.which("wrk") is None:
        sys.exit("make bench needs wrk, which is not installed: apt-get install -y wrk")


def django_env(database_url):
    """The dev settings on one benchmark database, without Redis whatever the environment says."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        # Debug mode keeps every query in memory: 10,000 generated conditions would fill it.
        "DEBUG": "false",
    }


def manage(database_url, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=django_env(database_url), check=True)


def sqlite_database(size):
    path = WORK / f"bench-{size}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        log(f"generating {size} conditions in {path.name}")
        manage(url, "migrate", "--no-input", "--verbosity", "0")
        manage(url, "generate_content", "--conditions", str(size), "--verbosity", "0")
    return url


def postgres_database(base_url, size):
    """A fresh `<name>_bench` database beside the one DATABASE_URL names."""
    import psycopg

    parts = urlsplit(base_url)
    name = f"{parts.path.lstrip('/') or 'portal'}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    log(f"generating {size} conditions in PostgreSQL {name}")
    manage(url, "migrate", "--no-input", "--verbosity", "0")
    manage(url, "generate_content", "--conditions", str(size), "--verbosity", "0")
    return url


def page_costs(database_url, redis_url, cache_dir, paths):
    """scripts/page_costs.py under the production settings the server ran with, page cache off."""
    env = production_env(
        # "testserver" is the test client's host.
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        CACHE_DIR=str(cache_dir),
        PAGE_CACHE="off",
        REDIS_URL=redis_url,
    )
    return last_line_as_json([str(ROOT / "scripts" / "page_costs.py"), json.dumps(paths)], env)


def inspect(database_url):
    """The content's condition, mechanism and code for the URLs, and search timings."""
    return last_line_as_json([str(ROOT / "scripts" / "bench_inspect.py")], django_env(database_url))


def last_line_as_json(arguments, env):
    """Run the project's Python with these arguments; its last line of output is JSON."""
    output = subprocess.run(
        [PYTHON, *arguments], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


# Requests no cache can absorb (issue 17, point 7): every one a new search or a new set of
# symptoms, as an attacker (or a curious crowd) would send. wrk runs this Lua per request.
UNIQUE_REQUESTS_LUA = """
local words = {WORDS}
local symptoms = {SYMPTOMS}
local kind = "{KIND}"
local counter = 0
request = function()
  counter = counter + 1
  local path
  if kind == "search" then
    local n = #words
    path = "/conditions/?q=" .. words[counter % n + 1] .. "+"
      .. words[math.floor(counter / n) % n + 1] .. "+"
      .. words[math.floor(counter / (n * n)) % n + 1] .. "+" .. counter
  else
    path = "/conditions/?"
    -- Spread over every subset of the 21 symptoms, not only the first few.
    local bits = (counter * 40503) % 2097152
    for i = 1, #symptoms do
      if bits % 2 == 1 then
        path = path .. "symptom=" .. symptoms[i] .. "&"
      end
      bits = math.floor(bits / 2)
    end
    path = path .. "onset=" .. ((counter % 2 == 0) and "chronic" or "acute")
  end
  return wrk.format("GET", path)
end
"""
SEARCH_WORDS = [
    "numbness", "feet", "weakness", "pain", "burning", "tingling", "hands", "legs", "nerve",
    "immune", "vasculitis", "lupus", "balance", "fatigue", "autoimmune", "sensory", "motor",
    "chronic", "sudden", "arms",
]  # fmt: skip
UNIQUE_PREFIX = "unique:"


def unique_requests_script(kind, symptoms):
    """A wrk Lua script: a new search ("search") or symptom set ("filters") every request."""
    lua = (
        UNIQUE_REQUESTS_LUA.replace("{WORDS}", "{" + ",".join(f'"{w}"' for w in SEARCH_WORDS) + "}")
        .replace("{SYMPTOMS}", "{" + ",".join(f'"{slug}"' for slug in symptoms[:21]) + "}")
        .replace("{KIND}", kind)
    )
    path = WORK / f"unique-{kind}.lua"
    path.write_text(lua)
    return path


def wrk(url, seconds, connections):
    script = []
    if UNIQUE_PREFIX in url:
        # "http://host/unique:search|<script path>": the script makes every request's URL.
        base, _, spec = url.partition("/" + UNIQUE_PREFIX)
        script, url = ["-s", spec.split("|", 1)[1]], base + "/"
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *script, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = {
        int(p): float(value) * UNITS[unit]
        for p, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", result, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    socket_errors = re.search(r"Socket errors: (.*)", result)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1)),
        "p50": percentiles[50],
        "p99": percentiles[99],
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def wait_until_idle(base, deadline_seconds=60):
    """Return once the server answers the floor quickly again.

    When wrk stops, requests it had in flight are still queued at the server; for a slow page
    that is seconds of work, which would otherwise be charged to the next run.
    """
    deadline = time.monotonic() + deadline_seconds
    quick_in_a_row = 0
    while quick_in_a_row < 3 and time.monotonic() < deadline:
        start = time.monotonic()
        with urllib.request.urlopen(base + FLOOR_PATH, timeout=deadline_seconds) as response:
            response.read()
        quick_in_a_row = quick_in_a_row + 1 if time.monotonic() - start < IDLE_SECONDS else 0


def measured(base, path, seconds, connections):
    wait_until_idle(base)
    return wrk(base + path, seconds, connections)


def measure(base, paths, seconds, connections):
    """wrk on each path, with the floor measured between every two paths.

    Other work on the machine comes and goes; each path's ratio is taken against the mean of
    the floor runs just before and just after it, and the floor row shows the mean of all.
    Every run starts on an idle server (wait_until_idle).
    """
    # Warm-up, discarded: caches, search index, imports, compiled templates, and the garbage
    # collector's first full passes over what start-up left (a second pass, since the first
    # one's renders leave plenty of their own at 10,000 conditions).
    for _ in range(2):
        for path in paths.values():
            wrk(base + path, 1, connections)
    floors = [measured(base, FLOOR_PATH, seconds, connections)]
    results = {}
    for name, path in paths.items():
        if path == FLOOR_PATH:
            continue
        result = measured(base, path, seconds, connections)
        floors.append(measured(base, FLOOR_PATH, seconds, connections))
        result["floor"] = mean_of(floors[-2:])
        results[name] = result
        log(f"  {name:<22} {result['rps']:8.0f} req/s (floor {result['floor']['rps']:.0f})")
    floor = mean_of(floors)
    floor["floor"] = floor
    return {FLOOR_NAME: floor, **results}


def mean_of(runs):
    mean = {key: sum(run[key] for run in runs) / len(runs) for key in ("rps", "p50", "p99")}
    mean["errors"] = sum(run["errors"] for run in runs)
    mean["socket_errors"] = "".join(run["socket_errors"] for run in runs)
    return mean


def redis_for_bench():
    """The benchmark's own Redis database (flushed before each server), if Redis answers."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    if url == "off":
        return None
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # any failure means: run without Redis
        return None
    return url


def flush(redis_url):
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()


def stylesheet_path(base):
    with urllib.request.urlopen(base + "/") as response:
        html = response.read().decode()
    return re.search(r'href="(/static/css/site[^"]*\.css)"', html).group(1)


def row(size, name, path, kind, result):
    """One line of the table: a URL's figures, its ratios to the floor and its target verdict."""
    floor = result["floor"]
    ratio = result["rps"] / floor["rps"]
    p99_ratio = result["p99"] / floor["p99"]
    verdict = ""
    if kind:
        wanted = (
            CACHED_MIN_RATIO
            if kind == "cached"
            else UNCACHED_DETAIL_MIN_RATIO
            if "detail" in name
            else None
        )
        ok = (wanted is None or ratio >= wanted) and (
            kind == "uncached" or p99_ratio <= MAX_P99_RATIO
        )
        verdict = "ok" if ok else "MISS"
    return {
        "conditions": size,
        "url": name,
        "path": path,
        "page_cache": kind or None,
        **{key: result[key] for key in ("rps", "p50", "p99", "errors", "socket_errors")},
        "floor_rps": floor["rps"],
        "floor_p99": floor["p99"],
        "ratio": ratio,
        "p99_ratio": p99_ratio,
        "target": verdict,
    }


def main():
    # Stopped from outside: unwind, so each `finally` stops the server it started.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--modes", default="cached,uncached", help="page cache on (cached), off (uncached), or both"
    )
    parser.add_argument(
        "--only",
        default="",
        help='comma-separated page rows to measure, e.g. "unique searches,unique symptom sets"',
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help=f"also write results.json and results.svg to {PUBLISHED.relative_to(ROOT)}/",
    )
    options = parser.parse_args()
    modes = options.modes.split(",")
    if not modes or set(modes) - {"cached", "uncached"}:
        parser.error("--modes takes cached, uncached or cached,uncached")
    sizes = [int(size) for size in options.sizes.split(",")]

    require_wrk()
    WORK.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{PORT}"
    redis_url = redis_for_bench()
    log(f"cache: {'Redis ' + redis_url if redis_url else 'files (no Redis answered)'}")
    rows, memory, search, costs = [], [], [], []
    for size in sizes:
        database_url = sqlite_database(size)
        facts = inspect(database_url)
        search.append(("SQLite", size, facts["search_p50"], facts["search_p95"]))
        system, code = facts["code"]
        pages = {
            # A real page with no database work at all: what the site's layout alone costs.
            ABOUT_NAME: "/about/",
            "home": "/",
            "condition list": "/conditions/",
            "list, filtered": "/conditions/?onset=chronic&fibre=motor",
            "list, search": "/conditions/?q=numbness+feet",
            "condition detail": f"/conditions/{facts['condition']}/",
            "condition detail, Spanish": f"/es/conditions/{facts['condition_es']}/",
            "mechanism detail": f"/mechanisms/{facts['mechanism']}/",
            "API list": "/api/v1/conditions/",
            "API detail": f"/api/v1/conditions/{facts['condition']}/",
            "lookup": f"/api/v1/lookup/?system={system}&code={code}",
            "unique searches": f"/{UNIQUE_PREFIX}search|"
            + str(unique_requests_script("search", facts["symptoms"])),
            "unique symptom sets": f"/{UNIQUE_PREFIX}filters|"
            + str(unique_requests_script("filters", facts["symptoms"])),
        }
        if options.only:
            wanted = set(options.only.split(","))
            pages = {name: path for name, path in pages.items() if name in wanted}
        for label in modes:
            page_cache = label == "cached"
            log(f"{size} conditions, {label}: starting the production server")
            cache_dir = WORK / f"cache-{size}-{label}"
            shutil.rmtree(cache_dir, ignore_errors=True)
            flush(redis_url)
            server = ProductionServer(
                PORT,
                WORK,
                DATABASE_URL=database_url,
                PAGE_CACHE="on" if page_cache else "off",
                CACHE_DIR=str(cache_dir),
                REDIS_URL=redis_url,
            )
            try:
                fixed = {
                    "static file (ceiling)": stylesheet_path(base),
                    FLOOR_NAME: FLOOR_PATH,
                }
                urls = fixed | pages
                results = measure(base, urls, options.seconds, options.connections)
                worker_mb = [kb / 1024 for kb in server.worker_rss_kb().values()]
                memory.append({"conditions": size, "page_cache": label, "worker_mb": worker_mb})
            finally:
                server.stop()
            if not page_cache:
                paths = {FLOOR_NAME: FLOOR_PATH, ABOUT_NAME: pages[ABOUT_NAME]}
                paths |= {name: path for name, path in pages.items() if "detail" in name}
                log(f"{size} conditions: where an uncached request's time goes (in-process)")
                split = page_costs(database_url, redis_url, cache_dir, paths)
                costs.append(
                    {"conditions": size, "floor_rps": results[FLOOR_NAME]["rps"], "pages": split}
                )
            for name, result in results.items():
                if name in fixed and label != modes[0]:
                    continue  # the ceiling and floor once per size
                kind = "" if name in fixed else label
                rows.append(row(size, name, urls[name], kind, result))

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        for size in sizes:
            facts = inspect(postgres_database(os.environ["DATABASE_URL"], size))
            search.append(("PostgreSQL", size, facts["search_p50"], facts["search_p95"]))

    report = {
        "run": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": "scripts/bench.py " + " ".join(sys.argv[1:]),
            "sizes": sizes,
            "modes": modes,
            "seconds": options.seconds,
            "connections": options.connections,
            "workers": int(os.environ.get("WEB_CONCURRENCY", "2")),
            "cpus": os.cpu_count(),
            "cache": "Redis" if redis_url else "files",
        },
        "targets": {
            "cached_min_ratio": CACHED_MIN_RATIO,
            "uncached_detail_min_ratio": UNCACHED_DETAIL_MIN_RATIO,
            "max_p99_ratio": MAX_P99_RATIO,
            "search_p95_ms": SEARCH_P95_MS,
        },
        "rows": rows,
        "page_costs": costs,
        "memory": memory,
        "search": [
            {
                "database": database,
                "conditions": size,
                "p50_ms": p50,
                "p95_ms": p95,
                "ok": p95 <= SEARCH_P95_MS,
            }
            for database, size, p50, p95 in search
        ],
    }
    print_report(report)
    for directory in [WORK, PUBLISHED] if options.publish else [WORK]:
        write_results(report, directory)


def write_results(report, directory):
    """results.json (every figure of the report) and results.svg (the chart) in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    figures = directory / "results.json"
    figures.write_text(json.dumps(report, indent=2) + "\n")
    chart = write_chart(report, directory / "results.svg")
    log(f"figures: {figures.relative_to(ROOT)}, chart: {chart.relative_to(ROOT)}")


def print_report(report):
    run = report["run"]
    print(
        f"\nwrk: 1 thread, {run['connections']} connections, {run['seconds']} s per URL after "
        f"a warm-up of 2 x 1 s per URL; gunicorn {run['workers']} sync "
        f"workers; {run['cpus']} CPUs shared with wrk; cache: {run['cache']}.\n"
    )
    header = (
        f"| {'conditions':>10} | {'URL':<22} | {'page cache':<10} | {'req/s':>7} | "
        f"{'p50 ms':>6} | {'p99 ms':>6} | {'x floor':>7} | {'p99 x floor':>11} | target |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for line in report["rows"]:
        verdict = line["target"]
        if line["errors"] or line["socket_errors"]:
            verdict += f" errors: {line['errors']} {line['socket_errors']}"
        print(
            f"| {line['conditions']:>10} | {line['url']:<22} | {line['page_cache'] or '':<10} | "
            f"{line['rps']:>7.0f} | {line['p50']:>6.2f} | {line['p99']:>6.2f} | "
            f"{line['ratio']:>7.2f} | {line['p99_ratio']:>11.2f} | {verdict:<6} |"
        )
    print_costs(report["page_costs"], run["cpus"])
    print("\nResident memory per worker after the run (MB):")
    for entry in report["memory"]:
        print(
            f"  {entry['conditions']:>6} conditions, {entry['page_cache']:<8}: "
            + ", ".join(f"{mb:.0f}" for mb in entry["worker_mb"])
        )
    print(f"\nSearch in-process (search_conditions, count, a page): p95 target {SEARCH_P95_MS} ms")
    for entry in report["search"]:
        print(
            f"  {entry['database']:<10} {entry['conditions']:>6} conditions: "
            f"p50 {entry['p50_ms']:6.1f} ms, p95 {entry['p95_ms']:6.1f} ms "
            + ("ok" if entry["ok"] else "MISS")
        )
    misses = sum(line["target"] == "MISS" for line in report["rows"])
    print(
        f"\nTargets: cached ≥ {CACHED_MIN_RATIO}x floor and p99 ≤ {MAX_P99_RATIO}x the floor's; "
        f"uncached detail pages ≥ {UNCACHED_DETAIL_MIN_RATIO}x floor. Misses: {misses}."
    )


def print_costs(costs, cpus):
    """The uncached pages' time split up, and the time the uncached target leaves them."""
    if not costs:
        return
    print(
        "\nWhere an uncached request's time goes: in-process (Django's test client, production "
        "settings, page cache off), median of 200 requests; the ORM (fetching rows and related "
        "rows) and rendering (templates; for the API, serializers and JSON) as shares of a "
        "profiled run.\n"
    )
    header = (
        f"| {'conditions':>10} | {'URL':<22} | {'queries':>7} | {'whole ms':>8} | "
        f"{'ORM ms':>6} | {'rendering ms':>12} | {'rest ms':>7} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for entry in costs:
        for name, cost in entry["pages"].items():
            rest = cost["ms"] - cost["orm"] - cost["render"]
            print(
                f"| {entry['conditions']:>10} | {name:<22} | {cost['queries']:>7} | "
                f"{cost['ms']:>8.2f} | {cost['orm']:>6.2f} | {cost['render']:>12.2f} | "
                f"{rest:>7.2f} |"
            )
    # The machine's cores serve the server and wrk alike, so a request's share of them is
    # cores / requests per second; the target ratio then fixes what a detail page may add.
    print()
    for entry in costs:
        floor_rps, pages = entry["floor_rps"], entry["pages"]
        floor_ms = cpus / floor_rps * 1000
        allowed_ms = floor_ms / UNCACHED_DETAIL_MIN_RATIO - floor_ms
        floor_in_process = pages[FLOOR_NAME]["ms"]
        print(
            f"{entry['conditions']} conditions: at {UNCACHED_DETAIL_MIN_RATIO}x the floor "
            f"({floor_rps:.0f} req/s, {floor_ms:.2f} ms of the {cpus} CPUs per request, load "
            f"generator included) an uncached detail page may add {allowed_ms:.2f} ms to the "
            "floor's request. In-process, beyond the floor: "
            + ", ".join(
                f"{name} {cost['ms'] - floor_in_process:.2f} ms"
                for name, cost in pages.items()
                if name != FLOOR_NAME
            )
            + "."
        )


if __name__ == "__main__":
    main()
