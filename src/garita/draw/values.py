"""Value types of the daily draw: its inputs (requests, bins) and its result.

Pure data with validation, no I/O. The draw itself lives in `walk` and
`core`; this module only says what goes in and what comes out, so the service,
the public verifier and the tests all speak the same shapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

LONGEST_WAITING = "longest_waiting"
RANDOM = "random"
#: Tier names indexed by the int8 codes stored in `DrawResult.tier`.
TIER_NAMES = (LONGEST_WAITING, RANDOM)

_INT16_MAX = int(np.iinfo(np.int16).max)


@dataclass(frozen=True)
class Bin:
    """One appointment day and time slot at a port, with the persons it can still take.

    ``spare``: a later day offered only to groups who cannot reach the draw's own days
    (rule ``group-fair``: not counted in the places drawn, see `prefix`).
    """

    day: dt.date
    slot: dt.time
    free: int
    spare: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.free, bool) or not isinstance(self.free, int | np.integer):
            raise ValueError(f"Bin.free must be an integer number of persons, got {self.free!r}")
        if self.free < 0:
            raise ValueError(
                f"Bin.free cannot be negative (got {self.free} for {self.day} {self.slot})"
            )


def _as_int_array(name: str, values: object, dtype: type, low: int, high: int) -> np.ndarray:
    """Convert to a 1-D array of `dtype`, refusing values that would not survive the cast."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}")
    if arr.size and (arr.min() < low or arr.max() > high):
        raise ValueError(
            f"{name} must lie in [{low}, {high}], got values from {arr.min()} to {arr.max()}"
        )
    out: np.ndarray = arr.astype(dtype)  # always a private copy: the caller may reuse its arrays
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class DrawRequests:
    """One day's requests as column arrays, one element per request.

    ticket: a unique 64-bit number per request (the service passes the request id);
    port: port index; size: persons in the group (≥ 1, never split);
    registered_at: registration time in epoch seconds (earlier = waiting longer);
    earliest: the first appointment day the group can reach, in days since 1970-01-01,
    0 for no constraint (rule ``group-fair`` only; omitted: all 0).
    Arrays are converted on construction (uint64, int16, int16, int64, int32) and checked.
    """

    ticket: np.ndarray
    port: np.ndarray
    size: np.ndarray
    registered_at: np.ndarray
    earliest: np.ndarray | None = None

    def __post_init__(self) -> None:
        ticket = np.asarray(self.ticket)
        if ticket.size and np.issubdtype(ticket.dtype, np.signedinteger) and ticket.min() < 0:
            raise ValueError("ticket must be non-negative (tickets are unsigned 64-bit numbers)")
        columns = {
            "ticket": _as_int_array("ticket", ticket, np.uint64, 0, 2**64 - 1),
            "port": _as_int_array("port", self.port, np.int16, 0, _INT16_MAX),
            "size": _as_int_array("size", self.size, np.int16, 1, _INT16_MAX),
            "registered_at": _as_int_array(
                "registered_at", self.registered_at, np.int64, -(2**63), 2**63 - 1
            ),
        }
        columns["earliest"] = _as_int_array(
            "earliest", np.zeros(len(ticket), np.int32) if self.earliest is None
            else self.earliest, np.int32, 0, 2**31 - 1)
        lengths = {name: len(arr) for name, arr in columns.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"request arrays must have equal lengths, got {lengths}")
        _check_unique(columns["ticket"])
        for name, arr in columns.items():
            object.__setattr__(self, name, arr)

    def __len__(self) -> int:
        return len(self.ticket)


def _check_unique(ticket: np.ndarray) -> None:
    """Tickets identify requests in the result and the digest, so duplicates are refused."""
    ordered = np.sort(ticket)
    dup = np.flatnonzero(ordered[1:] == ordered[:-1])
    if dup.size:
        sample = ", ".join(str(int(t)) for t in np.unique(ordered[dup])[:5])
        raise ValueError(f"tickets must be unique; {dup.size} duplicate(s), e.g. {sample}")


@dataclass(frozen=True)
class Winner:
    """One selected request, as a plain record (for writing offers and for reports)."""

    ticket: int
    port: int
    tier: str
    rank: int
    day: dt.date
    slot: dt.time
    size: int


@dataclass(frozen=True)
class PortSummary:
    """What happened at one port: places, the longest-waiting budget, and who got what."""

    port: int
    places: int
    budget_longest_waiting: int
    requests: int
    persons_requested: int
    allocated_longest_waiting: int
    allocated_random: int
    selected_longest_waiting: int
    selected_random: int

    @property
    def allocated(self) -> int:
        return self.allocated_longest_waiting + self.allocated_random

    @property
    def places_left(self) -> int:
        return self.places - self.allocated


@dataclass(frozen=True, eq=False)
class DrawResult:
    """The winners as parallel columns, ordered by (port, tier, rank), plus per-port summaries.

    `tier` holds int8 codes into `TIER_NAMES`; `bin_index` is the position of the
    winner's bin in that port's bin list as passed to `draw`. `day`/`slot` are the
    bin's day and time per winner. Use `winners()` for records, `tier_names` for strings.
    """

    ticket: np.ndarray
    port: np.ndarray
    tier: np.ndarray
    rank: np.ndarray
    bin_index: np.ndarray
    size: np.ndarray
    day: tuple[dt.date, ...]
    slot: tuple[dt.time, ...]
    ports: tuple[PortSummary, ...]
    bins_by_port: Mapping[int, tuple[Bin, ...]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.ticket)

    @property
    def tier_names(self) -> list[str]:
        return [TIER_NAMES[code] for code in self.tier.tolist()]

    def winners(self) -> list[Winner]:
        """All winners as records, in result order."""
        columns = zip(
            self.ticket.tolist(), self.port.tolist(), self.tier_names, self.rank.tolist(),
            self.day, self.slot, self.size.tolist(), strict=True,
        )
        return [Winner(*row) for row in columns]

    def summary(self, port: int) -> PortSummary:
        for item in self.ports:
            if item.port == port:
                return item
        raise KeyError(f"no summary for port {port}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DrawResult):
            return NotImplemented
        arrays = ("ticket", "port", "tier", "rank", "bin_index", "size")
        return (
            all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays)
            and (self.day, self.slot, self.ports) == (other.day, other.slot, other.ports)
        )

    __hash__ = None  # type: ignore[assignment]
