"""Daily-request intake under load: ``python bench/bench_intake.py [options]``.

What it does, in one run (DESIGN §5, "Intake"):

1. drops and creates the PostgreSQL database ``garita_bench`` (``--server``),
   migrates it and loads the shipped policy history;
2. bulk-loads (COPY) ``--registrations`` registrations (group sizes 1-4, one
   person row per member) owned by ``--accounts`` applicant accounts, and signs
   one token per account;
3. starts the API with uvicorn as a subprocess (``--workers`` processes) on a
   fixed clock, 2024-09-10 15:00 America/New_York, inside that day's
   12:00-23:59 ET request window (policy version of 2024-08-23);
4. drives ``POST /registrations/{id}/requests`` with ``wrk`` (``--connections``
   over ``--threads``) and a generated Lua script: every request names a
   registration that has not asked yet (ids come from a counter per wrk
   thread), so every call does the real work: ownership check, policy and
   window, geofence, the insert and the audit-chain append;
5. runs ``pgbench`` (8 clients, same duration, a custom single-row INSERT into
   a tiny table) in the same run, as the machine's yardstick;
6. checks that every 201 has exactly one ``daily_request`` row (and that the
   only rows without a counted 201 are the requests still in flight when wrk
   stopped), that the audit chains verify, and reports peak RSS (VmHWM) of
   every API process.

The rate limiter stays on (per-process memory storage) with a limit no
account reaches; the accounts act like NGOs filing for many registrations.

wrk is a closed-loop generator: with C connections at most C requests are in
flight, so latency figures are for that concurrency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from intake_harness import (
    SECRET,
    api_processes,
    cpu_seconds,
    libpq,
    postgres_cpu_seconds,
    proc_status,
    run_pgbench,
    start_api,
    stop_api,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from garita import migrate
from garita.app import create_app
from garita.audit import service as audit
from garita.auth.core import issue_token
from garita.db import make_engine, make_sessionmaker, transaction
from garita.identity import Principal, Role
from garita.models import Account  # noqa: F401 - registers every table
from garita.policy import service as policies
from garita.policy.ports import PORT_CODES
from garita.registrations.keys import person_keys
from garita.settings import Settings

ET = ZoneInfo("America/New_York")
FIXED_NOW = dt.datetime(2024, 9, 10, 15, 0, tzinfo=ET)
SERVICE_DAY = dt.date(2024, 9, 10)
NATIONALITIES = ("VEN", "HND", "CUB", "HTI", "GTM", "COL", "MEX")
# Eligible for everyone under the 2024-08-23 rules (north of 19°N).
PLACES = ((32.5149, -117.0382), (31.6904, -106.4245), (25.6866, -100.3161),
          (19.4326, -99.1332), (28.6353, -106.0889), (20.6597, -103.3496))
PORTS = PORT_CODES
HERE = Path(__file__).resolve().parent


def make_app():
    """The API as the benchmark serves it: settings from GARITA_*, the fixed clock."""
    return create_app(Settings(), clock=lambda: FIXED_NOW)


# ---------------------------------------------------------------------------- data


def fresh_database(server: str, name: str) -> str:
    url = make_url(server)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _copy(cur: psycopg.Cursor, table: str, columns: str, rows) -> None:
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(url: str, registrations: int, accounts: int, seed: int = 7) -> None:
    """Schema, policy history, accounts, registrations and their people (COPY)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as s:
        policies.seed_history(s)
    engine.dispose()
    rng = random.Random(seed)
    created = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    with psycopg.connect(libpq(url)) as conn, conn.cursor() as cur:
        _copy(cur, "account", "id, email, password_hash, role, port, created_at",
              ((a, f"ngo{a}@bench.example", "!no-login", "applicant", None, created)
               for a in range(1, accounts + 1)))
        # one open session per account: every token names one (auth.sessions)
        _copy(cur, "account_session", "id, account_id, created_at, expires_at, client, full_access",
              ((session_id(a), a, created, FIXED_NOW + dt.timedelta(days=30), "bench", True)
               for a in range(1, accounts + 1)))
        sizes = [rng.choice((1, 1, 1, 2, 2, 3, 4)) for _ in range(registrations)]
        nats = [rng.choice(NATIONALITIES) for _ in range(registrations)]
        first = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
        _copy(cur, "registration", "id, owner_id, registered_at, language, phone, email, "
              "group_size, lead_nationality",
              ((r, owner(r, accounts), first + dt.timedelta(seconds=rng.randrange(14_000_000)),
                "es", "+52 55 1234 5678", None, sizes[r - 1], nats[r - 1])
               for r in range(1, registrations + 1)))
        people = [(r, p, f"Given{r}", f"Family{p}", dt.date(1990 - p, 1 + r % 12, 1 + r % 28),
                   nats[r - 1]) for r in range(1, registrations + 1) for p in range(sizes[r - 1])]
        _copy(cur, "person", "id, registration_id, position, given_names, family_names, "
              "date_of_birth, country_of_birth, nationality, sex, documents, us_street, "
              "us_city, us_state, us_zip",
              ((i, r, p, given, family, born, nat, nat, "FM"[p % 2], "[]", "1234 Main St",
                "Houston", "TX", "77002")
               for i, (r, p, given, family, born, nat) in enumerate(people, 1)))
        # Every member's person keys, as registration writes them: the request's
        # one-entry-per-person check reads them on the hot path.
        _copy(cur, "person_key", "person_id, registration_id, key",
              ((i, r, key) for i, (r, _, given, family, born, nat) in enumerate(people, 1)
               for key in person_keys(given, family, born, nat, [])))
        for table in ("account", "registration", "person"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")
        conn.commit()
    # VACUUM, not only ANALYZE: rows just COPYed carry no hint bits, so every first read
    # of one would also look up its transaction's commit and rewrite its page - work a
    # database that has been running (and autovacuumed) no longer does.
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def owner(registration_id: int, accounts: int) -> int:
    return (registration_id - 1) % accounts + 1


def session_id(account: int) -> str:
    return f"bench-{account}"


def tokens(accounts: int) -> list[str]:
    return [issue_token(Principal(account_id=a, role=Role.applicant, sid=session_id(a)), SECRET,
                        60 * 24 * 30, FIXED_NOW) for a in range(1, accounts + 1)]


# ---------------------------------------------------------------------------- wrk

LUA = r"""
local tokens = {%(tokens)s}
local places = {%(places)s}
local ports = {%(ports)s}
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local start, per = tonumber(args[1]), tonumber(args[2])
  base, stop, issued = start + tid * per, start + (tid + 1) * per, 0
  statuses, created = {}, {}
end

function request()
  local id = base + issued
  issued = issued + 1
  if id >= stop then id = stop - 1 end  -- out of fresh ids: repeats answer 200, counted
  local p = places[id %% #places + 1]
  local body = string.format('{"port":"%%s","lat":%%.4f,"lon":%%.4f}',
                             ports[id %% #ports + 1], p[1], p[2])
  return wrk.format("POST", "/registrations/" .. id .. "/requests",
    {["Content-Type"] = "application/json",
     ["Authorization"] = "Bearer " .. tokens[(id - 1) %% #tokens + 1]}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    created[#created + 1] = tonumber(string.match(body, '"registration_id":(%%d+)'))
  end
end

function done(summary, latency, requests)
  local counts, ids = {}, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do counts[tostring(k)] = (counts[tostring(k)] or 0) + v end
    for _, v in ipairs(t:get("created")) do ids[#ids + 1] = v end
  end
  local out = assert(io.open(os.getenv("BENCH_WRK_OUT"), "w"))
  local parts = {}
  for k, v in pairs(counts) do parts[#parts + 1] = string.format('"%%s":%%d', k, v) end
  local e = summary.errors
  out:write(string.format('{"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p90_us":%%d,' ..
    '"p99_us":%%d,"max_us":%%d,"mean_us":%%.1f,"errors":{"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d},"statuses":{%%s},"created":[%%s]}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout, table.concat(parts, ","), table.concat(ids, ",")))
  out:close()
end
"""


def lua_script(accounts: int) -> str:
    quoted = ",".join(f'"{t}"' for t in tokens(accounts))
    places = ",".join(f"{{{lat},{lon}}}" for lat, lon in PLACES)
    ports = ",".join(f'"{p}"' for p in PORTS)
    return LUA % {"tokens": quoted, "places": places, "ports": ports}


def run_wrk(script: Path, port: int, seconds: int, threads: int, connections: int,
            start: int, per_thread: int, out: Path) -> dict:
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
           "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}",
           "--", str(start), str(per_thread)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "BENCH_WRK_OUT": str(out)})
    return json.loads(out.read_text())


