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


def test_a_population_with_nothing_alike_is_reported_not_crashed() -> None:
    import datetime as dt

    import polars as pl
    import pytest

    from garita.integrity.dedupe import ModelNotTrainable

    df = population(60, seed=3, duplicate_rate=0.0)
    # every person born on a different day: no pair agrees on name and date of birth
    df = df.with_columns(pl.Series("date_of_birth",
                                   [dt.date(1950, 1, 1) + dt.timedelta(days=400 * i)
                                    for i in range(df.height)]))
    with pytest.raises(ModelNotTrainable, match="could not be trained"):
        duplicate_pairs(df, threshold=0.90)


def test_no_pair_above_the_threshold_is_an_empty_frame() -> None:
    """DuckDB 2 hands back an Arrow reader with no batch for an empty result (Polars
    refused it: 'Must pass schema, or at least one RecordBatch')."""
    df = population(200, seed=3, duplicate_rate=0.05)
    pairs = duplicate_pairs(df, threshold=0.99999999)
    assert pairs.height == 0
    assert pairs.columns == ["person_id_l", "person_id_r", "probability"]
