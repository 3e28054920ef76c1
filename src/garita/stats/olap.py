"""Encounter reports computed by DuckDB over a columnar copy of the stored CBP rows.

Issue 15 asks for reports over five years in DuckDB or Polars over the stored tables.
DuckDB's SQLite and PostgreSQL scanners are extensions it downloads, which an offline
deployment cannot do, so each worker reads ``stats_encounter`` once through Polars into
an in-memory DuckDB table and keeps it while the imports stay the same: the copy is
keyed by the database and by every import's id and SHA-256, which change with each
import or newer release (the only writes to the table). A report is then one GROUP BY
in DuckDB over the rows of the chosen sources (one dataset per region and month, chosen
by `stats.core.choose_sources` as before).

Rows are ordered by the grouped columns, NULLs last, text in binary (code point) order
on every database.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import duckdb
import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.stats.formats import DIMENSIONS
from garita.stats.models import StatsImport

COLUMNS = ("dataset", "region", "month", *(d for d in DIMENSIONS
                                            if d not in ("dataset", "region", "month")),
           "encounters")
KEPT = 4  # databases per worker (tests open many; a service one)

_copies: OrderedDict[tuple, duckdb.DuckDBPyConnection] = OrderedDict()
_lock = threading.Lock()


def _key(session: Session) -> tuple:
    imports = session.execute(select(StatsImport.id, StatsImport.sha256)
                              .order_by(StatsImport.id)).all()
    return (session.get_bind().engine.url.render_as_string(hide_password=True),
            tuple((int(i), s) for i, s in imports))


TYPES = {"month": pl.Date, "fiscal_year": pl.Int32, "encounters": pl.Int64}
SCHEMA = {c: TYPES.get(c, pl.String) for c in COLUMNS}


def _read_rows(session: Session) -> pl.DataFrame:
    """The stored rows as a frame, in this session's transaction: PostgreSQL hands them
    over as CSV through COPY (parsed by Polars, natively); SQLite through its cursor
    (raw tuples: SQLAlchemy's row objects and Polars' ``read_database`` on top of them
    took twice as long). Hand-written because no library reads either into Polars
    without a driver this deployment lacks (connectorx, ADBC)."""
    columns = ", ".join(COLUMNS)
    raw = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        buffer = io.BytesIO()
        with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
                f"COPY (SELECT {columns} FROM stats_encounter) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, new_columns=list(COLUMNS),
                           schema_overrides=SCHEMA, infer_schema=False)
    cursor = raw.cursor()  # type: ignore[union-attr]
    cursor.execute(f"SELECT {columns} FROM stats_encounter")
    frame = pl.DataFrame(cursor.fetchall(), schema={c: (pl.String if c == "month" else t)
                                                    for c, t in SCHEMA.items()},
                         orient="row")
    return frame.with_columns(pl.col("month").str.to_date("%Y-%m-%d"))


def _copy(session: Session) -> duckdb.DuckDBPyConnection:
    """This worker's DuckDB copy of the stored rows, read again after any import."""
    key = _key(session)
    with _lock:
        if key in _copies:
            _copies.move_to_end(key)
            return _copies[key]
        frame = _read_rows(session)
        con = duckdb.connect(":memory:")
        con.register("loaded", frame)
        con.execute("CREATE TABLE encounter AS SELECT * FROM loaded")
        con.unregister("loaded")
        _copies[key] = con
        while len(_copies) > KEPT:
            _copies.popitem(last=False)[1].close()
        return con


def grouped(session: Session, chosen: Iterable[tuple[str, str, dt.date]],
            dims: list[str]) -> list[tuple[Any, ...]]:
    """(dimension values..., encounters) of the rows of the chosen (dataset, region,
    month) sources, grouped by ``dims`` (names from `formats.DIMENSIONS`) and ordered."""
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:  # names go into the SQL text: only the known columns, never input
        raise ValueError(f"unknown dimensions {unknown}")
    sources = pl.DataFrame(list(chosen), schema={"dataset": pl.String, "region": pl.String,
                                                 "month": pl.Date}, orient="row")
    cols = ", ".join(f'e."{d}"' for d in dims)
    order = ", ".join(f'e."{d}" NULLS LAST' for d in dims)
    cursor = _copy(session).cursor()  # one cursor per call: workers' threads share the copy
    try:
        cursor.register("chosen", sources)
        return cursor.execute(
            f"SELECT {cols}, sum(e.encounters)::BIGINT FROM encounter e "
            "JOIN chosen c ON e.dataset = c.dataset AND e.region = c.region "
            f"AND e.month = c.month GROUP BY {cols} ORDER BY {order}").fetchall()
    finally:
        cursor.close()
