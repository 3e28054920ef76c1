"""The database screening job end to end: ``python bench/bench_screen_db.py --n 100000``.

1. drops and creates the PostgreSQL database ``garita_bench_screen``, migrates it;
2. COPY-loads the synthetic population of ``bench_integrity`` (``synth.population``,
   one registration per person) and stores the same 20,000-name list as a
   watchlist version (OFAC individuals padded with recombined names);
3. times ``screening.screen`` in one transaction (as ``garita screen run`` does),
   the write part (``raise_alerts``: fingerprint lookups, INSERT ... RETURNING,
   bulk audit append) measured separately, then the commit;
   Run ``--steps load`` and ``--steps screen`` separately for the job's own peak RSS
   (the database is kept; load again before screening again: a second screen
   raises nothing new);
4. checks the audit chains verify and prints peak RSS of this process and of
   its largest scoring worker (PostgreSQL's own memory is not included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time

import psycopg
from bench_intake import _copy, fresh_database
from bench_integrity import OFAC
from intake_harness import libpq
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from garita import migrate
from garita.audit import service as audit
from garita.db import make_engine, make_sessionmaker, transaction
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.lists import Entry, parse_ofac
from garita.integrity.models import Alert
from garita.integrity.synth import population


def rss_mb() -> tuple[float, float]:
    """Peak resident set of this process and of its largest (finished) worker, MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def entries(size: int) -> list[Entry]:
    """The list of ``bench_integrity.watchlist`` as entries: ``size`` names in all."""
    read = lambda f: (OFAC / f).read_text(encoding="latin-1")  # noqa: E731
    out = [e for e in parse_ofac(read("sdn.csv"), read("alt.csv"), read("add.csv"))
           if e.entry_type == "individual"]
    names = sum(len(e.names()) for e in out)
    rng = random.Random(3)
    listed = [n for e in out for n, *_ in e.names() if ", " in n]  # aliases too, as there
    lasts, firsts = [n.split(", ")[0] for n in listed], [n.split(", ")[1] for n in listed]
    out += [Entry(f"PAD{k}", "individual", f"{rng.choice(lasts)}, {rng.choice(firsts)}",
                  dates_of_birth=[str(rng.randrange(1940, 2000))])
            for k in range(max(0, size - names))]
    return out


def load(url: str, n: int, list_size: int) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    df = population(n, seed=5)
    now = dt.datetime(2024, 9, 10, tzinfo=dt.UTC)
    with psycopg.connect(libpq(url)) as conn, conn.cursor() as cur:
        _copy(cur, "account", "id, email, password_hash, role, port, created_at",
              [(1, "ngo@bench.example", "!no-login", "applicant", None, now)])
        _copy(cur, "registration", "id, owner_id, registered_at, language, phone, email, "
              "group_size, lead_nationality",
              ((r["registration_id"], 1, r["registered_at"], "es", r["phone"], r["email"], 1,
                r["nationality"]) for r in df.iter_rows(named=True)))
        _copy(cur, "person", "id, registration_id, position, given_names, family_names, "
              "date_of_birth, country_of_birth, nationality, sex, documents, us_street, "
              "us_unit, us_city, us_state, us_zip",
              ((r["person_id"], r["registration_id"], 0, r["given_names"], r["family_names"],
                r["date_of_birth"], r["nationality"], r["nationality"], r["sex"], "[]",
                r["us_street"], r["us_unit"], "Houston", "TX", r["us_zip"])
               for r in df.iter_rows(named=True)))
        for table in ("account", "registration", "person"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")
        conn.commit()
    with transaction(make_sessionmaker(engine)) as s:
        screening.load(s, "bench-list", "1", "ofac", entries(list_size), "bench", now)
    engine.dispose()
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--database", default="garita_bench_screen")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--list-size", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--steps", default="load,screen",
                    help="'load' then 'screen' in two runs keeps the loader out of peak RSS")
    args = ap.parse_args()

    url = make_url(args.server).set(database=args.database).render_as_string(False)
    if "load" in args.steps:
        t0 = time.perf_counter()
        url = fresh_database(args.server, args.database)
        load(url, args.n, args.list_size)
        print(f"loaded {args.n:,} people and a {args.list_size:,}-name list in "
              f"{time.perf_counter() - t0:.1f} s; RSS {rss_mb()[0]:.0f} MB")
    if "screen" in args.steps:
        screen(url, args.workers)


def screen(url: str, workers: int) -> None:
    """``screening.screen`` as ``garita screen run`` calls it, its write part timed apart."""
    writing = [0.0, 0]  # seconds in raise_alerts, shards written
    raise_alerts = alerts.raise_alerts

    def timed(*a, **kw) -> int:
        t = time.perf_counter()
        try:
            return raise_alerts(*a, **kw)
        finally:
            writing[0] += time.perf_counter() - t
            writing[1] += 1

    alerts.raise_alerts = timed
    engine = make_engine(url)
    t0 = time.perf_counter()
    with transaction(make_sessionmaker(engine)) as s:
        out = screening.screen(s, dt.datetime.now(dt.UTC), "bench", 0.70, workers=workers)
        t1 = time.perf_counter()
    total = time.perf_counter() - t0
    commit = total - (t1 - t0)
    parent, child = rss_mb()  # before verify, which reads a whole lane into memory
    with transaction(make_sessionmaker(engine)) as s:
        stored = s.scalar(select(func.count()).select_from(Alert))
        t2 = time.perf_counter()
        checked, breaks = audit.verify(s)
        verify_s = time.perf_counter() - t2
    engine.dispose()
    new = out["new_alerts"]
    print(f"screen (database, {workers} workers): {out['people']:,} people, "
          f"{out['hits']:,} hits, {new:,} new alerts ({stored:,} stored) in {total:.1f} s "
          f"({out['people'] / total:,.0f} people/s)")
    print(f"  writing: {writing[0]:.1f} s in {writing[1]} shards "
          f"({new / max(writing[0], 1e-9):,.0f} alerts/s incl. audit); commit {commit:.1f} s")
    print(f"  peak RSS: this process {parent:.0f} MB, largest worker {child:.0f} MB")
    print(f"  audit verify: {checked:,} entries, {len(breaks)} breaks, {verify_s:.1f} s, "
          f"peak RSS then {rss_mb()[0]:.0f} MB")


if __name__ == "__main__":
    main()
