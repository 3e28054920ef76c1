"""``garita watchlist load`` / ``screen run`` / ``integrity run`` on a SQLite file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from garita.cli import app
from kit import SHARED_DATA

runner = CliRunner()
OFAC = SHARED_DATA / "ofac" / "2021-04-25"


def test_cli_load_screen_integrity(tmp_path, monkeypatch) -> None:
    if not (OFAC / "sdn.csv").exists():
        pytest.skip(f"the OFAC list is not at {OFAC}")
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["watchlist", "load", str(OFAC), "--name", "ofac-sdn"])
    assert r.exit_code == 0 and "8890 entries" in r.output, r.output
    r = runner.invoke(app, ["watchlist", "load", str(OFAC), "--name", "ofac-sdn"])
    assert r.exit_code == 2 and "already loaded" in r.output
    r = runner.invoke(app, ["watchlist", "load", str(tmp_path / "nope.csv")])
    assert r.exit_code == 2 and "does not exist" in r.output
    r = runner.invoke(app, ["screen", "run"])
    assert r.exit_code == 0 and "screened 0 people" in r.output, r.output
    r = runner.invoke(app, ["integrity", "run"])
    assert r.exit_code == 0 and "new alerts" in r.output, r.output


def test_cli_load_refuses_a_malformed_ofac_folder_in_one_line(tmp_path) -> None:
    folder = tmp_path / "ofac"
    folder.mkdir()
    (folder / "sdn.csv").write_text('10,"DOE, John","individual"\r\n', encoding="latin-1")
    r = runner.invoke(app, ["watchlist", "load", str(folder)])
    assert r.exit_code == 2 and "expected 12" in r.output, r.output
    assert "Traceback" not in r.output


def test_cli_integrity_run_on_an_empty_database(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["integrity", "run"])
    assert r.exit_code == 0 and "0 people" in r.output and "0 new alerts" in r.output, r.output
    r = runner.invoke(app, ["screen", "run"])
    assert r.exit_code == 2 and "watchlist load" in r.output, r.output
