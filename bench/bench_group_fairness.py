"""Selection rate by group size and port, under both draw rules, at the real 2024 capacities.

Method (the simulation is shared with tests/draw/test_group_fair.py, `group_sim`):
each simulated day every port gets requests whose persons are 8 × its places (the
policy in force on 2024-07-01: 1,450 places, 10 slots, longest-waiting share 0.3);
group sizes 30 % singles, 6 % each of 2-6, 10 % each of 7-10; random registration
times, so both tiers take part; a new seed per day. A request's selection rate is
winners ÷ requests of its size at its port. The ratio column is the rate of groups
of 7-10 over singles' with its standard error (delta method).

Run: .venv/bin/python bench/bench_group_fairness.py [--days N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "draw"))
from group_sim import simulate

from garita.draw.core import FIRST_FIT, GROUP_FAIR
from garita.policy.ports import PORT_CODES


def table(rule: str, days: int) -> None:
    t0 = time.perf_counter()
    tally = simulate(days, rule)
    took = time.perf_counter() - t0
    print(f"\n{rule}: {days} days in {took:.1f} s; selection rate (%) by group size")
    print("| port | " + " | ".join(str(s) for s in range(1, 11))
          + " | 7-10 ÷ 1 (± se) |")
    print("|---" * 12 + "|")
    for port, code in [*enumerate(PORT_CODES), (None, "all")]:
        rates = [100 * tally.rate(port, range(s, s + 1)) for s in range(1, 11)]
        ratio, se = tally.ratio_and_se(port)
        print(f"| {code} | " + " | ".join(f"{r:.1f}" for r in rates)
              + f" | {ratio:.3f} ± {se:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=600)
    args = parser.parse_args()
    for rule in (GROUP_FAIR, FIRST_FIT):
        table(rule, args.days)


if __name__ == "__main__":
    main()
