"""Corrections and changes of membership (issue 16, point 4): any field, with the reason
kept; a newborn added up to the policy's maximum, a member removed; the registration's
seniority (its registration time, which orders the longest-waiting share) unchanged;
what a held offer allows; every change audited and screened again."""

from __future__ import annotations

import datetime as dt

from garita.audit import service as audit
from garita.db import transaction
from garita.integrity import screening
from garita.integrity.lists import Entry
from kit import TIJUANA, applicant, ask, confirm, person, register, staff

DAY = dt.date(2024, 9, 10)


def _audit_actions(client, rid: int) -> list[str]:
    with transaction(client.app.state.sessions) as s:
        return [e["action"] for e in audit.entries_for(s, "registration", rid)]


def test_correct_any_field_with_the_reason_kept(client, clock):
    me = applicant(client)
    reg = register(client, me, members=1)
    lead = reg["people"][0]["id"]
    r = client.patch(f"/registrations/{reg['id']}/people/{lead}", headers=me, json={
        "reason": "family name misspelt", "family_names": "Pérez Gómez de León",
        "date_of_birth": "1990-04-03", "nationality": "COL"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["people"][0]["family_names"] == "Pérez Gómez de León"
    assert body["people"][0]["date_of_birth"] == "1990-04-03"
    assert body["registered_at"] == reg["registered_at"]  # seniority kept
    data = client.get(f"/registrations/{reg['id']}/export.json", headers=me).json()
    assert data["changes"][0]["reason"] == "family name misspelt"
    assert data["changes"][0]["fields"] == "date_of_birth,family_names,nationality"
    assert "person.correct" in _audit_actions(client, reg["id"])


def test_refusals_say_what_to_fix(client):
    me = applicant(client)
    reg = register(client, me)
    url = f"/registrations/{reg['id']}/people/{reg['people'][0]['id']}"
    r = client.patch(url, headers=me, json={"reason": "nothing"})
    assert r.status_code == 422 and "Nothing to correct" in r.json()["detail"]
    r = client.patch(url, headers=me, json={"reason": "oops", "given_names": None})
    assert r.status_code == 422 and "cannot be removed" in r.json()["detail"]
    r = client.patch(url, headers=me, json={"family_names": "X"})
    assert r.status_code == 422  # the reason is required
    r = client.patch(f"/registrations/{reg['id']}/people/999999", headers=me,
                     json={"reason": "typo", "family_names": "X"})
    assert r.status_code == 404
    other = applicant(client)
    r = client.patch(url, headers=other, json={"reason": "typo", "family_names": "X"})
    assert r.status_code == 404  # not theirs
    r = client.patch(url, headers=me, json={"reason": "typo", "given_names": "Ana"})
    assert r.status_code == 200


def test_add_a_newborn_up_to_the_maximum_and_remove_a_member(client):
    me = applicant(client)
    reg = register(client, me, members=9)  # 10 people, the policy's maximum
    url = f"/registrations/{reg['id']}/people"
    baby = {**person(given="Bebé", born="2024-09-01"), "reason": "newborn"}
    r = client.post(url, headers=me, json=baby)
    assert r.status_code == 422 and "at most" in r.json()["detail"]
    leaving = reg["people"][3]["id"]
    r = client.post(f"{url}/{leaving}/removal", headers=me, json={"reason": "separated"})
    assert r.status_code == 200, r.text
    assert r.json()["group_size"] == 9
    r = client.post(url, headers=me, json=baby)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["group_size"] == 10 and out["people"][-1]["given_names"] == "Bebé"
    assert out["people"][-1]["date_of_birth"] == "2024-09-01"
    assert out["registered_at"] == reg["registered_at"]  # seniority kept
    r = client.post(f"{url}/{reg['people'][0]['id']}/removal", headers=me,
                    json={"reason": "leaving"})
    assert r.status_code == 422 and "lead cannot be removed" in r.json()["detail"]
    assert {"person.add", "person.remove"} <= set(_audit_actions(client, reg["id"]))


def test_changes_after_an_offer_follow_the_policy(client, clock):
    me = applicant(client)
    reg = register(client, me, members=1)
    assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    url = f"/registrations/{reg['id']}/people"
    baby = {**person(given="Bebé", born="2024-09-01"), "reason": "newborn"}
    r = client.post(url, headers=me, json=baby)
    assert r.status_code == 422 and "nobody is added" in r.json()["detail"]
    lead, member = (p["id"] for p in reg["people"])
    r = client.patch(f"{url}/{member}", headers=me, json={"reason": "typo", "given_names": "Eva"})
    assert r.status_code == 200  # offered, not yet confirmed: corrections allowed
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]
    lat, lon = TIJUANA
    for pid in (lead, member):
        confirm(client, me, offer["id"], pid, (lat, lon))
    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert st["stage"] == "confirmed"
    r = client.patch(f"{url}/{member}", headers=me, json={"reason": "typo", "given_names": "Iva"})
    assert r.status_code == 422 and "signed notice" in r.json()["detail"]
    r = client.post(f"{url}/{member}/removal", headers=me, json={"reason": "separated"})
    assert r.status_code == 422 and "no penalty" in r.json()["detail"]


def test_a_correction_is_screened_again(client):
    app = client.app
    with transaction(app.state.sessions) as s:
        screening.load(s, "test list", "1", "csv",
                       [Entry(ref="1", entry_type="individual", name="Joaquin Guzman Loera",
                              aliases=[], dates_of_birth=["1957-04-04"], countries=["MEX"])],
                       "admin:0", dt.datetime(2024, 9, 1, tzinfo=dt.UTC))
    me = applicant(client)
    reg = register(client, me)
    lead = reg["people"][0]["id"]
    analyst = staff(client, "analyst")
    alerts = f"/integrity/alerts?registration_id={reg['id']}"
    assert client.get(alerts, headers=analyst).json() == []
    r = client.patch(f"/registrations/{reg['id']}/people/{lead}", headers=me, json={
        "reason": "the real names", "given_names": "Joaquin", "family_names": "Guzman Loera",
        "date_of_birth": "1957-04-04", "nationality": "MEX"})
    assert r.status_code == 200, r.text
    after = client.get(alerts, headers=analyst).json()
    assert [a["kind"] for a in after] == ["watchlist"]
    assert after[0]["person_id"] == lead


def test_the_registration_fields_change_with_the_reason_kept(client):
    """PATCH /registrations/{id}: language, phone, email, U.S. address; a reason given is
    kept with the change (the data export) and in the audit entry."""
    me = applicant(client)
    reg = register(client, me)
    r = client.patch(f"/registrations/{reg['id']}", headers=me, json={
        "reason": "new phone", "phone": "+1 202 555 0143", "language": "ht"})
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "+12025550143" and r.json()["language"] == "ht"
    data = client.get(f"/registrations/{reg['id']}/export.json", headers=me).json()
    assert [(c["action"], c["fields"], c["reason"]) for c in data["changes"]] == [
        ("edit", "language,phone", "new phone")]
    r = client.patch(f"/registrations/{reg['id']}", headers=me, json={"reason": "only"})
    assert r.status_code == 422 and "Nothing to change" in r.json()["detail"]
    r = client.patch(f"/registrations/{reg['id']}", headers=me, json={"reason": "x",
                                                                      "language": "es"})
    assert r.status_code == 422  # a reason, when given, says something (3+ characters)
    assert _audit_actions(client, reg["id"]).count("registration.edit") == 1
