"""Daily request payloads."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from garita.geo.schemas import Location
from garita.policy.ports import PORT_CODES


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
