"""Duplicate identities with Splink on DuckDB: the same person under several registrations.

Names are transliterated and the family names sorted, so accents and swapped
surnames do not hide a person; short forms (Pepe, Lupe) compare by the full
name (``hypocorisms``); given and family fields written the other way round,
day and month swapped and year digits transposed each have a comparison
level of their own, typos Jaro-Winkler and Levenshtein levels. Blocking keys
are chosen to survive such a change: the first given name and first surname
in sorted order (a swap leaves them alone) with the year or the day and
month; the sounds of every name part; a name part in common, in either
field, with the date or its day/month-sorted form. Pure apart from DuckDB
running in-process.
"""

from __future__ import annotations

import logging
import tempfile
from typing import cast

import duckdb
import polars as pl
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from garita.integrity.hypocorisms import canonical
from garita.integrity.names import metaphone, normalise

logging.getLogger("splink").setLevel(logging.WARNING)


def _tokens(text: str | None) -> list[str]:
    return normalise(text or "").split()


def prepare(df: pl.DataFrame) -> pl.DataFrame:
    """One row per person with the columns the comparisons and blocking rules read.

    Besides each field as written (normalised: accents, case, hyphens), keys
    that a real change leaves alone: ``lo``/``hi`` (the first given name, by
    its full form for a short one, and the first surname, in sorted order: the
    same when the fields are swapped), ``phset`` (the sounds of every name
    part), ``dmset`` (the date with day and month in sorted order) and ``md``
    (month and day, for a mistyped year).
    """
    given = [_tokens(x) for x in df["given_names"].to_list()]
    family = [_tokens(x) for x in df["family_names"].to_list()]
    canon = [canonical(" ".join(g)) for g in given]
    first = [c.split()[0] if c else None for c in canon]
    fam1 = [f[0] if f else None for f in family]
    pair = [sorted(x for x in (a, b) if x) for a, b in zip(first, fam1, strict=True)]
    out = pl.DataFrame({
        "unique_id": df["person_id"], "registration_id": df["registration_id"],
        "given": [g[0] if g else None for g in given],
        "given_all": [" ".join(g) or None for g in given],
        "given_canon": [c or None for c in canon],
        "family": [" ".join(sorted(f)) or None for f in family],
        "family_all": [" ".join(f) or None for f in family],
        "f1": fam1, "f2": [f[1] if len(f) > 1 else None for f in family],
        "lo": [p[0] if p else None for p in pair], "hi": [p[-1] if p else None for p in pair],
        "phset": [" ".join(sorted(metaphone(t) for t in g + f)) or None
                  for g, f in zip(given, family, strict=True)],
        "date": df["date_of_birth"], "nationality": df["nationality"], "sex": df["sex"],
    })
    d = pl.col("date")
    year = d.dt.strftime("%Y")
    return out.with_columns(
        d.cast(pl.Utf8).alias("dob"), d.dt.year().alias("year"), d.dt.strftime("%m-%d").alias("md"),
        d.dt.strftime("%Y-%m").alias("ym"),
        d.dt.strftime("%Y-%d-%m").alias("dob_swapped"),
        pl.concat_str([year.str.slice(0, 2), year.str.slice(3, 1), year.str.slice(2, 1),
                       d.dt.strftime("-%m-%d")]).alias("dob_year_swapped"),
        pl.concat_str([year, pl.min_horizontal(d.dt.day(), d.dt.month()).cast(pl.Utf8),
                       pl.max_horizontal(d.dt.day(), d.dt.month()).cast(pl.Utf8)],
                      separator="-").alias("dmset"),
    ).drop("date")


JW = "jaro_winkler_similarity"
_EITHER_NAME = "(l.lo = r.lo OR l.hi = r.hi OR l.lo = r.hi OR l.hi = r.lo)"
# Pairs compared: records agreeing on every column of at least one of these (block_on),
# or meeting one of the SQL rules (a name part in common, whichever field it sits in).
BLOCKS: tuple[tuple[str, ...], ...] = (
    ("given_canon", "family"), ("lo", "hi", "year"), ("lo", "hi", "md"), ("phset", "year"),
    ("phset", "md"), ("family", "year"), ("dob", "nationality", "sex"),
    ("dmset", "nationality", "sex"),
)
SQL_BLOCKS: tuple[str, ...] = tuple(f"l.{d} = r.{d} AND {_EITHER_NAME}"
                                    for d in ("dob", "dmset", "md", "ym"))


