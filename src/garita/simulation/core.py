"""What a run measures, as pure functions over its columns (no I/O, no database).

The daily series becomes a table with cumulative columns; each registration's fate
becomes waiting-time distributions by nationality, origin, group size and port; the
summary holds the figures a policy maker compares (and the calibration checks).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

CUMULATIVE = ("appointments", "arrivals", "riders", "moved")
GROUPINGS = ("nationality", "origin", "origin_kind", "group_size", "port")


def daily_frame(columns: dict[str, list]) -> pl.DataFrame:
    """The daily series with zeros for days without a draw and running totals."""
    frame = pl.DataFrame(columns, infer_schema_length=None).sort("date")
    counts = [c for c, t in frame.schema.items() if t.is_integer()]
    frame = frame.with_columns(pl.col(counts).fill_null(0))
    return frame.with_columns(
        [pl.col(c).cum_sum().alias(f"cumulative_{c}") for c in CUMULATIVE if c in frame.columns])


def cumulative_at(frame: pl.DataFrame, dates: list[dt.date],
                  column: str = "cumulative_appointments") -> dict[str, int]:
    """The running total on each date (the last simulated day's, for later dates)."""
    out = {}
    days, totals = frame["date"].to_list(), frame[column].to_list()
    for when in dates:
        upto = [t for d, t in zip(days, totals, strict=True) if d <= when]
        out[when.isoformat()] = int(upto[-1]) if upto else 0
    return out


def waiting_frame(registered_day: np.ndarray, appointment_day: np.ndarray,
                  attributes: dict[str, np.ndarray], size: np.ndarray) -> pl.DataFrame:
    """Waiting days from registration to appointment, one row per registration that got
    one (persons as weights), with the attributes to group by."""
    got = appointment_day >= 0
    return pl.DataFrame({
        "waiting_days": (appointment_day[got] - registered_day[got]).astype(np.int32),
        "persons": size[got].astype(np.int32),
        **{name: values[got] for name, values in attributes.items()},
    })


def waiting_table(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    """Per value of ``by``: registrations served, persons, mean/median/90th-percentile days."""
    return (frame.group_by(by).agg(
        pl.len().alias("registrations"), pl.col("persons").sum().alias("persons"),
        pl.col("waiting_days").mean().round(1).alias("mean_days"),
        pl.col("waiting_days").median().alias("median_days"),
        pl.col("waiting_days").quantile(0.9, "nearest").alias("p90_days"))
        .sort(by).with_columns(pl.col(by).cast(pl.String)).rename({by: "value"})
        .with_columns(pl.lit(by).alias("by")).select("by", "value", "registrations", "persons",
                                                     "mean_days", "median_days", "p90_days"))


def waiting_bands(frame: pl.DataFrame, band_days: int = 30) -> pl.DataFrame:
    """The waiting-time distribution: registrations and persons served per band of
    ``band_days`` days from registration to appointment (``band``: its first day)."""
    return (frame.with_columns((pl.col("waiting_days") // band_days * band_days)
                               .cast(pl.Int32).alias("band"))
            .group_by("band").agg(pl.len().alias("registrations"),
                                  pl.col("persons").sum().alias("persons"))
            .sort("band"))


def dead_zone(ever_refused: np.ndarray, ever_eligible: np.ndarray, moved: np.ndarray,
              size: np.ndarray) -> dict[str, int]:
    """People who asked from an ineligible place: never eligible, and how many moved."""
    never = ever_refused & ~ever_eligible
    return {"asked_from_ineligible_registrations": int(ever_refused.sum()),
            "never_eligible_registrations": int(never.sum()),
            "never_eligible_persons": int(size[never].sum()),
            "moved_registrations": int(moved.sum()),
            "moved_persons": int(size[moved].sum())}


def corridor_figures(frame: pl.DataFrame) -> dict[str, float | dict[str, float]]:
    """Riders, buses per week and seat use over the weeks the buses ran."""
    ran = frame.filter(pl.col("buses") > 0).sort("date")
    if ran.is_empty():
        return {"riders": 0, "buses": 0, "buses_per_week": 0.0, "seat_use": 0.0,
                "buses_per_week_by_hub": {}}
    dates = ran["date"].to_list()
    weeks = max(((dates[-1] - dates[0]).days + 1) / 7, 1.0)
    buses, seats = int(ran["buses"].sum()), int(ran["bus_seats"].sum())
    hubs = {c.removeprefix("buses_hub_"): round(int(ran[c].fill_null(0).sum()) / weeks, 2)
            for c in sorted(frame.columns) if c.startswith("buses_hub_")}
    return {"riders": int(ran["riders"].sum()), "buses": buses,
            "buses_per_week": round(buses / weeks, 2),
            "seat_use": round(int(ran["riders"].sum()) / seats, 3) if seats else 0.0,
            "buses_per_week_by_hub": hubs}


def errors(simulated: dict[str, int], published: dict[dt.date, int]) -> dict[str, float]:
    """Relative error (simulated / published − 1) on each published date simulated."""
    return {d.isoformat(): round(simulated[d.isoformat()] / n - 1, 4)
            for d, n in published.items() if d.isoformat() in simulated}


def mean_in(frame: pl.DataFrame, column: str, start: dt.date, end: dt.date) -> int | None:
    """Mean of a daily column over [start, end), rounded (e.g. requests per day in May
    2023); None when the run does not cover those days."""
    part = frame.filter((pl.col("date") >= start) & (pl.col("date") < end))[column]
    return round(float(part.mean())) if len(part) else None  # type: ignore[arg-type]
