"""Outcomes per person: only after check-in, valid codes, one current outcome, corrections."""

from __future__ import annotations

from port_days import APPOINTMENT_DAY
from sqlalchemy import select

from garita.db import transaction
from garita.ports.models import Outcome
from kit import TIJUANA, ask, staff


def _decide(client, headers: dict, offer_id: int, person_id: int, outcome: str, reason: str,
            **extra: object):
    return client.post("/ports/SYS/outcomes", headers=headers, json={
        "offer_id": offer_id, "person_id": person_id, "outcome": outcome, "reason": reason,
        **extra})


def test_outcomes_need_a_check_in_and_valid_codes(client, clock, book):
    group, other = book([(1, "SYS"), (0, "SYS")])
    officer = staff(client, "officer", port="SYS")
    oid, (lead, member) = group.offer["id"], group.people
    clock.set_et(APPOINTMENT_DAY, 10)
    r = _decide(client, officer, oid, lead, "detained", "criminal_record")
    assert r.status_code == 422 and "check the group in" in r.json()["detail"]
    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"offer_id": oid, "identity_confirmed": True})
    assert r.status_code == 201
    r = _decide(client, officer, oid, lead, "paroled", "humanitarian")
    assert r.status_code == 422 and "parole_until" in r.json()["detail"]
    r = _decide(client, officer, oid, lead, "paroled", "humanitarian", parole_until="2024-09-13")
    assert r.status_code == 422 and "must be after" in r.json()["detail"]
    r = _decide(client, officer, oid, lead, "detained", "criminal_record",
                parole_until="2026-09-13")
    assert r.status_code == 422 and "Only a parole" in r.json()["detail"]
    r = _decide(client, officer, oid, lead, "refused", "humanitarian")
    assert r.status_code == 422 and "fraudulent_appointment" in r.json()["detail"]
    r = _decide(client, officer, oid, lead, "deported", "ineligible")
    assert r.status_code == 422 and "paroled" in r.json()["detail"]
    r = _decide(client, officer, oid, other.people[0], "refused", "ineligible")
    assert r.status_code == 422 and "not in appointment" in r.json()["detail"]
    r = _decide(client, officer, other.offer["id"], other.people[0], "refused", "ineligible")
    assert r.status_code == 422 and "not checked in" in r.json()["detail"]
    r = _decide(client, staff(client, "officer", port="ELP"), oid, lead, "refused", "ineligible")
    assert r.status_code == 403

    r = _decide(client, officer, oid, lead, "paroled", "humanitarian", parole_until="2026-09-13")
    assert r.status_code == 201, r.text
    assert r.json()["revision"] == 1 and r.json()["parole_until"] == "2026-09-13"
    # one member decided: still held (the group is at the port)
    clock.set_et(APPOINTMENT_DAY, 13)
    held = ask(client, group.headers, group.registration["id"], TIJUANA)
    assert held.status_code == 422 and "already holds" in held.json()["detail"]
    r = _decide(client, officer, oid, member, "notice_to_appear", "no_entry_document")
    assert r.status_code == 201
    listed = client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=officer).json()
    decided = next(g for g in listed["groups"] if g["offer_id"] == oid)
    assert decided["status"] == "attended"
    assert [m["outcome"]["outcome"] for m in decided["members"]] == ["paroled",
                                                                     "notice_to_appear"]
    # every member decided: the appointment is used and no longer holds the registration
    assert ask(client, group.headers, group.registration["id"], TIJUANA).status_code == 201


def test_one_current_outcome_and_audited_corrections(client, clock, book):
    (group,) = book([(0, "SYS")])
    officer = staff(client, "officer", port="SYS")
    oid, (lead,) = group.offer["id"], group.people
    clock.set_et(APPOINTMENT_DAY, 10)
    client.post("/ports/SYS/checkins", headers=officer,
                json={"offer_id": oid, "identity_confirmed": True})
    first = _decide(client, officer, oid, lead, "detained", "identity_unverified").json()
    again = _decide(client, officer, oid, lead, "detained", "identity_unverified")
    assert again.status_code == 200 and again.json()["id"] == first["id"]  # a safe retry
    r = _decide(client, officer, oid, lead, "paroled", "humanitarian", parole_until="2025-09-13")
    assert r.status_code == 409
    assert f"supersedes={first['id']}" in r.json()["detail"]
    assert r.json()["current_outcome_id"] == first["id"]
    fixed = _decide(client, officer, oid, lead, "paroled", "humanitarian",
                    parole_until="2025-09-13", supersedes=first["id"], note="identity verified")
    assert fixed.status_code == 201
    assert fixed.json()["revision"] == 2 and fixed.json()["supersedes_id"] == first["id"]
    stale = _decide(client, officer, oid, lead, "refused", "ineligible", supersedes=first["id"])
    assert stale.status_code == 409 and f"current: {fixed.json()['id']}" in stale.json()["detail"]
    r = _decide(client, officer, oid, lead, "refused", "ineligible", supersedes=999)
    assert r.status_code == 409

    summary = client.get(f"/ports/SYS/day-summary?date={APPOINTMENT_DAY}",
                         headers=officer).json()
    assert summary["outcomes"] == {"paroled": 1} and summary["awaiting_outcome"] == 0
    listed = client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=officer).json()
    assert listed["groups"][0]["members"][0]["outcome"]["revision"] == 2
    with transaction(client.app.state.sessions) as s:
        history = s.execute(select(Outcome.revision, Outcome.outcome)
                            .order_by(Outcome.revision)).all()
    assert [tuple(h) for h in history] == [(1, "detained"), (2, "paroled")]  # nothing lost