def blocking_conditions() -> list[str]:
    """Every blocking rule as SQL over ``l`` and ``r`` (what Splink joins on), for measuring."""
    return [" AND ".join(f"l.{c} = r.{c}" for c in cols) for cols in BLOCKS] + list(SQL_BLOCKS)


# given and family fields the other way round: whole fields, or their first parts crosswise
SWAPPED = (f"({JW}(given_all_l, family_all_r) >= 0.92 "
           f"AND {JW}(family_all_l, given_all_r) >= 0.92) "
           f"OR ({JW}(given_l, f1_r) >= 0.9 AND {JW}(f1_l, given_r) >= 0.9)")


def _given() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="given", comparison_levels=[
        {"sql_condition": "given_all_l IS NULL OR given_all_r IS NULL", "is_null_level": True},
        {"sql_condition": "given_all_l = given_all_r", "label_for_charts": "same",
         "tf_adjustment_column": "given_all", "tf_adjustment_weight": 1.0},
        {"sql_condition": "given_canon_l = given_canon_r", "label_for_charts": "short form"},
        {"sql_condition": SWAPPED, "label_for_charts": "in the other's family field (swapped)"},
        {"sql_condition": "given_l = given_r", "label_for_charts": "first given name"},
        {"sql_condition": f"{JW}(given_all_l, given_all_r) >= 0.92", "label_for_charts": "typo"},
        {"sql_condition": f"{JW}(given_all_l, given_all_r) >= 0.80",
         "label_for_charts": "similar"},
        {"sql_condition": "ELSE", "label_for_charts": "different"},
    ])


def _family() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="family", comparison_levels=[
        {"sql_condition": "family_l IS NULL OR family_r IS NULL", "is_null_level": True},
        {"sql_condition": "family_l = family_r", "label_for_charts": "same surnames",
         "tf_adjustment_column": "family", "tf_adjustment_weight": 1.0},
        {"sql_condition": SWAPPED, "label_for_charts": "in the other's given field (swapped)"},
        {"sql_condition": f"{JW}(family_l, family_r) >= 0.92 OR ({JW}(f1_l, f2_r) >= 0.9 "
                          f"AND {JW}(f2_l, f1_r) >= 0.9) OR ({JW}(f1_l, f1_r) >= 0.9 "
                          f"AND {JW}(f2_l, f2_r) >= 0.9)",
         "label_for_charts": "surnames with a typo, either order"},
        {"sql_condition": "(f2_l IS NULL OR f2_r IS NULL) AND f1_l = f1_r",
         "label_for_charts": "one surname left out"},
        {"sql_condition": "f1_l IN (f1_r, f2_r) OR f2_l IN (f1_r, f2_r) "
                          f"OR {JW}(f1_l, f1_r) >= 0.88",
         "label_for_charts": "one surname shared"},
        {"sql_condition": "ELSE", "label_for_charts": "different"},
    ])


def _dob() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="dob", comparison_levels=[
        {"sql_condition": "dob_l IS NULL OR dob_r IS NULL", "is_null_level": True},
        {"sql_condition": "dob_l = dob_r", "label_for_charts": "same date"},
        {"sql_condition": "dob_l = dob_swapped_r", "label_for_charts": "day/month swapped"},
        {"sql_condition": "dob_l = dob_year_swapped_r",
         "label_for_charts": "year digits transposed"},
        {"sql_condition": "levenshtein(dob_l, dob_r) <= 1", "label_for_charts": "one digit"},
        {"sql_condition": "levenshtein(dob_l, dob_r) <= 2", "label_for_charts": "two digits"},
        {"sql_condition": "ELSE", "label_for_charts": "different"},
    ])


def _settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[_given(), _family(), _dob(), cl.ExactMatch("nationality"),
                     cl.ExactMatch("sex")],
        blocking_rules_to_generate_predictions=[
            *(block_on(*cols) for cols in BLOCKS), *(CustomRule(r) for r in SQL_BLOCKS)],
        retain_intermediate_calculation_columns=False,
    )


class ModelNotTrainable(ValueError):
    """The population gives Splink nothing to learn from (e.g. no two records agree on
    name and date of birth, so the prior match probability is 0)."""


