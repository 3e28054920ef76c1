"""Request, draw, offer and status payloads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from garita.policy.schemas import PORT_CODES


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lat: float = Field(ge=-90, le=90, description="Device latitude, WGS84 degrees.")
    lon: float = Field(ge=-180, le=180, description="Device longitude, WGS84 degrees.")


class RequestIn(Location):
    port: str = Field(description=f"Port code: one of {', '.join(PORT_CODES)}.")

    @field_validator("port")
    @classmethod
    def _port(cls, v: str) -> str:
        if v.upper() not in PORT_CODES:
            raise ValueError(f"unknown port '{v}'; use one of {', '.join(PORT_CODES)}")
        return v.upper()


class RequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    registration_id: int
    service_date: dt.date
    port: str
    group_size: int
    state: str | None
    zone: str
    geo_version: str
    requested_at: dt.datetime
    ticket: str | None = Field(default=None, description=(
        "Your pseudonymous ticket in the day's published draw lists (inputs.csv, results.csv), "
        "a decimal number: find yourself there. Shown in your status."))


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


class DrawOut(BaseModel):
    service_date: dt.date
    policy_version_id: int
    seed: str
    seed_sha256: str
    ran_at: dt.datetime
    result_digest: str
    summary: dict
    committed_in_advance: bool = Field(
        default=False, description="True if the seed's SHA-256 was public before the window closed.")


class Status(BaseModel):
    """Where a registration stands today, and what to do next."""

    registration_id: int
    stage: Literal["can_request", "requested", "not_selected", "offered", "confirmed",
                   "no_show", "attended",
                   "lapsed", "closed"]
    message: str
    request: RequestOut | None = None
    offer: OfferOut | None = None
    awaiting_confirmation: list[int] = Field(
        default_factory=list, description="Person ids who still have to confirm."
    )
