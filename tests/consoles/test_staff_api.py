"""Staff accounts through the API: the list, and a change of role or port (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.db import transaction
from kit import staff


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_admin_lists_staff_and_changes_a_role(client):
    admin = staff(client, "admin")
    officer = staff(client, "officer", port="SYS")
    accounts = client.get("/auth/staff", headers=admin).json()
    assert {a["role"] for a in accounts} == {"admin", "officer"}
    me = client.get("/auth/me", headers=admin).json()["account_id"]
    other = next(a["id"] for a in accounts if a["role"] == "officer")
    r = client.patch(f"/auth/staff/{me}", json={"role": "analyst"}, headers=admin)
    assert r.status_code == 422 and "own role" in r.json()["detail"]
    r = client.patch(f"/auth/staff/{other}", json={"role": "officer"}, headers=admin)
    assert r.status_code == 422 and "needs a port" in r.json()["detail"]
    r = client.patch(f"/auth/staff/{other}", json={"role": "applicant"}, headers=admin)
    assert r.status_code == 422  # staff roles only
    r = client.patch(f"/auth/staff/{other}", json={"role": "officer", "port": "ELP"},
                     headers=admin)
    assert r.status_code == 200 and r.json()["port"] == "ELP"
    assert client.patch("/auth/staff/99999", json={"role": "analyst"},
                        headers=admin).status_code == 404
    # the officer's token named the old port: every session of the account was ended
    assert client.get("/auth/me", headers=officer).status_code == 401
    with transaction(client.app.state.sessions) as s:
        change = s.scalar(select(AuditEntry).where(AuditEntry.action == "account.role"))
    assert change is not None and change.object_id == str(other)
