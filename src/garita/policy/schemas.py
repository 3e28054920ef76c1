"""The policy in force on a day, as typed data.

Every rule the scheme ever changed (capacity, windows, the longest-waiting share,
eligible areas, who must confirm) is a field here, so a rule change is a new
policy *version* effective from a date, never a code change.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from garita.policy.corridor import CorridorPolicy
from garita.policy.ports import PORT_CODES
from garita.policy.times import LocalTime  # features type their slots with it, from here


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LatitudeBand(_Frozen):
    """Everything in Mexico between two parallels (the 2023 rule: north of 19°N)."""

    kind: Literal["latitude_band"] = "latitude_band"
    name: str = Field(description="Label shown in verdicts, e.g. 'north of 19°N'.")
    min_lat: float = Field(default=-90.0, ge=-90, le=90)
    max_lat: float = Field(default=90.0, ge=-90, le=90)


class States(_Frozen):
    """Whole Mexican states, by name as the boundary data spells it."""

    kind: Literal["states"] = "states"
    name: str
    states: list[str] = Field(min_length=1)


class Polygon(_Frozen):
    """Any GeoJSON Polygon or MultiPolygon (lon/lat, WGS84)."""

    kind: Literal["polygon"] = "polygon"
    name: str
    geojson: dict

    @field_validator("geojson")
    @classmethod
    def _is_polygon(cls, value: dict) -> dict:
        if value.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError("geojson must be a GeoJSON Polygon or MultiPolygon geometry")
        return value


class AllMexico(_Frozen):
    """Anywhere inside Mexico."""

    kind: Literal["all_mexico"] = "all_mexico"
    name: str = "anywhere in Mexico"


Zone = Annotated[LatitudeBand | States | Polygon | AllMexico, Field(discriminator="kind")]


class EligibilityRule(_Frozen):
    """Zones open to a set of nationalities.

    ``nationalities`` lists ISO 3166-1 alpha-3 codes; ``["*"]`` means everyone.
    ``except_nationalities`` removes some from that set (e.g. everyone but MEX).
    """

    nationalities: list[str] = Field(default_factory=lambda: ["*"])
    except_nationalities: list[str] = Field(default_factory=list)
    zones: list[Zone] = Field(min_length=1)

    def applies_to(self, nationality: str) -> bool:
        nat = nationality.upper()
        listed = "*" in self.nationalities or nat in self.nationalities
        return listed and nat not in self.except_nationalities


class TimeWindow(_Frozen):
    """A daily request window in a time zone; ``end`` may be after midnight is not allowed."""

    start: LocalTime
    end: LocalTime
    timezone: str = "America/New_York"

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.end <= self.start:
            raise ValueError("request window end must be after its start on the same day")
        return self


class Policy(_Frozen):
    """The rules of the scheme on one day. Capacity is in persons."""

    active: bool = Field(default=True, description="False once the scheme has ended.")
    port_capacity: dict[str, int] = Field(
        description="Persons per appointment day at each port (code → places)."
    )
    request_window: TimeWindow
    draw_time: LocalTime = Field(
        description="Local time (window's zone) on the day after the window when the draw runs."
    )
    confirm_hours: int = Field(ge=1, le=168, description="Hours after the draw to confirm.")
    longest_waiting_share: float = Field(
        ge=0, le=1, description="Share of each port's places for the longest-waiting registrations."
    )
    lead_days: int = Field(
        ge=1, le=30, description="Days from the request day to the new appointment day."
    )
    backfill_days: int = Field(
        default=1,
        ge=0,
        le=14,
        description="Earlier appointment days whose freed (lapsed) places a draw may refill.",
    )
    slots: list[LocalTime] = Field(min_length=1, description="Appointment time slots (port time).")
    group_max: int = Field(ge=1, le=50)
    common_address_required: bool
    confirm_by: Literal["lead", "members"] = Field(
        description="'lead': the lead confirms for the group; 'members': each member over the age."
    )
    confirm_min_age: int = Field(default=14, ge=0, le=21)
    photo_required: bool = Field(
        default=False,
        description="Each member who confirms takes a live photo first (the API refuses a "
                    "confirmation without it; from 2024-03-04).",
    )
    checkin_early_minutes: int = Field(
        default=120, ge=0, le=720,
        description="Port check-in opens this many minutes before the slot (port time).",
    )
    checkin_late_minutes: int = Field(
        default=60, ge=0, le=720,
        description="Minutes after the slot a group still counts as on time; later arrivals "
                    "are checked in only when the officer accepts the late arrival.",
    )
    eligible_area: list[EligibilityRule] = Field(min_length=1)
    corridor: CorridorPolicy | None = Field(
        default=None, description="Buses from the southern hubs to the border (from 2024-08-30).")

    @property
    def capacity_total(self) -> int:
        return sum(self.port_capacity.values())

    @field_validator("port_capacity")
    @classmethod
    def _known_ports(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(PORT_CODES))
        if unknown:
            raise ValueError(f"unknown port codes {unknown}; use {list(PORT_CODES)}")
        if any(v < 0 for v in value.values()):
            raise ValueError("port capacity cannot be negative")
        return value

    @field_validator("slots")
    @classmethod
    def _sorted_slots(cls, value: list[dt.time]) -> list[dt.time]:
        if len(set(value)) != len(value):
            raise ValueError("slots must not repeat")
        return sorted(value)

    def rules_for(self, nationality: str) -> list[EligibilityRule]:
        return [r for r in self.eligible_area if r.applies_to(nationality)]


class PolicyVersionIn(BaseModel):
    """A new version of the rules, in force from ``effective_from`` until the next version."""

    model_config = ConfigDict(extra="forbid")
    effective_from: dt.date
    note: str = Field(min_length=3, max_length=500, description="Why the rules changed; source.")
    policy: Policy


class PolicyVersionOut(PolicyVersionIn):
    id: int
    created_at: dt.datetime
    created_by: str
