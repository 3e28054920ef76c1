"""The NGO desk reads the stages of a page in a fixed number of queries (one batch per
page, not `status` per row), and they are the stages `status` gives one by one."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import event

from garita.draw.status import stages, status
from garita.identity import Principal, Role
from garita.registrations import service as registrations
from kit import TIJUANA, applicant, ask, confirm, person, register, staff

DAY = dt.date(2024, 9, 10)


def _desk(app, headers: dict, **params: str) -> tuple[str, int]:
    """The desk page's HTML and how many SQL statements it ran, leaving out the reload of
    the revoked sessions (``auth.sessions.Revocations``, every 2 s of real time whatever
    the page: on a slow machine it lands in one call and not the other) and the
    transactions' BEGIN."""
    browser = TestClient(app)
    browser.cookies.set("garita_session", headers["Authorization"].split()[1])
    engine, seen = app.state.engine, []

    def count(conn, cursor, statement: str, *_: object) -> None:
        if not statement.startswith("BEGIN") and "account_session" not in statement:
            seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        r = browser.get("/desk", params=params)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert r.status_code == 200, r.text
    return r.text, len(seen)


def _same_as_status(client, ngo_id: int) -> dict[int, str]:
    who = Principal(account_id=ngo_id, role=Role.ngo)
    now = client.app.state.clock()
    with client.app.state.sessions() as s:
        regs, _ = registrations.search_own(s, who, limit=100)
        batch = stages(s, regs, now)
        assert batch == {r.id: status(s, who, r.id, now).stage for r in regs}
    return batch


def test_desk_stages_in_a_fixed_number_of_queries_and_as_status_says(client, clock):
    ngo = applicant(client, role="ngo")
    ngo_id = client.get("/auth/me", headers=ngo).json()["account_id"]
    offered = register(client, ngo, lead=person(given="Yoandy", family="Quintana"))["id"]
    confirmed, never, later = (register(client, ngo)["id"] for _ in range(3))
    clock.set_et(DAY, 14)
    for reg in (offered, confirmed):
        assert ask(client, ngo, reg, TIJUANA, port="SYS").status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    assert ask(client, ngo, later, TIJUANA, port="SYS").status_code == 201
    st = client.get(f"/registrations/{confirmed}/status", headers=ngo).json()
    lead = client.get(f"/registrations/{confirmed}", headers=ngo).json()["people"][0]["id"]
    assert confirm(client, ngo, st["offer"]["id"], lead, TIJUANA).status_code == 200
    assert _same_as_status(client, ngo_id) == {offered: "offered", confirmed: "confirmed",
                                               never: "can_request", later: "requested"}
    clock.set_et(DAY + dt.timedelta(days=2), 13)  # past the deadline: shown as lapsed
    assert _same_as_status(client, ngo_id)[offered] == "lapsed"
    for _ in range(16):
        register(client, ngo)
    _desk(client.app, ngo)  # the session's first page also checks it is not revoked: not counted
    full, many = _desk(client.app, ngo)
    one, few = _desk(client.app, ngo, q="quintana")
    assert full.count('<span class="stage">') == 20 and one.count('<span class="stage">') == 1
    assert many == few, (many, few)  # 20 rows cost what one row (asked, offered) costs
    lapsed, _ = _desk(client.app, ngo, stage="lapsed")
    assert lapsed.count('<span class="stage">') == 1 and f"<td>{offered}</td>" in lapsed
