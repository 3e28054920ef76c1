"""From sign-up to a confirmed appointment, through the JSON API, on both backends."""

from __future__ import annotations

import datetime as dt

from kit import (
    GUATEMALA_CITY,
    MEXICO_CITY,
    OAXACA,
    TAPACHULA,
    TIJUANA,
    applicant,
    ask,
    register,
    staff,
    take_photo,
)

DAY = dt.date(2024, 9, 10)


def test_sign_up_to_confirmed_appointment(client, clock):
    me = applicant(client)
    reg = register(client, me, members=2)  # lead, an adult, a 9-year-old
    assert reg["group_size"] == 3

    first = ask(client, me, reg["id"], TIJUANA)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["state"] == "Baja California" and body["service_date"] == str(DAY)
    assert body["ticket"].isdigit()  # the pseudonym to look for in the published lists
    again = ask(client, me, reg["id"], TIJUANA)
    assert again.status_code == 200 and again.json()["id"] == body["id"]

    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert st["stage"] == "requested" and st["request"]["ticket"] == body["ticket"]

    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    admin = staff(client)
    draw = client.post(f"/draws/{DAY}", headers=admin)
    assert draw.status_code == 201, draw.text
    assert draw.json()["summary"]["SYS"]["requests"] == 1

    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert st["stage"] == "offered"
    offer = st["offer"]
    # lead_days 4 with one backfill day: the earliest open day (nothing drawn before) is D+3
    assert offer["persons"] == 3 and offer["appointment_date"] == str(DAY + dt.timedelta(days=3))
    lead, adult, child = (p["id"] for p in reg["people"])
    assert sorted(st["awaiting_confirmation"]) == sorted([lead, adult])

    url = f"/offers/{offer['id']}/confirmations"
    for person in (lead, adult):  # the live photo first: the rules in force ask for it
        take_photo(client, me, offer["id"], person)
    lat, lon = MEXICO_CITY
    r = client.post(url, json={"person_id": lead, "lat": lat, "lon": lon}, headers=me)
    assert r.status_code == 200 and r.json()["status"] == "offered"
    r = client.post(url, json={"person_id": child, "lat": lat, "lon": lon}, headers=me)
    assert r.status_code == 422 and "does not confirm" in r.json()["detail"]
    lat, lon = OAXACA
    r = client.post(url, json={"person_id": adult, "lat": lat, "lon": lon}, headers=me)
    assert r.status_code == 422 and "Oaxaca" in r.json()["detail"]
    lat, lon = TIJUANA
    r = client.post(url, json={"person_id": adult, "lat": lat, "lon": lon}, headers=me)
    assert r.status_code == 200 and r.json()["status"] == "confirmed"

    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert st["stage"] == "confirmed" and "Appointment confirmed" in st["message"]


def test_refusals_say_why(client, clock):
    me = applicant(client)
    reg = register(client, me)
    r = ask(client, me, reg["id"], OAXACA)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "Oaxaca" in r.json()["detail"] and r.json()["state"] == "Oaxaca"
    r = ask(client, me, reg["id"], GUATEMALA_CITY)
    assert r.status_code == 422 and "outside Mexico" in r.json()["detail"]
    clock.set_et(DAY, 10, 14)
    r = ask(client, me, reg["id"], TIJUANA)
    assert r.status_code == 422 and "12:00" in r.json()["detail"]
    clock.set_et(DAY, 14, 0)
    assert ask(client, me, reg["id"], TAPACHULA).status_code == 201  # Chiapas, since 2024-08-23
    r = ask(client, me, reg["id"], TAPACHULA, port="BRO")
    assert r.status_code == 409 and "one request per day" in r.json()["detail"]


def test_dead_zone_rules_follow_the_policy_timeline(client, clock):
    me = applicant(client)
    clock.set_et(dt.date(2024, 6, 3), 14)
    reg = register(client, me)
    r = ask(client, me, reg["id"], TAPACHULA)
    assert r.status_code == 422 and "Chiapas" in r.json()["detail"]  # before 2024-08-23
    mexican = register(client, me, nationality="MEX")
    clock.set_et(dt.date(2024, 9, 2), 14)
    assert ask(client, me, mexican["id"], OAXACA).status_code == 201  # MEX: anywhere
    assert ask(client, me, reg["id"], TAPACHULA).status_code == 201


def test_one_appointment_at_a_time(client, clock):
    me = applicant(client)
    reg = register(client, me)
    assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 13)
    r = ask(client, me, reg["id"], TIJUANA)
    assert r.status_code == 422 and "already holds an appointment" in r.json()["detail"]
