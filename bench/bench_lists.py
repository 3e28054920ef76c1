"""Benchmark the registrations list: a page of 50 from 100,000 of one NGO's registrations.

Target (issue 10, point 6): ≤ 50 ms on PostgreSQL. Creates the PostgreSQL database
``garita_bench_lists`` (dropped at the end), migrates it, loads N registrations of
one NGO account with their lead person and one request each (COPY), then times
``GET /registrations`` through the real app (in-process ASGI client, signed token)
for pages across the list, sorts and filters. Yardstick from the same run:
``GET /health`` (the framework's own round trip, no database).

``--without-trigrams`` drops the name search's pg_trgm index (migration 0016) first,
to measure the search without them in the same conditions.

Run: .venv/bin/python bench/bench_lists.py [--registrations N] [--calls K] [--without-trigrams]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time

import numpy as np
import polars as pl
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from garita import migrate
from garita.app import create_app
from garita.auth.core import issue_token
from garita.db import make_engine, make_sessionmaker, transaction
from garita.identity import Principal, Role
from garita.policy import service as policies
from garita.policy.ports import PORT_CODES
from garita.registrations.search import search_names
from garita.settings import Settings

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
NAME = "garita_bench_lists"
KEY = "bench-secret-key-not-for-production-0123456789"
GIVEN = "Ana José María Luis Carlos Yusmary Daniela Andrés Génesis Wilmer".split()
FAMILY = "González Rodríguez Pérez Hernández García Martínez Rojas Díaz Morales Blanco".split()


def load(url: str, n: int) -> float:
    rng = np.random.default_rng(7)
    ids = np.arange(1, n + 1)
    at = pl.from_epoch(pl.Series(1_700_000_000 + rng.integers(0, 200 * 86400, n)), "s")
    given = np.asarray(GIVEN)[rng.integers(0, len(GIVEN), n)].tolist()
    family = [f"{FAMILY[a]} {FAMILY[b]}" for a, b in rng.integers(0, 10, (n, 2))]
    regs = pl.DataFrame({"id": ids, "owner_id": 1, "registered_at": at.dt.replace_time_zone(
        "UTC"), "language": "es", "phone": "+52 55 0000 0000", "email": None,
        "group_size": rng.integers(1, 11, n), "lead_nationality": "VEN",
        "search_names": [search_names([(g, f)]) for g, f in zip(given, family, strict=True)]},
        schema_overrides={"email": pl.String})
    people = pl.DataFrame({
        "id": ids, "registration_id": ids, "position": 0,
        "given_names": given, "family_names": family,
        "date_of_birth": dt.date(1990, 1, 1), "country_of_birth": "VEN", "nationality": "VEN",
        "sex": "F", "documents": "[]", "us_street": "1 Main St", "us_city": "Houston",
        "us_state": "TX", "us_zip": "77002"})
    day = dt.date(2024, 9, 10)
    reqs = pl.DataFrame({
        "id": ids, "registration_id": ids, "service_date": day,
        "port": np.asarray(PORT_CODES)[rng.integers(0, 8, n)], "group_size": regs["group_size"],
        "registered_at": regs["registered_at"], "lat": 32.5, "lon": -117.0,
        "state": "Baja California", "zone": "north of 19°N", "geo_version": "bench",
        "requested_at": dt.datetime(2024, 9, 10, 17, tzinfo=dt.UTC)})
    t0 = time.perf_counter()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO account (id, email, password_hash, role, created_at) "
                          "VALUES (1, 'ngo@bench', 'x', 'ngo', :t)"), {"t": dt.datetime.now(dt.UTC)})
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for table, frame in (("registration", regs), ("person", people),
                                 ("daily_request", reqs)):
                buf = io.BytesIO()
                frame.write_csv(buf, include_header=False, null_value="")
                with cur.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN "
                              "(FORMAT csv)") as copy:
                    copy.write(buf.getvalue())
    with engine.connect() as conn:  # as autovacuum would: statistics, GIN pending lists merged
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE registration, person, daily_request"))
    engine.dispose()
    return time.perf_counter() - t0


def timed(client: TestClient, path: str, headers: dict, calls: int) -> tuple[float, float, str]:
    samples, total = [], ""
    for _ in range(calls):
        t0 = time.perf_counter()
        r = client.get(path, headers=headers)
        samples.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text
        body = r.json()
        total = f"{body.get('total', 0):,}{'' if body.get('total_exact', True) else '+'}"
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--without-trigrams", action="store_true")
    args = parser.parse_args()
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{NAME}"'))
    url = f"{SERVER}/{NAME}"
    try:
        migrate.upgrade(make_engine(url))
        if args.without_trigrams:
            with make_engine(url).begin() as conn:
                conn.execute(text("DROP INDEX ix_registration_search_names_trgm"))
        with transaction(make_sessionmaker(make_engine(url))) as s:
            policies.seed_history(s)
        print(f"loaded {args.registrations:,} registrations in {load(url, args.registrations):.1f} s")
        app = create_app(Settings(database_url=url, secret_key=KEY))
        # a session id the app has not seen revoked (auth.sessions): the token is accepted
        token = issue_token(Principal(account_id=1, role=Role.ngo, sid="bench-lists"), KEY, 60,
                            dt.datetime.now(dt.UTC))
        headers = {"Authorization": f"Bearer {token}"}
        last = args.registrations - 50
        cases = [("GET /health (yardstick)", "/health"),
                 ("first page of 50", "/registrations?limit=50"),
                 ("middle page", f"/registrations?limit=50&offset={args.registrations // 2}"),
                 ("last page", f"/registrations?limit=50&offset={last}"),
                 ("sort=-registered_at", "/registrations?limit=50&sort=-registered_at"),
                 ("sort=name", "/registrations?limit=50&sort=name"),
                 ("name=pérez", "/registrations?limit=50&name=p%C3%A9rez"),
                 ("name=yusmary rojas", "/registrations?limit=50&name=yusmary+rojas"),
                 ("name=perez (no accent)", "/registrations?limit=50&name=perez"),
                 ("name=zúñiga (nobody)", "/registrations?limit=50&name=z%C3%BA%C3%B1iga"),
                 ("port=BRO&date=2024-09-10", "/registrations?limit=50&port=BRO&date=2024-09-10")]
        with TestClient(app) as client:
            for label, path in cases:
                timed(client, path, headers, 3)  # warm
                median, p95, total = timed(client, path, headers, args.calls)
                print(f"| {label} | {1000 * median:.1f} ms | {1000 * p95:.1f} ms | {total} |")
        app.state.engine.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
