"""Lighthouse (mobile profile) over every page type of the site as visitors see it.

Serves the portal with production settings (scripts/serve.sh: gunicorn, WhiteNoise, DEBUG off)
on a throwaway SQLite database holding the content fixtures, runs the Lighthouse npm package
(driving Debian's Chromium, never a downloaded browser) over each page, prints the four
category scores per page, writes the reports to var/lighthouse/reports/ and exits 1 unless
every score is 100. Install Lighthouse first: `npm install --prefix var/lighthouse lighthouse@12`
(.ci/run does). `make lighthouse` runs it.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "var" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "var" / "lighthouse" / "reports"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {
    "home": "/",
    "list": "/conditions/",
    "filtered-list": "/conditions/?onset=acute&symptom=weakness",
    "condition": "/conditions/guillain-barre-syndrome/",
    "mechanism": "/mechanisms/demyelination/",
    "symptom": "/symptoms/short-of-breath/",
    "search": "/search/?q=lupus",
    "glossary": "/glossary/",
}
# The 404 page is not here: Lighthouse refuses to audit a page answered with an error status
# (a runtime error, no scores), and its SEO audit fails any such page by design. axe checks it
# (tests/browser/test_accessibility.py), and tests/test_views.py its status and content.
RUN_TIMEOUT = 180  # seconds for one page; the whole run is bounded by the page count
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The site did not answer at {url} within {seconds} s.")


ATTEMPTS = 3


def run_lighthouse(url, output):
    chromium = next((path for path in CHROMIUM_CANDIDATES if shutil.which(path)), None)
    if chromium is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium).")
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    env = {**os.environ, "CHROME_PATH": chromium}
    # Lighthouse sometimes loses its trace of a page load (NO_NAVSTART) and asks to be run
    # again: a run that fails is tried twice more before it counts as a failure.
    for attempt in range(1, ATTEMPTS + 1):
        try:
            subprocess.run(
                command, check=True, timeout=RUN_TIMEOUT, env=env, stdout=subprocess.DEVNULL
            )
            break
        except subprocess.CalledProcessError:
            if attempt == ATTEMPTS:
                raise
            print(f"Lighthouse failed on {url}; running it again ({attempt + 1}/{ATTEMPTS}).")
    return json.loads(output.read_text())


def shortfalls(report, category):
    """The audits that cost a category points: (id, title, score)."""
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    return [
        (ref["id"], audits[ref["id"]]["title"], audits[ref["id"]]["score"])
        for ref in refs
        if ref["weight"] and audits[ref["id"]]["score"] is not None
        if audits[ref["id"]]["score"] < 1
    ]


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            f"Lighthouse is missing: npm install --prefix {LIGHTHOUSE.parents[2]} lighthouse@12"
        )
    REPORTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "DATABASE_URL": f"sqlite:///{scratch}/lighthouse.sqlite3",
            "REDIS_URL": "",
            "LOAD_VERBOSITY": "0",
        }
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, start_new_session=True
        )
        failed = []
        try:
            wait_until_up(base + "/healthz")
            print(f"{'page':<15}" + "".join(f"{name:>16}" for name in CATEGORIES))
            for name, path in PAGES.items():
                report = run_lighthouse(base + path, REPORTS / f"{name}.json")
                scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                print(f"{name:<15}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES), flush=True)
                for category in CATEGORIES:
                    if scores[category] < 100:
                        failed += [
                            f"{name} {category}: {audit} ({title}) {score}"
                            for audit, title, score in shortfalls(report, category)
                        ] or [f"{name} {category}: {scores[category]}"]
        finally:
            server.terminate()
            server.wait(timeout=20)
    if failed:
        print("\nBelow 100:\n" + "\n".join(failed))
        return 1
    print("\nEvery page scores 100 in every category.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
