"""Duplicate identities: precision and recall on a population with planted duplicates."""

from __future__ import annotations

from garita.integrity.dedupe import duplicate_pairs, precision_recall
from garita.integrity.synth import population


def test_precision_and_recall_on_planted_duplicates() -> None:
    df = population(10_000, seed=11, duplicate_rate=0.06)
    got = precision_recall(duplicate_pairs(df, threshold=0.90), df)
    print(got)
    assert got["precision"] >= 0.95, got
    assert got["recall"] >= 0.90, got
