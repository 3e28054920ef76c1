"""Registration validation: clear 422s, group limits, the common-address rule, audited edits."""

from __future__ import annotations

import datetime as dt

from garita.audit import service as audit
from kit import ADDRESS, applicant, register, registration


def _post(client, headers, body):
    return client.post("/registrations", json=body, headers=headers)


def test_bad_fields_name_what_to_fix(client):
    me = applicant(client)
    body = registration()
    body["phone"] = "5512345678"
    body["lead"]["nationality"] = "Venezuela"
    body["us_address"] = {**ADDRESS, "zip": "7700", "state": "ZZ"}
    r = _post(client, me, body)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"phone", "lead.nationality", "us_address.zip", "us_address.state"} <= fields
    assert "international format" in r.json()["detail"]


def test_group_maximum_comes_from_policy(client):
    me = applicant(client)
    r = _post(client, me, registration(members=10))
    assert r.status_code == 422 and "at most 10" in r.json()["detail"]
    assert register(client, me, members=9)["group_size"] == 10


def test_common_address_rule_only_when_in_force(client, clock):
    me = applicant(client)
    other = {**ADDRESS, "street": "99 Elm St"}
    body = registration(members=1)
    body["members"][0]["us_address"] = other
    r = _post(client, me, body)  # 2024-09-10: the rule is in force
    assert r.status_code == 422 and "same U.S. address" in r.json()["detail"]
    clock.set_et(dt.date(2023, 9, 1), 12)  # before 2024-03-04 members could differ
    assert _post(client, me, body).status_code == 201


def test_nothing_half_written_on_refusal(client):
    me = applicant(client)
    _post(client, me, registration(members=10))
    assert client.get("/registrations", headers=me).json()["items"] == []


def test_edits_are_audited(client):
    me = applicant(client)
    reg = register(client, me, members=1)
    r = client.patch(f"/registrations/{reg['id']}", json={"phone": "+1 202 555 0143",
                                                          "us_address": {**ADDRESS, "zip": "77003"}},
                     headers=me)
    assert r.status_code == 200
    assert r.json()["phone"] == "+12025550143" and r.json()["us_address"]["zip"] == "77003"
    assert client.patch(f"/registrations/{reg['id']}", json={}, headers=me).status_code == 422
    r = client.patch(f"/registrations/{reg['id']}", json={"language": None}, headers=me)
    assert r.status_code == 422 and "cannot be removed" in r.json()["detail"]
    r = client.patch(f"/registrations/{reg['id']}", json={"email": None}, headers=me)
    assert r.status_code == 200 and r.json()["email"] is None
    with client.app.state.sessions() as s:
        checked, breaks = audit.verify(s)
        actions = [e.action for e in s.query(audit.AuditEntry).all()]
    assert "registration.edit" in actions and breaks == [] and checked >= 3
