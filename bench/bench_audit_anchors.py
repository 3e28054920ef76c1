"""Audit anchors on a large log: ``python bench/bench_audit_anchors.py --n 1000000``.

1. drops and creates the PostgreSQL database ``garita_bench_anchors``, migrates it;
2. appends ``--n`` audit entries over the 16 lanes through ``audit.record_many``
   (batches of 10,000, one transaction each) and writes a signed anchor after every
   ``--n / --anchors`` entries, as a scheduled ``garita audit anchor`` would;
3. times one more anchor (read the heads, sign, write), the chains alone
   (``audit.verify``: the yardstick, what ``garita audit verify`` did before), and
   the checks ``--anchors DIR`` adds (``anchor_files.check_anchors``: every
   signature, every anchored entry, every lane's length), best of two runs each;
4. prints peak RSS of this process (PostgreSQL's own memory is not included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
from pathlib import Path

from bench_intake import fresh_database

from garita import migrate
from garita.audit import anchor_files, anchor_keys
from garita.audit import service as audit
from garita.db import make_engine, make_sessionmaker, transaction

SERVER = os.environ.get("GARITA_TEST_DATABASE_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--anchors", type=int, default=100)
    args = ap.parse_args()
    url = fresh_database(SERVER, "garita_bench_anchors")
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    keys = anchor_keys.build(anchor_keys.generate()[1], [], "unused")
    directory = Path(tempfile.mkdtemp(prefix="anchors-"))
    every = max(1, args.n // args.anchors)
    batch = min(10_000, every)
    t0, written, since_anchor, made = time.perf_counter(), 0, 0, 0
    while written < args.n:
        size = min(batch, args.n - written)
        with transaction(sessions) as s:
            s.info["audit_lane"] = (written // batch) % audit.LANES
            audit.record_many(s, [{"actor": "bench:1", "action": "bench.do",
                                   "object_type": "thing", "object_id": written + i,
                                   "change": {"i": written + i}} for i in range(size)])
        written, since_anchor = written + size, since_anchor + size
        if since_anchor >= every:
            with sessions() as s:
                anchor_files.write(anchor_files.current(s, keys, dt.datetime.now(dt.UTC),
                                                        "schedule"), directory)
            since_anchor, made = 0, made + 1
    fill = time.perf_counter() - t0

    t = time.perf_counter()
    with sessions() as s:
        anchor_files.write(anchor_files.current(s, keys, dt.datetime.now(dt.UTC), "schedule"),
                           directory)
    one_anchor = time.perf_counter() - t
    chains = anchored = float("inf")
    for _ in range(2):  # best of two each, alternating, so neither gets the warm cache alone
        with sessions() as s:
            t = time.perf_counter()
            checked, breaks = audit.verify(s)
            chains = min(chains, time.perf_counter() - t)
        with sessions() as s:
            t = time.perf_counter()
            count, problems = anchor_files.check_anchors(s, directory, keys)
            anchored = min(anchored, time.perf_counter() - t)
    assert not breaks and not problems, (breaks, problems[:3])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"entries {checked:,} in {audit.LANES} lanes; filled in {fill:.1f} s "
          f"with {made} anchors along the way")
    print(f"one anchor (read heads, sign, write): {one_anchor * 1000:.1f} ms")
    print(f"verify, chains only (yardstick): {chains:.2f} s "
          f"({checked / chains / 1e6:.2f} M entries/s)")
    print(f"the anchor checks of verify --anchors ({count} anchors: signatures, anchored "
          f"entries, lane lengths): {anchored:.2f} s (+{anchored / chains:.1%} over the chains)")
    print(f"peak RSS {rss:.0f} MB")
    engine.dispose()


if __name__ == "__main__":
    main()
