"""Two app servers sharing one PostgreSQL and one Redis: a bounded loopback proof (about 2 min).

`make serve` twice on this machine (two ports), as two app servers behind a load balancer:

1. an edit saved through the site's code is served by both servers on the next request;
2. Redis stops (after writing its save file) and an edit is saved while it is down: both keep
   serving, fresh from the database; Redis restarts from its save file, with the old copy of
   the version and the old pages, and both serve the edit on the first request;
3. one server stops and the other keeps serving.

Needs PostgreSQL on 127.0.0.1:5432 (a throwaway database is created and dropped) and
redis-server (a private one on a free port is started and stopped). Exit status 1 on failure.
Run by .ci/run; `--soak-requests 5000` also drives the pair with `make soak`'s request mix.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from production_server import HOST, ROOT, ProductionServer, production_env

PAGE = "/conditions/systemic-lupus-erythematosus/"
SLUG = "systemic-lupus-erythematosus"
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(base, path=PAGE):
    try:
        with urllib.request.urlopen(base + path, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class PrivateRedis:
    """A redis-server of this script's own, in `directory`, which keeps its save file there."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--dir", self.directory,
             "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(50):
            if self.cli("ping") == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def cli(self, *command):
        done = subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.port), *command],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    def save_and_stop(self):
        """Write the save file, then stop: it will come back with exactly this data."""
        self.cli("save")
        self.process.terminate()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def edit_summary(env, words):
    """An edit committed through the site's own code (ContentQuerySet.update), from a third
    process, as an editor's save on any app server would be."""
    code = (
        "from conditions.models import Condition; "
        f"Condition.objects.filter(slug={SLUG!r}).update(summary={words!r})"
    )
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--soak-requests",
        type=int,
        default=0,
        help="also drive the pair with `make soak`'s request mix (scripts/soak.py --servers)",
    )
    options = parser.parse_args()
    failures = []

    def check(condition, message):
        print(("ok   " if condition else "FAIL ") + message, flush=True)
        if not condition:
            failures.append(message)

    database = f"portal_scale_out_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    with tempfile.TemporaryDirectory(prefix="scale-out-") as work:
        work = Path(work)
        redis = PrivateRedis(str(work))
        redis.start()
        settings = {
            "DATABASE_URL": f"{POSTGRES}/{database}",
            "REDIS_URL": f"redis://{HOST}:{redis.port}/0",
            "WEB_CONCURRENCY": "1",
        }
        env = production_env(**settings)
        servers = []
        try:
            # One after the other: the first migrates and loads the content.
            for name in ("a", "b"):
                servers.append(ProductionServer(free_port(), work / name, **settings))
            a, b = servers
            for server in servers:
                status, body = fetch(server.base)
                check(status == 200, f"{server.base} serves the page")
                fetch(server.base)  # now from the cache

            if options.soak_requests:
                soak = subprocess.run(
                    [sys.executable, "soak.py", "--servers", f"{a.port},{b.port}",
                     "--requests", str(options.soak_requests), "--concurrency", "20"],
                    check=False,
                )  # fmt: skip
                check(soak.returncode == 0, "the soak mix over both servers gives no error")

            edit_summary(env, "First edit, shared by both servers.")
            for server in servers:
                body = fetch(server.base)[1]
                check("First edit, shared by both servers." in body, f"{server.base} serves it")

            redis.save_and_stop()
            edit_summary(env, "Saved while Redis was down.")
            for server in servers:
                status, body = fetch(server.base)
                check(
                    status == 200 and "Saved while Redis was down." in body,
                    f"{server.base} serves the edit from the database while Redis is down",
                )
            redis.start()  # from its save file: the old version copy and the old pages
            kept = int(redis.cli("dbsize") or 0)
            check(kept > 0, f"Redis came back from its save file ({kept} keys of before)")
            for server in (b, a):
                body = fetch(server.base)[1]
                check(
                    "Saved while Redis was down." in body,
                    f"{server.base} serves the edit on its first request after Redis returns",
                )

            a.stop()
            servers.remove(a)
            status, body = fetch(b.base)
            check(status == 200 and "Saved while Redis was down." in body,
                  f"{b.base} keeps serving with {a.base} stopped")  # fmt: skip
        finally:
            for server in servers:
                server.stop()
            redis.stop()
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database],
                check=False,
            )
    print("result:", "FAIL" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent)
    sys.exit(main())
