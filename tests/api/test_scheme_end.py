"""After the scheme's last version ends (the real history: 2025-01-20) it says it is closed."""

from __future__ import annotations

import datetime as dt

from kit import TIJUANA, applicant, ask, register


def test_the_geofence_says_closed_after_the_end(client):
    lat, lon = TIJUANA
    query = f"/geofence?lat={lat}&lon={lon}&nationality=VEN&date="
    before = client.get(query + "2025-01-19").json()
    assert before["eligible"] is True and before["scheme_open"] is True
    after = client.get(query + "2025-02-01")
    assert after.status_code == 200
    body = after.json()
    assert body["eligible"] is False and body["scheme_open"] is False and body["zone"] is None
    assert "closed since 2025-01-20" in body["reason"]
    assert body["state"] == "Baja California"  # where the point is, still said


def test_the_request_route_says_closed_after_the_end(client, clock):
    clock.set_et(dt.date(2025, 1, 19), 12, 30)
    h = applicant(client)
    reg = register(client, h)
    assert ask(client, h, reg["id"], TIJUANA).status_code == 201
    clock.set_et(dt.date(2025, 2, 1), 12, 30)
    r = ask(client, h, reg["id"], TIJUANA)
    assert r.status_code == 422 and "closed since 2025-01-20" in r.json()["detail"], r.text
