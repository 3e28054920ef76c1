"""The loaded watchlists page, filter and sort, and say how many match in all."""

from __future__ import annotations

import datetime as dt

from garita.db import transaction
from garita.integrity import screening
from garita.integrity.lists import parse_plain
from kit import staff

LIST = "id,name,aliases,dates_of_birth,countries\nX1,\"ALVAREZ, Joaquin\",,1957-04-04,MEX\n"


def test_watchlists_page_filter_and_sort_with_a_total(client):
    app = client.app
    start = app.state.clock()
    for i, (name, version) in enumerate([("ofac", "1"), ("ofac", "2"), ("local", "1")]):
        with transaction(app.state.sessions) as s:
            screening.load(s, name, version, "csv", parse_plain(LIST), "test",
                           start + dt.timedelta(minutes=i))
    analyst = staff(client, "analyst")
    every = client.get("/integrity/watchlists", headers=analyst)
    assert every.status_code == 200 and every.headers["x-total-count"] == "3"
    assert [(w["name"], w["version"]) for w in every.json()] == [("ofac", "1"), ("ofac", "2"),
                                                                 ("local", "1")]
    r = client.get("/integrity/watchlists", params={"limit": 1, "offset": 1}, headers=analyst)
    assert [w["version"] for w in r.json()] == ["2"] and r.headers["x-total-count"] == "3"
    r = client.get("/integrity/watchlists", params={"name": "ofac", "sort": "-loaded_at"},
                   headers=analyst)
    assert [w["version"] for w in r.json()] == ["2", "1"] and r.headers["x-total-count"] == "2"
    r = client.get("/integrity/watchlists", params={"sort": "name", "limit": 1},
                   headers=analyst)
    assert [w["name"] for w in r.json()] == ["local"]
    active = client.get("/integrity/watchlists", params={"active": "true"}, headers=analyst)
    assert active.headers["x-total-count"] == "2"  # loading ofac 2 retired ofac 1
    assert [(w["name"], w["version"]) for w in active.json()] == [("ofac", "2"), ("local", "1")]
    assert client.get("/integrity/watchlists", params={"limit": 1001},
                      headers=analyst).status_code == 422
