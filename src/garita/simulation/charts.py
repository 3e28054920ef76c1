"""A simulation run's charts for the statistics pages, in the reader's language.

Vega-Lite specifications made with Altair, as the statistics charts are, drawn in the
browser by the Vega scripts the app serves. Each chart reads one or two runs (a colour
per run, for a comparison): cumulative appointments against the published figures,
the waiting-time distribution, the corridor's buses and seat use per week, and the
dead zone (people waiting where the geofence refuses them, and those who moved). The
daily series is thinned to one point a week so the page stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import altair as alt
import polars as pl

from garita.simulation.scenario import PUBLISHED
from garita.simulation.service import RunFiles
from garita.web.i18n import N_

#: The charts in page order: name and title (marked for the catalogues).
CHARTS = (("cumulative", N_("Cumulative appointments, and the published figures")),
          ("waiting", N_("How long people waited, registration to appointment")),
          ("buses", N_("Corridor buses per week")),
          ("seat_use", N_("Corridor seat use per week")),
          ("dead_zone", N_("The dead zone: people waiting where they cannot ask")))
WIDTH, HEIGHT = 640, 240


def _same(message: str) -> str:
    return message


def weekly(daily: pl.DataFrame) -> pl.DataFrame:
    """Per week (starting Monday): sums of the day counts, the last of the running ones."""
    have = set(daily.columns)
    sums = [c for c in ("appointments", "buses", "riders", "bus_seats") if c in have]
    last = [c for c in ("cumulative_appointments", "cumulative_moved", "waiting_ineligible",
                        "waiting_persons") if c in have]
    return (daily.sort("date").group_by_dynamic("date", every="1w")
            .agg([pl.col(c).sum() for c in sums] + [pl.col(c).last() for c in last]))


def _rows(frame: pl.DataFrame, run: str) -> list[dict]:
    return frame.with_columns(pl.col("date").cast(pl.String),
                              pl.lit(run).alias("run")).to_dicts()


def charts(runs: Sequence[RunFiles], say: Callable[[str], str] = _same) -> dict[str, dict]:
    """Every chart's specification by name; a chart whose data no run has is left out."""
    weeks = [(r.name, weekly(r.daily)) for r in runs]
    colour = alt.Color("run:N", title=say(N_("run")))
    out = {"cumulative": _cumulative(weeks, colour, say)}
    bands = [(r.name, r.waiting_days) for r in runs if r.waiting_days is not None]
    if bands:
        out["waiting"] = _waiting(bands, colour, say)
    corridor = [(name, w.filter(pl.col("buses") > 0)) for name, w in weeks
                if "buses" in w.columns]
    if any(not w.is_empty() for _, w in corridor):
        out["buses"], out["seat_use"] = _corridor(corridor, colour, say)
    out["dead_zone"] = _dead_zone(weeks, colour, say)
    return {name: out[name] for name, _ in CHARTS if name in out}


def _cumulative(weeks: list[tuple[str, pl.DataFrame]], colour: alt.Color,
                say: Callable[[str], str]) -> dict:
    rows = [r for name, w in weeks for r in _rows(w.select("date", "cumulative_appointments"),
                                                  name)]
    days: list[dt.date] = [d for _, w in weeks for d in w["date"].to_list()]
    first, last = min(days), max(days)
    published = [{"date": d.isoformat(), "persons": n} for d, n in PUBLISHED.items()
                 if first <= d <= last + dt.timedelta(days=7)]
    x = alt.X("date:T", title=say(N_("date")))
    lines = alt.Chart(alt.Data(values=rows)).mark_line().encode(
        x=x, y=alt.Y("cumulative_appointments:Q", title=say(N_("appointments (persons)"))),
        color=colour, tooltip=["run:N", "date:T", "cumulative_appointments:Q"])
    marks = alt.Chart(alt.Data(values=published)).mark_point(
        shape="diamond", size=90, color="black", filled=True).encode(
        x=x, y="persons:Q", tooltip=[alt.Tooltip("persons:Q", title=say(N_("published")))])
    return alt.layer(lines, marks).properties(
        title=say(N_("Cumulative appointments (black: published)")), width=WIDTH,
        height=HEIGHT).to_dict()


def _waiting(bands: list[tuple[str, pl.DataFrame]], colour: alt.Color,
             say: Callable[[str], str]) -> dict:
    rows = [r | {"run": name} for name, b in bands for r in b.to_dicts()]
    return alt.Chart(alt.Data(values=rows)).mark_bar(opacity=0.7).encode(
        x=alt.X("band:Q", bin=alt.Bin(step=30),
                title=say(N_("days from registration to appointment"))),
        y=alt.Y("persons:Q", stack=None, title=say(N_("persons served"))),
        color=colour, tooltip=["run:N", "band:Q", "persons:Q"],
    ).properties(title=say(N_("Waiting time, in 30-day bands")), width=WIDTH,
                 height=HEIGHT).to_dict()


def _corridor(corridor: list[tuple[str, pl.DataFrame]], colour: alt.Color,
              say: Callable[[str], str]) -> tuple[dict, dict]:
    rows = [r for name, w in corridor for r in _rows(
        w.select("date", "buses", "riders", "bus_seats").with_columns(
            (pl.col("riders") / pl.col("bus_seats")).round(3).alias("seat_use")), name)]
    x = alt.X("date:T", title=say(N_("week")))
    buses = alt.Chart(alt.Data(values=rows)).mark_line(point=True).encode(
        x=x, y=alt.Y("buses:Q", title=say(N_("buses"))), color=colour,
        tooltip=["run:N", "date:T", "buses:Q", "riders:Q"],
    ).properties(title=say(N_("Corridor buses per week")), width=WIDTH, height=HEIGHT)
    use = alt.Chart(alt.Data(values=rows)).mark_line(point=True).encode(
        x=x, y=alt.Y("seat_use:Q", title=say(N_("seats taken")), axis=alt.Axis(format="%"),
                     scale=alt.Scale(domain=[0, 1])),
        color=colour, tooltip=["run:N", "date:T", alt.Tooltip("seat_use:Q", format=".1%")],
    ).properties(title=say(N_("Corridor seat use per week")), width=WIDTH, height=HEIGHT)
    return buses.to_dict(), use.to_dict()


def _dead_zone(weeks: list[tuple[str, pl.DataFrame]], colour: alt.Color,
               say: Callable[[str], str]) -> dict:
    series = {"waiting_ineligible": say(N_("waiting in an ineligible place")),
              "cumulative_moved": say(N_("moved to a border city (registrations, total)"))}
    rows = [{"date": r["date"], "run": r["run"], "series": label, "count": r[column]}
            for name, w in weeks for r in _rows(w, name)
            for column, label in series.items() if column in r]
    return alt.Chart(alt.Data(values=rows)).mark_line().encode(
        x=alt.X("date:T", title=say(N_("date"))), y=alt.Y("count:Q", title=say(N_("count"))),
        color=colour, strokeDash=alt.StrokeDash("series:N", title=None,
                                                legend=alt.Legend(orient="bottom")),
        tooltip=["run:N", "series:N", "date:T", "count:Q"],
    ).properties(title=say(N_("The dead zone")), width=WIDTH, height=HEIGHT).to_dict()
