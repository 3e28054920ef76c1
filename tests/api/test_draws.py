"""The draw through the API: after its time, idempotent, lapses return places, audited."""

from __future__ import annotations

import datetime as dt

from garita.audit import service as audit
from garita.offers.models import Offer
from kit import TIJUANA, applicant, ask, register, staff

DAY = dt.date(2024, 9, 10)


def _capacity(client, admin, sys_places: int, effective: dt.date) -> None:
    from garita.policy.service import shipped_history

    policy = shipped_history()[-2].policy.model_dump(mode="json")
    policy["port_capacity"] = {p: 0 for p in policy["port_capacity"]} | {"SYS": sys_places}
    policy["slots"] = ["08:00"]
    r = client.post("/policies", json={"effective_from": str(effective), "note": "tiny",
                                       "policy": policy}, headers=admin)
    assert r.status_code == 201, r.text


def test_draw_waits_for_its_time_and_runs_once(client, clock):
    admin, me = staff(client), applicant(client)
    reg = register(client, me)
    ask(client, me, reg["id"], TIJUANA)
    r = client.post(f"/draws/{DAY}", headers=admin)
    assert r.status_code == 422 and "runs at 2024-09-11 12:00" in r.json()["detail"]
    clock.set_et(DAY + dt.timedelta(days=1), 12, 1)
    first = client.post(f"/draws/{DAY}", headers=admin)
    second = client.post(f"/draws/{DAY}", headers=admin)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    with client.app.state.sessions() as s:
        assert s.query(Offer).count() == 1
    public = client.get(f"/draws/{DAY}").json()
    assert public["result_digest"] == first.json()["result_digest"]
    assert client.get("/draws/2024-09-01").status_code == 404


def test_capacity_lapse_and_backfill(client, clock):
    """Six singles want 4 places; unconfirmed offers lapse and the next draw refills them."""
    admin = staff(client)
    clock.set_et(DAY, 13)
    _capacity(client, admin, 4, DAY)
    people = [(h := applicant(client), register(client, h)["id"]) for _ in range(6)]
    for h, reg_id in people:
        assert ask(client, h, reg_id, TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    summary = client.post(f"/draws/{DAY}", headers=admin).json()["summary"]["SYS"]
    # D+3 and D+4 are open (backfill 1 day): 8 places for 6 requests
    assert summary["places"] == 8
    assert summary["allocated_longest_waiting"] + summary["allocated_random"] == 6
    with client.app.state.sessions() as s:
        offers = s.query(Offer).order_by(Offer.id).all()
        days = sorted(o.appointment_date for o in offers)
    assert days.count(DAY + dt.timedelta(days=3)) == 4  # the earliest day fills first

    # nobody confirms; next day everyone asks again (they hold offers until the deadline)
    clock.set_et(DAY + dt.timedelta(days=1), 13)
    refused = [ask(client, h, reg_id, TIJUANA).status_code for h, reg_id in people]
    assert refused == [422] * 6
    clock.set_et(DAY + dt.timedelta(days=2), 12, 5)  # deadlines (D+2 11:00) have passed
    next_day = DAY + dt.timedelta(days=1)
    summary = client.post(f"/draws/{next_day}", headers=admin).json()["summary"]
    assert "SYS" not in summary or summary["SYS"]["requests"] == 0
    with client.app.state.sessions() as s:
        assert {o.status for o in s.query(Offer).all()} == {"lapsed"}
        checked, breaks = audit.verify(s)
        actions = {e.action for e in s.query(audit.AuditEntry).all()}
    assert breaks == [] and {"draw.run", "offer.lapse", "request.create"} <= actions
