"""The Parquet snapshot an import stores of its rows (``stats_snapshot``).

Written on the import path with Polars, which is loaded there anyway; read by
`stats.olap` with DuckDB alone. Its own module so that importing does not load
DuckDB, nor answering a report Polars.
"""

from __future__ import annotations

import io
from typing import Any

from garita.stats.formats import DIMENSIONS

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
