"""``garita port close-day`` and ``garita port summary`` against the test databases."""

from __future__ import annotations

from port_days import APPOINTMENT_DAY
from typer.testing import CliRunner

from garita.cli import app
from kit import staff

runner = CliRunner()


def test_close_day_from_the_command_line(client, book, database_url, monkeypatch):
    came, absent = book([(0, "SYS"), (1, "SYS")])
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    day = str(APPOINTMENT_DAY)
    r = runner.invoke(app, ["port", "close-day", "--port", "SYS", "--date", day])
    assert r.exit_code == 0, r.output
    assert "closed now: 2 no-show groups, 3 persons" in r.output
    r = runner.invoke(app, ["port", "close-day", "--port", "SYS", "--date", day])
    assert r.exit_code == 0 and "already closed" in r.output
    r = runner.invoke(app, ["port", "summary", "--port", "SYS", "--date", day])
    assert r.exit_code == 0 and "no_show" in r.output and "(closed)" in r.output
    r = runner.invoke(app, ["port", "close-day", "--port", "XYZ", "--date", day])
    assert r.exit_code == 2 and "Unknown port" in r.output
    r = runner.invoke(app, ["port", "close-day", "--port", "SYS", "--date", "2999-01-01"])
    assert r.exit_code == 2 and "has not come yet" in r.output
    listed = client.get(f"/ports/SYS/arrivals?date={day}", headers=staff(client)).json()
    assert {g["status"] for g in listed["groups"]} == {"no_show"}
    assert {g["offer_id"] for g in listed["groups"]} == {came.offer["id"], absent.offer["id"]}
