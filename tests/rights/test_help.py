"""Help and proxies, accommodation (issue 16, points 6 and 8): the queue, consent to share,
reports that become integrity alerts, the NGO's hand-back, assisted confirmation."""

from __future__ import annotations

import datetime as dt

from garita.audit import service as audit
from garita.db import transaction
from kit import TIJUANA, applicant, ask, confirm, register, sign_in, staff, take_photo, verify

DAY = dt.date(2024, 9, 10)


def _actions(client, object_type: str, object_id: int) -> list[tuple[str, str]]:
    with transaction(client.app.state.sessions) as s:
        return [(e["actor"], e["action"]) for e in audit.entries_for(s, object_type, object_id)]


def test_a_question_goes_to_the_queue_and_gets_an_answer(client):
    me = applicant(client)
    reg = register(client, me)
    r = client.post("/help", headers=me, json={"message": "¿Cómo corrijo mi fecha de nacimiento?",
                                               "registration_id": reg["id"], "share": True,
                                               "page": f"/me/registrations/{reg['id']}"})
    assert r.status_code == 201, r.text
    hid = r.json()["id"]
    ngo = applicant(client, role="ngo")
    queue = client.get("/help", headers=ngo).json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == hid
    assert queue["items"][0]["registration_id"] == reg["id"]  # shared with consent
    shared = client.get(f"/help/{hid}/registration", headers=ngo)
    assert shared.status_code == 200 and shared.json()["people"][0]["given_names"] == "Ana"
    assert ("help.read_registration" in
            [a for _, a in _actions(client, "registration", reg["id"])])
    assert client.get("/help", headers=me).status_code == 403
    r = client.post(f"/help/{hid}/answer", headers=ngo,
                    json={"answer": "Desde la página del registro: Sus datos."})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    again = client.post(f"/help/{hid}/answer", headers=staff(client), json={"answer": "ok"})
    assert again.status_code == 409 and "already answered" in again.json()["detail"]
    mine = client.get("/help/mine", headers=me).json()
    assert mine[0]["answer"] == "Desde la página del registro: Sus datos."
    assert client.get("/help", headers=ngo).json()["total"] == 0  # answered: off the queue
    # a registration that is not the asker's cannot be named
    other = applicant(client)
    r = client.post("/help", headers=other, json={"message": "look at this",
                                                  "registration_id": reg["id"]})
    assert r.status_code == 404
    # without consent, the helper learns neither the registration nor its data
    mine_too = register(client, other)
    r = client.post("/help", headers=other, json={"message": "a question",
                                                  "registration_id": mine_too["id"]})
    hid2 = r.json()["id"]
    item = client.get("/help", headers=ngo).json()["items"][0]
    assert item["id"] == hid2 and item["registration_id"] is None
    r = client.get(f"/help/{hid2}/registration", headers=ngo)
    assert r.status_code == 404 and "did not consent" in r.json()["detail"]


def test_a_report_becomes_an_integrity_alert(client):
    me = applicant(client)
    text = "A man at the shelter sells 'appointments' for 300 dollars, phone +52 962 000 0000"
    r = client.post("/help", headers=me, json={"kind": "report", "message": text})
    assert r.status_code == 201
    alerts = client.get("/integrity/alerts?kind=report", headers=staff(client, "analyst")).json()
    assert len(alerts) == 1
    assert alerts[0]["registration_id"] is None and alerts[0]["tier"] == "review"
    assert alerts[0]["evidence"]["text"] == text


