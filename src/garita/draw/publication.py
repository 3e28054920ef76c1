"""The published draw: its files, their exact format, and the digests that bind them. Pure.

A publication is three files, enough for anyone to rerun a draw with
`garita.draw.core.draw` (see `verify`):

``publication.json``
    format, rule (the draw rule, see `core`; absent in format v1, whose draws all
    ran under ``first-fit``), service_date, seed (hex, revealed), seed_sha256, committed_at,
    committed_in_advance, ran_at, policy_version_id, longest_waiting_share
    (decimal string, read exactly), ports (index → code), bins per port code
    (``[day, slot, free]`` in walk order, as they were when the draw ran; a fourth
    element ``"spare"`` marks a later day offered only to groups who cannot reach
    the draw's own days, v2), inputs_sha256, result_digest, requests, winners; and,
    for a draw with a corridor made since the road table is recorded,
    ``road_times`` (the operator's table the ``earliest_day`` column was computed on,
    ``[from, to, hours]`` rows, sorted; empty: estimated times) and
    ``road_times_sha256`` (see below). Both are absent from earlier publications,
    whose earliest days came from the file the server read when publishing.
``inputs.csv``
    ``ticket,port,size,registered_on`` and, in v2, ``earliest_day`` — one row per
    request, sorted by ticket (so row order reveals nothing about ids).
    ``registered_on`` is the local registration date the longest-waiting tier
    orders by; ``earliest_day`` the first appointment day the group can reach
    (empty: any).
``results.csv``
    ``ticket,port,tier,rank,day,slot,size`` sorted by port index, tier, rank.

``inputs_sha256`` is SHA-256 over the input rows sorted by ticket, each packed
big-endian as ticket u64, port index u16, size u16, registered_at i64 (epoch
seconds of the registered date at 00:00 UTC) and, in v2, earliest i32 (days since
1970-01-01, 0 for none). It is computed when the draw
runs and written into its audit entry, so a later edit of the input list
cannot go unnoticed even where it would not change the winners.

``road_times_sha256`` is SHA-256 over the ``road_times`` rows as compact JSON in
UTF-8 (``[["Tapachula","BRO",70.0]]``: separators ``,`` and ``:``, hours as
numbers), computed when the draw runs (and written into its audit entry). The draw
keeps the table itself, so its publication recomputes ``earliest_day`` from it:
changing ``GARITA_ROAD_TIMES_FILE`` after a draw changes later draws, never this
one's ``inputs.csv``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING

import numpy as np

from garita.draw.core import FIRST_FIT, Bin, DrawResult
from garita.policy.ports import PORT_CODES

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

FORMAT = "garita-draw-publication-v2"  # v2 adds "rule"; v1 files verify as first-fit
INPUT_COLUMNS = ("ticket", "port", "size", "registered_on")
RESULT_COLUMNS = ("ticket", "port", "tier", "rank", "day", "slot", "size")
_PACKED = np.dtype([("t", ">u8"), ("p", ">u2"), ("s", ">u2"), ("r", ">i8")])
_PACKED_V2 = np.dtype([("t", ">u8"), ("p", ">u2"), ("s", ">u2"), ("r", ">i8"), ("e", ">i4")])
_EPOCH = dt.date(1970, 1, 1)


def inputs_digest(ticket: np.ndarray, port: np.ndarray, size: np.ndarray,
                  registered_at: np.ndarray, earliest: np.ndarray | None = None) -> str:
    """SHA-256 hex of the packed input rows in ticket order (module docstring); with
    ``earliest`` the v2 packing."""
    order = np.argsort(np.asarray(ticket, dtype=np.uint64), kind="stable")
    packed = np.empty(order.size, dtype=_PACKED if earliest is None else _PACKED_V2)
    packed["t"], packed["p"] = np.asarray(ticket)[order], np.asarray(port)[order]
    packed["s"], packed["r"] = np.asarray(size)[order], np.asarray(registered_at)[order]
    if earliest is not None:
        packed["e"] = np.asarray(earliest)[order]
    return hashlib.sha256(packed.tobytes()).hexdigest()


def bins_json(bins_by_port: Mapping[int, Sequence[Bin]]) -> dict[str, list[list]]:
    return {PORT_CODES[p]: [[b.day.isoformat(), b.slot.isoformat(), b.free]
                            + (["spare"] if b.spare else []) for b in bins]
            for p, bins in sorted(bins_by_port.items())}


def bins_from_json(data: Mapping[str, list], ports: Sequence[str]) -> dict[int, list[Bin]]:
    index = {code: i for i, code in enumerate(ports)}
    return {index[code]: [Bin(dt.date.fromisoformat(row[0]), dt.time.fromisoformat(row[1]),
                              int(row[2]), spare=row[3:] == ["spare"])
                          for row in rows] for code, rows in data.items()}


def inputs_frame(ticket: np.ndarray, port: np.ndarray, size: np.ndarray,
                 registered_at: np.ndarray, ports: Sequence[str] = PORT_CODES,
                 earliest: np.ndarray | None = None) -> pl.DataFrame:
    """The published input rows, sorted by ticket (v2: with ``earliest_day``)."""
    import polars as pl  # not at module level: API worker memory (docs/benchmarks.md)

    days = (np.asarray(registered_at, dtype=np.int64) // 86_400).astype(np.int32)
    columns = {
        "ticket": pl.Series(np.asarray(ticket, dtype=np.uint64)),
        "port": pl.Series(np.asarray(port, dtype=np.int64)).replace_strict(
            dict(enumerate(ports)), return_dtype=pl.String),
        "size": pl.Series(np.asarray(size, dtype=np.int16)),
        "registered_on": pl.Series(days).cast(pl.Date),
    }
    frame = pl.DataFrame(columns)
    if earliest is not None:
        e = pl.Series("earliest_day", np.asarray(earliest, dtype=np.int32))
        frame = frame.with_columns(
            pl.when(e > 0).then(e).otherwise(None).cast(pl.Date).alias("earliest_day"))
    return frame.sort("ticket")


def results_frame(result: DrawResult, ports: Sequence[str] = PORT_CODES) -> pl.DataFrame:
    """The winners in (port, tier, rank) order — the order `core.draw` returns them in."""
    import polars as pl

    return pl.DataFrame({
        "ticket": pl.Series(result.ticket.astype(np.uint64)),
        "port": [ports[int(p)] for p in result.port.tolist()],
        "tier": result.tier_names,
        "rank": pl.Series(result.rank.astype(np.int64)),
        "day": pl.Series(list(result.day), dtype=pl.Date),
        "slot": [s.isoformat() for s in result.slot],
        "size": pl.Series(result.size.astype(np.int16)),
    }, schema={"ticket": pl.UInt64, "port": pl.String, "tier": pl.String, "rank": pl.Int64,
               "day": pl.Date, "slot": pl.String, "size": pl.Int16})


def road_times_rows(rows: Sequence[Sequence]) -> list[list]:
    """``[from, to, hours]`` rows in their published form: sorted, hours as floats."""
    return [[a, b, h] for a, b, h in sorted((str(a), str(b), float(h)) for a, b, h in rows)]


def road_times_digest(rows: Sequence[Sequence]) -> str:
    """SHA-256 hex of the road table's rows (`road_times_rows`) as compact JSON, UTF-8:
    ``[["Tapachula","BRO",70.0]]`` (separators ``,`` and ``:``)."""
    text = json.dumps(road_times_rows(rows), separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def draw_inputs_record(share: float, tz: str, bins_by_port: Mapping[int, Sequence[Bin]],
                       digest: str, requests: int, ticket_key_id: str, rule: str,
                       set_aside: list[list[int]] | None = None,
                       road_times: Sequence[Sequence] | None = None) -> dict:
    """What the draw row keeps to publish itself later exactly as it ran.

    ``set_aside``: [ticket, ticket of the earlier entry of the same person] of requests
    left out by the one-entry-per-person rule (they are not in inputs.csv).
    ``road_times``: the road table's rows the reachable days were computed on (a draw
    with a corridor); kept with their digest so the publication recomputes those days
    from them, never from a file changed since.
    """
    record = {"format": FORMAT, "rule": rule, "longest_waiting_share": repr(share),
              "timezone": tz, "ports": list(PORT_CODES), "bins": bins_json(bins_by_port),
              "inputs_sha256": digest, "requests": requests, "ticket_key_id": ticket_key_id,
              "set_aside": set_aside or []}
    if road_times is not None:
        record["road_times"] = road_times_rows(road_times)
        record["road_times_sha256"] = road_times_digest(road_times)
    return record


def rule_of(record: Mapping) -> str:
    """The rule a draw ran under: recorded since format v2; every v1 draw was first-fit."""
    return record.get("rule", FIRST_FIT)


def to_csv(frame: pl.DataFrame) -> bytes:
    return frame.write_csv(date_format="%Y-%m-%d", line_terminator="\n").encode()


def read_inputs_csv(source: Path | IO[bytes] | bytes) -> pl.DataFrame:
    """The input rows; v2 files have ``earliest_day`` (empty: any day)."""
    import polars as pl

    schema = {"ticket": pl.UInt64, "port": pl.String, "size": pl.Int16, "registered_on": pl.Date}
    head = pl.read_csv(source, n_rows=0)
    if "earliest_day" in head.columns:
        schema["earliest_day"] = pl.Date
    if hasattr(source, "seek"):
        source.seek(0)
    return pl.read_csv(source, schema=schema)


def earliest_of(inputs: pl.DataFrame) -> np.ndarray | None:
    """Days since 1970-01-01 of ``earliest_day`` (0 for empty), or None for a v1 file."""
    import polars as pl

    if "earliest_day" not in inputs.columns:
        return None
    return inputs["earliest_day"].cast(pl.Int32).fill_null(0).to_numpy()


def read_results_csv(source: Path | IO[bytes] | bytes) -> pl.DataFrame:
    import polars as pl

    return pl.read_csv(source, schema={"ticket": pl.UInt64, "port": pl.String, "tier": pl.String,
                                       "rank": pl.Int64, "day": pl.Date, "slot": pl.String,
                                       "size": pl.Int16})


def epoch_days(dates: pl.Series) -> np.ndarray:
    import polars as pl

    return dates.cast(pl.Int32).cast(pl.Int64).to_numpy()


__all__ = ["FORMAT", "INPUT_COLUMNS", "RESULT_COLUMNS", "_EPOCH", "bins_from_json", "bins_json",
           "earliest_of",
           "draw_inputs_record", "rule_of", "epoch_days", "inputs_digest", "inputs_frame",
           "read_inputs_csv", "read_results_csv", "results_frame", "road_times_digest",
           "road_times_rows",
           "to_csv"]
