"""Benchmark the daily draw database to database: 1M requests, read, drawn, written.

Creates a fresh PostgreSQL database ``garita_bench_draw`` (dropped at the end),
migrates it, bulk-loads one service day of requests with COPY (a minimal
registration row per request), then times ``draws.run`` for that day end to
end: lapse, read the requests, draw, write offers + draw row + audit, commit.
The same on a SQLite file (loaded with executemany; no target).

Every member of every registration is loaded with two person keys (name + date of
birth + nationality, and a document), as registration computes them, and 0.5 % of
the registrations, in pairs, share their lead's key (the same person registered
twice), so the draw's one-entry-per-person join (``requests.service.set_aside``)
reads as many keys as on a real day and sets some requests aside.

Split: ``read`` (rows to DrawRequests: query, tickets, dates) and ``draw``
(`core.draw`) are timed on their own first, in a rolled-back transaction;
``write`` is the end-to-end time minus those two.

Run: .venv/bin/python bench/bench_draw_db.py [--requests N] [--skip-sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import create_engine, text

from garita import migrate
from garita.db import make_engine, make_sessionmaker, transaction
from garita.draw import core
from garita.draw import service as draws
from garita.draw.pseudonyms import DrawSecrets
from garita.policy import calendar
from garita.policy import service as policies
from garita.policy.ports import PORT_CODES

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
NAME = "garita_bench_draw"
DAY = dt.date(2024, 7, 15)
PORTS = PORT_CODES
PORT_WEIGHTS = np.array((385, 100, 100, 200, 80, 100, 105, 380), float)
SIZE_WEIGHTS = np.array((0.42, 0.20, 0.14, 0.10, 0.06, 0.03, 0.02, 0.015, 0.01, 0.005))
SECRETS = DrawSecrets.of("bench-seed-key", "bench-ticket-key")


DUPLICATE_SHARE = 0.005


def population(n: int, seed: int = 20240715) -> tuple[pl.DataFrame, ...]:
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1)
    start = dt.datetime(2023, 5, 10, tzinfo=dt.UTC)
    epoch = int(start.timestamp()) + rng.integers(0, 430 * 86400, n)
    reg_at = pl.from_epoch(pl.Series(epoch), "s").dt.replace_time_zone("UTC")
    size = rng.choice(np.arange(1, 11), n, p=SIZE_WEIGHTS / SIZE_WEIGHTS.sum())
    port = np.asarray(PORTS)[rng.choice(8, n, p=PORT_WEIGHTS / PORT_WEIGHTS.sum())]
    registrations = pl.DataFrame({
        "id": ids, "owner_id": 1, "registered_at": reg_at, "language": "es",
        "phone": "+52 55 0000 0000", "email": None, "group_size": size,
        "lead_nationality": "VEN"}, schema_overrides={"email": pl.String})
    when = dt.datetime.combine(DAY, dt.time(17), tzinfo=dt.UTC)
    requests = pl.DataFrame({
        "id": ids, "registration_id": ids, "service_date": DAY, "port": port,
        "group_size": size, "registered_at": reg_at, "lat": 32.5, "lon": -117.0,
        "state": "Baja California", "zone": "north of 19°N", "geo_version": "bench",
        "requested_at": when})
    people, keys = members(ids, size, rng)
    return registrations, requests, people, keys


def members(ids: np.ndarray, size: np.ndarray, rng: np.random.Generator,
            ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every member (minimal columns) and two keys each; a few leads share a key with
    another registration's lead."""
    reg = np.repeat(ids, size)
    position = np.arange(len(reg)) - np.repeat(np.cumsum(size) - size, size)
    person_ids = np.arange(1, len(reg) + 1)
    people = pl.DataFrame({
        "id": person_ids, "registration_id": reg, "position": position,
        "given_names": "Ana", "family_names": "Pérez", "date_of_birth": dt.date(1990, 1, 1),
        "country_of_birth": "VEN", "nationality": "VEN", "sex": "F", "documents": "[]",
        "us_street": "1 Main St", "us_city": "Houston", "us_state": "TX", "us_zip": "77002"})
    name_key = "n" + pl.Series(person_ids).cast(pl.String).str.zfill(31)
    leads = np.flatnonzero(position == 0)
    twins = rng.choice(leads, int(len(ids) * DUPLICATE_SHARE), replace=False)
    name_key = name_key.scatter(twins[1::2], name_key.gather(twins[0::2]))  # pairs
    keys = pl.DataFrame({
        "id": np.arange(1, 2 * len(reg) + 1),
        "person_id": np.concatenate([person_ids, person_ids]),
        "registration_id": np.concatenate([reg, reg]),
        "key": pl.concat([name_key, "d" + pl.Series(person_ids).cast(pl.String).str.zfill(31)])})
    # as ``registrations.service.store_keys`` marks them: a key two registrations hold
    keys = keys.with_columns(shared=pl.col("key").is_duplicated())
    return people, keys


