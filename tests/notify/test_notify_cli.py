"""``garita notify run`` and the demo's messages, through the command line."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from garita.cli import app

runner = CliRunner()


def test_demo_shows_its_messages_and_a_second_run_sends_nothing_new(tmp_path, monkeypatch):
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["demo", "--registrations", "40", "--days", "2", "--capacity", "20"])
    assert r.exit_code == 0, r.output
    queued, delivered = map(int, re.search(r"messages: (\d+) queued, (\d+) delivered",
                                           r.output).groups())
    assert queued >= 40 and delivered == queued  # every registration told at least once
    r = runner.invoke(app, ["notify", "run"])
    assert r.exit_code == 0 and "queued 0 messages" in r.output, r.output
    r = runner.invoke(app, ["notify", "skip-backlog"])
    assert r.exit_code == 0 and "marked as told: 0 registrations" in r.output, r.output  # all told
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0 and "intact" in r.output
