"""Closing the day: absent appointments become no-shows, free to request again; the summary."""

from __future__ import annotations

import datetime as dt

from port_days import APPOINTMENT_DAY
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.db import transaction
from garita.offers.service import held_places
from kit import TIJUANA, ask, staff

NEXT_DAY = APPOINTMENT_DAY + dt.timedelta(days=1)


def test_no_show_registration_requests_again_the_next_day(client, clock, book):
    came, absent = book([(2, "SYS"), (1, "SYS")])
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 10)
    assert client.post("/ports/SYS/checkins", headers=officer, json={
        "offer_id": came.offer["id"], "identity_confirmed": True}).status_code == 201
    clock.set_et(APPOINTMENT_DAY, 19, 59)  # 16:59 PT: the 16:00 slot's late allowance runs
    url = f"/ports/SYS/close-day?date={APPOINTMENT_DAY}"
    r = client.post(url, headers=officer)
    assert r.status_code == 422 and "after 17:00 (SYS time)" in r.json()["detail"]
    r = ask(client, absent.headers, absent.registration["id"], TIJUANA)
    assert r.status_code == 422 and "already holds" in r.json()["detail"]
    r = client.post(f"/ports/SYS/close-day?date={NEXT_DAY}", headers=officer)
    assert r.status_code == 422 and "has not come yet" in r.json()["detail"]

    clock.set_et(APPOINTMENT_DAY, 20, 1)
    r = client.post(url, headers=officer)
    assert r.status_code == 201, r.text
    assert r.json()["no_shows"] == 1 and r.json()["no_show_persons"] == 2
    again = client.post(url, headers=staff(client))
    assert again.status_code == 200 and again.json()["closed_at"] == r.json()["closed_at"]

    listed = client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=officer).json()
    assert listed["closed"] is True
    assert {g["offer_id"]: g["status"] for g in listed["groups"]} == {
        came.offer["id"]: "checked_in", absent.offer["id"]: "no_show"}
    r = client.post("/ports/SYS/checkins", headers=officer, json={
        "offer_id": absent.offer["id"], "identity_confirmed": True, "accept_late": True})
    assert r.status_code == 422 and "no-show" in r.json()["detail"]
    summary = client.get(f"/ports/SYS/day-summary?date={APPOINTMENT_DAY}",
                         headers=officer).json()
    assert summary["closed"] is True
    assert summary["groups_by_status"] == {"checked_in": 1, "no_show": 1}
    assert summary["persons_by_status"] == {"checked_in": 3, "no_show": 2}
    assert summary["checkins_by_timing"] == {"on_time": 1} and summary["awaiting_outcome"] == 3
    with transaction(client.app.state.sessions) as s:  # the day's places stay used
        assert sum(held_places(s, [APPOINTMENT_DAY]).values()) == 5
        closes = s.scalars(select(AuditEntry.object_id)
                           .where(AuditEntry.action == "port_day.close")).all()
        assert closes == [f"SYS:{APPOINTMENT_DAY}"]  # once, though asked twice

    # no penalty: the no-show registration asks again the next day, and is drawn again
    clock.set_et(NEXT_DAY, 14)
    r = ask(client, absent.headers, absent.registration["id"], TIJUANA)
    assert r.status_code == 201, r.text
    assert r.json()["service_date"] == str(NEXT_DAY)
    clock.set_et(NEXT_DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{NEXT_DAY}", headers=staff(client)).status_code == 201
    st = client.get(f"/registrations/{absent.registration['id']}/status",
                    headers=absent.headers).json()
    assert st["stage"] == "offered" and st["offer"]["id"] != absent.offer["id"]
    # the checked-in group is still at the port's books: outcomes after the close are fine
    r = client.post("/ports/SYS/outcomes", headers=officer, json={
        "offer_id": came.offer["id"], "person_id": came.people[0],
        "outcome": "permitted_to_withdraw", "reason": "voluntary"})
    assert r.status_code == 201


def test_closing_an_empty_past_day(client, clock):
    officer = staff(client, "officer", port="BRO")
    r = client.post("/ports/BRO/close-day?date=2024-09-01", headers=officer)
    assert r.status_code == 201 and r.json()["no_shows"] == 0
    summary = client.get("/ports/BRO/day-summary?date=2024-09-01", headers=officer).json()
    assert summary == {"port": "BRO", "date": "2024-09-01", "closed": True,
                       "groups_by_status": {}, "persons_by_status": {},
                       "checkins_by_timing": {}, "outcomes": {}, "awaiting_outcome": 0}
