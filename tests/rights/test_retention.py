"""The retention job (issue 16, point 5): `garita rights retention` erases registrations
unused for GARITA_RETENTION_DAYS, keeps the others, is idempotent and audited."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from typer.testing import CliRunner

from garita.cli import app as cli
from kit import TIJUANA, applicant, ask, register

runner = CliRunner()


def test_retention_erases_what_is_past_the_period_once(client, clock, database_url,
                                                       monkeypatch):
    me = applicant(client)
    idle = register(client, me)
    used = register(client, me)
    clock.set_et(dt.date(2024, 10, 21), 14)
    assert ask(client, me, used["id"], TIJUANA).status_code == 201  # last used 2024-10-21

    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    monkeypatch.setenv("GARITA_RETENTION_DAYS", "730")
    # 2026-10-01: idle (registered 2024-09-10) is 751 days unused, used only 710
    monkeypatch.setenv("GARITA_CLOCK_START", "2026-10-01T03:00:00+00:00")
    r = runner.invoke(cli, ["rights", "retention"])
    assert r.exit_code == 0, r.output
    assert "2 examined, 1 erased" in r.output
    r = runner.invoke(cli, ["rights", "retention"])
    assert r.exit_code == 0 and "1 examined, 0 erased" in r.output  # idempotent

    engine = client.app.state.engine
    with engine.connect() as c:
        erased = dict(c.execute(sa.text("SELECT id, erased_at IS NOT NULL FROM registration")).all())
        names = dict(c.execute(sa.text("SELECT registration_id, given_names FROM person")).all())
        runs = c.execute(sa.text("SELECT actor, action FROM audit_entry WHERE actor = "
                                 "'system:retention' ORDER BY at, id")).all()
    assert erased == {idle["id"]: True, used["id"]: False}
    assert names == {idle["id"]: "", used["id"]: "Ana"}
    assert [a for _, a in runs].count("retention.run") == 2
    assert [a for _, a in runs].count("registration.erase") == 1
    assert client.get(f"/registrations/{idle['id']}", headers=me).status_code == 404
    r = runner.invoke(cli, ["audit", "verify"])
    assert r.exit_code == 0 and "intact" in r.output
