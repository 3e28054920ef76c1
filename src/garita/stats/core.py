"""Pure rules of the statistics: fiscal years, one source per region and month, partial
years, disagreements between sources, small-cell suppression. No I/O."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MONTHS_IN_YEAR = 12


def fiscal_year(month: dt.date) -> int:
    """U.S. federal fiscal year of a calendar month: FY2024 runs October 2023 - September 2024."""
    return month.year + 1 if month.month >= 10 else month.year


def month_label(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


@dataclass(frozen=True)
class Covered:
    """A dataset holds figures for this region and month."""

    dataset: str
    region: str
    month: dt.date


def choose_sources(coverage: Iterable[Covered], priority: Sequence[str]
                   ) -> dict[tuple[str, dt.date], str]:
    """One dataset per (region, month): the first of ``priority`` that covers it.

    Datasets not in ``priority`` are never chosen (they cannot report the asked
    dimensions). Reading one source per region and month is what keeps the
    Southwest border, present in every CBP file, from being counted twice.

    >>> m = dt.date(2024, 1, 1)
    >>> choose_sources([Covered("b", "SW", m), Covered("a", "SW", m)], ["a", "b"])
    {('SW', datetime.date(2024, 1, 1)): 'a'}
    """
    rank = {d: i for i, d in enumerate(priority)}
    chosen: dict[tuple[str, dt.date], str] = {}
    for c in coverage:
        if c.dataset not in rank:
            continue
        key = (c.region, c.month)
        if key not in chosen or rank[c.dataset] < rank[chosen[key]]:
            chosen[key] = c.dataset
    return chosen


def partial_years(months: Iterable[tuple[str, dt.date]]) -> set[int]:
    """Fiscal years for which some region is covered for fewer than twelve months
    (the current year, published as FYTD, or a year the imported files cut)."""
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for region, month in months:
        seen[(region, fiscal_year(month))].add(month.month)
    return {fy for (_, fy), got in seen.items() if len(got) < MONTHS_IN_YEAR}


@dataclass(frozen=True)
class Disagreement:
    region: str
    month: dt.date
    totals: dict[str, int]  # dataset -> encounters
    components: dict[str, dict[str, int]]  # dataset -> component -> encounters, where published


def disagreements(totals: Iterable[tuple[str, str, dt.date, str | None, int]]
                  ) -> list[Disagreement]:
    """Every region and month that two or more datasets hold with different figures,
    in total or (where both publish it) by component.

    ``totals`` are rows (dataset, region, month, component or None, encounters).
    """
    total: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(dict)
    split: dict[tuple[str, dt.date], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(dict))
    for dataset, region, month, component, n in totals:
        key = (region, month)
        total[key][dataset] = total[key].get(dataset, 0) + n
        if component is not None:
            split[key][dataset][component] = split[key][dataset].get(component, 0) + n
    out = []
    for key in sorted(total):
        by_dataset = total[key]
        if len(by_dataset) < 2:
            continue
        splits = {d: dict(c) for d, c in split[key].items()}
        if len(set(by_dataset.values())) > 1 or len({tuple(sorted(c.items()))
                                                     for c in splits.values()}) > 1:
            out.append(Disagreement(key[0], key[1], dict(sorted(by_dataset.items())), splits))
    return out


def suppress(value: int, threshold: int) -> int | None:
    """A public cell's value, or None when it is positive but under ``threshold``
    (small counts can point at a person; zero reveals no one)."""
    return None if 0 < value < threshold else value
