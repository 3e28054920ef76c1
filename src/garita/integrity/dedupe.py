"""Duplicate identities with Splink on DuckDB: the same person under several registrations.

Names are transliterated and the family names sorted, so accents and swapped
surnames do not hide a person; typos are caught by Jaro-Winkler levels and
date-of-birth slips by Levenshtein levels and a day/month swap. Blocking
needs two of (first given name, sorted family names, date of birth or its
year) to agree, so an error in one field still leaves a block to find the pair.
Pure apart from DuckDB running in-process.
"""

from __future__ import annotations

import logging

import polars as pl
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from garita.integrity.names import normalise

logging.getLogger("splink").setLevel(logging.WARNING)


def prepare(df: pl.DataFrame) -> pl.DataFrame:
    """unique_id, given (first part), given_all, family (sorted parts), dob, nationality, sex."""
    given = [normalise(x) for x in df["given_names"].to_list()]
    parts = [normalise(x).split() for x in df["family_names"].to_list()]
    family = [" ".join(sorted(p)) for p in parts]
    return pl.DataFrame({
        "unique_id": df["person_id"], "registration_id": df["registration_id"],
        "given": [g.split(" ")[0] if g else None for g in given], "given_all": given,
        "family": family, "f1": [p[0] if p else None for p in parts],
        "f2": [p[1] if len(p) > 1 else None for p in parts],
        "dob": df["date_of_birth"].cast(pl.Utf8), "year": df["date_of_birth"].dt.year(),
        "dob_swapped": df["date_of_birth"].dt.strftime("%Y-%d-%m"),
        "nationality": df["nationality"], "sex": df["sex"],
    })


# Pairs compared: records agreeing on every column of at least one of these (block_on).
BLOCKS: tuple[tuple[str, ...], ...] = (
    ("given", "family"), ("given", "dob"), ("family", "dob"), ("given_all", "year"),
    ("family", "year"),
)


def _settings() -> SettingsCreator:
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            {"sql_condition": "dob_l IS NULL OR dob_r IS NULL", "is_null_level": True},
            {"sql_condition": "dob_l = dob_r", "label_for_charts": "same date"},
            {"sql_condition": "dob_l = dob_swapped_r", "label_for_charts": "day/month swapped"},
            {"sql_condition": "levenshtein(dob_l, dob_r) <= 1", "label_for_charts": "one digit"},
            {"sql_condition": "levenshtein(dob_l, dob_r) <= 2", "label_for_charts": "two digits"},
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ])
    jw = "jaro_winkler_similarity"
    family = cl.CustomComparison(
        output_column_name="family",
        comparison_levels=[
            {"sql_condition": "family_l IS NULL OR family_r IS NULL", "is_null_level": True},
            {"sql_condition": "family_l = family_r", "label_for_charts": "same surnames"},
            {"sql_condition": f"{jw}(family_l, family_r) >= 0.92 OR ({jw}(f1_l, f2_r) >= 0.9 "
                              f"AND {jw}(f2_l, f1_r) >= 0.9) OR ({jw}(f1_l, f1_r) >= 0.9 "
                              f"AND {jw}(f2_l, f2_r) >= 0.9)",
             "label_for_charts": "surnames with a typo, either order"},
            {"sql_condition": "f1_l IN (f1_r, f2_r) OR f2_l IN (f1_r, f2_r)",
             "label_for_charts": "one surname shared"},
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ])
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_all", [0.95, 0.88, 0.75]),
            family,
            dob,
            cl.ExactMatch("nationality"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in BLOCKS],
        retain_intermediate_calculation_columns=False,
    )


class ModelNotTrainable(ValueError):
    """The population gives Splink nothing to learn from (e.g. no two records agree on
    name and date of birth, so the prior match probability is 0)."""


PAIR_SCHEMA = {"person_id_l": pl.Int64, "person_id_r": pl.Int64, "probability": pl.Float64}


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
        sizes = prepared.drop_nulls(cols).group_by(cols).len()["len"]
        if sizes.is_empty() or int(sizes.max()) < 2:
            return f"no two records share {what}"
    return None


def duplicate_pairs(df: pl.DataFrame, threshold: float = 0.95, seed: int = 1) -> pl.DataFrame:
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
    frame = prepared.to_arrow()
    db = DuckDBAPI()
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
    out = pl.from_arrow(table).rename({"unique_id_l": "person_id_l",
                                       "unique_id_r": "person_id_r",
                                       "match_probability": "probability"})
    return out.cast(PAIR_SCHEMA)


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
