"""Shared by the geofence tests and bench: data paths and the historical policies.

A plain module with a unique name (not conftest.py), so ``import`` always finds this
one whatever other conftest.py files the test session has loaded.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from garita.policy.schemas import (
    AllMexico,
    EligibilityRule,
    LatitudeBand,
    Policy,
    States,
    TimeWindow,
)


def shared_data_dir() -> Path:
    """``$GARITA_SHARED_DATA``, else ``shared/data`` beside the repo checkout."""
    env = os.environ.get("GARITA_SHARED_DATA")
    if env:
        return Path(env)
    return (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()


def states_geojson() -> Path:
    """The Natural Earth states file, or skip the calling test saying why."""
    path = shared_data_dir() / "mexico_states.geojson"
    if not path.is_file():
        pytest.skip(f"{path} not found: set GARITA_SHARED_DATA to the shared/data folder")
    return path


def make_policy(eligible_area: list[EligibilityRule]) -> Policy:
    return Policy(
        port_capacity={"SYS": 385, "BRO": 380},
        request_window=TimeWindow(start=dt.time(12), end=dt.time(23, 59)),
        draw_time=dt.time(12),
        confirm_hours=23,
        longest_waiting_share=0.3,
        lead_days=14,
        slots=[dt.time(7), dt.time(8)],
        group_max=8,
        common_address_required=True,
        confirm_by="lead",
        eligible_area=eligible_area,
    )


NORTH_OF_19 = LatitudeBand(name="north of 19°N", min_lat=19.0)

# DESIGN §3: 2023-01-12 → 2024-08-22, everyone north of the 19th parallel.
POLICY_2023 = make_policy([EligibilityRule(zones=[NORTH_OF_19])])

# From 2024-08-23: non-Mexicans also in Chiapas and Tabasco; Mexicans anywhere in Mexico.
POLICY_2024 = make_policy(
    [
        EligibilityRule(
            except_nationalities=["MEX"],
            zones=[NORTH_OF_19, States(name="Chiapas, Tabasco", states=["Chiapas", "Tabasco"])],
        ),
        EligibilityRule(nationalities=["MEX"], zones=[AllMexico()]),
    ]
)

HISTORICAL = {"2023": POLICY_2023, "2024-08-23": POLICY_2024}
