"""Slow clients must not stall the site: a bounded loopback check of `make serve` (about 60 s).

Starts the production server (scripts/serve.sh) on a free loopback port, measures ordinary
requests, then opens SLOW_CLIENTS connections that each trickle one header line every few
seconds and never finish their request, and measures the same requests again while they hang
on. Fails (exit status 1) if any ordinary request fails or is slowed well past its usual time.
Run by .ci/run; `python scripts/slow_clients.py --slow-clients 100` for a harder run.
"""

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from production_server import HOST, ProductionServer

PATHS = ["/healthz", "/", "/conditions/", "/conditions/?onset=chronic", "/api/v1/conditions/"]
TRICKLE_SECONDS = 3.0


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def timed_requests(base, rounds):
    """Latencies in seconds of `rounds` passes over PATHS; raises on any non-200 answer."""
    latencies = []
    for _ in range(rounds):
        for path in PATHS:
            started = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
            latencies.append(time.perf_counter() - started)
    return latencies


class SlowClients:
    """Connections that send a request line, then one header line every TRICKLE_SECONDS."""

    def __init__(self, port, count):
        self.sockets = []
        for _ in range(count):
            sock = socket.create_connection((HOST, port), timeout=5)
            sock.sendall(f"GET /conditions/ HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            self.sockets.append(sock)
        self.stopped = threading.Event()
        self.still_open = count
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self):
        line = 0
        while not self.stopped.wait(TRICKLE_SECONDS):
            line += 1
            open_now = 0
            for sock in self.sockets:
                try:
                    sock.sendall(f"X-Slow-{line}: {line}\r\n".encode())
                    open_now += 1
                except OSError:
                    pass
            self.still_open = open_now

    def close(self):
        self.stopped.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def summary(latencies):
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95, ordered[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow-clients", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="slow-clients-") as work:
        server = ProductionServer(free_port(), Path(work), CACHE_DIR=str(Path(work) / "cache"))
        try:
            timed_requests(server.base, 1)  # warm-up: first renders fill the cache
            before = timed_requests(server.base, args.rounds)
            slow = SlowClients(server.port, args.slow_clients)
            try:
                time.sleep(TRICKLE_SECONDS + 0.5)  # every slow client has trickled at least once
                during = timed_requests(server.base, args.rounds)
                held = slow.still_open
            except OSError as error:
                print(f"FAIL: an ordinary request failed while slow clients held on: {error}")
                return 1
            finally:
                slow.close()
        finally:
            server.stop()

    median_before, p95_before, worst_before = summary(before)
    median_during, p95_during, worst_during = summary(during)
    print(f"{args.slow_clients} slow clients, {len(during)} ordinary requests each phase")
    print(
        f"before: median {median_before * 1000:.1f} ms, p95 {p95_before * 1000:.1f} ms, "
        f"worst {worst_before * 1000:.1f} ms"
    )
    print(
        f"during: median {median_during * 1000:.1f} ms, p95 {p95_during * 1000:.1f} ms, "
        f"worst {worst_during * 1000:.1f} ms; slow connections still open: {held}"
    )
    # "Their usual time", with room for a 2-core machine shared with other work.
    allowed = max(3 * p95_before, p95_before + 0.25)
    failures = []
    if held < args.slow_clients:
        failures.append(f"only {held} of {args.slow_clients} slow clients were still connected")
    if p95_during > allowed:
        failures.append(f"p95 {p95_during:.3f} s exceeds {allowed:.3f} s")
    if worst_during > 2.0:
        failures.append(f"worst request took {worst_during:.3f} s")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
