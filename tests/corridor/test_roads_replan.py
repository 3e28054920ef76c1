"""The road-time table changes the plan, and a re-plan re-issues the permits it moves,
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import staff

from garita.audit.models import AuditEntry
from garita.corridor import roads

KNOWN = {"tapachula": "Tapachula", "heroica matamoros": "BRO", "bro": "BRO", "hid": "HID"}


def test_table_parses_names_codes_and_both_spellings():
    text = "from,to,hours\nTapachula,Heroica Matamoros,31.5\nbro,HID,1.5\n\n"
    assert roads.parse(text, KNOWN) == {("Tapachula", "BRO"): 31.5, ("BRO", "HID"): 1.5}


@pytest.mark.parametrize(("text", "says"), [
    ("a,b,c\n", "line 1: the header must be 'from,to,hours'"),
    ("from,to,hours\nTapachula,Atlantis,3\n", "line 2: unknown place 'Atlantis'"),
    ("from,to,hours\nTapachula,BRO,fast\n", "line 2: hours 'fast' is not a number"),
    ("from,to,hours\nTapachula,BRO,-1\n", "line 2: hours must be above 0"),
    ("from,to,hours\nTapachula,BRO\n", "line 2: expected 3 fields"),
    ("from,to,hours\nBRO,HID,2\nbro,hid,3\n", "line 3: BRO → HID is given twice"),
])
def test_bad_lines_are_named(text, says):
    with pytest.raises(ValueError, match=says):
        roads.parse(text, KNOWN)


def _plan(client, coord, appt: dt.date):
    return client.post("/corridor/plans", json={"start": str(appt - dt.timedelta(days=3)),
                                                "days": 3, "seconds": 2}, headers=coord)


def test_slow_road_moves_the_family_earlier_then_out(client, clock, confirmed, road_times):
    (fam, _, offer), *_ = confirmed
    coord = staff(client, "coordinator")
    seat = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=fam).json()
    appt = dt.date.fromisoformat(offer["appointment_date"])
    assert _plan(client, coord, appt).status_code == 201
    before = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()
    late_dep = dt.datetime.fromisoformat(before["bus"]["departs_at"])
    at = dt.datetime.fromisoformat(seat["appointment_at"])
    assert late_dep.date() > appt - dt.timedelta(days=3)  # an earlier departure exists

    # a road 6 h slower than this departure can afford (it would arrive 6 h before the
    # appointment, not 12): the departure a day earlier takes the family instead
    slow = (at - dt.timedelta(hours=12) - late_dep).total_seconds() / 3600 + 6
    road_times.write_text(f"from,to,hours\nTapachula,Heroica Matamoros,{slow:.2f}\n", "utf-8")
    r = _plan(client, coord, appt)
    assert r.status_code == 201 and r.json()["summary"]["unassigned"] == 0, r.text
    after = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()
    assert dt.datetime.fromisoformat(after["bus"]["departs_at"]) == late_dep - dt.timedelta(
        days=1)
    arrives = dt.datetime.fromisoformat(after["bus"]["stops"][0]["arrives_at"])
    assert abs(arrives - (at - dt.timedelta(hours=30))) < dt.timedelta(minutes=1)

    # the permits followed the family: same numbers, new route and dates, re-signed, audited
    old = {p["number"]: p for p in before["permits"]}
    new = {p["number"]: p for p in after["permits"]}
    assert set(old) == set(new) and len(new) == 3
    for number, p in new.items():
        assert p["route"] != old[number]["route"] and p["token"] != old[number]["token"]
        assert p["route"].startswith(f"Tapachula {late_dep.date() - dt.timedelta(days=1)} → ")
        assert p["valid_from"] == str(late_dep.date() - dt.timedelta(days=1))
    with client.app.state.sessions() as s:
        assert len(s.scalars(select(AuditEntry).where(
            AuditEntry.action == "permit.reissue")).all()) == 3
    bus = after["bus"]["id"]
    clock.set_et(late_dep.date() - dt.timedelta(days=1), 5)  # the morning of the new departure
    stale = client.post(f"/corridor/buses/{bus}/scan", headers=coord,
                        json={"token": before["permits"][0]["token"]}).json()
    assert not stale["valid"] and "superseded" in stale["message"]
    fresh = client.post(f"/corridor/buses/{bus}/scan", headers=coord,
                        json={"token": after["permits"][0]["token"]}).json()
    assert fresh["valid"] and fresh["on_this_bus"]

    # a road so slow that no departure arrives 12 h ahead: the family waits, and says why
    clock.set_et(appt - dt.timedelta(days=5), 12)
    road_times.write_text(f"from,to,hours\nTapachula,BRO,{slow + 48:.2f}\n", "utf-8")
    r = _plan(client, coord, appt)
    assert r.status_code == 201 and r.json()["buses"] == 0
    assert r.json()["summary"]["unassigned"] == 1
    waiting = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()
    assert waiting["request"]["status"] == "requested" and waiting["bus"] is None
    assert "inside the arrival window" in waiting["request"]["reason"]


def test_a_bad_table_stops_planning_with_the_line(client, clock, confirmed, road_times):
    (fam, _, offer), *_ = confirmed
    coord = staff(client, "coordinator")
    client.post(f"/corridor/appointments/{offer['id']}/seats", headers=fam)
    road_times.write_text("from,to,hours\nTapachula,Monterrey,30\n", "utf-8")
    r = _plan(client, coord, dt.date.fromisoformat(offer["appointment_date"]))
    assert r.status_code == 422
    assert "line 2: unknown place 'Monterrey'" in r.json()["detail"]
    assert str(road_times) in r.json()["detail"]
    road_times.unlink()
    r = _plan(client, coord, dt.date.fromisoformat(offer["appointment_date"]))
    assert r.status_code == 422 and "cannot be read" in r.json()["detail"]
