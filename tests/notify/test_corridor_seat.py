"""A planned bus seat becomes a message with the departure on the hub's clock."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from kit import settings_for, staff

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corridor"))
from corridor_kit import confirm_three  # the corridor tests' confirmed trio

OUTBOX = Transports(email=OutboxTransport(), short=OutboxTransport())


def test_seat_planned_names_bus_place_and_departure(client, clock, database_url):
    (fam, _, fam_offer), _, _ = confirm_three(client, clock)
    seat = client.post(f"/corridor/appointments/{fam_offer['id']}/seats", headers=fam).json()
    appt = dt.date.fromisoformat(fam_offer["appointment_date"])
    r = client.post("/corridor/plans", json={"start": str(appt - dt.timedelta(days=2)),
                                             "days": 2, "seconds": 2},
                    headers=staff(client, "coordinator"))
    assert r.status_code == 201, r.text
    bus = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()["bus"]
    settings = settings_for(database_url)
    factory = client.app.state.sessions
    first = jobs.run_once(factory, settings, clock, OUTBOX).queued
    again = jobs.run_once(factory, settings, clock, OUTBOX).queued
    assert (first["corridor.seat_planned"], again["corridor.seat_planned"]) == (1, 0)
    with factory() as s:
        sms = next(m for m in messaging.outbox(s) if m.template == "corridor.seat_planned")
    departs = dt.datetime.fromisoformat(bus["departs_at"]).astimezone(
        dt.timezone(dt.timedelta(hours=-6)))  # Tapachula keeps Mexico City's clock, UTC-6
    assert sms.language == "es" and bus["code"] in sms.body
    assert "INM Southern Zone regulation office, Tapachula" in sms.body
    assert f"{departs.hour}:{departs.minute:02d}, Ciudad de México" in sms.body
