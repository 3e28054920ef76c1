"""The whole scheme simulated (2023-01-12 → 2025-01-20) through the engines: time and memory.

Target (DESIGN §5): ≥ 1 M registrations, ≈ 530,000 appointments a year, ≤ 2 min on
this 2-core machine, peak memory ≤ 4 GB. Prints the wall and CPU time of the run,
the peak resident size of the process, the volumes, and a yardstick measured in the
same process just before: the draw core on 1,000,000 requests over 8 ports (DESIGN §5
target ≤ 2 s), and the load average (the machine is shared).

    .venv/bin/python bench/bench_simulation.py [--scenario FILE] [--end 2025-01-20]
    .venv/bin/python bench/bench_simulation.py --full-capacity

Two different "a year" figures: the record (the calibrated default scenario averages
466,870 appointments a year over the whole scheme; ~477,000 were made from 2024-01-31
to 2025-01-20) and the capacity (1,450 places a day × 365 ≈ 529,250, DESIGN §3), which
DESIGN §5's "≈ 530 k appointments" names. ``--full-capacity`` runs the latter through
the engines: one year at 1,450 a day (2023-07-01 → 2024-06-30, every day of it under
the 1,450 policy), every place offered (``capacity_used`` 1.0) and ≥ 1 M registrations
(2,750 a day), and prints the appointments beside the capacity and the record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time

import numpy as np

from garita.draw import core
from garita.simulation import engine, output
from garita.simulation import scenario as scenarios


def yardstick() -> float:
    """The draw core on 1,000,000 requests (sizes 1-10) over 8 ports, 1,450 places."""
    rng = np.random.default_rng(1)
    n = 1_000_000
    requests = core.DrawRequests(ticket=np.arange(1, n + 1, dtype=np.uint64),
                                 port=rng.integers(0, 8, n), size=rng.integers(1, 11, n),
                                 registered_at=rng.integers(0, 400, n) * 86_400)
    bins = {p: [core.Bin(day=dt.date(2024, 7, 5), slot=dt.time(7 + i), free=18)
                for i in range(10)] for p in range(8)}
    started = time.perf_counter()
    core.draw(requests, bins, 0.3, b"yardstick")
    return time.perf_counter() - started


#: One year at 1,450 places a day: the 1,450 version is in force from 2023-06-30 on.
YEAR = (dt.date(2023, 7, 1), dt.date(2024, 6, 30))
CAPACITY_PER_DAY = 1_450
#: ≥ 1 M registrations in the year (DESIGN §5's volume): 2,750 a day × 365.
FULL_REGISTRATIONS = 2_750
#: What the record made in its last year: ~936,500 by 2025-01-20 less 459,118 by 2024-01-31.
RECORD_LAST_YEAR = 936_500 - 459_118


def full_capacity() -> scenarios.Scenario:
    """DESIGN §5's year: 1,450 places a day, every one offered, ≥ 1 M registrations."""
    demand = scenarios.Demand(
        capacity_used=1.0,
        registrations=[scenarios.RatePeriod(since=YEAR[0], per_day=FULL_REGISTRATIONS)])
    return scenarios.Scenario(
        name="full_capacity", start=YEAR[0], end=YEAR[1], demand=demand,
        report_dates=[YEAR[1]],
        description="One year at 1,450 places a day, every place offered (capacity_used 1.0).")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", type=str, default=None)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--full-capacity", action="store_true",
                        help="One year at 1,450 a day, every place offered, ≥ 1 M registrations.")
    args = parser.parse_args()
    chosen = (full_capacity() if args.full_capacity
              else scenarios.load(args.scenario) if args.scenario else scenarios.Scenario())
    if args.end is not None:
        chosen = chosen.model_copy(update={"end": args.end})
    stick = yardstick()
    load_before = os.getloadavg()[0]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    run = engine.simulate(chosen)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    daily, waiting = output.frames(run)
    summary = output.summary(run, daily, waiting)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    years = (chosen.end - chosen.start).days / 365.25
    total = int(daily["appointments"].sum())
    print(f"scenario {chosen.name}: {chosen.start} → {chosen.end} ({years:.2f} years)")
    print(f"registrations {run.registered:,} ({summary['persons_registered']:,} persons); "
          f"appointments {total:,} ({total / years:,.0f} a year); "
          f"requests drawn {int(daily['eligible_requests'].sum()):,}")
    print(f"run: wall {wall:.1f} s, CPU {cpu:.1f} s (target ≤ 120 s wall)")
    print(f"peak RSS {peak_mb:,.0f} MB (target ≤ 4,096 MB)")
    print(f"yardstick, same process: draw core on 1,000,000 requests {stick:.3f} s; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    if args.full_capacity:
        days = (chosen.end - chosen.start).days
        capacity = CAPACITY_PER_DAY * days
        print(f"full capacity: {total:,} appointments in {days} days = {total / capacity:.1%} "
              f"of the capacity, 1,450 × {days} = {capacity:,} (≈ 530 k a year, DESIGN §5); "
              f"the record's last year (2024-01-31 → 2025-01-20): ~{RECORD_LAST_YEAR:,}; "
              f"the calibrated default averages 466,870 a year")
        return
    for day, n in summary["cumulative_appointments"].items():
        err = summary["error_vs_published"].get(day)
        print(f"  cumulative appointments {day}: {n:,}"
              + ("" if err is None else f" ({err:+.1%} vs published)"))


if __name__ == "__main__":
    main()