PAIR_SCHEMA = pl.Schema({"person_id_l": pl.Int64(), "person_id_r": pl.Int64(),
                         "probability": pl.Float64()})


def _trainable(prepared: pl.DataFrame) -> str | None:
    """Why Splink could not be trained on these records, or None.

    Checked here, before Splink runs, because Splink reports an untrainable
    population only as a log(0) or through an exception class it does not
    export (``splink.internals``): the prior needs a pair agreeing on given
    name, surnames and date of birth; each EM block needs at least one pair.
    """
    blocks = {"given names, surnames and date of birth": ["given", "family", "dob"],
              "date of birth": ["dob"], "surnames and birth year": ["family", "year"]}
    for what, cols in blocks.items():
        biggest = prepared.drop_nulls(cols).group_by(cols).len().select(
            pl.col("len").max()).item()
        if (biggest or 0) < 2:
            return f"no two records share {what}"
    return None


# DuckDB's own memory cap for the comparison of blocked pairs: past it DuckDB spills
# to a temporary folder instead of growing (a million people with frequent names gave
# 6.3 GB without it). The Polars and Arrow frames around it are not counted.
DUCKDB_MEMORY_LIMIT = "1536MB"


def duplicate_pairs(df: pl.DataFrame, threshold: float = 0.95, seed: int = 1,
                    memory_limit: str = DUCKDB_MEMORY_LIMIT) -> pl.DataFrame:
    """Pairs of people (person_id_l, person_id_r, probability) judged the same person.

    m-probabilities come from expectation maximisation on two blocking rules,
    u from random pairs: no labels are needed. No pair above the threshold is
    an empty frame with the same columns.
    """
    prepared = prepare(df)
    why = _trainable(prepared)
    if why:
        raise ModelNotTrainable("the duplicate-identity model could not be trained on these "
                                f"records ({why}); no duplicates were searched")
    with tempfile.TemporaryDirectory(prefix="garita-dedupe-") as spill:
        connection = duckdb.connect(config={"memory_limit": memory_limit,
                                            "temp_directory": spill,
                                            "preserve_insertion_order": False})
        try:
            return _pairs(prepared, connection, threshold, seed)
        finally:
            connection.close()


def _pairs(prepared: pl.DataFrame, connection: duckdb.DuckDBPyConnection, threshold: float,
           seed: int) -> pl.DataFrame:
    frame = prepared.to_arrow()
    del prepared
    db = DuckDBAPI(connection)
    linker = Linker(db.register(frame), _settings())
    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given", "family", "dob")], recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
        # EM blocks stay narrow: blocking on surnames alone is ~140 M pairs at a million
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("family", "year"))
    # what _trainable cannot foresee still surfaces as Splink's log(0) on a zero prior
    except (ValueError, ZeroDivisionError) as exc:
        raise ModelNotTrainable("the duplicate-identity model could not be trained on these "
                                "records (too few look alike); no duplicates were searched") from exc
    pred = linker.inference.predict(threshold_match_probability=threshold)
    # a Table, not .arrow()'s RecordBatchReader: DuckDB 2 returns a reader with no batch
    # for an empty result, which Polars refuses ("Must pass schema, or at least one
    # RecordBatch"); a Table always carries its schema
    table = pred.as_duckdbpyrelation().select(
        "unique_id_l, unique_id_r, match_probability").to_arrow_table()
    out = cast(pl.DataFrame, pl.from_arrow(table))  # a Table gives a DataFrame
    return out.rename({"unique_id_l": "person_id_l", "unique_id_r": "person_id_r",
                       "match_probability": "probability"}).cast(PAIR_SCHEMA)


def precision_recall(pairs: pl.DataFrame, df: pl.DataFrame) -> dict:
    """Pair-level precision and recall against the ``identity`` column of a generated frame."""
    ident = dict(zip(df["person_id"].to_list(), df["identity"].to_list(), strict=True))
    tp = sum(ident[a] == ident[b] for a, b in zip(pairs["person_id_l"].to_list(),
                                                  pairs["person_id_r"].to_list(), strict=True))
    sizes = df.group_by("identity").len()["len"].to_numpy()
    truth = int((sizes * (sizes - 1) // 2).sum())
    found = pairs.height
    return {"pairs_found": found, "true_pairs": truth, "true_positives": tp,
            "precision": tp / found if found else 1.0, "recall": tp / truth if truth else 1.0}
