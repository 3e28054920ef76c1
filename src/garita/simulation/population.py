"""The synthetic population: every registration of the run, drawn up front as columns.

One row per registration (a person alone or a group ≤ 10): the day it registers, its
nationality, size, children, where it is (a point the geofence will judge) and the
port it asks for. Drawn once, vectorised, from the scenario's demand model, so a
day of the run only looks rows up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from garita.policy.ports import PORT_CODES
from garita.simulation.scenario import Demand, OriginZone

KINDS = ("border", "central", "south_hub", "dead_zone")


@dataclass
class Population:
    """Column arrays, one element per registration, ordered by registration day."""

    day: np.ndarray  # int32, days since the run's start
    nationality: np.ndarray  # int16 index into `nationalities`
    size: np.ndarray  # int16, persons
    children: np.ndarray  # int16
    origin: np.ndarray  # int16 index into `origins`
    lat: np.ndarray  # float64, where it asks from now (moves update it)
    lon: np.ndarray
    port: np.ndarray  # int16 index into PORT_CODES
    nationalities: tuple[str, ...]
    origins: tuple[OriginZone, ...]

    def __len__(self) -> int:
        return len(self.day)

    @property
    def kind(self) -> np.ndarray:
        """Origin kind code per registration (index into KINDS)."""
        codes = np.array([KINDS.index(z.kind) for z in self.origins], np.int8)
        return codes[self.origin]


def _pick(rng: np.random.Generator, weights: dict, n: int) -> tuple[list, np.ndarray]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], np.float64)
    return keys, rng.choice(len(keys), size=n, p=p / p.sum())


def daily_counts(demand: Demand, start: dt.date, days: int,
                 rng: np.random.Generator) -> np.ndarray:
    """New registrations on each day: Poisson around the rate in force that day."""
    periods = sorted(demand.registrations, key=lambda r: r.since)
    rate = np.zeros(days)
    for i in range(days):
        day = start + dt.timedelta(days=i)
        rate[i] = next((r.per_day for r in reversed(periods) if r.since <= day), 0.0)
    return rng.poisson(rate)


def generate(demand: Demand, start: dt.date, days: int, port_weights: dict[str, float],
             rng: np.random.Generator) -> Population:
    counts = daily_counts(demand, start, days, rng)
    n = int(counts.sum())
    day = np.repeat(np.arange(days, dtype=np.int32), counts)
    nats, nationality = _pick(rng, demand.nationality_mix, n)
    sizes, size_index = _pick(rng, demand.group_size_mix, n)
    size = np.asarray(sizes, np.int16)[size_index]
    children = rng.binomial(size.astype(np.int64) - 1, demand.child_share).astype(np.int16)
    zones = tuple(demand.origins)
    _, origin = _pick(rng, {i: z.share for i, z in enumerate(zones)}, n)
    centre = np.array([(z.lat, z.lon, z.spread_deg) for z in zones])[origin]
    lat = centre[:, 0] + rng.normal(0, 1, n) * centre[:, 2]
    lon = centre[:, 1] + rng.normal(0, 1, n) * centre[:, 2]
    weights = demand.port_choice or port_weights
    codes, chosen = _pick(rng, weights, n)
    port = np.array([PORT_CODES.index(c) for c in codes], np.int16)[chosen]
    fixed = np.array([-1 if z.port is None else PORT_CODES.index(z.port) for z in zones])
    own = fixed[origin]
    port = np.where(own >= 0, own, port).astype(np.int16)
    return Population(day=day, nationality=nationality.astype(np.int16), size=size,
                      children=children, origin=origin.astype(np.int16), lat=lat, lon=lon,
                      port=port, nationalities=tuple(nats), origins=zones)
