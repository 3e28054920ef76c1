"""GARITA_CLOCK_START: the service's clock starts at a given instant and runs at real speed.

Honoured by the API (the request window, tokens issued and checked) and by the CLI.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from garita.app import create_app
from garita.cli import app as cli
from garita.settings import Settings
from kit import ET, TIJUANA, applicant, ask, empty_database, register, settings_for

IN_WINDOW = dt.datetime(2024, 9, 10, 12, 30, tzinfo=ET)  # the 12:00-23:59 ET window
BEFORE_WINDOW = dt.datetime(2024, 9, 10, 9, 0, tzinfo=ET)


def test_the_clock_starts_at_the_instant_and_runs_at_real_speed():
    settings = Settings(clock_start="2024-09-10T12:30:00-04:00")
    first = settings.now()
    assert first.tzinfo == dt.UTC
    assert dt.timedelta(0) <= first - IN_WINDOW < dt.timedelta(minutes=5)
    time.sleep(0.02)
    assert settings.now() - first >= dt.timedelta(milliseconds=20)
    assert abs(Settings().now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


def test_an_instant_without_its_offset_is_refused():
    with pytest.raises(ValidationError, match="timezone"):
        Settings(clock_start="2024-09-10T12:30:00")


@pytest.mark.parametrize("start", [IN_WINDOW, BEFORE_WINDOW])
def test_the_api_runs_on_the_clock_tokens_included(database_url, start):
    """A clock years away from real time: tokens issued on it work; the window follows it."""
    empty_database(database_url)
    app = create_app(settings_for(database_url, clock_start=start.isoformat(),
                                  token_minutes=30))
    with TestClient(app) as client:
        h = applicant(client)
        reg = register(client, h)
        assert client.get(f"/registrations/{reg['id']}", headers=h).status_code == 200
        r = ask(client, h, reg["id"], TIJUANA)
        if start == IN_WINDOW:
            assert r.status_code == 201, r.text
            assert dt.datetime.fromisoformat(r.json()["requested_at"]) - start < \
                dt.timedelta(minutes=5)
        else:
            assert r.status_code == 422, r.text  # said in Tijuana's time, Eastern beside it
            assert "Come back at 09:00 PDT (America/Tijuana; 12:00 EDT America/New_York)" \
                in r.json()["detail"]


def test_a_token_from_a_real_time_clock_has_expired_on_a_clock_a_day_later(database_url):
    empty_database(database_url)
    now = create_app(settings_for(database_url, token_minutes=30))
    later = create_app(settings_for(database_url, token_minutes=30,
                                    clock_start=(dt.datetime.now(dt.UTC)
                                                 + dt.timedelta(days=1)).isoformat()))
    with TestClient(now) as a, TestClient(later) as b:
        h = applicant(a)
        assert a.get("/registrations", headers=h).status_code == 200
        assert b.get("/registrations", headers=h).status_code == 401
        ahead = applicant(b)  # issued a day ahead of real time ("iat" in the future)
        assert b.get("/registrations", headers=ahead).status_code == 200


def test_cli_commands_run_on_the_clock(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'clock.sqlite3'}")
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    monkeypatch.setenv("GARITA_CLOCK_START", "2024-09-11T11:00:00-04:00")  # before the draw
    r = runner.invoke(cli, ["draw", "run", "--date", "2024-09-10"])
    assert r.exit_code == 2 and "runs at 2024-09-11 12:00" in r.output, r.output
    monkeypatch.setenv("GARITA_CLOCK_START", "2024-09-11T12:05:00-04:00")
    r = runner.invoke(cli, ["draw", "run", "--date", "2024-09-10"])
    assert r.exit_code == 0 and "ran now" in r.output, r.output
