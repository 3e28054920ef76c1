"""Figures from a generated frame's truth: duplicates, blocking, rings.

Pure functions of (what an engine returned, the generated frame); the
benchmark prints them and the suite asserts them on a small sample.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl


def true_pairs(df: pl.DataFrame) -> pl.DataFrame:
    """person_id_l < person_id_r of every planted pair, with the re-registration's changes."""
    d = df.select("person_id", "identity", "changes")
    j = d.join(d, on="identity", suffix="_r").filter(pl.col("person_id") < pl.col("person_id_r"))
    return j.select(pl.col("person_id").alias("person_id_l"), "person_id_r",
                    pl.concat_str([pl.col("changes"), pl.col("changes_r")], separator="")
                    .alias("changes"))


def blocking_completeness(prepared: pl.DataFrame, conditions: list[str],
                          truth: pl.DataFrame) -> float:
    """Share of planted pairs that meet at least one blocking rule (SQL over ``l``, ``r``)."""
    import duckdb

    if truth.is_empty():
        return 1.0
    con = duckdb.connect()
    con.register("p", prepared.to_arrow())
    con.register("t", truth.select("person_id_l", "person_id_r").to_arrow())
    any_rule = " OR ".join(f"({c})" for c in conditions)
    sql = (f"SELECT avg(CASE WHEN {any_rule} THEN 1.0 ELSE 0.0 END) FROM t "
           "JOIN p AS l ON l.unique_id = t.person_id_l JOIN p AS r ON r.unique_id = t.person_id_r")
    return float(con.sql(sql).fetchall()[0][0])


def duplicate_scores(pairs: pl.DataFrame, df: pl.DataFrame) -> dict:
    """Precision, recall, recall by number of changes and by change kind."""
    truth = true_pairs(df)
    found = pairs.select(pl.min_horizontal("person_id_l", "person_id_r").alias("person_id_l"),
                         pl.max_horizontal("person_id_l", "person_id_r").alias("person_id_r"))
    hit = truth.join(found, on=["person_id_l", "person_id_r"], how="semi")
    tp = hit.height
    out: dict[str, Any] = {
        "pairs_found": found.height, "true_pairs": truth.height, "true_positives": tp,
        "precision": tp / found.height if found.height else 1.0,
        "recall": tp / truth.height if truth.height else 1.0}
    kinds = [c.split(",") for c in truth["changes"].to_list()]
    got = set(zip(hit["person_id_l"].to_list(), hit["person_id_r"].to_list(), strict=True))
    keys = list(zip(truth["person_id_l"].to_list(), truth["person_id_r"].to_list(), strict=True))
    by_count: Counter = Counter()
    by_count_hit: Counter = Counter()
    by_kind: Counter = Counter()
    by_kind_hit: Counter = Counter()
    for key, ks in zip(keys, kinds, strict=True):
        ks = [k for k in ks if k]
        by_count[len(ks)] += 1
        by_count_hit[len(ks)] += key in got
        for k in ks:
            by_kind[k] += 1
            by_kind_hit[k] += key in got
    out["by_changes"] = {n: (by_count_hit[n], by_count[n]) for n in sorted(by_count)}
    out["by_kind"] = {k: (by_kind_hit[k], by_kind[k]) for k in sorted(by_kind)}
    return out


def ring_scores(df: pl.DataFrame, ring_table: pl.DataFrame, first_small: int = 7) -> dict:
    """How planted rings came out: detected rings per big address, small rings flagged.

    A planted ring is *flagged* when one detected ring holds all its
    registrations; the seven big addresses should each be exactly one ring.
    """
    planted = (df.filter(pl.col("planted_ring") >= 0).group_by("planted_ring")
               .agg(pl.col("registration_id").unique()))
    members = {} if ring_table.is_empty() else {
        rid: i for i, regs in enumerate(ring_table["registrations"].to_list()) for rid in regs}
    split, flagged = {}, {}
    for ring, regs in planted.iter_rows():
        found = {members.get(r) for r in regs}
        split[ring] = len(found - {None}) + (1 if None in found else 0)
        flagged[ring] = None not in found and len(found) == 1
    big = [r for r in split if r < first_small]
    small = [r for r in split if r >= first_small]
    return {"big_addresses": len(big), "big_rings_found": sum(split[r] for r in big),
            "big_whole": sum(flagged[r] for r in big), "small_rings": len(small),
            "small_flagged": sum(flagged[r] for r in small)}
