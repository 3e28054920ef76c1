"""The policy timeline: shipped history, in-force lookups, admin versions (audited)."""

from __future__ import annotations

import datetime as dt

import pytest

from kit import staff


@pytest.mark.parametrize(("day", "capacity", "share", "confirm_by"), [
    ("2023-01-12", 740, 0.0, "lead"),
    ("2023-03-01", 1000, 0.0, "lead"),
    ("2023-05-10", 1000, 0.5, "lead"),
    ("2023-06-15", 1250, 0.5, "lead"),
    ("2023-07-01", 1450, 0.5, "lead"),
    ("2024-05-20", 1450, 0.3, "lead"),
    ("2024-07-02", 1450, 0.3, "members"),
    ("2025-01-20", 0, 0.3, "members"),
])
def test_history_in_force(client, day, capacity, share, confirm_by):
    r = client.get("/policies/in-force", params={"date": day})
    assert r.status_code == 200
    p = r.json()["policy"]
    assert sum(p["port_capacity"].values()) == capacity
    assert p["longest_waiting_share"] == share and p["confirm_by"] == confirm_by


def test_before_history_is_404(client):
    r = client.get("/policies/in-force", params={"date": "2020-01-01"})
    assert r.status_code == 404 and "2023-01-12" in r.json()["detail"]


def _version(effective: str, capacity: int = 300) -> dict:
    from garita.policy.service import shipped_history

    base = shipped_history()[-2].policy.model_dump(mode="json")
    base["port_capacity"] = {**base["port_capacity"], "SYS": capacity}
    return {"effective_from": effective, "note": "Test: more places at San Ysidro",
            "policy": base}


def test_admin_adds_a_version(client, clock):
    admin = staff(client)
    r = client.post("/policies", json=_version("2024-09-12"), headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["created_by"].startswith("admin:")
    day = client.get("/policies/in-force", params={"date": "2024-09-13"}).json()
    assert day["policy"]["port_capacity"]["SYS"] == 300
    before = client.get("/policies/in-force", params={"date": "2024-09-11"}).json()
    assert before["policy"]["port_capacity"]["SYS"] == 385
    again = client.post("/policies", json=_version("2024-09-12"), headers=admin)
    assert again.status_code == 409


def test_versions_cannot_rewrite_the_past(client, clock):
    r = client.post("/policies", json=_version("2024-09-01"), headers=staff(client))
    assert r.status_code == 422 and "cannot change the past" in r.json()["detail"]


def test_invalid_policy_says_what_to_fix(client):
    body = _version("2024-09-20")
    body["policy"]["port_capacity"]["XXX"] = 5
    body["policy"]["request_window"] = {"start": "23:00", "end": "12:00"}
    r = client.post("/policies", json=body, headers=staff(client))
    assert r.status_code == 422
    assert "unknown port codes" in r.json()["detail"] and "after its start" in r.json()["detail"]


def test_policy_list_is_public(client):
    versions = client.get("/policies").json()
    assert [v["effective_from"] for v in versions][:3] == ["2023-01-12", "2023-02-09", "2023-05-10"]
    assert dt.date.fromisoformat(versions[-1]["effective_from"]) == dt.date(2025, 1, 20)
