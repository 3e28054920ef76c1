"""The Parquet snapshot an import stores of its rows (``stats_snapshot``).

Written on the import path with Polars, which is loaded there anyway (or, for imports
made before snapshots existed, by ``garita stats snapshot``); read by `stats.olap` with
DuckDB alone. Its own module so that importing does not load
DuckDB, nor answering a report Polars.
"""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.stats.formats import DIMENSIONS
from garita.stats.models import StatsEncounter

#: The reported columns, in the order every snapshot holds them.
COLUMNS = ("dataset", "region", "month", *(d for d in DIMENSIONS
                                            if d not in ("dataset", "region", "month")),
           "encounters")


def snapshot(frame: Any) -> bytes:
    """The Parquet bytes stored for one import: ``frame`` (a Polars frame of the rows
    as written to ``stats_encounter``) reduced to the reported columns."""
    import polars as pl

    out = io.BytesIO()
    frame.select(pl.col("month").cast(pl.Date), pl.col("fiscal_year").cast(pl.Int32),
                 pl.col("encounters").cast(pl.Int64),
                 *(pl.col(c).cast(pl.String) for c in COLUMNS
                   if c not in ("month", "fiscal_year", "encounters"))
                 ).select(COLUMNS).write_parquet(out, compression="zstd")
    return out.getvalue()


def from_rows(session: Session, import_id: int) -> bytes:
    """The snapshot of an import stored before snapshots existed, from the rows it still
    holds (the months no newer release took over: the only ones reports read of it)."""
    import polars as pl

    columns = [getattr(StatsEncounter, c) for c in COLUMNS]
    rows = session.execute(select(*columns).where(StatsEncounter.import_id == import_id)).all()
    return snapshot(pl.DataFrame([tuple(r) for r in rows], schema=list(COLUMNS), orient="row",
                                 infer_schema_length=None))
