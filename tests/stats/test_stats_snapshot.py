"""Each import stores a Parquet snapshot of its rows: a worker that has not seen an
import reads that snapshot into DuckDB, never the rows one by one, and notices an
import made through another app or engine by the next report (`stats.olap`)."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import polars as pl
import pytest
from cbp_files import small_southwest
from fastapi.testclient import TestClient
from sqlalchemy import delete, event, func, select
from typer.testing import CliRunner

from garita.app import create_app
from garita.audit.models import AuditEntry
from garita.cli import app as cli
from garita.db import make_engine, make_sessionmaker, transaction
from garita.stats import olap, service
from garita.stats.models import StatsImport, StatsSnapshot
from garita.stats.snapshot import COLUMNS
from kit import settings_for

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


class Statements:
    """The SQL an engine sends, while in a ``with`` block."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []

    def _keep(self, conn, cursor, statement, *_):
        self.sent.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._keep)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self._keep)

    def reading(self, table: str) -> list[str]:
        return [s for s in self.sent if f"FROM {table}" in s]

    def snapshots(self) -> list[str]:
        return [s for s in self.sent if "stats_snapshot.parquet" in s]


def _by_month(sessions, region="southwest"):
    with transaction(sessions) as s:
        return {r["month"]: r["encounters"]
                for r in service.encounters(s, region, ["month"]).rows}


def test_an_import_stores_its_rows_as_parquet_in_its_transaction(tmp_path, load, sessions):
    load(small_southwest(tmp_path / "sw.csv", months=("OCT", "NOV", "DEC")))
    with transaction(sessions) as s:
        [(import_id, blob)] = s.execute(select(StatsSnapshot.import_id,
                                               StatsSnapshot.parquet)).all()
        assert import_id == s.execute(select(StatsImport.id)).scalar_one()
    frame = pl.read_parquet(io.BytesIO(blob))
    assert frame.height == 12 and frame["encounters"].sum() == 3 * (1000 + 20 + 3000 + 7)
    assert frame.columns == list(COLUMNS)
    assert frame["region"].unique().to_list() == ["Southwest Land Border"]
    with pytest.raises(ValueError, match="boom"), transaction(sessions) as s:
        service.import_file(s, "b.csv", small_southwest(tmp_path / "b.csv", fy="2024", base=5)
                            .read_bytes(), NOW, "test")
        raise ValueError("boom")  # the import's transaction fails: no snapshot stays
    with transaction(sessions) as s:
        assert s.execute(select(func.count()).select_from(StatsSnapshot)).scalar_one() == 1


def test_a_fresh_worker_reads_the_snapshot_not_the_rows(tmp_path, load, database_url):
    load(small_southwest(tmp_path / "sw.csv"),
         small_southwest(tmp_path / "sw-dec.csv", months=("DEC",), base=10))
    olap.forget()  # as a worker started after the import
    engine = make_engine(database_url)  # a new engine, as a new process opens
    sessions = make_sessionmaker(engine)
    try:
        with Statements(engine) as first:
            assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 4027, "2024-12": 67}
        assert first.reading("stats_encounter") == []
        assert len(first.snapshots()) == 1  # both snapshots, one query
        with Statements(engine) as second:
            assert _by_month(sessions, "all") == {"2024-10": 4027, "2024-11": 4027,
                                                  "2024-12": 67}
        assert second.snapshots() == []  # the worker kept its tables
        assert second.reading("stats_encounter") == []
    finally:
        engine.dispose()


