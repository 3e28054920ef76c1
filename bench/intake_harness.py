"""The API server and the pgbench yardstick for ``bench_intake.py`` (kept apart for size)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from garita.observability import logging_config

HERE = Path(__file__).resolve().parent
SECRET = "bench-secret-key-not-for-production-0123456789"


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# ---------------------------------------------------------------------------- server


def start_api(url: str, port: int, workers: int, pool: int) -> subprocess.Popen:
    env = {**os.environ, "GARITA_DATABASE_URL": url, "GARITA_SECRET_KEY": SECRET,
           "GARITA_REQUEST_RATE": "1000000/minute", "GARITA_POOL_SIZE": str(pool),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}
    # As `garita serve` runs it: JSON log lines (one per request) written to a file,
    # metrics on, no forwarding header believed.
    config = Path(tempfile.gettempdir()) / "garita-bench-logging.json"
    config.write_text(json.dumps(logging_config()), "utf-8")
    cmd = [sys.executable, "-m", "uvicorn", "bench_intake:make_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--loop", "uvloop", "--http", "httptools", "--no-access-log",
           "--no-proxy-headers", "--log-config", str(config)]
    log = open(Path(tempfile.gettempdir()) / "garita-bench-api.log", "w")
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, cwd=HERE, stderr=log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                pass
            if len(api_processes(proc.pid)) >= workers:
                time.sleep(2 if workers > 1 else 0)  # let every worker finish start-up
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("uvicorn did not answer /health within 90 s")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def proc_status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])  # kB
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU (user+system) of every ``postgres`` process on this machine: the server's
    share of a run, to set beside the API's (its backends come and go, so this sums
    what /proc shows at the moment; call it right before and after)."""
    total = 0.0
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                total += cpu_seconds(int(comm.parent.name))
        except (OSError, ValueError):
            pass
    return total


def api_processes(master: int) -> list[int]:
    """The processes that serve requests: the workers, or the master when it is alone."""
    kids, todo = [], _children(master)
    while todo:
        pid = todo.pop()
        kids.append(pid)
        todo += _children(pid)
    try:
        big = [p for p in kids if proc_status(p, "VmRSS") > 60_000]  # not the resource tracker
    except OSError:
        big = []
    return big or [master]


def stop_api(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# ---------------------------------------------------------------------------- pgbench

PGBENCH_SCRIPT = ("\\set aid random(1, 1000000)\n"
                  "INSERT INTO pgbench_insert (aid, note) VALUES (:aid, 'bench');\n")


def run_pgbench(url: str, seconds: int, clients: int = 8) -> float:
    u = make_url(url)
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS pgbench_insert")
        conn.execute("CREATE TABLE pgbench_insert (id bigserial PRIMARY KEY, aid integer NOT "
                     "NULL, note text NOT NULL, at timestamptz NOT NULL DEFAULT now())")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(PGBENCH_SCRIPT)
    cmd = ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", f.name,
           "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres",
           u.database]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("tps ="))
    return float(line.split()[2])
