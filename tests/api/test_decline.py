"""Declining an offer and cancelling an appointment: the places go back to the next draw,
the registration may ask again, the audit says who and when; both backends."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from garita.audit import service as audit
from garita.offers.models import Offer
from kit import ET, MEXICO_CITY, TIJUANA, applicant, ask, confirm, register, staff

DAY = dt.date(2024, 9, 10)
D3, D4 = DAY + dt.timedelta(days=3), DAY + dt.timedelta(days=4)


def _capacity(client, admin, sys_places: int) -> None:
    from garita.policy.service import shipped_history

    policy = shipped_history()[-2].policy.model_dump(mode="json")
    policy["port_capacity"] = {p: 0 for p in policy["port_capacity"]} | {"SYS": sys_places}
    policy["slots"] = ["08:00"]
    r = client.post("/policies", json={"effective_from": str(DAY), "note": "tiny",
                                       "policy": policy}, headers=admin)
    assert r.status_code == 201, r.text


def _offer(client, who, reg) -> dict:
    return client.get(f"/registrations/{reg['id']}/status", headers=who).json()["offer"]


def _confirm(client, who, reg, offer) -> None:
    lat, lon = MEXICO_CITY
    r = confirm(client, who, offer["id"], reg["people"][0]["id"], (lat, lon))
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text


def test_declined_and_cancelled_places_are_drawn_the_next_day(client, clock):
    admin = staff(client)
    clock.set_et(DAY, 13)
    _capacity(client, admin, 4)
    people = [(h := applicant(client), register(client, h)) for _ in range(8)]
    for h, reg in people:
        assert ask(client, h, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    offers = [(h, reg, _offer(client, h, reg)) for h, reg in people]
    later = [o for o in offers if o[2]["appointment_date"] == str(D4)]
    assert len(later) == 4  # D+3 and D+4 are full: 8 places, 8 offers

    clock.set_et(DAY + dt.timedelta(days=1), 13)
    (dh, dreg, doffer), (ch, creg, coffer) = later[:2]
    for h, reg, offer in offers:
        if offer["id"] != doffer["id"]:
            _confirm(client, h, reg, offer)  # everyone else confirms: no lapses muddle it
    r = client.post(f"/offers/{doffer['id']}/decline", headers=dh)
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert client.post(f"/offers/{doffer['id']}/decline", headers=dh).json() == r.json()
    r = client.post(f"/offers/{coffer['id']}/cancel", headers=ch)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    st = client.get(f"/registrations/{creg['id']}/status", headers=ch).json()
    assert st["stage"] == "cancelled" and "no penalty" in st["message"]

    # both may ask again the same day; a newcomer asks too
    newcomer = applicant(client)
    nreg = register(client, newcomer)
    for h, reg in ((dh, dreg), (ch, creg), (newcomer, nreg)):
        assert ask(client, h, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=2), 12, 5)
    draw = client.post(f"/draws/{DAY + dt.timedelta(days=1)}", headers=admin)
    assert draw.status_code == 201, draw.text
    summary = draw.json()["summary"]["SYS"]
    # D+4's two freed places (one declined, one cancelled) and the new day's four
    assert summary["places"] == 6 and summary["requests"] == 3
    with client.app.state.sessions() as s:
        held = s.scalars(select(Offer).where(Offer.appointment_date == D4,
                                             Offer.status.in_(("offered", "confirmed")))).all()
        assert len(held) == 4  # the earliest day filled first: D+4 is whole again
        entries = {e.action: e for e in s.scalars(select(audit.AuditEntry)).all()}
        _, breaks = audit.verify(s)
    assert breaks == []
    for action, who in (("offer.decline", dh), ("offer.cancel", ch)):  # who, and when
        me = client.get("/auth/me", headers=who).json()["account_id"]
        assert entries[action].actor == f"applicant:{me}"
        assert entries[action].at == dt.datetime.combine(
            DAY + dt.timedelta(days=1), dt.time(13), tzinfo=ET)


def test_decline_and_cancel_refuse_what_they_cannot_do(client, clock):
    admin, me, other = staff(client), applicant(client), applicant(client)
    reg = register(client, me)
    ask(client, me, reg["id"], TIJUANA)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    client.post(f"/draws/{DAY}", headers=admin)
    offer = _offer(client, me, reg)
    assert client.post(f"/offers/{offer['id']}/decline", headers=other).status_code == 404
    assert client.post(f"/offers/{offer['id']}/cancel", headers=me).status_code == 409
    assert client.post("/offers/999999/decline", headers=me).status_code == 404
    _confirm(client, me, reg, offer)
    r = client.post(f"/offers/{offer['id']}/decline", headers=me)
    assert r.status_code == 409 and "cancel it instead" in r.json()["detail"]
    day, slot = offer["appointment_date"], offer["slot"]
    start = dt.datetime.fromisoformat(f"{day}T{slot}").replace(
        tzinfo=dt.datetime.fromisoformat(offer["appointment_at"]).tzinfo)
    clock.now = start + dt.timedelta(minutes=1)
    r = client.post(f"/offers/{offer['id']}/cancel", headers=me)
    assert r.status_code == 409 and "has begun" in r.json()["detail"]
    clock.now = start - dt.timedelta(minutes=1)
    assert client.post(f"/offers/{offer['id']}/cancel", headers=me).status_code == 200
