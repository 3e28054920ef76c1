"""The corridor as it was run: one departure a week per hub (the fit to ~3 buses a week
from Tapachula), planned as the corridor service plans, and the buses counted per hub."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from pydantic import ValidationError

from garita.simulation import core, engine
from garita.simulation.scenario import Scenario, timeline

CORRIDOR_OPENS = dt.date(2024, 8, 30)


def _corridor(scenario: Scenario):
    return next(v.policy.corridor for v in timeline(scenario)
                if v.effective_from == CORRIDOR_OPENS)


def test_the_default_runs_one_departure_a_week_and_an_empty_map_keeps_the_policys_days():
    assert {h.name: h.departure_days for h in _corridor(Scenario()).hubs} == {
        "Tapachula": [0], "Villahermosa": [0]}
    shipped = _corridor(Scenario(corridor_departure_days={}))
    assert all(h.departure_days == list(range(7)) for h in shipped.hubs)
    one = _corridor(Scenario(corridor_departure_days={"Tapachula": [2, 5]}))
    assert {h.name: h.departure_days for h in one.hubs} == {
        "Tapachula": [2, 5], "Villahermosa": list(range(7))}


def test_a_weekday_outside_monday_to_sunday_is_refused_with_the_fix():
    with pytest.raises(ValidationError, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        Scenario(corridor_departure_days={"Tapachula": [7]})
    with pytest.raises(ValidationError, match="at least one day"):
        Scenario(corridor_departure_days={"Tapachula": []})


def test_buses_leave_only_on_the_scenarios_days_and_never_carry_more_than_their_seats():
    scenario = Scenario(name="corridor-month", start=dt.date(2024, 9, 2),
                        end=dt.date(2024, 10, 14), report_dates=[dt.date(2024, 10, 14)],
                        corridor_departure_days={"Tapachula": [0], "Villahermosa": [3]})
    daily = core.daily_frame(engine.simulate(scenario).daily)
    ran = daily.filter(pl.col("buses") > 0)
    assert not ran.is_empty()
    tapachula = ran.filter(pl.col("buses_hub_Tapachula").fill_null(0) > 0)["date"].to_list()
    villahermosa = ran.filter(pl.col("buses_hub_Villahermosa").fill_null(0) > 0)["date"]
    assert tapachula and {d.weekday() for d in tapachula} == {0}
    assert {d.weekday() for d in villahermosa.to_list()} <= {3}
    assert (ran["riders"] <= ran["bus_seats"]).all()
    per_hub = ran.select(pl.sum_horizontal(pl.col("^buses_hub_.*$").fill_null(0)))
    assert per_hub.to_series().to_list() == ran["buses"].to_list()
    figures = core.corridor_figures(daily)
    assert sum(figures["buses_per_week_by_hub"].values()) == pytest.approx(
        figures["buses_per_week"], abs=0.02)
