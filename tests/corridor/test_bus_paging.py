"""The planned buses page and filter, and say how many match in all."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import staff


def test_buses_page_and_filter_with_a_total(client, clock, confirmed):
    (fam, _, offer), (solo, _, solo_offer), _ = confirmed
    for headers, o in ((fam, offer), (solo, solo_offer)):
        assert client.post(f"/corridor/appointments/{o['id']}/seats",
                           headers=headers).status_code == 201
    coord = staff(client, "coordinator")
    appt = dt.date.fromisoformat(offer["appointment_date"])
    r = client.post("/corridor/plans", json={"start": str(appt - dt.timedelta(days=2)),
                                             "days": 2, "seconds": 2}, headers=coord)
    assert r.status_code == 201, r.text
    every = client.get("/corridor/buses", headers=coord)
    total = int(every.headers["x-total-count"])
    assert total == len(every.json()) >= 1
    first = client.get("/corridor/buses", params={"limit": 1}, headers=coord)
    assert len(first.json()) == 1 and first.headers["x-total-count"] == str(total)
    assert first.json()[0]["id"] == every.json()[0]["id"]
    day = every.json()[0]["departs_at"][:10]
    on_day = client.get("/corridor/buses", params={"from": day, "to": day}, headers=coord)
    assert all(b["departs_at"].startswith(day) for b in on_day.json()) and on_day.json()
    r = client.get("/corridor/buses", params={"hub": "Villahermosa"}, headers=coord)
    assert r.headers["x-total-count"] == "0" and r.json() == []
    r = client.get("/corridor/buses", params={"limit": 0}, headers=coord)
    assert r.status_code == 422


def test_demand_pages_filters_and_sorts_with_a_total(client, clock, confirmed):
    (fam, _, offer), (solo, _, solo_offer), _ = confirmed
    for headers, o in ((fam, offer), (solo, solo_offer)):
        assert client.post(f"/corridor/appointments/{o['id']}/seats",
                           headers=headers).status_code == 201
    coord = staff(client, "coordinator")
    every = client.get("/corridor/demand", headers=coord)
    assert every.status_code == 200, every.text
    rows = every.json()
    assert int(every.headers["x-total-count"]) == len(rows) >= 1
    assert sum(r["groups"] for r in rows) == 2
    assert set(rows[0]) == {"hub", "port", "appointment_date", "status", "groups", "persons"}
    first = client.get("/corridor/demand", params={"limit": 1}, headers=coord)
    assert first.json() == rows[:1] and first.headers["x-total-count"] == str(len(rows))
    fullest = client.get("/corridor/demand", params={"sort": "-persons"}, headers=coord).json()
    assert [r["persons"] for r in fullest] == sorted((r["persons"] for r in rows), reverse=True)
    port = rows[0]["port"]
    at_port = client.get("/corridor/demand", params={"port": port}, headers=coord).json()
    assert at_port == [r for r in rows if r["port"] == port]
    day = rows[0]["appointment_date"]
    on_day = client.get("/corridor/demand", params={"from": day, "to": day}, headers=coord)
    assert on_day.json() == [r for r in rows if r["appointment_date"] == day]
    r = client.get("/corridor/demand", params={"hub": "Villahermosa"}, headers=coord)
    assert r.headers["x-total-count"] == "0" and r.json() == []
    r = client.get("/corridor/demand", params={"status": "assigned"}, headers=coord)
    assert r.json() == [] and r.headers["x-total-count"] == "0"  # nothing planned yet
    assert client.get("/corridor/demand", params={"sort": "x"}, headers=coord).status_code == 422
