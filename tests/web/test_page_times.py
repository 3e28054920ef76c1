"""Every applicant page that shows an appointment's time names its zone (the port's
clock), as deadlines already do (issue 13: times with the zone, per language)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from kit import TIJUANA, applicant, ask, confirm, register, staff

DAY = dt.date(2024, 9, 10)


def _pages(app, headers: dict, path: str, lang: str) -> str:
    browser = TestClient(app)
    browser.cookies.set("garita_session", headers["Authorization"].split()[1])
    browser.cookies.set("garita_lang", lang)
    r = browser.get(path)
    assert r.status_code == 200, r.text
    return r.text


def test_appointment_times_on_the_pages_say_the_ports_zone(client, clock):
    """Asked from Tijuana for San Ysidro: the slot is on the port's clock (Los Angeles)."""
    me = applicant(client)
    reg = register(client, me)
    clock.set_et(DAY, 14)
    assert ask(client, me, reg["id"], TIJUANA, port="SYS").status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]
    hour, minute = int(offer["slot"][:2]), offer["slot"][3:5]
    assert hour < 12
    app = client.app
    for path in (f"/me/registrations/{reg['id']}", f"/me/offers/{offer['id']}/confirm"):
        html = _pages(app, me, path, "en").replace("\u202f", " ")
        assert f"at {hour}:{minute} AM, Los Angeles." in html
    lead = client.get(f"/registrations/{reg['id']}", headers=me).json()["people"][0]["id"]
    r = confirm(client, me, offer["id"], lead, TIJUANA)
    assert r.status_code == 200, r.text
    for path in (f"/me/registrations/{reg['id']}", f"/me/offers/{offer['id']}/notice"):
        assert f"{hour}:{minute}, Los Ángeles" in _pages(app, me, path, "es")
        assert f"{hour:02d}:{minute}, Лос-Анджелес" in _pages(app, me, path, "ru")
