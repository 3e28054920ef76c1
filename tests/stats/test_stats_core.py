"""Pure rules: fiscal years, one source per region and month, partial years, suppression."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from garita.stats import core
from garita.stats.formats import DATASETS, MONTHS, SOUTHWEST, recognise, supports

months = st.builds(lambda y, m: dt.date(y, m, 1), st.integers(2000, 2030), st.integers(1, 12))
covered = st.lists(st.builds(core.Covered, st.sampled_from(["a", "b", "c"]),
                             st.sampled_from(["SW", "N"]), months), max_size=40)


@given(covered, st.permutations(["a", "b", "c"]))
def test_one_source_per_region_month_and_the_highest_ranked(coverage, priority):
    chosen = core.choose_sources(coverage, priority)
    assert set(chosen) == {(c.region, c.month) for c in coverage}
    for (region, month), dataset in chosen.items():
        held = {c.dataset for c in coverage if (c.region, c.month) == (region, month)}
        assert dataset == min(held, key=priority.index)


@given(covered)
def test_datasets_outside_the_priority_are_never_read(coverage):
    assert "c" not in core.choose_sources(coverage, ["a", "b"]).values()


@given(months)
def test_fiscal_year_starts_in_october(month):
    fy = core.fiscal_year(month)
    assert dt.date(fy - 1, 10, 1) <= month <= dt.date(fy, 9, 1)


def test_a_year_is_partial_until_every_region_has_twelve_months():
    year = [dt.date(2023, 10, 1)] + [dt.date(2024, m, 1) for m in range(1, 10)] + [
        dt.date(2023, 11, 1), dt.date(2023, 12, 1)]
    assert core.partial_years([("SW", m) for m in year]) == set()
    assert core.partial_years([("SW", m) for m in year] + [("N", year[0])]) == {2024}
    assert core.partial_years([("SW", m) for m in year[:-1]]) == {2024}


@given(st.integers(0, 10_000), st.integers(1, 50))
def test_suppression_hides_only_small_positive_cells(value, threshold):
    out = core.suppress(value, threshold)
    assert out is None if 0 < value < threshold else out == value


def test_recognition_and_dimensions():
    sw = DATASETS[SOUTHWEST]
    assert recognise(["\ufeffFiscal Year", *list(sw.columns)[1:]]) is sw
    assert recognise(list(sw.columns)[:-1]) is None
    aor = DATASETS["nationwide_aor"]
    grouped = [c.replace("Citizenship", "Citizenship Grouping") for c in aor.columns]
    assert recognise(grouped) is aor  # the two spellings CBP has used
    assert supports(sw, ["fiscal_year", "component", "region"])
    assert not supports(sw, ["state"]) and not supports(DATASETS["nationwide_state"],
                                                        ["component"])
    assert len(MONTHS) == 12


def test_one_hidden_cell_in_a_breakdown_hides_the_next_smallest():
    import polars as pl

    from garita.stats.flows import _secondary

    t = pl.DataFrame({"period": ["m"] * 4 + ["n"] * 2, "measure": ["requests"] * 6,
                      "port": ["A", "B", "C", "D", "A", "B"], "value": [3, 40, 25, 0, 4, 6],
                      "suppressed": [True, False, False, False, True, True]})
    out = _secondary(t)
    # m: only A was hidden, so C (the smallest positive shown) goes too; D is zero
    assert out["suppressed"].to_list() == [True, False, True, False, True, True]
