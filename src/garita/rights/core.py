"""Pure arithmetic of the applicant's rights: the honest wait estimate and retention.

No database, settings or web code: functions over values, held by hypothesis
properties in ``tests/rights/test_wait_estimate.py``. The method is written out for
applicants and auditors in ``docs/wait-estimate.md``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class DrawDay:
    """One published draw at one port: figures anyone can read from the publication.

    ``random_requests``: requests left for the random share (all requests minus those
    selected in the longest-waiting share); ``random_selected``: selected in it;
    ``cutoff``: the registration date of the most recently registered request selected
    in the longest-waiting share (None when that share selected nobody).
    """

    day: dt.date
    random_requests: int
    random_selected: int
    cutoff: dt.date | None


@dataclass(frozen=True)
class Odds:
    """The random share's daily chance lately, as "1 in N": central (median day), and the
    range between the worst and best day of the window."""

    days: int
    one_in: float
    one_in_low: float  # the best day (smallest N)
    one_in_high: float  # the worst day (largest N)


@dataclass(frozen=True)
class Standing:
    """The longest-waiting share's progress against one registration date.

    ``within``: the share has already reached registrations this old (asking is enough);
    otherwise ``days`` (central, low, high) until it reaches it at the recent pace, or
    None when the share has not moved in the window (no honest figure)."""

    within: bool
    cutoff: dt.date | None
    pace: float | None  # registration days the cutoff advances per calendar day
    days: tuple[int, int, int] | None


@dataclass(frozen=True)
class Estimate:
    odds: Odds | None
    standing: Standing
    window: int  # draws used


def odds(days: Sequence[DrawDay]) -> Odds | None:
    """1 in N for the random share, from the days where someone asked and someone was
    selected; None without such a day (no figure rather than a made-up one)."""
    ratios = [d.random_requests / d.random_selected for d in days
              if d.random_selected > 0 and d.random_requests >= d.random_selected]
    if not ratios:
        return None
    return Odds(days=len(ratios), one_in=statistics.median(ratios), one_in_low=min(ratios),
                one_in_high=max(ratios))


def _pace(points: Sequence[tuple[dt.date, dt.date]]) -> float | None:
    """Registration days gained per calendar day between the first and last point."""
    if len(points) < 2:
        return None
    (d0, c0), (d1, c1) = points[0], points[-1]
    elapsed = (d1 - d0).days
    gained = (c1 - c0).days
    return gained / elapsed if elapsed > 0 and gained > 0 else None


def standing(days: Sequence[DrawDay], registered_on: dt.date) -> Standing:
    """Where a registration of ``registered_on`` stands in the longest-waiting share.

    The cutoff of a day is the newest registration date the share reached; the pace is
    how fast that cutoff moved over the window (whole window: central; its first and
    second halves: the range). Days to wait = registration days still to cover ÷ pace.
    """
    points = sorted((d.day, d.cutoff) for d in days if d.cutoff is not None)
    # The cutoff never goes back: a day whose share reached only older registrations
    # (few asked) does not undo progress already made.
    running: list[tuple[dt.date, dt.date]] = []
    for day, cut in points:
        running.append((day, max(cut, running[-1][1]) if running else cut))
    cutoff = running[-1][1] if running else None
    if cutoff is not None and registered_on <= cutoff:
        return Standing(within=True, cutoff=cutoff, pace=_pace(running), days=(0, 0, 0))
    pace = _pace(running)
    if pace is None or cutoff is None:
        return Standing(within=False, cutoff=cutoff, pace=None, days=None)
    gap = (registered_on - cutoff).days
    half = len(running) // 2
    paces = [p for p in (_pace(running[:half + 1]), _pace(running[half:]), pace)
             if p is not None]
    fast, slow = max(paces), min(paces)
    central = _days(gap, pace)
    return Standing(within=False, cutoff=cutoff, pace=pace,
                    days=(central, min(central, _days(gap, fast)), max(central, _days(gap, slow))))


def _days(gap: int, pace: float) -> int:
    return max(1, round(gap / pace))


def estimate(days: Sequence[DrawDay], registered_on: dt.date) -> Estimate:
    """The estimate shown on the status page: the odds and the standing."""
    return Estimate(odds=odds(days), standing=standing(days, registered_on), window=len(days))


def last_use(registered_at: dt.datetime, last_request: dt.date | None,
             last_appointment: dt.date | None) -> dt.date:
    """The day a registration was last used: what the retention period counts from."""
    return max(d for d in (registered_at.date(), last_request, last_appointment) if d is not None)


def due(last_used: dt.date, today: dt.date, retention_days: int) -> bool:
    """Is a registration last used on ``last_used`` past the retention period today?"""
    return (today - last_used).days > retention_days
