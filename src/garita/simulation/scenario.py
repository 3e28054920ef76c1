"""A simulation scenario as typed data: dates, the policy timeline, the demand model.

Every parameter has a type, a description and a default taken from DESIGN.md §3's
facts, with the source written beside it (in the field's description, which the
documentation quotes). A scenario file (TOML) names only what it changes; what it
leaves out keeps the default, so a what-if is a few lines (see ``scenarios/``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from garita.policy.ports import PORT_CODES, PORTS
from garita.policy.schemas import PolicyVersionIn, Zone
from garita.policy.service import shipped_history

SCHEME_START = dt.date(2023, 1, 12)
SCHEME_END = dt.date(2025, 1, 20)
#: Cumulative appointments published (DESIGN.md §3; DHS fact sheet 2023-08-03 for June 2023).
PUBLISHED = {dt.date(2023, 6, 30): 170_000, dt.date(2024, 1, 31): 459_118,
             dt.date(2024, 8, 31): 765_000, dt.date(2025, 1, 20): 936_500}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RatePeriod(_Frozen):
    """New registrations per day from a date on (until the next period)."""

    since: dt.date
    per_day: float = Field(ge=0)


class OriginZone(_Frozen):
    """Where registrations are when they ask: a place, a spread around it, a share."""

    name: str
    kind: Literal["border", "central", "south_hub", "dead_zone"] = Field(
        description="border: a port's Mexican city; central: north of 19°N inland; "
                    "south_hub: Chiapas or Tabasco; dead_zone: south of 19°N elsewhere.")
    lat: float = Field(ge=14, le=33)
    lon: float = Field(ge=-118, le=-86)
    spread_deg: float = Field(default=0.05, ge=0, le=1, description="Normal spread, degrees.")
    share: float = Field(ge=0, description="Relative share of new registrations.")
    port: str | None = Field(default=None, description="People here ask for this port "
                                                       "(a border city); else by port_choice.")


def _default_zones() -> list[OriginZone]:
    """Origins: assumed shares (no split was published); places from GeoNames (ports.json).

    People in a port's city ask for that port; a border city's point sits 0.03° south of
    the city's centre so its spread stays in Mexico.
    """
    border = {"SYS": 0.12, "CLX": 0.02, "NOG": 0.02, "ELP": 0.06, "EGP": 0.02, "LRD": 0.02,
              "HID": 0.04, "BRO": 0.10}
    return [
        *(OriginZone(name=PORTS[p].city, kind="border", port=p, lat=PORTS[p].city_lat - 0.03,
                     lon=PORTS[p].city_lon, spread_deg=0.01, share=share)
          for p, share in border.items()),
        OriginZone(name="Mexico City", kind="central", lat=19.43, lon=-99.13, share=0.20),
        OriginZone(name="Monterrey", kind="central", lat=25.67, lon=-100.31, share=0.12),
        OriginZone(name="Guadalajara", kind="central", lat=20.67, lon=-103.35, share=0.06),
        OriginZone(name="Tapachula", kind="south_hub", lat=14.91, lon=-92.26, share=0.10),
        OriginZone(name="Villahermosa", kind="south_hub", lat=17.99, lon=-92.95, share=0.04),
        OriginZone(name="Oaxaca", kind="dead_zone", lat=17.06, lon=-96.72, share=0.04),
        OriginZone(name="Acapulco", kind="dead_zone", lat=16.86, lon=-99.88, share=0.02),
        OriginZone(name="Coatzacoalcos", kind="dead_zone", lat=18.13, lon=-94.46, share=0.02),
    ]


class Demand(_Frozen):
    """Who registers, how often they ask, and what they do with an offer."""

    registrations: list[RatePeriod] = Field(
        default_factory=lambda: [RatePeriod(since=SCHEME_START, per_day=1_800),
                                 RatePeriod(since=dt.date(2023, 6, 1), per_day=1_750)],
        description="Fitted (docs/simulation.md) to ~80,000 requests/day in May 2023 and "
                    "282,824/day on average in July 2024 (DESIGN §3).")
    request_probability: float = Field(
        default=0.6, gt=0, le=1,
        description="Chance a waiting registration asks on a given day (assumed; the app "
                    "asked people to request every day, not all did).")
    nationality_mix: dict[str, float] = Field(
        default_factory=lambda: {"VEN": 0.28, "CUB": 0.17, "HTI": 0.15, "MEX": 0.13,
                                 "HND": 0.08, "COL": 0.05, "GTM": 0.04, "ECU": 0.04,
                                 "SLV": 0.02, "RUS": 0.02, "PER": 0.02},
        description="Top nationalities Venezuela, Cuba, Haiti, Mexico, Honduras (DESIGN §3); "
                    "the shares themselves are assumed.")
    group_size_mix: dict[int, float] = Field(
        default_factory=lambda: {1: 0.50, 2: 0.20, 3: 0.13, 4: 0.09, 5: 0.04, 6: 0.02,
                                 7: 0.01, 8: 0.005, 9: 0.0025, 10: 0.0025},
        description="Persons per registration, 1-10 (groups ≤ 10, DESIGN §2); assumed mix.")
    child_share: float = Field(default=0.4, ge=0, le=1,
                               description="Share of a group's other members who are children "
                                           "(assumed); the corridor seats families first.")
    origins: list[OriginZone] = Field(default_factory=_default_zones,
                                      description="Where registrations ask from (assumed "
                                                  "shares; places from GeoNames).")
    port_choice: dict[str, float] | None = Field(
        default=None, description="Relative choice of port; default: the ports' capacity "
                                  "shares in force (DESIGN §3 table, May-Aug 2024).")
    give_up_per_day: float = Field(default=0.001, ge=0, le=1,
                                   description="Daily chance a waiting registration stops "
                                               "asking (assumed).")
    move_per_day: float = Field(
        default=0.01, ge=0, le=1,
        description="Daily chance someone refused by the geofence moves to their port's "
                    "border city (assumed: many travelled north to become eligible).")
    confirm_rate: float = Field(
        default=0.905, ge=0, le=1,
        description="Share of offers confirmed within the deadline (assumed). A lapsed offer's "
                    "places go back and the next draw refills them (the policy's "
                    "backfill_days), so this moves the cumulative count little.")
    confirm_step_from: dt.date = Field(
        default=dt.date(2023, 5, 10),
        description="Before this day a first-come booking was the appointment: nothing to "
                    "confirm, nothing lapses (DESIGN §3).")
    capacity_used: float = Field(
        default=0.96, gt=0, le=1,
        description="Share of each port's daily places actually offered once the draw began "
                    "(days a port paused, e.g. Laredo in June 2023 (DESIGN §3), outages, "
                    "places held back); fitted to the published cumulative appointments "
                    "(docs/simulation.md).")
    no_show_rate: float = Field(default=0.03, ge=0, le=1,
                                description="Confirmed groups who do not come (assumed); "
                                            "no penalty: they may ask again (DESIGN §2.7).")
    corridor_uptake: float = Field(
        default=0.29, ge=0, le=1,
        description="Share of confirmed groups in Chiapas or Tabasco asking for a bus seat; "
                    "fitted to the riders of ~3 buses/week of ~45 seats from Tapachula (~135 a week, "
                    "DESIGN §3).")
    outcome_mix: dict[str, float] = Field(
        default_factory=lambda: {"paroled": 0.72, "notice_to_appear": 0.238, "detained": 0.02,
                                 "expedited_removal": 0.01, "permitted_to_withdraw": 0.007,
                                 "refused": 0.005},
        description="~95.8 % admitted or paroled (parole + NTA, Jan-Sep 2023, DESIGN §3); "
                    "the split among the rest is assumed.")

    @field_validator("nationality_mix", "group_size_mix", "outcome_mix", "port_choice")
    @classmethod
    def _positive(cls, value: dict | None) -> dict | None:
        if value is not None and (not value or min(value.values()) < 0
                                  or sum(value.values()) <= 0):
            raise ValueError("a mix needs at least one entry, none negative, a positive total")
        return value

    @field_validator("group_size_mix")
    @classmethod
    def _sizes(cls, value: dict[int, float]) -> dict[int, float]:
        if any(not 1 <= k <= 10 for k in value):
            raise ValueError("group sizes are 1 to 10")
        return value

    @field_validator("port_choice")
    @classmethod
    def _ports(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is not None and set(value) - set(PORT_CODES):
            raise ValueError(f"unknown ports {sorted(set(value) - set(PORT_CODES))}")
        return value


class Adjust(_Frozen):
    """A what-if applied to every policy version in force from ``since`` on."""

    since: dt.date = Field(default=SCHEME_START, description="First day it applies.")
    capacity_factor: float | None = Field(default=None, gt=0, le=20,
                                          description="Multiplies every port's places.")
    longest_waiting_share: float | None = Field(default=None, ge=0, le=1,
                                                description="Replaces the share.")
    drop_zones: list[str] = Field(default_factory=list, description="Zone names to remove.")
    add_zones: list[Zone] = Field(default_factory=list,
                                  description="Zones opened to every nationality.")
    corridor_fleet_factor: float | None = Field(default=None, gt=0, le=20,
                                                description="Multiplies buses per departure.")


class Scenario(_Frozen):
    name: str = Field(default="default", min_length=1, max_length=80,
                      description="Names the run (its directory by default).")
    description: str = Field(
        default="The real scheme, 2023-01-12 to 2025-01-20, with the shipped history.",
        description="What the scenario asks, in a sentence.")
    start: dt.date = Field(default=SCHEME_START, description="First day simulated (the "
                                                             "scheme opened 2023-01-12).")
    end: dt.date = Field(default=SCHEME_END, description="Last day simulated (exclusive).")
    seed: int = Field(default=20230112, ge=0, description="Seeds the population and every "
                                                         "day's draw: same seed, same run.")
    policy_versions: list[PolicyVersionIn] = Field(
        default_factory=list,
        description="Versions added to the shipped history; one with the date of a shipped "
                    "version replaces it.")
    adjust: list[Adjust] = Field(default_factory=list,
                                 description="What-ifs applied to the timeline, in order.")
    demand: Demand = Field(default_factory=Demand, description="The demand model.")
    corridor_departure_days: dict[str, list[int]] = Field(
        default_factory=lambda: {"Tapachula": [0], "Villahermosa": [0]},
        description="Days each corridor hub's buses leave (0 = Monday), as the corridor was "
                    "run, replacing the shipped policy's daily departures; fitted to ~3 "
                    "buses/week of ~45 seats from Tapachula and the 4 buses of Monday "
                    "2024-12-23 (DESIGN §3; docs/simulation.md). Empty: the policy's days.")
    corridor_solver: bool = Field(
        default=True, description="Plan buses as the corridor service does: the greedy plan, "
                                  "then CP-SAT (≤ 2 s a departure day), whichever is better; "
                                  "false: the greedy plan alone (no multi-stop buses).")
    report_dates: list[dt.date] = Field(default_factory=lambda: sorted(PUBLISHED),
                                        description="Dates of the cumulative figures in the "
                                                    "summary (default: the published ones).")

    @field_validator("corridor_departure_days")
    @classmethod
    def _weekdays(cls, value: dict[str, list[int]]) -> dict[str, list[int]]:
        for hub, days in value.items():
            if not days or any(not 0 <= d <= 6 for d in days):
                raise ValueError(f"corridor_departure_days for {hub}: give at least one day, "
                                 "0 (Monday) to 6 (Sunday)")
        return value


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with what to fix."""


