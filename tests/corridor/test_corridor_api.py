"""Seats, plan, permits, manifests and boarding through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import staff
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.db import transaction


def test_seats_plan_permits_manifest_boarding(client, clock, confirmed):
    (fam, fam_reg, fam_offer), (solo, solo_reg, solo_offer), (city, _, city_offer) = confirmed
    r = client.post(f"/corridor/appointments/{city_offer['id']}/seats", headers=city)
    assert r.status_code == 422 and "Chiapas" in r.json()["detail"]
    r = client.post(f"/corridor/appointments/{fam_offer['id']}/seats", headers=solo)
    assert r.status_code == 404
    seat = client.post(f"/corridor/appointments/{fam_offer['id']}/seats", headers=fam).json()
    assert seat["hub"] == "Tapachula" and seat["persons"] == 3 and seat["children"] == 1
    solo_seat = client.post(f"/corridor/appointments/{solo_offer['id']}/seats",
                            headers=solo).json()
    coord = staff(client, "coordinator")
    assert client.get("/corridor/demand", headers=fam).status_code == 403
    demand = client.get("/corridor/demand", headers=coord).json()
    assert sum(d["persons"] for d in demand) == 4

    appt = dt.date.fromisoformat(fam_offer["appointment_date"])
    r = client.post("/corridor/plans", json={"start": str(appt - dt.timedelta(days=2)),
                                             "days": 2, "seconds": 2}, headers=coord)
    assert r.status_code == 201, r.text
    assert r.json()["buses"] == 1 and r.json()["summary"]["unassigned"] == 0
    mine = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()
    bus = mine["bus"]
    assert bus["stops"][0]["port"] == "BRO" and len(mine["permits"]) == 3
    permit = mine["permits"][0]
    assert (dt.date.fromisoformat(permit["valid_until"])
            - dt.date.fromisoformat(permit["valid_from"])).days == 19

    csv = client.get(f"/corridor/buses/{bus['id']}/manifest.csv", headers=coord)
    assert csv.status_code == 200 and "escorts 2" in csv.text and permit["number"] in csv.text
    head, columns, first = csv.text.splitlines()[:3]
    assert "(America/Mexico_City)" in head  # the departure on the hub's clock, zone named
    appointment = dt.datetime.fromisoformat(first.split(",")[columns.split(",").index(
        "appointment")])
    assert appointment.utcoffset() is not None  # on the port's clock, with its offset
    pdf = client.get(f"/corridor/buses/{bus['id']}/manifest.pdf", headers=coord)
    assert pdf.content.startswith(b"%PDF")
    with transaction(client.app.state.sessions) as s:  # both manifest reads are audited
        reads = s.execute(select(AuditEntry.actor, AuditEntry.object_id, AuditEntry.digest)
                          .where(AuditEntry.action == "registration.read")).all()
    coordinator = f"coordinator:{client.get('/auth/me', headers=coord).json()['account_id']}"
    riders = sorted([(coordinator, str(fam_reg["id"])), (coordinator, str(solo_reg["id"]))] * 2)
    assert sorted((a, o) for a, o, _ in reads) == riders
    assert len({d for *_, d in reads}) == 2  # csv and pdf: two routes, two entries

    clock.set_et(dt.date.fromisoformat(bus["departs_at"][:10]), 5)
    scan = client.post(f"/corridor/buses/{bus['id']}/scan", json={"token": permit["token"]},
                       headers=coord).json()
    assert scan == {"valid": True, "on_this_bus": True, "boarded": False,
                    "message": "valid, on this bus, not yet boarded",
                    "people": [permit["person_id"]], "code": "not_yet_boarded", "params": {}}
    forged = permit["token"][:-3] + ("AAA" if not permit["token"].endswith("AAA") else "BBB")
    assert not client.post(f"/corridor/buses/{bus['id']}/scan", json={"token": forged},
                           headers=coord).json()["valid"]
    r = client.post(f"/corridor/buses/{bus['id']}/boarding",
                    json={"person_id": permit["person_id"], "status": "boarded"}, headers=coord)
    assert r.status_code == 201
    assert client.post(f"/corridor/buses/{bus['id']}/scan", json={"token": permit["token"]},
                       headers=coord).json()["boarded"] is True

    # the solo rider cancels: seats freed, the boarded family's bus is kept as it is
    r = client.delete(f"/corridor/seats/{solo_seat['id']}", headers=solo)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    after = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()
    assert after["bus"]["id"] == bus["id"]
    r = client.delete(f"/corridor/seats/{seat['id']}", headers=fam)
    assert r.status_code == 409 and "boarded" in r.json()["detail"]
