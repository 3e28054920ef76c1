"""Integrity on data the engines were not tuned on: the independent evaluation's tables.

Screening: the real OFAC individuals (``../shared/data/ofac``), each varied
one way at a time, and a multinational population on no list, screened
with dates of birth and nationalities known and with names only.
Duplicates: planted re-registrations with 1-3 real-world changes.
Rings: 2,000 people at the 7 ring addresses, each written several ways,
and smaller rings of 8-20 registrations.

    .venv/bin/python bench/bench_evaluation.py --people 20000 --listed 2000
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import polars as pl

from garita.integrity.core import Person, screen_batch
from garita.integrity.evaluation import measure
from garita.integrity.evaluation.people import population
from garita.integrity.evaluation.screening import Listed, innocents, listed_queries, rates
from garita.integrity.lists import parse_ofac
from garita.integrity.names import ListName, NameIndex, normalise
from garita.integrity.scoring import Frequencies

OFAC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ofac" / "2021-04-25"


def load_list() -> tuple[list, list[Listed]]:
    read = lambda f: (OFAC / f).read_text(encoding="latin-1")  # noqa: E731
    entries = [e for e in parse_ofac(read("sdn.csv"), read("alt.csv"), read("add.csv"))
               if e.entry_type == "individual"]
    listed = []
    for i, e in enumerate(entries):
        if ", " in e.name:
            family, given = e.name.split(", ", 1)
            listed.append(Listed(i, tuple(given.split()), tuple(family.title().split()),
                                 tuple(e.dates_of_birth), tuple(e.countries)))
    return entries, listed


def index_of(entries: list, registered: list[str]) -> NameIndex:
    """The list's names, part frequencies from the list and the registrations (as the job)."""
    names = [ListName(i, n, norm, tuple(e.dates_of_birth), tuple(e.countries), alias, weak)
             for i, e in enumerate(entries) for n, norm, alias, weak in e.names()]
    freq = Frequencies().add(n.normalised for n in names).add(map(normalise, registered))
    return NameIndex(names, frequencies=freq)


def screening(people: int, listed_n: int, threshold: float) -> None:
    entries, listed = load_list()
    innocent = innocents(people)
    queries = listed_queries(listed, sample=listed_n)
    t0 = time.perf_counter()
    idx = index_of(entries, [n for _, n, _, _ in innocent] + [q[2] for q in queries])
    print(f"index: {len(idx.names):,} list names in {time.perf_counter() - t0:.1f} s")
    for mode in ("dob+nationality", "names only"):
        full = mode == "dob+nationality"
        ppl = [Person(i, i, n, d if full else None, nat if full else None)
               for i, (_, n, d, nat) in enumerate(innocent)]
        t0 = time.perf_counter()
        hits = screen_batch(idx, ppl, threshold)
        alerted = {p.person_id for p, _ in hits}
        r = rates([(o, i in alerted) for i, (o, _, _, _) in enumerate(innocent)])
        print(f"\ninnocent people alerted, {mode} ({time.perf_counter() - t0:.1f} s):")
        for g, (a, n) in r.items():
            print(f"  {g:16s} {a:6,} / {n:6,} = {a / n:6.2%}")
        top = sorted(hits, key=lambda h: -h[1]["score"])[:5]
        for p, h in top:
            print(f"    e.g. {p.name!r} -> {h['listed_name']!r} {h['score']:.2f}")
        qs = [Person(100_000 + k, 0, q[2], q[3] if full else None, q[4] if full else None)
              for k, q in enumerate(queries)]
        hits = screen_batch(idx, qs, threshold)
        own = {(p.person_id, h["entry_id"]) for p, h in hits}
        r = rates([(q[0], (100_000 + k, q[1]) in own) for k, q in enumerate(queries)])
        print(f"listed people alerted for their own entry, {mode}:")
        for g, (a, n) in r.items():
            print(f"  {g:22s} {a:6,} / {n:6,} = {a / n:6.2%}")


def duplicates(n: int) -> None:
    from garita.integrity.dedupe import blocking_conditions, duplicate_pairs, prepare

    df = population(n, seed=7, duplicate_rate=0.1)
    truth = measure.true_pairs(df)
    print(f"\nduplicates: {n:,} people, {truth.height:,} planted pairs")
    print(f"  blocking pair completeness "
          f"{measure.blocking_completeness(prepare(df), blocking_conditions(), truth):.4f}")
    t0 = time.perf_counter()
    pairs = duplicate_pairs(df, threshold=0.5)
    print(f"  Splink {time.perf_counter() - t0:.1f} s")
    for cut in (0.7, 0.8, 0.9, 0.95):
        s = measure.duplicate_scores(pairs.filter(pl.col("probability") >= cut), df)
        by = ", ".join(f"{k} change{'s' if k > 1 else ''} {a / b:.3f}"
                       for k, (a, b) in s["by_changes"].items())
        print(f"  at {cut}: precision {s['precision']:.3f}, recall {s['recall']:.3f} ({by})")
        if cut == 0.9:
            for k, (a, b) in s["by_kind"].items():
                print(f"      {k:24s} {a:5,} / {b:5,} = {a / b:.3f}")


def rings_figures(n: int) -> None:
    from garita.integrity.rings import Thresholds, rings

    df = population(n, seed=7, duplicate_rate=0.0, ring_people=2000, small_rings=50)
    t0 = time.perf_counter()
    table = rings(df, Thresholds())
    s = measure.ring_scores(df, table)
    print(f"\nrings ({time.perf_counter() - t0:.2f} s): the 7 addresses came out as "
          f"{s['big_rings_found']} rings ({s['big_whole']} whole); rings of 8-20 registrations "
          f"flagged whole {s['small_flagged']} / {s['small_rings']}; rings found in all "
          f"{table.height}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--listed", type=int, default=2_000)
    ap.add_argument("--dedupe", type=int, default=20_000)
    ap.add_argument("--threshold", type=float, default=0.70)
    ap.add_argument("--parts", default="screen,dedupe,rings")
    args = ap.parse_args()
    logging.disable(logging.WARNING)  # Splink's training narrative
    if "screen" in args.parts:
        screening(args.people, args.listed, args.threshold)
    if "dedupe" in args.parts:
        duplicates(args.dedupe)
    if "rings" in args.parts:
        rings_figures(args.people)


if __name__ == "__main__":
    main()
