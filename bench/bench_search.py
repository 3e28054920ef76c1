"""The search route's service call with the kept index: ``python bench/bench_search.py``.

A fresh SQLite file holds the OFAC individuals (``../shared/data/ofac``) and
``--people`` registrations of the evaluation generator; the first search
builds the index (list + registrations' part frequencies), the next ones
reuse it. Prints the build time and the per-search latency (median, p99)
of ``screening.search`` in a session, as the route calls it (the per-search
check of the active lists included), and a yardstick from the same run: one
``SELECT 1`` through the same session.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

from garita import migrate
from garita.db import make_engine, make_sessionmaker, transaction
from garita.integrity import screening
from garita.integrity.evaluation.people import population
from garita.integrity.lists import parse_ofac
from garita.integrity.names import Query
from garita.models import Account
from garita.registrations.models import Person, Registration

OFAC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ofac" / "2021-04-25"
NOW = dt.datetime(2024, 9, 10, tzinfo=dt.UTC)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--searches", type=int, default=500)
    args = ap.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/search.sqlite3"
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    df = population(args.people, seed=3, duplicate_rate=0.0)
    read = lambda f: (OFAC / f).read_text(encoding="latin-1")  # noqa: E731
    with transaction(sessions) as s:
        s.execute(insert(Account).values(id=1, email="b@x.org", password_hash="!",
                                         role="applicant", port=None, created_at=NOW))
        regs = df.unique("registration_id")
        s.execute(insert(Registration), [
            {"id": r, "owner_id": 1, "registered_at": NOW, "language": "es", "phone": p,
             "group_size": 1, "lead_nationality": n}
            for r, p, n in regs.select("registration_id", "phone", "nationality").iter_rows()])
        s.execute(insert(Person), [
            {"registration_id": r["registration_id"], "position": 0,
             "given_names": r["given_names"], "family_names": r["family_names"],
             "date_of_birth": r["date_of_birth"], "country_of_birth": r["nationality"],
             "nationality": r["nationality"], "sex": r["sex"], "documents": [],
             "us_street": r["us_street"], "us_city": "Houston", "us_state": "TX",
             "us_zip": r["us_zip"]} for r in df.iter_rows(named=True)])
        screening.load(s, "ofac-sdn", "2021-04-25", "ofac",
                       parse_ofac(read("sdn.csv"), read("alt.csv"), read("add.csv")), "bench", NOW)
    queries = [Query(f"{g} {f}", d, n) for g, f, d, n in df.select(
        "given_names", "family_names", "date_of_birth", "nationality").head(args.searches)
        .iter_rows()]
    cache = screening.IndexCache()
    with sessions() as s:
        t0 = time.perf_counter()
        screening.search(s, queries[0], cache=cache)
        build = time.perf_counter() - t0
        took, base = [], []
        for q in queries:
            t0 = time.perf_counter()
            screening.search(s, q, limit=10, cache=cache)
            took.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            s.execute(text("SELECT 1"))
            base.append(time.perf_counter() - t0)
    took.sort()
    print(f"{args.people:,} registrations, {len(cache.index.names):,} list names: index built in "
          f"{build:.2f} s; search median {statistics.median(took) * 1e3:.2f} ms, p99 "
          f"{took[int(len(took) * 0.99) - 1] * 1e3:.2f} ms, max {took[-1] * 1e3:.2f} ms "
          f"({len(took)} searches); yardstick SELECT 1 median "
          f"{statistics.median(base) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
