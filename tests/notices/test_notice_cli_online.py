"""``garita notice verify --online``: the signature, then what the register says now."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from typer.testing import CliRunner

from garita.cli import app as cli
from garita.offers.models import Offer
from kit import settings_for

runner = CliRunner()


def test_online_check_reads_the_register(client, appointment, database_url, monkeypatch):
    settings = settings_for(database_url)
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    monkeypatch.setenv("GARITA_SECRET_KEY", settings.secret_key.get_secret_value())
    offer_id = appointment["offer"]["id"]
    token = client.get(f"/offers/{offer_id}/notice", headers=appointment["headers"]).json()["token"]

    # The appointment (2024) is over by the real clock the CLI uses: signed, but expired.
    r = runner.invoke(cli, ["notice", "verify", token, "--online"])
    assert r.exit_code == 1 and "VALID" in r.output and "expired" in r.output, r.output

    future = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    with client.app.state.engine.begin() as c:  # the same notice, its day still ahead
        c.execute(update(Offer).where(Offer.id == offer_id).values(appointment_date=future))
    r = runner.invoke(cli, ["notice", "verify", token, "--online"])
    assert r.exit_code == 0 and "register: confirmed" in r.output, r.output

    with client.app.state.engine.begin() as c:
        c.execute(update(Offer).where(Offer.id == offer_id).values(status="no_show"))
    r = runner.invoke(cli, ["notice", "verify", token, "--online"])
    assert r.exit_code == 1 and "no_show" in r.output and "NOT valid for travel" in r.output
