"""Check-ins racing the day's close: no group ends up both checked in and a no-show."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from port_days import APPOINTMENT_DAY
from sqlalchemy import select

from garita.db import transaction
from garita.errors import DomainError
from garita.identity import Principal, Role
from garita.offers.models import Offer
from garita.ports import day, service
from garita.ports.models import CheckIn
from garita.ports.schemas import CheckInIn

GROUPS = 8


def test_check_ins_racing_the_close_stay_consistent(client, book):
    booked = book([(0, "SYS")] * GROUPS)
    sessions, keys = client.app.state.sessions, client.app.state.notice_keys
    admin = Principal(account_id=1, role=Role.admin)
    late = dt.datetime.combine(APPOINTMENT_DAY, dt.time(20, 30),
                               tzinfo=dt.timezone(dt.timedelta(hours=-4)))  # 17:30 PT
    start = threading.Barrier(GROUPS + 1)

    def scan(offer_id: int) -> str:
        start.wait()
        try:
            with transaction(sessions) as s:
                service.check_in(s, admin, "SYS", CheckInIn(
                    offer_id=offer_id, identity_confirmed=True, accept_late=True), late, keys)
            return "checked_in"
        except DomainError as exc:
            assert "no-show" in exc.detail, exc.detail
            return "refused"

    def close() -> int:
        start.wait()
        with transaction(sessions) as s:
            return day.close(s, admin, "SYS", APPOINTMENT_DAY, late)[0].no_shows

    with ThreadPoolExecutor(GROUPS + 1) as pool:
        closing = pool.submit(close)
        scans = list(pool.map(scan, [b.offer["id"] for b in booked]))
        no_shows = closing.result()
    with transaction(sessions) as s:
        status = dict(s.execute(select(Offer.id, Offer.status)).all())
        checked = set(s.scalars(select(CheckIn.offer_id)))
    for b, outcome in zip(booked, scans, strict=True):
        oid = b.offer["id"]
        if outcome == "checked_in":
            assert oid in checked and status[oid] == "confirmed"
        else:
            assert oid not in checked and status[oid] == "no_show"
    assert no_shows == scans.count("refused") == GROUPS - len(checked)
