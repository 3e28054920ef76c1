"""The CLI end to end on a SQLite file: migrate, policy, draw, audit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from garita.cli import app
from garita.policy.service import shipped_history

runner = CliRunner()


def test_cli_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0 and "11 policy versions" in r.output
    r = runner.invoke(app, ["policy", "show", "--date", "2024-09-01"])
    assert r.exit_code == 0 and '"longest_waiting_share": 0.3' in r.output
    r = runner.invoke(app, ["policy", "show"])
    assert r.exit_code == 0 and "2025-01-20" in r.output

    version = shipped_history()[-2].model_dump(mode="json")
    version["effective_from"] = "2030-01-01"
    path = tmp_path / "v.json"
    path.write_text(json.dumps(version))
    r = runner.invoke(app, ["policy", "add", str(path)])
    assert r.exit_code == 0 and "2030-01-01" in r.output
    r = runner.invoke(app, ["policy", "add", str(path)])
    assert r.exit_code == 2 and "already starts" in r.output

    r = runner.invoke(app, ["draw", "run", "--date", "2024-12-01"])
    assert r.exit_code == 0 and "result digest" in r.output
    r = runner.invoke(app, ["draw", "run", "--date", "2024-12-01"])
    assert r.exit_code == 0 and "already ran" in r.output
    r = runner.invoke(app, ["draw", "run", "--date", "2025-02-01"])
    assert r.exit_code == 2 and "closed" in r.output
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0 and "intact" in r.output


def test_demo_fills_a_fresh_database_and_counts_refusals_by_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["demo", "--registrations", "60", "--days", "2", "--capacity", "20"])
    assert r.exit_code == 0, r.output
    days = [line for line in r.output.splitlines() if ": draw " in line]
    assert len(days) == 2 and "demo ready" in r.output
    # the second day: some registrations already hold the first day's appointment
    assert "appointment already held" in days[1], days
    for line in days:  # the reasons add up to the total
        total = int(line.split(" requests refused")[0].rsplit(" ", 1)[1])
        parts = [int(p.strip().split(" ", 1)[0]) for p in line.split("refused")[1].split(",")[1:]]
        assert sum(parts) == total, line
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0 and "intact" in r.output


def test_the_demo_starts_inside_a_window_and_its_draws_show_no_group_size_effect(
        tmp_path, monkeypatch):
    """`make demo`'s clock (12:30 ET today): earlier days drawn, today's window open, and
    `garita draw fairness` over the demo's draws flags nothing — group size included."""
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("GARITA_CLOCK_START", "2026-12-02T12:30:00-05:00")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["demo"])
    assert r.exit_code == 0, r.output
    drawn = [line.split(":")[0] for line in r.output.splitlines() if ": draw " in line]
    assert drawn == ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"]
    r = runner.invoke(app, ["draw", "fairness", "--from", "2026-11-28", "--to", "2026-12-01"])
    assert r.exit_code == 0 and "group_size" in r.output, r.output
    assert "no significant deviation" in r.output, r.output
    r = runner.invoke(app, ["draw", "run", "--date", "2026-12-02"])  # today: still open
    assert r.exit_code == 2 and "runs at 2026-12-03 12:00" in r.output, r.output
    _the_demo_has_a_duplicate_identity(tmp_path / "demo.sqlite3")


def _the_demo_has_a_duplicate_identity(path) -> None:
    """The analyst's queue holds duplicate-identity alerts: people registered twice under a
    spelling of their own, found by the integrity job's Splink model, both sides shown."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as c:
        rows = c.execute(sa.text("SELECT registration_id, evidence FROM alert "
                                 "WHERE kind = 'duplicate_identity'")).all()
    engine.dispose()
    assert rows, "the demo raised no duplicate-identity alert"
    pairs = [json.loads(e) for _, e in rows]
    assert all(p["this"]["date_of_birth"] == p["other"]["date_of_birth"] for p in pairs)
    assert any(p["this"]["family_names"] != p["other"]["family_names"]
               or p["this"]["given_names"] != p["other"]["given_names"] for p in pairs)
    assert all(r != p["other_registration_id"] for (r, _), p in zip(rows, pairs, strict=True))
