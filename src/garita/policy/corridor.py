"""The corridor's rules as versioned policy data (hubs, border cities, buses, permits).

Part of the policy (a version may change hubs, buses or rules); the corridor
feature reads it. Defaults follow DESIGN.md §2.6 and §3 (hubs, ~45 seats,
20-day permit). The border cities are the ports' Mexican cities, from the one
table of ports (``garita.policy.ports``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from garita.policy.ports import PORTS, Port
from garita.policy.times import LocalTime


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Hub(_Frozen):
    """A place where buses leave from, and the Mexican states whose people it serves."""

    name: str = Field(min_length=2, max_length=40)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    states: list[str] = Field(min_length=1, description="Canonical names, as garita.geo.states.")
    seats: int = Field(default=45, ge=1, le=120, description="Seats per bus.")
    departure_days: list[int] = Field(
        min_length=1, description="Weekdays with departures: 0 = Monday … 6 = Sunday.")
    departure_time: LocalTime = Field(description="Local departure time at the hub.")
    timezone: str = "America/Mexico_City"
    max_buses: int = Field(default=4, ge=1, le=200, description="Buses available per departure.")


class CorridorPolicy(_Frozen):
    """Buses from the southern hubs to the border, families first (DESIGN §2.6)."""

    active: bool = True
    hubs: list[Hub] = Field(min_length=1)
    border_cities: list[str] = Field(
        min_length=1, description="Port codes whose Mexican city the buses serve.")
    chains: list[list[str]] = Field(
        default_factory=list,
        description="Roads along which one bus may serve several ports, in driving order "
                    "from the south; a route is a contiguous piece of a chain.")
    max_stops: int = Field(default=3, ge=1, le=8)
    escorts_per_bus: int = Field(default=2, ge=0, le=10)
    meals_per_passenger_day: int = Field(default=3, ge=0, le=6)
    arrive_min_hours: float = Field(default=12, ge=0, description="Arrive at least this early.")
    arrive_max_hours: float = Field(default=48, gt=0, description="…and at most this early.")
    permit_days: int = Field(default=20, ge=1, le=180, description="Transit permit validity.")
    bus_speed_kmh: float = Field(default=60, gt=5, le=120, description="Average speed, stops "
                                 "included.")
    detour_factor: float = Field(default=1.35, ge=1, le=3,
                                 description="Road distance over great-circle distance.")
    stop_minutes: int = Field(default=30, ge=0, le=600, description="Dwell at each border city.")
    boarding_grace_minutes: int = Field(
        default=30, ge=0, le=720,
        description="Boarding stays open this long after the planned departure; later the "
                    "crew can only record no-shows (the bus has left).")

    @field_validator("border_cities", mode="before")
    @classmethod
    def _codes(cls, value: object) -> object:
        """Versions stored before the ports table held each city in full: keep the code."""
        if isinstance(value, list):
            return [v["port"] if isinstance(v, dict) else v for v in value]
        return value

    @field_validator("border_cities")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(PORTS))
        if unknown:
            raise ValueError(f"unknown port codes {unknown}; use {list(PORTS)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CorridorPolicy:
        if self.arrive_max_hours <= self.arrive_min_hours:
            raise ValueError("arrive_max_hours must be greater than arrive_min_hours")
        ports = set(self.border_cities)
        for chain in self.chains:
            unknown = sorted(set(chain) - ports)
            if unknown or len(set(chain)) != len(chain):
                raise ValueError(f"chain {chain}: ports must be distinct border_cities "
                                 f"(unknown: {unknown})")
        for hub in self.hubs:
            if any(d < 0 or d > 6 for d in hub.departure_days):
                raise ValueError(f"hub {hub.name}: departure_days are 0 (Monday) to 6 (Sunday)")
        return self

    def hub(self, name: str) -> Hub | None:
        return next((h for h in self.hubs if h.name == name), None)

    def hub_for_state(self, state: str | None) -> Hub | None:
        return next((h for h in self.hubs if state is not None and state in h.states), None)

    def city(self, port: str) -> Port | None:
        """The port whose Mexican city the buses serve, or None if they do not go there."""
        return PORTS[port] if port in self.border_cities else None

    def road_hours(self, hub: Hub, port: str,
                   table: Mapping[tuple[str, str], float] | None = None) -> float:
        """Hours on the direct road from a hub to a port's city, as the planner times it:
        the operator's measured hours (``table``, `policy.roads`, either direction) or else
        great-circle distance × ``detour_factor`` at ``bus_speed_kmh``."""
        if table:
            known = table.get((hub.name, port), table.get((port, hub.name)))
            if known is not None:
                return float(known)
        city = PORTS[port]
        km = great_circle_km((hub.lat, hub.lon), (city.city_lat, city.city_lon))
        return km * self.detour_factor / self.bus_speed_kmh

    def earliest_appointment(self, state: str | None, port: str, ready: dt.datetime,
                             first_slot: dt.time,
                             table: Mapping[tuple[str, str], float] | None = None,
                             ) -> dt.date | None:
        """The first appointment day a group asking from ``state`` can reach by bus.

        The first departure from the state's hub at or after ``ready`` (when the draw's
        results are out), the road to the port's city (``table``: the operator's road
        times, as the planner and the seat check use them), and ``arrive_min_hours`` of
        margin: the first day whose first slot (port clock) comes after that. None when
        no hub serves the state or no bus goes to the port (no constraint).
        """
        hub, city = self.hub_for_state(state), self.city(port)
        if not self.active or hub is None or city is None:
            return None
        zone = ZoneInfo(hub.timezone)
        here = ready.astimezone(zone)
        for k in range(8):
            day = here.date() + dt.timedelta(days=k)
            leaves = dt.datetime.combine(day, hub.departure_time, tzinfo=zone)
            if day.weekday() in hub.departure_days and leaves >= ready:
                break
        need = leaves + dt.timedelta(hours=self.road_hours(hub, port, table)
                                    + self.arrive_min_hours)
        local = need.astimezone(city.zone)
        day = local.date()
        return day if dt.datetime.combine(day, first_slot, tzinfo=city.zone) >= need \
            else day + dt.timedelta(days=1)


EARTH_KM = 6371.0088


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance on the mean Earth sphere (WGS84 mean radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))
