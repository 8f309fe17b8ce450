"""The production server (scripts/serve.sh) on loopback, for the benchmark and the soak test."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from loopback import loopback_env

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def production_env(**settings):
    """The loopback environment (scripts/loopback.py) for the portal under load from this machine.

    `settings` go on top; None removes a variable. REDIS_URL stays empty unless given, so the
    file cache is used and no Redis named in the caller's environment or .env is touched.
    """
    # One client address sends everything here; the throttle would (rightly) refuse it.
    # Per second, so DRF's per-client history stays short.
    settings.setdefault("API_THROTTLE_RATE", "1000000/s")
    settings["REDIS_URL"] = settings.get("REDIS_URL") or ""
    return loopback_env(**settings)


class ProductionServer:
    """scripts/serve.sh in its own process group, stopped by that group's id.

    `settings` are environment variables for the server; a value of None removes one.
    """

    def __init__(self, port, work_dir, **settings):
        # Another server on the port would answer /healthz in place of ours, and every figure
        # would silently measure it instead.
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                raise RuntimeError(f"port {port} is already in use: stop that server first")
        env = production_env(PORT=str(port), HOST=HOST, LOAD_VERBOSITY="0", **settings)
        work_dir.mkdir(parents=True, exist_ok=True)
        self.port = port
        self.base = f"http://{HOST}:{port}"
        self.log_path = work_dir / "server.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            # To a file, not a pipe: a pipe nobody reads fills up with the server's log
            # lines and then blocks every worker mid-request.
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    message = f"server failed to start:\n{self.log_path.read_text()}"
                    raise RuntimeError(message) from None
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("server did not answer /healthz within 120 s")

    def worker_rss_kb(self):
        """Resident memory of each gunicorn worker (children of the master we started)."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        rss = {}
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            rss[int(pid)] = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        return rss

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        self.log.close()
