"""Load the requests of drawn days with the attributes the fairness report tests.

Each feature answers for its own rows — the requests (day, port, group size,
origin state: where the request was made from), the offers (the tier won) and
the registrations (the lead's nationality and language) — and the frame is
joined here, for the drawn days only.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.draw.models import Draw
from garita.offers import service as offers
from garita.registrations import service as registrations
from garita.requests import service as day_requests

COLUMNS = {"day": pl.Date, "port": pl.String, "tier": pl.String, "nationality": pl.String,
           "group_size": pl.Int64, "language": pl.String, "origin_state": pl.String}


def load(session: Session, start: dt.date, end: dt.date) -> pl.DataFrame:
    """One row per request on a drawn day in [start, end]."""
    drawn = set(session.scalars(select(Draw.service_date)
                                .where(Draw.service_date.between(start, end))))
    rows = [r for r in day_requests.between(session, start, end) if r[1] in drawn]
    tiers = offers.tiers_of(session, [r[0] for r in rows])
    leads = registrations.lead_attributes(session, sorted({r[5] for r in rows}))
    return pl.DataFrame(
        [(day, port, tiers.get(rid), leads[reg][0], size, leads[reg][1], state)
         for rid, day, port, size, state, reg in rows], schema=COLUMNS, orient="row")
