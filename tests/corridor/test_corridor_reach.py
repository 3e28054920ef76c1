"""Appointments a bus can reach, seats only where a bus can get there in time, and buses
that stop only where someone gets off (issue 10, point 2): families in Tapachula ask for
San Ysidro and for Brownsville under the shipped rules (appointments 3-4 days out)."""

from __future__ import annotations

import datetime as dt

from garita.policy import service as policies
from kit import MEXICO_CITY, TAPACHULA, applicant, ask, confirm, register, staff

DAY = dt.date(2024, 9, 10)


def _book(client, clock, asked_from, ports) -> list[tuple[dict, dict]]:
    """Families ask on DAY from `asked_from`, are drawn, and confirm in Tapachula."""
    asked = []
    for port in ports:
        me = applicant(client)
        reg = register(client, me, members=1)
        assert ask(client, me, reg["id"], asked_from, port=port).status_code == 201
        asked.append((me, reg))
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    out = []
    for me, reg in asked:
        st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
        for pid in st["awaiting_confirmation"]:
            r = confirm(client, me, st['offer']['id'], pid, TAPACHULA)
            assert r.status_code == 200, r.text
        out.append((me, st["offer"]))
    return out


def test_from_tapachula_the_draw_gives_days_the_buses_reach_and_the_plan_seats_them(
        client, clock):
    booked = _book(client, clock, TAPACHULA, ("SYS", "BRO"))
    corridor = policies.shipped_history()[-2].policy.corridor
    ready = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(12),
                                tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    for _, offer in booked:  # the first day a bus reaches, not the usual 3 days out
        reach = corridor.earliest_appointment("Chiapas", offer["port"], ready, dt.time(7))
        day = dt.date.fromisoformat(offer["appointment_date"])
        assert day == reach > DAY + dt.timedelta(days=3), (offer["port"], day, reach)
    for me, offer in booked:
        r = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=me)
        assert r.status_code == 201, r.text
    coord = staff(client, "coordinator")
    last = max(dt.date.fromisoformat(o["appointment_date"]) for _, o in booked)
    r = client.post("/corridor/plans", headers=coord, json={
        "start": str(DAY + dt.timedelta(days=1)), "days": (last - DAY).days, "seconds": 2})
    assert r.status_code == 201, r.text
    assert r.json()["summary"]["unassigned"] == 0
    buses = client.get("/corridor/buses", headers=coord).json()
    stops = [s["port"] for b in buses for s in b["stops"]]
    assert sorted(stops) == ["BRO", "SYS"], buses  # no stop where nobody gets off


def test_a_seat_no_departure_can_serve_is_refused_with_what_would_work(client, clock):
    """Asked from Mexico City (no bus constraint: 3 days out), then in Chiapas for a bus."""
    for me, offer in _book(client, clock, MEXICO_CITY, ("BRO",)):
        assert offer["appointment_date"] == str(DAY + dt.timedelta(days=3))
        r = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=me)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert "No bus from Tapachula reaches Matamoros in time" in detail
        assert "serves appointments from" in detail and "Travel on your own" in detail


def test_the_draw_and_the_seat_check_read_the_operators_road_times(client, clock, road_times):
    """GARITA_ROAD_TIMES_FILE says the road from Tapachula to Matamoros takes 70 h (the
    estimate is ~30 h): the draw gives the family the first day a bus reaches on those
    70 h, so the seat check (and the planner, on the same table) accept and seat them."""
    road_times.write_text("from,to,hours\nTapachula,Heroica Matamoros,70\n", "utf-8")
    [(me, offer)] = _book(client, clock, TAPACHULA, ("BRO",))
    corridor = policies.shipped_history()[-2].policy.corridor
    ready = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(12),
                                tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    estimated = corridor.earliest_appointment("Chiapas", "BRO", ready, dt.time(7))
    measured = corridor.earliest_appointment("Chiapas", "BRO", ready, dt.time(7),
                                             {("Tapachula", "BRO"): 70.0})
    assert estimated is not None and measured is not None and measured > estimated
    assert offer["appointment_date"] == str(measured)
    r = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=me)
    assert r.status_code == 201, r.text
    coord = staff(client, "coordinator")
    r = client.post("/corridor/plans", headers=coord, json={
        "start": str(DAY + dt.timedelta(days=1)), "days": (measured - DAY).days, "seconds": 2})
    assert r.status_code == 201, r.text
    assert r.json()["summary"]["unassigned"] == 0
