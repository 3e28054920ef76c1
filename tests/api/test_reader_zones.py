"""Times reach people in their own zone, with the scheme's (Eastern) beside it."""

from __future__ import annotations

import datetime as dt

from kit import TAPACHULA, applicant, ask, register, staff

DAY = dt.date(2024, 9, 10)


def test_an_applicant_in_chiapas_reads_windows_results_and_deadlines_on_their_clock(
        client, clock):
    me = applicant(client)
    reg = register(client, me)
    clock.set_et(DAY, 9)
    r = ask(client, me, reg["id"], TAPACHULA)  # before the window: said in Chiapas time
    assert r.status_code == 422
    assert ("12:00-23:59 EDT (America/New_York), 10:00-21:59 CST where you are "
            "(America/Mexico_City)") in r.json()["detail"]
    clock.set_et(DAY, 14)
    assert ask(client, me, reg["id"], TAPACHULA).status_code == 201
    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert st["message"].endswith("results after 2024-09-11 10:00 CST (America/Mexico_City; "
                                  "2024-09-11 12:00 EDT America/New_York).")
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert st["stage"] == "offered"
    deadline = dt.datetime.fromisoformat(st["offer"]["confirm_deadline"])
    assert deadline.utcoffset() is not None  # ISO 8601 with its offset
    mine = deadline.astimezone(dt.timezone(dt.timedelta(hours=-6)))
    assert f"Confirm by {mine:%Y-%m-%d %H:%M} CST (America/Mexico_City; " in st["message"]
    assert "(America/Los_Angeles, the port's time)" in st["message"]  # SYS
