"""The fairness report: flags a lottery that favours a nationality, passes a fair one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from garita.draw.fairness import holm, report

NATIONALITIES = np.array(["VEN", "CUB", "HTI", "MEX", "HND"])
PORTS = np.array(["SYS", "ELP", "BRO"])


def _population(n: int, rng: np.random.Generator) -> pl.DataFrame:
    port = rng.choice(PORTS, n, p=[0.5, 0.2, 0.3])
    # nationality mix differs by port, as in life: a pooled test would confound the two
    nat = np.where(port == "SYS", rng.choice(NATIONALITIES, n, p=[.5, .1, .2, .1, .1]),
                   rng.choice(NATIONALITIES, n, p=[.2, .4, .1, .2, .1]))
    return pl.DataFrame({
        "day": [dt.date(2024, 9, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 5, n)],
        "port": port, "nationality": nat,
        "group_size": rng.choice([1, 2, 3, 4], n, p=[.5, .25, .15, .1]),
        "language": rng.choice(["es", "en", "ht", "pt"], n),
        "origin_state": rng.choice(["Baja California", "Chihuahua", "Tamaulipas", ""], n),
    }).with_columns(pl.col("origin_state").replace("", None))


def _select(frame: pl.DataFrame, rng: np.random.Generator, favour: str | None) -> pl.DataFrame:
    """Longest-waiting winners (5 %), then a lottery: rate differs by port, and — if
    ``favour`` is set — a broken lottery that gives that nationality 3x the odds."""
    n = frame.height
    base = np.select([frame["port"] == "SYS", frame["port"] == "ELP"], [0.04, 0.08], 0.06)
    odds = base * np.where(frame["nationality"].to_numpy() == favour, 3.0, 1.0)
    lw = rng.random(n) < 0.05
    won = ~lw & (rng.random(n) < odds)
    tier = np.where(lw, "longest_waiting", np.where(won, "random", ""))
    return frame.with_columns(tier=pl.Series(tier).replace("", None))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fair_lottery_is_not_flagged(seed):
    rng = np.random.default_rng(seed)
    out = report(_select(_population(40_000, rng), rng, favour=None))
    assert out.flagged == [], [t.__dict__ for t in out.flagged]
    assert out.pool > 30_000 and out.selected > 1_000 and out.draws == 5
    assert any(t.attribute == "port" for t in out.tests)  # reported, by design never flagged


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_biased_lottery_is_flagged_for_the_right_attribute(seed):
    rng = np.random.default_rng(seed)
    out = report(_select(_population(40_000, rng), rng, favour="HTI"))
    flagged = {t.attribute for t in out.flagged}
    assert flagged == {"nationality"}
    hti = next(r for r in out.rates["nationality"] if r["value"] == "HTI")
    ven = next(r for r in out.rates["nationality"] if r["value"] == "VEN")
    assert hti["rate"] > 2 * ven["rate"]
    assert out.as_dict()["correction"] == "holm-bonferroni"


def test_holm_matches_the_textbook_example():
    # p = (0.01, 0.04, 0.03, 0.005), m = 4: sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1, monotone
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_empty_period_reports_nothing():
    empty = pl.DataFrame(schema={"day": pl.Date, "port": pl.String, "tier": pl.String,
                                 "nationality": pl.String, "group_size": pl.Int64,
                                 "language": pl.String, "origin_state": pl.String})
    out = report(empty)
    assert out.tests == [] and out.pool == 0 and out.draws == 0