def test_a_report_of_a_sold_notice_concerns_its_registration(client, clock):
    """Someone shows a notice they were sold: its number leads the analysts to the
    registration it was issued to; a number never issued is said to be forged."""
    seller = applicant(client)
    reg = register(client, seller)
    assert ask(client, seller, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=seller).json()["offer"]
    lat, lon = TIJUANA
    confirm(client, seller, offer["id"], reg["people"][0]["id"], (lat, lon))
    number = client.get(f"/offers/{offer['id']}/notice", headers=seller).json()[
        "confirmation_number"]
    buyer = applicant(client)
    for reported in (number, "7K3M9-QX2PA"):
        r = client.post("/help", headers=buyer, json={
            "kind": "report", "message": "I paid 200 dollars for this notice",
            "notice_number": reported})
        assert r.status_code == 201, r.text
    alerts = client.get("/integrity/alerts?kind=report&sort=oldest",
                        headers=staff(client, "analyst")).json()
    assert [a["registration_id"] for a in alerts] == [reg["id"], None]
    assert alerts[0]["evidence"]["text"].endswith(f"[notice {number}: issued]")
    assert alerts[1]["evidence"]["text"].endswith("[notice 7K3M9-QX2PA: never issued]")


def test_an_ngo_hands_a_registration_back_with_its_seniority(client):
    ngo = applicant(client, role="ngo")
    reg = register(client, ngo)
    r = client.post("/auth/signup", json={"email": "ana.self@example.org",
                                          "password": "correct horse battery"})
    assert r.status_code == 202
    verify(client, "ana.self@example.org")
    person = sign_in(client, "ana.self@example.org")
    url = f"/registrations/{reg['id']}/hand-back"
    r = client.post(url, headers=ngo, json={"email": "ana.self@example.org", "consent": False})
    assert r.status_code == 422 and "consent" in r.json()["detail"]
    r = client.post(url, headers=ngo, json={"email": "nobody@example.org", "consent": True})
    assert r.status_code == 404
    r = client.post(url, headers=ngo, json={"email": "ana.self@example.org", "consent": True})
    assert r.status_code == 200, r.text
    mine = client.get(f"/registrations/{reg['id']}", headers=person)
    assert mine.status_code == 200 and mine.json()["registered_at"] == reg["registered_at"]
    assert client.get(f"/registrations/{reg['id']}", headers=ngo).status_code == 404
    actions = [a for _, a in _actions(client, "registration", reg["id"])]
    assert actions[-2:] == ["consent.given", "registration.hand_back"]


def test_assistance_lets_the_ngo_that_took_it_confirm_with_the_person(client, clock):
    me = applicant(client)
    reg = register(client, me)
    r = client.post("/help", headers=me, json={"kind": "assistance", "message": "No puedo "
                    "usar el teléfono sola", "registration_id": reg["id"]})
    assert r.status_code == 422 and "need" in r.json()["detail"]
    r = client.post("/help", headers=me, json={
        "kind": "assistance", "need": "phone", "message": "No puedo usar el teléfono sola",
        "registration_id": reg["id"], "share": True})
    assert r.status_code == 201
    hid = r.json()["id"]
    assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]["id"]
    lat, lon = TIJUANA
    body = {"person_id": reg["people"][0]["id"], "lat": lat, "lon": lon, "consent": True}
    ngo, stranger = applicant(client, role="ngo"), applicant(client, role="ngo")
    url = f"/help/{hid}/offers/{offer}/confirmations"
    take_photo(client, me, offer, body["person_id"])  # the photo is taken on the owner's account
    assert client.post(url, headers=ngo, json=body).status_code == 403  # not taken yet
    assert client.post(f"/help/{hid}/answer", headers=ngo,
                       json={"answer": "Nos vemos mañana en el albergue."}).status_code == 200
    assert client.post(url, headers=stranger, json=body).status_code == 403
    r = client.post(url, headers=ngo, json={**body, "consent": False})
    assert r.status_code == 422
    r = client.post(url, headers=ngo, json=body)
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
    ngo_actor = _actions(client, "offer", offer)[-1]
    assert ngo_actor[1] == "offer.confirm" and ngo_actor[0].startswith("ngo:")
    assert ("registration.assistance" in
            [a for _, a in _actions(client, "registration", reg["id"])])
