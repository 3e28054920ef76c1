"""One day's requests as columns, fast: what the draw reads at a million rows.

One small path per dialect, both ending in the same Polars frame (id, port
index, group size, registration epoch seconds):

* PostgreSQL: one ``bytea`` of fixed-width binary records built by the server,
  parsed with one ``np.frombuffer`` — no Python object per row.
* SQLite: one CSV text built by ``group_concat`` in C, parsed by Polars.

It lives with the requests (their table, their layout); the draw turns the frame
into its keys (``garita.draw.read``).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from garita.policy.ports import PORT_CODES
from garita.requests.service import set_aside

if TYPE_CHECKING:
    import polars as pl

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


def read_frame(session: Session, service_date: dt.date,
               aside: dict[int, int] | None = None) -> pl.DataFrame:
    """The day's entries: id, port (index into PORT_CODES), size, epoch (UTC seconds).

    Requests set aside because a person in them entered already through an earlier
    request (:func:`garita.requests.service.set_aside`, or ``aside`` when the caller has
    it already) are left out.
    """
    frame = _read_all(session, service_date)
    aside = set_aside(session, service_date) if aside is None else aside
    return frame.filter(~frame["id"].is_in(list(aside))) if aside else frame


def _read_all(session: Session, service_date: dt.date) -> pl.DataFrame:
    import polars as pl  # not at module level: API worker memory (docs/benchmarks.md)

    schema = {"id": pl.Int64, "port": pl.Int16, "size": pl.Int16, "epoch": pl.Int64}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection  # binary: no hex doubling of the bytes
        assert raw is not None  # typed optional for a closed connection; this one is open
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
