"""Check-in: identity confirmed, the appointment day, early/late by the policy's minutes."""

from __future__ import annotations

from port_days import APPOINTMENT_DAY

from kit import TIJUANA, ask, staff


def _check(client, headers: dict, offer_id: int, **extra: object):
    body = {"offer_id": offer_id, "identity_confirmed": True, **extra}
    return client.post("/ports/SYS/checkins", headers=headers, json=body)


def test_on_time_check_in_and_a_second_scan(client, clock, book):
    (group,) = book([(1, "SYS")])
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 10, 20)  # 07:20 in San Ysidro, slot 07:00
    r = _check(client, officer, group.offer["id"])
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["timing"] == "on_time" and first["minutes_from_slot"] == 20
    assert first["method"] == "offer_id" and first["identity_confirmed"] is True
    assert first["day"] == str(APPOINTMENT_DAY) and first["late_accepted"] is False
    again = _check(client, staff(client, "officer", port="SYS"), group.offer["id"])
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    listed = client.get(f"/ports/SYS/arrivals?date={APPOINTMENT_DAY}", headers=officer).json()
    assert listed["groups"][0]["status"] == "checked_in"
    assert listed["groups"][0]["checkin"]["id"] == first["id"]
    clock.set_et(APPOINTMENT_DAY, 13)  # the request window is open: still held
    r = ask(client, group.headers, group.registration["id"], TIJUANA)
    assert r.status_code == 422 and "already holds" in r.json()["detail"]


def test_early_arrivals_come_back_at_the_opening_time(client, clock, book):
    (group,) = book([(0, "SYS")])
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 7, 59)  # 04:59 PT; check-in opens 05:00 (120 minutes)
    r = _check(client, officer, group.offer["id"])
    assert r.status_code == 422
    body = r.json()
    assert "Early" in body["detail"] and "05:00" in body["detail"]
    assert body["timing"] == "early" and body["minutes_from_slot"] == -121
    clock.set_et(APPOINTMENT_DAY, 8, 0)
    r = _check(client, officer, group.offer["id"])
    assert r.status_code == 201 and r.json()["minutes_from_slot"] == -120


def test_late_arrivals_need_the_officer_to_accept(client, clock, book):
    (group,) = book([(0, "SYS")])
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 11, 1)  # 08:01 PT: 61 minutes after the slot, allowance 60
    r = _check(client, officer, group.offer["id"])
    assert r.status_code == 422
    assert "accept_late=true" in r.json()["detail"] and r.json()["timing"] == "late"
    r = _check(client, officer, group.offer["id"], accept_late=True)
    assert r.status_code == 201
    assert r.json()["timing"] == "late" and r.json()["late_accepted"] is True


def test_check_in_refusals_say_what_to_fix(client, clock, book):
    group, other = book([(0, "SYS"), (0, "ELP")])
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 10)
    r = _check(client, officer, group.offer["id"], identity_confirmed=False)
    assert r.status_code == 422 and "identity_confirmed=true" in r.json()["detail"]
    r = client.post("/ports/SYS/checkins", headers=officer, json={"identity_confirmed": True})
    assert r.status_code == 422 and "exactly one of" in r.json()["detail"]
    r = _check(client, officer, group.offer["id"], confirmation_number="ABCD-EFGH")
    assert r.status_code == 422 and "exactly one of" in r.json()["detail"]
    r = client.post("/ports/SYS/checkins", headers=officer, json={"offer_id": group.offer["id"]})
    assert r.status_code == 422 and "identity_confirmed" in r.json()["detail"]
    r = _check(client, officer, other.offer["id"])  # an ELP appointment at SYS
    assert r.status_code == 404 and "port printed on it" in r.json()["detail"]
    r = _check(client, officer, 999_999)
    assert r.status_code == 404
    r = _check(client, officer, "seven")
    assert r.status_code == 422 and "offer_id" in r.json()["detail"]
    clock.set_et(APPOINTMENT_DAY.replace(day=12), 10)
    r = _check(client, officer, group.offer["id"])
    assert r.status_code == 422 and "is for 2024-09-13" in r.json()["detail"]
    clock.set_et(APPOINTMENT_DAY, 10)
    assert _check(client, officer, group.offer["id"]).status_code == 201


def test_admin_checks_in_at_any_port_in_its_time_zone(client, clock, book):
    (group,) = book([(0, "ELP")])
    admin = staff(client)
    clock.set_et(APPOINTMENT_DAY, 9, 30)  # 07:30 in El Paso (Mountain time)
    r = client.post("/ports/ELP/checkins", headers=admin,
                    json={"offer_id": group.offer["id"], "identity_confirmed": True})
    assert r.status_code == 201 and r.json()["minutes_from_slot"] == 30


def test_check_in_by_qr_token_or_confirmation_number(client, clock, book):
    by_token, by_number, elsewhere = book([(1, "SYS"), (0, "SYS"), (0, "ELP")])
    notices = {}
    for b in (by_token, by_number, elsewhere):
        r = client.get(f"/offers/{b.offer['id']}/notice", headers=b.headers)
        assert r.status_code == 200, r.text
        notices[b.offer["id"]] = r.json()
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 10)
    token = notices[by_token.offer["id"]]["token"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"token": forged, "identity_confirmed": True})
    assert r.status_code == 422 and "does not verify" in r.json()["detail"]
    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"token": token, "identity_confirmed": True})
    assert r.status_code == 201, r.text
    assert r.json()["offer_id"] == by_token.offer["id"] and r.json()["method"] == "token"

    number = notices[by_number.offer["id"]]["confirmation_number"]
    typed = f"{number[:5].lower()} {number[5:]}"  # as an officer might type it
    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"confirmation_number": typed, "identity_confirmed": True})
    assert r.status_code == 201, r.text
    assert r.json()["offer_id"] == by_number.offer["id"]
    assert r.json()["method"] == "confirmation_number"

    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"confirmation_number": "0000000000", "identity_confirmed": True})
    assert r.status_code == 404 and "No notice" in r.json()["detail"]
    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"confirmation_number": "not a number!", "identity_confirmed": True})
    assert r.status_code == 422 and "ten letters and digits" in r.json()["detail"]
    other = notices[elsewhere.offer["id"]]["token"]
    r = client.post("/ports/SYS/checkins", headers=officer,
                    json={"token": other, "identity_confirmed": True})
    assert r.status_code == 404 and "port printed on it" in r.json()["detail"]
