"""Garita's own flows and the whole picture, from appointments made through the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cbp_files import small_southwest
from typer.testing import CliRunner

from garita.cli import app
from garita.db import transaction
from garita.stats import flows
from kit import TIJUANA, applicant, ask, confirm, register, staff

REQUEST_DAY = dt.date(2024, 9, 10)
APPOINTMENT_DAY = dt.date(2024, 9, 13)
runner = CliRunner()


@pytest.fixture
def season(client, clock):
    """13 groups ask at SYS (12 alone, one of three); all are offered and confirm; 11
    arrive (13 persons), two do not; 10 are paroled, one detained."""
    clock.set_et(REQUEST_DAY, 14)
    me = applicant(client)
    regs = [register(client, me, members=2 if i == 0 else 0) for i in range(13)]
    for reg in regs:
        assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(REQUEST_DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{REQUEST_DAY}", headers=staff(client)).status_code == 201
    offers = []
    for reg in regs:
        st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
        for person_id in st["awaiting_confirmation"]:
            r = confirm(client, me, st["offer"]["id"], person_id, TIJUANA)
            assert r.status_code == 200, r.text
        offers.append((st["offer"]["id"], [p["id"] for p in reg["people"]]))
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 19, 30)
    for k, (offer_id, people) in enumerate(offers[:11]):
        r = client.post("/ports/SYS/checkins", headers=officer,
                        json={"offer_id": offer_id, "identity_confirmed": True,
                              "accept_late": True})
        assert r.status_code == 201, r.text
        decision = ({"outcome": "detained", "reason": "criminal_record"} if k == 10 else
                    {"outcome": "paroled", "reason": "humanitarian",
                     "parole_until": "2026-09-13"})
        r = client.post("/ports/SYS/outcomes", headers=officer,
                        json={"offer_id": offer_id, "person_id": people[0], **decision})
        assert r.status_code == 201, r.text
    clock.set_et(APPOINTMENT_DAY, 20, 1)
    assert client.post(f"/ports/SYS/close-day?date={APPOINTMENT_DAY}",
                       headers=officer).status_code == 201


def _values(rows: list[dict]) -> dict:
    return {r["measure"]: r["value"] for r in rows}


def test_flows_by_period_with_small_cells_suppressed(season, sessions):
    with transaction(sessions) as s:
        month = flows.flows(s, "month", [], min_cell=10)
        exact = flows.flows(s, "day", ["port"], min_cell=1)
        week = flows.flows(s, "week", ["group_size"], min_cell=10)
        year = flows.flows(s, "fiscal_year", ["nationality", "origin_state"], min_cell=10)
    assert {r["period"] for r in month} == {"2024-09"}
    got = _values(month)
    assert got["requests"] == 13 and got["unique_requesters"] == 13
    assert got["offers"] == 13 and got["confirmations"] == 13 and got["arrivals"] == 11
    assert got["arrived_persons"] == 13 and got["outcome:paroled"] == 10
    assert got["draws"] == 1  # not a count of people: never hidden
    assert got["no_shows"] is None and got["outcome:detained"] is None
    hidden = {r["measure"] for r in month if r["suppressed"]}
    assert hidden == {"no_shows", "outcome:detained"}
    days = {(r["period"], r["measure"]): r["value"] for r in exact if r["port"] == "SYS"}
    assert days[("2024-09-10", "requests")] == 13 and days[("2024-09-13", "no_shows")] == 2
    assert days[("2024-09-13", "outcome:detained")] == 1
    assert days[("2024-09-10", "places")] > 0
    assert {r["period"] for r in week} == {"2024-W37"}
    sizes = {(r["group_size"], r["measure"]): r["value"] for r in week}
    # one family of three is under the threshold; with the week's total (13) public, its
    # 12 single travellers would give it away, so they are hidden too
    assert sizes[(1, "requests")] is None and sizes[(3, "requests")] is None
    states = {(r["nationality"], r["origin_state"], r["measure"]): r["value"] for r in year}
    assert states[("VEN", "Baja California", "requests")] == 13
    assert {r["period"] for r in year} == {"FY2024"}


def test_flow_queries_refuse_unknown_periods_and_dimensions(sessions):
    from garita.errors import Invalid

    with transaction(sessions) as s, pytest.raises(Invalid, match="unknown period"):
        flows.flows(s, "fortnight", [], 10)
    with transaction(sessions) as s, pytest.raises(Invalid, match="cannot group flows"):
        flows.flows(s, "month", ["shoe_size"], 10)


def test_the_whole_picture_puts_appointments_beside_encounters(season, client, load,
                                                             tmp_path, database_url,
                                                             monkeypatch):
    load(small_southwest(tmp_path / "sw.csv", fy="2024", months=("AUG", "SEP")))
    body = client.get("/stats/picture").json()
    september = next(m for m in body["months"] if m["period"] == "2024-09")
    assert september == {"period": "2024-09", "border_patrol": 3007, "field_operations": 1020,
                         "appointments_kept": 13, "appointment_share": round(13 / 1020, 4),
                         "appointments_suppressed": False}
    august = next(m for m in body["months"] if m["period"] == "2024-08")
    assert august["appointments_kept"] is None and august["appointment_share"] is None
    [fy] = body["fiscal_years"]
    assert fy["period"] == "2024" and fy["field_operations"] == 2040
    assert body["encounter_sources"][0]["dataset"] == "southwest"
    r = client.get("/stats/flows", params={"period": "month", "by": "port"})
    assert r.status_code == 200
    assert {"period": "2024-09", "measure": "requests", "value": 13, "suppressed": False,
            "port": "SYS", "nationality": None, "origin_state": None,
            "group_size": None} in r.json()
    assert client.get("/stats/flows?period=year").status_code == 422
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    monkeypatch.setenv("GARITA_STATS_MIN_CELL", "20")
    out = runner.invoke(app, ["stats", "flows", "--period", "month", "--json"])
    assert out.exit_code == 0, out.output
    assert {"period": "2024-09", "measure": "requests", "value": None, "suppressed": True} \
        in json.loads(out.stdout)
    out = runner.invoke(app, ["stats", "picture"])
    assert out.exit_code == 0 and "2024-09" in out.output


def test_alerts_by_kind_and_decision(client, clock, sessions):
    from garita.integrity import service as integrity

    clock.set_et(REQUEST_DAY, 14)
    me = applicant(client)
    regs = [register(client, me) for _ in range(12)]
    raised = dt.datetime(2024, 9, 10, 18, tzinfo=dt.UTC)
    findings = [{"kind": "shared_address", "registration_id": r["id"], "severity": "medium",
                 "summary": "address shared", "evidence": {}, "key": "addr"} for r in regs]
    with transaction(sessions) as s:
        assert integrity.raise_alerts(s, findings, raised, "test") == 12
    analyst = staff(client, "analyst")
    listed = client.get("/integrity/alerts", headers=analyst).json()
    first = (listed["items"] if isinstance(listed, dict) else listed)[0]["id"]
    r = client.post(f"/integrity/alerts/{first}/decision", headers=analyst,
                    json={"status": "dismissed", "note": "one household, checked"})
    assert r.status_code == 200, r.text
    with transaction(sessions) as s:
        exact = _values(flows.flows(s, "day", [], min_cell=1))
        shown = _values(flows.flows(s, "day", [], min_cell=10))
    assert exact["alerts:shared_address:open"] == 11
    assert exact["alerts:shared_address:dismissed"] == 1
    assert shown["alerts:shared_address:dismissed"] is None
