"""Corridor test helpers (imported by the fixtures and by the PostgreSQL race test)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import MEXICO_CITY, TAPACHULA, applicant, ask, register, staff

from garita.db import transaction
from garita.policy import service as policies
from garita.policy.schemas import PolicyVersionIn
from kit import confirm

DAY = dt.date(2024, 9, 10)


def confirm_three(client: TestClient, clock) -> list[tuple[dict, dict, dict]]:
    """Two confirmed appointments at Brownsville, confirmed from Tapachula (Chiapas), and one
    confirmed from Mexico City; appointments 8 days out so a bus can make it.
    Returns (headers, registration, offer) for: a family of 3 (a child), a solo, the city one."""
    base = next(v for v in policies.shipped_history() if str(v.effective_from) == "2024-08-30")
    with transaction(client.app.state.sessions) as s:
        policies.insert_version(s, PolicyVersionIn(
            effective_from=DAY, note="test: appointments 8 days ahead",
            policy=base.policy.model_copy(update={"lead_days": 8})), actor="test")
    out = []
    for members, where in ((2, TAPACHULA), (0, TAPACHULA), (0, MEXICO_CITY)):
        me = applicant(client)
        reg = register(client, me, members=members)
        assert ask(client, me, reg["id"], where, port="BRO").status_code == 201
        out.append((me, reg, where))
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    result = []
    for me, reg, where in out:
        st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
        for pid in st["awaiting_confirmation"]:
            r = confirm(client, me, st["offer"]["id"], pid, where)
            assert r.status_code == 200, r.text
        result.append((me, reg, st["offer"]))
    return result
