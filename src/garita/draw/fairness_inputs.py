"""Load the requests of drawn days with the attributes the fairness report tests.

Reads the registrations table in the query (nationality and language of the
lead); origin state is where the request was made from.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.draw.models import Draw
from garita.offers.models import Offer
from garita.registrations.models import Registration
from garita.requests.models import DailyRequest

COLUMNS = {"day": pl.Date, "port": pl.String, "tier": pl.String, "nationality": pl.String,
           "group_size": pl.Int64, "language": pl.String, "origin_state": pl.String}


def load(session: Session, start: dt.date, end: dt.date) -> pl.DataFrame:
    """One row per request on a drawn day in [start, end]."""
    query = (select(DailyRequest.service_date, DailyRequest.port, Offer.tier,
                    Registration.lead_nationality, DailyRequest.group_size,
                    Registration.language, DailyRequest.state)
             .join(Draw, Draw.service_date == DailyRequest.service_date)
             .join(Registration, Registration.id == DailyRequest.registration_id)
             .outerjoin(Offer, Offer.request_id == DailyRequest.id)
             .where(DailyRequest.service_date.between(start, end)))
    return pl.DataFrame(session.execute(query).all(), schema=COLUMNS, orient="row")
