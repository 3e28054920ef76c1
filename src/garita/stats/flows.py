"""Garita's own flows by day, week, month and fiscal year: requests to outcomes, the
corridor and integrity alerts, by port, nationality, origin state and group size.

Read straight from the other features' tables with SQLAlchemy Core (named below,
columns only): statistics sit on top of every feature and only read, and the
brief for this layer allows aggregate SQL here rather than a read function in
each feature's ``service``. The database groups each measure by day and the four
dimensions; Polars rolls the days up into the asked period (distinct requesters
are counted per period, never summed over days). Public cells under the
threshold (``GARITA_STATS_MIN_CELL``) are suppressed.
"""

from __future__ import annotations

import json

import polars as pl
from sqlalchemy import Date, cast, column, func, literal, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from garita.errors import Invalid

PERIODS = ("day", "week", "month", "fiscal_year")
FLOW_DIMENSIONS = ("port", "nationality", "origin_state", "group_size")

request = table("daily_request", column("id"), column("registration_id"), column("service_date"),
                column("port"), column("group_size"), column("state"))
registration = table("registration", column("id"), column("lead_nationality"))
draw = table("draw", column("service_date"), column("summary"))
offer = table("offer", column("id"), column("request_id"), column("registration_id"),
              column("port"), column("persons"), column("status"), column("appointment_date"))
checkin = table("port_checkin", column("offer_id"), column("day"))
outcome = table("port_outcome", column("offer_id"), column("person_id"), column("revision"),
                column("outcome"))
person = table("person", column("id"), column("nationality"))
seat = table("corridor_seat_request", column("offer_id"), column("persons"), column("status"))
bus = table("corridor_bus", column("departs_at"), column("status"))
alert = table("alert", column("kind"), column("status"), column("raised_at"))

CONFIRMED = ("confirmed", "attended", "no_show")
#: Counts of things, not of people: never suppressed.
NOT_PEOPLE = ("draws", "places", "corridor_buses")


def _group(day, *, nationality=None, size=None, measure, value):
    """Columns of one measure's day-level rows (request-linked dimensions)."""
    return [day.label("day"), request.c.port.label("port"),
            (nationality if nationality is not None else registration.c.lead_nationality)
            .label("nationality"), request.c.state.label("origin_state"),
            (size if size is not None else request.c.group_size).label("group_size"),
            literal(measure).label("measure"), value.label("value")]


def _request_linked(session: Session) -> list[dict]:
    """Requests, offers, confirmations, lapses, no-shows, arrivals, outcomes, riders:
    each joined to its request (port, origin state, size) and registration."""
    base = request.join(registration, registration.c.id == request.c.registration_id)
    with_offer = base.join(offer, offer.c.request_id == request.c.id)
    current = (select(outcome.c.offer_id, outcome.c.person_id,
                      func.max(outcome.c.revision).label("revision"))
               .group_by(outcome.c.offer_id, outcome.c.person_id).subquery())
    queries = [
        (base, _group(request.c.service_date, measure="requests", value=func.count()), None),
        (with_offer, _group(request.c.service_date, measure="offers", value=func.count()), None),
        (with_offer, _group(request.c.service_date, measure="confirmations",
                            value=func.count()), offer.c.status.in_(CONFIRMED)),
        (with_offer, _group(request.c.service_date, measure="lapses", value=func.count()),
         offer.c.status == "lapsed"),
        (with_offer, _group(offer.c.appointment_date, measure="no_shows", value=func.count()),
         offer.c.status == "no_show"),
        (with_offer.join(checkin, checkin.c.offer_id == offer.c.id),
         _group(checkin.c.day, measure="arrivals", value=func.count()), None),
        (with_offer.join(checkin, checkin.c.offer_id == offer.c.id),
         _group(checkin.c.day, measure="arrived_persons", value=func.sum(offer.c.persons)),
         None),
        (with_offer.join(seat, seat.c.offer_id == offer.c.id),
         _group(offer.c.appointment_date, measure="corridor_riders",
                value=func.sum(seat.c.persons)), seat.c.status == "assigned"),
    ]
    rows: list[dict] = []
    for source, cols, where in queries:
        q = select(*cols).select_from(source)
        if where is not None:
            q = q.where(where)
        rows += [r._asdict() for r in session.execute(q.group_by(*cols[:5]))]
    # outcomes: the current revision of each person's decision, by the person's nationality
    src = (with_offer.join(current, current.c.offer_id == offer.c.id)
           .join(outcome, (outcome.c.offer_id == current.c.offer_id)
                 & (outcome.c.person_id == current.c.person_id)
                 & (outcome.c.revision == current.c.revision))
           .join(person, person.c.id == outcome.c.person_id))
    cols = _group(offer.c.appointment_date, nationality=person.c.nationality,
                  measure="outcome", value=func.count())
    kind = outcome.c.outcome
    for r in session.execute(select(*cols, kind).select_from(src).group_by(*cols[:5], kind)):
        rows.append({**r._asdict(), "measure": f"outcome:{r.outcome}"})
    return rows


