"""The ``book`` fixture: confirmed appointments made through the API (see port_days)."""

from __future__ import annotations

import datetime as dt

import pytest
from port_days import APPOINTMENT_DAY, REQUEST_DAY, Booked

from kit import TIJUANA, applicant, ask, register, staff
from kit import confirm as confirm_member


@pytest.fixture
def book(client, clock):
    """``book([(members, port), ...], confirm=True)`` → one Booked per group, in order."""

    def make(groups: list[tuple[int, str]], confirm: bool = True) -> list[Booked]:
        clock.set_et(REQUEST_DAY, 14)
        me = applicant(client)
        regs = [register(client, me, members=n) for n, _ in groups]
        for reg, (_, port) in zip(regs, groups, strict=True):
            assert ask(client, me, reg["id"], TIJUANA, port=port).status_code == 201
        clock.set_et(REQUEST_DAY + dt.timedelta(days=1), 12, 5)
        assert client.post(f"/draws/{REQUEST_DAY}", headers=staff(client)).status_code == 201
        booked = []
        for reg in regs:
            st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
            assert st["stage"] == "offered", st
            offer = st["offer"]
            for person_id in st["awaiting_confirmation"] if confirm else []:
                lat, lon = TIJUANA
                r = confirm_member(client, me, offer["id"], person_id, (lat, lon))
                assert r.status_code == 200, r.text
                offer = r.json()
            booked.append(Booked(offer=offer, registration=reg, headers=me))
        assert all(b.offer["appointment_date"] == str(APPOINTMENT_DAY) for b in booked)
        return booked

    return make
