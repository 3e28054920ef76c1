"""A run on disk: the daily series and waiting times as Parquet, a summary, the charts.

``DIR/daily.parquet`` (one row per day), ``DIR/waiting.parquet`` (waiting-time
distributions by nationality, origin, group size, port), ``DIR/summary.json`` (the
figures compared between runs, with the calibration errors) and ``DIR/charts/*.vl.json``
(Vega-Lite specs, made with Altair as the statistics charts are).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import altair as alt
import numpy as np
import polars as pl

from garita.policy.ports import PORT_CODES
from garita.simulation import core
from garita.simulation.engine import Run
from garita.simulation.population import KINDS
from garita.simulation.scenario import PUBLISHED

_MAY_2023 = (dt.date(2023, 5, 1), dt.date(2023, 6, 1))
_JULY_2024 = (dt.date(2024, 7, 1), dt.date(2024, 8, 1))


def frames(run: Run) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(daily series, waiting-time table) of a run."""
    frame = served(run)
    waiting = pl.concat([core.waiting_table(frame, by) for by in core.GROUPINGS])
    return core.daily_frame(run.daily), waiting


def served(run: Run) -> pl.DataFrame:
    """One row per registration that got an appointment: waiting days, persons, attributes."""
    pop = run.population
    assert pop is not None and run.appointment is not None
    reg = slice(0, run.registered)
    attributes = {
        "nationality": np.array(pop.nationalities)[pop.nationality[reg]],
        "origin": np.array([z.name for z in pop.origins])[pop.origin[reg]],
        "origin_kind": np.array(KINDS)[pop.kind[reg]],
        "group_size": pop.size[reg].astype(np.int32),
        "port": np.array(PORT_CODES)[pop.port[reg]],
    }
    return core.waiting_frame(pop.day[reg], run.appointment[reg], attributes, pop.size[reg])


def summary(run: Run, daily: pl.DataFrame, waiting: pl.DataFrame) -> dict:
    pop = run.population
    assert pop is not None and run.ever_refused is not None and run.ever_eligible is not None
    assert run.moved is not None
    reg = slice(0, run.registered)
    dates = sorted(set(run.scenario.report_dates))
    simulated = core.cumulative_at(daily, dates)
    outcome_cols = [c for c in daily.columns if c.startswith("outcome_")]
    return {
        "scenario": run.scenario.name,
        "description": run.scenario.description,
        "start": run.scenario.start.isoformat(), "end": run.scenario.end.isoformat(),
        "seed": run.scenario.seed,
        "runtime_s": round(run.runtime_s, 2),
        "registrations": run.registered,
        "persons_registered": int(pop.size[reg].sum()),
        "cumulative_appointments": simulated,
        "cumulative_arrivals": core.cumulative_at(daily, dates, "cumulative_arrivals"),
        "published_appointments": {d.isoformat(): n for d, n in PUBLISHED.items()},
        "error_vs_published": core.errors(simulated, PUBLISHED),
        "requests_per_day": {"2023-05": core.mean_in(daily, "eligible_requests", *_MAY_2023),
                             "2024-07": core.mean_in(daily, "eligible_requests", *_JULY_2024),
                             "published": {"2023-05": 80_000, "2024-07": 282_824}},
        "waiting_days_median": {row["value"]: row["median_days"]
                                for row in waiting.filter(pl.col("by") == "nationality")
                                .iter_rows(named=True)},
        "dead_zone": core.dead_zone(run.ever_refused[reg], run.ever_eligible[reg],
                                    run.moved[reg], pop.size[reg]),
        "corridor": core.corridor_figures(daily),
        "waiting_at_end": {"persons": int(daily["waiting_persons"][-1]),
                           "in_border_cities": int(daily["waiting_border_cities"][-1]),
                           "in_ineligible_places": int(daily["waiting_ineligible"][-1])},
        "fairness": {"group_vs_alone_mean": _mean(daily, "group_vs_alone"),
                     "longest_waiting_share_mean": _mean(daily, "longest_waiting_share")},
        "outcomes": {c.removeprefix("outcome_"): int(daily[c].sum()) for c in outcome_cols},
    }


def _mean(frame: pl.DataFrame, column: str) -> float | None:
    if column not in frame.columns:
        return None
    value = frame[column].fill_nan(None).mean()
    return None if value is None else round(float(value), 4)  # type: ignore[arg-type]


def charts(runs: dict[str, pl.DataFrame]) -> dict[str, dict]:
    """Vega-Lite specs over one or more runs' daily series (a colour per run)."""
    long = pl.concat([f.select("date", "cumulative_appointments", "waiting_persons",
                               "waiting_border_cities", "riders", "group_vs_alone")
                      .with_columns(pl.lit(name).alias("run")) for name, f in runs.items()])
    data = long.with_columns(pl.col("date").cast(pl.String)).to_dicts()
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("date:T", title="Date"), color=alt.Color("run:N", title="Run"))
    published = alt.Chart(alt.Data(values=[{"date": d.isoformat(), "n": n}
                                           for d, n in PUBLISHED.items()])).mark_point(
        color="black", shape="diamond", size=60).encode(x="date:T", y="n:Q")
    specs = {
        "cumulative_appointments": alt.layer(
            base.mark_line().encode(y=alt.Y("cumulative_appointments:Q",
                                            title="Appointments (persons, cumulative)")),
            published).properties(title="Cumulative appointments (black: published)"),
        "waiting": base.mark_line().encode(y=alt.Y("waiting_persons:Q",
                                                   title="Persons waiting")).properties(
            title="People waiting for an appointment"),
        "border_cities": base.mark_line().encode(y=alt.Y("waiting_border_cities:Q",
                                                         title="Persons")).properties(
            title="People waiting in border cities"),
        "fairness": base.mark_line(opacity=0.6).encode(
            y=alt.Y("group_vs_alone:Q", title="Selection rate, groups ÷ persons alone")
        ).properties(title="Random tier: groups' odds over persons alone (1 = equal)"),
    }
    return {name: chart.properties(width=640, height=260).to_dict()
            for name, chart in specs.items()}


def write(run: Run, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    daily, waiting = frames(run)
    daily.write_parquet(out / "daily.parquet")
    waiting.write_parquet(out / "waiting.parquet")
    core.waiting_bands(served(run)).write_parquet(out / "waiting_days.parquet")
    result = summary(run, daily, waiting)
    (out / "summary.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                                      "utf-8")
    (out / "scenario.json").write_text(run.scenario.model_dump_json(indent=1), "utf-8")
    write_charts(charts({run.scenario.name: daily}), out / "charts")
    return result


def write_charts(specs: dict[str, dict], directory: Path, png: bool = False) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in specs.items():
        path = directory / f"{name}.vl.json"
        path.write_text(json.dumps(spec), "utf-8")
        paths.append(path)
        if png:
            import vl_convert as vlc

            png_path = directory / f"{name}.png"
            png_path.write_bytes(vlc.vegalite_to_png(spec, scale=1.5))
            paths.append(png_path)
    return paths
