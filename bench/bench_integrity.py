"""Integrity benchmarks: rings, watchlist screening, Splink duplicates over N registrations.

Generates a synthetic population (planted duplicates and the OIG-scale
address ring: 358 people, 266 surnames per million) and a 20,000-name list
(the real OFAC individuals and aliases, padded to size by recombining the
list's own surnames and given names, so the padding has a list's name mix).
Runs the pure engines (no database) and prints time and peak RSS.

    .venv/bin/python bench/bench_integrity.py --n 1000000 --parts rings,screen,dedupe
    .venv/bin/python bench/bench_integrity.py --n 1000000 --parts screen --stream
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

import polars as pl

from garita.integrity.core import Person
from garita.integrity.dedupe import duplicate_pairs, precision_recall
from garita.integrity.lists import parse_ofac
from garita.integrity.names import ListName, NameIndex, normalise
from garita.integrity.rings import Thresholds, keyed, rings, shared_attributes
from garita.integrity.scoring import Frequencies
from garita.integrity.synth import population
from garita.integrity.workers import screen_parallel, screen_shards

OFAC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ofac" / "2021-04-25"


def rss_mb() -> float:
    """Peak resident set of this process or its largest worker, MB."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def watchlist(size: int, registered: list[str] = ()) -> NameIndex:
    names: list[ListName] = []
    if (OFAC / "sdn.csv").exists():
        read = lambda f: (OFAC / f).read_text(encoding="latin-1")  # noqa: E731
        for i, e in enumerate(parse_ofac(read("sdn.csv"), read("alt.csv"), read("add.csv"))):
            if e.entry_type == "individual":
                names += [ListName(i, n, norm, tuple(e.dates_of_birth), tuple(e.countries), a)
                          for n, norm, a, _ in e.names()]
    rng = random.Random(3)  # pad by recombining listed surnames and given names
    lasts = [n.name.split(", ")[0] for n in names if ", " in n.name] or ["DOE"]
    firsts = [n.name.split(", ")[1] for n in names if ", " in n.name] or ["John"]
    for k in range(max(0, size - len(names))):
        full = f"{rng.choice(lasts)}, {rng.choice(firsts)}"
        names.append(ListName(100_000 + k, full, normalise(full),
                              (f"{rng.randrange(1940, 2000)}",), ()))
    names = names[:size]
    # part frequencies from the list and the registrations, as the screening job has them
    freq = Frequencies().add(n.normalised for n in names).add(map(normalise, registered))
    return NameIndex(names, frequencies=freq)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--list-size", type=int, default=20_000)
    ap.add_argument("--parts", default="rings,screen,dedupe")
    ap.add_argument("--workers", type=int, default=2, help="screening processes (2 cores here)")
    ap.add_argument("--stream", action="store_true",
                    help="screen: count each shard's hits and drop them (screen_shards) "
                         "instead of holding every hit (screen_parallel)")
    args = ap.parse_args()
    parts = args.parts.split(",")
    t0 = time.perf_counter()
    df = population(args.n, seed=5)
    print(f"population {args.n:,} rows: {time.perf_counter() - t0:.1f} s, RSS {rss_mb():.0f} MB")
    if "rings" in parts:
        t0 = time.perf_counter()
        k = keyed(df)  # normalised address, phone and email keys, once for both passes
        shared = shared_attributes(k, Thresholds())
        ring_table = rings(k, Thresholds())
        top = shared["address"].row(0, named=True)
        print(f"rings: {time.perf_counter() - t0:.2f} s; flagged addresses "
              f"{shared['address'].height} (top {top['people']} people, "
              f"{top['surname_count']} surnames, {len(top['ports'])} ports), rings "
              f"{ring_table.height}; peak RSS {rss_mb():.0f} MB")
    if "screen" in parts:
        t0 = time.perf_counter()
        people = [Person(r[0], r[1], f"{r[2]} {r[3]}", r[4], r[5]) for r in df.select(
            "person_id", "registration_id", "given_names", "family_names", "date_of_birth",
            "nationality").iter_rows()]
        idx = watchlist(args.list_size, [p.name for p in people])
        t1 = time.perf_counter()
        if args.stream:
            hits = 0
            for part in screen_shards(idx, people, 0.70, workers=args.workers):
                hits += len(part)
        else:
            hits = len(screen_parallel(idx, people, 0.70, workers=args.workers))
        t2 = time.perf_counter()
        print(f"screen: list {len(idx.names):,} names built in {t1 - t0:.1f} s; "
              f"{len(people):,} people screened in {t2 - t1:.1f} s "
              f"({len(people) / (t2 - t1):,.0f}/s, {args.workers} workers"
              f"{', streamed' if args.stream else ''}), {hits:,} hits >= 0.70; "
              f"peak RSS {rss_mb():.0f} MB")
    if "dedupe" in parts:
        t0 = time.perf_counter()
        pairs = duplicate_pairs(df, threshold=0.50)
        t1 = time.perf_counter()
        for cut in (0.50, 0.90):
            pr = precision_recall(pairs.filter(pl.col("probability") >= cut), df)
            print(f"dedupe (Splink/DuckDB): {t1 - t0:.1f} s; at {cut}: precision "
                  f"{pr['precision']:.4f}, recall {pr['recall']:.4f} "
                  f"({pr['true_positives']:,}/{pr['true_pairs']:,}); peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    pl.Config.set_tbl_rows(5)
    main()
