"""The date-of-birth check answers valid / not valid and nothing else; it is rate-limited."""

from __future__ import annotations

import datetime as dt

from notices_kit import confirmed

from garita.app import create_app
from garita.notices.core import grouped


def test_check_says_only_valid_or_not(client, clock, appointment):
    me, offer = appointment["headers"], appointment["offer"]
    number = client.get(f"/offers/{offer['id']}/notice", headers=me).json()["confirmation_number"]
    people = appointment["registration"]["people"]
    for person in people:  # any member's date of birth works
        r = client.post("/notices/check", json={"confirmation_number": grouped(number).lower(),
                                                "date_of_birth": person["date_of_birth"]})
        assert r.status_code == 200 and r.json() == {"valid": True}
    failures = [
        {"confirmation_number": number, "date_of_birth": "1901-01-01"},  # wrong date of birth
        {"confirmation_number": "0000000000", "date_of_birth": people[0]["date_of_birth"]},
    ]
    answers = [client.post("/notices/check", json=f) for f in failures]
    clock.set_et(dt.date.fromisoformat(offer["appointment_date"]) + dt.timedelta(days=1), 9)
    answers.append(client.post("/notices/check", json={"confirmation_number": number,
                                                      "date_of_birth": people[0]["date_of_birth"]}))
    for r in answers:  # every "no" is the same bytes, the same headers
        assert r.status_code == 200 and r.content == b'{"valid":false}'
        assert set(r.headers) == set(answers[0].headers)


def test_check_input_errors_name_the_field(client):
    r = client.post("/notices/check", json={"confirmation_number": "UUUUUUUUUU",
                                            "date_of_birth": "1990-01-01"})
    assert r.status_code == 422 and "confirmation_number" in r.json()["detail"]
    r = client.post("/notices/check", json={"confirmation_number": "7K3M9QX2PA",
                                            "date_of_birth": "1990-02-30"})
    assert r.status_code == 422 and "date_of_birth" in r.json()["detail"]


def test_check_is_rate_limited(database_url, clock):
    from fastapi.testclient import TestClient

    from kit import settings_for

    app = create_app(settings_for(database_url, notice_check_rate="3/minute"), clock=clock)
    with TestClient(app) as c:
        body = {"confirmation_number": "0000000000", "date_of_birth": "1990-01-01"}
        codes = [c.post("/notices/check", json=body).status_code for _ in range(4)]
    app.state.engine.dispose()
    assert codes == [200, 200, 200, 429]


def test_a_lapsed_or_unconfirmed_group_is_not_valid(client, clock):
    body = confirmed(client, clock, members=0)
    number = client.get(f"/offers/{body['offer']['id']}/notice",
                        headers=body["headers"]).json()["confirmation_number"]
    born = body["registration"]["people"][0]["date_of_birth"]
    assert client.post("/notices/check", json={"confirmation_number": number,
                                               "date_of_birth": born}).json() == {"valid": True}
