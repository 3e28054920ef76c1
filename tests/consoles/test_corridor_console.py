"""The coordinator's console: demand, a plan run in the background with progress, the bus
page with its riders (families first), manifests, boarding at the door and the bus's status
moving planned → boarding → departed → arrived — audited, as through the API."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from corridor_kit import confirm_three
from sqlalchemy import select
from staffkit import csrf, signed_in

from garita.audit.models import AuditEntry
from garita.db import transaction


def _plan(coord, appt: dt.date) -> str:
    page = coord.get("/staff/corridor")
    assert page.status_code == 200 and "Tapachula → BRO" in page.text
    r = coord.post("/staff/corridor/plans", data={
        "csrf": csrf(page.text), "start": str(appt - dt.timedelta(days=2)), "days": "2",
        "seconds": "2"}, follow_redirects=False)
    assert r.status_code == 303
    job = r.headers["location"]
    for _ in range(120):  # the plan runs in a thread; the page polls (htmx) until done
        part = coord.get(job, headers={"HX-Request": "true"})
        assert part.status_code == 200
        if "hx-trigger" not in part.text:
            return part.text
        assert "<progress" in part.text
        time.sleep(0.5)
    raise AssertionError("the plan did not finish in a minute")


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_plan_board_and_move_a_bus(client, clock, app):
    (fam, fam_reg, fam_offer), (solo, _, solo_offer), _ = confirm_three(client, clock)
    seats = [client.post(f"/corridor/appointments/{offer['id']}/seats", headers=who).json()
             for who, offer in ((fam, fam_offer), (solo, solo_offer))]
    coord = signed_in(app, "coordinator")
    done = _plan(coord, dt.date.fromisoformat(fam_offer["appointment_date"]))
    assert "Plan done." in done and "proven gap" in done
    bus_id = re.search(r'/staff/corridor/buses/(\d+)"', done).group(1)
    page = coord.get(f"/staff/corridor/buses/{bus_id}")
    assert page.status_code == 200
    rows = re.findall(r'<td data-label="Group">(\d+)</td>', page.text)
    assert len(rows) == 4 and rows[0] == rows[1] == rows[2]  # the family of 3 first
    csv = coord.get(f"/staff/corridor/buses/{bus_id}/manifest.csv")
    assert csv.status_code == 200 and "(America/Mexico_City)" in csv.text.splitlines()[0]
    assert coord.get(f"/staff/corridor/buses/{bus_id}/manifest.pdf").content.startswith(b"%PDF")

    permit = client.get(f"/corridor/seats/{seats[0]['id']}", headers=fam).json()
    token = permit["permits"][0]["token"]
    person = permit["permits"][0]["person_id"]
    clock.set_et(dt.date.fromisoformat(permit["bus"]["departs_at"][:10]), 5)
    page = coord.get(f"/staff/corridor/buses/{bus_id}")
    scanned = coord.post(f"/staff/corridor/buses/{bus_id}/scan",
                         data={"csrf": csrf(page.text), "token": token})
    assert "Valid, on this bus, not yet boarded." in scanned.text
    r = coord.post(f"/staff/corridor/buses/{bus_id}/boarding",
                   data={"csrf": csrf(page.text), "person_id": person, "status": "boarded"})
    assert r.status_code == 200 and ">boarded<" in r.text
    for step in ("boarding", "departed", "arrived"):
        r = coord.post(f"/staff/corridor/buses/{bus_id}/status",
                       data={"csrf": csrf(page.text), "status": step})
        assert r.status_code == 200 and f">{step}<" in r.text
    r = coord.post(f"/staff/corridor/buses/{bus_id}/status",
                   data={"csrf": csrf(page.text), "status": "arrived"})
    assert r.status_code == 409 and "cannot move any more" in r.text
    with transaction(app.state.sessions) as s:
        actions = set(s.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "corridor_bus")))
    assert {"bus.boarded", "bus.status.boarding", "bus.status.departed",
            "bus.status.arrived"} <= actions


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_bus_status_api_moves_one_step_at_a_time(client, clock, app):
    (fam, _, fam_offer), _, _ = confirm_three(client, clock)
    client.post(f"/corridor/appointments/{fam_offer['id']}/seats", headers=fam)
    from kit import staff
    coord = staff(client, "coordinator")
    appt = dt.date.fromisoformat(fam_offer["appointment_date"])
    client.post("/corridor/plans", json={"start": str(appt - dt.timedelta(days=2)), "days": 2,
                                         "seconds": 1}, headers=coord)
    bus = client.get("/corridor/buses", headers=coord).json()[0]
    r = client.post(f"/corridor/buses/{bus['id']}/status", json={"status": "departed"},
                    headers=coord)
    assert r.status_code == 409 and "can only move to boarding" in r.json()["detail"]
    r = client.post(f"/corridor/buses/{bus['id']}/status", json={"status": "boarding"},
                    headers=coord)
    assert r.status_code == 200 and r.json()["status"] == "boarding"
    listed = client.get("/corridor/buses?status=boarding", headers=coord).json()
    assert [b["id"] for b in listed] == [bus["id"]]