# ---------------------------------------------------------------------------- checks


def check_rows(url: str, created: list[int], in_flight_max: int) -> dict:
    with psycopg.connect(libpq(url)) as conn:
        rows = [r for (r,) in conn.execute(
            "SELECT registration_id FROM daily_request WHERE service_date = %s",
            (SERVICE_DAY,))]
        audit_rows = conn.execute("SELECT count(*) FROM audit_entry WHERE action = "
                                  "'request.create'").fetchone()[0]
    stored, answered = set(rows), set(created)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as s:
        checked, breaks = audit.verify(s)
    engine.dispose()
    unanswered = stored - answered
    return {
        "rows": len(rows), "distinct_rows": len(stored), "created_201": len(created),
        "distinct_201": len(answered), "answered_without_row": len(answered - stored),
        "rows_without_counted_201": len(unanswered),
        "in_flight_bound": in_flight_max, "audit_request_entries": audit_rows,
        "audit_checked": checked, "audit_breaks": len(breaks),
        "ok": (len(rows) == len(stored) and len(created) == len(answered)
               and answered <= stored and len(unanswered) <= in_flight_max
               and audit_rows == len(rows) and not breaks),
    }


# ---------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--database", default="garita_bench")
    ap.add_argument("--registrations", type=int, default=200_000)
    ap.add_argument("--accounts", type=int, default=1_000)
    ap.add_argument("--duration", type=int, default=20, help="seconds, wrk and pgbench each")
    ap.add_argument("--warmup", type=int, default=3, help="seconds of wrk before measuring")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pool", type=int, default=10, help="GARITA_POOL_SIZE per worker")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = ap.parse_args()
    if not shutil.which("wrk") or not shutil.which("pgbench"):
        print("needs wrk and pgbench on PATH (apt-get install wrk postgresql-client)")
        return 2

    t0 = time.perf_counter()
    url = fresh_database(args.server, args.database)
    load(url, args.registrations, args.accounts)
    print(f"loaded {args.registrations:,} registrations for {args.accounts:,} accounts "
          f"in {time.perf_counter() - t0:.1f} s")

    work = Path(tempfile.mkdtemp(prefix="garita-bench-"))
    script = work / "intake.lua"
    script.write_text(lua_script(args.accounts))
    warm_ids = 5_000 * args.threads
    per_thread = (args.registrations - warm_ids) // args.threads
    proc = start_api(url, args.port, args.workers, args.pool)
    try:
        warm = run_wrk(script, args.port, args.warmup, args.threads, args.connections,
                       1, 5_000, work / "warm.json")
        workers = api_processes(proc.pid)
        start_cpu, pg0 = {p: cpu_seconds(p) for p in workers}, postgres_cpu_seconds()
        res = run_wrk(script, args.port, args.duration, args.threads, args.connections,
                      1 + warm_ids, per_thread, work / "run.json")
        busy = {p: cpu_seconds(p) - start_cpu[p] for p in workers}  # seconds, per worker
        cpu_ms = sum(busy.values()) * 1000 / max(res["requests"], 1)
        pg_ms = (postgres_cpu_seconds() - pg0) * 1000 / max(res["requests"], 1)
        time.sleep(1)  # in-flight requests finish
        rss = {pid: (proc_status(pid, "VmHWM") / 1024, proc_status(pid, "VmRSS") / 1024)
               for pid in api_processes(proc.pid)}
    finally:
        stop_api(proc)
    tps = run_pgbench(url, args.duration)

    seconds = res["duration_us"] / 1e6
    rate = res["requests"] / seconds
    statuses = res["statuses"]
    non_2xx = sum(v for k, v in statuses.items() if not k.startswith("2"))
    five = sum(v for k, v in statuses.items() if k.startswith("5"))
    socket_errors = sum(v for k, v in res["errors"].items() if k != "status")
    check = check_rows(url, warm["created"] + res["created"], 2 * args.connections)
    issued_ok = res["requests"] < per_thread * args.threads

    print(f"warm-up statuses    {json.dumps(warm['statuses'], sort_keys=True)}")
    print(f"\nIntake: POST /registrations/{{id}}/requests, {args.workers} uvicorn worker(s), "
          f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {os.cpu_count()} cores")
    print(f"  requests/s          {rate:,.0f}   ({res['requests']:,} in {seconds:.1f} s)")
    print(f"  latency             p50 {res['p50_us'] / 1000:.1f} ms   p90 "
          f"{res['p90_us'] / 1000:.1f} ms   p99 {res['p99_us'] / 1000:.1f} ms   max "
          f"{res['max_us'] / 1000:.1f} ms")
    print(f"  statuses            {json.dumps(statuses, sort_keys=True)}")
    print(f"  errors              5xx {five}, non-2xx {non_2xx}, socket {socket_errors} "
          f"{res['errors']}")
    print(f"  pgbench INSERT TPS  {tps:,.0f}   (8 clients, {args.duration} s, simple protocol)")
    print(f"  ratio               {rate / tps:.3f} of pgbench single-row INSERT TPS")
    print(f"  API CPU per request {cpu_ms:.2f} ms (all workers, user+system)")
    print(f"  PostgreSQL CPU      {pg_ms:.2f} ms per request (every postgres process)")
    print("  worker CPU busy     " + ", ".join(
        f"{pid}: {b / (res['duration_us'] / 1e6):.0%}" for pid, b in busy.items()))
    for pid, (peak, end) in rss.items():
        print(f"  RSS                 worker {pid}: peak {peak:.0f} MB, after the run {end:.0f} MB")
    print(f"  rows check          {json.dumps(check)}")
    if not issued_ok:
        print("  WARNING: ran out of fresh registrations; raise --registrations")
    summary = {"requests_per_s": round(rate), "p50_ms": res["p50_us"] / 1000,
               "p99_ms": res["p99_us"] / 1000, "non_2xx": non_2xx, "5xx": five,
               "socket_errors": socket_errors, "pgbench_tps": round(tps),
               "ratio": round(rate / tps, 3), "cpu_ms_per_request": round(cpu_ms, 2),
               "pg_cpu_ms_per_request": round(pg_ms, 2),
               "peak_rss_mb": [round(v[0]) for v in rss.values()],
               "rows_ok": check["ok"]}
    print("  summary             " + json.dumps(summary))
    if not args.keep:
        admin = create_engine(make_url(args.server), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        admin.dispose()
    shutil.rmtree(work, ignore_errors=True)
    passed = (rate >= 2000 and res["p99_us"] < 100_000 and non_2xx == 0 and socket_errors == 0
              and check["ok"] and issued_ok)
    print("  target              " + ("met" if passed else "NOT met"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
