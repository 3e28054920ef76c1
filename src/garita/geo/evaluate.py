"""Is a point inside the eligible area of a policy, for a nationality?

A policy's eligible area is a list of rules; each rule opens some zones to some
nationalities (DESIGN §3: from 2024-08-23, non-Mexicans north of 19°N or in
Chiapas/Tabasco, Mexicans anywhere in Mexico). A point is eligible when it is
inside Mexico and inside any zone of any rule that applies to the nationality;
the first such zone (rule order, then zone order) is named in the verdict.

:class:`PolicyEvaluator` compiles a policy once (state names resolved, GeoJSON
polygons built and prepared), then answers single points with a human reason
(:meth:`~PolicyEvaluator.evaluate`) or millions of points with numpy arrays
(:meth:`~PolicyEvaluator.evaluate_batch`). A single point takes a plain-Python
path (:func:`~garita.geo.locators.locate_one`, :meth:`_CompiledZone.contains`):
it is on the request route, where length-1 numpy arrays cost ten times the work.
Each scalar step is the twin of an array step, making the same comparisons in the
same order, and the tests hold the two paths to identical answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from garita.geo.locators import StateLocator, locate_codes, locate_one, names_of
from garita.geo.states import STATE_INDEX, STATE_NAMES, require_state
from garita.policy.schemas import AllMexico, LatitudeBand, Policy, Polygon, States


@dataclass(frozen=True)
class Verdict:
    inside_mexico: bool
    state: str | None
    eligible: bool
    zone: str | None
    reason: str
    data_version: str


@dataclass(frozen=True)
class BatchVerdict:
    """Per-point arrays: ``eligible`` bool, ``state`` and ``zone`` object (None = none)."""

    eligible: np.ndarray
    state: np.ndarray
    zone: np.ndarray
    data_version: str


@dataclass(frozen=True)
class NationalityZones:
    """One point's eligibility for every nationality at once.

    ``named`` maps each nationality a rule mentions (upper-case) to the zone that
    makes the point eligible for it, as ``evaluate(...).zone`` names it (None: not
    eligible); ``other`` is that zone for every nationality no rule mentions.
    Callers that must judge one place for several people (a group of mixed
    nationalities) then locate the point once.
    """

    state: str | None
    data_version: str
    named: dict[str, str | None]
    other: str | None

    def zone_for(self, nationality: str) -> str | None:
        nat = nationality.upper()
        return self.named[nat] if nat in self.named else self.other


class _CompiledZone:
    """One zone as a membership test: over arrays (:meth:`mask`) or one point
    (:meth:`contains`)."""

    def __init__(self, zone: LatitudeBand | States | Polygon | AllMexico) -> None:
        self.name = zone.name
        self.kind = zone.kind
        if isinstance(zone, LatitudeBand):
            self.band = (zone.min_lat, zone.max_lat)
        elif isinstance(zone, States):
            self.states = tuple(dict.fromkeys(require_state(s) for s in zone.states))
            self.table = np.zeros(len(STATE_NAMES) + 1, dtype=bool)  # index -1 = outside
            self.table[[STATE_INDEX[s] for s in self.states]] = True
            self.codes = frozenset(STATE_INDEX[s] for s in self.states)
        elif isinstance(zone, Polygon):
            self.geometry = shapely.geometry.shape(zone.geojson)
            if not self.geometry.is_valid:
                self.geometry = shapely.make_valid(self.geometry)
            shapely.prepare(self.geometry)
            self.bounds = self.geometry.bounds

    def mask(self, lats: np.ndarray, lons: np.ndarray, codes: np.ndarray) -> np.ndarray:
        inside = codes >= 0
        if self.kind == "latitude_band":
            return inside & (lats >= self.band[0]) & (lats < self.band[1])
        if self.kind == "states":
            return self.table[codes]
        if self.kind == "polygon":
            xmin, ymin, xmax, ymax = self.bounds
            out = inside & (lons >= xmin) & (lons <= xmax) & (lats >= ymin) & (lats <= ymax)
            idx = np.flatnonzero(out)
            out[idx] = shapely.intersects_xy(self.geometry, lons[idx], lats[idx])
            return out
        return inside  # all_mexico

    def contains(self, lat: float, lon: float, code: int) -> bool:
        """:meth:`mask` for one point, in plain Python: same comparisons, same GEOS
        predicate, no length-1 arrays."""
        if code < 0:
            return False
        if self.kind == "latitude_band":
            return self.band[0] <= lat < self.band[1]
        if self.kind == "states":
            return code in self.codes
        if self.kind == "polygon":
            xmin, ymin, xmax, ymax = self.bounds
            return (xmin <= lon <= xmax and ymin <= lat <= ymax
                    and bool(shapely.intersects_xy(self.geometry, lon, lat)))
        return True  # all_mexico


def _nationality_keys(nationalities: np.ndarray | str, n: int) -> tuple[list[str], np.ndarray]:
    """Distinct upper-cased nationalities and each point's index into them.

    Alpha-3 codes are packed into integers and counted (O(n)) instead of sorting a
    million strings with ``np.unique`` (O(n log n), ~5x slower); anything that is
    not 1-3 ASCII letters takes the general path.
    """
    if isinstance(nationalities, str):
        return [nationalities.upper()], np.zeros(n, dtype=np.intp)
    arr = np.asarray(nationalities)
    if arr.shape != (n,):
        raise ValueError(f"expected {n} nationalities, got shape {arr.shape}")
    if arr.dtype.kind != "U":
        arr = arr.astype(str)
    if arr.dtype.itemsize <= 12:
        cps = arr.astype("U3").view(np.uint32).reshape(n, 3)
        if n and cps.max() < 128:
            raw = cps.astype(np.uint8)
            up = raw & np.uint8(0xDF)  # a-z → A-Z (and NUL padding stays NUL)
            if ((raw == 0) | ((up >= 65) & (up <= 90))).all():
                k = up.astype(np.int32)
                keys = (k[:, 0] * 91 + k[:, 1]) * 91 + k[:, 2]
                present = np.flatnonzero(np.bincount(keys, minlength=91**3))
                lut = np.zeros(91**3, dtype=np.intp)
                lut[present] = np.arange(len(present))
                names = [
                    "".join(chr(c) for c in (p // 8281, p // 91 % 91, p % 91) if c)
                    for p in present
                ]
                return names, lut[keys]
    distinct, inverse = np.unique(arr, return_inverse=True)
    upper = [str(d).upper() for d in distinct]
    merged = sorted(set(upper))
    remap = np.array([merged.index(u) for u in upper], dtype=np.intp)
    return merged, remap[inverse]


class PolicyEvaluator:
    """A policy's eligible area, compiled for fast repeated evaluation."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._zones: list[_CompiledZone] = []
        self._rule_zones: list[list[int]] = []  # rule → indices into self._zones
        for rule in policy.eligible_area:
            ids = []
            for zone in rule.zones:
                ids.append(len(self._zones))
                self._zones.append(_CompiledZone(zone))
            self._rule_zones.append(ids)
        # Zone lists per nationality, resolved once. Only the nationalities a rule
        # names can differ; for any other, a rule applies exactly when it lists "*".
        rules = list(zip(policy.eligible_area, self._rule_zones, strict=True))
        mentioned = {n.upper() for rule in policy.eligible_area
                     for n in (*rule.nationalities, *rule.except_nationalities)}
        self._open = {nat: tuple(z for rule, ids in rules if rule.applies_to(nat) for z in ids)
                      for nat in sorted(mentioned)}
        self._open_other = tuple(z for rule, ids in rules if "*" in rule.nationalities
                                 for z in ids)
        self._named = [nat for nat in self._open if nat != "*"]

    def zones_for(self, nationality: str) -> list[int]:
        """Indices of the zones open to a nationality, in priority order."""
        return list(self._open.get(nationality.upper(), self._open_other))

    def _zone_masks(self, lats, lons, codes, wanted) -> dict[int, np.ndarray]:
        return {z: self._zones[z].mask(lats, lons, codes) for z in sorted(set(wanted))}

    def evaluate(
        self, locator: StateLocator, lat: float, lon: float, nationality: str
    ) -> Verdict:
        """One point, with a sentence saying which zone matched or why none did."""
        code = locate_one(locator, lat, lon)
        nat = nationality.upper()
        where = f"({lat:.4f}, {lon:.4f})"
        version = locator.version
        if code < 0:
            reason = f"The location {where} is outside Mexico; only locations in Mexico qualify."
            return Verdict(False, None, False, None, reason, version)
        state = STATE_NAMES[code]
        open_zones = self._open.get(nat, self._open_other)
        if not open_zones:
            reason = f"No eligibility rule of this policy covers {nat} nationals ({state})."
            return Verdict(True, state, False, None, reason, version)
        flat, flon = float(lat), float(lon)
        for z in open_zones:
            if self._zones[z].contains(flat, flon, code):
                name = self._zones[z].name
                reason = f"{state} {where} is in the eligible area for {nat} nationals: {name}."
                return Verdict(True, state, True, name, reason, version)
        names = "; ".join(dict.fromkeys(self._zones[z].name for z in open_zones))
        reason = f"{state} {where} is outside the eligible area for {nat} nationals: {names}."
        return Verdict(True, state, False, None, reason, version)

    def zones_by_nationality(self, locator: StateLocator, lat: float,
                             lon: float) -> NationalityZones:
        """Every nationality's ``evaluate(...).zone`` at one point, locating it once
        and testing each zone at most once."""
        code = locate_one(locator, lat, lon)
        if code < 0:
            return NationalityZones(None, locator.version, dict.fromkeys(self._named), None)
        flat, flon = float(lat), float(lon)
        hits: dict[int, bool] = {}

        def first(zones: tuple[int, ...]) -> str | None:
            for z in zones:
                if z not in hits:
                    hits[z] = self._zones[z].contains(flat, flon, code)
                if hits[z]:
                    return self._zones[z].name
            return None

        named = {nat: first(self._open[nat]) for nat in self._named}
        return NationalityZones(STATE_NAMES[code], locator.version, named,
                                first(self._open_other))

    def evaluate_batch(
        self,
        locator: StateLocator,
        lats: np.ndarray,
        lons: np.ndarray,
        nationalities: np.ndarray | str,
    ) -> BatchVerdict:
        """Vectorised verdicts; ``nationalities`` is one code for all or one per point."""
        lats = np.ascontiguousarray(lats, dtype=np.float64)
        lons = np.ascontiguousarray(lons, dtype=np.float64)
        if lats.shape != lons.shape or lats.ndim != 1:
            raise ValueError("lats and lons must be 1-D arrays of equal length")
        codes = locate_codes(locator, lats, lons)
        nats, which = _nationality_keys(nationalities, len(lats))
        # Nationalities sharing a zone list (VEN, CUB, HTI...) share one pass.
        zone_lists = [tuple(self.zones_for(nat)) for nat in nats]
        distinct = list(dict.fromkeys(zone_lists))
        masks = self._zone_masks(lats, lons, codes, [z for zs in distinct for z in zs])
        firsts = np.full((len(distinct), len(lats)), -1, dtype=np.int16)
        for g, zones in enumerate(distinct):
            for z in reversed(zones):  # earlier zones overwrite later ones
                firsts[g, masks[z]] = z
        if len(distinct) == 1:
            matched = firsts[0]
        else:
            group = np.array([distinct.index(zs) for zs in zone_lists], dtype=np.intp)[which]
            matched = firsts[group, np.arange(len(lats))]
        zone_names = np.array([*(z.name for z in self._zones), None], dtype=object)
        return BatchVerdict(
            eligible=matched >= 0,
            state=names_of(codes),
            zone=zone_names[matched],
            data_version=locator.version,
        )


