"""``garita stats`` end to end on the test databases."""

from __future__ import annotations

import json

from cbp_files import small_southwest
from sqlalchemy import text
from typer.testing import CliRunner

from garita.cli import app
from garita.db import make_engine

runner = CliRunner()


def test_import_report_reconcile_from_the_command_line(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    path = small_southwest(tmp_path / "southwest-land-border-encounters.csv")
    r = runner.invoke(app, ["stats", "import", str(path)])
    assert r.exit_code == 0 and "imported, 0 months replaced" in r.output, r.output
    r = runner.invoke(app, ["stats", "import", str(path)])
    assert r.exit_code == 0 and "already imported, nothing changed" in r.output
    r = runner.invoke(app, ["stats", "encounters", "--region", "southwest", "--by",
                            "fiscal_year,component", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [
        {"fiscal_year": 2025, "component": "Office of Field Operations", "encounters": 2040,
         "partial": True},
        {"fiscal_year": 2025, "component": "U.S. Border Patrol", "encounters": 6014,
         "partial": True}]
    r = runner.invoke(app, ["stats", "encounters", "--region", "all", "--by",
                            "month,citizenship,demographic,title,encounter_type", "--json"])
    rows = json.loads(r.stdout)
    assert rows[0] == {"month": "2024-10", "citizenship": "Mexico",
                       "demographic": "Single Adults", "title": "Title 8",
                       "encounter_type": "Encounter", "encounters": 3000}
    r = runner.invoke(app, ["stats", "encounters", "--by", "fiscal_year"])
    assert r.exit_code == 0 and "2025 (partial)" in r.output and "8,054" in r.output
    assert "CBP Southwest Land Border Encounters" in r.output
    r = runner.invoke(app, ["stats", "reconcile"])
    assert r.exit_code == 0 and "agree" in r.output
    r = runner.invoke(app, ["stats", "imports"])
    assert r.exit_code == 0 and "southwest" in r.output
    # the import (once: the second was a no-op) is in the audit log, whose chains hold
    engine = make_engine(database_url)
    with engine.connect() as c:
        actions = c.execute(text("SELECT action, actor FROM audit_entry "
                                 "WHERE action LIKE 'stats.%'")).all()
    engine.dispose()
    assert actions == [("stats.import", "admin:cli")]
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0 and "intact" in r.output


def test_cli_errors_are_one_line_and_say_what_to_fix(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    r = runner.invoke(app, ["stats", "encounters", "--region", "east"])
    assert r.exit_code == 2 and "use one of southwest, northern, other, all" in r.output
    r = runner.invoke(app, ["stats", "encounters", "--by", "fiscal_year,colour"])
    assert r.exit_code == 2 and "cannot group by colour" in r.output
    r = runner.invoke(app, ["stats", "encounters", "--by", "state,component"])
    assert r.exit_code == 2 and "no CBP dataset publishes state, component" in r.output
    r = runner.invoke(app, ["stats", "import", str(tmp_path / "missing.csv")])
    assert r.exit_code == 2 and "cannot read" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    r = runner.invoke(app, ["stats", "import", str(bad)])
    assert r.exit_code == 2 and "bad.csv was refused, nothing was loaded" in r.output
