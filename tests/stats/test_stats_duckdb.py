"""Encounter reports run in DuckDB (`stats.olap`), not as SQL in the database, and give
the very numbers the SQL implementation gave on the shared CBP files.

``data/reports_sql.json`` was recorded from the previous implementation (one GROUP BY in
SQLite over the chosen sources) on the two shared files, before the change: per report
shape, the row count, the total, the SHA-256 of its rows (each as sorted-key JSON, the
rows sorted) and its sources.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import polars as pl
import pytest
from cbp_files import AOR, STATE
from sqlalchemy import event, select

from garita.db import transaction
from garita.stats import olap, service
from garita.stats.models import StatsImport, StatsSnapshot

RECORDED = json.loads((Path(__file__).parent / "data" / "reports_sql.json").read_text())
pytestmark = pytest.mark.skipif(not (AOR.exists() and STATE.exists()),
                                reason=f"the CBP files are not in {AOR.parent} (shared data)")


def _digest(rows: list[dict]) -> str:
    lines = sorted(json.dumps(r, sort_keys=True) for r in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_duckdb_reports_give_the_numbers_the_sql_reports_gave(load, sessions):
    load(AOR, STATE)
    statements: list[str] = []
    engine = sessions.kw["bind"]

    def keep(conn, cursor, statement, *_):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with transaction(sessions) as s:
            got = {shape: service.encounters(s, shape.split("?by=")[0],
                                             shape.split("?by=")[1].split(","))
                   for shape in RECORDED}
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    for shape, want in RECORDED.items():
        report = got[shape]
        assert len(report.rows) == want["rows"], shape
        assert sum(r["encounters"] for r in report.rows) == want["encounters"], shape
        assert _digest(report.rows) == want["sha256"], shape
        assert [[x.region, x.dataset, x.first_month, x.last_month, x.months]
                for x in report.sources] == want["sources"], shape
    grouping = [s for s in statements if "stats_encounter" in s and "GROUP BY" in s.upper()]
    assert grouping == []  # the database only hands over rows; DuckDB groups them
    with transaction(sessions) as s:
        blobs = s.execute(select(StatsSnapshot.parquet).order_by(StatsSnapshot.import_id)
                          ).scalars().all()
        held = s.execute(select(StatsImport.id, StatsImport.sha256)).all()
    frames = [pl.read_parquet(io.BytesIO(b)) for b in blobs]
    assert [f.height for f in frames] == [68_815, 54_939]  # one snapshot per import, each
    total = RECORDED["all?by=fiscal_year"]["encounters"]  # with every encounter (by AOR,
    assert [f["encounters"].sum() for f in frames] == [total, total]  # by state): a report
    # reads one of them per region and month
    url = engine.url.render_as_string(hide_password=True)
    assert {(url, i, sha) for i, sha in held} <= {k[:3] for k in olap.tables()}  # this
    # worker's copies of the two imports, read from their snapshots
