"""The eight ports of entry: the one table every feature reads (``ports.json``).

A port is reference data, not a rule that changes with a policy version: its
code, the U.S. port's name and coordinates, the Mexican city across from it
(where applicants wait and the corridor's buses arrive) and the IANA time zone
of the appointment's clock. Capacity per port is policy (``history.json``).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field


class Port(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[A-Z]{3}$", description="Garita's three-letter port code.")
    name: str = Field(description="The U.S. port of entry.")
    city: str = Field(description="The Mexican city across the border.")
    city_aliases: tuple[str, ...] = Field(default=(), description="Other names of the city "
                                          "(GeoNames' official name, the short form).")
    state: str = Field(description="U.S. state of the port (postal code).")
    lat: float = Field(ge=-90, le=90, description="The port, WGS84.")
    lon: float = Field(ge=-180, le=180)
    city_lat: float = Field(ge=-90, le=90, description="The Mexican city's centre, WGS84.")
    city_lon: float = Field(ge=-180, le=180)
    timezone: str = Field(description="IANA zone of the port's clock (appointment slots).")
    address: str = Field(default="", description="The U.S. port's street address.")
    crossing: str = Field(default="", description="Where to go on the Mexican side (a proper "
                                                  "name, said as locals say it).")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def label(self) -> str:
        """"San Ysidro (PedWest) · Tijuana": how people name it."""
        return f"{self.name} · {self.city}"


@cache
def _table() -> dict[str, Port]:
    raw = json.loads(resources.files("garita.policy").joinpath("ports.json").read_text("utf-8"))
    return {p["code"]: Port.model_validate(p) for p in raw["ports"]}


PORTS: dict[str, Port] = _table()
PORT_CODES: tuple[str, ...] = tuple(PORTS)


def port(code: str) -> Port:
    """The port with this code; KeyError for an unknown one (validate input first)."""
    return PORTS[code]