def test_an_import_without_a_snapshot_is_read_from_its_rows_until_given_one(
        tmp_path, load, sessions, database_url, monkeypatch):
    """Imports stored before snapshots existed (migration 0019) still report, and
    ``garita stats snapshot`` gives them one from the rows they still hold."""
    load(small_southwest(tmp_path / "a.csv", months=("OCT", "NOV"), base=1000))
    with transaction(sessions) as s:
        s.execute(delete(StatsSnapshot))
    olap.forget()
    load(small_southwest(tmp_path / "b.csv", months=("NOV", "DEC"), base=2000))
    engine = sessions.kw["bind"]
    with Statements(engine) as seen:
        assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 8027, "2024-12": 8027}
    assert len(seen.reading("stats_encounter")) == 1  # the old import's rows, once
    with Statements(engine) as again:
        _by_month(sessions)
    assert again.reading("stats_encounter") == []

    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    r = CliRunner().invoke(cli, ["stats", "snapshot"])
    assert r.exit_code == 0 and "1 import(s) given a snapshot" in r.output, r.output
    r = CliRunner().invoke(cli, ["stats", "snapshot"])
    assert r.exit_code == 0 and "nothing changed" in r.output, r.output
    with transaction(sessions) as s:
        [(blob, actions)] = s.execute(
            select(StatsSnapshot.parquet, select(func.count()).select_from(AuditEntry)
                   .where(AuditEntry.action == "stats.snapshot").scalar_subquery())
            .join(StatsImport).where(StatsImport.file_name == "a.csv")).all()
    assert actions == 1
    frame = pl.read_parquet(io.BytesIO(blob))  # October only: November is b's now
    assert frame["month"].unique().to_list() == [dt.date(2024, 10, 1)]
    olap.forget()
    with Statements(engine) as fresh:
        assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 8027, "2024-12": 8027}
    assert fresh.reading("stats_encounter") == [] and len(fresh.snapshots()) == 1


def test_a_worker_holding_an_older_release_reports_the_newer_one(tmp_path, load, sessions):
    load(small_southwest(tmp_path / "a.csv", months=("OCT", "NOV"), base=1000))
    assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 4027}  # the worker holds a
    load(small_southwest(tmp_path / "b.csv", months=("NOV", "DEC"), base=2000))
    # a's snapshot still has November: the coverage says b holds it now
    assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 8027, "2024-12": 8027}
    url = sessions.kw["bind"].url.render_as_string(hide_password=True)
    with transaction(sessions) as s:
        ids = s.execute(select(StatsImport.id).order_by(StatsImport.id)).scalars().all()
    held = [k[1:] for k in olap.tables() if k[0] == url and k[1] in ids]
    assert sorted(k[0] for k in held) == ids  # one table per import, a's replaced
    with transaction(sessions) as s:
        assert service.encounters(s, "southwest", ["fiscal_year"]).rows == [
            {"fiscal_year": 2025, "encounters": 4027 + 2 * 8027, "partial": True}]


def test_an_import_through_one_app_is_seen_by_another(tmp_path, client, database_url):
    """Two apps over one database, as two workers: each holds its own DuckDB tables
    (here in one process, so they share them: the import's id tells them apart)."""
    other = create_app(settings_for(database_url))
    try:
        with TestClient(other) as second:
            assert client.get("/stats/encounters?by=month").json()["rows"] == []
            path = small_southwest(tmp_path / "sw.csv")
            with transaction(other.state.sessions) as s:  # the other app's engine imports
                service.import_file(s, path.name, path.read_bytes(),
                                    NOW, "test")
            months = client.get("/stats/encounters?by=month").json()["rows"]
            assert [m["month"] for m in months] == ["2024-10", "2024-11"]
            path = small_southwest(tmp_path / "sw-dec.csv", months=("DEC",), base=10)
            with transaction(client.app.state.sessions) as s:  # the first app imports
                service.import_file(s, path.name, path.read_bytes(),
                                    NOW, "test")
            for app in (second, client):
                months = app.get("/stats/encounters?by=month").json()["rows"]
                assert [m["month"] for m in months] == ["2024-10", "2024-11", "2024-12"]
    finally:
        other.state.engine.dispose()


def test_a_worker_whose_files_were_removed_reads_the_snapshots_again(tmp_path, load, sessions):
    load(small_southwest(tmp_path / "sw.csv"))
    assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 4027}
    [folder] = {p.parent for p in olap.files()}
    shutil.rmtree(folder)  # as a /tmp cleaner might, under a long-running worker
    with Statements(sessions.kw["bind"]) as seen:
        assert _by_month(sessions) == {"2024-10": 4027, "2024-11": 4027}
    assert len(seen.snapshots()) == 1 and seen.reading("stats_encounter") == []
    assert all(p.exists() for p in olap.files())
