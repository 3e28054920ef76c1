"""Offer and confirmation payloads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from garita.geo.schemas import Location
from garita.policy.ports import port
from garita.policy.schemas import LocalTime


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
    slot: LocalTime
    confirm_deadline: dt.datetime
    status: str
    request_id: int | None = None
    ticket: str | None = Field(default=None, description="Ticket of the request this answers.")

    # pydantic's documented pattern for a computed field (mypy does not know it)
    @computed_field(description="The appointment as an ISO 8601 instant on the port's clock "  # type: ignore[prop-decorator]
                                "(its offset included): appointment_date and slot are the "
                                "port's local date and time.")
    @property
    def appointment_at(self) -> dt.datetime:
        return dt.datetime.combine(self.appointment_date, self.slot,
                                   tzinfo=port(self.port).zone)
