"""Encounter reports run in DuckDB (`stats.olap`), not as SQL in the database, and give
the very numbers the SQL implementation gave on the shared CBP files.

``data/reports_sql.json`` was recorded from the previous implementation (one GROUP BY in
SQLite over the chosen sources) on the two shared files, before the change: per report
shape, the row count, the total, the SHA-256 of its rows (each as sorted-key JSON, the
rows sorted) and its sources.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cbp_files import AOR, STATE
from sqlalchemy import event

from garita.db import transaction
from garita.stats import olap, service

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
    [copy] = [c for key, c in olap._copies.items() if key[0] == engine.url.render_as_string(
        hide_password=True) and len(key[1]) == 2]  # one copy for the two imports
    assert copy.execute("SELECT count(*), sum(encounters) FROM encounter").fetchone() == (
        68_815 + 54_939, 2 * RECORDED["all?by=fiscal_year"]["encounters"])  # both files
    # hold every encounter (by AOR, by state): the copy keeps both, a report reads one


def test_a_new_import_is_seen_by_the_next_report(load, report, tmp_path):
    from cbp_files import small_southwest

    load(small_southwest(tmp_path / "sw.csv"))
    before = report("southwest", "month").rows
    load(small_southwest(tmp_path / "sw-dec.csv", months=("DEC",), base=10))
    after = report("southwest", "month").rows
    assert [r["month"] for r in before] == ["2024-10", "2024-11"]
    assert [r["month"] for r in after] == ["2024-10", "2024-11", "2024-12"]
