"""What the applicant's status says once the port has recorded the day."""

from __future__ import annotations

from port_days import APPOINTMENT_DAY

from kit import TIJUANA, ask, staff


def _status(client, booked):
    return client.get(f"/registrations/{booked.registration['id']}/status",
                      headers=booked.headers).json()


def test_status_after_outcome_and_no_show(client, clock, book):
    came, absent = book([(0, "SYS"), (0, "SYS")])
    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 10)
    client.post("/ports/SYS/checkins", headers=officer,
                json={"offer_id": came.offer["id"], "identity_confirmed": True})
    assert _status(client, came)["stage"] == "confirmed"
    r = client.post("/ports/SYS/outcomes", headers=officer, json={
        "offer_id": came.offer["id"], "person_id": came.people[0],
        "outcome": "permitted_to_withdraw", "reason": "voluntary"})
    assert r.status_code == 201, r.text
    st = _status(client, came)
    assert st["stage"] == "attended" and "took place" in st["message"]

    clock.set_et(APPOINTMENT_DAY, 20, 1)
    assert client.post(f"/ports/SYS/close-day?date={APPOINTMENT_DAY}",
                       headers=officer).status_code == 201
    st = _status(client, absent)
    assert st["stage"] == "no_show" and "no penalty" in st["message"]

    clock.set_et(APPOINTMENT_DAY, 22)  # a new request replaces the no-show as the news
    assert ask(client, absent.headers, absent.registration["id"], TIJUANA).status_code == 201
    assert _status(client, absent)["stage"] == "requested"
