"""Read one day's requests as columns, fast: the draw's input side at a million rows.

One small path per dialect, both ending in the same Polars frame (id, port
code, group size, registration epoch seconds):

* PostgreSQL: ``COPY (SELECT ...) TO STDOUT`` as CSV inside the session's
  transaction, parsed by Polars — no Python object per row.
* SQLite: a plain cursor over the same SELECT (``fetchall`` of tuples is the
  fastest the sqlite3 module offers), handed to Polars column-wise.

Then `draw_columns` turns the frame into what the draw keys on: tickets
(`pseudonyms.tickets`), port indices, sizes and the registration *date* in the
policy's time zone. The longest-waiting tier orders by that date (DESIGN §2,
"by registration date"), not the second: a registration time to the second
would be a quasi-identifier in the published list.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from garita.draw.pseudonyms import tickets
from garita.policy.ports import PORT_CODES

if TYPE_CHECKING:
    import polars as pl

PORT_INDEX = {code: i for i, code in enumerate(PORT_CODES)}
#: PostgreSQL sends the whole day as ONE bytea of fixed-width binary records
#: (id int8, size int2, registered_at as timestamptz_send: int8 µs since
#: 2000-01-01 UTC, port as its 3 ASCII bytes). Why: psycopg's COPY hands out
#: one Python chunk per row (~10 µs each: 10 s a million), and cheaper
#: per-row SQL (no epoch arithmetic, no port lookup) keeps the server's
#: share down; the client parses it with one ``np.frombuffer``.
_RECORD = np.dtype([("id", ">i8"), ("size", ">i2"), ("us", ">i8"), ("port", "S3")])
_PG = ("SELECT string_agg(int8send(id) || int2send(group_size::int2) "
       "|| timestamptz_send(registered_at) || textsend(port), ''::bytea) "
       "FROM daily_request WHERE service_date = %(day)s")
_PG_EPOCH = 946_684_800  # 2000-01-01 in Unix seconds
_CODES = np.asarray(PORT_CODES, dtype="S3")
#: SQLite: one CSV text built by group_concat in C, parsed by Polars.
_SQLITE = ("SELECT group_concat(id || ',' || port || ',' || group_size || ',' || "
           "CAST(strftime('%s', registered_at) AS INTEGER), char(10)) "
           "FROM daily_request WHERE service_date = :day")


def read_frame(session: Session, service_date: dt.date) -> pl.DataFrame:
    """The day's requests: id, port (index into PORT_CODES), size, epoch (UTC seconds)."""
    import polars as pl  # not at module level: API worker memory (docs/benchmarks.md)

    schema = {"id": pl.Int64, "port": pl.Int16, "size": pl.Int16, "epoch": pl.Int64}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection  # binary: no hex doubling of the bytes
        with raw.cursor(binary=True) as cur:
            blob = cur.execute(_PG, {"day": service_date}).fetchone()[0]
        rec = np.frombuffer(blob or b"", dtype=_RECORD)
        return pl.DataFrame({"id": rec["id"].astype(np.int64), "port": _port_index(rec["port"]),
                             "size": rec["size"].astype(np.int16),
                             "epoch": rec["us"].astype(np.int64) // 1_000_000 + _PG_EPOCH},
                            schema=schema)
    blob = connection.execute(text(_SQLITE), {"day": service_date.isoformat()}).scalar()
    if not blob:
        return pl.DataFrame(schema=schema)
    frame = pl.read_csv(io.StringIO(blob), has_header=False, new_columns=list(schema),
                        schema_overrides=schema | {"port": pl.String})
    return frame.with_columns(pl.col("port").cast(pl.Enum(PORT_CODES)).to_physical()
                              .cast(pl.Int16))


def _port_index(codes: np.ndarray) -> np.ndarray:
    order = np.argsort(_CODES)
    found = np.searchsorted(_CODES[order], codes).clip(0, len(_CODES) - 1)
    index = order[found]
    if codes.size and not np.array_equal(_CODES[index], codes):
        raise ValueError(f"unknown port codes {sorted(set(codes.tolist()) - set(_CODES))}")
    return index.astype(np.int16)


def registration_days(epoch: pl.Series | np.ndarray, tz: str) -> np.ndarray:
    """Days since 1970-01-01 of each registration's local date in `tz` (int64).

    Vectorised by hand because converting a million timestamps through a time
    zone element by element (Polars ``convert_time_zone``) took ~0.35 s: the
    zone's offsets change only at a few instants, so find those instants in
    the data's range (`_offsets`, checked daily, bisected to the second) and
    look each timestamp up with one ``searchsorted``. Exact for zones that do
    not change offset twice within one day (none in tzdata's recent history).
    """
    seconds = np.asarray(epoch, dtype=np.int64)
    if seconds.size == 0:
        return seconds.copy()
    starts, offsets = _offsets(tz, int(seconds.min()), int(seconds.max()))
    local = seconds + offsets[np.searchsorted(starts, seconds, side="right") - 1]
    return local // 86_400


def _offsets(tz: str, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """(instants from which each UTC offset holds, the offsets in seconds) over [low, high]."""
    zone = ZoneInfo(tz)

    def offset(t: int) -> int:
        return int(dt.datetime.fromtimestamp(t, zone).utcoffset().total_seconds())

    first = low - low % 86_400
    starts, offsets = [first], [offset(first)]
    for day in range(first + 86_400, high + 86_400, 86_400):  # no zone changes twice a day
        now = offset(day)
        if now != offsets[-1]:  # changed within (day - 1 day, day]: bisect to the second
            lo, hi = day - 86_400, day
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == offsets[-1] else (lo, mid)
            starts.append(hi)
            offsets.append(now)
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def draw_columns(frame: pl.DataFrame, ticket_key: bytes, tz: str) -> dict[str, np.ndarray]:
    """Columns for `core.DrawRequests` plus the request ids, aligned row by row.

    ``registered_at`` is midnight UTC of the local registration date, in epoch
    seconds: ordered like the date, and in the unit the core documents.
    """
    ids = frame["id"].to_numpy()
    return {
        "id": ids,
        "ticket": tickets(ticket_key, ids),
        "port": frame["port"].to_numpy(),
        "size": frame["size"].to_numpy(),
        "registered_at": registration_days(frame["epoch"], tz) * 86_400,
    }
