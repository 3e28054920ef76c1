"""Benchmark the pure draw core on one realistic day.

1,000,000 requests over the 8 ports (demand shaped like the places), group
sizes 1-10 skewed towards singles, 1,450 places in 10 slots per port on the
appointment day plus 6 freed places per port on the next day (1,498 in all), share 0.3.

Run: .venv/bin/python bench/bench_draw_core.py [--requests N] [--repeat R]
Prints seconds for building/validating the requests, for `draw_keys`, for the
whole `draw` (keys included), and peak RSS of the process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time

import numpy as np

from garita.draw.core import Bin, DrawRequests, allocation_digest, draw, draw_keys

PORT_PLACES = (385, 100, 100, 200, 80, 100, 105, 380)  # SYS CLX NOG ELP EGP LRD HID BRO
SIZE_WEIGHTS = (0.42, 0.20, 0.14, 0.10, 0.06, 0.03, 0.02, 0.015, 0.01, 0.005)
SEED = bytes(range(32))


def make_requests(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Columns of n requests; tickets are sequential request ids as the service would pass."""
    weights = np.array(PORT_PLACES, float) / sum(PORT_PLACES)
    sizes = np.array(SIZE_WEIGHTS) / sum(SIZE_WEIGHTS)
    start = int(dt.datetime(2023, 5, 10, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime(2024, 7, 15, tzinfo=dt.UTC).timestamp())
    return {
        "ticket": np.arange(50_000_000, 50_000_000 + n, dtype=np.uint64),
        "port": rng.choice(len(PORT_PLACES), size=n, p=weights).astype(np.int16),
        "size": rng.choice(np.arange(1, 11), size=n, p=sizes).astype(np.int16),
        "registered_at": rng.integers(start, end, size=n, dtype=np.int64),
    }


def make_bins() -> dict[int, list[Bin]]:
    """10 slots per port on the appointment day, and 3 slots with freed places the day after."""
    day, next_day = dt.date(2024, 7, 18), dt.date(2024, 7, 19)
    slots = [dt.time(7 + i) for i in range(10)]
    bins = {}
    for port, places in enumerate(PORT_PLACES):
        share, extra = divmod(places, len(slots))
        bins[port] = [Bin(day, s, share + (i < extra)) for i, s in enumerate(slots)]
        bins[port] += [Bin(next_day, slots[i], free) for i, free in enumerate((3, 1, 2))]
    return bins


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    columns = make_requests(args.requests, np.random.default_rng(20240718))
    bins = make_bins()
    t_build, requests = timed(lambda: DrawRequests(**columns), args.repeat)
    t_keys, _ = timed(lambda: draw_keys(SEED, requests.ticket), args.repeat)
    t_draw, result = timed(lambda: draw(requests, bins, 0.3, SEED), args.repeat)
    t_digest, digest = timed(lambda: allocation_digest(result), args.repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    places = sum(s.places for s in result.ports)
    allocated = sum(s.allocated for s in result.ports)
    lw = sum(s.allocated_longest_waiting for s in result.ports)
    print(f"requests {len(requests):,}  places {places:,}  allocated {allocated:,} "
          f"(longest-waiting {lw:,})  winners {len(result):,}")
    print(f"median of {args.repeat}:")
    print(f"  DrawRequests (validate) {t_build:8.3f} s")
    print(f"  draw_keys               {t_keys:8.3f} s")
    print(f"  draw (keys included)    {t_draw:8.3f} s")
    print(f"  allocation_digest       {t_digest:8.3f} s")
    print(f"  peak RSS                {peak_mb:8.0f} MB")
    print(f"digest {digest}")


if __name__ == "__main__":
    main()
