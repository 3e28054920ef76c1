"""Offer and confirmation payloads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from garita.geo.schemas import Location


class ConfirmIn(Location):
    person_id: int = Field(description="The member confirming (each member over the age).")


class OfferOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    registration_id: int
    port: str
    tier: Literal["longest_waiting", "random"]
    rank: int
    persons: int
    appointment_date: dt.date
    slot: dt.time
    confirm_deadline: dt.datetime
    status: str
    request_id: int | None = None
    ticket: str | None = Field(default=None, description="Ticket of the request this answers.")
