"""Road times and candidate routes: pure functions over coordinates.

No road-time table ships with Garita (shared/data/SOURCES.md has none), so the
default model is great-circle distance × a detour factor at an average bus
speed; an operator may pass measured road hours for any pair, which win.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from garita.policy.corridor import great_circle_km  # one formula, with the policy's

Point = tuple[float, float]


@dataclass(frozen=True)
class RoadModel:
    """Hours between named places: a table entry if given, else distance × detour / speed."""

    speed_kmh: float = 60.0
    detour: float = 1.35
    stop_minutes: int = 30
    table: Mapping[tuple[str, str], float] = field(default_factory=dict)

    def hours(self, a: str, pa: Point, b: str, pb: Point) -> float:
        known = self.table.get((a, b), self.table.get((b, a)))
        if known is not None:
            return float(known)
        return great_circle_km(pa, pb) * self.detour / self.speed_kmh


@dataclass(frozen=True)
class Route:
    """Border cities served in order, with hours from departure to each arrival."""

    hub: str
    stops: tuple[str, ...]
    hours: tuple[float, ...]

    def hours_to(self, port: str) -> float | None:
        return self.hours[self.stops.index(port)] if port in self.stops else None

    @property
    def label(self) -> str:
        return f"{self.hub} → " + " → ".join(self.stops)


def _timed(hub: str, hub_at: Point, stops: Sequence[str], cities: Mapping[str, Point],
           model: RoadModel) -> Route:
    hours, here, at, total = [], hub, hub_at, 0.0
    for i, port in enumerate(stops):
        total += model.hours(here, at, port, cities[port]) + (model.stop_minutes / 60 if i else 0)
        hours.append(total)
        here, at = port, cities[port]
    return Route(hub=hub, stops=tuple(stops), hours=tuple(hours))


def candidate_routes(hub: str, hub_at: Point, cities: Mapping[str, Point],
                     chains: Sequence[Sequence[str]], max_stops: int,
                     model: RoadModel) -> list[Route]:
    """Direct routes to every city plus contiguous pieces of each chain (≤ ``max_stops``).

    A multi-stop piece is kept only if every stop is farther from the hub than
    the one before it (no doubling back), so every route is a sensible path.
    """
    routes: dict[tuple[str, ...], Route] = {(p,): _timed(hub, hub_at, (p,), cities, model)
                                            for p in cities}
    direct = {p: r.hours[0] for (p,), r in routes.items()}
    for chain in chains:
        for i in range(len(chain)):
            for j in range(i + 2, min(len(chain), i + max_stops) + 1):
                piece = tuple(chain[i:j])
                if all(direct[a] < direct[b] for a, b in zip(piece, piece[1:], strict=False)):
                    routes[piece] = _timed(hub, hub_at, piece, cities, model)
    return sorted(routes.values(), key=lambda r: (len(r.stops), r.hours[-1], r.stops))