def load(path: Path) -> Scenario:
    try:
        raw = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: {exc}") from exc
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(f"{path}: {exc}") from exc


def shipped(name: str) -> Path:
    """A what-if scenario shipped in the package (``scenarios/NAME.toml``)."""
    folder = resources.files("garita.simulation").joinpath("scenarios")
    return Path(str(folder.joinpath(f"{name}.toml")))


def timeline(scenario: Scenario) -> list[PolicyVersionIn]:
    """The shipped history with the scenario's versions and adjustments, by date."""
    by_day = {v.effective_from: _departing(v, scenario.corridor_departure_days)
              for v in shipped_history()}
    by_day.update({v.effective_from: v for v in scenario.policy_versions})
    versions = [by_day[d] for d in sorted(by_day)]
    for change in scenario.adjust:
        versions = [_adjusted(v, change) if v.effective_from >= change.since else v
                    for v in versions]
        if change.since not in {v.effective_from for v in versions}:
            before = [v for v in versions if v.effective_from < change.since]
            if before:  # the version in force on `since`, adjusted from that day
                base = before[-1].model_copy(update={"effective_from": change.since})
                versions = sorted([*versions, _adjusted(base, change)],
                                  key=lambda v: v.effective_from)
    return versions


def _departing(version: PolicyVersionIn, days: dict[str, list[int]]) -> PolicyVersionIn:
    """A shipped version with its corridor hubs leaving on ``days`` (hubs not named keep
    theirs)."""
    corridor = version.policy.corridor
    if corridor is None or not days:
        return version
    hubs = [h.model_copy(update={"departure_days": days.get(h.name, h.departure_days)})
            for h in corridor.hubs]
    policy = version.policy.model_copy(update={"corridor": corridor.model_copy(
        update={"hubs": hubs})})
    return version.model_copy(update={"policy": policy})


def _adjusted(version: PolicyVersionIn, change: Adjust) -> PolicyVersionIn:
    policy = version.policy.model_dump()
    if change.capacity_factor is not None:
        policy["port_capacity"] = {p: round(c * change.capacity_factor)
                                   for p, c in policy["port_capacity"].items()}
    if change.longest_waiting_share is not None:
        policy["longest_waiting_share"] = change.longest_waiting_share
    rules = []
    for rule in policy["eligible_area"]:
        zones = [z for z in rule["zones"] if z["name"] not in change.drop_zones]
        if "*" in rule["nationalities"]:
            zones += [z.model_dump() for z in change.add_zones]
        if zones:
            rules.append({**rule, "zones": zones})
    policy["eligible_area"] = rules
    if change.corridor_fleet_factor is not None and policy.get("corridor"):
        for hub in policy["corridor"]["hubs"]:
            hub["max_buses"] = max(1, round(hub["max_buses"] * change.corridor_fleet_factor))
    note = f"{version.note} [what-if from {change.since}]"[:500]
    return PolicyVersionIn.model_validate({"effective_from": version.effective_from,
                                           "note": note, "policy": policy})
