"""Statistics speed: ``python bench/bench_stats.py [--server postgresql+psycopg://...]``.

1. A fresh database (a temporary SQLite file, or the PostgreSQL database
   ``garita_bench_stats`` on ``--server``), migrated.
2. Import of the two shared CBP files (FY2020-FY2024, 123,754 rows): in this
   process (loading Polars and pandera timed apart, then ``stats.service.import_file``
   of both files in one transaction, commit included), and ``garita stats import``
   in a fresh process into a second fresh database, wall clock as an operator sees
   it (Python start and every library load included). Yardstick, same run: a fresh
   process that only reads the two files with ``polars.read_csv``.
3. The first report after the import in a fresh process (as an API worker started
   after, or not yet aware of, an import made by ``garita stats import``): a new
   interpreter over the CLI's database times loading Garita, loading DuckDB (which a
   worker loads on its first report), the first report (reading each import's Parquet
   snapshot into DuckDB) and a second one. ``--baseline-src DIR`` runs the same
   script with another checkout's ``src`` on ``PYTHONPATH`` (e.g. the commit before).
4. Reports over the five years: the first report in this process, then each report
   shape's median of 7 runs through ``stats.service.encounters`` (as the API and CLI
   call it). Yardstick: the median of ``SELECT count(*) FROM stats_encounter``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_intake import fresh_database
from sqlalchemy import text

from garita import migrate
from garita.db import make_engine, make_sessionmaker, transaction
from garita.stats import service

CBP = Path(os.environ.get("GARITA_SHARED_DATA",
                          Path(__file__).resolve().parents[2] / "shared" / "data")) / "cbp"
FILES = [CBP / "nationwide-encounters-fy20-fy24-aor.csv",
         CBP / "nationwide-encounters-fy20-fy24-state.csv"]
REPORTS = [("southwest", "fiscal_year,component"), ("all", "fiscal_year"),
           ("all", "month,component"), ("southwest", "month,citizenship"),
           ("all", "fiscal_year,region,aor"), ("southwest", "fiscal_year,state"),
           ("all", "month,component,demographic,citizenship,title,encounter_type")]
FRESH = """
import json, sys, time
start = time.perf_counter()
from garita.db import make_engine, make_sessionmaker, transaction
from garita.stats import service
loaded = time.perf_counter()
import duckdb
duck = time.perf_counter()
sessions = make_sessionmaker(make_engine(sys.argv[1]))
times = []
for _ in range(2):
    with transaction(sessions) as s:
        t = time.perf_counter()
        rows = service.encounters(s, "southwest", ["fiscal_year", "component"]).rows
        times.append(time.perf_counter() - t)
print(json.dumps({"garita": loaded - start, "duckdb": duck - loaded, "first": times[0],
                  "second": times[1], "rows": rows}))
"""
READ_ONLY = ("import sys, polars as pl\n"
             "for f in sys.argv[1:]: pl.read_csv(f, infer_schema_length=0)")


def wall(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def median_ms(run, n: int = 7) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", help="PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--baseline-src", type=Path,
                        help="also time the fresh-process first report with this src/")
    args = parser.parse_args()
    if args.server:
        url = fresh_database(args.server, "garita_bench_stats")
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    cli_url = (fresh_database(args.server, "garita_bench_stats_cli") if args.server
               else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    engine = make_engine(url)
    migrate.upgrade(engine)
    migrate.upgrade(make_engine(cli_url))
    print(f"database: {engine.dialect.name}")
    start = time.perf_counter()
    import garita.stats.parse
    libraries = time.perf_counter() - start
    sessions = make_sessionmaker(engine)
    start = time.perf_counter()
    with transaction(sessions) as s:
        now = dt.datetime.now(dt.UTC)
        for f in FILES:
            service.import_file(s, f.name, f.read_bytes(), now, "bench")
    in_process = time.perf_counter() - start
    garita = str(Path(sys.executable).with_name("garita"))
    env = {**os.environ, "GARITA_DATABASE_URL": cli_url}
    imported = wall([garita, "stats", "import", *map(str, FILES)], env)
    read = wall([sys.executable, "-c", READ_ONLY, *map(str, FILES)])
    print(f"import of the two shared files: {in_process:.2f} s in process (+ {libraries:.2f} s "
          f"loading Polars and pandera); `garita stats import` in a fresh process: "
          f"{imported:.2f} s (target <= 10 s); yardstick, reading them with polars only in a "
          f"fresh process: {read:.2f} s")
    for label, src in [("this checkout", None)] + (
            [(f"baseline {args.baseline_src}", args.baseline_src)] if args.baseline_src else []):
        fresh_env = {**os.environ, **({"PYTHONPATH": str(src)} if src else {})}
        out = json.loads(subprocess.run([sys.executable, "-c", FRESH, cli_url], check=True,
                                        env=fresh_env, capture_output=True, text=True
                                        ).stdout.strip().splitlines()[-1])
        print(f"fresh process after `garita stats import` ({label}): loading Garita "
              f"{1000 * out['garita']:.0f} ms, DuckDB {1000 * out['duckdb']:.0f} ms; first "
              f"report {1000 * out['first']:.1f} ms (target <= 200 ms), second "
              f"{1000 * out['second']:.1f} ms; {sum(r['encounters'] for r in out['rows']):,} "
              "encounters")
    with transaction(sessions) as s:
        rows = s.execute(text("SELECT count(*) FROM stats_encounter")).scalar_one()
        count = median_ms(lambda: s.execute(text("SELECT count(*) FROM stats_encounter")).all())
        print(f"{rows:,} rows stored; yardstick SELECT count(*): {count:.1f} ms")
        start = time.perf_counter()  # the first report of a worker reads the rows once
        service.encounters(s, "southwest", ["fiscal_year"])
        print(f"first report in the importing process (loads DuckDB, reads the snapshots): "
              f"{1000 * (time.perf_counter() - start):.1f} ms")
        for region, by in REPORTS:
            out = service.encounters(s, region, by.split(","))
            ms = median_ms(lambda r=region, b=by: service.encounters(s, r, b.split(",")))
            print(f"report region={region} by={by}: {len(out.rows):,} rows, "
                  f"median {ms:.1f} ms (target <= 200 ms)")
    engine.dispose()


if __name__ == "__main__":
    main()
