"""Corridor payloads: seat requests, plans, buses, permits, boarding scans."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SeatRequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    offer_id: int
    registration_id: int
    hub: str
    port: str
    appointment_at: dt.datetime
    persons: int
    children: int
    status: str
    bus_id: int | None = None
    reason: str | None = None


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: dt.date = Field(description="First departure day of the horizon (hub local date).")
    days: int = Field(default=1, ge=1, le=14, description="Days of departures to plan.")
    seconds: float = Field(default=8.0, gt=0, le=60, description="Solver time limit.")


class PlanOut(BaseModel):
    id: int
    solver: str
    status: str
    buses: int
    greedy_buses: int | None
    gap: float | None
    summary: dict


class BusOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    hub: str
    departs_at: dt.datetime
    stops: list
    seats: int
    status: str


class PermitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: str
    person_id: int
    valid_from: dt.date
    valid_until: dt.date
    route: str
    token: str


class MyBus(BaseModel):
    request: SeatRequestOut
    bus: BusOut | None = None
    permits: list[PermitOut] = []


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=2000,
                       description="A permit token (GP1…) or an appointment notice token "
                                   "(GN2:… or GN1.…).")


class ScanOut(BaseModel):
    valid: bool
    on_this_bus: bool
    boarded: bool
    message: str = Field(description="The verdict in English (the pages say `code`).")
    people: list[int] = []
    code: str = Field(default="invalid", description=(
        "The verdict as a code for a client to say in its own language with `params`: "
        "already_boarded, not_yet_boarded, other_bus (params: bus), no_seat, invalid "
        "(params: document permit|notice; reason malformed, unknown_key, bad_signature, "
        "bad_payload, not_issued, superseded (issued_at, route), out_of_dates (valid_from, "
        "valid_until)); closed_at when boarding has closed."))
    params: dict[str, str] = {}


class BusStatusIn(BaseModel):
    """The bus's next step: planned → boarding → departed → arrived."""

    status: Literal["boarding", "departed", "arrived"]


class BoardOut(BaseModel):
    bus_id: int
    person_id: int
    status: str


class DemandRow(BaseModel):
    """Seat requests (groups) and persons, live, by hub, border city, day and status."""

    hub: str
    port: str
    appointment_date: dt.date
    status: str
    groups: int
    persons: int


class BoardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: int
    status: str = Field(pattern="^(boarded|no_show)$")
