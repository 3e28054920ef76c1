"""The NGO's page for a confirmation completed with a person who asked for assistance
(issue 16, point 8): reached from the help queue once the NGO took the request; the
offer, who must confirm, the assistance record; member by member, with the photo when
the policy requires it; the consent and the NGO recorded; the notice then the person's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from garita.audit import service as audit
from garita.db import transaction
from kit import TIJUANA, applicant, ask, page_sign_up, register, staff
from photo_kit import face_jpeg

DAY = dt.date(2024, 9, 10)


@pytest.fixture
def strict_app(app):
    """The app on a day (2024-09) whose policy says ``photo_required`` (shipped history:
    from 2024-03-04): the assisted page must take the photo."""
    return app


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _ngo(app, email: str) -> TestClient:
    client = TestClient(app)
    assert page_sign_up(client, email, role="ngo").status_code == 303
    client.cookies.set("garita_lang", "es")
    return client


def _selected(api: TestClient, clock, members: int = 1) -> tuple[dict, dict, int, int]:
    """An applicant who asked for assistance (sharing the registration), then was selected:
    (their headers, the registration, the help request's id, the offer's id)."""
    me = applicant(api)
    reg = register(api, me, members=members)
    r = api.post("/help", headers=me, json={
        "kind": "assistance", "need": "both", "message": "No puedo usar el teléfono sola",
        "registration_id": reg["id"], "share": True})
    assert r.status_code == 201, r.text
    assert ask(api, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert api.post(f"/draws/{DAY}", headers=staff(api)).status_code == 201
    offer = api.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]["id"]
    return me, reg, r.json()["id"], offer


def _photo() -> dict:
    return {"photo": ("face.jpg", face_jpeg(), "image/jpeg")}


def test_the_ngo_confirms_member_by_member_with_the_photo(strict_app, clock):
    api = TestClient(strict_app)
    me, reg, hid, offer = _selected(api, clock, members=1)
    lead, member = (p["id"] for p in reg["people"])  # both adults: both confirm
    ngo = _ngo(strict_app, "assist.ngo@example.org")
    page_url = f"/desk/help/{hid}/confirm"
    assert ngo.get(page_url).status_code == 403  # not taken yet: answer it first
    desk = ngo.get("/desk/help").text
    assert "Responder a esta solicitud la toma" in desk
    r = ngo.post(f"/desk/help/{hid}/answer", data={"csrf": _csrf(desk),
                                                   "answer": "La vemos mañana en el albergue."},
                 follow_redirects=False)
    assert r.status_code == 303
    desk = ngo.get("/desk/help").text
    assert f'href="{page_url}"' in desk and "Personas a las que ayuda" in desk
    page = ngo.get(page_url).text
    assert "Confirmar con la persona" in page and "Las dos cosas" in page
    assert "No puedo usar el teléfono sola" in page  # the request, shared with consent
    lead_name = f'{reg["people"][0]["given_names"]} {reg["people"][0]["family_names"]}'
    assert lead_name in page  # shared with consent: the names are shown
    assert page.count("Aún no confirmada") == 2 and "La foto es obligatoria" in page
    lat, lon = TIJUANA
    form = {"csrf": _csrf(page), "offer_id": str(offer), "person_id": str(lead),
            "lat": str(lat), "lon": str(lon)}
    r = ngo.post(page_url, data=form, files=_photo())
    assert r.status_code == 422 and "Marque esta casilla" in r.text  # no consent: nothing done
    r = ngo.post(page_url, data={**form, "consent": "yes"})
    assert r.status_code == 422 and "no tiene foto" in r.text  # the policy wants the photo
    r = ngo.post(page_url, data={**form, "consent": "yes"}, files=_photo(),
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    page = ngo.get(r.headers["location"]).text
    assert page.count("Aún no confirmada") == 1 and f'value="{member}"' in page
    status = api.get(f"/registrations/{reg['id']}/status", headers=me).json()
    assert status["offer"]["status"] == "offered"  # one of two: not yet confirmed
    r = ngo.post(page_url, data={**form, "person_id": str(member), "consent": "yes"},
                 files=_photo(), follow_redirects=False)
    assert r.status_code == 303
    assert "Todas las personas que deben confirmar ya confirmaron" in ngo.get(page_url).text
    # the notice is the person's own, on their account
    assert api.get(f"/offers/{offer}/notice", headers=me).status_code == 200
    with transaction(strict_app.state.sessions) as s:
        on_offer = audit.entries_for(s, "offer", offer)
        on_reg = [(e["actor"], e["action"]) for e in audit.entries_for(s, "registration",
                                                                       reg["id"])]
    confirms = [e["actor"] for e in on_offer if e["action"] == "offer.confirm"]
    assert len(confirms) == 2 and all(a.startswith("ngo:") for a in confirms)
    assert sum(1 for a, act in on_reg if act == "consent.given" and a.startswith("ngo:")) == 2
    # another NGO may not use the page, and an applicant cannot either
    other = _ngo(strict_app, "assist.other@example.org")
    assert other.get(page_url).status_code == 403


@pytest.mark.parametrize("lang,title", [("en", "Confirm with the person"),
                                        ("ht", "Konfime avèk moun nan"),
                                        ("pt", "Confirmar com a pessoa"),
                                        ("ru", "Подтвердить вместе с человеком")])
def test_the_page_in_the_other_languages_without_shared_names(app, clock, lang, title):
    api = TestClient(app)
    me = applicant(api)
    reg = register(api, me)
    r = api.post("/help", headers=me, json={
        "kind": "assistance", "need": "photo", "message": "I cannot take the photo",
        "registration_id": reg["id"], "share": False})
    hid = r.json()["id"]
    ngo = _ngo(app, f"assist.{lang}@example.org")
    desk = ngo.get("/desk/help").text
    ngo.post(f"/desk/help/{hid}/answer", data={"csrf": _csrf(desk), "answer": "ok, tomorrow"})
    ngo.cookies.set("garita_lang", lang)
    page = ngo.get(f"/desk/help/{hid}/confirm")
    assert page.status_code == 200 and title in page.text
    assert reg["people"][0]["given_names"] not in page.text  # no consent to share: no names


def test_the_api_asks_the_photo_when_the_policy_does(strict_app, clock):
    """``photo_required`` in the policy: the assisted confirmation through the API wants the
    member's photo first, which the NGO that took the request uploads (audited as it)."""
    api = TestClient(strict_app)
    me, reg, hid, offer = _selected(api, clock, members=0)
    lead = reg["people"][0]["id"]
    ngo, other = applicant(api, role="ngo"), applicant(api, role="ngo")
    assert api.post(f"/help/{hid}/answer", headers=ngo,
                    json={"answer": "Mañana en el albergue."}).status_code == 200
    lat, lon = TIJUANA
    body = {"person_id": lead, "lat": lat, "lon": lon, "consent": True}
    url = f"/help/{hid}/offers/{offer}"
    r = api.post(f"{url}/confirmations", headers=ngo, json=body)
    assert r.status_code == 422 and "no photo" in r.json()["detail"]
    face = {"photo": ("face.jpg", face_jpeg(), "image/jpeg")}
    r = api.post(f"{url}/photos", headers=other, data={"person_id": lead}, files=face)
    assert r.status_code == 403  # not the NGO that took the request
    taken = api.post(f"{url}/photos", headers=ngo, data={"person_id": lead}, files=face)
    assert taken.status_code == 201, taken.text
    assert taken.headers["location"] == f"/ports/SYS/photos/{offer}/{lead}"
    assert "image" not in taken.json() and "sealed" not in taken.json()
    r = api.post(f"{url}/confirmations", headers=ngo, json=body)
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
    with transaction(strict_app.state.sessions) as s:
        stored = audit.entries_for(s, "photo", taken.json()["id"])
    assert [e["action"] for e in stored] == ["photo.store"]
    assert stored[0]["actor"].startswith("ngo:")
