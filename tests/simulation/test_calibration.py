"""The default scenario against the record: cumulative appointments within 5 % of the
published figures (DESIGN §3) on each date, and the run inside the speed target's volume.

The whole scheme, 2023-01-12 → 2025-01-20: about 40 s of CPU on this machine (minutes of
wall time when the machine is shared), so it is marked ``slow``; ``make test`` runs it.
"""

from __future__ import annotations

import pytest

from garita.simulation import engine, output
from garita.simulation.scenario import PUBLISHED, Scenario


@pytest.mark.slow
def test_default_scenario_meets_the_published_figures():
    run = engine.simulate(Scenario())
    daily, waiting = output.frames(run)
    summary = output.summary(run, daily, waiting)
    for day, published in PUBLISHED.items():
        simulated = summary["cumulative_appointments"][day.isoformat()]
        assert abs(simulated / published - 1) <= 0.05, (day, simulated, published)
    assert run.registered >= 1_000_000
    per_year = int(daily["appointments"].sum()) / ((run.scenario.end - run.scenario.start).days
                                                   / 365.25)
    assert 450_000 <= per_year <= 560_000  # ≈ 530,000 a year at 1,450 a day
    # the random tier is blind to group size over the whole run (1 = equal odds)
    assert abs(summary["fairness"]["group_vs_alone_mean"] - 1) < 0.05
