"""Integrity jobs on empty and odd databases, on SQLite and PostgreSQL: a result, never a 500.

Zero rows, one row, no unit and no email, no list loaded, a list holding no
individuals, a population Splink cannot learn from: each answers 200 (or a
4xx that says what to do) and says what it did not do.
"""

from __future__ import annotations

from garita.db import transaction
from garita.integrity import screening
from garita.integrity.lists import parse_plain
from kit import ADDRESS, applicant, person, register, staff

ENTITIES_ONLY = "id,name,type\nE1,ACME TRADING SA,entity\nE2,MV OCEAN STAR,vessel\n"


def _job(client, headers: dict, duplicates: bool = True) -> dict:
    r = client.post("/integrity/jobs/integrity", params={"duplicates": duplicates},
                    headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_empty_database(client) -> None:
    analyst = staff(client, "analyst")
    # one typed answer, the same fields whatever ran (issue 11: typed response models)
    assert _job(client, analyst) == {"people": 0, "new_alerts": 0, "shared": {}, "rings": 0,
                                     "duplicate_pairs": 0, "duplicates_note": None}
    no_list = client.post("/integrity/jobs/screen", headers=analyst)
    assert no_list.status_code == 422 and "watchlist load" in no_list.json()["detail"]


def test_one_registration_without_unit_or_email(client) -> None:
    address = {**ADDRESS, "unit": None}
    register(client, applicant(client), us_address=address)
    out = _job(client, staff(client, "analyst"))
    assert out["people"] == 1 and out["rings"] == 0 and out["new_alerts"] == 0
    assert out["duplicate_pairs"] == 0


def test_people_splink_cannot_learn_from(client) -> None:
    user = applicant(client)
    for i in range(55):  # all different: no pair agrees on names and date of birth
        address = {**ADDRESS, "street": f"{100 + i} Oak Ave", "zip": f"{77000 + i}"}
        register(client, user, us_address=address, phone=f"+52 55 1234 {1000 + i}",
                 lead=person(given=f"Ana{'x' * (i % 7)}", family=f"Per{i:03d}ez",
                             born=f"{1950 + i}-0{1 + i % 9}-1{i % 10}"))
    out = _job(client, staff(client, "analyst"))
    assert out["people"] == 55 and out["duplicate_pairs"] == 0
    assert "could not be trained" in out["duplicates_note"]


def test_list_with_no_individuals(client) -> None:
    register(client, applicant(client))
    app = client.app
    with transaction(app.state.sessions) as s:
        screening.load(s, "entities", "1", "csv", parse_plain(ENTITIES_ONLY), "test",
                       app.state.clock())
    analyst = staff(client, "analyst")
    r = client.post("/integrity/jobs/screen", headers=analyst)
    assert r.status_code == 200, r.text
    assert r.json()["hits"] == 0 and r.json()["list_names"] == 0
    assert "no individuals" in r.json()["note"]
    search = client.post("/integrity/watchlists/search", json={"name": "Ana Perez"},
                         headers=analyst)
    assert search.status_code == 200 and search.json() == []
