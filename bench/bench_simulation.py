"""The whole scheme simulated (2023-01-12 → 2025-01-20) through the engines: time and memory.

Target (DESIGN §5): ≥ 1 M registrations, ≈ 530,000 appointments a year, ≤ 2 min on
this 2-core machine, peak memory ≤ 4 GB. Prints the wall and CPU time of the run,
the peak resident size of the process, the volumes, and a yardstick measured in the
same process just before: the draw core on 1,000,000 requests over 8 ports (DESIGN §5
target ≤ 2 s), and the load average (the machine is shared).

    .venv/bin/python bench/bench_simulation.py [--scenario FILE] [--end 2025-01-20]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", type=str, default=None)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args()
    chosen = scenarios.load(args.scenario) if args.scenario else scenarios.Scenario()
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
    for day, n in summary["cumulative_appointments"].items():
        err = summary["error_vs_published"].get(day)
        print(f"  cumulative appointments {day}: {n:,}"
              + ("" if err is None else f" ({err:+.1%} vs published)"))


if __name__ == "__main__":
    main()