def evaluate(locator: StateLocator, policy: Policy, lat: float, lon: float,
             nationality: str) -> Verdict:
    """Convenience: compile ``policy`` (cached) and evaluate one point."""
    return compile_policy(policy).evaluate(locator, lat, lon, nationality)


def evaluate_batch(locator: StateLocator, policy: Policy, lats: np.ndarray, lons: np.ndarray,
                   nationalities: np.ndarray | str) -> BatchVerdict:
    """Convenience: compile ``policy`` (cached) and evaluate many points."""
    return compile_policy(policy).evaluate_batch(locator, lats, lons, nationalities)


_CACHE: dict[str, PolicyEvaluator] = {}
_BY_ID: dict[int, tuple[Policy, PolicyEvaluator]] = {}
_CACHE_SIZE = 64


def compile_policy(policy: Policy) -> PolicyEvaluator:
    """A compiled evaluator for ``policy``, cached by the policy's JSON (its value).

    Policies hold lists, so they are not hashable; compiling (GeoJSON → prepared
    shapely) may cost milliseconds. Serialising costs more than a whole scalar
    evaluation, though, and callers pass the same (frozen) policy object again and
    again, so the object's identity is tried first. That entry holds the policy
    itself, so its id cannot be reused by another object while cached.
    """
    hit = _BY_ID.get(id(policy))
    if hit is not None and hit[0] is policy:
        return hit[1]
    key = policy.model_dump_json(include={"eligible_area"})
    evaluator = _CACHE.get(key)
    if evaluator is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        evaluator = _CACHE[key] = PolicyEvaluator(policy)
    if len(_BY_ID) >= _CACHE_SIZE:
        _BY_ID.clear()
    _BY_ID[id(policy)] = (policy, evaluator)
    return evaluator
