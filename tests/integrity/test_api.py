"""The analyst API and the arrival-list read, on SQLite and PostgreSQL.

A small plain-CSV list is loaded through the service; registrations are made
through the public API; jobs run through the analyst endpoints.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import applicant, person, register, staff

from garita.db import transaction
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.lists import parse_plain

LIST = ("id,name,aliases,dates_of_birth,countries\n"
        "X1,\"QUINTERO, Rafael Caro\",El Principe,1952-10-03,MEX\n"
        "X2,\"ALVAREZ, Joaquin\",,1957-04-04,MEX\n")


def _load(client) -> None:
    app = client.app
    with transaction(app.state.sessions) as s:
        screening.load(s, "test-list", "1", "csv", parse_plain(LIST), "test", app.state.clock())


def test_screen_decide_and_arrival_read(client, clock) -> None:
    _load(client)
    user = applicant(client)
    hit = register(client, user, lead=person(given="Rafael", family="Caro Quintero",
                                             born="1952-10-03", nationality="MEX"))
    clean = register(client, user)
    analyst = staff(client, "analyst")

    r = client.post("/integrity/jobs/screen", headers=analyst)
    assert r.status_code == 200, r.text
    assert r.json()["new_alerts"] == 1
    again = client.post("/integrity/jobs/screen", headers=analyst).json()
    assert again["new_alerts"] == 0  # idempotent

    listed = client.get("/integrity/alerts", params={"kind": "watchlist"}, headers=analyst).json()
    [alert] = listed
    assert alert["registration_id"] == hit["id"] and alert["score"] >= 0.95
    ev = alert["evidence"]
    assert ev["date_of_birth"]["agreement"] == "same date" and ev["country"]["agreement"] == "same"
    assert {p["how"] for p in ev["parts"]} == {"exact"}
    # the English summary stays; code and params say it for a client in another language
    assert alert["summary"].startswith("act: ") and "resembles listed" in alert["summary"]
    assert alert["code"] == "watchlist" and ev["date_of_birth"]["code"] == "same_date"
    assert alert["params"]["dob"] == "same_date" and alert["params"]["nationality"] == "same"
    assert alert["params"]["tier"] == "act" and alert["params"]["score"] == alert["score"]

    with transaction(client.app.state.sessions) as s:
        seen = alerts.alerts_for_registrations(s, [hit["id"], clean["id"]])
    assert [a.id for a in seen[hit["id"]]] == [alert["id"]] and seen[clean["id"]] == []

    d = client.post(f"/integrity/alerts/{alert['id']}/decision",
                    json={"status": "dismissed", "note": "different person: photo differs"},
                    headers=analyst)
    assert d.status_code == 200 and d.json()["status"] == "dismissed"
    assert d.json()["decided_by"]
    twice = client.post(f"/integrity/alerts/{alert['id']}/decision",
                        json={"status": "confirmed", "note": "changed my mind"}, headers=analyst)
    assert twice.status_code == 409 and "already" in twice.json()["detail"]
    with transaction(client.app.state.sessions) as s:
        assert alerts.alerts_for_registrations(s, [hit["id"]])[hit["id"]] == []


def test_search_explains(client) -> None:
    analyst = staff(client, "analyst")
    empty = client.post("/integrity/watchlists/search", json={"name": "Joaquin Alvarez"},
                        headers=analyst)
    assert empty.status_code == 422 and "watchlist load" in empty.json()["detail"]
    _load(client)
    r = client.post("/integrity/watchlists/search", json={"name": "Joakin Álvarez"},
                    headers=analyst)
    assert r.status_code == 200
    top = r.json()[0]
    assert top["listed_name"] == "ALVAREZ, Joaquin" and top["score"] >= 0.85
    assert client.get("/integrity/watchlists", headers=analyst).json()[0]["entry_count"] == 2


def test_shared_address_becomes_alerts(client) -> None:
    user = applicant(client)
    surnames = ["Perez", "Gomez", "Lopez", "Diaz", "Ruiz", "Vega", "Rojas", "Soto", "Luna", "Mora"]
    regs = [register(client, user, lead=person(given="Ana", family=f, born=f"19{70 + i}-01-02"))
            for i, f in enumerate(surnames)]
    analyst = staff(client, "analyst")
    r = client.post("/integrity/jobs/integrity", params={"duplicates": False}, headers=analyst)
    assert r.status_code == 200, r.text
    assert r.json()["shared"]["address"] == 1
    got = client.get("/integrity/alerts", params={"kind": "shared_address"},
                     headers=analyst).json()
    assert {a["registration_id"] for a in got} == {x["id"] for x in regs}
    assert got[0]["evidence"]["people"] == 10 and got[0]["evidence"]["surname_count"] == 10
    assert got[0]["evidence"]["parsed"]["StreetName"] == "Main"


def test_access_and_errors(client) -> None:
    officer = staff(client, "officer", port="SYS")
    assert client.get("/integrity/alerts", headers=officer).status_code == 403
    assert client.get("/integrity/alerts", headers=applicant(client)).status_code == 403
    analyst = staff(client, "analyst")
    missing = client.get("/integrity/alerts/999999", headers=analyst)
    assert missing.status_code == 404 and "GET /integrity/alerts" in missing.json()["detail"]
    bad = client.post("/integrity/alerts/1/decision", json={"status": "open", "note": "hmm"},
                      headers=analyst)
    assert bad.status_code in (404, 422)
    assert client.get("/integrity/alerts", params={"port": "sys"},
                      headers=analyst).status_code == 422
    assert client.get("/integrity/alerts", params={"port": "SYS", "status": "open"},
                      headers=analyst).json() == []