def _unlinked(session: Session) -> list[dict]:
    """Measures with no request behind them: draws and places, buses, alerts."""
    rows: list[dict] = []
    for day, summary in session.execute(select(draw.c.service_date, draw.c.summary)):
        rows.append({"day": day, "measure": "draws", "value": 1})
        summary = json.loads(summary) if isinstance(summary, str) else summary  # SQLite: text
        for port, figures in (summary or {}).items():
            rows.append({"day": day, "port": port, "measure": "places",
                         "value": int(figures.get("places", 0))})
    day = _date(session, bus.c.departs_at)
    for r in session.execute(select(day, func.count()).where(bus.c.status == "planned")
                             .group_by(day)):
        rows.append({"day": r[0], "measure": "corridor_buses", "value": r[1]})
    day = _date(session, alert.c.raised_at)
    for r in session.execute(select(day, alert.c.kind, alert.c.status, func.count())
                             .group_by(day, alert.c.kind, alert.c.status)):
        rows.append({"day": r[0], "measure": f"alerts:{r[1]}:{r[2]}", "value": r[3]})
    return rows


def _date(session: Session, stamp: ColumnElement) -> ColumnElement:
    """The UTC date of a stored timestamp (SQLite keeps ISO text with its offset)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(stamp)
    return cast(func.timezone("UTC", stamp), Date)


def _requesters(session: Session) -> pl.DataFrame:
    q = (select(request.c.service_date.label("day"), request.c.port,
                registration.c.lead_nationality.label("nationality"),
                request.c.state.label("origin_state"), request.c.group_size,
                request.c.registration_id)
         .select_from(request.join(registration,
                                   registration.c.id == request.c.registration_id)).distinct())
    return _frame([r._asdict() for r in session.execute(q)], extra={"registration_id": pl.Int64})


def _frame(rows: list[dict], extra: dict | None = None) -> pl.DataFrame:
    schema = {"day": pl.Date, "port": pl.String, "nationality": pl.String,
              "origin_state": pl.String, "group_size": pl.Int64, "measure": pl.String,
              "value": pl.Int64, **(extra or {})}
    data = [{k: str(r["day"]) if k == "day" else r.get(k) for k in schema} for r in rows]
    frame = pl.DataFrame(data, schema={k: (pl.String if k == "day" else v)
                                       for k, v in schema.items()}, orient="row")
    return frame.with_columns(pl.col("day").str.slice(0, 10).str.to_date())


def _secondary(table_: pl.DataFrame) -> pl.DataFrame:
    """Where a breakdown hides exactly one cell of a period and measure, hide its smallest
    other positive cell too: the total without dimensions is public, and total minus
    the shown cells would give the hidden one back. (One level only: a table crossing
    several dimensions can still leak through its other margins; keep public breakdowns
    to one dimension, as the open-data tables do.)"""
    group = ["period", "measure"]
    open_ = pl.when(~pl.col("suppressed") & (pl.col("value") > 0)).then(pl.col("value"))
    return (table_.with_columns(pl.col("suppressed").sum().over(group).alias("_hidden"),
                                open_.alias("_open"))
            .with_columns((pl.col("suppressed") | ((pl.col("_hidden") == 1)
                                                   & (pl.col("_open") == pl.col("_open")
                                                      .min().over(group)).fill_null(False)))
                          .alias("suppressed"))
            .drop("_hidden", "_open"))


def period_key(period: str) -> pl.Expr:
    day = pl.col("day")
    if period == "day":
        return day.dt.strftime("%Y-%m-%d")
    if period == "week":
        return day.dt.strftime("%G-W%V")
    if period == "month":
        return day.dt.strftime("%Y-%m")
    fy = day.dt.year() + (day.dt.month() >= 10).cast(pl.Int32)
    return pl.lit("FY") + fy.cast(pl.String)


def flows(session: Session, period: str, by: list[str], min_cell: int) -> list[dict]:
    """Every measure per period and dimension; a positive count of people or groups under
    ``min_cell`` is replaced by None with ``suppressed`` true (and, in a breakdown, one
    more cell where a single hidden one could be recovered from the total: see
    ``_secondary``). A measure that lacks a dimension (places have no nationality)
    shows it as None."""
    if period not in PERIODS:
        raise Invalid(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")
    dims = [d.strip() for d in by if d.strip()]
    unknown = [d for d in dims if d not in FLOW_DIMENSIONS]
    if unknown or len(set(dims)) != len(dims):
        raise Invalid(f"cannot group flows by {', '.join(dims)}: use distinct dimensions among "
                      f"{', '.join(FLOW_DIMENSIONS)}")
    facts = _frame(_request_linked(session) + _unlinked(session))
    keys = ["period", *dims, "measure"]
    summed = (facts.with_columns(period_key(period).alias("period"))
              .group_by(keys).agg(pl.col("value").sum()))
    requesters = (_requesters(session).with_columns(period_key(period).alias("period"))
                  .group_by(["period", *dims]).agg(pl.col("registration_id").n_unique()
                                                   .alias("value"))
                  .with_columns(pl.lit("unique_requesters").alias("measure"))
                  .select(keys + ["value"]))
    table_ = pl.concat([summed.select(keys + ["value"]), requesters.cast(summed.schema)])
    table_ = table_.sort(keys, nulls_last=True).with_columns(
        ((pl.col("value") > 0) & (pl.col("value") < min_cell)
         & ~pl.col("measure").is_in(NOT_PEOPLE)).alias("suppressed"))
    if dims:
        table_ = _secondary(table_)
    return table_.with_columns(pl.when(pl.col("suppressed")).then(None)
                               .otherwise(pl.col("value")).alias("value")).to_dicts()
