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


def test_status_names_the_zones_and_after_parole_says_what_follows(client, clock, book):
    """Booked from Tijuana for SYS: the appointment on the port's clock, and after the
    port's day each person's outcome and what follows, never "come back at 12:00"."""
    (family,) = book([(1, "SYS")])
    st = _status(client, family)
    assert st["stage"] == "confirmed"
    assert "at 07:00 PDT (America/Los_Angeles, the port's time)" in st["message"], st
    assert st["offer"]["appointment_at"] == f"{APPOINTMENT_DAY}T07:00:00-07:00"

    officer = staff(client, "officer", port="SYS")
    clock.set_et(APPOINTMENT_DAY, 10)
    client.post("/ports/SYS/checkins", headers=officer,
                json={"offer_id": family.offer["id"], "identity_confirmed": True})
    lead, other = family.people
    for person in (lead, other):
        r = client.post("/ports/SYS/outcomes", headers=officer, json={
            "offer_id": family.offer["id"], "person_id": person, "outcome": "paroled",
            "reason": "humanitarian", "parole_until": "2025-09-12"})
        assert r.status_code == 201, r.text
    st = _status(client, family)
    assert st["stage"] == "attended"
    assert "paroled into the United States until 2025-09-12" in st["message"]
    assert "no new appointment is needed" in st["message"]
    assert "Come back" not in st["message"] and "ask again" not in st["message"]
