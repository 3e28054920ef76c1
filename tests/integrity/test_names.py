"""Name scoring: table-driven cases that say how each variant scores, and invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garita.integrity.names import ListName, NameIndex, Query, explain, normalise

NORIEGA = ListName(1, "NORIEGA, Manuel Antonio", normalise("NORIEGA, Manuel Antonio"),
                   ("1934-02-11",), ("PAN",))


@pytest.mark.parametrize(("query", "low", "high", "how"), [
    ("NORIEGA, Manuel Antonio", 1.0, 1.0, "exact"),
    ("Manuel Antonio Noriega", 1.0, 1.0, "exact"),  # order does not matter
    ("Manuél Antonio Noriéga", 1.0, 1.0, "exact"),  # accents transliterated
    ("Manuel Antonio Noreiga", 0.95, 0.999, "jaro_winkler"),  # a transposition
    ("Manuel Noriega", 0.85, 0.95, "exact"),  # a part missing
    ("Pedro Gomez", 0.0, 0.60, None),
])
def test_name_scores(query: str, low: float, high: float, how: str | None) -> None:
    got = explain(Query(query), NORIEGA)
    assert low <= got["name_score"] <= high, got
    if how:
        assert {p["how"] for p in got["parts"]} >= {how}
    assert got["ofac_score"] == round(got["name_score"] * 100)


@pytest.mark.parametrize(("dob", "nat", "agreement", "delta"), [
    (dt.date(1934, 2, 11), "PAN", ("same date", "same"), 0.08),
    (dt.date(1934, 6, 1), None, ("same year", "unknown"), 0.02),
    (dt.date(1980, 1, 1), "VEN", ("different", "different"), -0.15),
])
def test_dob_and_country_adjust(dob: dt.date, nat: str | None, agreement: tuple,
                                delta: float) -> None:
    plain = explain(Query("Manuel Noriega"), NORIEGA)
    got = explain(Query("Manuel Noriega", dob, nat), NORIEGA)
    assert (got["date_of_birth"]["agreement"], got["country"]["agreement"]) == agreement
    assert got["score"] == pytest.approx(min(1.0, plain["score"] + delta), abs=1e-3)


def test_phonetic_part_is_reported() -> None:
    got = explain(Query("Shmidt Johan"), ListName(2, "SCHMIDT, Johann", "schmidt johann"))
    assert any(p["how"] in ("phonetic", "jaro_winkler") for p in got["parts"])
    assert got["name_score"] >= 0.9


def test_search_ties_share_rank_one() -> None:
    idx = NameIndex([ListName(5, "LOPEZ, Juan", "lopez juan"),
                     ListName(3, "LOPEZ, Juan", "lopez juan"),
                     ListName(4, "LOPEZ, Juana", "lopez juana")])
    res = idx.search(Query("Juan Lopez"))
    assert [r["entry_id"] for r in res[:2]] == [3, 5]  # equal scores: entry id breaks the tie
    assert res[0]["score"] == res[1]["score"] == 1.0


names = st.lists(st.text("abcdefghijklmnopqrstuvwxyzáéñ", min_size=2, max_size=10),
                 min_size=1, max_size=4).map(" ".join)


@given(names, names)
def test_scores_are_bounded_and_order_free(a: str, b: str) -> None:
    cand = ListName(1, b, normalise(b))
    got = explain(Query(a), cand)
    assert 0.0 <= got["score"] <= 1.0
    swapped = " ".join(reversed(a.split()))
    assert explain(Query(swapped), cand)["name_score"] == pytest.approx(got["name_score"])


@given(names)
def test_own_name_scores_one(a: str) -> None:
    assert explain(Query(a), ListName(1, a, normalise(a)))["name_score"] == 1.0
