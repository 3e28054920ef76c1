"""Places and countries as typed input: a device location, an ISO country code."""

from __future__ import annotations

import datetime as dt

import pycountry
from pydantic import BaseModel, ConfigDict, Field


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-3, upper case; ValueError naming what to send otherwise."""
    code = value.strip().upper()
    if pycountry.countries.get(alpha_3=code) is None:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-3 country code (e.g. VEN, HTI, MEX)")
    return code


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lat: float = Field(ge=-90, le=90, description="Device latitude, WGS84 degrees.")
    lon: float = Field(ge=-180, le=180, description="Device longitude, WGS84 degrees.")


class GeofenceOut(BaseModel):
    """The verdict for one point: the state, the zone that matched or why none did."""

    date: dt.date
    nationality: str
    scheme_open: bool
    inside_mexico: bool
    state: str | None
    eligible: bool
    zone: str | None
    reason: str
    data_version: str
