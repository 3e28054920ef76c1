"""The arrival list, and who may see a port's day: its officers and admins only."""

from __future__ import annotations

import datetime as dt

from port_days import APPOINTMENT_DAY
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.db import transaction
from garita.integrity.models import Alert
from kit import applicant, staff


def _alert(client, registration_id: int, person_id: int, status: str = "open") -> None:
    """An integrity alert as the integrity engine stores it (raised from another port's data)."""
    with transaction(client.app.state.sessions) as s:
        s.add(Alert(kind="shared_address", registration_id=registration_id, person_id=person_id,
                    severity="high", status=status, summary="Address shared by 12 people",
                    evidence={"ports": ["BRO", "ELP"]}, fingerprint=f"t{registration_id}{status}",
                    raised_at=dt.datetime(2024, 9, 12, tzinfo=dt.UTC), raised_by="analyst:9"))


def test_arrival_list_shows_groups_members_and_alerts(client, clock, book):
    family, single, elsewhere = book([(2, "SYS"), (0, "SYS"), (0, "ELP")])
    _alert(client, family.registration["id"], family.people[1])
    _alert(client, single.registration["id"], single.people[0], status="dismissed")
    officer = staff(client, "officer", port="SYS")
    r = client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=officer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["port"] == "SYS" and body["closed"] is False
    groups = {g["offer_id"]: g for g in body["groups"]}
    assert set(groups) == {family.offer["id"], single.offer["id"]}  # not ELP's group
    fam = groups[family.offer["id"]]
    assert fam["status"] == "confirmed" and fam["persons"] == 3 and fam["slot"] == "07:00:00"
    assert [m["person_id"] for m in fam["members"]] == family.people
    lead = fam["members"][0]
    assert lead["given_names"] == "Ana" and lead["date_of_birth"] == "1990-04-02"
    assert lead["nationality"] == "VEN" and lead["outcome"] is None
    assert [a["summary"] for a in fam["alerts"]] == ["Address shared by 12 people"]
    assert groups[single.offer["id"]]["alerts"] == []  # dismissed alerts do not show
    assert elsewhere.offer["port"] == "ELP"

    other_day = client.get("/ports/SYS/arrivals?date=2024-09-14", headers=officer).json()
    assert other_day["groups"] == []
    admin = client.get(f"/ports/ELP/arrivals?date={APPOINTMENT_DAY}", headers=staff(client))
    assert [g["offer_id"] for g in admin.json()["groups"]] == [elsewhere.offer["id"]]


def test_unconfirmed_offers_are_not_arrivals(client, book):
    (offered,) = book([(0, "SYS")], confirm=False)
    admin = staff(client)
    body = client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=admin).json()
    assert body["groups"] == []
    r = client.post("/ports/SYS/checkins", headers=admin,
                    json={"offer_id": offered.offer["id"], "identity_confirmed": True})
    assert r.status_code == 422 and "never confirmed" in r.json()["detail"]


def test_only_that_ports_officers_and_admins(client):
    day = f"date={APPOINTMENT_DAY}"
    elp = staff(client, "officer", port="ELP")
    for method, path in [("get", "arrivals"), ("get", "day-summary"), ("post", "close-day")]:
        r = client.request(method.upper(), f"/ports/SYS/{path}?{day}", headers=elp)
        assert r.status_code == 403, r.text
        assert "officer at ELP" in r.json()["detail"] and "not SYS" in r.json()["detail"]
    r = client.post("/ports/SYS/checkins", headers=elp, json={"offer_id": 1,
                                                              "identity_confirmed": True})
    assert r.status_code == 403
    r = client.post("/ports/SYS/outcomes", headers=elp, json={
        "offer_id": 1, "person_id": 1, "outcome": "refused", "reason": "ineligible"})
    assert r.status_code == 403
    for role in ("coordinator", "analyst"):
        r = client.get(f"/ports/SYS/arrivals?{day}", headers=staff(client, role))
        assert r.status_code == 403 and "officer" in r.json()["detail"]
    r = client.get(f"/ports/SYS/arrivals?{day}", headers=applicant(client))
    assert r.status_code == 403
    assert client.get(f"/ports/SYS/arrivals?{day}").status_code == 401
    assert client.get(f"/ports/sys/arrivals?{day}", headers=elp).status_code == 403
    r = client.get(f"/ports/XXX/arrivals?{day}", headers=staff(client))
    assert r.status_code == 404 and "SYS" in r.json()["detail"]
    r = client.get("/ports/SYS/arrivals?date=13-09-2024", headers=staff(client))
    assert r.status_code == 422 and "date" in r.json()["detail"]
    r = client.get("/ports/SYS/arrivals", headers=staff(client))
    assert r.status_code == 422 and "date" in r.json()["detail"]


def test_reads_change_nothing_and_writes_are_audited(client, clock, book):
    (group,) = book([(0, "SYS")])
    officer = staff(client, "officer", port="SYS")
    with transaction(client.app.state.sessions) as s:
        before = len(s.scalars(select(AuditEntry.id)).all())
    client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=officer)
    client.get(f"/ports/SYS/day-summary?date={APPOINTMENT_DAY}", headers=officer)
    clock.set_et(APPOINTMENT_DAY, 10)
    client.post("/ports/SYS/checkins", headers=officer,
                json={"offer_id": group.offer["id"], "identity_confirmed": True})
    client.post("/ports/SYS/outcomes", headers=officer, json={
        "offer_id": group.offer["id"], "person_id": group.people[0], "outcome": "detained",
        "reason": "criminal_record"})
    with transaction(client.app.state.sessions) as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()[before:]
    assert actions == ["checkin.create", "outcome.record", "offer.attended"]
