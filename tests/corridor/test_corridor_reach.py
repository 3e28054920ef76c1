"""Seats only where a bus can get there in time; buses stop only where someone gets off.

A family in Tapachula asks for San Ysidro and one for Brownsville (issue 10, point 2).
"""

from __future__ import annotations

import datetime as dt

from garita.db import transaction
from garita.policy import service as policies
from garita.policy.schemas import PolicyVersionIn
from kit import TAPACHULA, applicant, ask, register, staff

DAY = dt.date(2024, 9, 10)


def _book(client, clock, lead_days: int | None) -> list[tuple[dict, dict]]:
    """Families in Tapachula ask for SYS and BRO on DAY, are drawn and confirm there."""
    if lead_days is not None:
        base = next(v for v in policies.shipped_history() if str(v.effective_from) == "2024-08-30")
        with transaction(client.app.state.sessions) as s:
            policies.insert_version(s, PolicyVersionIn(
                effective_from=DAY, note=f"test: appointments {lead_days} days ahead",
                policy=base.policy.model_copy(update={"lead_days": lead_days})), actor="test")
    asked = []
    for port in ("SYS", "BRO"):
        me = applicant(client)
        reg = register(client, me, members=1)
        assert ask(client, me, reg["id"], TAPACHULA, port=port).status_code == 201
        asked.append((me, reg))
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    out = []
    for me, reg in asked:
        st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
        for pid in st["awaiting_confirmation"]:
            r = client.post(f"/offers/{st['offer']['id']}/confirmations", headers=me,
                            json={"person_id": pid, "lat": TAPACHULA[0], "lon": TAPACHULA[1]})
            assert r.status_code == 200, r.text
        out.append((me, st["offer"]))
    return out


def test_a_seat_no_departure_can_serve_is_refused_with_what_would_work(client, clock):
    for me, offer in _book(client, clock, lead_days=None):  # the earliest day: 3 days out
        r = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=me)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        city = "Tijuana" if offer["port"] == "SYS" else "Matamoros"
        assert f"No bus from Tapachula reaches {city} in time" in detail
        assert "serves appointments from" in detail and "Travel on your own" in detail


def test_reachable_seats_are_planned_and_buses_stop_only_where_riders_get_off(client, clock):
    booked = _book(client, clock, lead_days=8)
    for me, offer in booked:
        r = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=me)
        assert r.status_code == 201, r.text
    coord = staff(client, "coordinator")
    first = min(dt.date.fromisoformat(o["appointment_date"]) for _, o in booked)
    r = client.post("/corridor/plans", headers=coord, json={
        "start": str(DAY + dt.timedelta(days=1)), "days": (first - DAY).days, "seconds": 2})
    assert r.status_code == 201, r.text
    assert r.json()["summary"]["unassigned"] == 0
    buses = client.get("/corridor/buses", headers=coord).json()
    riders = {"SYS", "BRO"}
    stops = [s["port"] for b in buses for s in b["stops"]]
    assert set(stops) == riders and len(stops) == len(set(stops)), buses
