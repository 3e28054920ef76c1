"""Staff reads of personal data leave an audit entry (issue 11: an officer, a coordinator
and an analyst each read 40 of 40 registrations, silently). The entry names the action,
the registration and the staff actor — and holds none of the data read.

The arrival list and the corridor manifests are held in tests/ports/test_ports_access.py
and tests/corridor/test_corridor_api.py, beside their other checks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.db import transaction
from garita.integrity.models import Alert
from kit import applicant, register, staff


def _reads(client) -> list[tuple[str, str, str]]:
    with transaction(client.app.state.sessions) as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.object_type, AuditEntry.object_id)
                         .where(AuditEntry.action == "registration.read")
                         .order_by(AuditEntry.id)).all()
    return [tuple(r) for r in rows]


def _actor(client, headers: dict) -> str:
    me = client.get("/auth/me", headers=headers).json()
    return f"{me['role']}:{me['account_id']}"


def _alert_on(client, registration_id: int, fingerprint: str) -> int:
    with transaction(client.app.state.sessions) as s:
        alert = Alert(kind="shared_address", registration_id=registration_id, person_id=None,
                      severity="high", status="open", summary="Address shared by 12 people",
                      evidence={"ports": ["BRO"]}, fingerprint=fingerprint,
                      raised_at=dt.datetime(2024, 9, 9, tzinfo=dt.UTC), raised_by="analyst:9")
        s.add(alert)
        s.flush()
        return alert.id


# Officers and coordinators read registrations only around their work (least privilege,
# tests/security/test_least_privilege.py); their audited reads — the arrival list and
# the manifests — are held beside those routes' other checks.
@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_a_staff_read_of_a_registration_is_audited(client, role):
    owner = applicant(client)
    reg = register(client, owner)
    assert client.get(f"/registrations/{reg['id']}", headers=owner).status_code == 200
    assert _reads(client) == []  # the owner reading their own is not oversight's concern
    if role == "analyst":  # analysts see the subjects of alerts
        _alert_on(client, reg["id"], f"read-{reg['id']}")
    who = staff(client, role)
    r = client.get(f"/registrations/{reg['id']}", headers=who)
    assert r.status_code == 200 and r.json()["people"][0]["given_names"] == "Ana"
    assert _reads(client) == [(_actor(client, who), "registration", str(reg["id"]))]


def test_the_entry_holds_no_personal_data(client):
    reg = register(client, applicant(client))
    client.get(f"/registrations/{reg['id']}", headers=staff(client, "admin"))
    with transaction(client.app.state.sessions) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "registration.read")).one()
    stored = " ".join(str(getattr(entry, c)) for c in
                      ("actor", "action", "object_type", "object_id", "digest"))
    for personal in ("Ana", "Pérez", "1990-04-02", "1234 5678", "Main St", "example.org"):
        assert personal not in stored


def test_a_refused_or_missing_read_is_not_recorded(client):
    reg = register(client, applicant(client))
    assert client.get(f"/registrations/{reg['id']}", headers=applicant(client)).status_code == 404
    assert client.get("/registrations/999999", headers=staff(client)).status_code == 404
    assert _reads(client) == []


def test_analysts_reading_alerts_are_audited(client):
    reg = register(client, applicant(client))
    with transaction(client.app.state.sessions) as s:
        alert = Alert(kind="shared_address", registration_id=reg["id"], person_id=None,
                      severity="high", status="open", summary="Address shared by 12 people",
                      evidence={"ports": ["BRO"]}, fingerprint="t1",
                      raised_at=dt.datetime(2024, 9, 9, tzinfo=dt.UTC), raised_by="analyst:9")
        s.add(alert)
        s.flush()
        alert_id = alert.id
    analyst = staff(client, "analyst")
    assert len(client.get("/integrity/alerts", headers=analyst).json()) == 1
    assert client.get(f"/integrity/alerts/{alert_id}", headers=analyst).status_code == 200
    assert _reads(client) == [(_actor(client, analyst), "registration", str(reg["id"]))] * 2
