"""A confirmed appointment reached through the API, the way an applicant gets one."""

from __future__ import annotations

import datetime as dt

from garita.notices import core
from kit import MEXICO_CITY, TIJUANA, applicant, ask, confirm, register, staff

DAY = dt.date(2024, 9, 10)


def confirmed(client, clock, members: int = 2, language: str = "es", **extra) -> dict:
    """Sign up, register, request, draw, confirm everyone needed: {headers, registration, offer}."""
    clock.set_et(DAY, 14)
    me = applicant(client)
    reg = register(client, me, members=members, language=language, **extra)
    assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    offer = st["offer"]
    lat, lon = MEXICO_CITY
    for person in st["awaiting_confirmation"]:
        r = confirm(client, me, offer["id"], person, (lat, lon))
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "confirmed"
    return {"headers": me, "registration": reg, "offer": r.json()}


def legacy_token(payload, signer) -> str:
    """A ``GN1.`` token as notices were issued before the standard format (the same
    envelope and payload code: tests/notices/data holds ones made by the old code)."""
    return core.sign_token(core.PREFIX, core.pack(payload), signer)