TABLES = ("registration", "daily_request", "person", "person_key")


def _account(conn) -> None:
    conn.execute(text("INSERT INTO account (id, email, password_hash, role, created_at) "
                      "VALUES (1, 'ngo@bench', 'x', 'ngo', :t)"), {"t": dt.datetime.now(dt.UTC)})


def load_pg(url: str, *frames: pl.DataFrame) -> float:
    t0 = time.perf_counter()
    engine = make_engine(url)
    with engine.begin() as conn:
        _account(conn)
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for table, frame in zip(TABLES, frames, strict=True):
                buf = io.BytesIO()
                frame.write_csv(buf, include_header=False, null_value="")
                cols = ", ".join(frame.columns)
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(buf.getvalue())
        for table in TABLES:
            conn.execute(text(f"ANALYZE {table}"))
    engine.dispose()
    return time.perf_counter() - t0


def load_sqlite(url: str, *frames: pl.DataFrame) -> float:
    t0 = time.perf_counter()
    engine = make_engine(url)
    fmt = "%Y-%m-%d %H:%M:%S.%6f"
    with engine.begin() as conn:
        _account(conn)
        for table, frame in zip(TABLES, frames, strict=True):
            frame = frame.with_columns(pl.col(pl.Datetime).dt.convert_time_zone("UTC")
                                       .dt.strftime(fmt), pl.col(pl.Date).cast(pl.String))
            marks = ", ".join("?" * frame.width)
            conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(frame.columns)}) "
                                 f"VALUES ({marks})", frame.rows())
    engine.dispose()
    return time.perf_counter() - t0


def time_draw(url: str) -> dict[str, float]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as s:
        policy = policies.in_force(s, DAY).policy
    now = calendar.draw_moment(policy, DAY) + dt.timedelta(minutes=1)
    with sessions() as s, s.begin():  # split, rolled back
        t0 = time.perf_counter()
        requests, _ = draws.read_requests(s, DAY, SECRETS.ticket_key,
                                          policy.request_window.timezone)
        t1 = time.perf_counter()
        bins = draws.build_bins(s, policy, calendar.appointment_dates(policy, DAY))
        core.draw(requests, bins, policy.longest_waiting_share, bytes(32))
        t2 = time.perf_counter()
        s.rollback()
    t3 = time.perf_counter()
    with transaction(sessions) as s:
        draw, ran = draws.run(s, DAY, now, "bench", secrets=SECRETS)
        offers, requests_n = len(draw.summary), draw.draw_inputs["requests"]
        winners = sum(p["selected_longest_waiting"] + p["selected_random"]
                      for p in draw.summary.values())
    total = time.perf_counter() - t3
    engine.dispose()
    assert ran and offers == 8
    return {"read": t1 - t0, "draw": t2 - t1, "write": total - (t2 - t0), "total": total,
            "requests": requests_n, "winners": winners}


def report(label: str, load: float, t: dict) -> None:
    print(f"{label}: load {load:.1f} s; draws.run end to end {t['total']:.3f} s "
          f"(read {t['read']:.3f} s, draw {t['draw']:.3f} s, write+rest {t['write']:.3f} s); "
          f"{t['requests']:,} requests, {t['winners']:,} offers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    frames = population(args.requests)

    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{NAME}"'))
    url = f"{SERVER}/{NAME}"
    try:
        migrate.upgrade(make_engine(url))
        with transaction(make_sessionmaker(make_engine(url))) as s:
            policies.seed_history(s)
        report("PostgreSQL", load_pg(url, *frames), time_draw(url))
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        admin.dispose()

    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            migrate.upgrade(make_engine(url))
            with transaction(make_sessionmaker(make_engine(url))) as s:
                policies.seed_history(s)
            report("SQLite", load_sqlite(url, *frames), time_draw(url))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (whole process, data generation and loading included)")


if __name__ == "__main__":
    main()
