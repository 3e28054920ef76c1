"""Is the lottery blind? Selection rates by attribute and chi-square tests. Pure.

Only the *random* tier is tested: the longest-waiting tier selects by
registration date on purpose, so its winners differ from the pool by design.
The random tier's pool is every request not taken by the longest-waiting
tier; a request is "selected" if it won in the random tier.

Places per request differ between ports by design (capacity vs demand), and
the mix of nationalities, languages and origins differs between ports, so a
pooled table would flag the port, not the draw. Each attribute is therefore
tested *within each port* (`scipy.stats.chi2_contingency`, attribute value ×
selected/not), values with fewer than `MIN_EXPECTED` expected winners pooled
into "(other)" so the chi-square approximation holds. The port itself is
reported with its test but never flagged (by design).

Multiple tests: Holm-Bonferroni over every test in the report, so the chance
of flagging anything in a fair draw stays at most ``alpha`` (family-wise).
Group size must not matter under the ``group-fair`` rule (a request's own
size never decides its selection), so a group-size flag is a real finding; in
draws made under ``first-fit`` large groups lost by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

ATTRIBUTES = ("nationality", "group_size", "language", "origin_state", "port")
MIN_EXPECTED = 5.0
NOTES = {"port": "places per request differ between ports by design; never flagged",
         "group_size": "should never be flagged under the group-fair rule; draws before it "
                       "(first-fit) skipped groups larger than the places left"}


@dataclass
class Test:
    attribute: str
    port: str | None
    chi2: float
    dof: int
    p_value: float
    p_adjusted: float = 1.0
    flagged: bool = False


@dataclass
class Report:
    alpha: float
    draws: int
    pool: int
    selected: int
    rates: dict[str, list[dict]]
    tests: list[Test] = field(default_factory=list)

    @property
    def flagged(self) -> list[Test]:
        return [t for t in self.tests if t.flagged]

    def as_dict(self) -> dict:
        return {"tier": "random", "alpha": self.alpha, "correction": "holm-bonferroni",
                "draws": self.draws, "pool": self.pool, "selected": self.selected,
                "notes": NOTES, "rates": self.rates,
                "tests": [t.__dict__ for t in self.tests],
                "flagged": [f"{t.attribute} at {t.port or 'all ports'} (p={t.p_adjusted:.3g})"
                            for t in self.flagged]}


def random_pool(frame: pl.DataFrame) -> pl.DataFrame:
    """Requests that took part in the random tier, with ``selected`` = won there."""
    return (frame.filter(pl.col("tier").is_null() | (pl.col("tier") != "longest_waiting"))
            .with_columns(selected=pl.col("tier") == "random")
            .with_columns(pl.col("selected").fill_null(False)))


def rates(pool: pl.DataFrame, attribute: str) -> list[dict]:
    out = (pool.group_by(attribute).agg(requests=pl.len(), selected=pl.col("selected").sum())
           .with_columns(rate=pl.col("selected") / pl.col("requests"))
           .sort("requests", descending=True))
    return [{"value": None if r[attribute] is None else str(r[attribute]),
             "requests": r["requests"], "selected": r["selected"], "rate": r["rate"]}
            for r in out.iter_rows(named=True)]


def chi_square(pool: pl.DataFrame, attribute: str) -> tuple[float, int, float] | None:
    """(chi2, dof, p) of attribute × selected, sparse values pooled; None if untestable."""
    counts = (pool.with_columns(pl.col(attribute).cast(pl.String).fill_null("(none)"))
              .group_by(attribute).agg(n=pl.len(), k=pl.col("selected").sum()))
    n, k = counts["n"].to_numpy().astype(float), counts["k"].to_numpy().astype(float)
    if n.sum() == 0 or k.sum() in (0, n.sum()):
        return None
    expected = n * k.sum() / n.sum()
    small = expected < MIN_EXPECTED
    if small.any():
        n = np.r_[n[~small], n[small].sum()]
        k = np.r_[k[~small], k[small].sum()]
    keep = n > 0
    n, k = n[keep], k[keep]
    if n.size < 2:
        return None
    from scipy.stats import chi2_contingency  # ~60 MB: loaded only when a report runs

    stat, p, dof, _ = chi2_contingency(np.column_stack([k, n - k]), correction=False)
    return float(stat), int(dof), float(p)


def holm(p_values: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (hand-written: six lines, no statsmodels needed)."""
    order = np.argsort(p_values)
    m, adjusted, running = len(p_values), [1.0] * len(p_values), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def report(frame: pl.DataFrame, alpha: float = 0.05) -> Report:
    """Frame columns: day, port, tier (winner's tier or null), and the `ATTRIBUTES`."""
    pool = random_pool(frame)
    out = Report(alpha=alpha, draws=frame["day"].n_unique() if frame.height else 0,
                 pool=pool.height, selected=int(pool["selected"].sum()) if pool.height else 0,
                 rates={a: rates(pool, a) for a in ATTRIBUTES})
    for attribute in ATTRIBUTES:
        strata = [(None, pool)] if attribute == "port" else \
            [(p, pool.filter(pl.col("port") == p)) for p in sorted(pool["port"].unique())]
        for port, part in strata:
            result = chi_square(part, attribute)
            if result is not None:
                out.tests.append(Test(attribute, port, *result))
    for test, p in zip(out.tests, holm([t.p_value for t in out.tests]), strict=True):
        test.p_adjusted = p
        test.flagged = p < alpha and test.attribute != "port"
    return out
