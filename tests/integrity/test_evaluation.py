"""The independent evaluation on a small sample (full figures: bench/bench_evaluation.py).

The generator (``integrity.evaluation``) was written apart from the engines
and ``synth.py``; the bounds here are the issue's targets, loosened only by
what a small sample's noise needs (noted per assertion).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from garita.integrity.core import Person, screen_batch
from garita.integrity.evaluation import measure
from garita.integrity.evaluation.people import population
from garita.integrity.evaluation.screening import innocents, listed_queries
from kit import SHARED_DATA

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_evaluation import index_of, load_list


@pytest.fixture(scope="module")
def ofac() -> tuple:
    if not (SHARED_DATA / "ofac" / "2021-04-25" / "sdn.csv").exists():
        pytest.skip(f"the OFAC list is not in {SHARED_DATA / 'ofac'}")
    return load_list()


def test_screening_alerts_few_innocents_and_finds_the_listed(ofac: tuple) -> None:
    entries, listed = ofac
    registered = innocents(20_000, seed=21)  # part frequencies come from all registrations
    innocent = registered[::13]  # ~1,500 of them screened
    queries = listed_queries(listed, seed=22, sample=150)
    idx = index_of(entries, [n for _, n, _, _ in registered] + [q[2] for q in queries])
    for full, max_false, min_recall in ((True, 0.02, 0.97), (False, 0.05, 0.95)):
        people = [Person(i, i, n, d if full else None, nat if full else None)
                  for i, (_, n, d, nat) in enumerate(innocent)]
        false = len({p.person_id for p, _ in screen_batch(idx, people, 0.70)}) / len(people)
        asked = [Person(k, 0, q[2], q[3] if full else None, q[4] if full else None)
                 for k, q in enumerate(queries)]
        own = {(p.person_id, h["entry_id"]) for p, h in screen_batch(idx, asked, 0.70)}
        recall = sum((k, q[1]) in own for k, q in enumerate(queries)) / len(queries)
        # targets 2 % / 5 % false and 98 % found; 150 listed people: one miss is 0.7 %
        assert false <= max_false and recall >= min_recall, (full, false, recall)


def test_duplicates_under_real_changes() -> None:
    from garita.integrity.dedupe import blocking_conditions, duplicate_pairs, prepare

    df = population(6000, seed=31, duplicate_rate=0.1)
    truth = measure.true_pairs(df)
    assert measure.blocking_completeness(prepare(df), blocking_conditions(), truth) >= 0.95
    got = measure.duplicate_scores(duplicate_pairs(df, threshold=0.90), df)
    two = got["by_changes"][2]
    # targets 0.95 / 0.85 / 0.70 at 20,000 people (docs/benchmarks.md); ~600 planted pairs here
    assert got["precision"] >= 0.93 and got["recall"] >= 0.80 and two[0] / two[1] >= 0.70, got


def test_rings_survive_address_spelling() -> None:
    from garita.integrity.rings import Thresholds, rings

    df = population(3000, seed=41, duplicate_rate=0.0, ring_people=700, small_rings=12)
    got = measure.ring_scores(df, rings(df, Thresholds()))
    assert got["big_rings_found"] == got["big_whole"] == 7
    assert got["small_flagged"] / got["small_rings"] >= 0.90
    assert df.filter(pl.col("planted_ring") >= 7)["registration_id"].n_unique() >= 12 * 8
